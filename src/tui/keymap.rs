//! The one table of keys. Each row says where a key works (its context),
//! what it does (a `Command` for `update`), how it is written, and what the
//! footer and the help say of it; dispatch, the footer, the help overlay
//! and the README's key tables are all read from it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the user is, as far as keys are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// On every screen, unless an overlay takes the keys.
    Screens,
    Dashboard,
    /// One job's tree.
    Browser,
    /// One job's statistics.
    Detail,
    /// Every recent error.
    Errors,
    Help,
    /// The line editor: other keys are text.
    Prompt,
    /// What a deletion will remove: `y`, or any other key to cancel.
    Confirm,
    /// After `q`: only quitting again works.
    Stopping,
}

impl Context {
    /// The title of its table in the help and the README.
    pub fn title(self) -> &'static str {
        match self {
            Context::Screens => "Everywhere",
            Context::Dashboard => "Dashboard",
            Context::Browser => "Browser",
            Context::Detail => "Job statistics",
            Context::Errors => "Error list",
            Context::Help => "Help",
            Context::Prompt => "Prompt",
            Context::Confirm => "Confirming a deletion",
            Context::Stopping => "Stopping",
        }
    }

    /// Whether the `Screens` keys work here too.
    fn has_screen_keys(self) -> bool {
        matches!(
            self,
            Context::Dashboard | Context::Browser | Context::Detail | Context::Errors
        )
    }
}

/// What a key asks `update` to do; its meaning depends on the context
/// (`Down` selects the next job on the dashboard, scrolls a list elsewhere).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    CloseHelp,
    AddDirectory,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Back,
    /// The browser: up to the parent directory.
    Parent,
    /// Between a job's tree and its statistics.
    Switch,
    SortBySize,
    SortByCount,
    SortByName,
    SortByMtime,
    SortByChange,
    ToggleApparent,
    Filter,
    Mark,
    Delete,
    Trash,
    ConfirmDeletion,
    CancelJob,
    Export,
    PauseResume,
    AddWorker,
    RemoveWorker,
    ShowErrors,
    Submit,
    Complete,
    ClosePrompt,
}

/// A key as the table names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    /// How the help and the README write it.
    pub fn name(self) -> String {
        let named = match self {
            Key::Char(' ') => "space",
            Key::Char(c) => return c.to_string(),
            Key::Ctrl(c) => return format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(K::Up) => "↑",
            Key::Code(K::Down) => "↓",
            Key::Code(K::Left) => "←",
            Key::Code(K::Right) => "→",
            Key::Code(K::Esc) => "Esc",
            Key::Code(K::Enter) => "Enter",
            Key::Code(K::Tab) => "Tab",
            Key::Code(K::Backspace) => "Backspace",
            Key::Code(K::PageUp) => "PgUp",
            Key::Code(K::PageDown) => "PgDn",
            Key::Code(K::Home) => "Home",
            Key::Code(K::End) => "End",
            Key::Code(_) => "?",
        };
        named.to_owned()
    }

    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Ctrl(c) => ctrl && event.code == KeyCode::Char(c),
            Key::Char(c) => !ctrl && event.code == KeyCode::Char(c),
            Key::Code(code) => !ctrl && event.code == code,
        }
    }
}

/// What the footer says of a binding: its keys, short, and a word. A
/// binding whose meaning follows a state has a word per state, chosen by
/// the footer (`pause`, then `resume` while paused).
#[derive(Clone, Copy, Debug)]
pub struct Footer {
    pub keys: &'static str,
    pub labels: &'static [&'static str],
    /// Lower stays longer when the footer is short of room.
    pub priority: u8,
}

#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub command: Command,
    pub footer: Option<Footer>,
    /// What the help overlay and the README say.
    pub help: &'static str,
}

const fn footer(
    keys: &'static str,
    labels: &'static [&'static str],
    priority: u8,
) -> Option<Footer> {
    Some(Footer {
        keys,
        labels,
        priority,
    })
}

use Command as C;
use Context as X;
use KeyCode as K;

const UP: &[Key] = &[Key::Code(K::Up), Key::Char('k')];
const DOWN: &[Key] = &[Key::Code(K::Down), Key::Char('j')];
const FIRST: &[Key] = &[Key::Code(K::Home), Key::Char('g')];
const LAST: &[Key] = &[Key::Code(K::End), Key::Char('G')];
const BACK: &[Key] = &[
    Key::Code(K::Esc),
    Key::Code(K::Left),
    Key::Char('h'),
    Key::Code(K::Backspace),
];

/// Rows of one context, in the order the help lists them.
macro_rules! bindings {
    ($($context:expr, $keys:expr, $command:expr, $footer:expr, $help:literal;)*) => {
        &[$(Binding {
            context: $context,
            keys: $keys,
            command: $command,
            footer: $footer,
            help: $help,
        }),*]
    };
}

pub static KEYMAP: &[Binding] = bindings![
    X::Dashboard, &[Key::Char('a')], C::AddDirectory, footer("a", &["add"], 0),
        "add a directory (Tab completes, a second Tab lists)";
    X::Dashboard, UP, C::Up, footer("↑↓", &["select"], 3), "select a job";
    X::Dashboard, DOWN, C::Down, None, "select a job";
    X::Dashboard, &[Key::Code(K::PageUp)], C::PageUp, None, "ten jobs up / down";
    X::Dashboard, &[Key::Code(K::PageDown)], C::PageDown, None, "ten jobs up / down";
    X::Dashboard, FIRST, C::First, None, "the first / last job";
    X::Dashboard, LAST, C::Last, None, "the first / last job";
    X::Dashboard, &[Key::Code(K::Enter)], C::Open, footer("Enter", &["open"], 2),
        "open the selected job's tree (Esc goes back)";
    X::Dashboard, &[Key::Char('x')], C::CancelJob, footer("x", &["cancel"], 4),
        "cancel the selected job (the others go on)";
    X::Dashboard, &[Key::Char('e')], C::Export, footer("e", &["export"], 5),
        "export the selected job for ncdu -f / gdu -f";
    X::Dashboard, &[Key::Char('p')], C::PauseResume,
        footer("p", &["pause", "resume"], 6),
        "pause / resume every worker";
    X::Dashboard, &[Key::Char('+'), Key::Char('=')], C::AddWorker, footer("+-", &["workers"], 7),
        "add / remove a worker";
    X::Dashboard, &[Key::Char('-')], C::RemoveWorker, None, "add / remove a worker";
    X::Dashboard, &[Key::Char('l')], C::ShowErrors, footer("l", &["errors"], 8),
        "every recent error, with its path";

    X::Browser, UP, C::Up, footer("↑↓", &["select"], 4), "select an entry";
    X::Browser, DOWN, C::Down, None, "select an entry";
    X::Browser, &[Key::Code(K::PageUp)], C::PageUp, None, "a page up / down";
    X::Browser, &[Key::Code(K::PageDown)], C::PageDown, None, "a page up / down";
    X::Browser, &[Key::Code(K::Home), Key::Char('g')], C::First, None, "the first / last entry";
    X::Browser, &[Key::Code(K::End), Key::Char('G')], C::Last, None, "the first / last entry";
    X::Browser, &[Key::Code(K::Enter), Key::Code(K::Right), Key::Char('l')], C::Open,
        footer("Enter", &["open"], 2), "into the selected directory";
    X::Browser, &[Key::Code(K::Left), Key::Char('h'), Key::Code(K::Backspace)], C::Parent,
        footer("←", &["up"], 3), "up to the parent directory (the one left stays selected)";
    X::Browser, &[Key::Char('s')], C::SortBySize, footer("s C n M +", &["sort"], 6),
        "sort by size, largest first (again: smallest first)";
    X::Browser, &[Key::Char('C')], C::SortByCount, None, "sort by items below, most first (again: fewest)";
    X::Browser, &[Key::Char('n')], C::SortByName, None, "sort by name (again: from z)";
    X::Browser, &[Key::Char('M')], C::SortByMtime, None,
        "sort by modification time, newest first (again: oldest)";
    X::Browser, &[Key::Char('+')], C::SortByChange, None,
        "sort by the change in disk usage since the last scan, grown most first (again: shrunk most)";
    X::Browser, &[Key::Char('a')], C::ToggleApparent,
        footer("a", &["apparent", "disk"], 7),
        "show apparent sizes instead of disk usage (again: disk usage)";
    X::Browser, &[Key::Char('/')], C::Filter, footer("/", &["filter"], 5),
        "show only the names holding a text (Enter keeps it, Esc clears it)";
    X::Browser, &[Key::Code(K::Tab)], C::Switch, footer("Tab", &["stats"], 8),
        "the job's statistics: totals, largest files, extensions, sizes, errors";
    X::Browser, &[Key::Char('e')], C::Export, footer("e", &["export"], 9),
        "export the directory shown for ncdu -f / gdu -f";
    X::Browser, &[Key::Char(' ')], C::Mark, footer("space", &["mark"], 5),
        "mark / unmark the selected entry for deletion (marks stay across directories)";
    X::Browser, &[Key::Char('d')], C::Delete, footer("d", &["delete"], 5),
        "delete what is marked (or the selected entry), after you confirm";
    X::Browser, &[Key::Char('t')], C::Trash, footer("t", &["trash"], 9),
        "move what is marked (or the selected entry) to the trash, after you confirm";
    X::Browser, &[Key::Code(K::Esc)], C::Back, footer("Esc", &["back"], 0),
        "back to the dashboard (while deleting: stop the deletion)";

    X::Detail, BACK, C::Back, footer("Esc", &["back"], 0), "back to the dashboard";
    X::Detail, UP, C::Up, footer("↑↓", &["select file"], 2), "select one of the largest files";
    X::Detail, DOWN, C::Down, None, "select one of the largest files";
    X::Detail, &[Key::Code(K::Enter)], C::Open, footer("Enter", &["show it"], 3),
        "show the selected file in the browser";
    X::Detail, &[Key::Code(K::PageUp)], C::PageUp, footer("PgUp PgDn", &["errors"], 5),
        "scroll the job's errors";
    X::Detail, &[Key::Code(K::PageDown)], C::PageDown, None, "scroll the job's errors";
    X::Detail, FIRST, C::First, None, "the first / last error";
    X::Detail, LAST, C::Last, None, "the first / last error";
    X::Detail, &[Key::Code(K::Tab)], C::Switch, footer("Tab", &["tree"], 4), "the job's tree (the browser)";
    X::Detail, &[Key::Char('x')], C::CancelJob, footer("x", &["cancel"], 6), "cancel this job";
    X::Detail, &[Key::Char('e')], C::Export, footer("e", &["export"], 1),
        "export this job for ncdu -f / gdu -f";

    X::Errors, BACK, C::Back, footer("Esc", &["back"], 0), "back to the dashboard";
    X::Errors, UP, C::Up, footer("↑↓ PgUp PgDn", &["scroll"], 1), "scroll";
    X::Errors, DOWN, C::Down, None, "scroll";
    X::Errors, &[Key::Code(K::PageUp)], C::PageUp, None, "ten errors up / down";
    X::Errors, &[Key::Code(K::PageDown)], C::PageDown, None, "ten errors up / down";
    X::Errors, FIRST, C::First, None, "the oldest / newest error";
    X::Errors, LAST, C::Last, None, "the oldest / newest error";

    X::Screens, &[Key::Char('?')], C::Help, footer("?", &["help"], 1), "the keys of this screen";
    X::Screens, &[Key::Char('q'), Key::Ctrl('c')], C::Quit, footer("q", &["quit"], 0),
        "stop: join the workers, print the summary; again while stopping: exit at once; while deleting: stop the deletion";

    X::Help, &[Key::Code(K::Esc), Key::Char('?'), Key::Code(K::Enter)], C::CloseHelp,
        footer("Esc", &["close help"], 0), "close the help";
    X::Help, &[Key::Char('q'), Key::Ctrl('c')], C::Quit, footer("q", &["quit"], 0), "stop and quit";

    X::Prompt, &[Key::Code(K::Enter)], C::Submit, footer("Enter", &["add", "write", "keep"], 0),
        "scan the directory typed, write the export to the file typed, or keep the filter; bad input is explained and kept for correction";
    X::Prompt, &[Key::Code(K::Tab)], C::Complete, footer("Tab", &["complete"], 1),
        "complete a directory name; a second Tab lists the candidates";
    X::Prompt, &[Key::Code(K::Esc)], C::ClosePrompt, footer("Esc", &["close"], 0),
        "close the prompt (a filter is cleared)";
    X::Prompt, &[Key::Ctrl('c')], C::Quit, footer("Ctrl-C", &["quit"], 2), "stop and quit";

    X::Confirm, &[Key::Char('y')], C::ConfirmDeletion, footer("y", &["yes"], 0),
        "yes: go ahead (any other key cancels)";

    X::Stopping, &[Key::Char('q'), Key::Ctrl('c')], C::Quit,
        footer("q", &["again: exit now without waiting"], 0),
        "exit at once, without waiting for workers stuck in the kernel";
];

/// The command `key` gives in `context`, if any.
pub fn command(context: Context, key: &KeyEvent) -> Option<Command> {
    let in_context = |c: Context| {
        KEYMAP
            .iter()
            .find(|b| b.context == c && b.keys.iter().any(|k| k.matches(key)))
            .map(|b| b.command)
    };
    in_context(context).or_else(|| {
        context
            .has_screen_keys()
            .then(|| in_context(Context::Screens))
            .flatten()
    })
}

/// The rows that work in `context`, its own first.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    let screens = context.has_screen_keys();
    KEYMAP.iter().filter(move |b| b.context == context).chain(
        KEYMAP
            .iter()
            .filter(move |b| screens && b.context == Context::Screens),
    )
}

/// The contexts in the order the README documents them.
pub const DOCUMENTED: [Context; 7] = [
    Context::Dashboard,
    Context::Browser,
    Context::Detail,
    Context::Errors,
    Context::Screens,
    Context::Prompt,
    Context::Confirm,
];

/// The help's rows for `bindings`: one per action, the keys of
/// neighbouring bindings that say the same merged (`↑ k ↓ j  select a job`).
pub fn help_rows<'a>(bindings: impl Iterator<Item = &'a Binding>) -> Vec<(Vec<Key>, &'static str)> {
    let mut rows: Vec<(Vec<Key>, &'static str)> = Vec::new();
    for b in bindings {
        match rows.last_mut() {
            Some((keys, help)) if *help == b.help => keys.extend_from_slice(b.keys),
            _ => rows.push((b.keys.to_vec(), b.help)),
        }
    }
    rows
}

/// Keys as the help writes them: `↑ k ↓ j`.
pub fn names(keys: &[Key]) -> String {
    let names: Vec<String> = keys.iter().map(|k| k.name()).collect();
    names.join(" ")
}

/// The key table of `context` in Markdown, as the README has it.
pub fn markdown(context: Context) -> String {
    let mut out = String::from("| key | action |\n|---|---|\n");
    let own = KEYMAP.iter().filter(|b| b.context == context);
    for (keys, help) in help_rows(own) {
        let keys: Vec<String> = keys.iter().map(|k| format!("`{}`", k.name())).collect();
        out.push_str(&format!("| {} | {} |\n", keys.join(" "), help));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_context_s_own_keys_come_before_the_screen_keys() {
        assert_eq!(
            command(Context::Dashboard, &press(KeyCode::Char('q'))),
            Some(Command::Quit)
        );
        assert_eq!(
            command(Context::Detail, &press(KeyCode::Esc)),
            Some(Command::Back)
        );
        // In the prompt, q is text.
        assert_eq!(command(Context::Prompt, &press(KeyCode::Char('q'))), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(command(Context::Prompt, &ctrl_c), Some(Command::Quit));
        assert_eq!(command(Context::Dashboard, &ctrl_c), Some(Command::Quit));
        assert_eq!(command(Context::Stopping, &press(KeyCode::Char('a'))), None);
    }

    #[test]
    fn every_context_can_quit_and_every_screen_has_help() {
        for context in [
            Context::Dashboard,
            Context::Browser,
            Context::Detail,
            Context::Errors,
            Context::Help,
            Context::Prompt,
            Context::Stopping,
        ] {
            let commands: Vec<Command> = bindings(context).map(|b| b.command).collect();
            assert!(commands.contains(&Command::Quit), "{context:?}");
            if context.has_screen_keys() {
                assert!(commands.contains(&Command::Help), "{context:?}");
            }
        }
    }

    #[test]
    fn no_key_means_two_things_in_one_context() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                let overlap = a.context == b.context
                    || (a.context.has_screen_keys() && b.context == Context::Screens)
                    || (b.context.has_screen_keys() && a.context == Context::Screens);
                if overlap {
                    for key in a.keys {
                        assert!(
                            !b.keys.contains(key),
                            "{key:?} is {:?} and {:?} in {:?}",
                            a.command,
                            b.command,
                            a.context
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_has_a_name() {
        for b in KEYMAP {
            for key in b.keys {
                assert!(key.name() != "?" || *key == Key::Char('?'), "{b:?}");
            }
        }
    }

    #[test]
    fn rows_that_say_the_same_are_merged() {
        let rows = help_rows(bindings(Context::Dashboard));
        let select = rows
            .iter()
            .find(|(_, help)| *help == "select a job")
            .unwrap();
        assert_eq!(names(&select.0), "↑ k ↓ j");
        assert_eq!(
            rows.iter()
                .filter(|(_, help)| *help == "select a job")
                .count(),
            1
        );
    }
}

//! The one table of keys. Each row says where a key works (its context),
//! what it does (a `Command` for `update`), how it is written, and what the
//! footer and the help say of it; dispatch, the footer, the help overlay
//! and the README's key tables are all read from it.

use KeyCode as K;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod table;
#[cfg(test)]
mod tests;

pub use table::KEYMAP;

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

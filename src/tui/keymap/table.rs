//! The rows of the keymap: every key of every context, with its footer
//! label and its help text.

use ratatui::crossterm::event::KeyCode;

use super::{Binding, Command, Context, Footer, Key};

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

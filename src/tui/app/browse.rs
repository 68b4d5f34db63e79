//! The browser's part of `update`: opening a job's tree, going between its
//! tree and its statistics, sorting, the mouse, and keeping the rows in
//! step with the scan once a frame.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::browser::Click;
use super::{App, Browser, Screen};
use crate::scan::JobId;
use crate::tree::sorted::{Order, SortKey};
use crate::tree::{JobTree, Node};

/// Runs `f` on the browser and the tree it shows, when both exist.
pub(super) fn with_browser(app: &mut App, f: impl FnOnce(&mut Browser, &JobTree)) {
    let Some(browser) = &mut app.browser else {
        return;
    };
    let tree = app
        .jobs
        .tally()
        .job(browser.job())
        .and_then(|j| j.tree.as_deref());
    if let Some(tree) = tree {
        f(browser, tree);
    }
}

/// Once a frame: the rows follow the scan. True when they changed.
pub(super) fn refresh(app: &mut App) -> bool {
    let mut changed = false;
    with_browser(app, |b, tree| changed = b.refresh(tree));
    changed
}

/// `job`'s earlier scan arrived: the browser of it (if open) compares with
/// it from now on.
pub(super) fn rebaseline(app: &mut App, job: JobId) {
    let earlier = app.past.baseline(job).cloned();
    with_browser(app, |b, tree| {
        if b.job() == job {
            b.set_earlier(tree, earlier);
        }
    });
}

/// Enter: the selected job's tree from the dashboard, a directory in the
/// browser, the selected large file from a job's statistics.
pub(super) fn open(app: &mut App) {
    match app.screen {
        Screen::Dashboard => {
            if let Some(job) = app.jobs.selected_job() {
                let (id, has_tree) = (job.id, job.tree.is_some());
                if has_tree {
                    open_browser(app, id);
                } else {
                    app.show(Screen::Detail(id));
                }
            }
        }
        Screen::Browser(_) => with_browser(app, |b, tree| {
            b.enter(tree);
        }),
        Screen::Detail(job) => show_large_file(app, job),
        Screen::Errors => {}
    }
}

/// The browser of `job`, at its root, sorted as the browser was last.
fn open_browser(app: &mut App, job: JobId) {
    let order = app
        .browser
        .as_ref()
        .map_or_else(Order::default, |b| b.order());
    let earlier = app.past.baseline(job).cloned();
    app.browser = Some(Browser::new(job, order, earlier));
    refresh(app);
    app.show(Screen::Browser(job));
}

/// Tab: between a job's tree and its statistics.
pub(super) fn switch(app: &mut App) {
    match app.screen {
        Screen::Browser(job) => app.show(Screen::Detail(job)),
        Screen::Detail(job) => {
            let has_tree = app.jobs.tally().job(job).is_some_and(|j| j.tree.is_some());
            if app.browser.as_ref().is_some_and(|b| b.job() == job) {
                refresh(app);
                app.show(Screen::Browser(job));
            } else if has_tree {
                open_browser(app, job);
            } else {
                app.notify(unavailable(app.keep_trees));
            }
        }
        Screen::Dashboard | Screen::Errors => {}
    }
}

/// Why a job has no browser.
fn unavailable(keep_trees: bool) -> String {
    if keep_trees {
        "this job kept no tree: scan it again to browse it".to_owned()
    } else {
        "no trees are kept (--no-tree): the browser is unavailable".to_owned()
    }
}

/// The browser at the directory of the large file selected in `job`'s
/// statistics, the file selected.
fn show_large_file(app: &mut App, job: JobId) {
    enum Found {
        Nothing,
        NoTree,
        Elsewhere(String),
        At(Node, u32),
    }
    let found = match app.jobs.tally().job(job) {
        None => Found::Nothing,
        Some(record) => match (
            record.stats.largest.get(app.largest),
            record.tree.as_deref(),
        ) {
            (None, _) => Found::Nothing,
            (Some(_), None) => Found::NoTree,
            (Some(file), Some(tree)) => match tree.locate(&file.path) {
                Some((dir, offset)) => Found::At(dir, offset),
                None => Found::Elsewhere(crate::report::text::path(&file.path).into_owned()),
            },
        },
    };
    match found {
        Found::Nothing => {}
        Found::NoTree => app.notify(unavailable(app.keep_trees)),
        Found::Elsewhere(path) => app.notify(format!("{path} is not in the tree yet")),
        Found::At(dir, offset) => {
            if app.browser.as_ref().is_none_or(|b| b.job() != job) {
                open_browser(app, job);
            }
            with_browser(app, |b, tree| b.show(tree, dir, Some(offset)));
            app.show(Screen::Browser(job));
        }
    }
}

/// space: marks or unmarks the selected entry, then moves down.
pub(super) fn mark(app: &mut App) {
    let Some(browser) = &mut app.browser else {
        return;
    };
    let Some(offset) = browser.selected() else {
        return;
    };
    let (job, node) = (browser.job(), browser.node());
    let Some(tree) = app.jobs.tally().job(job).and_then(|j| j.tree.as_deref()) else {
        return;
    };
    match app.marks.toggle(job, tree, node, offset) {
        Ok(_) => browser.navigate(crate::tui::keymap::Command::Down),
        Err(why) => {
            let text = format!("not marked: {why}");
            app.notify(text);
        }
    }
}

/// s, C, n, M.
pub(super) fn sort(app: &mut App, key: SortKey) {
    let mut compared = true;
    with_browser(app, |b, tree| {
        compared = b.earlier().is_some();
        b.sort_by(tree, key);
    });
    if key == SortKey::Change && !compared {
        app.notify(
            "no complete earlier scan of this directory with these options: every directory counts as new"
                .to_owned(),
        );
    }
}

/// A click selects, a second one on the same row opens, the wheel moves
/// the selection; in the browser only. True when the screen changed.
pub(super) fn mouse(app: &mut App, mouse: MouseEvent) -> bool {
    if !matches!(app.screen, Screen::Browser(_)) || app.prompt().is_some() {
        return false;
    }
    let now = app.now;
    let mut changed = true;
    with_browser(app, |b, tree| match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => match b.click(mouse.column, mouse.row, now) {
            Click::Opened => {
                b.enter(tree);
            }
            Click::Selected => {}
            Click::Nothing => changed = false,
        },
        MouseEventKind::ScrollDown => b.wheel(true),
        MouseEventKind::ScrollUp => b.wheel(false),
        _ => changed = false,
    });
    changed
}

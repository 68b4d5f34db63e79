//! `update`: the one place the dashboard's state changes. Keys become
//! commands through the keymap, in the context the overlay and the screen
//! give; each sub-model does its part.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::KeyEvent;

use super::{Action, App, Ending, Msg, Overlay, PAGE, Prompt, Purpose, Screen, browse, deletion};
use crate::delete::Mode;
use crate::report::ncdu::TargetError;
use crate::report::text;
use crate::scan::{JobId, ScanEvent, WorkerStatus};
use crate::tree::ROOT;
use crate::tree::sorted::SortKey;
use crate::tui::keymap::{self, Command, Context};

/// How long a notice stays up.
const NOTICE_FOR: std::time::Duration = std::time::Duration::from_secs(15);

/// Applies one message; returns the effects to perform.
pub fn update(app: &mut App, msg: Msg) -> Vec<Action> {
    // Everything but an idle tick changes what is drawn.
    let mut visible = true;
    let actions = match msg {
        Msg::Tick { now, workers } => {
            visible = tick(app, now, workers);
            Vec::new()
        }
        Msg::Scan(event) => scan_event(app, event),
        Msg::Key(key) => key_event(app, key),
        Msg::Mouse(mouse) => {
            visible = browse::mouse(app, mouse);
            Vec::new()
        }
        Msg::Paste(text) => {
            if let Some(prompt) = app.prompt_mut() {
                prompt.paste(&text);
            }
            Vec::new()
        }
        Msg::Resize => Vec::new(),
        Msg::RootChecked { input, result } => root_checked(app, &input, result),
        Msg::Submitted {
            id,
            root,
            keep_tree,
        } => {
            app.jobs.submitted(id, Arc::clone(&root), keep_tree);
            app.exports.submitted(id, keep_tree);
            app.past.submitted(id, &root)
        }
        Msg::ExportChecked { input, result } => export_checked(app, &input, result),
        Msg::Exported { job, path, result } => {
            let record = app.jobs.tally().job(job);
            let notice = app.exports.exported(record, job, &path, result);
            app.notify(notice);
            Vec::new()
        }
        Msg::Completions { typed, names } => {
            if let Some(prompt) = app.prompt_mut() {
                prompt.complete(&typed, names);
            }
            Vec::new()
        }
        Msg::Threads(n) => {
            app.threads = n;
            Vec::new()
        }
        Msg::Expected {
            job,
            baseline,
            inodes,
        } => {
            app.past.expected(&mut app.jobs, job, baseline, inodes);
            browse::rebaseline(app, job);
            Vec::new()
        }
        Msg::HistoryFailed(message) => {
            if let Some(notice) = app.past.failed(message) {
                app.notify(notice);
            }
            Vec::new()
        }
        Msg::Signal(signal) => {
            app.stop_signal.get_or_insert(signal);
            app.stop()
        }
        Msg::Deletion(event) => {
            let actions = deletion::event(app, event);
            browse::refresh(app);
            actions
        }
        Msg::DeletionProgress(removed) => {
            deletion::progress(app, removed);
            Vec::new()
        }
        Msg::Remeasuring {
            job,
            node,
            sub,
            path,
        } => {
            deletion::remeasuring(app, job, node, sub, path);
            Vec::new()
        }
    };
    app.dirty |= visible;
    actions
}

/// The clock; true when something shown changed.
fn tick(app: &mut App, now: Instant, workers: Vec<WorkerStatus>) -> bool {
    app.now = now;
    app.jobs.sample_pace(now);
    let mut changed = app.rates.sample(now, app.jobs.tally());
    let workers_changed = workers.len() != app.workers.len()
        || workers
            .iter()
            .zip(&app.workers)
            .any(|(a, b)| a.state != b.state || a.since != b.since || a.dir != b.dir);
    changed |= workers_changed;
    app.workers = workers;
    if app
        .notice
        .as_ref()
        .is_some_and(|n| now.saturating_duration_since(n.at) > NOTICE_FOR)
    {
        app.notice = None;
        changed = true;
    }
    if let Screen::Browser(_) = app.screen {
        changed |= browse::refresh(app);
    }
    // Elapsed times and stuck-worker timers move while anything runs.
    changed || app.is_busy() || app.stopping().is_some()
}

fn scan_event(app: &mut App, event: ScanEvent) -> Vec<Action> {
    if deletion::scan_event(app, &event) {
        browse::refresh(app);
        return Vec::new();
    }
    app.jobs.apply(&event);
    match event {
        ScanEvent::WorkerPanicked {
            worker,
            dir,
            message,
            ..
        } => {
            app.notify(format!(
                "worker {worker} failed in {} ({message}); that directory is counted as an error and the scan goes on",
                text::path(&dir)
            ));
            Vec::new()
        }
        ScanEvent::JobFinished(end) => {
            let mut actions = app.exports.job_finished(&end);
            actions.extend(app.past.ended(end.job));
            actions
        }
        ScanEvent::Stopped if app.stopping().is_some() => vec![Action::Exit(Ending::Joined)],
        _ => Vec::new(),
    }
}

fn root_checked(app: &mut App, input: &str, result: Result<PathBuf, String>) -> Vec<Action> {
    let already = match &result {
        Ok(root) => app.jobs.is_queued_or_scanning(root),
        Err(_) => false,
    };
    let keep_tree = app.next_keeps_tree();
    let Some(prompt) = app.prompt_mut() else {
        return Vec::new();
    };
    if prompt.value() != input || *prompt.purpose() != Purpose::AddRoot {
        return Vec::new(); // typed on meanwhile
    }
    match result {
        Err(message) => prompt.refuse(message),
        Ok(root) if already => prompt.refuse(format!("already queued: {}", text::path(&root))),
        Ok(root) => {
            app.overlay = Overlay::None;
            return vec![Action::Submit { root, keep_tree }];
        }
    }
    Vec::new()
}

fn export_checked(app: &mut App, input: &str, result: Result<PathBuf, TargetError>) -> Vec<Action> {
    let Overlay::Prompt(prompt) = &mut app.overlay else {
        return Vec::new();
    };
    let Purpose::Export { job, node, .. } = *prompt.purpose() else {
        return Vec::new();
    };
    if prompt.value() != input {
        return Vec::new();
    }
    let Some((path, overwrite)) = app.exports.checked(prompt, result) else {
        return Vec::new();
    };
    app.overlay = Overlay::None;
    match app.jobs.tally().job(job) {
        Some(record) => app.exports.start(record, node, path, overwrite),
        None => Vec::new(),
    }
}

fn key_event(app: &mut App, key: KeyEvent) -> Vec<Action> {
    let context = app.context();
    match keymap::command(context, &key) {
        Some(command) => run(app, context, command),
        // At the confirmation, any other key cancels.
        None if context == Context::Confirm => {
            app.overlay = Overlay::None;
            app.notify("nothing deleted".to_owned());
            Vec::new()
        }
        None => {
            if let Some(prompt) = app.prompt_mut() {
                prompt.edit(key);
                if *prompt.purpose() == Purpose::Filter {
                    let text = prompt.value().to_owned();
                    browse::with_browser(app, |b, tree| b.set_filter(tree, &text));
                }
            }
            Vec::new()
        }
    }
}

/// What a command does in the context it was given in.
fn run(app: &mut App, context: Context, command: Command) -> Vec<Action> {
    let deleting = app.deletions.running().is_some();
    match command {
        Command::Quit | Command::Back if deleting && context != Context::Stopping => {
            return deletion::stop(app);
        }
        Command::Quit => return app.stop(),
        Command::Mark => browse::mark(app),
        Command::Delete => deletion::ask(app, Mode::Delete),
        Command::Trash => deletion::ask(app, Mode::Trash),
        Command::ConfirmDeletion => return deletion::confirm(app),
        Command::Help => app.overlay = Overlay::Help { from: context },
        Command::CloseHelp => app.overlay = Overlay::None,
        Command::ClosePrompt => {
            if app
                .prompt()
                .is_some_and(|p| *p.purpose() == Purpose::Filter)
            {
                browse::with_browser(app, |b, tree| b.set_filter(tree, ""));
            }
            app.overlay = Overlay::None;
        }
        Command::Submit => return submit_prompt(app),
        Command::Complete => {
            if let Some(prompt) = app.prompt() {
                return vec![Action::Complete(prompt.value().to_owned())];
            }
        }
        Command::AddDirectory => app.open_prompt(),
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::First
        | Command::Last => navigate(app, command),
        Command::Open => browse::open(app),
        Command::Back => app.show(Screen::Dashboard),
        Command::Parent => browse::with_browser(app, |b, tree| {
            b.up(tree);
        }),
        Command::Switch => browse::switch(app),
        Command::SortBySize => browse::sort(app, SortKey::Size),
        Command::SortByCount => browse::sort(app, SortKey::Count),
        Command::SortByName => browse::sort(app, SortKey::Name),
        Command::SortByMtime => browse::sort(app, SortKey::Mtime),
        Command::SortByChange => browse::sort(app, SortKey::Change),
        Command::ToggleApparent => browse::with_browser(app, |b, tree| b.toggle_apparent(tree)),
        Command::Filter => {
            let text = app.browser.as_ref().map(|b| b.filter().to_owned());
            app.overlay = Overlay::Prompt(Prompt::new(Purpose::Filter, text.unwrap_or_default()));
        }
        Command::CancelJob => {
            if let Some(job) = shown_job(app) {
                return app.jobs.cancel(job);
            }
        }
        Command::Export => {
            let node = match (app.screen, &app.browser) {
                (Screen::Browser(_), Some(browser)) => browser.node(),
                _ => ROOT,
            };
            if let Some(job) = shown_job(app).and_then(|id| app.jobs.tally().job(id)) {
                app.overlay = Overlay::Prompt(app.exports.ask(job, node));
            }
        }
        Command::PauseResume => {
            app.paused = !app.paused;
            return vec![if app.paused {
                Action::Pause
            } else {
                Action::Resume
            }];
        }
        Command::AddWorker => return vec![Action::SetThreads(app.threads + 1)],
        Command::RemoveWorker if app.threads > 1 => {
            return vec![Action::SetThreads(app.threads - 1)];
        }
        Command::RemoveWorker => {}
        Command::ShowErrors => {
            app.show(Screen::Errors);
            // Open at the newest errors.
            app.scroll = app.jobs.tally().errors.kept().len().saturating_sub(1);
        }
    }
    Vec::new()
}

/// The job a command is about: the selected one, or the one shown.
fn shown_job(app: &App) -> Option<JobId> {
    match app.screen {
        Screen::Detail(job) | Screen::Browser(job) => Some(job),
        Screen::Dashboard | Screen::Errors => app.jobs.selected_job().map(|j| j.id),
    }
}

fn submit_prompt(app: &mut App) -> Vec<Action> {
    let Some(prompt) = app.prompt_mut() else {
        return Vec::new();
    };
    if *prompt.purpose() == Purpose::Filter {
        app.overlay = Overlay::None;
        return Vec::new();
    }
    if let Some(why) = prompt.blank_refusal() {
        prompt.refuse(why.to_owned());
        return Vec::new();
    }
    let text = prompt.value().to_owned();
    match prompt.purpose() {
        Purpose::AddRoot => vec![Action::CheckRoot(text)],
        Purpose::Export { .. } => vec![Action::CheckExport(text)],
        Purpose::Filter => Vec::new(),
    }
}

/// Moving keys: the selection on the dashboard, in the browser and among
/// a job's largest files, the scroll of a list of errors.
fn navigate(app: &mut App, command: Command) {
    let len = match app.screen {
        Screen::Dashboard => return app.jobs.navigate(command),
        Screen::Browser(_) => {
            return browse::with_browser(app, |b, _| b.navigate(command));
        }
        Screen::Detail(job) if matches!(command, Command::Up | Command::Down) => {
            let files = app
                .jobs
                .tally()
                .job(job)
                .map_or(0, |j| j.stats.largest.len());
            app.largest = match command {
                Command::Up => app.largest.saturating_sub(1),
                _ => app.largest + 1,
            }
            .min(files.saturating_sub(1));
            return;
        }
        Screen::Detail(job) => app.jobs.tally().errors.job_kept(job),
        Screen::Errors => app.jobs.tally().errors.kept().len(),
    };
    let last = len.saturating_sub(1);
    let scroll = app.scroll.min(last);
    app.scroll = match command {
        Command::Up => scroll.saturating_sub(1),
        Command::Down => scroll + 1,
        Command::PageUp => scroll.saturating_sub(PAGE),
        Command::PageDown => scroll + PAGE,
        Command::First => 0,
        _ => last,
    }
    .min(last);
}

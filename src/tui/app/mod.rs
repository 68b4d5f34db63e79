//! The dashboard's state, and the one place it changes: `update`, which takes
//! a message (a key, a scan event, a clock tick, the answer to an action)
//! and returns the actions the runtime must perform. No I/O happens here.
//!
//! The state is a few sub-models, each with its own file and its own part
//! of the update: the jobs and the selection (`jobs`), the exports
//! (`exports`), the prompt with what it asks for (`prompt`); one `Overlay`
//! says what has the keys, and the keymap says what a key does there.

mod exports;
mod jobs;
mod prompt;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;

use super::keymap::{self, Command, Context};
pub use super::rates::{HISTORY_SECONDS, Rates};
use super::theme::Theme;
use crate::report::ncdu::TargetError;
use crate::report::{Tally, text};
use crate::scan::{JobId, ScanEvent, WorkerState, WorkerStatus};
pub use crate::session::Ending;
pub use exports::{Export, ExportState, Exports};
pub use jobs::Jobs;
pub use prompt::{CANDIDATES_SHOWN, Prompt, Purpose};

/// A worker this long in one directory is shown as stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(2);
/// How long a stop may take before the dashboard says what it waits for.
pub const STOP_QUIET_FOR: Duration = Duration::from_millis(100);
/// How long a notice stays up.
const NOTICE_FOR: Duration = Duration::from_secs(15);
/// Lines a page key scrolls.
const PAGE: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    /// One job's totals and errors.
    Detail(JobId),
    /// Every recent error.
    Errors,
}

/// What takes the keys before the screen does; one at a time, so which
/// one wins is never in question.
#[derive(Debug)]
pub enum Overlay {
    None,
    Help {
        from: Context,
    },
    Prompt(Prompt),
    /// `q` was pressed at `since`; only a second `q` is heard.
    Stopping {
        since: Instant,
    },
}

/// Inputs to `update`.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
    Scan(ScanEvent),
    /// The clock, with what each worker is doing now.
    Tick {
        now: Instant,
        workers: Vec<WorkerStatus>,
    },
    /// The answer to `Action::CheckRoot` for the text `input`.
    RootChecked {
        input: String,
        result: Result<PathBuf, String>,
    },
    Submitted {
        id: JobId,
        root: Arc<Path>,
        /// The job keeps its tree for an export.
        keep_tree: bool,
    },
    /// The answer to `Action::CheckExport` for the text `input`.
    ExportChecked {
        input: String,
        result: Result<PathBuf, TargetError>,
    },
    /// An export was written, or failed.
    Exported {
        job: JobId,
        path: PathBuf,
        result: Result<(), String>,
    },
    /// The directories found by `Action::Complete` for `typed`.
    Completions {
        typed: String,
        names: Vec<String>,
    },
    /// The pool runs this many workers now.
    Threads(usize),
    /// SIGTERM, SIGHUP or SIGINT.
    Signal(i32),
}

/// Effects for the runtime.
#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    /// Resolve this prompt text to a directory and answer `RootChecked`.
    CheckRoot(String),
    /// List completions of this prompt text and answer `Completions`.
    Complete(String),
    Submit {
        root: PathBuf,
        keep_tree: bool,
    },
    /// Resolve this prompt text to an export file and answer `ExportChecked`.
    CheckExport(String),
    /// Write the kept tree of `job` to `path` (replacing a file there only
    /// with `overwrite`) and answer `Exported`.
    WriteExport {
        job: JobId,
        path: PathBuf,
        overwrite: bool,
    },
    Cancel(JobId),
    Pause,
    Resume,
    SetThreads(usize),
    /// Set the stop flag.
    Stop,
    /// Leave the dashboard.
    Exit(Ending),
}

/// A message shown above the footer for a while.
#[derive(Clone, Debug)]
pub struct Notice {
    pub text: String,
    pub at: Instant,
}

pub struct App {
    jobs: Jobs,
    exports: Exports,
    screen: Screen,
    overlay: Overlay,
    /// Workers the pool runs (the target; retiring ones may linger).
    threads: usize,
    workers: Vec<WorkerStatus>,
    paused: bool,
    /// The signal that stopped the dashboard, for the exit code.
    stop_signal: Option<i32>,
    /// First line shown of the error list (and of a job's errors).
    scroll: usize,
    notice: Option<Notice>,
    rates: Rates,
    now: Instant,
    theme: Theme,
    /// Something visible changed since the last frame.
    dirty: bool,
}

impl App {
    pub fn new(threads: usize, started: Instant, theme: Theme) -> App {
        App {
            jobs: Jobs::new(started),
            exports: Exports::default(),
            screen: Screen::Dashboard,
            overlay: Overlay::None,
            threads,
            workers: Vec::new(),
            paused: false,
            stop_signal: None,
            scroll: 0,
            notice: None,
            rates: Rates::default(),
            now: started,
            theme,
            dirty: true,
        }
    }

    /// `--force` and `--export FILE` (for the first directory scanned).
    pub fn with_exports(mut self, exports: Exports) -> App {
        self.exports = exports;
        self
    }

    // ---- what the view and the runtime read ---------------------------------

    pub fn tally(&self) -> &Tally {
        self.jobs.tally()
    }

    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    pub fn exports(&self) -> &Exports {
        &self.exports
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.overlay {
            Overlay::Prompt(prompt) => Some(prompt),
            _ => None,
        }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    pub fn workers(&self) -> &[WorkerStatus] {
        &self.workers
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// When `q` was pressed, while stopping.
    pub fn stopping(&self) -> Option<Instant> {
        match self.overlay {
            Overlay::Stopping { since } => Some(since),
            _ => None,
        }
    }

    pub fn stop_signal(&self) -> Option<i32> {
        self.stop_signal
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn rates(&self) -> &Rates {
        &self.rates
    }

    /// For drawing a chosen state (snapshots, benchmarks): the rates are
    /// otherwise measured from ticks.
    pub fn rates_mut(&mut self) -> &mut Rates {
        &mut self.rates
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The runtime drew a frame.
    pub fn drawn(&mut self) {
        self.dirty = false;
    }

    /// Where the keys go now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Overlay::Stopping { .. } => Context::Stopping,
            Overlay::Help { .. } => Context::Help,
            Overlay::Prompt(_) => Context::Prompt,
            Overlay::None => match self.screen {
                Screen::Dashboard => Context::Dashboard,
                Screen::Detail(_) => Context::Detail,
                Screen::Errors => Context::Errors,
            },
        }
    }

    /// Queued or being scanned.
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy()
    }

    /// What the header says the dashboard is doing.
    pub fn activity(&self) -> &'static str {
        if self.stopping().is_some() {
            "stopping"
        } else if self.paused {
            "paused"
        } else if self.is_busy() {
            "scanning"
        } else {
            "idle"
        }
    }

    /// Workers still inside a directory while stopping, once the stop has
    /// taken longer than it should.
    pub fn stop_waits_on(&self) -> Option<Vec<&WorkerStatus>> {
        let since = self.stopping()?;
        if self.now.saturating_duration_since(since) < STOP_QUIET_FOR {
            return None;
        }
        Some(
            self.workers
                .iter()
                .filter(|w| w.state == WorkerState::Scanning)
                .collect(),
        )
    }

    /// The workers were left without waiting: jobs still running stopped.
    pub fn abandon(&mut self, now: Instant) {
        self.jobs.abandon(now);
    }

    // ---- changes ------------------------------------------------------------

    pub fn open_prompt(&mut self) {
        let open_for_roots = matches!(
            &self.overlay,
            Overlay::Prompt(p) if *p.purpose() == Purpose::AddRoot
        );
        if !open_for_roots {
            self.overlay = Overlay::Prompt(Prompt::new(Purpose::AddRoot, String::new()));
        }
    }

    fn prompt_mut(&mut self) -> Option<&mut Prompt> {
        match &mut self.overlay {
            Overlay::Prompt(prompt) => Some(prompt),
            _ => None,
        }
    }

    fn notify(&mut self, text: String) {
        self.notice = Some(Notice { text, at: self.now });
    }

    fn stop(&mut self) -> Vec<Action> {
        if self.stopping().is_some() {
            return vec![Action::Exit(Ending::Abandoned)];
        }
        self.overlay = Overlay::Stopping { since: self.now };
        vec![Action::Stop]
    }

    fn show(&mut self, screen: Screen) {
        self.screen = screen;
        self.scroll = 0;
    }
}

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
            app.jobs.submitted(id, root);
            app.exports.submitted(id, keep_tree);
            Vec::new()
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
        Msg::Signal(signal) => {
            app.stop_signal.get_or_insert(signal);
            app.stop()
        }
    };
    app.dirty |= visible;
    actions
}

/// The clock; true when something shown changed.
fn tick(app: &mut App, now: Instant, workers: Vec<WorkerStatus>) -> bool {
    app.now = now;
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
    // Elapsed times and stuck-worker timers move while anything runs.
    changed || app.is_busy() || app.stopping().is_some()
}

fn scan_event(app: &mut App, event: ScanEvent) -> Vec<Action> {
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
        ScanEvent::JobFinished(end) => app.exports.job_finished(&end),
        ScanEvent::Stopped if app.stopping().is_some() => vec![Action::Exit(Ending::Joined)],
        _ => Vec::new(),
    }
}

fn root_checked(app: &mut App, input: &str, result: Result<PathBuf, String>) -> Vec<Action> {
    let already = match &result {
        Ok(root) => app.jobs.is_queued_or_scanning(root),
        Err(_) => false,
    };
    let keep_tree = app.exports.next_keeps_tree();
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
    let Purpose::Export { job, .. } = *prompt.purpose() else {
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
        Some(record) => app.exports.start(record, path, overwrite),
        None => Vec::new(),
    }
}

fn key_event(app: &mut App, key: KeyEvent) -> Vec<Action> {
    let context = app.context();
    match keymap::command(context, &key) {
        Some(command) => run(app, context, command),
        None => {
            if let Some(prompt) = app.prompt_mut() {
                prompt.edit(key);
            }
            Vec::new()
        }
    }
}

/// What a command does in the context it was given in.
fn run(app: &mut App, context: Context, command: Command) -> Vec<Action> {
    match command {
        Command::Quit => return app.stop(),
        Command::Help => app.overlay = Overlay::Help { from: context },
        Command::CloseHelp | Command::ClosePrompt => app.overlay = Overlay::None,
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
        Command::Open => {
            if let Some(job) = app.jobs.selected_job() {
                let id = job.id;
                app.show(Screen::Detail(id));
            }
        }
        Command::Back => app.show(Screen::Dashboard),
        Command::CancelJob => {
            if let Some(job) = shown_job(app) {
                return app.jobs.cancel(job);
            }
        }
        Command::Export => {
            if let Some(job) = shown_job(app).and_then(|id| app.jobs.tally().job(id)) {
                app.overlay = Overlay::Prompt(app.exports.ask(job));
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
        Screen::Detail(job) => Some(job),
        Screen::Dashboard | Screen::Errors => app.jobs.selected_job().map(|j| j.id),
    }
}

fn submit_prompt(app: &mut App) -> Vec<Action> {
    let Some(prompt) = app.prompt_mut() else {
        return Vec::new();
    };
    if let Some(why) = prompt.blank_refusal() {
        prompt.refuse(why.to_owned());
        return Vec::new();
    }
    let text = prompt.value().to_owned();
    match prompt.purpose() {
        Purpose::AddRoot => vec![Action::CheckRoot(text)],
        Purpose::Export { .. } => vec![Action::CheckExport(text)],
    }
}

/// Moving keys: the selection on the dashboard, the scroll of a list.
fn navigate(app: &mut App, command: Command) {
    let len = match app.screen {
        Screen::Dashboard => return app.jobs.navigate(command),
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

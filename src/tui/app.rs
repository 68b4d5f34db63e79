//! The dashboard's state, and the one place it changes: `update`, which takes
//! a message (a key, a scan event, a clock tick, the result of an effect) and
//! returns the effects the runtime must perform. No I/O happens here.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::prompt::{Prompt, PromptKey};
pub use super::rates::{HISTORY_SECONDS, Rates};
use super::theme::Theme;
use crate::report::{ErrorRecord, Tally, text};
use crate::scan::{JobId, JobState, ScanEvent, WorkerState, WorkerStatus};

/// A worker this long in one directory is shown as stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(2);
/// Errors kept for the error list; older ones are dropped.
pub const RECENT_ERRORS: usize = 10_000;
/// How long a stop may take before the dashboard says what it waits for.
pub const STOP_QUIET_FOR: Duration = Duration::from_millis(100);
/// How long a notice stays up.
const NOTICE_FOR: Duration = Duration::from_secs(15);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    /// One job's totals and errors.
    Detail(JobId),
    /// Every recent error.
    Errors,
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
    /// The result of `Action::CheckRoot` for the text `input`.
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
    /// The result of `Action::CheckExport` for the text `input`.
    ExportChecked {
        input: String,
        result: Result<PathBuf, ExportRefusal>,
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
    Exit(Exit),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Every worker has left; join them.
    Joined,
    /// Asked twice: leave without waiting for workers.
    Abandoned,
}

/// Why an export file name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportRefusal {
    /// The file exists: a second Enter replaces it.
    Exists(PathBuf),
    Invalid(String),
}

/// What the prompt is asking for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asking {
    Root,
    /// A file to export this job's tree to.
    ExportOf(JobId),
}

/// Where an export of a job stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub path: PathBuf,
    pub overwrite: bool,
    pub state: ExportState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportState {
    /// The job is still scanning (keeping its tree).
    Waiting,
    Writing,
    Written,
    Failed(String),
}

/// A message shown above the footer for a while.
#[derive(Clone, Debug)]
pub struct Notice {
    pub text: String,
    pub at: Instant,
}

pub struct App {
    pub tally: Tally,
    /// Workers the pool runs (the target; retiring ones may linger).
    pub threads: usize,
    pub workers: Vec<WorkerStatus>,
    pub screen: Screen,
    /// The prompt, when open, and what it asks for.
    pub prompt: Option<Prompt>,
    pub asking: Asking,
    /// The file name last refused because it exists: Enter on it again
    /// replaces it.
    confirm_overwrite: Option<PathBuf>,
    /// Exports asked for, by job (a rescan's job, when the first scan did
    /// not keep its tree).
    pub exports: BTreeMap<JobId, Export>,
    /// The export for the next job submitted to keep its tree: `--export
    /// FILE` without a DIR, or a rescan for an export.
    pub export_next: Option<(PathBuf, bool)>,
    /// Jobs that keep their tree.
    pub keeping_tree: HashSet<JobId>,
    /// `--force`: exports may replace files without asking.
    pub force: bool,
    pub help: bool,
    /// Index into `tally.jobs`.
    pub selected: usize,
    /// First line shown of the error list (and of a job's errors).
    pub scroll: usize,
    pub paused: bool,
    /// When `q` was pressed.
    pub stopping: Option<Instant>,
    /// The signal that stopped the dashboard, for the exit code.
    pub stop_signal: Option<i32>,
    pub cancelling: HashSet<JobId>,
    /// The latest errors, the newest last.
    pub recent_errors: VecDeque<ErrorRecord>,
    /// Errors per job kept in `recent_errors`, for the detail screen.
    pub errors_by_job: BTreeMap<JobId, u64>,
    pub notice: Option<Notice>,
    pub rates: Rates,
    pub now: Instant,
    pub theme: Theme,
    /// Something visible changed since the last frame.
    pub dirty: bool,
}

impl App {
    pub fn new(threads: usize, started: Instant, theme: Theme) -> App {
        App {
            tally: Tally::new(started),
            threads,
            workers: Vec::new(),
            screen: Screen::Dashboard,
            prompt: None,
            asking: Asking::Root,
            confirm_overwrite: None,
            exports: BTreeMap::new(),
            export_next: None,
            keeping_tree: HashSet::new(),
            force: false,
            help: false,
            selected: 0,
            scroll: 0,
            paused: false,
            stopping: None,
            stop_signal: None,
            cancelling: HashSet::new(),
            recent_errors: VecDeque::new(),
            errors_by_job: BTreeMap::new(),
            notice: None,
            rates: Rates::default(),
            now: started,
            theme,
            dirty: true,
        }
    }

    pub fn open_prompt(&mut self) {
        if self.prompt.is_none() || self.asking != Asking::Root {
            self.prompt = Some(Prompt::default());
        }
        self.asking = Asking::Root;
    }

    /// Opens the prompt for an export of `job`, with a file name to edit.
    fn ask_export(&mut self, job: JobId) {
        let name = self
            .tally
            .job(job)
            .and_then(|j| j.root.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "root".to_owned());
        self.prompt = Some(Prompt::with_value(format!("{name}.ncdu.json")));
        self.asking = Asking::ExportOf(job);
        self.confirm_overwrite = None;
    }

    /// Starts the export of `job` to `path`: now if its tree is complete,
    /// when it ends if it is keeping one, else by scanning it again.
    fn export(&mut self, job: JobId, path: PathBuf, overwrite: bool) -> Vec<Action> {
        let Some(record) = self.tally.job(job) else {
            return Vec::new();
        };
        let export = Export {
            path: path.clone(),
            overwrite,
            state: ExportState::Waiting,
        };
        if record.tree.is_some() {
            self.exports.insert(
                job,
                Export {
                    state: ExportState::Writing,
                    ..export
                },
            );
            return vec![Action::WriteExport {
                job,
                path,
                overwrite,
            }];
        }
        if self.keeping_tree.contains(&job) && !record.state.is_finished() {
            self.exports.insert(job, export);
            return Vec::new();
        }
        // The tree was not kept: scan the root again, keeping it this time.
        self.export_next = Some((path, overwrite));
        vec![Action::Submit {
            root: record.root.to_path_buf(),
            keep_tree: true,
        }]
    }

    pub fn selected_job(&self) -> Option<JobId> {
        self.tally.jobs.get(self.selected).map(|j| j.id)
    }

    /// Queued or being scanned.
    pub fn is_busy(&self) -> bool {
        self.tally.jobs.iter().any(|j| !j.state.is_finished())
    }

    /// What the header says the dashboard is doing.
    pub fn activity(&self) -> &'static str {
        if self.stopping.is_some() {
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
        let since = self.stopping?;
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

    fn is_queued_or_scanning(&self, root: &Path) -> bool {
        self.tally
            .jobs
            .iter()
            .any(|j| &*j.root == root && !j.state.is_finished())
    }

    fn stop(&mut self) -> Vec<Action> {
        if self.stopping.is_some() {
            return vec![Action::Exit(Exit::Abandoned)];
        }
        self.stopping = Some(self.now);
        self.prompt = None;
        self.help = false;
        vec![Action::Stop]
    }

    fn select(&mut self, index: usize) {
        self.selected = index.min(self.tally.jobs.len().saturating_sub(1));
    }
}

/// Applies one message; returns the effects to perform.
pub fn update(app: &mut App, msg: Msg) -> Vec<Action> {
    match msg {
        Msg::Tick { now, workers } => {
            let changed = tick(app, now, workers);
            app.dirty |= changed;
            Vec::new()
        }
        Msg::Scan(event) => {
            app.dirty = true;
            scan_event(app, event)
        }
        Msg::Key(key) => {
            app.dirty = true;
            key_event(app, key)
        }
        Msg::Paste(text) => {
            if let Some(prompt) = &mut app.prompt {
                prompt.paste(&text);
                app.dirty = true;
            }
            Vec::new()
        }
        Msg::Resize => {
            app.dirty = true;
            Vec::new()
        }
        Msg::RootChecked { input, result } => {
            app.dirty = true;
            let Some(prompt) = &mut app.prompt else {
                return Vec::new();
            };
            if prompt.value() != input || app.asking != Asking::Root {
                return Vec::new(); // typed on meanwhile
            }
            match result {
                Err(message) => prompt.refuse(message),
                Ok(root) if app.is_queued_or_scanning(&root) => {
                    let message = format!("already queued: {}", text::path(&root));
                    if let Some(prompt) = &mut app.prompt {
                        prompt.refuse(message);
                    }
                }
                Ok(root) => {
                    app.prompt = None;
                    let keep_tree = app.export_next.is_some();
                    return vec![Action::Submit { root, keep_tree }];
                }
            }
            Vec::new()
        }
        Msg::Submitted {
            id,
            root,
            keep_tree,
        } => {
            app.dirty = true;
            app.tally.submitted(id, root);
            if keep_tree {
                app.keeping_tree.insert(id);
                if let Some((path, overwrite)) = app.export_next.take() {
                    app.exports.insert(
                        id,
                        Export {
                            path,
                            overwrite,
                            state: ExportState::Waiting,
                        },
                    );
                }
            }
            Vec::new()
        }
        Msg::ExportChecked { input, result } => {
            app.dirty = true;
            let (Some(prompt), Asking::ExportOf(job)) = (&mut app.prompt, app.asking) else {
                return Vec::new();
            };
            if prompt.value() != input {
                return Vec::new();
            }
            let (path, overwrite) = match result {
                Ok(path) => (path, app.force),
                Err(ExportRefusal::Exists(path))
                    if app.force || app.confirm_overwrite.as_ref() == Some(&path) =>
                {
                    (path, true)
                }
                Err(ExportRefusal::Exists(path)) => {
                    prompt.refuse(format!(
                        "{} exists: Enter again to replace it",
                        text::path(&path)
                    ));
                    app.confirm_overwrite = Some(path);
                    return Vec::new();
                }
                Err(ExportRefusal::Invalid(message)) => {
                    prompt.refuse(message);
                    return Vec::new();
                }
            };
            app.prompt = None;
            app.asking = Asking::Root;
            app.export(job, path, overwrite)
        }
        Msg::Exported { job, path, result } => {
            app.dirty = true;
            let root = app
                .tally
                .job(job)
                .map(|j| text::path(&j.root).into_owned())
                .unwrap_or_default();
            let (state, text) = match result {
                Ok(()) => (
                    ExportState::Written,
                    format!("exported {root} to {}", text::path(&path)),
                ),
                Err(e) => (
                    ExportState::Failed(e.clone()),
                    format!("export of {root} to {} failed: {e}", text::path(&path)),
                ),
            };
            if let Some(export) = app.exports.get_mut(&job) {
                export.state = state;
            }
            app.notice = Some(Notice { text, at: app.now });
            Vec::new()
        }
        Msg::Completions { typed, names } => {
            if let Some(prompt) = &mut app.prompt {
                prompt.complete(&typed, names);
                app.dirty = true;
            }
            Vec::new()
        }
        Msg::Threads(n) => {
            app.threads = n;
            app.dirty = true;
            Vec::new()
        }
        Msg::Signal(signal) => {
            app.dirty = true;
            app.stop_signal.get_or_insert(signal);
            app.stop()
        }
    }
}

fn tick(app: &mut App, now: Instant, workers: Vec<WorkerStatus>) -> bool {
    app.now = now;
    let mut changed = app.rates.sample(now, &app.tally);
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
    changed || app.is_busy() || app.stopping.is_some()
}

fn scan_event(app: &mut App, event: ScanEvent) -> Vec<Action> {
    app.tally.apply(&event);
    match event {
        ScanEvent::Error(error) => {
            if app.recent_errors.len() == RECENT_ERRORS
                && let Some(old) = app.recent_errors.pop_front()
                && let Some(n) = app.errors_by_job.get_mut(&old.job)
            {
                *n -= 1;
            }
            *app.errors_by_job.entry(error.job).or_default() += 1;
            app.recent_errors.push_back(ErrorRecord {
                job: error.job,
                path: error.path,
                reason: error.error.to_string(),
            });
        }
        ScanEvent::WorkerPanicked {
            worker,
            dir,
            message,
            ..
        } => {
            app.notice = Some(Notice {
                text: format!(
                    "worker {worker} failed in {} ({message}); that directory is counted as an error and the scan goes on",
                    text::path(&dir)
                ),
                at: app.now,
            });
        }
        ScanEvent::JobFinished(end) => {
            app.cancelling.remove(&end.job);
            if let Some(export) = app.exports.get_mut(&end.job)
                && export.state == ExportState::Waiting
                && end.tree.is_some()
            {
                export.state = ExportState::Writing;
                return vec![Action::WriteExport {
                    job: end.job,
                    path: export.path.clone(),
                    overwrite: export.overwrite,
                }];
            }
        }
        ScanEvent::Stopped if app.stopping.is_some() => {
            return vec![Action::Exit(Exit::Joined)];
        }
        _ => {}
    }
    Vec::new()
}

fn key_event(app: &mut App, key: KeyEvent) -> Vec<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return app.stop();
    }
    if app.help {
        match key.code {
            KeyCode::Char('q') => return app.stop(),
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => app.help = false,
            _ => {}
        }
        return Vec::new();
    }
    if let Some(prompt) = &mut app.prompt {
        return match prompt.handle_key(key) {
            PromptKey::Submit(text) => match app.asking {
                Asking::Root => vec![Action::CheckRoot(text)],
                Asking::ExportOf(_) => vec![Action::CheckExport(text)],
            },
            PromptKey::Complete(text) => vec![Action::Complete(text)],
            PromptKey::Close => {
                app.prompt = None;
                app.asking = Asking::Root;
                Vec::new()
            }
            PromptKey::Edited | PromptKey::Ignored => Vec::new(),
        };
    }
    match key.code {
        KeyCode::Char('q') => return app.stop(),
        KeyCode::Char('?') => app.help = true,
        _ if app.stopping.is_some() => {}
        _ => match app.screen {
            Screen::Dashboard => return dashboard_key(app, key),
            Screen::Detail(job) => return detail_key(app, job, key),
            Screen::Errors => list_key(app, key, app.recent_errors.len()),
        },
    }
    Vec::new()
}

fn dashboard_key(app: &mut App, key: KeyEvent) -> Vec<Action> {
    let jobs = app.tally.jobs.len();
    match key.code {
        KeyCode::Char('a') => app.open_prompt(),
        KeyCode::Up | KeyCode::Char('k') => app.select(app.selected.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => app.select(app.selected + 1),
        KeyCode::PageUp => app.select(app.selected.saturating_sub(10)),
        KeyCode::PageDown => app.select(app.selected + 10),
        KeyCode::Home | KeyCode::Char('g') => app.select(0),
        KeyCode::End | KeyCode::Char('G') => app.select(jobs.saturating_sub(1)),
        KeyCode::Enter => {
            if let Some(job) = app.selected_job() {
                app.screen = Screen::Detail(job);
                app.scroll = 0;
            }
        }
        KeyCode::Char('x') => {
            if let Some(job) = app.selected_job() {
                return cancel(app, job);
            }
        }
        KeyCode::Char('e') => {
            if let Some(job) = app.selected_job() {
                app.ask_export(job);
            }
        }
        KeyCode::Char('p') => {
            app.paused = !app.paused;
            return vec![if app.paused {
                Action::Pause
            } else {
                Action::Resume
            }];
        }
        KeyCode::Char('+') | KeyCode::Char('=') => {
            return vec![Action::SetThreads(app.threads + 1)];
        }
        KeyCode::Char('-') if app.threads > 1 => {
            return vec![Action::SetThreads(app.threads - 1)];
        }
        KeyCode::Char('l') => {
            app.screen = Screen::Errors;
            // Open at the newest errors.
            app.scroll = app.recent_errors.len().saturating_sub(1);
        }
        _ => {}
    }
    Vec::new()
}

fn cancel(app: &mut App, job: JobId) -> Vec<Action> {
    let running = app
        .tally
        .job(job)
        .is_some_and(|j| matches!(j.state, JobState::Queued | JobState::Scanning));
    if running && app.cancelling.insert(job) {
        return vec![Action::Cancel(job)];
    }
    Vec::new()
}

fn detail_key(app: &mut App, job: JobId, key: KeyEvent) -> Vec<Action> {
    match key.code {
        KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => {
            app.screen = Screen::Dashboard;
        }
        KeyCode::Char('x') => return cancel(app, job),
        KeyCode::Char('e') => app.ask_export(job),
        _ => {
            let errors = app.errors_by_job.get(&job).copied().unwrap_or(0) as usize;
            list_key(app, key, errors);
        }
    }
    Vec::new()
}

/// Scrolling keys of a list of `len` lines; Esc goes back.
fn list_key(app: &mut App, key: KeyEvent, len: usize) {
    let last = len.saturating_sub(1);
    app.scroll = match key.code {
        KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => {
            app.screen = Screen::Dashboard;
            return;
        }
        KeyCode::Up | KeyCode::Char('k') => app.scroll.min(last).saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => app.scroll + 1,
        KeyCode::PageUp => app.scroll.min(last).saturating_sub(10),
        KeyCode::PageDown => app.scroll + 10,
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => last,
        _ => app.scroll,
    }
    .min(last);
}

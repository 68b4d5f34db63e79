//! The dashboard's state, and the one place it changes: `update`, which takes
//! a message (a key, a scan event, a clock tick, the answer to an action)
//! and returns the actions the runtime must perform. No I/O happens here.
//!
//! The state is a few sub-models, each with its own file and its own part
//! of the update: the jobs and the selection (`jobs`), the exports
//! (`exports`), the prompt with what it asks for (`prompt`); one `Overlay`
//! says what has the keys, and the keymap says what a key does there.

mod browse;
mod browser;
mod deletion;
mod exports;
mod history;
mod jobs;
mod marks;
mod message;
mod prompt;
mod update;

use std::time::{Duration, Instant};

use super::keymap::Context;
pub use super::rates::{HISTORY_SECONDS, Rates};
use super::theme::Theme;
use crate::report::Tally;
use crate::scan::{JobId, JobState, WorkerState, WorkerStatus};
pub use crate::session::Ending;
pub use browser::{Browser, Click, Drawn, EarlierDir};
pub use deletion::{Confirm, Deletions, Report, Running, describe};
pub use exports::{Export, ExportState, Exports};
pub use history::Past;
pub use jobs::Jobs;
pub use marks::{Mark, Marked, Marks};
pub use message::{Action, Msg};
pub use prompt::{CANDIDATES_SHOWN, Prompt, Purpose};
pub use update::update;

/// A worker this long in one directory is shown as stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(2);
/// How long a stop may take before the dashboard says what it waits for.
pub const STOP_QUIET_FOR: Duration = Duration::from_millis(100);
/// Lines a page key scrolls.
pub(crate) const PAGE: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    /// One job's tree.
    Browser(JobId),
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
    /// What a deletion will remove: `y` starts it, any other key cancels.
    Confirm(Confirm),
    /// `q` was pressed at `since`; only a second `q` is heard.
    Stopping {
        since: Instant,
    },
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
    /// The browser of the job last browsed.
    browser: Option<Browser>,
    /// Jobs keep their tree (`--no-tree` turns it off).
    keep_trees: bool,
    marks: Marks,
    deletions: Deletions,
    /// The history: baselines, what was recorded.
    past: Past,
    /// `--read-only`: nothing is deleted.
    read_only: bool,
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
    /// The large file selected in a job's statistics.
    largest: usize,
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
            browser: None,
            keep_trees: true,
            marks: Marks::default(),
            deletions: Deletions::default(),
            past: Past::default(),
            read_only: false,
            screen: Screen::Dashboard,
            overlay: Overlay::None,
            threads,
            workers: Vec::new(),
            paused: false,
            stop_signal: None,
            scroll: 0,
            largest: 0,
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

    /// `--no-tree`: jobs keep no tree (exports still do).
    pub fn without_trees(mut self) -> App {
        self.keep_trees = false;
        self
    }

    /// Scans are recorded in the history and measured against it.
    pub fn with_history(mut self) -> App {
        self.past = Past::enabled();
        self
    }

    /// `--read-only`: deleting and trashing are off.
    pub fn read_only(mut self) -> App {
        self.read_only = true;
        self
    }

    /// Whether the next job submitted keeps its tree.
    pub fn next_keeps_tree(&self) -> bool {
        self.keep_trees || self.exports.next_keeps_tree()
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

    /// The large file selected in a job's statistics.
    pub fn largest_selected(&self) -> usize {
        self.largest
    }

    pub fn browser(&self) -> Option<&Browser> {
        self.browser.as_ref()
    }

    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    pub fn deletions(&self) -> &Deletions {
        &self.deletions
    }

    pub fn past(&self) -> &Past {
        &self.past
    }

    /// A tree read from an export, as job `id`.
    pub fn imported(&mut self, id: JobId, imported: crate::import::Imported) {
        self.jobs.imported(id, imported, self.now);
    }

    /// Every job that ended and was not sent to be recorded yet (at the
    /// end, for the jobs a stop ended without their last event).
    pub fn record_ended(&mut self) -> Vec<Action> {
        let ended: Vec<JobId> = self
            .tally()
            .jobs
            .iter()
            // An import is not a scan of this machine.
            .filter(|job| job.state.is_finished() && job.state != JobState::Imported)
            .map(|job| job.id)
            .collect();
        ended
            .into_iter()
            .flat_map(|job| self.past.ended(job))
            .collect()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether `--no-tree` turned the trees off.
    pub fn keeps_trees(&self) -> bool {
        self.keep_trees
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
            Overlay::Confirm(_) => Context::Confirm,
            Overlay::None => match self.screen {
                Screen::Dashboard => Context::Dashboard,
                Screen::Browser(_) => Context::Browser,
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
        self.largest = 0;
    }
}

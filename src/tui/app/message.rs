//! What goes into `update` (messages: keys, scan events, the clock, the
//! answers to actions) and what comes out (actions for the runtime).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::delete::{DeleteEvent, Mode, Target};
use crate::history::Baseline;
use crate::report::ncdu::TargetError;
use crate::scan::{JobId, ScanEvent, WorkerStatus};
use crate::session::Ending;
use crate::tree::Node;

/// Inputs to `update`.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
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
    /// What the deletion's threads said.
    Deletion(DeleteEvent),
    /// The deletion removed this many entries so far.
    DeletionProgress(u64),
    /// The answer to `Action::Remeasure`: the scan `sub` of what was left.
    Remeasuring {
        job: JobId,
        node: Node,
        sub: JobId,
        path: PathBuf,
    },
    /// The answer to `Action::LoadBaseline`: `job`'s last complete scan,
    /// or, none being recorded, the used inodes of the filesystem mounted
    /// at its root.
    Expected {
        job: JobId,
        baseline: Option<Arc<Baseline>>,
        inodes: Option<u64>,
    },
    /// The history file could not be used.
    HistoryFailed(String),
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
        /// The directory exported: the root, or the one browsed.
        node: Node,
        path: PathBuf,
        overwrite: bool,
    },
    Cancel(JobId),
    Pause,
    Resume,
    SetThreads(usize),
    /// Delete (or trash) these targets of `job`'s tree, answering with
    /// `Deletion` events and `DeletionProgress`.
    StartDeletion {
        job: JobId,
        mode: Mode,
        targets: Vec<Target>,
    },
    /// Stop the deletion between two entries.
    StopDeletion,
    /// Scan `path` again (directory `node` of `job`, which a deletion left
    /// something in) and answer `Remeasuring`.
    Remeasure {
        job: JobId,
        node: Node,
        path: PathBuf,
    },
    /// Find what `job` is measured against and answer `Expected`.
    LoadBaseline {
        job: JobId,
        root: Arc<Path>,
    },
    /// Record `job`, which ended, in the history.
    Record {
        job: JobId,
    },
    /// Set the stop flag.
    Stop,
    /// Leave the dashboard.
    Exit(Ending),
}

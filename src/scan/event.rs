//! What the engine tells its consumer: identifiers, count totals and the
//! events that carry them out of the worker threads.

use std::fmt;
use std::ops::AddAssign;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::error::ScanError;
use super::listing::Listing;
use super::stats::JobStats;

/// One submitted root. Ids start at 1 and are never reused within a scanner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u32);

/// One worker thread. Ids are dense from 0; a retired id is reused when the
/// pool grows again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkerId(pub usize);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for WorkerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Counts for one job, as the README's "What is counted" defines them
/// (the rules are in `classify`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Regular files, every hard link counted.
    pub files: u64,
    /// Directories below the root.
    pub dirs: u64,
    /// Symbolic links (not followed unless `-L`).
    pub symlinks: u64,
    /// Sockets, FIFOs and devices.
    pub other: u64,
    /// Sum of the apparent sizes of regular files.
    pub bytes: u64,
    /// Allocated size of every inode once, directories and the root included.
    pub disk_bytes: u64,
    /// Entries or directories that could not be read or stat'ed.
    pub errors: u64,
    /// Directories not entered because they are on another filesystem (`-x`).
    pub skipped_dirs: u64,
}

impl Totals {
    /// Every entry counted, whatever its kind.
    pub fn entries(&self) -> u64 {
        self.files + self.dirs + self.symlinks + self.other
    }
}

impl Totals {
    /// `self` without `other` (what a deletion took out); never below zero.
    pub fn without(&self, other: &Totals) -> Totals {
        Totals {
            files: self.files.saturating_sub(other.files),
            dirs: self.dirs.saturating_sub(other.dirs),
            symlinks: self.symlinks.saturating_sub(other.symlinks),
            other: self.other.saturating_sub(other.other),
            bytes: self.bytes.saturating_sub(other.bytes),
            disk_bytes: self.disk_bytes.saturating_sub(other.disk_bytes),
            errors: self.errors.saturating_sub(other.errors),
            skipped_dirs: self.skipped_dirs.saturating_sub(other.skipped_dirs),
        }
    }
}

impl AddAssign for Totals {
    fn add_assign(&mut self, rhs: Totals) {
        self.files += rhs.files;
        self.dirs += rhs.dirs;
        self.symlinks += rhs.symlinks;
        self.other += rhs.other;
        self.bytes += rhs.bytes;
        self.disk_bytes += rhs.disk_bytes;
        self.errors += rhs.errors;
        self.skipped_dirs += rhs.skipped_dirs;
    }
}

/// How a job ended (or where it is, for consumers that track it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobState {
    Queued,
    Scanning,
    Done,
    Cancelled,
    /// The whole scan was stopped before the job finished.
    Stopped,
    /// The root could not be read.
    Failed,
    /// Read from an export (`-f`), not scanned.
    Imported,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Scanning => "scanning",
            JobState::Done => "done",
            JobState::Cancelled => "cancelled",
            JobState::Stopped => "stopped",
            JobState::Failed => "failed",
            JobState::Imported => "imported",
        }
    }

    pub fn is_finished(self) -> bool {
        !matches!(self, JobState::Queued | JobState::Scanning)
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A coalesced batch of one worker's work on one job.
#[derive(Clone, Debug)]
pub struct Progress {
    pub worker: WorkerId,
    pub job: JobId,
    /// The directory the worker was reading when it flushed.
    pub dir: Arc<Path>,
    /// Count deltas for `job` since the worker's previous flush.
    pub delta: Totals,
    /// Directories this worker finished reading in this batch.
    pub dirs_read: u64,
    /// Entries this worker looked at in this batch (excluded ones included).
    pub entries: u64,
    /// The files of this batch: largest, per extension, by size, by age.
    pub stats: Box<JobStats>,
    /// The listings of the directories read in this batch (pieces of the
    /// one being read), when the job keeps its tree: exactly the entries
    /// `delta` counts.
    pub listings: Vec<Listing>,
}

/// A batch of regular files found. Paths sent but not yet dropped by the
/// consumer are bounded: when a reader of `--list` is slow, workers wait for
/// it instead of piling paths up in memory.
#[derive(Debug)]
pub struct FileList {
    pub job: JobId,
    pub paths: Vec<PathBuf>,
    pub(crate) _in_flight: InFlight,
}

/// Counts paths in flight while alive; dropping the batch releases them.
#[derive(Debug)]
pub(crate) struct InFlight {
    pub(crate) counter: Arc<AtomicUsize>,
    pub(crate) paths: usize,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.counter.fetch_sub(self.paths, Ordering::Release);
    }
}

/// The final word on one job: sent exactly once, after all of its progress.
#[derive(Clone, Debug)]
pub struct JobEnd {
    pub job: JobId,
    pub state: JobState,
    pub totals: Totals,
    pub elapsed: Duration,
    pub stats: Box<JobStats>,
}

#[derive(Debug)]
pub enum ScanEvent {
    /// A worker picked up the job's root directory.
    JobStarted {
        job: JobId,
        at: Instant,
    },
    Progress(Progress),
    /// Regular files found, only when `Options::list_files` is on.
    Files(FileList),
    Error(ScanError),
    JobFinished(JobEnd),
    /// A worker panicked while reading `dir`; that directory is counted as an
    /// error of its job (`Cause::WorkerPanic`) and the worker carries on.
    WorkerPanicked {
        worker: WorkerId,
        job: JobId,
        dir: Arc<Path>,
        message: String,
    },
    /// Every worker has left after a stop; no more events will follow.
    Stopped,
}

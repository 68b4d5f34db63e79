//! One submitted root, as the workers share it: its pending-directory counter
//! (the worker that takes it to zero announces the end), its running totals,
//! and the inode sets that make disk usage count every inode once.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use super::classify::Sightings;
use super::event::{JobEnd, JobId, JobState, Totals};
use super::stats::JobStats;

pub(crate) struct Job {
    pub(crate) id: JobId,
    pub(crate) root: Arc<Path>,
    /// Directories queued or being read whose results are not yet flushed.
    pending_dirs: AtomicU64,
    cancelled: AtomicBool,
    root_failed: AtomicBool,
    finished: AtomicBool,
    /// The root's device, for `-x`; set by the worker that opens the root,
    /// before any child directory is queued.
    root_dev: OnceLock<u64>,
    started: OnceLock<Instant>,
    /// The sum of every flushed delta.
    totals: Mutex<Totals>,
    /// Inodes already counted in `disk_bytes`: hard-linked files, and every
    /// inode when following links.
    counted_inodes: Mutex<HashSet<(u64, u64)>>,
    /// Directories entered, when following links (each is entered once).
    entered_dirs: Mutex<HashSet<(u64, u64)>>,
    /// The merge of every flushed batch's statistics.
    stats: Mutex<JobStats>,
    /// `stats`' smallest kept large file: workers skip files below it.
    largest_floor: AtomicU64,
    /// Listings are sent for its tree (of its directories only).
    keeps_tree: bool,
    dirs_only: bool,
    /// The next node id for a directory of its tree (the root is 0).
    next_node: AtomicU32,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Counters and sets stay valid whatever a panicking holder left behind.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Job {
    /// A job whose root directory is pending.
    pub(crate) fn new(id: JobId, root: Arc<Path>, options: super::JobOptions) -> Job {
        Job {
            stats: Mutex::new(JobStats::default()),
            largest_floor: AtomicU64::new(0),
            keeps_tree: options.keep_tree,
            dirs_only: options.dirs_only,
            next_node: AtomicU32::new(1),
            id,
            root,
            pending_dirs: AtomicU64::new(1),
            cancelled: AtomicBool::new(false),
            root_failed: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            root_dev: OnceLock::new(),
            started: OnceLock::new(),
            totals: Mutex::new(Totals::default()),
            counted_inodes: Mutex::new(HashSet::new()),
            entered_dirs: Mutex::new(HashSet::new()),
        }
    }

    pub(crate) fn keeps_tree(&self) -> bool {
        self.keeps_tree
    }

    pub(crate) fn lists_dirs_only(&self) -> bool {
        self.dirs_only
    }

    /// A node id for a directory about to be queued.
    pub(crate) fn new_node(&self) -> u32 {
        self.next_node.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub(crate) fn fail_root(&self) {
        self.root_failed.store(true, Ordering::Relaxed);
    }

    /// Records the start; true the first time only.
    pub(crate) fn start(&self, at: Instant) -> bool {
        self.started.set(at).is_ok()
    }

    pub(crate) fn set_root_dev(&self, dev: u64) {
        let _ = self.root_dev.set(dev);
    }

    pub(crate) fn root_dev(&self) -> Option<u64> {
        self.root_dev.get().copied()
    }

    /// Call before queueing `n` more directories of this job.
    pub(crate) fn add_pending(&self, n: u64) {
        self.pending_dirs.fetch_add(n, Ordering::Relaxed);
    }

    /// Folds a batch's statistics in; returns the new floor for large files.
    pub(crate) fn merge_stats(&self, batch: &JobStats) -> u64 {
        let mut stats = lock(&self.stats);
        stats.merge(batch);
        let floor = stats.largest_floor();
        self.largest_floor.store(floor, Ordering::Relaxed);
        floor
    }

    pub(crate) fn largest_floor(&self) -> u64 {
        self.largest_floor.load(Ordering::Relaxed)
    }

    /// Folds a flushed delta in and retires `dirs` finished directories.
    /// True when that was the last pending directory: the job is complete.
    pub(crate) fn complete(&self, delta: &Totals, dirs: u64) -> bool {
        *lock(&self.totals) += *delta;
        // AcqRel: whoever sees zero sees every other worker's totals too.
        dirs > 0 && self.pending_dirs.fetch_sub(dirs, Ordering::AcqRel) == dirs
    }

    /// Claims the right to announce the end; true for exactly one caller.
    pub(crate) fn claim_end(&self) -> bool {
        !self.finished.swap(true, Ordering::AcqRel)
    }

    /// The end of the job, as announced in `JobFinished`.
    pub(crate) fn end(&self, stopped: bool) -> JobEnd {
        let state = if self.root_failed.load(Ordering::Relaxed) {
            JobState::Failed
        } else if self.is_cancelled() {
            JobState::Cancelled
        } else if stopped {
            JobState::Stopped
        } else {
            JobState::Done
        };
        JobEnd {
            job: self.id,
            state,
            totals: *lock(&self.totals),
            elapsed: self.started.get().map_or(Duration::ZERO, Instant::elapsed),
            stats: Box::new(lock(&self.stats).clone()),
        }
    }
}

impl Sightings for Job {
    fn first_sighting(&self, dev: u64, ino: u64) -> bool {
        lock(&self.counted_inodes).insert((dev, ino))
    }

    fn first_entry(&self, dev: u64, ino: u64) -> bool {
        lock(&self.entered_dirs).insert((dev, ino))
    }
}

//! The scan engine: a pool of worker threads that share the directories of
//! every submitted root. No UI and no printing; everything it finds leaves
//! through one channel of [`ScanEvent`]s.

mod batch;
mod board;
mod classify;
mod dir;
mod error;
mod event;
#[cfg(feature = "fault-injection")]
mod fault;
mod filter;
mod job;
pub mod listing;
mod outbox;
mod pool;
mod queue;
mod skip;
mod stats;
mod task;
mod visit;
mod worker;

#[cfg(feature = "fault-injection")]
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once};

use crossbeam_channel::Receiver;

pub use board::{WorkerState, WorkerStatus};
pub use error::{Cause, ScanError};
pub use event::{FileList, JobEnd, JobId, JobState, Progress, ScanEvent, Totals, WorkerId};
pub use filter::Exclude;
pub use pool::MAX_THREADS;
pub use skip::CACHEDIR_SIGNATURE;
pub use stats::{
    EXTENSIONS_LISTED, EXTENSIONS_TRACKED, ExtKey, ExtMap, ExtTotals, HISTOGRAM_BUCKETS, JobStats,
    LARGEST_KEPT, LargeFile, bucket, bucket_limits, extension_of,
};

use outbox::Outbox;
use pool::Shared;

/// Worker threads are named this, then their id.
pub const WORKER_THREAD_PREFIX: &str = "dirdash-worker-";

/// Worker threads when none are asked for. A cold-cache scan waits on the
/// disk, and more requests in flight finish it sooner (2 cores, 1M files:
/// 16 threads 4.0 s, 2 threads 8.1 s), while a warm scan costs the same with
/// either; so use plenty, more on bigger machines.
pub fn default_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores * 2).clamp(16, 64)
}

#[derive(Clone, Debug)]
pub struct Options {
    pub threads: usize,
    /// `-L`: follow symbolic links, entering each directory once.
    pub follow_links: bool,
    /// `-x`: do not enter directories on another filesystem than the root.
    pub one_file_system: bool,
    pub exclude: Exclude,
    /// `--exclude-caches`: skip directories holding a valid `CACHEDIR.TAG`.
    pub exclude_caches: bool,
    /// `--exclude-kernfs`: skip directories on the kernel's filesystems.
    pub exclude_kernfs: bool,
    /// Send the path of every regular file found (`ScanEvent::Files`).
    pub list_files: bool,
    /// Fault injection: a worker panics when it enters a directory of this name.
    #[cfg(feature = "fault-injection")]
    pub panic_on_dir_named: Option<OsString>,
    /// Fault injection: a worker waits this long in every directory (a slow
    /// disk, for tests that watch a scan's progress).
    #[cfg(feature = "fault-injection")]
    pub delay_per_dir: Option<std::time::Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: default_threads(),
            follow_links: false,
            one_file_system: false,
            exclude: Exclude::default(),
            exclude_caches: false,
            exclude_kernfs: false,
            list_files: false,
            #[cfg(feature = "fault-injection")]
            panic_on_dir_named: None,
            #[cfg(feature = "fault-injection")]
            delay_per_dir: None,
        }
    }
}

/// Choices for one submitted root.
#[derive(Clone, Copy, Debug, Default)]
pub struct JobOptions {
    /// Send each directory's listing (`Progress::listings`), for a consumer
    /// that keeps the tree.
    pub keep_tree: bool,
    /// With `keep_tree`: list only the directories (every entry still
    /// counts in its directory's sums), for a tree that gives sizes per
    /// directory (`--depth`, the history) and is not browsed.
    pub dirs_only: bool,
}

/// The scan was stopped; it takes no more roots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the scan is stopped")
    }
}

impl std::error::Error for Stopped {}

/// A running pool of workers. Dropping it stops and joins them.
pub struct Scanner {
    shared: Arc<Shared>,
    /// Set by `abandon`: dropping then leaves the workers to the process's end.
    abandoned: bool,
}

impl Scanner {
    /// Starts the workers. Every event of the scan arrives on the receiver.
    pub fn new(options: Options) -> io::Result<(Scanner, Receiver<ScanEvent>)> {
        silence_worker_panics();
        let (sender, receiver) = crossbeam_channel::unbounded();
        let threads = options.threads;
        let shared = Shared::new(options, Outbox::new(sender));
        let scanner = Scanner {
            shared,
            abandoned: false,
        };
        scanner.shared.set_threads(threads)?;
        Ok((scanner, receiver))
    }

    /// Queues a root. It is read by a worker, which reports a root that does
    /// not exist or is not a directory as an error and ends the job `failed`.
    pub fn submit(&self, root: impl AsRef<Path>) -> Result<JobId, Stopped> {
        self.submit_with(root, JobOptions::default())
    }

    /// `submit`, with per-job choices.
    pub fn submit_with(&self, root: impl AsRef<Path>, job: JobOptions) -> Result<JobId, Stopped> {
        let root = absolute(root.as_ref());
        self.shared.submit(Arc::from(root), job).ok_or(Stopped)
    }

    /// An id for a job that is not scanned (a tree read from an export),
    /// in the same sequence as the scanned ones.
    pub fn reserve_job(&self) -> JobId {
        self.shared.reserve_id()
    }

    /// Cancels one job: its queued directories are dropped, the directory
    /// being read is left at the next entry. False if it already ended.
    pub fn cancel(&self, job: JobId) -> bool {
        self.shared.cancel(job)
    }

    pub fn pause(&self) {
        self.shared.pause();
    }

    pub fn resume(&self) {
        self.shared.resume();
    }

    pub fn is_paused(&self) -> bool {
        self.shared.is_paused()
    }

    /// Changes the number of workers while running (clamped to 1..=256). A
    /// removed worker finishes the directory it is reading, then leaves.
    pub fn set_threads(&self, n: usize) -> io::Result<usize> {
        self.shared.set_threads(n)
    }

    pub fn threads(&self) -> usize {
        self.shared.threads()
    }

    /// What each worker is doing now.
    pub fn workers(&self) -> Vec<WorkerStatus> {
        self.shared.board.snapshot()
    }

    /// Asks every worker to stop, without waiting. Jobs still running end as
    /// `stopped`, then `ScanEvent::Stopped` follows once every worker left.
    pub fn stop(&self) {
        self.shared.stop();
    }

    pub fn is_stopped(&self) -> bool {
        self.shared.is_stopped()
    }

    /// Worker threads that have not yet left.
    pub fn live_workers(&self) -> usize {
        self.shared.live_workers()
    }

    /// Stops and joins every worker.
    pub fn shutdown(&mut self) {
        self.shared.shutdown();
    }

    /// Stops without waiting for the workers: those stuck in the kernel (a
    /// hung mount) are left to the end of the process. Jobs still running
    /// get no `JobFinished`.
    pub fn abandon(mut self) {
        self.shared.stop();
        self.abandoned = true;
    }
}

impl Drop for Scanner {
    fn drop(&mut self) {
        if !self.abandoned {
            self.shutdown();
        }
    }
}

/// Whether the calling thread is one of the engine's workers.
pub fn is_worker_thread() -> bool {
    std::thread::current()
        .name()
        .is_some_and(|name| name.starts_with(WORKER_THREAD_PREFIX))
}

/// A worker's panic is caught and reported as `ScanEvent::WorkerPanicked`;
/// its message is not printed (over a dashboard, say). Other threads'
/// panics go to the hook that was installed before.
fn silence_worker_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !is_worker_thread() {
                previous(info);
            }
        }));
    });
}

/// `path` made absolute against the working directory, without `.` parts or
/// a trailing slash; symlinks and `..` are kept as the user wrote them.
pub fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.components().collect()
}

/// Why a root cannot be scanned, checked before it is submitted (the
/// dashboard's prompt uses this to refuse bad input at once).
pub fn check_root(path: &Path) -> io::Result<PathBuf> {
    let root = absolute(path);
    dir::open_dir(&root, true)?;
    Ok(root)
}

//! A worker's counts since its last flush, all for one job, and the flush
//! that sends them: listed paths, then the progress event, then the retiring
//! of finished directories, in that order, so that a job's end is announced
//! only after every count of it was sent.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::event::{Progress, Totals, WorkerId};
use super::job::Job;
use super::listing::{Base, Listing, ListingEnd, NodeChain, OwnSize, Writer};
use super::pool::Shared;
use super::stats::JobStats;

/// How often a busy worker reports; keeps the channel at a few hundred
/// messages a second per worker however fast the scan goes.
const FLUSH_INTERVAL: Duration = Duration::from_millis(20);
/// A `--list` batch is sent when it holds this many paths.
pub(crate) const LIST_BATCH: usize = 1024;
/// Listing scratch space a worker keeps between directories.
const SCRATCH_KEPT: usize = 64 * 1024;

pub(crate) struct Batch {
    pub(crate) job: Option<Arc<Job>>,
    /// The directory being read, for the progress event.
    pub(crate) dir: Option<Arc<Path>>,
    pub(crate) delta: Totals,
    pub(crate) dirs_read: u64,
    pub(crate) entries: u64,
    /// Tasks of `job` finished since the last flush, retired from its
    /// pending counter only once their counts are sent.
    pub(crate) tasks_done: u64,
    pub(crate) files: Vec<PathBuf>,
    /// Statistics of this batch's files.
    pub(crate) stats: JobStats,
    /// The job's smallest kept large file, as of the last flush.
    pub(crate) floor: u64,
    /// Scratch space for a file's lowercased extension.
    pub(crate) ext: Vec<u8>,
    /// Scratch space for a subdirectory's path.
    pub(crate) path: Vec<u8>,
    /// The listing of the directory being read, when the job keeps its tree.
    pub(crate) listing: Option<ListingBuf>,
    /// Pieces of listings to send with the next progress event.
    pub(crate) listings: Vec<Listing>,
    listing_scratch: Vec<u8>,
    flushed_at: Instant,
}

/// The entries of the directory being read since the last flush.
pub(crate) struct ListingBuf {
    chain: Arc<NodeChain>,
    /// Its bytes are reused from directory to directory; each piece sent is
    /// a copy of just its bytes.
    pub(crate) writer: Writer,
    /// The root's own size, until its first piece is sent.
    pub(crate) root_size: Option<OwnSize>,
}

impl ListingBuf {
    pub(crate) fn new(
        chain: Arc<NodeChain>,
        base: Base,
        scratch: Vec<u8>,
        dirs_only: bool,
    ) -> ListingBuf {
        let mut writer = Writer::new(base, scratch);
        writer.dirs_only = dirs_only;
        ListingBuf {
            chain,
            writer,
            root_size: None,
        }
    }

    /// What was gathered since the last piece, as a piece to send.
    fn piece(&mut self, end: Option<ListingEnd>) -> Listing {
        let mut piece = self.writer.piece(&self.chain, end);
        piece.root_size = self.root_size.take();
        piece
    }
}

impl Batch {
    pub(crate) fn new() -> Batch {
        Batch {
            job: None,
            dir: None,
            delta: Totals::default(),
            dirs_read: 0,
            entries: 0,
            tasks_done: 0,
            files: Vec::new(),
            stats: JobStats::default(),
            floor: 0,
            ext: Vec::new(),
            path: Vec::new(),
            listing: None,
            listings: Vec::new(),
            listing_scratch: Vec::new(),
            flushed_at: Instant::now(),
        }
    }

    pub(crate) fn is_for(&self, job: &Arc<Job>) -> bool {
        self.job.as_ref().is_some_and(|mine| Arc::ptr_eq(mine, job))
    }

    /// Starts the listing of a directory about to be read.
    pub(crate) fn start_listing(&mut self, chain: Arc<NodeChain>, base: Base, dirs_only: bool) {
        let scratch = std::mem::take(&mut self.listing_scratch);
        self.listing = Some(ListingBuf::new(chain, base, scratch, dirs_only));
    }

    /// Ends the listing of the directory just read; its scratch space is
    /// kept for the next.
    pub(crate) fn end_listing(&mut self, end: ListingEnd) {
        if let Some(mut buf) = self.listing.take() {
            self.listings.push(buf.piece(Some(end)));
            // Kept for the next directory, unless a huge one made it huge.
            let scratch = buf.writer.into_scratch();
            if scratch.capacity() <= SCRATCH_KEPT {
                self.listing_scratch = scratch;
            }
        }
    }

    pub(crate) fn flush_due(&self) -> bool {
        self.flushed_at.elapsed() >= FLUSH_INTERVAL
    }

    /// Starts gathering for `job`, flushing what was gathered for another.
    pub(crate) fn switch_to(&mut self, job: &Arc<Job>, worker: WorkerId, shared: &Shared) {
        if !self.is_for(job) {
            self.flush(worker, shared);
            self.job = Some(Arc::clone(job));
            self.floor = job.largest_floor();
        }
    }

    /// Sends the batch, folds it into its job, and retires finished tasks;
    /// the worker that retires a job's last directory announces its end.
    pub(crate) fn flush(&mut self, worker: WorkerId, shared: &Shared) {
        self.flushed_at = Instant::now();
        let Some(job) = self.job.clone() else {
            return;
        };
        if !self.files.is_empty() {
            let paths = std::mem::take(&mut self.files);
            shared.outbox.files(job.id, paths, || shared.is_stopped());
        }
        if let Some(buf) = &mut self.listing
            && !buf.writer.is_empty()
        {
            self.listings.push(buf.piece(None));
        }
        let delta = std::mem::take(&mut self.delta);
        let stats = std::mem::take(&mut self.stats);
        // Into the job first, so that the finished totals include it.
        self.floor = if stats.is_empty() {
            job.largest_floor()
        } else {
            job.merge_stats(&stats)
        };
        if delta != Totals::default()
            || self.entries != 0
            || self.dirs_read != 0
            || !self.listings.is_empty()
        {
            let dir = self.dir.clone().unwrap_or_else(|| Arc::clone(&job.root));
            shared.outbox.progress(Progress {
                worker,
                job: job.id,
                dir,
                delta,
                dirs_read: self.dirs_read,
                entries: self.entries,
                stats: Box::new(stats),
                listings: std::mem::take(&mut self.listings),
            });
        }
        self.dirs_read = 0;
        self.entries = 0;
        let done = std::mem::take(&mut self.tasks_done);
        if job.complete(&delta, done) {
            shared.finish(&job);
        }
    }
}

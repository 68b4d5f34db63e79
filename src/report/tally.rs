//! Folds the engine's events into what a report shows: each job's state and
//! totals, each worker's work, and the first errors. Shared by the headless
//! runner and the dashboard.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::errors::{ErrorLog, ErrorRecord};
use super::progress::{Expected, Pace};
use crate::import::Imported;
use crate::scan::{JobId, JobState, JobStats, ScanEvent, Totals, WorkerId};
use crate::tree::{JobTree, Node};

#[derive(Clone, Debug)]
pub struct JobRecord {
    pub id: JobId,
    pub root: Arc<Path>,
    pub state: JobState,
    pub totals: Totals,
    pub started: Option<Instant>,
    /// Set when the job ends.
    pub elapsed: Option<Duration>,
    /// Its files: merged from progress while it runs, final once it ends.
    pub stats: JobStats,
    /// What was deleted from it in the browser, as the scan had counted it.
    pub deleted: Totals,
    /// The tree, when the job keeps one (built from its listings as they
    /// come: its root's sums equal `totals` after every event). Shared with
    /// an export being written; changed only here.
    pub tree: Option<Arc<JobTree>>,
    /// How many entries to expect, from the history or the filesystem.
    pub expected: Option<Expected>,
    /// Entries over the last seconds, sampled by the front end's clock.
    pub pace: Pace,
}

impl JobRecord {
    /// Time spent so far, or in all once ended.
    pub fn elapsed_at(&self, now: Instant) -> Duration {
        match (self.elapsed, self.started) {
            (Some(elapsed), _) => elapsed,
            (None, Some(started)) => now.saturating_duration_since(started),
            (None, None) => Duration::ZERO,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkerRecord {
    pub dirs: u64,
    pub entries: u64,
}

#[derive(Debug)]
pub struct Tally {
    pub started: Instant,
    pub jobs: Vec<JobRecord>,
    pub workers: BTreeMap<WorkerId, WorkerRecord>,
    pub errors: ErrorLog,
    /// Set when the last job ended.
    pub finished_at: Option<Instant>,
}

impl Tally {
    pub fn new(started: Instant) -> Tally {
        Tally {
            started,
            jobs: Vec::new(),
            workers: BTreeMap::new(),
            errors: ErrorLog::default(),
            finished_at: None,
        }
    }

    /// A job was submitted; `keep_tree` as it was submitted with.
    pub fn submitted(&mut self, id: JobId, root: Arc<Path>, keep_tree: bool) {
        self.insert(JobRecord {
            id,
            tree: keep_tree.then(|| Arc::new(JobTree::new(Arc::clone(&root)))),
            root,
            state: JobState::Queued,
            totals: Totals::default(),
            started: None,
            elapsed: None,
            stats: JobStats::default(),
            deleted: Totals::default(),
            expected: None,
            pace: Pace::default(),
        });
        self.finished_at = None;
    }

    /// A tree read from an export, as job `id`: ended as it begins.
    pub fn imported(&mut self, id: JobId, imported: Imported, now: Instant) {
        self.insert(JobRecord {
            id,
            root: imported.root,
            state: JobState::Imported,
            totals: imported.totals,
            started: None,
            elapsed: Some(imported.elapsed),
            stats: imported.stats,
            deleted: Totals::default(),
            tree: Some(Arc::new(imported.tree)),
            expected: None,
            pace: Pace::default(),
        });
        if self.all_finished() {
            self.finished_at.get_or_insert(now);
        }
    }

    /// Jobs stay in id order, whoever adds them first.
    fn insert(&mut self, job: JobRecord) {
        let at = self.jobs.partition_point(|j| j.id < job.id);
        self.jobs.insert(at, job);
    }

    pub fn job(&self, id: JobId) -> Option<&JobRecord> {
        self.job_index(id).map(|i| &self.jobs[i])
    }

    fn job_index(&self, id: JobId) -> Option<usize> {
        // Jobs are pushed in id order.
        self.jobs.binary_search_by_key(&id, |job| job.id).ok()
    }

    pub(super) fn job_mut(&mut self, id: JobId) -> Option<&mut JobRecord> {
        self.job_index(id).map(|i| &mut self.jobs[i])
    }

    pub fn apply(&mut self, event: &ScanEvent) {
        match event {
            ScanEvent::JobStarted { job, at } => {
                if let Some(record) = self.job_mut(*job) {
                    record.started = Some(*at);
                    if record.state == JobState::Queued {
                        record.state = JobState::Scanning;
                    }
                }
            }
            ScanEvent::Progress(progress) => {
                if let Some(record) = self.job_mut(progress.job) {
                    record.totals += progress.delta;
                    record.stats.merge(&progress.stats);
                    if let Some(tree) = &mut record.tree {
                        let tree = Arc::make_mut(tree);
                        for listing in &progress.listings {
                            tree.apply(listing);
                        }
                    }
                }
                let worker = self.workers.entry(progress.worker).or_default();
                worker.dirs += progress.dirs_read;
                worker.entries += progress.entries;
            }
            ScanEvent::Error(error) => self.errors.push(ErrorRecord::of(error)),
            ScanEvent::JobFinished(end) => {
                if let Some(record) = self.job_mut(end.job) {
                    record.state = end.state;
                    record.totals = end.totals;
                    record.elapsed = Some(end.elapsed);
                    record.stats = (*end.stats).clone();
                    if let Some(tree) = &mut record.tree {
                        Arc::make_mut(tree).close_unread();
                    }
                }
                if self.all_finished() {
                    // When the last job ended, as the engine timed it.
                    let ends = self
                        .jobs
                        .iter()
                        .filter_map(|job| Some(job.started? + job.elapsed?))
                        .max();
                    self.finished_at = Some(ends.unwrap_or_else(Instant::now));
                }
            }
            ScanEvent::Files(_) | ScanEvent::WorkerPanicked { .. } | ScanEvent::Stopped => {}
        }
    }

    /// The entry at `offset` of directory `parent` of `job`'s tree was
    /// deleted: it leaves the tree and the job's totals.
    pub fn deleted(&mut self, job: JobId, parent: Node, offset: u32) -> Option<Totals> {
        let record = self.job_mut(job)?;
        let tree = Arc::make_mut(record.tree.as_mut()?);
        let removed = tree.remove(parent, offset)?;
        record.totals = record.totals.without(&removed);
        record.deleted += removed;
        Some(removed)
    }

    /// What a deletion left of directory `node` of `job`, scanned again
    /// (`fresh`, with its totals), replaces what the tree held there.
    pub fn remeasured(&mut self, job: JobId, node: Node, fresh: &JobTree, totals: Totals) {
        let Some(record) = self.job_mut(job) else {
            return;
        };
        let Some(tree) = record.tree.as_mut() else {
            return;
        };
        if let Some((out, put)) = Arc::make_mut(tree).graft(node, fresh, totals) {
            let gone = out.without(&put);
            record.totals = record.totals.without(&out);
            record.totals += put;
            record.deleted += gone;
        }
    }

    /// Whether the scan was stopped before some job could finish.
    pub fn was_stopped(&self) -> bool {
        self.jobs.iter().any(|job| job.state == JobState::Stopped)
    }

    pub fn all_finished(&self) -> bool {
        self.jobs.iter().all(|job| job.state.is_finished())
    }

    /// Ends the jobs that did not get their `JobFinished` (the scan was
    /// abandoned without waiting for the workers) as stopped.
    pub fn abandon(&mut self, now: Instant) {
        for job in &mut self.jobs {
            if !job.state.is_finished() {
                job.state = JobState::Stopped;
                job.elapsed = Some(job.elapsed_at(now));
                if let Some(tree) = &mut job.tree {
                    Arc::make_mut(tree).close_unread();
                }
            }
        }
        self.finished_at.get_or_insert(now);
    }

    /// The sum over every job.
    pub fn totals(&self) -> Totals {
        let mut sum = Totals::default();
        for job in &self.jobs {
            sum += job.totals;
        }
        sum
    }

    pub fn elapsed_at(&self, now: Instant) -> Duration {
        self.finished_at
            .unwrap_or(now)
            .saturating_duration_since(self.started)
    }

    /// Whether the process should report failure: an error or a failed root.
    pub fn has_errors(&self) -> bool {
        self.errors.total() > 0 || self.jobs.iter().any(|job| job.state == JobState::Failed)
    }
}

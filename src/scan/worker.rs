//! One worker thread: ask the pool for the next step, read a directory entry
//! by entry (each counted by `visit`), and flush the batch every few
//! milliseconds; a panic costs the directory it happened in, not the scan.

use std::any::Any;
use std::os::fd::OwnedFd;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossbeam_deque::Worker as Deque;

use super::batch::Batch;
use super::board::{WorkerCell, WorkerState};
use super::classify::{Facts, Sightings};
use super::dir::{self, EntryBuffer};
use super::error::Cause;
use super::event::WorkerId;
use super::job::Job;
use super::listing::{Base, ListingEnd, OwnSize};
use super::pool::{Control, Shared, Step};
use super::task::{Ancestor, Task};

/// The clock is read once per this many entries (and once per directory).
const CLOCK_EVERY: u64 = 64;

/// What the per-entry loop should do after an interruption.
enum Interrupt {
    Continue,
    Abort,
}

pub(crate) struct Worker {
    entries: EntryBuffer,
    ctx: WorkerCtx,
}

pub(super) struct WorkerCtx {
    pub(super) id: WorkerId,
    pub(super) shared: Arc<Shared>,
    pub(super) local: Deque<Task>,
    pub(super) cell: Arc<WorkerCell>,
    pub(super) batch: Batch,
}

impl Worker {
    pub(crate) fn new(
        id: WorkerId,
        shared: Arc<Shared>,
        local: Deque<Task>,
        cell: Arc<WorkerCell>,
    ) -> Worker {
        Worker {
            entries: EntryBuffer::new(),
            ctx: WorkerCtx {
                id,
                shared,
                local,
                cell,
                batch: Batch::new(),
            },
        }
    }

    pub(crate) fn run(mut self) {
        loop {
            let ctx = &mut self.ctx;
            match ctx.shared.next_step(ctx.id, &ctx.local) {
                Step::Work(task) => self.run_task(task),
                Step::Idle => {
                    ctx.flush();
                    ctx.cell.set(WorkerState::Idle);
                    ctx.shared.idle(ctx.id);
                }
                Step::Pause => {
                    ctx.flush();
                    ctx.cell.set(WorkerState::Paused);
                    ctx.shared.wait_while_paused();
                }
                Step::Retire | Step::Stop => break,
            }
        }
        self.ctx.flush();
    }

    /// Runs one task; a panic inside it costs that directory, not the scan.
    fn run_task(&mut self, task: Task) {
        let ctx = &mut self.ctx;
        ctx.batch.switch_to(&task.job, ctx.id, &ctx.shared);
        let job = Arc::clone(&task.job);
        let dir = Arc::clone(&task.dir);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| self.scan_dir(task)));
        let ctx = &mut self.ctx;
        if let Err(payload) = outcome {
            // What was counted before the panic stays counted, and listed:
            // the directory is incomplete, with one error more.
            let message = panic_message(payload.as_ref());
            ctx.report(&job, dir.to_path_buf(), Cause::WorkerPanic(message.clone()));
            ctx.batch.end_listing(ListingEnd::Incomplete);
            ctx.shared
                .outbox
                .worker_panicked(ctx.id, job.id, dir, message);
        }
        // A directory cut short by a stop is not finished: its job ends as
        // stopped, not done.
        if !ctx.shared.is_stopped() {
            ctx.batch.tasks_done += 1;
        }
        if ctx.batch.flush_due() {
            ctx.flush();
        }
    }

    fn scan_dir(&mut self, task: Task) {
        let ctx = &mut self.ctx;
        let job = &task.job;
        if job.is_cancelled() {
            return;
        }
        if task.is_root {
            let at = Instant::now();
            if job.start(at) {
                ctx.shared.outbox.job_started(job.id, at);
            }
        }
        ctx.cell.scanning(job.id, &task.dir);
        ctx.batch.dir = Some(Arc::clone(&task.dir));
        if let Some(chain) = &task.chain {
            ctx.batch
                .start_listing(Arc::clone(chain), task.base, job.lists_dirs_only());
        }
        #[cfg(feature = "fault-injection")]
        super::fault::maybe_panic_in(&ctx.shared.options, &task.dir);
        #[cfg(feature = "fault-injection")]
        super::fault::maybe_wait(&ctx.shared.options);
        let complete = self.read_dir(&task);
        self.ctx.batch.end_listing(if complete {
            ListingEnd::Complete
        } else {
            ListingEnd::Incomplete
        });
    }

    /// Opens and lists `task.dir`, counting every entry; false when the
    /// listing could not be read to its end.
    fn read_dir(&mut self, task: &Task) -> bool {
        let ctx = &mut self.ctx;
        let job = &task.job;
        let fd = match dir::open_dir(&task.dir, task.follow) {
            Ok(fd) => fd,
            Err(e) => {
                if task.is_root {
                    job.fail_root();
                }
                ctx.report(job, task.dir.to_path_buf(), e.into());
                return false;
            }
        };
        let ancestry = if task.is_root {
            match ctx.count_root(task, &fd) {
                Some(ancestry) => ancestry,
                None => return false,
            }
        } else {
            task.ancestry.clone()
        };
        ctx.batch.dirs_read += 1;

        let mut listing = self.entries.list(&fd);
        let ctx = &mut self.ctx;
        while let Some(next) = listing.next() {
            if (ctx.shared.control() != Control::Run || job.is_cancelled())
                && let Interrupt::Abort = ctx.interrupted(job)
            {
                return false;
            }
            let entry = match next {
                Ok(entry) => entry,
                Err(e) => {
                    ctx.report(job, task.dir.to_path_buf(), e.into());
                    return false;
                }
            };
            let name = entry.file_name();
            if dir::is_dot(name) {
                continue;
            }
            ctx.visit(task, &ancestry, &fd, name);
            if ctx.batch.entries.is_multiple_of(CLOCK_EVERY) && ctx.batch.flush_due() {
                ctx.flush();
            }
        }
        true
    }
}

impl WorkerCtx {
    pub(super) fn flush(&mut self) {
        self.batch.flush(self.id, &self.shared);
    }

    /// Counts the root itself (it has no parent to stat it from).
    /// `None` when it cannot be stat'ed; the ancestry chain for `-L` otherwise.
    fn count_root(&mut self, task: &Task, fd: &OwnedFd) -> Option<Option<Arc<Ancestor>>> {
        let job = &task.job;
        let facts = match dir::stat_open(fd) {
            Ok(stat) => Facts::of(&stat),
            Err(e) => {
                job.fail_root();
                self.report(job, task.dir.to_path_buf(), e.into());
                return None;
            }
        };
        job.set_root_dev(facts.dev);
        self.batch.delta.disk_bytes += facts.allocated;
        if let Some(listing) = &mut self.batch.listing {
            // The root's own blocks: no parent lists them.
            listing.writer.base = Base {
                dev: facts.dev,
                ino: facts.ino,
                mtime: facts.mtime,
            };
            listing.writer.sums.disk += facts.allocated;
            listing.root_size = Some(OwnSize {
                size: facts.size,
                blocks: facts.allocated / 512,
            });
        }
        if !self.shared.options.follow_links {
            return Some(None);
        }
        job.first_entry(facts.dev, facts.ino);
        Some(Some(Arc::new(Ancestor {
            dev: facts.dev,
            ino: facts.ino,
            up: None,
        })))
    }

    /// Handles stop, pause and cancel noticed between two entries.
    #[cold]
    fn interrupted(&mut self, job: &Job) -> Interrupt {
        loop {
            if job.is_cancelled() {
                return Interrupt::Abort;
            }
            match self.shared.control() {
                Control::Stop => return Interrupt::Abort,
                Control::Run => return Interrupt::Continue,
                Control::Pause => {}
            }
            self.flush();
            self.cell.set(WorkerState::Paused);
            self.shared.wait_while_paused();
            if let Some(dir) = &self.batch.dir {
                self.cell.scanning(job.id, dir);
            }
        }
    }

    /// Counts an error and sends it with its path at once.
    pub(super) fn report(&mut self, job: &Job, path: PathBuf, cause: Cause) {
        self.batch.delta.errors += 1;
        if let Some(listing) = &mut self.batch.listing {
            listing.writer.sums.errors += 1;
        }
        self.shared.outbox.error(job.id, path, cause);
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

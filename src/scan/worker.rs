//! One worker thread: ask the pool for the next step, read a directory entry
//! by entry, count each entry into the batch by the rules of `classify`,
//! queue the subdirectories, and flush the batch every few milliseconds.

use std::any::Any;
use std::ffi::{CStr, OsStr};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_deque::Worker as Deque;
use rustix::io::Errno;

use super::batch::{Batch, LIST_BATCH};
use super::board::{WorkerCell, WorkerState};
use super::classify::{self, Facts, Kind, Rules, Sightings, Verdict};
use super::dir::{self, EntryBuffer};
use super::error::Cause;
use super::event::WorkerId;
use super::job::Job;
use super::pool::{Control, Shared, Step};
use super::stats;
use super::task::{Ancestor, Task};
use super::tree::{DirNode, Entry, EntryKind, NOT_READ, RootInfo};

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

struct WorkerCtx {
    id: WorkerId,
    shared: Arc<Shared>,
    local: Deque<Task>,
    cell: Arc<WorkerCell>,
    batch: Batch,
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
            // The directory's partial contents are dropped with it.
            ctx.batch.node = None;
            let message = panic_message(payload.as_ref());
            ctx.report(&job, dir.to_path_buf(), Cause::WorkerPanic(message.clone()));
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
        #[cfg(feature = "fault-injection")]
        super::fault::maybe_panic_in(&ctx.shared.options, &task.dir);
        if job.tree.is_some() {
            ctx.batch.node = Some(DirNode::new(task.dev));
        }
        let complete = self.read_dir(&task);
        if let (Some(tree), Some(mut node)) = (&job.tree, self.ctx.batch.node.take()) {
            node.read_error |= !complete;
            tree.store(task.node, node);
        }
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
    fn flush(&mut self) {
        self.batch.flush(self.id, &self.shared);
    }

    fn rules(&self, job: &Job) -> Rules {
        let options = &self.shared.options;
        Rules {
            follow_links: options.follow_links,
            one_file_system: options.one_file_system,
            root_dev: job.root_dev(),
        }
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
        if let Some(tree) = &job.tree {
            tree.set_root(RootInfo {
                asize: facts.size,
                dsize: facts.allocated,
                dev: facts.dev,
            });
            if let Some(node) = &mut self.batch.node {
                node.dev = facts.dev;
            }
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

    /// Counts one entry of `task.dir`, and queues it if it is a directory.
    #[inline]
    fn visit(&mut self, task: &Task, ancestry: &Option<Arc<Ancestor>>, dir: &OwnedFd, name: &CStr) {
        let job = &task.job;
        self.batch.entries += 1;
        let options = &self.shared.options;
        if !options.exclude.is_empty() {
            let name = OsStr::from_bytes(name.to_bytes());
            let relative = task.dir.strip_prefix(&job.root).unwrap_or(Path::new(""));
            if options.exclude.matches(name, &relative.join(name)) {
                return;
            }
        }
        let facts = match dir::stat_at(dir, name, false) {
            Ok(stat) => Facts::of(&stat),
            // Gone since it was listed: there is nothing left to count.
            Err(Errno::NOENT) => return,
            Err(e) => {
                self.record(name, Entry::new(EntryKind::Unreadable, 0, 0));
                self.report(job, child_path(&task.dir, name), e.into());
                return;
            }
        };
        if facts.kind == Kind::Symlink && options.follow_links {
            self.follow(task, ancestry, dir, name, &facts);
        } else {
            let verdict = classify::classify(&facts, false, &self.rules(job), &**job);
            self.count(task, ancestry, name, &facts, verdict, false);
        }
    }

    /// `-L`: counts what a symlink points to instead of the link.
    fn follow(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        dir: &OwnedFd,
        name: &CStr,
        link: &Facts,
    ) {
        let job = &task.job;
        match dir::stat_at(dir, name, true) {
            Ok(stat) => {
                let target = Facts::of(&stat);
                let verdict = classify::classify(&target, true, &self.rules(job), &**job);
                self.count(task, ancestry, name, &target, verdict, true);
            }
            // Dangling: the link is all there is.
            Err(Errno::NOENT) => {
                let verdict = classify::classify(link, false, &self.rules(job), &**job);
                self.count(task, ancestry, name, link, verdict, false);
            }
            Err(e) => {
                self.batch.delta.symlinks += 1;
                self.record_other(name, link);
                self.report(job, child_path(&task.dir, name), e.into());
            }
        }
    }

    /// Adds a classified entry to the batch: its counts, its record in the
    /// tree, and, for a directory to enter, a task (`through_link`: reached
    /// through a followed link, it is opened through it).
    fn count(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        name: &CStr,
        facts: &Facts,
        verdict: Verdict,
        through_link: bool,
    ) {
        self.batch.delta += verdict.totals(facts);
        match verdict {
            Verdict::File { .. } => self.file_found(task, name, facts),
            Verdict::Dir { enter } => {
                self.dir_found(task, ancestry, name, facts, enter, through_link);
            }
            Verdict::Symlink { .. } | Verdict::Other { .. } => self.record_other(name, facts),
            Verdict::Revisited { through_link } => {
                if through_link {
                    self.record(name, Entry::new(EntryKind::Other, 0, 0));
                }
                if Ancestor::contains(ancestry, facts.dev, facts.ino) {
                    self.report(&task.job, child_path(&task.dir, name), Cause::Loop);
                }
            }
        }
    }

    fn file_found(&mut self, task: &Task, name: &CStr, facts: &Facts) {
        let batch = &mut self.batch;
        stats::extension_of(name.to_bytes(), &mut batch.ext);
        batch.stats.add_file(
            &batch.ext,
            facts.size,
            facts.allocated,
            facts.mtime,
            batch.floor,
            || child_path(&task.dir, name),
        );
        if batch.node.is_some() {
            let entry = with_links(
                Entry::new(EntryKind::File, facts.size, facts.allocated),
                facts,
            );
            self.record(name, entry);
        }
        if self.shared.options.list_files {
            self.batch.files.push(child_path(&task.dir, name));
            if self.batch.files.len() >= LIST_BATCH {
                self.flush();
            }
        }
    }

    fn dir_found(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        name: &CStr,
        facts: &Facts,
        enter: bool,
        through_link: bool,
    ) {
        let job = &task.job;
        let mut entry = Entry::new(EntryKind::Dir, facts.size, facts.allocated);
        if !enter {
            entry.other_fs = true;
            self.record(name, entry);
            return;
        }
        let node = match &job.tree {
            Some(tree) => tree.allocate(),
            None => NOT_READ,
        };
        entry.node = node;
        self.record(name, entry);
        let ancestry = self.shared.options.follow_links.then(|| {
            Arc::new(Ancestor {
                dev: facts.dev,
                ino: facts.ino,
                up: ancestry.clone(),
            })
        });
        job.add_pending(1);
        let child = Task {
            job: Arc::clone(job),
            dir: child_arc_path(&mut self.batch.path, &task.dir, name),
            is_root: false,
            follow: through_link,
            ancestry,
            node,
            dev: facts.dev,
        };
        self.shared.queue.push(&self.local, child);
    }

    /// Adds an entry to the directory's node, when the job keeps its tree.
    #[inline]
    fn record(&mut self, name: &CStr, entry: Entry) {
        if let Some(node) = &mut self.batch.node {
            node.push(name.to_bytes(), entry);
        }
    }

    fn record_other(&mut self, name: &CStr, facts: &Facts) {
        if self.batch.node.is_some() {
            let entry = Entry::new(EntryKind::Other, facts.size, facts.allocated);
            self.record(name, with_links(entry, facts));
        }
    }

    /// Counts an error and sends it with its path at once.
    fn report(&mut self, job: &Job, path: PathBuf, cause: Cause) {
        self.batch.delta.errors += 1;
        self.shared.outbox.error(job.id, path, cause);
    }
}

/// The inode and link count, which an export needs to count hard links once.
fn with_links(mut entry: Entry, facts: &Facts) -> Entry {
    if facts.nlink > 1 {
        entry.ino = facts.ino;
        entry.nlink = u32::try_from(facts.nlink).unwrap_or(u32::MAX);
    }
    entry
}

fn child_path(dir: &Path, name: &CStr) -> PathBuf {
    dir.join(OsStr::from_bytes(name.to_bytes()))
}

/// `child_path` as a shared path, assembled in `scratch`: one allocation
/// per directory queued.
fn child_arc_path(scratch: &mut Vec<u8>, dir: &Path, name: &CStr) -> Arc<Path> {
    let dir = dir.as_os_str().as_bytes();
    scratch.clear();
    scratch.extend_from_slice(dir);
    if !dir.ends_with(b"/") {
        scratch.push(b'/');
    }
    scratch.extend_from_slice(name.to_bytes());
    Arc::from(Path::new(OsStr::from_bytes(scratch)))
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

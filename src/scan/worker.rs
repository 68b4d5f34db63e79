//! One worker thread: take a directory, read it entry by entry, count what it
//! finds into a local batch, queue the subdirectories it finds, and flush the
//! batch to the event channel every few milliseconds.

use std::any::Any;
use std::ffi::{CStr, OsStr};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_deque::Worker as Deque;
use rustix::fs::Stat;
use rustix::io::Errno;

use super::board::{WorkerCell, WorkerState};
use super::dir::{self, EntryBuffer, Kind};
use super::event::{FileList, Progress, ScanError, ScanEvent, Totals, WorkerId};
use super::job::Job;
use super::pool::{PAUSE, STOP, Shared};
use super::stats::{self, JobStats};
use super::task::{Ancestor, Task};
use super::tree::{DirNode, Entry, EntryKind, NOT_READ, RootInfo};

/// How often a busy worker reports; keeps the channel at a few hundred
/// messages a second per worker however fast the scan goes.
const FLUSH_INTERVAL: Duration = Duration::from_millis(20);
/// The clock is read once per this many entries (and once per directory).
const CLOCK_EVERY: u64 = 64;
/// A `--list` batch is sent when it holds this many paths.
const LIST_BATCH: usize = 1024;

/// Counts gathered since the last flush, all for one job.
struct Batch {
    job: Option<Arc<Job>>,
    dir: Option<Arc<Path>>,
    delta: Totals,
    dirs_read: u64,
    entries: u64,
    /// Tasks of `job` finished since the last flush, retired from its
    /// pending counter only once their counts are sent.
    tasks_done: u64,
    files: Vec<PathBuf>,
    /// Statistics of this batch's files.
    stats: JobStats,
    /// The job's smallest kept large file, as of the last flush.
    floor: u64,
    /// Scratch space for a file's lowercased extension.
    ext: Vec<u8>,
    /// Scratch space for a subdirectory's path.
    path: Vec<u8>,
    /// The contents of the directory being read, when the job keeps its tree.
    node: Option<DirNode>,
    flushed_at: Instant,
}

/// What the per-entry loop should do after an interruption.
enum Interrupt {
    Continue,
    Abort,
}

pub(crate) struct Worker {
    entries: EntryBuffer,
    state: WorkerCtx,
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
            state: WorkerCtx {
                id,
                shared,
                local,
                cell,
                batch: Batch {
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
                    node: None,
                    flushed_at: Instant::now(),
                },
            },
        }
    }

    pub(crate) fn run(mut self) {
        loop {
            let ctx = &mut self.state;
            let control = ctx.shared.control();
            if control & STOP != 0 {
                break;
            }
            if control & PAUSE != 0 {
                ctx.flush();
                ctx.cell.set(WorkerState::Paused);
                ctx.shared.wait_while_paused();
                continue;
            }
            if ctx.shared.should_retire(ctx.id) && ctx.shared.try_leave(ctx.id) {
                ctx.shared.give_back(&ctx.local);
                break;
            }
            match ctx.shared.find_task(ctx.id, &ctx.local) {
                Some(task) => self.run_task(task),
                None => {
                    ctx.flush();
                    ctx.cell.set(WorkerState::Idle);
                    ctx.shared.sleep(ctx.id);
                }
            }
        }
        self.state.flush();
    }

    /// Runs one task; a panic inside it costs that directory, not the scan.
    fn run_task(&mut self, task: Task) {
        let ctx = &mut self.state;
        if !ctx.batch.is_for(&task.job) {
            ctx.flush();
            ctx.batch.job = Some(Arc::clone(&task.job));
            ctx.batch.floor = task.job.largest_floor();
        }
        let job = Arc::clone(&task.job);
        let dir = Arc::clone(&task.dir);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| self.scan_dir(task)));
        let ctx = &mut self.state;
        if let Err(payload) = outcome {
            // The directory's partial contents are dropped with it.
            ctx.batch.node = None;
            let message = panic_message(payload.as_ref());
            ctx.report(
                &job,
                dir.to_path_buf(),
                io::Error::other(format!("internal error, directory skipped: {message}")),
            );
            let _ = ctx.shared.events.send(ScanEvent::WorkerPanicked {
                worker: ctx.id,
                job: job.id,
                dir,
                message,
            });
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
        let ctx = &mut self.state;
        let job = &task.job;
        if job.is_cancelled() {
            return;
        }
        if task.is_root {
            let at = Instant::now();
            if job.start(at) {
                let _ = ctx
                    .shared
                    .events
                    .send(ScanEvent::JobStarted { job: job.id, at });
            }
        }
        ctx.cell.scanning(job.id, &task.dir);
        ctx.batch.dir = Some(Arc::clone(&task.dir));
        if let Some(name) = &ctx.shared.options.panic_on_dir_named
            && task.dir.file_name() == Some(name.as_os_str())
        {
            panic!("injected fault in {}", task.dir.display());
        }
        if job.tree.is_some() {
            ctx.batch.node = Some(DirNode::new(task.dev));
        }
        let complete = self.read_dir(&task);
        if let (Some(tree), Some(mut node)) = (&job.tree, self.state.batch.node.take()) {
            node.read_error |= !complete;
            tree.store(task.node, node);
        }
    }

    /// Opens and lists `task.dir`, counting every entry; false when the
    /// listing could not be read to its end.
    fn read_dir(&mut self, task: &Task) -> bool {
        let ctx = &mut self.state;
        let job = &task.job;
        let fd = match dir::open_dir(&task.dir, task.follow) {
            Ok(fd) => fd,
            Err(e) => {
                if task.is_root {
                    job.fail_root();
                }
                ctx.report(job, task.dir.to_path_buf(), e);
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
        let ctx = &mut self.state;
        while let Some(next) = listing.next() {
            if (ctx.shared.control() != 0 || job.is_cancelled())
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
    /// Counts the root itself (it has no parent to stat it from).
    /// `None` when it cannot be stat'ed; the ancestry chain for `-L` otherwise.
    fn count_root(&mut self, task: &Task, fd: &OwnedFd) -> Option<Option<Arc<Ancestor>>> {
        let job = &task.job;
        let stat = match dir::stat_open(fd) {
            Ok(stat) => stat,
            Err(e) => {
                job.fail_root();
                self.report(job, task.dir.to_path_buf(), e.into());
                return None;
            }
        };
        job.set_root_dev(stat.st_dev);
        self.batch.delta.disk_bytes += dir::allocated_bytes(&stat);
        if let Some(tree) = &job.tree {
            tree.set_root(RootInfo {
                asize: stat.st_size as u64,
                dsize: dir::allocated_bytes(&stat),
                dev: stat.st_dev,
            });
            if let Some(node) = &mut self.batch.node {
                node.dev = stat.st_dev;
            }
        }
        if !self.shared.options.follow_links {
            return Some(None);
        }
        job.first_entry(stat.st_dev, stat.st_ino);
        Some(Some(Arc::new(Ancestor {
            dev: stat.st_dev,
            ino: stat.st_ino,
            up: None,
        })))
    }

    /// Handles stop, pause and cancel noticed between two entries.
    #[cold]
    fn interrupted(&mut self, job: &Job) -> Interrupt {
        loop {
            let control = self.shared.control();
            if control & STOP != 0 || job.is_cancelled() {
                return Interrupt::Abort;
            }
            if control & PAUSE == 0 {
                return Interrupt::Continue;
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
        let stat = match dir::stat_at(dir, name, false) {
            Ok(stat) => stat,
            // Gone since it was listed: there is nothing left to count.
            Err(Errno::NOENT) => return,
            Err(e) => {
                self.record(name, Entry::new(EntryKind::Unreadable, 0, 0));
                self.report(job, child_path(&task.dir, name), e.into());
                return;
            }
        };
        match Kind::of(&stat) {
            Kind::File => self.count_file(task, name, &stat),
            Kind::Dir => self.count_dir(task, ancestry, name, &stat, false),
            Kind::Symlink if options.follow_links => self.follow(task, ancestry, dir, name, &stat),
            Kind::Symlink => {
                self.batch.delta.symlinks += 1;
                self.batch.delta.disk_bytes += self.disk_share(job, &stat);
                self.record_other(name, &stat);
            }
            Kind::Other => {
                self.batch.delta.other += 1;
                self.batch.delta.disk_bytes += self.disk_share(job, &stat);
                self.record_other(name, &stat);
            }
        }
    }

    /// Adds an entry to the directory's node, when the job keeps its tree.
    #[inline]
    fn record(&mut self, name: &CStr, entry: Entry) {
        if let Some(node) = &mut self.batch.node {
            node.push(name.to_bytes(), entry);
        }
    }

    fn record_other(&mut self, name: &CStr, stat: &Stat) {
        if self.batch.node.is_some() {
            let entry = Entry::new(
                EntryKind::Other,
                stat.st_size as u64,
                dir::allocated_bytes(stat),
            );
            self.record(name, with_links(entry, stat));
        }
    }

    fn count_file(&mut self, task: &Task, name: &CStr, stat: &Stat) {
        let disk = self.disk_share(&task.job, stat);
        let size = stat.st_size as u64;
        let allocated = dir::allocated_bytes(stat);
        let delta = &mut self.batch.delta;
        delta.files += 1;
        delta.bytes += size;
        delta.disk_bytes += disk;
        let batch = &mut self.batch;
        stats::extension_of(name.to_bytes(), &mut batch.ext);
        batch.stats.add_file(
            &batch.ext,
            size,
            allocated,
            stat.st_mtime,
            batch.floor,
            || child_path(&task.dir, name),
        );
        if batch.node.is_some() {
            let entry = with_links(Entry::new(EntryKind::File, size, allocated), stat);
            self.record(name, entry);
        }
        if self.shared.options.list_files {
            self.batch.files.push(child_path(&task.dir, name));
            if self.batch.files.len() >= LIST_BATCH {
                self.flush();
            }
        }
    }

    fn count_dir(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        name: &CStr,
        stat: &Stat,
        via_link: bool,
    ) {
        let job = &task.job;
        let follow_links = self.shared.options.follow_links;
        if follow_links && !job.first_entry(stat.st_dev, stat.st_ino) {
            // Already entered through another path: a link not followed stays
            // a link, and a link back up is a loop.
            if via_link {
                self.batch.delta.symlinks += 1;
                self.record(name, Entry::new(EntryKind::Other, 0, 0));
            }
            if Ancestor::contains(ancestry, stat.st_dev, stat.st_ino) {
                self.report(
                    job,
                    child_path(&task.dir, name),
                    io::Error::other("filesystem loop: links to one of its own parent directories"),
                );
            }
            return;
        }
        self.batch.delta.dirs += 1;
        self.batch.delta.disk_bytes += dir::allocated_bytes(stat);
        let mut entry = Entry::new(
            EntryKind::Dir,
            stat.st_size as u64,
            dir::allocated_bytes(stat),
        );
        if self.shared.options.one_file_system && job.root_dev() != Some(stat.st_dev) {
            self.batch.delta.skipped_dirs += 1;
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
        let ancestry = follow_links.then(|| {
            Arc::new(Ancestor {
                dev: stat.st_dev,
                ino: stat.st_ino,
                up: ancestry.clone(),
            })
        });
        job.add_pending(1);
        self.local.push(Task {
            job: Arc::clone(job),
            dir: child_arc_path(&mut self.batch.path, &task.dir, name),
            is_root: false,
            follow: via_link,
            ancestry,
            node,
            dev: stat.st_dev,
        });
        self.shared.notify_work();
    }

    /// `-L`: counts what a symlink points to instead of the link.
    fn follow(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        dir: &OwnedFd,
        name: &CStr,
        link: &Stat,
    ) {
        match dir::stat_at(dir, name, true) {
            Ok(target) => match Kind::of(&target) {
                Kind::Dir => self.count_dir(task, ancestry, name, &target, true),
                Kind::File => self.count_file(task, name, &target),
                Kind::Symlink | Kind::Other => {
                    self.batch.delta.other += 1;
                    self.batch.delta.disk_bytes += self.disk_share(&task.job, &target);
                    self.record_other(name, &target);
                }
            },
            // Dangling: the link is all there is.
            Err(Errno::NOENT) => {
                self.batch.delta.symlinks += 1;
                self.batch.delta.disk_bytes += self.disk_share(&task.job, link);
                self.record_other(name, link);
            }
            Err(e) => {
                self.batch.delta.symlinks += 1;
                self.record_other(name, link);
                self.report(&task.job, child_path(&task.dir, name), e.into());
            }
        }
    }

    /// An inode's disk usage the first time this job sees it, else zero.
    #[inline]
    fn disk_share(&self, job: &Job, stat: &Stat) -> u64 {
        let shared_inode = stat.st_nlink > 1 || self.shared.options.follow_links;
        if shared_inode && !job.first_sighting(stat.st_dev, stat.st_ino) {
            return 0;
        }
        dir::allocated_bytes(stat)
    }

    /// Counts an error and sends it with its path at once.
    fn report(&mut self, job: &Job, path: PathBuf, error: io::Error) {
        self.batch.delta.errors += 1;
        let _ = self.shared.events.send(ScanEvent::Error(ScanError {
            job: job.id,
            path,
            error,
        }));
    }

    /// Sends the batch, folds it into its job, and retires finished tasks;
    /// the worker that retires a job's last directory announces its end.
    fn flush(&mut self) {
        let batch = &mut self.batch;
        batch.flushed_at = Instant::now();
        let Some(job) = batch.job.clone() else {
            return;
        };
        if !batch.files.is_empty() {
            let paths = std::mem::take(&mut batch.files);
            let in_flight = self.shared.admit_listed(paths.len());
            let _ = self.shared.events.send(ScanEvent::Files(FileList {
                job: job.id,
                paths,
                _in_flight: in_flight,
            }));
        }
        let delta = std::mem::take(&mut batch.delta);
        let stats = std::mem::take(&mut batch.stats);
        // Into the job first, so that the finished totals include it.
        batch.floor = if stats.is_empty() {
            job.largest_floor()
        } else {
            job.merge_stats(&stats)
        };
        if delta != Totals::default() || batch.entries != 0 || batch.dirs_read != 0 {
            let dir = batch.dir.clone().unwrap_or_else(|| Arc::clone(&job.root));
            let _ = self.shared.events.send(ScanEvent::Progress(Progress {
                worker: self.id,
                job: job.id,
                dir,
                delta,
                dirs_read: batch.dirs_read,
                entries: batch.entries,
                stats: Box::new(stats),
            }));
        }
        batch.dirs_read = 0;
        batch.entries = 0;
        let done = std::mem::take(&mut batch.tasks_done);
        if job.complete(&delta, done) {
            self.shared.finish(&job);
        }
    }
}

impl Batch {
    fn is_for(&self, job: &Arc<Job>) -> bool {
        self.job.as_ref().is_some_and(|mine| Arc::ptr_eq(mine, job))
    }

    fn flush_due(&self) -> bool {
        self.flushed_at.elapsed() >= FLUSH_INTERVAL
    }
}

/// The inode and link count, which an export needs to count hard links once.
fn with_links(mut entry: Entry, stat: &Stat) -> Entry {
    if stat.st_nlink > 1 {
        entry.ino = stat.st_ino;
        entry.nlink = u32::try_from(stat.st_nlink).unwrap_or(u32::MAX);
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

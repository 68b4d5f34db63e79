//! Counting one entry of the directory being read: its stat, its verdict
//! (`classify`), and what follows from it: the batch's totals and file
//! statistics, its record in the kept tree, a task for a directory to enter.

use std::ffi::{CStr, OsStr};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustix::io::Errno;

use super::batch::LIST_BATCH;
use super::classify::{self, Facts, Kind, Rules, Verdict};
use super::dir;
use super::error::Cause;
use super::job::Job;
use super::stats;
use super::task::{Ancestor, Task};
use super::tree::{Entry, EntryKind, NOT_READ};
use super::worker::WorkerCtx;

impl WorkerCtx {
    fn rules(&self, job: &Job) -> Rules {
        let options = &self.shared.options;
        Rules {
            follow_links: options.follow_links,
            one_file_system: options.one_file_system,
            root_dev: job.root_dev(),
        }
    }

    /// Counts one entry of `task.dir`, and queues it if it is a directory.
    #[inline]
    pub(super) fn visit(&mut self, task: &Task, ancestry: &Option<Arc<Ancestor>>, dir: &OwnedFd, name: &CStr) {
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

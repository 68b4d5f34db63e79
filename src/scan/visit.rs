//! Counting one entry of the directory being read: its stat, its verdict
//! (`classify`), and what follows from it: the batch's totals and file
//! statistics, its place in the directory's listing (when the job keeps its
//! tree), a task for a directory to enter.

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
use super::listing::{Base, Entry, EntryKind, NO_NODE};
use super::task::{Ancestor, Task};
use super::worker::WorkerCtx;
use super::{skip, stats};

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
    pub(super) fn visit(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        dir: &OwnedFd,
        name: &CStr,
    ) {
        let job = &task.job;
        self.batch.entries += 1;
        let options = &self.shared.options;
        if !options.exclude.is_empty() {
            let name_os = OsStr::from_bytes(name.to_bytes());
            let relative = task.dir.strip_prefix(&job.root).unwrap_or(Path::new(""));
            if options.exclude.matches(name_os, &relative.join(name_os)) {
                self.record_bare(name, EntryKind::Excluded);
                return;
            }
        }
        let facts = match dir::stat_at(dir, name, false) {
            Ok(stat) => Facts::of(&stat),
            // Gone since it was listed: there is nothing left to count.
            Err(Errno::NOENT) => return,
            Err(e) => {
                self.record_bare(name, EntryKind::Unreadable);
                self.report(job, child_path(&task.dir, name), e.into());
                return;
            }
        };
        if facts.kind == Kind::Symlink && options.follow_links {
            self.follow(task, ancestry, dir, name, &facts);
        } else {
            let verdict = classify::classify(&facts, false, &self.rules(job), &**job);
            self.count(task, ancestry, dir, name, &facts, verdict, None);
        }
    }

    /// A directory to enter that `--exclude-caches` or `--exclude-kernfs`
    /// skips. A kernel filesystem is looked for only where the device
    /// changes: it is mounted.
    fn skips_dir(&self, task: &Task, dir: &OwnedFd, name: &CStr, facts: &Facts) -> bool {
        let options = &self.shared.options;
        let parent_dev = if task.is_root {
            task.job.root_dev()
        } else {
            Some(task.base.dev)
        };
        let kernfs = options.exclude_kernfs && parent_dev != Some(facts.dev);
        if !kernfs && !options.exclude_caches {
            return false;
        }
        let Some(child) = skip::open_child(dir, name) else {
            return false;
        };
        (kernfs && skip::is_kernel_filesystem(&child))
            || (options.exclude_caches && skip::is_tagged_cache(&child))
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
                self.count(task, ancestry, dir, name, &target, verdict, Some(link));
            }
            // Dangling: the link is all there is.
            Err(Errno::NOENT) => {
                let verdict = classify::classify(link, false, &self.rules(job), &**job);
                self.count(task, ancestry, dir, name, link, verdict, None);
            }
            Err(e) => {
                self.batch.delta.symlinks += 1;
                self.record(name, link, EntryKind::Symlink, false, NO_NODE);
                self.report(job, child_path(&task.dir, name), e.into());
            }
        }
    }

    /// Adds a classified entry to the batch: its counts, its listing, and,
    /// for a directory to enter, a task. `link`: the followed link's own
    /// stat, when `facts` are its target's (the directory is then opened
    /// through the link).
    #[allow(clippy::too_many_arguments)]
    fn count(
        &mut self,
        task: &Task,
        ancestry: &Option<Arc<Ancestor>>,
        dir: &OwnedFd,
        name: &CStr,
        facts: &Facts,
        verdict: Verdict,
        link: Option<&Facts>,
    ) {
        if verdict == (Verdict::Dir { enter: true }) && self.skips_dir(task, dir, name, facts) {
            self.record_bare(name, EntryKind::Excluded);
            return;
        }
        self.batch.delta += verdict.totals(facts);
        match verdict {
            Verdict::File { counted } => {
                self.record(name, facts, EntryKind::File, counted, NO_NODE);
                self.file_found(task, name, facts);
            }
            Verdict::Dir { enter: false } => {
                self.record(name, facts, EntryKind::Dir, true, NO_NODE);
            }
            Verdict::Dir { enter: true } => self.dir_found(task, ancestry, name, facts, link),
            Verdict::Symlink { counted } => {
                self.record(name, facts, EntryKind::Symlink, counted, NO_NODE);
            }
            Verdict::Other { counted } => {
                self.record(name, facts, EntryKind::Other, counted, NO_NODE);
            }
            Verdict::Revisited { through_link } => {
                if let (true, Some(link)) = (through_link, link) {
                    // Counted as the link it is, blocks not again.
                    let zero = Facts {
                        size: 0,
                        allocated: 0,
                        ..*link
                    };
                    self.record(name, &zero, EntryKind::Symlink, false, NO_NODE);
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
        link: Option<&Facts>,
    ) {
        let job = &task.job;
        let (node, chain) = match &task.chain {
            Some(chain) => {
                let node = job.new_node();
                (node, Some(chain.child(node)))
            }
            None => (NO_NODE, None),
        };
        self.record(name, facts, EntryKind::Dir, true, node);
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
            follow: link.is_some(),
            ancestry,
            chain,
            base: Base {
                dev: facts.dev,
                ino: facts.ino,
                mtime: facts.mtime,
            },
        };
        self.shared.queue.push(&self.local, child);
    }

    /// Lists an entry, when the job keeps its tree.
    #[inline]
    fn record(&mut self, name: &CStr, facts: &Facts, kind: EntryKind, counted: bool, node: u32) {
        if let Some(listing) = &mut self.batch.listing {
            listing.writer.push(&Entry {
                name: name.to_bytes(),
                kind,
                size: facts.size,
                blocks: facts.allocated / 512,
                mtime: facts.mtime,
                ino: facts.ino,
                dev: facts.dev,
                // A directory's links are its subdirectories, not hard links.
                nlink: if kind == EntryKind::Dir {
                    1
                } else {
                    facts.nlink
                },
                node,
                counted,
                other_fs: kind == EntryKind::Dir && node == NO_NODE,
            });
        }
    }

    /// Lists an entry known by its name only (unreadable, or excluded).
    fn record_bare(&mut self, name: &CStr, kind: EntryKind) {
        if let Some(listing) = &mut self.batch.listing {
            let base = listing.writer.base;
            listing.writer.push(&Entry {
                name: name.to_bytes(),
                kind,
                size: 0,
                blocks: 0,
                mtime: base.mtime,
                ino: base.ino,
                dev: base.dev,
                nlink: 1,
                node: NO_NODE,
                counted: false,
                other_fs: false,
            });
        }
    }
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

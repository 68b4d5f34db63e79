//! Removing a directory and everything below it, by descriptor, on several
//! threads: each directory is a task, opened relative to its parent's
//! descriptor (never through a symlink, never onto another filesystem or
//! mount), emptied entry by entry, and removed from its parent once its
//! last subdirectory is. The stop flag is read between entries.

use std::ffi::{CStr, CString, OsStr};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crossbeam_channel::Sender;
use rustix::fs::{AtFlags, FileType, RawDir};
use rustix::io::Errno;

use super::Problem;
use super::crew::Crew;
use super::descend::{self, Refusal};
use super::plan::Identity;

/// getdents buffer per thread.
pub(super) const DIRENT_BUFFER: usize = 64 * 1024;

/// Names a thread unlinks before it offers the next ones of the same
/// directory to an idle thread: a flat directory is not emptied by one
/// thread while the others wait (unlinks in one directory overlap in the
/// filesystem's work outside the directory's lock).
const BATCH: usize = 512;

/// One directory to empty and remove.
pub(super) struct DirTask {
    parent: Parent,
    name: CString,
    identity: Identity,
    path: PathBuf,
    fd: OnceLock<OwnedFd>,
    /// Its own listing, its batches of names handed out, and its
    /// subdirectories not yet removed.
    pub(super) pending: AtomicUsize,
    /// Something below it stays: it cannot be removed.
    left: AtomicBool,
}

/// Where a directory is removed from.
pub(super) enum Parent {
    Dir(Arc<DirTask>),
    /// The top of the subtree: its parent was opened and checked by the
    /// caller, who hears, on `done`, whether the whole subtree went.
    Top {
        fd: Arc<OwnedFd>,
        done: Sender<bool>,
    },
}

impl Crew {
    /// Queues the removal of `name` in the open, checked directory `parent`.
    pub(super) fn remove_tree(
        &self,
        parent: Arc<OwnedFd>,
        name: CString,
        identity: Identity,
        path: PathBuf,
        done: Sender<bool>,
    ) {
        self.push(Arc::new(DirTask {
            parent: Parent::Top { fd: parent, done },
            name,
            identity,
            path,
            fd: OnceLock::new(),
            pending: AtomicUsize::new(1),
            left: AtomicBool::new(false),
        }));
    }

    /// Opens the task's directory and removes what it holds.
    pub(super) fn empty(&self, task: &Arc<DirTask>, buffer: &mut Vec<u8>) {
        if self.stop.load(Ordering::Relaxed) {
            task.left.store(true, Ordering::Relaxed);
            return;
        }
        let Some(parent) = task.parent.fd() else {
            task.left.store(true, Ordering::Relaxed);
            return;
        };
        let fd =
            match descend::open_verified(parent, task.name.as_bytes(), task.identity, &task.path) {
                Ok(fd) => fd,
                Err(Refusal::Vanished(_)) => return,
                Err(refusal) => {
                    self.problem(Problem::Refused(refusal));
                    task.left.store(true, Ordering::Relaxed);
                    return;
                }
            };
        if descend::is_mount_root(&fd) {
            self.problem(Problem::MountPoint(task.path.clone()));
            task.left.store(true, Ordering::Relaxed);
            return;
        }
        let fd = task.fd.get_or_init(|| fd);
        let mut listing = RawDir::new(fd, buffer.spare_capacity_mut() as &mut [MaybeUninit<u8>]);
        let mut names = Vec::new();
        let mut count = 0;
        while let Some(next) = listing.next() {
            if self.stop.load(Ordering::Relaxed) {
                task.left.store(true, Ordering::Relaxed);
                return;
            }
            if count == BATCH {
                if let Some(kept) = self.offer(task, std::mem::take(&mut names)) {
                    self.unlink_all(task, &kept);
                }
                count = 0;
            }
            let entry = match next {
                Ok(entry) => entry,
                Err(e) => {
                    self.problem(Problem::Io(task.path.clone(), e.into()));
                    task.left.store(true, Ordering::Relaxed);
                    return;
                }
            };
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            match entry.file_type() {
                FileType::Directory => self.subdirectory(task, fd, name),
                FileType::Unknown => {
                    match rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                        Ok(stat)
                            if FileType::from_raw_mode(stat.st_mode) == FileType::Directory =>
                        {
                            self.subdirectory(task, fd, name);
                        }
                        _ => count += push_name(&mut names, name),
                    }
                }
                _ => count += push_name(&mut names, name),
            }
        }
        self.unlink_all(task, &names);
    }

    /// Unlinks each NUL-ended name of `names` in the task's open directory.
    pub(super) fn unlink_all(&self, task: &Arc<DirTask>, names: &[u8]) {
        let Some(dir) = task.fd.get() else {
            return;
        };
        for name in names.split_inclusive(|&b| b == 0) {
            if self.stop.load(Ordering::Relaxed) {
                task.left.store(true, Ordering::Relaxed);
                return;
            }
            if let Ok(name) = CStr::from_bytes_with_nul(name) {
                self.unlink(task, dir, name);
            }
        }
    }

    fn unlink(&self, task: &Arc<DirTask>, dir: &OwnedFd, name: &CStr) {
        match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
            Ok(()) => {
                self.removed.fetch_add(1, Ordering::Relaxed);
            }
            // Gone meanwhile: nothing to do.
            Err(Errno::NOENT) => {}
            // A directory now (it was replaced): it is looked at as one.
            Err(Errno::ISDIR) => self.subdirectory(task, dir, name),
            Err(e) => {
                self.problem(Problem::Io(child_path(task, name), e.into()));
                task.left.store(true, Ordering::Relaxed);
            }
        }
    }

    /// A directory inside: queued, unless it is on another filesystem.
    fn subdirectory(&self, task: &Arc<DirTask>, dir: &OwnedFd, name: &CStr) {
        let path = child_path(task, name);
        let stat = match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => stat,
            Err(Errno::NOENT) => return,
            Err(e) => {
                self.problem(Problem::Io(path, e.into()));
                task.left.store(true, Ordering::Relaxed);
                return;
            }
        };
        if FileType::from_raw_mode(stat.st_mode) != FileType::Directory {
            // Replaced by something else since it was listed: unlinked as that.
            return self.unlink(task, dir, name);
        }
        if stat.st_dev != task.identity.dev {
            self.problem(Problem::OtherFilesystem(path));
            task.left.store(true, Ordering::Relaxed);
            return;
        }
        task.pending.fetch_add(1, Ordering::AcqRel);
        self.push(Arc::new(DirTask {
            parent: Parent::Dir(Arc::clone(task)),
            name: name.to_owned(),
            identity: Identity {
                dev: stat.st_dev,
                ino: stat.st_ino,
            },
            path,
            fd: OnceLock::new(),
            pending: AtomicUsize::new(1),
            left: AtomicBool::new(false),
        }));
    }

    /// One of the task's parts is done; after the last, the directory is
    /// removed (if it is empty) and its parent hears of it.
    pub(super) fn complete(&self, task: Arc<DirTask>) {
        let mut task = task;
        loop {
            if task.pending.fetch_sub(1, Ordering::AcqRel) != 1 {
                return;
            }
            let gone = !task.left.load(Ordering::Relaxed) && self.remove_dir(&task);
            match &task.parent {
                Parent::Top { done, .. } => {
                    let _ = done.send(gone);
                    return;
                }
                Parent::Dir(parent) => {
                    if !gone {
                        parent.left.store(true, Ordering::Relaxed);
                    }
                    let parent = Arc::clone(parent);
                    task = parent;
                }
            }
        }
    }

    /// Removes the emptied directory, if its name still names it.
    fn remove_dir(&self, task: &DirTask) -> bool {
        let Some(parent) = task.parent.fd() else {
            return false;
        };
        match rustix::fs::statat(parent, task.name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) if stat.st_dev == task.identity.dev && stat.st_ino == task.identity.ino => {}
            Ok(_) => {
                self.problem(Problem::Refused(Refusal::Changed(task.path.clone())));
                return false;
            }
            Err(Errno::NOENT) => return true,
            Err(e) => {
                self.problem(Problem::Io(task.path.clone(), e.into()));
                return false;
            }
        }
        match rustix::fs::unlinkat(parent, task.name.as_c_str(), AtFlags::REMOVEDIR) {
            Ok(()) => {
                self.removed.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(Errno::NOENT) => true,
            Err(e) => {
                self.problem(Problem::Io(task.path.clone(), e.into()));
                false
            }
        }
    }
}

impl Parent {
    /// The open parent (a subdirectory is only queued by its open parent).
    fn fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        match self {
            Parent::Top { fd, .. } => Some(fd.as_fd()),
            Parent::Dir(task) => task.fd.get().map(AsFd::as_fd),
        }
    }
}

fn push_name(names: &mut Vec<u8>, name: &CStr) -> usize {
    names.extend_from_slice(name.to_bytes_with_nul());
    1
}

fn child_path(task: &DirTask, name: &CStr) -> PathBuf {
    task.path.join(OsStr::from_bytes(name.to_bytes()))
}

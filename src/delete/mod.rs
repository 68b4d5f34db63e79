//! Deleting what the user marked in the browser, and nothing else.
//!
//! Each target is reached from the scan's root by descriptor, every
//! directory on the way checked to be the one the scan saw (`descend`); the
//! target itself must still have the device and inode the scan recorded. A
//! directory is emptied by descriptor on several threads (`empty`), never
//! following a symlink, never entering another filesystem or a mount. What
//! could not be removed is reported with its path and reason; a stop is
//! heard between two entries. The trash is the freedesktop.org one, through
//! the `trash` crate, for the targets only (it moves them whole).
//!
//! This module does not touch the tree: the dashboard applies the results
//! it is told of (`DeleteEvent`).

mod crew;
mod descend;
mod empty;
mod plan;

use std::fmt;
use std::io;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use rustix::fs::{AtFlags, FileType};
use rustix::io::Errno;

pub use descend::Refusal;
pub use plan::{Identity, NotDeletable, Step, Target, target};

use crate::scan::listing::EntryKind;
use crew::Crew;

/// Threads that empty directories.
const THREADS: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Removed for good.
    Delete,
    /// Moved to the user's trash, whole.
    Trash,
}

/// Something that was not removed, and why.
#[derive(Debug)]
pub enum Problem {
    Refused(Refusal),
    /// A directory on another filesystem: left as it is.
    OtherFilesystem(PathBuf),
    /// A mount point (of any filesystem): left as it is.
    MountPoint(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Refused(refusal) => refusal.fmt(f),
            Problem::OtherFilesystem(path) => {
                write!(f, "{}: on another filesystem, not entered", path.display())
            }
            Problem::MountPoint(path) => {
                write!(f, "{}: a mount point, not entered", path.display())
            }
            Problem::Io(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

/// What became of one target.
#[derive(Debug)]
pub enum Outcome {
    /// It is gone, all of it.
    Removed,
    /// Some of it is gone; what stays was reported (or the run was stopped).
    Partial,
    /// Nothing of it was touched.
    Refused(Refusal),
}

#[derive(Debug)]
pub enum DeleteEvent {
    Problem(Problem),
    /// `index` into the targets given.
    TargetDone {
        index: usize,
        outcome: Outcome,
    },
    /// Every target was handled (or the run was stopped before some).
    Finished {
        stopped: bool,
    },
}

/// A deletion running on its own threads.
pub struct Deletion {
    stop: Arc<AtomicBool>,
    removed: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl Deletion {
    /// Starts removing (or trashing) `targets`, in order.
    pub fn start(
        targets: Vec<Target>,
        mode: Mode,
    ) -> io::Result<(Deletion, Receiver<DeleteEvent>)> {
        let (events, receiver) = unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let removed = Arc::new(AtomicU64::new(0));
        let crew = Crew::new(Arc::clone(&stop), Arc::clone(&removed), events.clone());
        let thread = std::thread::Builder::new()
            .name("dirdash-delete".into())
            .spawn(move || run(&crew, &targets, mode, &events))?;
        Ok((
            Deletion {
                stop,
                removed,
                thread: Some(thread),
            },
            receiver,
        ))
    }

    /// Asks to stop between two entries.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Entries removed so far (a trashed target counts what it held).
    pub fn removed(&self) -> u64 {
        self.removed.load(Ordering::Relaxed)
    }
}

impl Drop for Deletion {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(crew: &Arc<Crew>, targets: &[Target], mode: Mode, events: &Sender<DeleteEvent>) {
    raise_descriptor_limit();
    let threads = match mode {
        Mode::Delete => crew.spawn(THREADS),
        Mode::Trash => Ok(Vec::new()),
    };
    let threads = match threads {
        Ok(threads) => threads,
        Err(e) => {
            for (index, target) in targets.iter().enumerate() {
                let refusal =
                    Refusal::Failed(target.path.clone(), io::Error::new(e.kind(), e.to_string()));
                let _ = events.send(DeleteEvent::TargetDone {
                    index,
                    outcome: Outcome::Refused(refusal),
                });
            }
            let _ = events.send(DeleteEvent::Finished { stopped: false });
            return;
        }
    };
    let mut stopped = false;
    for (index, target) in targets.iter().enumerate() {
        if crew.stop.load(Ordering::Relaxed) {
            stopped = true;
            break;
        }
        let outcome = match mode {
            Mode::Delete => delete(crew, target),
            Mode::Trash => trash(crew, target),
        };
        let _ = events.send(DeleteEvent::TargetDone { index, outcome });
    }
    crew.close();
    for thread in threads {
        let _ = thread.join();
    }
    stopped |= crew.stop.load(Ordering::Relaxed);
    let _ = events.send(DeleteEvent::Finished { stopped });
}

/// Opens the target's directory and checks the target is what the scan saw.
fn reach(target: &Target) -> Result<(OwnedFd, FileType), Refusal> {
    let parent = descend::open_parent(&target.root, target.root_identity, &target.steps)?;
    let Some(name) = descend::c_name(&target.name) else {
        return Err(Refusal::Changed(target.path.clone()));
    };
    let stat = match rustix::fs::statat(&parent, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) => stat,
        Err(Errno::NOENT) => return Err(Refusal::Vanished(target.path.clone())),
        Err(e) => return Err(Refusal::Failed(target.path.clone(), e.into())),
    };
    let kind = FileType::from_raw_mode(stat.st_mode);
    let same_kind = (kind == FileType::Directory) == (target.kind == EntryKind::Dir);
    if stat.st_dev != target.identity.dev || stat.st_ino != target.identity.ino || !same_kind {
        return Err(Refusal::Changed(target.path.clone()));
    }
    Ok((parent, kind))
}

fn delete(crew: &Arc<Crew>, target: &Target) -> Outcome {
    let (parent, kind) = match reach(target) {
        Ok(reached) => reached,
        Err(refusal) => return Outcome::Refused(refusal),
    };
    let Some(name) = descend::c_name(&target.name) else {
        return Outcome::Refused(Refusal::Changed(target.path.clone()));
    };
    if kind != FileType::Directory {
        // A symlink is removed as the link it is.
        return match rustix::fs::unlinkat(&parent, name.as_c_str(), AtFlags::empty()) {
            Ok(()) => {
                crew.removed.fetch_add(1, Ordering::Relaxed);
                Outcome::Removed
            }
            Err(Errno::NOENT) => Outcome::Refused(Refusal::Vanished(target.path.clone())),
            Err(e) => Outcome::Refused(Refusal::Failed(target.path.clone(), e.into())),
        };
    }
    let (done, finished) = bounded(1);
    crew.remove_tree(
        Arc::new(parent),
        name,
        target.identity,
        target.path.clone(),
        done,
    );
    match finished.recv() {
        Ok(true) => Outcome::Removed,
        _ => Outcome::Partial,
    }
}

fn trash(crew: &Arc<Crew>, target: &Target) -> Outcome {
    // Checked by descriptor first; the trash moves it by its path just
    // after (a rename: a mistake is undone from the trash).
    if let Err(refusal) = reach(target) {
        return Outcome::Refused(refusal);
    }
    match trash::delete(&target.path) {
        Ok(()) => {
            crew.removed.fetch_add(target.entries, Ordering::Relaxed);
            Outcome::Removed
        }
        Err(e) => Outcome::Refused(Refusal::Failed(
            target.path.clone(),
            io::Error::other(format!("cannot move it to the trash: {e}")),
        )),
    }
}

/// Every directory being emptied holds a descriptor while its
/// subdirectories are: a deep tree needs more than the usual soft limit.
fn raise_descriptor_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        let raised = rustix::process::Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        // Refused: the usual limit stays, and a very deep tree may report
        // "too many open files" for what stays.
        let _ = setrlimit(Resource::Nofile, raised);
    }
}

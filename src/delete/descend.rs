//! Opening directories without trusting paths: from the root down, each
//! directory is opened relative to the one above it, never through a
//! symlink, and must be the one the scan saw (same device and inode). What
//! is opened this way can be worked in by descriptor alone.

use std::ffi::CString;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, CWD, Mode, OFlags, StatxAttributes, StatxFlags};
use rustix::io::Errno;

use super::plan::{Identity, Step};

/// Why a target was not touched.
#[derive(Debug)]
pub enum Refusal {
    /// The directory or entry is not the one the scan saw: replaced (by a
    /// symlink, another directory, another file) since.
    Changed(PathBuf),
    /// It is gone.
    Vanished(PathBuf),
    /// It could not be opened or read.
    Failed(PathBuf, io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Changed(path) => {
                write!(f, "{}: changed since the scan, not touched", path.display())
            }
            Refusal::Vanished(path) => write!(f, "{}: gone since the scan", path.display()),
            Refusal::Failed(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

/// Flags for a directory opened to work in: never through a symlink.
pub(super) fn dir_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

/// The identity of an open file.
pub(super) fn identity_of(fd: impl AsFd) -> rustix::io::Result<Identity> {
    let stat = rustix::fs::fstat(fd)?;
    Ok(Identity {
        dev: stat.st_dev,
        ino: stat.st_ino,
    })
}

/// Whether the open directory is the root of a mount (a bind mount of the
/// same filesystem included, which its device would not tell).
pub(super) fn is_mount_root(fd: impl AsFd) -> bool {
    match rustix::fs::statx(fd, "", AtFlags::EMPTY_PATH, StatxFlags::BASIC_STATS) {
        Ok(stat) => {
            let root = StatxAttributes::MOUNT_ROOT;
            stat.stx_attributes_mask.contains(root) && stat.stx_attributes.contains(root)
        }
        Err(_) => false,
    }
}

pub(super) fn c_name(name: &[u8]) -> Option<CString> {
    CString::new(name).ok()
}

/// Opens `name` in `dir` as a directory and checks it is `expected`.
pub(super) fn open_verified(
    dir: impl AsFd,
    name: &[u8],
    expected: Identity,
    path: &Path,
) -> Result<OwnedFd, Refusal> {
    let Some(c) = c_name(name) else {
        return Err(Refusal::Changed(path.to_path_buf()));
    };
    let fd = rustix::fs::openat(dir, c.as_c_str(), dir_flags(), Mode::empty())
        .map_err(|e| refusal(e, path))?;
    let found = identity_of(&fd).map_err(|e| Refusal::Failed(path.to_path_buf(), e.into()))?;
    if found != expected {
        return Err(Refusal::Changed(path.to_path_buf()));
    }
    Ok(fd)
}

/// What an error opening a directory the scan saw means.
fn refusal(e: Errno, path: &Path) -> Refusal {
    match e {
        // A symlink (O_NOFOLLOW) or not a directory any more.
        Errno::LOOP | Errno::NOTDIR => Refusal::Changed(path.to_path_buf()),
        Errno::NOENT => Refusal::Vanished(path.to_path_buf()),
        e => Refusal::Failed(path.to_path_buf(), e.into()),
    }
}

/// Opens the directory that holds a target: the root, then each step, each
/// checked against what the scan saw.
pub(super) fn open_parent(
    root: &Path,
    root_id: Identity,
    steps: &[Step],
) -> Result<OwnedFd, Refusal> {
    let fd =
        rustix::fs::openat(CWD, root, dir_flags(), Mode::empty()).map_err(|e| refusal(e, root))?;
    let found = identity_of(&fd).map_err(|e| Refusal::Failed(root.to_path_buf(), e.into()))?;
    if found != root_id {
        return Err(Refusal::Changed(root.to_path_buf()));
    }
    let mut path = root.to_path_buf();
    let mut dir = fd;
    for step in steps {
        path.push(std::ffi::OsStr::from_bytes(&step.name));
        dir = open_verified(&dir, &step.name, step.identity, &path)?;
    }
    Ok(dir)
}

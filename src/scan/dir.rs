//! Reading one directory at the speed of the kernel: open it (also below
//! PATH_MAX), list its entries with getdents into a reused buffer, and stat
//! each entry relative to the open directory.

use std::ffi::{CStr, OsStr};
use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{AtFlags, CWD, Mode, OFlags, RawDir, Stat};

/// The longest path the kernel resolves in one call, terminating NUL included.
const PATH_MAX: usize = 4096;

/// getdents buffer: large enough that one call returns a few hundred entries.
const DIRENT_BUFFER: usize = 64 * 1024;

/// Opens `path` as a directory. `follow` decides whether a final symlink is
/// followed; a path longer than PATH_MAX is opened piece by piece with openat.
pub(crate) fn open_dir(path: &Path, follow: bool) -> io::Result<OwnedFd> {
    let last = OFlags::RDONLY
        | OFlags::DIRECTORY
        | OFlags::CLOEXEC
        | if follow {
            OFlags::empty()
        } else {
            OFlags::NOFOLLOW
        };
    let bytes = path.as_os_str().as_bytes();
    if bytes.len() < PATH_MAX {
        return Ok(rustix::fs::openat(CWD, path, last, Mode::empty())?);
    }
    // Intermediate pieces are directories the scan already walked through.
    let through = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut dir: Option<OwnedFd> = None;
    let mut rest = bytes;
    while !rest.is_empty() {
        let end = if rest.len() < PATH_MAX {
            rest.len()
        } else {
            match rest[..PATH_MAX].iter().rposition(|&b| b == b'/') {
                Some(0) | None => return Err(io::Error::from_raw_os_error(libc_enametoolong())),
                Some(slash) => slash,
            }
        };
        let piece = Path::new(OsStr::from_bytes(&rest[..end]));
        rest = &rest[end..];
        while let [b'/', tail @ ..] = rest {
            rest = tail;
        }
        let flags = if rest.is_empty() { last } else { through };
        let opened = match &dir {
            Some(parent) => rustix::fs::openat(parent, piece, flags, Mode::empty())?,
            None => rustix::fs::openat(CWD, piece, flags, Mode::empty())?,
        };
        dir = Some(opened);
    }
    dir.ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
}

fn libc_enametoolong() -> i32 {
    rustix::io::Errno::NAMETOOLONG.raw_os_error()
}

/// `lstat` (or `stat`, when `follow`) of `name` inside the open directory.
pub(crate) fn stat_at(dir: impl AsFd, name: &CStr, follow: bool) -> rustix::io::Result<Stat> {
    let flags = if follow {
        AtFlags::empty()
    } else {
        AtFlags::SYMLINK_NOFOLLOW
    };
    rustix::fs::statat(dir, name, flags)
}

pub(crate) fn stat_open(dir: impl AsFd) -> rustix::io::Result<Stat> {
    rustix::fs::fstat(dir)
}

/// A worker's reusable getdents buffer.
pub(crate) struct EntryBuffer {
    buf: Vec<u8>,
}

impl EntryBuffer {
    pub(crate) fn new() -> Self {
        EntryBuffer {
            buf: Vec::with_capacity(DIRENT_BUFFER),
        }
    }

    /// Lists the open directory `dir`; skip `.` and `..` with [`is_dot`].
    pub(crate) fn list<'a>(&'a mut self, dir: &'a OwnedFd) -> RawDir<'a, &'a OwnedFd> {
        let spare: &mut [MaybeUninit<u8>] = self.buf.spare_capacity_mut();
        RawDir::new(dir, spare)
    }
}

/// `.` and `..`, which getdents lists and a scan skips.
pub(crate) fn is_dot(name: &CStr) -> bool {
    matches!(name.to_bytes(), b"." | b"..")
}

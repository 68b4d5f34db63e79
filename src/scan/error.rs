//! Why an entry or a directory could not be counted: a value with its path
//! and its kind, from the worker that met it to the JSON and the screen.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::event::JobId;

/// An entry or directory that could not be read, with its path.
#[derive(Debug)]
pub struct ScanError {
    pub job: JobId,
    pub path: PathBuf,
    pub cause: Cause,
}

/// What went wrong, by kind.
#[derive(Debug)]
pub enum Cause {
    /// A system call failed: its `ErrorKind` and errno are in the error.
    Io(io::Error),
    /// `-L`: a link to one of its own parent directories.
    Loop,
    /// A worker panicked while reading the directory; it was skipped.
    WorkerPanic(String),
}

impl Cause {
    /// The kind as the JSON summary names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Cause::Io(e) => io_kind(e.kind()),
            Cause::Loop => "loop",
            Cause::WorkerPanic(_) => "worker_panic",
        }
    }

    /// The errno of a failed system call.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Cause::Io(e) => e.raw_os_error(),
            Cause::Loop | Cause::WorkerPanic(_) => None,
        }
    }
}

impl From<io::Error> for Cause {
    fn from(e: io::Error) -> Cause {
        Cause::Io(e)
    }
}

impl From<rustix::io::Errno> for Cause {
    fn from(e: rustix::io::Errno) -> Cause {
        Cause::Io(e.into())
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Io(e) => e.fmt(f),
            Cause::Loop => {
                f.write_str("filesystem loop: links to one of its own parent directories")
            }
            Cause::WorkerPanic(message) => {
                write!(f, "internal error, directory skipped: {message}")
            }
        }
    }
}

/// The I/O kinds a scan meets, named for the JSON; the rest are `io`.
fn io_kind(kind: io::ErrorKind) -> &'static str {
    match kind {
        io::ErrorKind::PermissionDenied => "permission_denied",
        io::ErrorKind::NotFound => "not_found",
        io::ErrorKind::NotADirectory => "not_a_directory",
        io::ErrorKind::InvalidFilename => "name_too_long",
        io::ErrorKind::ResourceBusy => "busy",
        io::ErrorKind::ReadOnlyFilesystem => "read_only_filesystem",
        io::ErrorKind::TimedOut => "timed_out",
        _ => "io",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_keep_their_kind_and_errno() {
        let cause = Cause::from(io::Error::from_raw_os_error(13));
        assert_eq!(cause.kind(), "permission_denied");
        assert_eq!(cause.errno(), Some(13));
        assert_eq!(cause.to_string(), "Permission denied (os error 13)");
        let cause = Cause::from(rustix::io::Errno::NAMETOOLONG);
        assert_eq!(cause.kind(), "name_too_long");
        assert_eq!(cause.errno(), Some(36));
        assert_eq!(Cause::from(io::Error::from_raw_os_error(5)).kind(), "io");
    }

    #[test]
    fn loops_and_panics_are_kinds_of_their_own() {
        assert_eq!(Cause::Loop.kind(), "loop");
        assert_eq!(Cause::Loop.errno(), None);
        let panic = Cause::WorkerPanic("boom".into());
        assert_eq!(panic.kind(), "worker_panic");
        assert_eq!(panic.to_string(), "internal error, directory skipped: boom");
    }
}

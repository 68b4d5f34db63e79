//! What can go wrong with the history file, named with the file: a scan
//! never fails because of it, the front ends print the message as a warning.

use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Not a database, or a damaged one.
    Corrupt,
    /// Another process held it past the busy timeout.
    Locked,
    /// The disk is full.
    Full,
    /// The file or its directory cannot be written (or created).
    Unwritable,
    /// Written by a newer dirdash: its schema is not known here.
    Newer,
    Other,
}

#[derive(Debug)]
pub struct HistoryError {
    pub path: PathBuf,
    pub kind: Kind,
    pub detail: String,
}

impl HistoryError {
    pub(crate) fn new(path: &Path, kind: Kind, detail: impl Into<String>) -> HistoryError {
        HistoryError {
            path: path.to_path_buf(),
            kind,
            detail: detail.into(),
        }
    }

    pub(crate) fn sqlite(path: &Path, e: &rusqlite::Error) -> HistoryError {
        let kind = match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Kind::Corrupt,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Kind::Locked,
            Some(ErrorCode::DiskFull) => Kind::Full,
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                Kind::Unwritable
            }
            Some(ErrorCode::SystemIoFailure) if no_room_beside(path) => Kind::Full,
            _ => Kind::Other,
        };
        HistoryError::new(path, kind, e.to_string())
    }

    pub(crate) fn io(path: &Path, e: &std::io::Error) -> HistoryError {
        let kind = match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                Kind::Unwritable
            }
            std::io::ErrorKind::StorageFull => Kind::Full,
            _ => Kind::Other,
        };
        HistoryError::new(path, kind, e.to_string())
    }
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            Kind::Corrupt => "not a usable database",
            Kind::Locked => "locked by another process",
            Kind::Full => "the disk is full",
            Kind::Unwritable => "cannot be written",
            Kind::Newer => "written by a newer dirdash",
            Kind::Other => "cannot be used",
        };
        write!(f, "{}: {what} ({})", self.path.display(), self.detail)
    }
}

impl std::error::Error for HistoryError {}

/// SQLite reports some writes that found no room (its shared-memory file)
/// as plain I/O errors: the filesystem says whether it is full.
fn no_room_beside(path: &Path) -> bool {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    rustix::fs::statvfs(dir).is_ok_and(|fs| fs.f_bavail.saturating_mul(fs.f_frsize) < 64 * 1024)
}

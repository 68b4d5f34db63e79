//! The history of scans, in an SQLite file: every job that ends is recorded
//! (its totals and each directory's cumulative sizes), so a rescan knows
//! how far along it is and what changed since. Opened by whoever records
//! or reads; WAL and a busy timeout let several processes share the file.
//! A failure here never costs a scan: the caller warns with the message.

mod baseline;
mod diff;
mod error;
#[cfg(feature = "fault-injection")]
mod fault;
mod inodes;
mod key;
mod query;
mod record;
pub mod recorder;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use baseline::{BASE_ROOT, Baseline, BaselineDirs, DirSize};
pub use diff::{Change, Diff, DiffError};
pub use error::{HistoryError, Kind};
pub use inodes::used_inodes;
pub use key::Counting;
pub use query::ScanRow;
pub use record::Recording;
pub use recorder::{Open, Recorder, Reply, Request};

/// How long a writer waits for another one before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Complete scans kept per root and options, unless told otherwise.
pub const KEEP: usize = 20;

/// A scan's id in the file.
pub type ScanId = i64;

pub struct History {
    conn: Connection,
    path: PathBuf,
}

/// `$XDG_STATE_HOME/dirdash/history.sqlite3`, or under
/// `~/.local/state` when it is unset; `None` without a home.
pub fn default_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|dir| Path::new(dir).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/state")))?;
    Some(state.join("dirdash").join("history.sqlite3"))
}

impl History {
    /// Opens the file, creating it (and its directory) if needed, and
    /// brings its schema up to date.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| HistoryError::io(dir, &e))?;
        }
        History::connect(path, OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens the file for reading what it holds; `Ok(None)` when there is
    /// no file (nothing was recorded yet).
    pub fn open_existing(path: &Path) -> Result<Option<History>, HistoryError> {
        if !path.exists() {
            return Ok(None);
        }
        History::connect(path, OpenFlags::empty()).map(Some)
    }

    fn connect(path: &Path, create: OpenFlags) -> Result<History, HistoryError> {
        let sqlite = |e: rusqlite::Error| HistoryError::sqlite(path, &e);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | create;
        let mut conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        // WAL: readers never wait for a writer, writers wait their turn.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(sqlite)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(HistoryError::new(
                path,
                Kind::Other,
                format!("journal mode {mode}, not WAL"),
            ));
        }
        // In WAL, NORMAL loses at most the last commits on a power cut,
        // never the file's consistency.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        if !schema::migrate(&mut conn, schema::current()).map_err(sqlite)? {
            let version = schema::version(&conn).unwrap_or(0);
            return Err(HistoryError::new(
                path,
                Kind::Newer,
                format!(
                    "schema version {version}; this one knows up to {}",
                    schema::current()
                ),
            ));
        }
        Ok(History {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, e: &rusqlite::Error) -> HistoryError {
        HistoryError::sqlite(&self.path, e)
    }
}

#[cfg(test)]
mod tests;

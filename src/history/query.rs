//! Reading scans back: one, a root's latest complete one, or all of them.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Row, params};

use super::{History, HistoryError, ScanId};

/// A recorded scan, as `dirdash history` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanRow {
    pub id: ScanId,
    pub root: PathBuf,
    /// `Counting::key` of its options.
    pub options: String,
    /// Unix seconds.
    pub started: i64,
    pub ended: i64,
    /// The job's end: `done`, `stopped`, `cancelled`, `failed`.
    pub state: String,
    /// Ended by itself: a baseline for the next scan.
    pub complete: bool,
    pub files: u64,
    pub dirs: u64,
    pub bytes: u64,
    pub disk_bytes: u64,
    pub errors: u64,
    pub entries: u64,
    pub elapsed_ms: u64,
}

const COLUMNS: &str = "id, root, options, started, ended, state, complete, files, dirs, bytes,
    disk_bytes, errors, entries, elapsed_ms";

fn count(row: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(row.get::<_, i64>(i)?).unwrap_or(0))
}

impl ScanRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<ScanRow> {
        let root: Vec<u8> = row.get(1)?;
        Ok(ScanRow {
            id: row.get(0)?,
            root: PathBuf::from(OsStr::from_bytes(&root)),
            options: row.get(2)?,
            started: row.get(3)?,
            ended: row.get(4)?,
            state: row.get(5)?,
            complete: row.get(6)?,
            files: count(row, 7)?,
            dirs: count(row, 8)?,
            bytes: count(row, 9)?,
            disk_bytes: count(row, 10)?,
            errors: count(row, 11)?,
            entries: count(row, 12)?,
            elapsed_ms: count(row, 13)?,
        })
    }
}

impl History {
    pub fn scan(&self, id: ScanId) -> Result<Option<ScanRow>, HistoryError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM scans WHERE id = ?1"),
                [id],
                ScanRow::from_row,
            )
            .optional()
            .map_err(|e| self.error(&e))
    }

    /// The newest complete scan of `root` with these options.
    pub fn latest_complete(
        &self,
        root: &Path,
        options: &str,
    ) -> Result<Option<ScanRow>, HistoryError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM scans WHERE root = ?1 AND options = ?2 AND complete = 1
                     ORDER BY id DESC LIMIT 1"
                ),
                params![root.as_os_str().as_bytes(), options],
                ScanRow::from_row,
            )
            .optional()
            .map_err(|e| self.error(&e))
    }

    /// The recorded scans, newest first: of `root` only, or all.
    pub fn scans(&self, root: Option<&Path>) -> Result<Vec<ScanRow>, HistoryError> {
        let sqlite = |e: rusqlite::Error| self.error(&e);
        let rows = match root {
            Some(root) => {
                let mut select = self
                    .conn
                    .prepare(&format!(
                        "SELECT {COLUMNS} FROM scans WHERE root = ?1 ORDER BY id DESC"
                    ))
                    .map_err(sqlite)?;
                let rows = select
                    .query_map([root.as_os_str().as_bytes()], ScanRow::from_row)
                    .map_err(sqlite)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            }
            None => {
                let mut select = self
                    .conn
                    .prepare(&format!("SELECT {COLUMNS} FROM scans ORDER BY id DESC"))
                    .map_err(sqlite)?;
                let rows = select.query_map([], ScanRow::from_row).map_err(sqlite)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            }
        };
        rows.map_err(sqlite)
    }
}

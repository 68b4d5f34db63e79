//! Writing one ended job: its scan row, every directory of its tree with
//! its cumulative sizes, its largest files, and the pruning of what is past
//! the retention, all in one transaction (a process killed halfway leaves
//! the file as it was).

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::{Transaction, TransactionBehavior, params};

use super::{History, HistoryError, ScanId};
use crate::report::JobRecord;
use crate::scan::listing::{EntryKind, NO_NODE, Sums};
use crate::scan::{JobState, LargeFile, Totals};
use crate::tree::{JobTree, ROOT};

/// What is recorded of a job that ended.
#[derive(Clone, Debug)]
pub struct Recording {
    pub root: Arc<Path>,
    /// `Counting::key` of the scan's options.
    pub options: String,
    pub started: SystemTime,
    pub elapsed: Duration,
    pub state: JobState,
    pub totals: Totals,
    pub largest: Vec<LargeFile>,
    /// Without a tree (`--no-tree`), only the root is recorded.
    pub tree: Option<Arc<JobTree>>,
}

impl Recording {
    /// What `job` leaves once it ended (`None` while it runs); `now` and
    /// `wall_now` are the same moment, to date the job's start.
    pub fn of(
        job: &JobRecord,
        options: &str,
        now: Instant,
        wall_now: SystemTime,
    ) -> Option<Recording> {
        let elapsed = job.elapsed?;
        let started = job.started.map_or(wall_now, |started| {
            wall_now - now.saturating_duration_since(started)
        });
        Some(Recording {
            root: Arc::clone(&job.root),
            options: options.to_owned(),
            started,
            elapsed,
            state: job.state,
            totals: job.totals,
            largest: job.stats.largest.clone(),
            tree: job.tree.clone(),
        })
    }

    /// Only a scan that ended by itself is a baseline for the next.
    pub fn is_complete(&self) -> bool {
        self.state == JobState::Done
    }
}

/// One directory as stored.
struct DirRow<'a> {
    parent: i64,
    name: &'a [u8],
    id: i64,
    files: u64,
    bytes: u64,
    disk: u64,
}

impl DirRow<'_> {
    fn of<'n>(parent: i64, name: &'n [u8], id: i64, sums: &Sums) -> DirRow<'n> {
        DirRow {
            parent,
            name,
            id,
            files: sums.files,
            bytes: sums.bytes,
            disk: sums.disk,
        }
    }
}

impl History {
    /// Records `scan`; keeps the newest `keep` complete scans (and as many
    /// partial ones) of its root and options, dropping the older.
    pub fn record(&mut self, scan: &Recording, keep: usize) -> Result<ScanId, HistoryError> {
        let path = self.path.clone();
        let sqlite = |e: rusqlite::Error| HistoryError::sqlite(&path, &e);
        #[cfg(feature = "fault-injection")]
        super::fault::before_transaction();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        let id = insert_scan(&tx, scan).map_err(sqlite)?;
        let root_bytes = scan.root.as_os_str().as_bytes();
        let rows = match &scan.tree {
            Some(tree) => dir_rows(tree, root_bytes),
            None => vec![DirRow {
                parent: 0,
                name: root_bytes,
                id: 1,
                files: scan.totals.files,
                bytes: scan.totals.bytes,
                disk: scan.totals.disk_bytes,
            }],
        };
        insert_dirs(&tx, id, &rows).map_err(sqlite)?;
        insert_largest(&tx, id, &scan.largest).map_err(sqlite)?;
        prune(&tx, scan, keep).map_err(sqlite)?;
        #[cfg(feature = "fault-injection")]
        super::fault::inside_transaction();
        tx.commit().map_err(sqlite)?;
        Ok(id)
    }
}

fn unix_seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// SQLite integers are signed 64 bits; no count comes near.
fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn insert_scan(tx: &Transaction<'_>, scan: &Recording) -> rusqlite::Result<ScanId> {
    let t = &scan.totals;
    let started = unix_seconds(scan.started);
    let ended = unix_seconds(scan.started + scan.elapsed);
    tx.execute(
        "INSERT INTO scans (root, options, started, ended, state, complete, files, dirs,
             symlinks, other, bytes, disk_bytes, errors, entries, elapsed_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            scan.root.as_os_str().as_bytes(),
            scan.options,
            started,
            ended,
            scan.state.as_str(),
            scan.is_complete(),
            int(t.files),
            int(t.dirs),
            int(t.symlinks),
            int(t.other),
            int(t.bytes),
            int(t.disk_bytes),
            int(t.errors),
            int(t.entries()),
            i64::try_from(scan.elapsed.as_millis()).unwrap_or(i64::MAX),
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Every directory the tree holds, from the root (id 1, parent 0, named by
/// its full path) down, a parent's id always below its children's.
fn dir_rows<'a>(tree: &'a JobTree, root: &'a [u8]) -> Vec<DirRow<'a>> {
    let mut rows = Vec::with_capacity(tree.dir_count());
    rows.push(DirRow::of(0, root, 1, &tree.root().sums()));
    let mut next = 2;
    let mut stack = vec![(ROOT, 1)];
    while let Some((node, id)) = stack.pop() {
        for (_, entry) in tree.entries(node) {
            if entry.kind != EntryKind::Dir || entry.node == NO_NODE {
                continue;
            }
            let Some(dir) = tree.dir(entry.node) else {
                continue;
            };
            rows.push(DirRow::of(id, entry.name, next, &dir.sums()));
            stack.push((entry.node, next));
            next += 1;
        }
    }
    rows
}

fn insert_dirs(tx: &Transaction<'_>, scan: ScanId, rows: &[DirRow<'_>]) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO scan_dirs (scan, dirs) VALUES (?1, ?2)",
        params![scan, dirs_json(rows)],
    )?;
    Ok(())
}

/// `[[id, parent, name, files, bytes, disk_bytes], ...]`, a name that is not
/// UTF-8 written as the array of its bytes.
fn dirs_json(rows: &[DirRow<'_>]) -> String {
    let mut out = String::with_capacity(rows.len() * 48 + 2);
    let mut number = itoa::Buffer::new();
    out.push('[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(number.format(row.id));
        out.push(',');
        out.push_str(number.format(row.parent));
        out.push(',');
        match std::str::from_utf8(row.name) {
            Ok(name) => push_json_string(&mut out, name),
            Err(_) => {
                out.push('[');
                for (j, byte) in row.name.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(number.format(*byte));
                }
                out.push(']');
            }
        }
        for n in [row.files, row.bytes, row.disk] {
            out.push(',');
            out.push_str(number.format(n));
        }
        out.push(']');
    }
    out.push(']');
    out
}

fn push_json_string(out: &mut String, text: &str) {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned()));
    }
}

fn insert_largest(tx: &Transaction<'_>, scan: ScanId, files: &[LargeFile]) -> rusqlite::Result<()> {
    let mut insert = tx.prepare("INSERT INTO largest VALUES (?1, ?2, ?3, ?4)")?;
    for file in files {
        insert.execute(params![
            scan,
            file.path.as_os_str().as_bytes(),
            int(file.bytes),
            int(file.disk_bytes)
        ])?;
    }
    Ok(())
}

/// Drops the scans of the same root and options past the newest `keep`
/// (complete and partial ones counted apart).
fn prune(tx: &Transaction<'_>, scan: &Recording, keep: usize) -> rusqlite::Result<()> {
    let old: Vec<ScanId> = {
        let mut select = tx.prepare(
            "SELECT id FROM scans WHERE root = ?1 AND options = ?2 AND complete = ?3
             ORDER BY id DESC LIMIT -1 OFFSET ?4",
        )?;
        let rows = select.query_map(
            params![
                scan.root.as_os_str().as_bytes(),
                scan.options,
                scan.is_complete(),
                i64::try_from(keep).unwrap_or(i64::MAX)
            ],
            |row| row.get(0),
        )?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in old {
        tx.execute("DELETE FROM scan_dirs WHERE scan = ?1", [id])?;
        tx.execute("DELETE FROM largest WHERE scan = ?1", [id])?;
        tx.execute("DELETE FROM scans WHERE id = ?1", [id])?;
    }
    Ok(())
}

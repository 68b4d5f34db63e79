//! The tables, as a list of steps: a file at `PRAGMA user_version` N gets
//! steps N+1 and on, each in its own transaction, so a file written by any
//! earlier dirdash opens in this one. A step is never edited once released;
//! a change is a new step.
//!
//! Each scan keeps its own directories (`dirs`, keyed by the scan, the
//! parent's id and the name): recording a scan is one append in key order,
//! with no lookup in what other scans wrote, and dropping an old scan
//! leaves nothing behind. A diff matches two scans' directories by path.

use rusqlite::Connection;

/// The steps, in order; step `i` takes a file from version `i` to `i + 1`.
pub const STEPS: &[&str] = &[
    // 1: scans and their directories.
    "CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        options TEXT NOT NULL,
        started INTEGER NOT NULL,
        ended INTEGER NOT NULL,
        state TEXT NOT NULL,
        complete INTEGER NOT NULL,
        files INTEGER NOT NULL,
        dirs INTEGER NOT NULL,
        symlinks INTEGER NOT NULL,
        other INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        disk_bytes INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        elapsed_ms INTEGER NOT NULL
    );
    CREATE TABLE dirs (
        scan INTEGER NOT NULL,
        parent INTEGER NOT NULL,
        name BLOB NOT NULL,
        id INTEGER NOT NULL,
        files INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        disk_bytes INTEGER NOT NULL,
        PRIMARY KEY (scan, parent, name)
    ) WITHOUT ROWID;",
    // 2: the largest files of each scan, and finding a root's scans
    // without reading them all.
    "CREATE TABLE largest (
        scan INTEGER NOT NULL,
        path BLOB NOT NULL,
        bytes INTEGER NOT NULL,
        disk_bytes INTEGER NOT NULL
    );
    CREATE INDEX largest_of_scan ON largest (scan);
    CREATE INDEX scans_of_root ON scans (root, options, complete);",
];

/// The version this build writes.
pub fn current() -> u32 {
    STEPS.len() as u32
}

/// What a file is at: `Ok(version)`, or the newer version it is at.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the file up to `target` (at most `current()`): `Ok(false)` when
/// it is newer than this build knows, and is left alone.
pub fn migrate(conn: &mut Connection, target: u32) -> rusqlite::Result<bool> {
    // The usual case, without taking the write lock.
    let at = version(conn)?;
    if at > current() {
        return Ok(false);
    }
    if at >= target {
        return Ok(true);
    }
    loop {
        // Read again in each transaction: another process may be migrating.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = version(&tx)?;
        if at > current() {
            return Ok(false);
        }
        if at >= target {
            return Ok(true);
        }
        tx.execute_batch(STEPS[at as usize])?;
        tx.pragma_update(None, "user_version", at + 1)?;
        tx.commit()?;
    }
}

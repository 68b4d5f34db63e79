//! The tables, as a list of steps: a file at `PRAGMA user_version` N gets
//! steps N+1 and on, each in its own transaction, so a file written by any
//! earlier dirdash opens in this one. A step is never edited once released;
//! a change is a new step.
//!
//! Each scan keeps its own directories, as one JSON array in `scan_dirs`
//! (`[id, parent, name, files, bytes, disk_bytes]` a directory; ids are the
//! scan's own, 1 the root, 0 no parent; a name that is not UTF-8 is an
//! array of its bytes). Recording a scan is one row, not 100,000 (a row
//! per directory cost a headless scan of a million files 12 % more time);
//! dropping an old scan leaves nothing behind; the `dirs` view gives the
//! rows to `sqlite3`. A diff matches two scans' directories by path.

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
    CREATE TABLE scan_dirs (
        scan INTEGER PRIMARY KEY,
        dirs TEXT NOT NULL
    );
    CREATE VIEW dirs AS
        SELECT s.scan AS scan,
            json_extract(d.value, '$[0]') AS id,
            json_extract(d.value, '$[1]') AS parent,
            json_extract(d.value, '$[2]') AS name,
            json_extract(d.value, '$[3]') AS files,
            json_extract(d.value, '$[4]') AS bytes,
            json_extract(d.value, '$[5]') AS disk_bytes
        FROM scan_dirs s, json_each(s.dirs) d;",
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

//! `dirdash history` and `dirdash diff`: the recorded scans and the changes
//! between two, as a table or as JSON.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::json::path_fields;
use super::{text, units};
use crate::history::{Diff, ScanRow};

/// One line per scan, newest first.
pub fn scans_table(scans: &[ScanRow]) -> String {
    let header = ["ID", "STARTED", "STATE", "FILES", "DISK", "TIME"];
    let rows: Vec<[String; 7]> = scans
        .iter()
        .map(|scan| {
            let state = if scan.complete {
                scan.state.clone()
            } else {
                format!("{} (partial)", scan.state)
            };
            [
                scan.id.to_string(),
                units::date(scan.started),
                state,
                units::count(scan.files),
                units::size(scan.disk_bytes),
                units::duration(std::time::Duration::from_millis(scan.elapsed_ms)),
                text::path(&scan.root).into_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 7]| {
        let _ = write!(out, "{:>w$}", cells[0], w = widths[0]);
        let _ = write!(out, "  {:<w$}", cells[1], w = widths[1]);
        let _ = write!(out, "  {:<w$}", cells[2], w = widths[2]);
        for (cell, width) in cells[3..6].iter().zip(&widths[3..]) {
            let _ = write!(out, "  {cell:>width$}");
        }
        let _ = writeln!(out, "  {}", cells[6]);
    };
    line([
        header[0], header[1], header[2], header[3], header[4], header[5], "ROOT",
    ]);
    for row in &rows {
        line([
            &row[0], &row[1], &row[2], &row[3], &row[4], &row[5], &row[6],
        ]);
    }
    out
}

#[derive(Serialize)]
struct ScanJson<'a> {
    id: i64,
    root: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    root_bytes: Option<&'a [u8]>,
    /// The counting options, as recorded.
    options: serde_json::Value,
    started: i64,
    ended: i64,
    state: &'a str,
    complete: bool,
    files: u64,
    dirs: u64,
    bytes: u64,
    disk_bytes: u64,
    errors: u64,
    entries: u64,
    elapsed_ms: u64,
}

pub fn scans_json(file: &Path, scans: &[ScanRow]) -> String {
    let scans: Vec<ScanJson<'_>> = scans
        .iter()
        .map(|scan| {
            let (root, root_bytes) = path_fields(&scan.root);
            ScanJson {
                id: scan.id,
                root,
                root_bytes,
                options: serde_json::from_str(&scan.options).unwrap_or_default(),
                started: scan.started,
                ended: scan.ended,
                state: &scan.state,
                complete: scan.complete,
                files: scan.files,
                dirs: scan.dirs,
                bytes: scan.bytes,
                disk_bytes: scan.disk_bytes,
                errors: scan.errors,
                entries: scan.entries,
                elapsed_ms: scan.elapsed_ms,
            }
        })
        .collect();
    let (file, _) = path_fields(file);
    let document = serde_json::json!({ "file": file, "scans": scans });
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

/// The root's change, then the directories, largest change first.
pub fn diff_table(diff: &Diff, root: &Path, limit: Option<usize>) -> String {
    let mut out = String::new();
    let (before, after) = (diff.from.disk_bytes, diff.to.disk_bytes);
    let _ = writeln!(
        out,
        "{}: {} → {} ({}) from scan {} ({}) to scan {} ({})",
        text::path(root),
        units::size(before),
        units::size(after),
        units::signed_size(i128::from(after) - i128::from(before)),
        diff.from.id,
        units::date(diff.from.started),
        diff.to.id,
        units::date(diff.to.started),
    );
    let shown = limit.map_or(diff.changes.len(), |n| n.min(diff.changes.len()));
    if diff.changes.is_empty() {
        let _ = writeln!(out, "no directory changed");
        return out;
    }
    let rows: Vec<[String; 4]> = diff.changes[..shown]
        .iter()
        .map(|change| {
            [
                units::signed_size(change.delta()),
                change.before.map_or_else(|| "new".to_owned(), units::size),
                change.after.map_or_else(|| "gone".to_owned(), units::size),
                text::path(&change.path).into_owned(),
            ]
        })
        .collect();
    let header = ["CHANGE", "BEFORE", "AFTER"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = |cells: [&str; 4]| {
        let _ = writeln!(
            out,
            "{:>a$}  {:>b$}  {:>c$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            a = widths[0],
            b = widths[1],
            c = widths[2]
        );
    };
    line([header[0], header[1], header[2], "DIRECTORY"]);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3]]);
    }
    if shown < diff.changes.len() {
        let _ = writeln!(
            out,
            "and {} more directories changed (-n 0 lists them all)",
            units::count((diff.changes.len() - shown) as u64)
        );
    }
    out
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    path: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    before: Option<u64>,
    after: Option<u64>,
}

#[derive(Serialize)]
struct DiffJson<'a> {
    root: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    root_bytes: Option<&'a [u8]>,
    from: ScanRef,
    to: ScanRef,
    total: Sizes,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Serialize)]
struct ScanRef {
    id: i64,
    started: i64,
}

#[derive(Serialize)]
struct Sizes {
    before: u64,
    after: u64,
}

pub fn diff_json(diff: &Diff, root: &Path, limit: Option<usize>) -> String {
    let shown = limit.map_or(diff.changes.len(), |n| n.min(diff.changes.len()));
    let changes: Vec<ChangeJson<'_>> = diff.changes[..shown]
        .iter()
        .map(|change| {
            let (path, path_bytes) = path_fields(&change.path);
            ChangeJson {
                path,
                path_bytes,
                before: change.before,
                after: change.after,
            }
        })
        .collect();
    let (root, root_bytes) = path_fields(root);
    let document = DiffJson {
        root,
        root_bytes,
        from: ScanRef {
            id: diff.from.id,
            started: diff.from.started,
        },
        to: ScanRef {
            id: diff.to.id,
            started: diff.to.started,
        },
        total: Sizes {
            before: diff.from.disk_bytes,
            after: diff.to.disk_bytes,
        },
        changes,
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

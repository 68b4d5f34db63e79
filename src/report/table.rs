//! The summary table printed when a scan ends.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::progress::{Basis, Expected};
use super::tally::Tally;
use super::{text, units};
use crate::scan::{JobState, Totals};

const HEADER: [&str; 9] = [
    "STATE", "FILES", "DIRS", "LINKS", "OTHER", "APPARENT", "DISK", "ERRORS", "TIME",
];

/// One line per job, a total line when there are several, then notes;
/// with `depth`, each root's directories down to that depth.
pub fn render(tally: &Tally, threads: usize, now: Instant, depth: Option<usize>) -> String {
    let row = |state: String, t: &Totals, elapsed: Duration, root: String| {
        [
            state,
            units::count(t.files),
            units::count(t.dirs),
            units::count(t.symlinks),
            units::count(t.other),
            units::size(t.bytes),
            units::size(t.disk_bytes),
            units::count(t.errors),
            units::duration(elapsed),
            root,
        ]
    };
    let mut rows: Vec<[String; 10]> = tally
        .jobs
        .iter()
        .map(|job| {
            let root = text::path(&job.root).into_owned();
            row(
                job.state.to_string(),
                &job.totals,
                job.elapsed_at(now),
                root,
            )
        })
        .collect();
    if tally.jobs.len() > 1 {
        let roots = format!("{} roots", tally.jobs.len());
        rows.push(row(
            "total".to_owned(),
            &tally.totals(),
            tally.elapsed_at(now),
            roots,
        ));
    }
    let mut widths: [usize; 9] = HEADER.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        // The state is left-aligned, numbers right-aligned, the root last.
        let _ = write!(out, "{:<w$}", cells[0], w = widths[0]);
        for (cell, width) in cells[1..9].iter().zip(&widths[1..]) {
            let _ = write!(out, "  {cell:>width$}");
        }
        let _ = writeln!(out, "  {}", cells[9]);
    };
    let mut header: Vec<&str> = HEADER.to_vec();
    header.push("ROOT");
    line(&header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells);
    }
    let totals = tally.totals();
    let verb = if tally.was_stopped() {
        "stopped after"
    } else {
        "scanned in"
    };
    let _ = writeln!(
        out,
        "{} {verb} {} with {}",
        plural(tally.jobs.len() as u64, "root"),
        units::duration(tally.elapsed_at(now)),
        plural(threads as u64, "thread"),
    );
    if totals.skipped_dirs > 0 {
        let _ = writeln!(
            out,
            "{} on other filesystems not entered (-x)",
            plural(totals.skipped_dirs, "directory"),
        );
    }
    if tally.errors.total() > 0 {
        let _ = writeln!(
            out,
            "{} (reported on stderr as they happened)",
            plural(tally.errors.total(), "error"),
        );
    }
    for job in tally.jobs.iter().filter(|j| j.deleted != Totals::default()) {
        let d = &job.deleted;
        let _ = writeln!(
            out,
            "deleted in {}: {}, {}, {} on disk",
            text::path(&job.root),
            plural(d.files, "file"),
            plural(d.dirs, "directory"),
            units::size(d.disk_bytes),
        );
    }
    for job in &tally.jobs {
        if let Some(Expected {
            entries,
            basis:
                Basis::Scan {
                    id,
                    started,
                    disk_bytes,
                },
        }) = job.expected
            && job.state == JobState::Done
        {
            let _ = writeln!(
                out,
                "since scan {id} of {} ({}): {} on disk, {} entries",
                text::path(&job.root),
                units::date(started),
                units::signed_size(i128::from(job.totals.disk_bytes) - i128::from(disk_bytes)),
                signed_count(i128::from(job.totals.entries()) - i128::from(entries)),
            );
        }
    }
    if let Some(depth) = depth {
        for tree in tally.jobs.iter().filter_map(|job| job.tree.as_deref()) {
            out.push('\n');
            super::depth::render(&super::depth::dir_sizes(tree, depth), &mut out);
        }
    }
    out
}

fn plural(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{} {stem}ies", units::count(n)),
        _ => format!("{} {noun}s", units::count(n)),
    }
}

/// `+1,204`, `-3`, `0`.
fn signed_count(change: i128) -> String {
    let magnitude = u64::try_from(change.unsigned_abs()).unwrap_or(u64::MAX);
    match change.signum() {
        1 => format!("+{}", units::count(magnitude)),
        -1 => format!("-{}", units::count(magnitude)),
        _ => "0".to_owned(),
    }
}

//! The JSON summary of DESIGN.md ("JSON summary").

use std::borrow::Cow;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::tally::Tally;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Summary<'a> {
    version: u32,
    threads: usize,
    elapsed_ms: u128,
    state: &'static str,
    jobs: Vec<Job<'a>>,
    workers: Vec<Worker>,
    errors: Vec<Error<'a>>,
}

#[derive(Serialize)]
struct Job<'a> {
    id: u32,
    root: Cow<'a, str>,
    /// The exact bytes, only when the path is not valid UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    root_bytes: Option<&'a [u8]>,
    state: &'static str,
    files: u64,
    dirs: u64,
    symlinks: u64,
    other: u64,
    bytes: u64,
    disk_bytes: u64,
    errors: u64,
    skipped_dirs: u64,
    elapsed_ms: u128,
}

#[derive(Serialize)]
struct Worker {
    id: usize,
    dirs: u64,
    entries: u64,
}

#[derive(Serialize)]
struct Error<'a> {
    job: u32,
    path: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    reason: &'a str,
}

/// A path as text, plus its bytes when the text had to replace some.
fn path_fields(path: &Path) -> (Cow<'_, str>, Option<&[u8]>) {
    let text = path.to_string_lossy();
    let bytes = matches!(text, Cow::Owned(_)).then(|| path.as_os_str().as_bytes());
    (text, bytes)
}

/// The summary as one JSON document (pretty-printed, newline-terminated).
pub fn render(tally: &Tally, threads: usize, now: Instant) -> String {
    let jobs = tally
        .jobs
        .iter()
        .map(|job| {
            let (root, root_bytes) = path_fields(&job.root);
            let t = &job.totals;
            Job {
                id: job.id.0,
                root,
                root_bytes,
                state: job.state.as_str(),
                files: t.files,
                dirs: t.dirs,
                symlinks: t.symlinks,
                other: t.other,
                bytes: t.bytes,
                disk_bytes: t.disk_bytes,
                errors: t.errors,
                skipped_dirs: t.skipped_dirs,
                elapsed_ms: job.elapsed_at(now).as_millis(),
            }
        })
        .collect();
    let workers = tally
        .workers
        .iter()
        .map(|(id, w)| Worker {
            id: id.0,
            dirs: w.dirs,
            entries: w.entries,
        })
        .collect();
    let errors = tally
        .errors
        .iter()
        .map(|e| {
            let (path, path_bytes) = path_fields(&e.path);
            Error {
                job: e.job.0,
                path,
                path_bytes,
                reason: &e.reason,
            }
        })
        .collect();
    let summary = Summary {
        version: SCHEMA_VERSION,
        threads,
        elapsed_ms: tally.elapsed_at(now).as_millis(),
        state: if tally.was_stopped() {
            "stopped"
        } else {
            "done"
        },
        jobs,
        workers,
        errors,
    };
    // Plain structs with string keys: serializing them cannot fail.
    let mut out = serde_json::to_string_pretty(&summary).unwrap_or_default();
    out.push('\n');
    out
}

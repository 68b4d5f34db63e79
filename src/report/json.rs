//! The JSON summary, as the README documents it ("JSON summary").

use std::borrow::Cow;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::depth::{DirSizes, dir_sizes};
use super::progress::{Basis, Expected};
use super::tally::Tally;
use crate::scan::{ExtKey, Totals, bucket_limits};

/// 2: jobs gained `largest_files`, `extensions`, `size_histogram`,
/// `mtime_min` and `mtime_max`.
/// 3: errors gained `kind` and `errno`, and list the latest 10,000; jobs
/// gained `tree` (with `--depth`).
pub const SCHEMA_VERSION: u32 = 3;

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
    largest_files: Vec<LargeFile<'a>>,
    extensions: Vec<Extension>,
    size_histogram: Vec<Bucket>,
    /// Unix seconds; null when the job has no files.
    mtime_min: Option<i64>,
    mtime_max: Option<i64>,
    /// `--depth N`: its directories down to depth N.
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<DirSizes>,
    /// What was deleted from it in the browser, as the scan counted it.
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted: Option<Deleted>,
    /// The last complete scan of the root with the same options, from the
    /// history, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<Previous>,
}

#[derive(Serialize)]
struct Previous {
    id: i64,
    started: i64,
    entries: u64,
    disk_bytes: u64,
}

#[derive(Serialize)]
struct Deleted {
    files: u64,
    dirs: u64,
    symlinks: u64,
    other: u64,
    bytes: u64,
    disk_bytes: u64,
}

#[derive(Serialize)]
struct LargeFile<'a> {
    path: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    bytes: u64,
    disk_bytes: u64,
}

#[derive(Serialize)]
struct Extension {
    /// Lowercased, "" for none, "*" for the folded rest.
    ext: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ext_bytes: Option<Vec<u8>>,
    files: u64,
    bytes: u64,
}

#[derive(Serialize)]
struct Bucket {
    /// Files below this size (and at least the previous bucket's); null for
    /// the last bucket.
    lt: Option<u64>,
    files: u64,
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
    kind: &'static str,
    /// The system's error number, null when the error is not a failed call.
    errno: Option<i32>,
    reason: &'a str,
}

/// A path as text, plus its bytes when the text had to replace some.
pub(crate) fn path_fields(path: &Path) -> (Cow<'_, str>, Option<&[u8]>) {
    let text = path.to_string_lossy();
    let bytes = matches!(text, Cow::Owned(_)).then(|| path.as_os_str().as_bytes());
    (text, bytes)
}

/// The summary as one JSON document (pretty-printed, newline-terminated);
/// with `depth`, each job that kept its tree lists its directories.
pub fn render(tally: &Tally, threads: usize, now: Instant, depth: Option<usize>) -> String {
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
                largest_files: job
                    .stats
                    .largest
                    .iter()
                    .map(|f| {
                        let (path, path_bytes) = path_fields(&f.path);
                        LargeFile {
                            path,
                            path_bytes,
                            bytes: f.bytes,
                            disk_bytes: f.disk_bytes,
                        }
                    })
                    .collect(),
                extensions: job
                    .stats
                    .top_extensions()
                    .into_iter()
                    .map(|(key, totals)| {
                        let (ext, ext_bytes) = match key {
                            ExtKey::Rest => ("*".to_owned(), None),
                            ExtKey::Ext(bytes) => match String::from_utf8(bytes) {
                                Ok(text) => (text, None),
                                Err(e) => {
                                    let bytes = e.into_bytes();
                                    (String::from_utf8_lossy(&bytes).into_owned(), Some(bytes))
                                }
                            },
                        };
                        Extension {
                            ext,
                            ext_bytes,
                            files: totals.files,
                            bytes: totals.bytes,
                        }
                    })
                    .collect(),
                size_histogram: bucket_limits()
                    .into_iter()
                    .zip(job.stats.histogram)
                    .map(|(lt, files)| Bucket { lt, files })
                    .collect(),
                mtime_min: job.stats.mtime_min,
                mtime_max: job.stats.mtime_max,
                tree: depth.and_then(|depth| Some(dir_sizes(job.tree.as_ref()?, depth))),
                deleted: (job.deleted != Totals::default()).then_some(Deleted {
                    files: job.deleted.files,
                    dirs: job.deleted.dirs,
                    symlinks: job.deleted.symlinks,
                    other: job.deleted.other,
                    bytes: job.deleted.bytes,
                    disk_bytes: job.deleted.disk_bytes,
                }),
                previous: match job.expected {
                    Some(Expected {
                        entries,
                        basis:
                            Basis::Scan {
                                id,
                                started,
                                disk_bytes,
                            },
                    }) => Some(Previous {
                        id,
                        started,
                        entries,
                        disk_bytes,
                    }),
                    _ => None,
                },
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
        .kept()
        .iter()
        .map(|e| {
            let (path, path_bytes) = path_fields(&e.path);
            Error {
                job: e.job.0,
                path,
                path_bytes,
                kind: e.kind,
                errno: e.errno,
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

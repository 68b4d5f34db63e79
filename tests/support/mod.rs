//! Shared by the integration tests: generated trees (cached between runs in
//! cargo's test temp dir), the walkdir oracle, and a helper that runs the
//! engine to the end and gathers what it said.

#![allow(dead_code)]

pub mod listings;
pub mod namespace;
pub mod ncdu_json;
pub mod nobody;
pub mod oracle;
pub mod pty;
pub mod treegen;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use dirdash::scan::{JobEnd, JobId, JobStats, Options, ScanEvent, Scanner, Totals};

pub use treegen::{Made, Shape, Spec};

/// `XDG_CONFIG_HOME` for every dirdash the tests run: a directory that does
/// not exist, so the config file of the user running the tests (or an
/// unreadable one under `HOME`) changes nothing.
pub const NO_CONFIG_HOME: &str = "/nonexistent/dirdash-tests-config";

/// The binary under test, reading no user's config file.
pub fn dirdash_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dirdash"));
    cmd.env("XDG_CONFIG_HOME", NO_CONFIG_HOME);
    cmd
}

/// A generated tree, built once per spec and reused by later runs. Built in
/// a sibling directory and renamed into place, so that test processes
/// running at once never see half a tree.
pub fn tree(spec: Spec) -> (PathBuf, Made) {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("trees");
    std::fs::create_dir_all(&base).expect("create tree cache");
    let dest = base.join(spec.key());
    let made_file = base.join(format!("{}.made", spec.key()));
    if let Some(made) = read_made(&made_file)
        && dest.is_dir()
    {
        return (dest, made);
    }
    let building = tempfile::tempdir_in(&base).expect("temp dir for a tree");
    let made = treegen::generate(&building.path().join("t"), &spec).expect("generate tree");
    match std::fs::rename(building.path().join("t"), &dest) {
        Ok(()) => {}
        // Another process finished the same tree first.
        Err(_) if dest.is_dir() => {}
        Err(e) => panic!("cannot move tree into {}: {e}", dest.display()),
    }
    std::fs::write(&made_file, format!("{made:?}")).expect("write .made");
    (dest, made)
}

fn read_made(path: &Path) -> Option<Made> {
    let text = std::fs::read_to_string(path).ok()?;
    let field = |name: &str| -> Option<u64> {
        let start = text.find(&format!("{name}: "))? + name.len() + 2;
        let rest = &text[start..];
        let end = rest.find(|c: char| !c.is_ascii_digit())?;
        rest[..end].parse().ok()
    };
    Some(Made {
        files: field("files")?,
        dirs: field("dirs")?,
        symlinks: field("symlinks")?,
        other: field("other")?,
        bytes: field("bytes")?,
    })
}

/// Everything the engine said about a scan.
#[derive(Default)]
pub struct Outcome {
    pub ends: HashMap<JobId, JobEnd>,
    /// Per job: the sum of its progress deltas.
    pub summed: HashMap<JobId, Totals>,
    /// Per job: directories read, summed over workers.
    pub dirs_read: HashMap<JobId, u64>,
    /// Per job: the merge of its progress statistics.
    pub stats: HashMap<JobId, JobStats>,
    pub errors: Vec<(JobId, PathBuf, String)>,
    pub files: Vec<PathBuf>,
    pub panics: Vec<String>,
    /// Events seen after a job's JobFinished (must stay empty).
    pub late: Vec<String>,
    pub progress_events: u64,
}

impl Outcome {
    pub fn apply(&mut self, event: ScanEvent) {
        match event {
            ScanEvent::Progress(p) => {
                self.progress_events += 1;
                if self.ends.contains_key(&p.job) {
                    self.late
                        .push(format!("progress of {:?} after its end", p.job));
                }
                *self.summed.entry(p.job).or_default() += p.delta;
                *self.dirs_read.entry(p.job).or_default() += p.dirs_read;
                self.stats.entry(p.job).or_default().merge(&p.stats);
            }
            ScanEvent::Error(e) => {
                if self.ends.contains_key(&e.job) {
                    self.late
                        .push(format!("error of {:?} after its end", e.job));
                }
                self.errors.push((e.job, e.path, e.cause.to_string()));
            }
            ScanEvent::Files(batch) => self.files.extend(batch.paths.iter().cloned()),
            ScanEvent::JobFinished(end) => {
                if self.ends.insert(end.job, end.clone()).is_some() {
                    self.late.push(format!("second end of {:?}", end.job));
                }
            }
            ScanEvent::WorkerPanicked { message, .. } => self.panics.push(message),
            ScanEvent::JobStarted { .. } | ScanEvent::Stopped => {}
        }
    }

    pub fn end(&self, job: JobId) -> &JobEnd {
        self.ends.get(&job).expect("job ended")
    }
}

/// Generous: only there to turn a hang into a failure.
pub const HANG: Duration = Duration::from_secs(60);

/// Receives until every job in `jobs` ended, or panics after `HANG`.
pub fn collect_until_done(events: &Receiver<ScanEvent>, jobs: &[JobId], outcome: &mut Outcome) {
    let deadline = Instant::now() + HANG;
    while !jobs.iter().all(|j| outcome.ends.contains_key(j)) {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) => outcome.apply(event),
            Err(e) => panic!("scan did not finish: {e}"),
        }
    }
}

/// Scans `roots` with `options` to the end.
pub fn scan(options: Options, roots: &[&Path]) -> (Vec<JobId>, Outcome) {
    let (mut scanner, events) = Scanner::new(options).expect("start scanner");
    let jobs: Vec<JobId> = roots
        .iter()
        .map(|r| scanner.submit(r).expect("submit"))
        .collect();
    let mut outcome = Outcome::default();
    collect_until_done(&events, &jobs, &mut outcome);
    scanner.shutdown();
    for event in events.try_iter() {
        outcome.apply(event);
    }
    (jobs, outcome)
}

pub fn options(threads: usize) -> Options {
    Options {
        threads,
        ..Options::default()
    }
}

pub fn arc(path: &Path) -> Arc<Path> {
    Arc::from(path)
}

/// The engine's totals as the oracle's counts.
pub fn counts(t: &Totals) -> oracle::Counts {
    oracle::Counts {
        files: t.files,
        dirs: t.dirs,
        symlinks: t.symlinks,
        other: t.other,
        bytes: t.bytes,
        disk_bytes: t.disk_bytes,
    }
}

/// The trees several test files share.
pub fn flat_200k() -> (PathBuf, Made) {
    tree(Spec {
        files: 200_000,
        seed: 3,
        shape: Shape::Flat,
        hostile: false,
    })
}

pub fn mixed_20k() -> (PathBuf, Made) {
    tree(Spec {
        files: 20_000,
        seed: 7,
        shape: Shape::Mixed,
        hostile: false,
    })
}

pub fn mixed_100k() -> (PathBuf, Made) {
    tree(Spec {
        files: 100_000,
        seed: 21,
        shape: Shape::Mixed,
        hostile: false,
    })
}

pub fn hostile_2k() -> (PathBuf, Made) {
    tree(Spec {
        files: 2_000,
        seed: 3,
        shape: Shape::Mixed,
        hostile: true,
    })
}

/// `ncdu -f FILE -o OUT`: ncdu's own re-export of what it read. ncdu exits
/// 0 even when it fails to parse, so its stderr must be empty too.
pub fn ncdu_reexport(file: &Path, out: &Path) -> Vec<u8> {
    let run = std::process::Command::new("ncdu")
        .arg("-0")
        .arg("-f")
        .arg(file)
        .arg("-o")
        .arg(out)
        .output()
        .expect("ncdu is installed (.ci/run installs it)");
    assert!(
        run.status.success() && run.stderr.is_empty(),
        "ncdu: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read(out).expect("ncdu wrote its re-export")
}

/// Scans `root` keeping its tree; the tally checked after every event:
/// the tree's root holds exactly the job's totals.
pub fn scan_tree(options: Options, root: &Path) -> (dirdash::report::Tally, JobId) {
    let (mut scanner, events) = Scanner::new(options).expect("start scanner");
    let job = scanner
        .submit_with(
            root,
            dirdash::scan::JobOptions {
                keep_tree: true,
                dirs_only: false,
            },
        )
        .expect("submit");
    let mut tally = dirdash::report::Tally::new(Instant::now());
    tally.submitted(job, Arc::from(root), true);
    let deadline = Instant::now() + HANG;
    while !tally.all_finished() {
        let left = deadline.saturating_duration_since(Instant::now());
        let event = events.recv_timeout(left).expect("the scan finishes");
        tally.apply(&event);
        assert_root_is_the_totals(&tally, job);
    }
    scanner.shutdown();
    for event in events.try_iter() {
        tally.apply(&event);
    }
    (tally, job)
}

/// The invariant of the kept tree: its root's sums are the job's totals.
pub fn assert_root_is_the_totals(tally: &dirdash::report::Tally, job: JobId) {
    let record = tally.job(job).expect("the job");
    let tree = record.tree.as_ref().expect("a kept tree");
    let sums = tree.root().sums();
    let t = &record.totals;
    assert_eq!(
        (
            sums.files,
            sums.dirs,
            sums.entries,
            sums.bytes,
            sums.disk,
            sums.errors
        ),
        (
            t.files,
            t.dirs,
            t.entries(),
            t.bytes,
            t.disk_bytes,
            t.errors
        ),
        "the tree's root and the job's totals"
    );
}

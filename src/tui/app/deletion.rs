//! Deleting from the browser, as `update` sees it: the confirmation that
//! names what will go, the run (its progress, what became of each target,
//! what could not be removed), and the tree brought to what is left: a
//! target removed leaves the tree; what a partial one left is scanned
//! again and put in its place.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use super::marks::Marked;
use super::{Action, App, Overlay, Screen};
use crate::delete::{DeleteEvent, Mode, Outcome, Target};
use crate::report::{text, units};
use crate::scan::{JobId, JobState, ScanEvent, Totals};
use crate::tree::{JobTree, Node};

/// What the confirmation shows and, on `y`, starts.
#[derive(Debug)]
pub struct Confirm {
    pub job: JobId,
    pub mode: Mode,
    pub targets: Vec<Target>,
    pub totals: Marked,
}

/// A deletion under way.
#[derive(Debug)]
pub struct Running {
    pub job: JobId,
    pub mode: Mode,
    targets: Vec<Target>,
    done: usize,
    pub entries: u64,
    pub disk: u64,
    /// Entries removed so far, as the runtime last read it.
    pub removed: u64,
    pub started: Instant,
    pub stopping: bool,
    /// `deleted` of the job when it started: what it frees is the growth.
    deleted_before: Totals,
}

/// What the last deletion did.
#[derive(Clone, Debug)]
pub struct Report {
    pub job: JobId,
    pub text: String,
    /// What could not be removed, with its path and reason.
    pub problems: Vec<String>,
}

/// A directory a deletion left something in, being scanned again.
#[derive(Debug)]
struct Remeasure {
    job: JobId,
    node: Node,
    tree: JobTree,
}

#[derive(Debug, Default)]
pub struct Deletions {
    running: Option<Running>,
    report: Option<Report>,
    /// Scans of what deletions left, by the scan's job.
    remeasures: HashMap<JobId, Remeasure>,
    problems: Vec<String>,
}

impl Deletions {
    pub fn running(&self) -> Option<&Running> {
        self.running.as_ref()
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// Every problem of every deletion, for the end of the session.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    pub fn is_measuring(&self) -> bool {
        !self.remeasures.is_empty()
    }
}

/// `d` or `t` in the browser: what is marked, or else the selected entry.
pub(super) fn ask(app: &mut App, mode: Mode) {
    let Screen::Browser(job) = app.screen else {
        return;
    };
    if let Some(why) = refusal(app, job, mode) {
        app.notify(why);
        return;
    }
    let Some(tree) = app.jobs.tally().job(job).and_then(|j| j.tree.as_deref()) else {
        return;
    };
    let mut targets = app.marks.targets(job, tree);
    let mut totals = app.marks.totals(job);
    if targets.is_empty()
        && let Some(browser) = &app.browser
        && let Some(offset) = browser.selected()
    {
        // Nothing marked: the selected entry, as if it were.
        let mut selected = super::marks::Marks::default();
        if let Err(why) = selected.toggle(job, tree, browser.node(), offset) {
            app.notify(format!("not deleted: {why}"));
            return;
        }
        targets = selected.targets(job, tree);
        totals = selected.totals(job);
    }
    if targets.is_empty() {
        app.notify("nothing to delete: mark entries with space, or select one".to_owned());
        return;
    }
    app.overlay = Overlay::Confirm(Confirm {
        job,
        mode,
        targets,
        totals,
    });
}

/// Why deleting from `job` is not allowed now.
fn refusal(app: &App, job: JobId, mode: Mode) -> Option<String> {
    let verb = match mode {
        Mode::Delete => "deleting",
        Mode::Trash => "moving to the trash",
    };
    if app.read_only {
        return Some(format!("{verb} is off: dirdash runs --read-only"));
    }
    if app.deletions.running.is_some() {
        return Some("a deletion is running: wait for it, or stop it (Esc)".to_owned());
    }
    let record = app.jobs.tally().job(job)?;
    if record.tree.is_none() {
        return Some("this job kept no tree".to_owned());
    }
    if record.state == JobState::Imported {
        return Some(format!(
            "{verb} is off for a tree read from an export: it was not scanned here, and what is on disk now may be something else"
        ));
    }
    if !record.state.is_finished() {
        return Some(format!(
            "{verb} waits for the scan: this job is still being scanned"
        ));
    }
    if app.deletions.is_measuring() {
        return Some("what the last deletion left is being measured: a moment".to_owned());
    }
    None
}

/// `y` at the confirmation.
pub(super) fn confirm(app: &mut App) -> Vec<Action> {
    let Overlay::Confirm(confirm) = std::mem::replace(&mut app.overlay, Overlay::None) else {
        return Vec::new();
    };
    let deleted_before = app
        .jobs
        .tally()
        .job(confirm.job)
        .map_or(Totals::default(), |j| j.deleted);
    app.deletions.report = None;
    app.deletions.running = Some(Running {
        job: confirm.job,
        mode: confirm.mode,
        targets: confirm.targets.clone(),
        done: 0,
        entries: confirm.totals.entries,
        disk: confirm.totals.disk,
        removed: 0,
        started: app.now,
        stopping: false,
        deleted_before,
    });
    vec![Action::StartDeletion {
        job: confirm.job,
        mode: confirm.mode,
        targets: confirm.targets,
    }]
}

/// Esc or q while a deletion runs: it stops between two entries.
pub(super) fn stop(app: &mut App) -> Vec<Action> {
    match &mut app.deletions.running {
        Some(running) if !running.stopping => {
            running.stopping = true;
            vec![Action::StopDeletion]
        }
        _ => Vec::new(),
    }
}

/// What the runtime read of the deletion's progress.
pub(super) fn progress(app: &mut App, removed: u64) {
    if let Some(running) = &mut app.deletions.running {
        running.removed = removed;
    }
}

/// What the deletion's threads said.
pub(super) fn event(app: &mut App, event: DeleteEvent) -> Vec<Action> {
    let Some(running) = &mut app.deletions.running else {
        return Vec::new();
    };
    let job = running.job;
    match event {
        DeleteEvent::Problem(problem) => {
            app.deletions.problems.push(problem.to_string());
            Vec::new()
        }
        DeleteEvent::TargetDone { index, outcome } => {
            running.done += 1;
            let Some(target) = running.targets.get(index).cloned() else {
                return Vec::new();
            };
            match outcome {
                Outcome::Removed => {
                    app.jobs.deleted(job, target.parent, target.offset);
                    app.marks.forget(job, target.parent, target.offset);
                    Vec::new()
                }
                Outcome::Partial => {
                    app.marks.forget(job, target.parent, target.offset);
                    let node = app
                        .jobs
                        .tally()
                        .job(job)
                        .and_then(|j| j.tree.as_deref())
                        .and_then(|t| t.entry(target.parent, target.offset))
                        .filter(|e| e.entered())
                        .map(|e| e.node);
                    match node {
                        Some(node) => vec![Action::Remeasure {
                            job,
                            node,
                            path: target.path,
                        }],
                        None => Vec::new(),
                    }
                }
                Outcome::Refused(refusal) => {
                    app.deletions.problems.push(refusal.to_string());
                    Vec::new()
                }
            }
        }
        DeleteEvent::Finished { stopped } => {
            finish(app, stopped);
            Vec::new()
        }
    }
}

fn finish(app: &mut App, stopped: bool) {
    let Some(running) = app.deletions.running.take() else {
        return;
    };
    let deleted = app
        .jobs
        .tally()
        .job(running.job)
        .map_or(Totals::default(), |j| j.deleted)
        .without(&running.deleted_before);
    let problems: Vec<String> = app.deletions.problems.clone();
    let verb = match running.mode {
        Mode::Delete => "deleted",
        Mode::Trash => "moved to the trash",
    };
    let mut text = if stopped {
        format!(
            "stopped after {} of {} entries: what was removed is gone, the rest stays",
            units::count(running.removed),
            units::count(running.entries)
        )
    } else {
        format!(
            "{verb} {} of {}: {} files, {} freed",
            units::count(running.done as u64),
            plural(running.targets.len(), "entry"),
            units::count(deleted.files),
            units::size(deleted.disk_bytes)
        )
    };
    if !problems.is_empty() {
        text.push_str(&format!("; {} not removed (listed)", problems.len()));
    }
    if app.deletions.is_measuring() {
        text.push_str("; measuring what is left…");
    }
    if let Some(tree) = app
        .jobs
        .tally()
        .job(running.job)
        .and_then(|j| j.tree.as_deref())
    {
        app.marks.prune(running.job, tree);
    }
    app.notify(text.clone());
    app.deletions.report = Some(Report {
        job: running.job,
        text,
        problems,
    });
}

fn plural(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{} {stem}ies", units::count(n as u64)),
        _ => format!("{} {noun}s", units::count(n as u64)),
    }
}

/// The runtime started the scan `sub` of what a deletion left in `node`.
pub(super) fn remeasuring(app: &mut App, job: JobId, node: Node, sub: JobId, path: PathBuf) {
    app.deletions.remeasures.insert(
        sub,
        Remeasure {
            job,
            node,
            tree: JobTree::new(std::sync::Arc::from(path.as_path())),
        },
    );
}

/// A scan event of one of those scans: applied to its tree, and at its
/// end, put in the job's tree. False when it is not one of them.
pub(super) fn scan_event(app: &mut App, event: &ScanEvent) -> bool {
    match event {
        ScanEvent::Progress(progress) => {
            let Some(remeasure) = app.deletions.remeasures.get_mut(&progress.job) else {
                return false;
            };
            for listing in &progress.listings {
                remeasure.tree.apply(listing);
            }
            true
        }
        ScanEvent::JobFinished(end) => {
            let Some(mut remeasure) = app.deletions.remeasures.remove(&end.job) else {
                return false;
            };
            remeasure.tree.close_unread();
            if end.state == JobState::Done || end.state == JobState::Stopped {
                app.jobs
                    .remeasured(remeasure.job, remeasure.node, &remeasure.tree, end.totals);
            }
            if !app.deletions.is_measuring()
                && let Some(report) = &mut app.deletions.report
            {
                report.text = report.text.replace("; measuring what is left…", "");
                let text = report.text.clone();
                app.notify(text);
            }
            true
        }
        ScanEvent::JobStarted { job, .. } | ScanEvent::Files(crate::scan::FileList { job, .. }) => {
            app.deletions.remeasures.contains_key(job)
        }
        ScanEvent::Error(error) => app.deletions.remeasures.contains_key(&error.job),
        ScanEvent::WorkerPanicked { .. } | ScanEvent::Stopped => false,
    }
}

/// What the confirmation says of one target.
pub fn describe(target: &Target) -> String {
    text::path(&target.path).into_owned()
}

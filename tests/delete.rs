//! Deletion by descriptor on real trees: exactly what was marked goes;
//! entries swapped since the scan are refused and nothing through them is
//! touched; a mount inside is left; what `nobody` cannot remove is
//! reported and the rest goes; a stop is heard at once; the tree and the
//! totals afterwards equal a fresh scan.

mod support;

use std::collections::BTreeSet;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dirdash::delete::{self, DeleteEvent, Deletion, Mode, Outcome, Problem, Refusal, Target};
use dirdash::report::Tally;
use dirdash::scan::JobId;
use dirdash::tree::{JobTree, Node, ROOT};
use support::{Shape, Spec, options, treegen};
use walkdir::WalkDir;

/// A fresh tree of its own (deleting spoils it), scanned.
fn scanned(files: usize, seed: u64) -> (tempfile::TempDir, PathBuf, Tally, JobId) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    treegen::generate(
        &root,
        &Spec {
            files,
            seed,
            shape: Shape::Mixed,
            hostile: false,
        },
    )
    .unwrap();
    let (tally, job) = support::scan_tree(options(4), &root);
    (dir, root, tally, job)
}

fn tree(tally: &Tally, job: JobId) -> &JobTree {
    tally.job(job).unwrap().tree.as_ref().unwrap()
}

/// The target for `path`.
fn target_at(tree: &JobTree, path: &Path) -> (Node, u32, Target) {
    let (dir, offset) = tree
        .locate(path)
        .unwrap_or_else(|| panic!("{} in the tree", path.display()));
    (dir, offset, delete::target(tree, dir, offset).unwrap())
}

/// Everything on disk below `root`.
fn on_disk(root: &Path) -> BTreeSet<PathBuf> {
    WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect()
}

struct Ran {
    outcomes: Vec<Option<Outcome>>,
    problems: Vec<String>,
    stopped: bool,
}

fn run(targets: Vec<Target>, mode: Mode) -> Ran {
    let n = targets.len();
    let (deletion, events) = Deletion::start(targets, mode).unwrap();
    let ran = collect(&events, n);
    drop(deletion);
    ran
}

fn collect(events: &crossbeam_channel::Receiver<DeleteEvent>, n: usize) -> Ran {
    let mut ran = Ran {
        outcomes: (0..n).map(|_| None).collect(),
        problems: Vec::new(),
        stopped: false,
    };
    loop {
        match events
            .recv_timeout(support::HANG)
            .expect("the deletion ends")
        {
            DeleteEvent::Problem(problem) => ran.problems.push(problem.to_string()),
            DeleteEvent::TargetDone { index, outcome } => ran.outcomes[index] = Some(outcome),
            DeleteEvent::Finished { stopped } => {
                ran.stopped = stopped;
                return ran;
            }
        }
    }
}

/// Applies what became of the targets to the tally, as the dashboard does:
/// removed ones leave the tree; what stays of the others is scanned again.
fn apply(tally: &mut Tally, job: JobId, placed: &[(Node, u32, Target)], ran: &Ran) {
    for ((dir, offset, target), outcome) in placed.iter().zip(&ran.outcomes) {
        match outcome {
            Some(Outcome::Removed) => {
                tally.deleted(job, *dir, *offset).unwrap();
            }
            Some(Outcome::Partial) => {
                let node = tree(tally, job).entry(*dir, *offset).unwrap().node;
                let (fresh, fresh_job) = support::scan_tree(options(2), &target.path);
                let record = fresh.job(fresh_job).unwrap();
                let fresh_tree = record.tree.as_ref().unwrap();
                tally.remeasured(job, node, fresh_tree, record.totals);
            }
            _ => {}
        }
    }
}

/// The totals now equal those of a scan of what is on disk.
fn assert_measured(tally: &Tally, job: JobId, root: &Path) {
    let (fresh, fresh_job) = support::scan_tree(options(2), root);
    let now = tally.job(job).unwrap().totals;
    assert_eq!(
        now,
        fresh.job(fresh_job).unwrap().totals,
        "screen vs a fresh scan"
    );
    let sums = tree(tally, job).root().sums();
    assert_eq!((sums.files, sums.disk), (now.files, now.disk_bytes));
}

#[test]
fn exactly_the_marked_entries_are_deleted_and_the_totals_follow() {
    let (_dir, root, mut tally, job) = scanned(3_000, 31);
    let before = on_disk(&root);
    let t = tree(&tally, job);
    // Three directories at the top and two files deeper down.
    let dirs: Vec<PathBuf> = t
        .entries(ROOT)
        .filter(|(_, e)| e.entered())
        .take(3)
        .map(|(_, e)| root.join(std::str::from_utf8(e.name).unwrap()))
        .collect();
    let files: Vec<PathBuf> = before
        .iter()
        .filter(|p| p.is_file() && !dirs.iter().any(|d| p.starts_with(d)))
        .rev()
        .take(2)
        .cloned()
        .collect();
    let placed: Vec<(Node, u32, Target)> =
        dirs.iter().chain(&files).map(|p| target_at(t, p)).collect();
    let ran = run(
        placed.iter().map(|(_, _, t)| t.clone()).collect(),
        Mode::Delete,
    );
    assert!(ran.problems.is_empty(), "{:?}", ran.problems);
    assert!(
        ran.outcomes
            .iter()
            .all(|o| matches!(o, Some(Outcome::Removed)))
    );
    let expected: BTreeSet<PathBuf> = before
        .iter()
        .filter(|p| !dirs.iter().chain(&files).any(|gone| p.starts_with(gone)))
        .cloned()
        .collect();
    assert_eq!(on_disk(&root), expected, "exactly those are gone");
    apply(&mut tally, job, &placed, &ran);
    assert_measured(&tally, job, &root);
    let deleted = tally.job(job).unwrap().deleted;
    assert!(deleted.files > 0 && deleted.dirs >= 3, "{deleted:?}");
}

#[test]
fn entries_replaced_since_the_scan_are_refused_and_nothing_through_them_is_touched() {
    let (dir, root, tally, job) = scanned(1_000, 32);
    let canary = dir.path().join("canary");
    std::fs::create_dir(&canary).unwrap();
    for i in 0..20 {
        std::fs::write(canary.join(format!("precious{i}")), b"keep me").unwrap();
    }
    let t = tree(&tally, job);
    let mut dirs = t
        .entries(ROOT)
        .filter(|(_, e)| e.entered())
        .map(|(_, e)| root.join(std::str::from_utf8(e.name).unwrap()));
    let (to_link, to_other) = (dirs.next().unwrap(), dirs.next().unwrap());
    // One inside a marked directory, replaced too.
    let marked_with_inner = dirs
        .find(|d| {
            std::fs::read_dir(d)
                .unwrap()
                .flatten()
                .any(|e| e.path().is_dir())
        })
        .unwrap();
    let placed: Vec<(Node, u32, Target)> = [&to_link, &to_other, &marked_with_inner]
        .into_iter()
        .map(|p| target_at(t, p))
        .collect();
    // After the scan: a symlink to the canaries, another directory, and a
    // directory inside a marked one swapped for a symlink too.
    std::fs::rename(&to_link, dir.path().join("moved_away")).unwrap();
    symlink(&canary, &to_link).unwrap();
    std::fs::rename(&to_other, dir.path().join("other_moved")).unwrap();
    std::fs::create_dir(&to_other).unwrap();
    std::fs::write(to_other.join("new_file"), b"new").unwrap();
    let inner = std::fs::read_dir(&marked_with_inner)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .unwrap()
        .path();
    std::fs::rename(&inner, dir.path().join("inner_moved")).unwrap();
    symlink(&canary, &inner).unwrap();

    let ran = run(
        placed.iter().map(|(_, _, t)| t.clone()).collect(),
        Mode::Delete,
    );
    for (i, path) in [&to_link, &to_other].iter().enumerate() {
        match &ran.outcomes[i] {
            Some(Outcome::Refused(Refusal::Changed(p))) => assert_eq!(p, *path),
            other => panic!("{} should be refused as changed: {other:?}", path.display()),
        }
        let said = format!("{}: changed since the scan", path.display());
        assert!(
            Refusal::Changed((*path).clone())
                .to_string()
                .starts_with(&said)
        );
    }
    assert!(
        matches!(ran.outcomes[2], Some(Outcome::Removed)),
        "{:?}",
        ran.outcomes[2]
    );
    for i in 0..20 {
        assert_eq!(
            std::fs::read(canary.join(format!("precious{i}"))).unwrap(),
            b"keep me",
            "a canary was touched"
        );
    }
    assert!(to_link.is_symlink() && to_other.join("new_file").exists());
    assert!(dir.path().join("moved_away").is_dir() && dir.path().join("other_moved").is_dir());
    assert!(
        !marked_with_inner.exists(),
        "the marked one went, its symlink as a link"
    );
}

#[test]
fn a_symlink_is_removed_as_a_link_never_followed() {
    let (dir, root, tally, job) = scanned(500, 33);
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("target.txt"), b"stay").unwrap();
    let link = root.join("link_out");
    symlink(&outside, &link).unwrap();
    // Scanned again, so that the link is in the tree.
    drop(tally);
    let (tally, job) = {
        let _ = job;
        support::scan_tree(options(2), &root)
    };
    let placed = target_at(tree(&tally, job), &link);
    let ran = run(vec![placed.2], Mode::Delete);
    assert!(matches!(ran.outcomes[0], Some(Outcome::Removed)));
    assert!(!link.exists() && !link.is_symlink());
    assert_eq!(std::fs::read(outside.join("target.txt")).unwrap(), b"stay");
}

#[test]
fn a_stop_in_a_directory_of_200k_files_is_heard_at_once_and_what_stays_is_measured() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    let flat = root.join("flat");
    std::fs::create_dir_all(&flat).unwrap();
    for i in 0..200_000 {
        std::fs::File::create(flat.join(format!("f{i:06}"))).unwrap();
    }
    let (mut tally, job) = support::scan_tree(options(2), &root);
    let placed = target_at(tree(&tally, job), &flat);
    let (deletion, events) = Deletion::start(vec![placed.2.clone()], Mode::Delete).unwrap();
    // Some of it first.
    let deadline = Instant::now() + support::HANG;
    while deletion.removed() < 2_000 {
        assert!(Instant::now() < deadline, "the deletion does not progress");
        std::thread::sleep(Duration::from_millis(1));
    }
    let asked = Instant::now();
    deletion.stop();
    let ran = collect(&events, 1);
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(1), "stopped after {took:?}");
    assert!(ran.stopped);
    assert!(
        matches!(ran.outcomes[0], Some(Outcome::Partial)),
        "{:?}",
        ran.outcomes[0]
    );
    let removed = deletion.removed();
    drop(deletion);
    let left = std::fs::read_dir(&flat).unwrap().count() as u64;
    assert!(removed > 0 && left > 0, "removed {removed}, left {left}");
    assert_eq!(left + removed, 200_000, "removed is what is gone");
    apply(&mut tally, job, &[placed], &ran);
    assert_measured(&tally, job, &root);
}

#[test]
fn a_mount_inside_a_marked_directory_is_left_with_its_files() {
    support::namespace::run_in_mount_namespace(
        "a_mount_inside_a_marked_directory_is_left_inside_a_namespace",
    );
}

#[test]
#[ignore = "run by a_mount_inside_a_marked_directory_is_left_with_its_files, in its namespace"]
fn a_mount_inside_a_marked_directory_is_left_inside_a_namespace() {
    support::namespace::assert_inside();
    let (_dir, root, tally, job) = scanned(1_000, 34);
    let t = tree(&tally, job);
    let (_, first) = t.entries(ROOT).find(|(_, e)| e.entered()).unwrap();
    let marked = root.join(std::str::from_utf8(first.name).unwrap());
    let mnt = marked.join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "none"])
        .arg(&mnt)
        .status()
        .unwrap();
    assert!(mounted.success());
    for i in 0..5 {
        std::fs::write(mnt.join(format!("mounted{i}")), b"on tmpfs").unwrap();
    }
    // Scanned with the mount in place, as a user would have.
    let (tally, job) = support::scan_tree(options(2), &root);
    let placed = target_at(tree(&tally, job), &marked);
    let ran = run(vec![placed.2.clone()], Mode::Delete);
    assert!(
        matches!(ran.outcomes[0], Some(Outcome::Partial)),
        "{:?}",
        ran.outcomes[0]
    );
    assert!(
        ran.problems
            .iter()
            .any(|p| p.contains("another filesystem")),
        "{:?}",
        ran.problems
    );
    for i in 0..5 {
        assert_eq!(
            std::fs::read(mnt.join(format!("mounted{i}"))).unwrap(),
            b"on tmpfs"
        );
    }
    let left: Vec<PathBuf> = on_disk(&marked).into_iter().collect();
    assert!(
        left.iter().all(|p| p.starts_with(&mnt)),
        "only the mount stays: {left:?}"
    );
}

#[test]
fn what_nobody_may_not_remove_is_reported_and_the_rest_goes() {
    let nobody = support::nobody::Unprivileged::new();
    let root = nobody.root().join("tree");
    for d in ["free/sub", "guarded"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    for f in [
        "free/a",
        "free/sub/b",
        "guarded/kept1",
        "guarded/kept2",
        "loose",
    ] {
        std::fs::write(root.join(f), b"12345").unwrap();
    }
    use std::os::unix::fs::PermissionsExt;
    // Everyone may write the tree, but not into `guarded`.
    for d in ["", "free", "free/sub"] {
        std::fs::set_permissions(root.join(d), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    std::fs::set_permissions(root.join("guarded"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let (mut tally, job) = support::scan_tree(options(2), &root);
    let t = tree(&tally, job);
    let placed: Vec<(Node, u32, Target)> = ["free", "guarded", "loose"]
        .iter()
        .map(|name| target_at(t, &root.join(name)))
        .collect();
    let targets: Vec<Target> = placed.iter().map(|(_, _, t)| t.clone()).collect();
    // The deletion's threads are made by this one, and take its identity.
    let ran = std::thread::spawn(move || {
        if rustix::process::geteuid().is_root() {
            let nobody = rustix::process::Uid::from_raw(65534);
            let nogroup = rustix::process::Gid::from_raw(65534);
            rustix::thread::set_thread_res_gid(nogroup, nogroup, nogroup).unwrap();
            rustix::thread::set_thread_res_uid(nobody, nobody, nobody).unwrap();
        }
        run(targets, Mode::Delete)
    })
    .join()
    .unwrap();
    assert!(
        matches!(ran.outcomes[0], Some(Outcome::Removed)),
        "{:?}",
        ran.outcomes[0]
    );
    assert!(
        matches!(ran.outcomes[1], Some(Outcome::Partial)),
        "{:?}",
        ran.outcomes[1]
    );
    assert!(
        matches!(ran.outcomes[2], Some(Outcome::Removed)),
        "{:?}",
        ran.outcomes[2]
    );
    let guarded = root.join("guarded");
    for kept in ["kept1", "kept2"] {
        let path = guarded.join(kept);
        assert!(path.exists());
        assert!(
            ran.problems
                .iter()
                .any(|p| p == &format!("{}: Permission denied (os error 13)", path.display())),
            "{:?}",
            ran.problems
        );
    }
    assert!(!root.join("free").exists() && !root.join("loose").exists());
    apply(&mut tally, job, &placed, &ran);
    assert_measured(&tally, job, &root);
}

#[test]
fn the_root_is_not_a_target_and_a_target_deleted_twice_is_gone() {
    let (_dir, root, mut tally, job) = scanned(300, 35);
    let t = tree(&tally, job);
    let (dir, offset, _) = target_at(t, &root.join("huge_flat"));
    tally.deleted(job, dir, offset).unwrap();
    let t = tree(&tally, job);
    assert!(matches!(
        delete::target(t, dir, offset),
        Err(delete::NotDeletable::Gone)
    ));
    assert!(
        t.locate(&root).is_none(),
        "the root is no entry of its own tree"
    );
}

#[test]
fn problems_say_their_path_and_reason() {
    let problem = Problem::OtherFilesystem(PathBuf::from("/data/mnt"));
    assert_eq!(
        problem.to_string(),
        "/data/mnt: on another filesystem, not entered"
    );
    let refusal = Refusal::Vanished(PathBuf::from("/data/x"));
    assert_eq!(refusal.to_string(), "/data/x: gone since the scan");
}

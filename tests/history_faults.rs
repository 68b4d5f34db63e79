//! The history file going wrong never costs the scan: a corrupt file, a
//! directory that cannot be written, a file locked past the timeout, a
//! full disk, a newer schema: each is a warning naming the file, and the
//! summary and exit status are what they are without history. Two writers
//! at once both record; a process killed in the middle of recording leaves
//! the earlier scans intact.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::nobody::Unprivileged;
use support::{Shape, Spec, namespace, treegen};

fn bin() -> Command {
    support::dirdash_command()
}

fn small_tree(dest: &Path, seed: u64) {
    treegen::generate(
        dest,
        &Spec {
            files: 300,
            seed,
            shape: Shape::Mixed,
            hostile: false,
        },
    )
    .unwrap();
}

fn scan_json(file: &Path, tree: &Path) -> Output {
    bin()
        .args(["--headless", "--json", "--history", "--history-file"])
        .arg(file)
        .arg(tree)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The jobs' counts of a JSON summary (times left out).
fn counts(out: &Output) -> Vec<(u64, u64, u64)> {
    let summary: Value = serde_json::from_slice(&out.stdout).expect("a JSON summary");
    summary["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| {
            (
                job["files"].as_u64().unwrap(),
                job["dirs"].as_u64().unwrap(),
                job["disk_bytes"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// What the scan says without any history.
fn plain(tree: &Path) -> Output {
    let out = bin()
        .args(["--headless", "--json", "--no-history"])
        .arg(tree)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    out
}

fn scans_in(file: &Path) -> Vec<i64> {
    let db = rusqlite::Connection::open(file).unwrap();
    db.prepare("SELECT id FROM scans ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn assert_sound(file: &Path) {
    let db = rusqlite::Connection::open(file).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// The scan went as without history, and a warning named the file.
fn assert_warned(out: &Output, tree: &Path, file: &Path, says: &str) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    assert_eq!(counts(out), counts(&plain(tree)));
    let err = stderr(out);
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains(says), "{err}");
    assert!(err.contains("this scan is not recorded"), "{err}");
}

#[test]
fn a_corrupt_file_is_a_warning_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    small_tree(&tree, 81);
    let file = dir.path().join("history.sqlite3");
    let garbage: Vec<u8> = (0..50_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&file, &garbage).unwrap();
    let out = scan_json(&file, &tree);
    assert_warned(&out, &tree, &file, "not a usable database");
    assert_eq!(std::fs::read(&file).unwrap(), garbage, "nothing lost");
}

#[test]
fn a_newer_schema_is_a_warning_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    small_tree(&tree, 82);
    let file = dir.path().join("history.sqlite3");
    {
        let db = rusqlite::Connection::open(&file).unwrap();
        db.pragma_update(None, "user_version", 99).unwrap();
    }
    let out = scan_json(&file, &tree);
    assert_warned(&out, &tree, &file, "written by a newer dirdash");
    let db = rusqlite::Connection::open(&file).unwrap();
    let version: u32 = db
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

#[test]
fn a_directory_that_cannot_be_written_is_a_warning() {
    let place = Unprivileged::new();
    let tree = place.root().join("tree");
    small_tree(&tree, 83);
    let state = place.root().join("state");
    std::fs::create_dir(&state).unwrap();
    std::fs::set_permissions(&state, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    let file = state.join("history.sqlite3");
    let out = place
        .command()
        .args(["--headless", "--json", "--history", "--history-file"])
        .arg(&file)
        .arg(&tree)
        .output()
        .unwrap();
    assert_warned(&out, &tree, &file, "cannot be written");
    assert!(!file.exists());
}

#[test]
fn a_file_locked_past_the_timeout_is_a_warning_and_the_holder_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    small_tree(&tree, 84);
    let file = dir.path().join("history.sqlite3");
    assert_eq!(scan_json(&file, &tree).status.code(), Some(0));
    let mut holder = rusqlite::Connection::open(&file).unwrap();
    let hold = holder
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let started = Instant::now();
    let out = scan_json(&file, &tree);
    assert!(started.elapsed() < Duration::from_secs(30), "it gave up");
    assert_warned(&out, &tree, &file, "locked by another process");
    hold.commit().unwrap();
    assert_eq!(scans_in(&file), [1]);
}

#[test]
fn two_processes_recording_at_the_same_moment_both_record() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    small_tree(&a, 85);
    small_tree(&b, 86);
    let file = dir.path().join("history.sqlite3");
    // Both wait, their scans done, until `go` exists; each says it waits.
    let go = dir.path().join("go");
    let spawn = |tree: &Path| {
        bin()
            .args(["--headless", "--history", "--history-file"])
            .arg(&file)
            .arg(tree)
            .env("DIRDASH_TEST_HISTORY_WAIT_FOR", &go)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(&a), spawn(&b));
    let waiting = |pid: u32| PathBuf::from(format!("{}.{pid}", go.display())).exists();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(waiting(first.id()) && waiting(second.id())) {
        assert!(Instant::now() < deadline, "both reach the recording");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::write(&go, b"").unwrap();
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    }
    assert_eq!(scans_in(&file), [1, 2]);
    assert_sound(&file);
}

#[test]
fn a_process_killed_while_recording_leaves_the_earlier_scans_intact() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    small_tree(&tree, 87);
    let file = dir.path().join("history.sqlite3");
    for _ in 0..2 {
        assert_eq!(scan_json(&file, &tree).status.code(), Some(0));
    }
    let dirs_of = |scan: i64| -> i64 {
        let db = rusqlite::Connection::open(&file).unwrap();
        db.query_row("SELECT count(*) FROM dirs WHERE scan = ?1", [scan], |row| {
            row.get(0)
        })
        .unwrap()
    };
    let recorded = (dirs_of(1), dirs_of(2));
    // Stopped halfway through its transaction, then killed there.
    let held = dir.path().join("held");
    let mut child = bin()
        .args(["--headless", "--history", "--history-file"])
        .arg(&file)
        .arg(&tree)
        .env("DIRDASH_TEST_HISTORY_HOLD", &held)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !held.exists() {
        assert!(Instant::now() < deadline, "the recording starts");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_sound(&file);
    assert_eq!(scans_in(&file), [1, 2]);
    assert_eq!((dirs_of(1), dirs_of(2)), recorded);
    // And it is as usable as before.
    assert_eq!(scan_json(&file, &tree).status.code(), Some(0));
    assert_eq!(scans_in(&file), [1, 2, 3]);
}

#[test]
fn a_full_disk_is_a_warning_and_the_earlier_scans_stay() {
    namespace::run_in_mount_namespace("a_full_disk_is_a_warning_inside_a_namespace");
}

#[test]
#[ignore = "run by a_full_disk_is_a_warning_and_the_earlier_scans_stay, in its namespace"]
fn a_full_disk_is_a_warning_inside_a_namespace() {
    namespace::assert_inside();
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    small_tree(&tree, 88);
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    namespace::mount_tmpfs(&disk, "2m");
    let file = disk.join("history.sqlite3");
    assert_eq!(scan_json(&file, &tree).status.code(), Some(0));
    // Fill what is left.
    let filler = disk.join("filler");
    let mut out = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut out, &block).is_ok() {}
    drop(out);
    let scanned = scan_json(&file, &tree);
    assert_warned(&scanned, &tree, &file, "disk is full");
    std::fs::remove_file(&filler).unwrap();
    assert_sound(&file);
    assert_eq!(scans_in(&file), [1]);
}

//! `t`: the targets go to the user's freedesktop.org trash, whole, each
//! with its `.trashinfo`, so a mistake is undone from the desktop.

mod support;

use std::path::Path;

use dirdash::delete::{self, DeleteEvent, Deletion, Mode, Outcome};
use support::options;

#[test]
fn trashed_targets_are_in_the_users_trash_with_their_trashinfo() {
    let data = tempfile::tempdir().unwrap();
    // The trash is found through XDG_DATA_HOME, read by the process: the
    // test runs in a process of its own with it set.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "trash_in_a_process_of_its_own",
            "--ignored",
            "--nocapture",
        ])
        .env("XDG_DATA_HOME", data.path())
        .output()
        .unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let trash = data.path().join("Trash");
    for name in ["victim", "loose.txt"] {
        assert!(
            trash.join("files").join(name).exists(),
            "{name} in Trash/files"
        );
        let info =
            std::fs::read_to_string(trash.join("info").join(format!("{name}.trashinfo"))).unwrap();
        assert!(info.starts_with("[Trash Info]"), "{info}");
        assert!(info.contains(&format!("/{name}")), "{info}");
        assert!(info.contains("DeletionDate="), "{info}");
    }
    assert_eq!(
        std::fs::read(trash.join("files/victim/inner.txt")).unwrap(),
        b"inside",
        "moved whole"
    );
}

#[test]
#[ignore = "run by trashed_targets_are_in_the_users_trash_with_their_trashinfo"]
fn trash_in_a_process_of_its_own() {
    assert!(std::env::var_os("XDG_DATA_HOME").is_some());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    std::fs::create_dir_all(root.join("victim")).unwrap();
    std::fs::write(root.join("victim/inner.txt"), b"inside").unwrap();
    std::fs::write(root.join("loose.txt"), b"loose").unwrap();
    std::fs::write(root.join("kept.txt"), b"kept").unwrap();
    let (tally, job) = support::scan_tree(options(2), &root);
    let tree = tally.job(job).unwrap().tree.as_ref().unwrap();
    let targets = ["victim", "loose.txt"]
        .iter()
        .map(|name| {
            let (dir, offset) = tree.locate(&root.join(name)).unwrap();
            delete::target(tree, dir, offset).unwrap()
        })
        .collect();
    let (deletion, events) = Deletion::start(targets, Mode::Trash).unwrap();
    let mut outcomes = Vec::new();
    loop {
        match events.recv_timeout(support::HANG).unwrap() {
            DeleteEvent::TargetDone { outcome, .. } => outcomes.push(outcome),
            DeleteEvent::Finished { .. } => break,
            DeleteEvent::Problem(p) => panic!("{p}"),
        }
    }
    drop(deletion);
    assert!(
        outcomes.iter().all(|o| matches!(o, Outcome::Removed)),
        "{outcomes:?}"
    );
    assert!(!root.join("victim").exists() && !root.join("loose.txt").exists());
    assert!(Path::new(&root.join("kept.txt")).exists());
}

//! `--depth N`: the directories down to depth N with their sizes, largest
//! first, in the table and in the JSON, equal to the oracle.

mod support;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::oracle;

fn dirdash(args: &[&OsStr]) -> std::process::Output {
    support::dirdash_command().args(args).output().unwrap()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Checks `node` (at `path`, `level` below the root) and its children.
fn check(
    node: &Value,
    path: &Path,
    level: usize,
    depth: usize,
    below: &std::collections::HashMap<PathBuf, oracle::Below>,
    du: &std::collections::HashMap<PathBuf, u64>,
) -> usize {
    let expected = below
        .get(path)
        .unwrap_or_else(|| panic!("the oracle has {}", path.display()));
    assert_eq!(
        (u(&node["files"]), u(&node["dirs"]), u(&node["bytes"])),
        (expected.files, expected.dirs, expected.bytes),
        "{}",
        path.display()
    );
    assert_eq!(
        Some(&u(&node["disk_bytes"])),
        du.get(path),
        "{}",
        path.display()
    );
    let Some(children) = node["children"].as_array() else {
        assert_eq!(level, depth, "{} has children", path.display());
        return 1;
    };
    assert!(level < depth);
    let subdirs = std::fs::read_dir(path)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .count();
    assert_eq!(
        children.len(),
        subdirs,
        "every directory of {}",
        path.display()
    );
    let sizes: Vec<u64> = children.iter().map(|c| u(&c["disk_bytes"])).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first");
    1 + children
        .iter()
        .map(|child| {
            let name = child["name"].as_str().unwrap();
            check(child, &path.join(name), level + 1, depth, below, du)
        })
        .sum::<usize>()
}

#[test]
fn depth_json_lists_the_directories_down_to_the_depth_as_the_oracle_counts_them() {
    let (root, _) = support::mixed_20k();
    let out = dirdash(&[
        OsStr::new("--headless"),
        OsStr::new("--json"),
        OsStr::new("--depth"),
        OsStr::new("3"),
        root.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tree = &doc["jobs"][0]["tree"];
    assert_eq!(tree["name"], root.to_str().unwrap());
    let below = oracle::below_each_dir(&root, &[]);
    let du = oracle::du_per_dir(&root);
    let checked = check(tree, &root, 0, 3, &below, &du);
    assert!(checked > 20, "{checked} directories");
}

#[test]
fn depth_in_the_table_lists_each_root_s_directories_indented() {
    let (root, _) = support::mixed_20k();
    let out = dirdash(&[
        OsStr::new("--headless"),
        OsStr::new("--depth"),
        OsStr::new("1"),
        root.as_os_str(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let head = text
        .lines()
        .position(|l| l.contains("DIRECTORY"))
        .unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<&str> = text.lines().skip(head + 1).collect();
    assert!(rows[0].ends_with(root.to_str().unwrap()), "{text}");
    let subdirs = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(rows.len(), 1 + subdirs, "{text}");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r.contains("  d") || r.contains("huge_flat"))
    );
}

#[test]
fn a_directory_name_that_is_not_utf8_keeps_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join(OsStr::from_bytes(b"bad_\xff_dir"));
    std::fs::create_dir(&odd).unwrap();
    std::fs::write(odd.join("f"), b"abc").unwrap();
    let out = dirdash(&[
        OsStr::new("--headless"),
        OsStr::new("--json"),
        OsStr::new("--depth"),
        OsStr::new("1"),
        dir.path().as_os_str(),
    ]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let child = &doc["jobs"][0]["tree"]["children"][0];
    assert_eq!(child["name"], "bad_\u{fffd}_dir");
    let bytes: Vec<u8> = child["name_bytes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| u(b) as u8)
        .collect();
    assert_eq!(bytes, b"bad_\xff_dir");
    assert_eq!(u(&child["files"]), 1);
}

#[test]
fn depth_needs_headless() {
    let out = dirdash(&[OsStr::new("--depth"), OsStr::new("1"), OsStr::new("/tmp")]);
    assert_eq!(out.status.code(), Some(2));
}

//! The history as a user meets it: scans recorded by the real binary in a
//! real SQLite file, `diff` against `du -B1` after a change, `history`,
//! retention, a file written by the first schema migrated, and the errors
//! `diff` gives for what it cannot compare.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dirdash::history::schema;
use serde_json::Value;
use support::{Shape, Spec, treegen};
use walkdir::WalkDir;

pub fn bin() -> Command {
    support::dirdash_command()
}

/// A tree of its own (the tests change it) and a history file beside it.
struct Place {
    _dir: tempfile::TempDir,
    tree: PathBuf,
    file: PathBuf,
}

fn place(files: usize, seed: u64) -> Place {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    treegen::generate(
        &tree,
        &Spec {
            files,
            seed,
            shape: Shape::Mixed,
            hostile: false,
        },
    )
    .unwrap();
    let file = dir.path().join("state").join("history.sqlite3");
    Place {
        _dir: dir,
        tree,
        file,
    }
}

fn run(args: &[&str], place: &Place, extra: &[&Path]) -> Output {
    bin()
        .args(args)
        .arg("--history-file")
        .arg(&place.file)
        .args(extra)
        .output()
        .expect("run dirdash")
}

/// A headless scan of the place's tree, recorded.
fn record(place: &Place) -> Output {
    let out = run(&["--headless", "--history"], place, &[&place.tree]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("history"), "{}", stderr(&out));
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// `du -B1`: every directory's disk usage, as the oracle.
fn du_dirs(root: &Path) -> BTreeMap<PathBuf, u64> {
    let out = Command::new("du").arg("-B1").arg(root).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (size, path) = line.split_once('\t').unwrap();
            (PathBuf::from(path), size.parse().unwrap())
        })
        .collect()
}

/// The deepest directory below `root`, and a directory at depth 1 that is
/// not on its way (with subdirectories of its own, if one has any).
fn deep_and_removable(root: &Path) -> (PathBuf, PathBuf) {
    let dirs: Vec<(usize, PathBuf)> = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_dir())
        .map(|e| (e.depth(), e.path().to_path_buf()))
        .collect();
    let deep = dirs
        .iter()
        .max_by_key(|(depth, _)| *depth)
        .unwrap()
        .1
        .clone();
    let removable = dirs
        .iter()
        .filter(|(depth, path)| *depth == 1 && !deep.starts_with(path))
        .max_by_key(|(_, path)| dirs.iter().filter(|(_, p)| p.starts_with(path)).count())
        .unwrap()
        .1
        .clone();
    (deep, removable)
}

#[test]
fn diff_names_exactly_the_directories_that_changed_with_their_changes() {
    let place = place(3_000, 71);
    record(&place);
    let before = du_dirs(&place.tree);

    let (deep, removable) = deep_and_removable(&place.tree);
    std::fs::write(deep.join("grown.bin"), vec![7u8; 3 << 20]).unwrap();
    std::fs::remove_dir_all(&removable).unwrap();
    let out = record(&place);
    // The summary says what changed since the scan before.
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("since scan 1 of"), "{summary}");
    let after = du_dirs(&place.tree);

    let mut expected: BTreeMap<String, (Option<u64>, Option<u64>)> = BTreeMap::new();
    for path in before.keys().chain(after.keys()) {
        let (was, now) = (before.get(path).copied(), after.get(path).copied());
        if was != now {
            expected.insert(path.display().to_string(), (was, now));
        }
    }
    assert!(
        expected.len() > 3,
        "the change reaches the root: {expected:?}"
    );
    assert!(expected.contains_key(&removable.display().to_string()));

    let diff = json(&run(&["diff", "--json"], &place, &[&place.tree]));
    let got: BTreeMap<String, (Option<u64>, Option<u64>)> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_owned(),
                (c["before"].as_u64(), c["after"].as_u64()),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(diff["root"], place.tree.display().to_string());
    assert_eq!(diff["from"]["id"], 1);
    assert_eq!(diff["to"]["id"], 2);
    assert_eq!(diff["total"]["before"], before[&place.tree]);
    assert_eq!(diff["total"]["after"], after[&place.tree]);
    // Largest change first.
    let deltas: Vec<i128> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (i128::from(c["after"].as_u64().unwrap_or(0))
                - i128::from(c["before"].as_u64().unwrap_or(0)))
            .abs()
        })
        .collect();
    assert!(deltas.windows(2).all(|w| w[0] >= w[1]), "{deltas:?}");

    // The table: the root's change first, then the directories.
    let table = run(&["diff"], &place, &[&place.tree]);
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("from scan 1"), "{text}");
    assert!(text.contains(&format!("{}", removable.display())), "{text}");
    assert!(text.contains("gone"), "{text}");
}

#[test]
fn history_lists_the_scans_newest_first_and_diff_refuses_what_it_cannot_compare() {
    let place = place(300, 72);
    let other = place.tree.parent().unwrap().join("other");
    std::fs::create_dir(&other).unwrap();

    // Nothing recorded yet.
    let out = run(&["diff"], &place, &[&place.tree]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    record(&place);
    let out = run(&["diff"], &place, &[&place.tree]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a diff needs two"),
        "{}",
        stderr(&out)
    );

    record(&place);
    let out = run(&["--headless", "--history"], &place, &[&other]);
    assert_eq!(out.status.code(), Some(0));
    let listed = json(&run(&["history", "--json"], &place, &[]));
    let ids: Vec<u64> = listed["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [3, 2, 1]);
    let first = &listed["scans"][2];
    assert_eq!(first["state"], "done");
    assert_eq!(first["complete"], true);
    assert_eq!(first["root"], place.tree.display().to_string());
    assert!(first["files"].as_u64().unwrap() > 0);
    let of_tree = json(&run(&["history", "--json"], &place, &[&place.tree]));
    assert_eq!(of_tree["scans"].as_array().unwrap().len(), 2);

    for (args, says) in [
        (vec!["diff", "--from", "99"], "no scan 99"),
        (vec!["diff", "--from", "3"], "not of this directory"),
        (vec!["diff", "--to", "1"], "a diff needs two"),
    ] {
        let out = run(&args, &place, &[&place.tree]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    // Unchanged: nothing to list.
    let out = run(&["diff"], &place, &[&place.tree]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no directory changed"));
}

#[test]
fn a_directory_named_history_is_scanned_when_given_as_a_path() {
    let place = place(10, 73);
    let named = place.tree.join("history");
    std::fs::create_dir_all(&named).unwrap();
    let out = bin()
        .current_dir(&place.tree)
        .args(["--headless", "--json", "--no-history", "./history"])
        .output()
        .unwrap();
    let summary = json(&out);
    assert_eq!(summary["jobs"][0]["root"], named.display().to_string());
}

#[test]
fn only_the_newest_scans_are_kept_and_a_dropped_scan_leaves_nothing() {
    let place = place(200, 74);
    for _ in 0..5 {
        let out = run(
            &["--headless", "--history", "--history-keep", "3"],
            &place,
            &[&place.tree],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let listed = json(&run(&["history", "--json"], &place, &[]));
    let ids: Vec<i64> = listed["scans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [5, 4, 3]);
    let db = rusqlite::Connection::open(&place.file).unwrap();
    for table in ["scan_dirs", "largest", "dirs"] {
        let scans: Vec<i64> = db
            .prepare(&format!("SELECT DISTINCT scan FROM {table} ORDER BY scan"))
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(scans, [3, 4, 5], "{table}");
    }
}

/// As in the README.
const README_QUERY_SETUP: &str = "
    CREATE TEMP TABLE d AS SELECT * FROM dirs WHERE scan = 1;
    CREATE INDEX temp.d_parent ON d (parent);";
const README_QUERY: &str = "
    WITH RECURSIVE p(id, path) AS (
        SELECT id, name FROM d WHERE parent = 0
        UNION ALL
        SELECT d.id, p.path || '/' || d.name FROM d JOIN p ON d.parent = p.id)
    SELECT p.path, d.disk_bytes FROM p JOIN d ON d.id = p.id";

#[test]
fn per_directory_sizes_are_there_for_sqlite3() {
    let place = place(500, 75);
    record(&place);
    let du = du_dirs(&place.tree);
    // The queries the README shows: every directory of a scan by full path.
    let db = rusqlite::Connection::open(&place.file).unwrap();
    db.execute_batch(README_QUERY_SETUP).unwrap();
    let mut select = db.prepare(README_QUERY).unwrap();
    let got: BTreeMap<PathBuf, u64> = select
        .query_map([], |row| {
            Ok((PathBuf::from(row.get::<_, String>(0)?), row.get(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(got, du);
}

#[test]
fn a_file_of_the_first_schema_is_migrated_and_its_scans_compare() {
    let place = place(400, 76);
    record(&place);
    // The same scan in a file at schema version 1, as the first release
    // wrote it.
    let old = place.file.with_file_name("old.sqlite3");
    {
        let db = rusqlite::Connection::open(&old).unwrap();
        db.execute_batch(schema::STEPS[0]).unwrap();
        db.pragma_update(None, "user_version", 1).unwrap();
        db.execute("ATTACH ?1 AS recorded", [place.file.to_str().unwrap()])
            .unwrap();
        db.execute_batch(
            "INSERT INTO scans SELECT * FROM recorded.scans;
             INSERT INTO scan_dirs SELECT * FROM recorded.scan_dirs;",
        )
        .unwrap();
    }
    let migrated = Place {
        _dir: tempfile::tempdir().unwrap(),
        tree: place.tree.clone(),
        file: old.clone(),
    };
    record(&migrated);
    let db = rusqlite::Connection::open(&old).unwrap();
    let version: u32 = db
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, schema::current());
    let largest: i64 = db
        .query_row("SELECT count(*) FROM largest WHERE scan = 2", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert!(largest > 0);
    let diff = json(&run(&["diff", "--json"], &migrated, &[&place.tree]));
    assert_eq!(diff["from"]["id"], 1);
    assert_eq!(diff["changes"].as_array().unwrap().len(), 0, "{diff}");
}

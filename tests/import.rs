//! `-f FILE`: exports written by the real ncdu (with and without `-e`), by
//! gdu and by dirdash open with the totals of a scan of the same tree
//! (the generator's truth and `du -s -B1`); `--export -` piped into `-f -`;
//! bad input refused with where it went wrong, exit status 2.

mod support;

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Made, Shape, Spec, hostile_2k, tree};

fn dirdash<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    support::dirdash_command()
        .arg("--no-history")
        .args(args)
        .output()
        .expect("run dirdash")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The first job of a JSON summary.
fn job_of(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("a JSON summary");
    summary["jobs"][0].clone()
}

/// dirdash's export of `root`, written to `file`.
fn export(root: &Path, file: &Path) {
    let out = dirdash([
        "--headless".as_ref(),
        "--export".as_ref(),
        file.as_os_str(),
        root.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn import_json(file: &Path) -> Value {
    dirdash_json(&["-f".as_ref(), file.as_os_str()])
}

fn dirdash_json(args: &[&OsStr]) -> Value {
    let mut all: Vec<&OsStr> = vec!["--headless".as_ref(), "--json".as_ref()];
    all.extend_from_slice(args);
    job_of(&dirdash(all))
}

fn du(root: &Path) -> u64 {
    let out = Command::new("du")
        .arg("-s")
        .arg("-B1")
        .arg(root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn counts(job: &Value) -> [u64; 5] {
    ["files", "dirs", "bytes", "disk_bytes", "errors"].map(|k| job[k].as_u64().unwrap())
}

fn truth(made: &Made, root: &Path) -> [u64; 5] {
    [made.files, made.dirs, made.bytes, du(root), 0]
}

fn run_ok(program: &str, args: &[&OsStr]) {
    let out = Command::new(program).args(args).output().expect(program);
    assert!(out.status.success(), "{program}: {}", stderr(&out));
}

#[test]
fn an_export_by_ncdu_of_a_hostile_tree_opens_with_the_truth() {
    let (root, made) = hostile_2k();
    let dir = tempfile::tempdir().unwrap();
    for (name, extended) in [("plain.json", false), ("extended.json", true)] {
        let file = dir.path().join(name);
        let mut args: Vec<&OsStr> = vec!["-0".as_ref()];
        if extended {
            args.push("-e".as_ref());
        }
        args.extend(["-o".as_ref(), file.as_os_str(), root.as_os_str()]);
        run_ok("ncdu", &args);
        let job = import_json(&file);
        assert_eq!(job["state"], "imported");
        assert_eq!(job["root"], root.display().to_string());
        assert_eq!(counts(&job), truth(&made, &root), "{name}");
        // With -e, ncdu writes each entry's mode: links are told apart.
        if extended {
            assert_eq!(job["symlinks"].as_u64(), Some(made.symlinks), "{name}");
        }
        // And as a scan of the same tree counts it.
        let scanned = dirdash_json(&[root.as_os_str()]);
        assert_eq!(counts(&job), counts(&scanned), "{name}");
    }
}

#[test]
fn an_export_by_gdu_opens_with_its_files_and_directories() {
    let (root, made) = tree(Spec {
        files: 2_000,
        seed: 101,
        shape: Shape::Mixed,
        hostile: false,
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gdu.json");
    run_ok(
        "gdu",
        &[
            "-n".as_ref(),
            "-o".as_ref(),
            file.as_os_str(),
            root.as_os_str(),
        ],
    );
    let job = import_json(&file);
    assert_eq!(job["state"], "imported");
    let [files, dirs, bytes, disk, errors] = counts(&job);
    assert_eq!(
        (files, dirs, bytes, errors),
        (made.files, made.dirs, made.bytes, 0)
    );
    // gdu exports no directory sizes: what is on disk is the files'.
    let dirs_own: u64 = walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.metadata().unwrap().blocks() * 512)
        .sum();
    assert_eq!(disk, du(&root) - dirs_own);
}

#[test]
fn a_dirdash_export_opens_as_the_scan_that_wrote_it_also_through_a_pipe() {
    let (root, _) = hostile_2k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dirdash.json");
    let scanned = dirdash_json(&["--export".as_ref(), file.as_os_str(), root.as_os_str()]);
    let imported = import_json(&file);
    for key in ["files", "dirs", "symlinks", "bytes", "disk_bytes", "errors"] {
        assert_eq!(imported[key], scanned[key], "{key}");
    }
    // The directories' sizes too, as the browser shows them.
    let depth = |args: &[&OsStr]| {
        let mut all: Vec<&OsStr> = vec!["--depth".as_ref(), "3".as_ref()];
        all.extend_from_slice(args);
        dirdash_json(&all)["tree"].clone()
    };
    assert_eq!(
        depth(&["-f".as_ref(), file.as_os_str()]),
        depth(&[root.as_os_str()])
    );

    // `--export -` to standard output, `-f -` from standard input.
    let mut producer = support::dirdash_command()
        .args(["--no-history", "--headless", "--export", "-"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let consumer = support::dirdash_command()
        .args(["--no-history", "--headless", "--json", "-f", "-"])
        .stdin(producer.stdout.take().unwrap())
        .output()
        .unwrap();
    let produced = producer.wait_with_output().unwrap();
    assert!(produced.status.success());
    // The producer's summary went to stderr.
    assert!(
        stderr(&produced).contains("1 root"),
        "{}",
        stderr(&produced)
    );
    let piped = job_of(&consumer);
    for key in ["files", "dirs", "symlinks", "bytes", "disk_bytes", "errors"] {
        assert_eq!(piped[key], scanned[key], "{key}");
    }
}

/// Runs `-f` on `bytes`; returns its stderr after asserting exit status 2.
fn refused(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::File::create(&file)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    let started = Instant::now();
    let out = dirdash(["--headless".as_ref(), "-f".as_ref(), file.as_os_str()]);
    assert!(started.elapsed() < Duration::from_secs(30), "no hang");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains(&file.display().to_string()), "{err}");
    err
}

#[test]
fn what_is_not_an_export_is_refused_with_where_it_went_wrong() {
    let (root, _) = tree(Spec {
        files: 300,
        seed: 102,
        shape: Shape::Mixed,
        hostile: false,
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("good.json");
    export(&root, &file);
    let good = std::fs::read(&file).unwrap();

    let err = refused(&good[..good.len() / 2]);
    assert!(err.contains("truncated"), "{err}");
    assert!(err.contains("line "), "{err}");

    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = refused(&noise);
    assert!(err.contains("not an ncdu JSON export"), "{err}");

    assert!(refused(b"").contains("empty"));
    assert!(refused(b"{\"a\": 1}").contains("not an ncdu JSON export"));
    let err = refused(b"[2, 0, {}, [{\"name\": \"/x\"}]]");
    assert!(err.contains("format version 2"), "{err}");
    let err = refused(b"\xbfncduEX1\x00\x01");
    assert!(err.contains("binary export"), "{err}");
    let err = refused(b"[1, 2, {}, [{\"asize\": 1}]]");
    assert!(err.contains("name"), "{err}");
    assert!(refused(b"[1, 2, {}]").contains("no directory tree"));
}

#[test]
fn a_huge_nesting_is_refused_and_what_is_skipped_may_nest_deep() {
    // A million directories, each in the last: refused at the limit, with
    // where, before the stack runs out or the sums crawl.
    let depth = 1_000_000;
    let mut deep = b"[1,2,{},".to_vec();
    for _ in 0..depth {
        deep.extend_from_slice(b"[{\"name\":\"d\"},");
    }
    deep.extend_from_slice(b"{\"name\":\"f\",\"asize\":1}");
    deep.extend(std::iter::repeat_n(b']', depth + 1));
    let err = refused(&deep);
    assert!(err.contains("nested deeper than 10000"), "{err}");
    assert!(err.contains("column "), "{err}");

    // At the limit: read, and listed 1000 levels down.
    let limit = 10_000;
    let mut deepest = b"[1,2,{},[{\"name\":\"/r\"},".to_vec();
    for _ in 0..limit {
        deepest.extend_from_slice(b"[{\"name\":\"d\"},");
    }
    deepest.extend_from_slice(b"{\"name\":\"f\",\"asize\":1}");
    deepest.extend(std::iter::repeat_n(b']', limit + 2));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deepest.json");
    std::fs::write(&file, &deepest).unwrap();
    let job = dirdash_json(&[
        "--depth".as_ref(),
        "50".as_ref(),
        "-f".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(
        (job["files"].as_u64(), job["dirs"].as_u64()),
        (Some(1), Some(limit as u64))
    );
    let mut level = &job["tree"];
    for _ in 0..50 {
        level = &level["children"][0];
    }
    assert_eq!(
        (level["files"].as_u64(), level["dirs"].as_u64()),
        (Some(1), Some(limit as u64 - 50))
    );
    // The deepest listing allowed is printed, deeper than serde_json's
    // default reader nests.
    let out = dirdash([
        "--headless".as_ref(),
        "--json".as_ref(),
        "--depth".as_ref(),
        "1000".as_ref(),
        "-f".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.ends_with(b"}\n"));

    // Metadata and an excluded directory's contents are skipped, however
    // deep they nest.
    let nest = |n: usize| {
        let mut v = vec![b'['; n];
        v.extend(std::iter::repeat_n(b']', n));
        v
    };
    let mut skipped = b"[1,2,{\"x\":".to_vec();
    skipped.extend(nest(1_000_000));
    skipped.extend_from_slice(b"},[{\"name\":\"/r\"},{\"name\":\"f\",\"asize\":5},");
    skipped.extend_from_slice(b"[{\"name\":\"x\",\"excluded\":\"pattern\"},");
    skipped.extend(nest(1_000_000));
    skipped.extend_from_slice(b"]]]");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("skipped.json");
    std::fs::write(&file, &skipped).unwrap();
    let job = import_json(&file);
    assert_eq!(
        (job["files"].as_u64(), job["bytes"].as_u64()),
        (Some(1), Some(5))
    );
}

#[test]
fn the_dashboard_browses_an_import_and_refuses_to_delete_from_it() {
    let (root, made) = tree(Spec {
        files: 500,
        seed: 103,
        shape: Shape::Mixed,
        hostile: false,
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    export(&root, &file);
    let mut s = support::pty::Session::start(&["-f", file.to_str().unwrap()], &[]);
    s.wait_for("the imported job", |screen| {
        support::pty::job_line(screen, "imported", &root)
    });
    s.send("\r");
    s.wait_text("BY SIZE");
    s.send("d");
    s.wait_text("tree read from an export");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    let summary = s.stdout();
    assert!(summary.contains("imported"), "{summary}");
    assert!(
        summary.contains(&support::pty::count(made.files)),
        "{summary}"
    );
}

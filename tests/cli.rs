//! The headless command line, run as a user runs it: the JSON schema,
//! `--list` against the oracle, bad roots, exit codes, signals, permissions,
//! `-x` across a real mount.

mod support;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rustix::process::Signal;
use serde_json::Value;
use support::nobody::Unprivileged;
use support::oracle;
use support::{HANG, Shape, Spec, flat_200k, hostile_2k, mixed_20k, tree};

fn dirdash() -> Command {
    support::dirdash_command()
}

fn run<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    dirdash().args(args).output().expect("run dirdash")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
fn the_json_summary_follows_the_schema_and_equals_the_oracle() {
    let (root, _) = mixed_20k();
    let (flat, _) = tree(Spec {
        files: 20_000,
        seed: 7,
        shape: Shape::Flat,
        hostile: false,
    });
    let out = run([
        OsStr::new("--headless"),
        OsStr::new("--json"),
        OsStr::new("-j4"),
        root.as_os_str(),
        flat.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    assert_eq!(doc["version"], 3);
    assert_eq!(doc["threads"], 4);
    assert!(doc["elapsed_ms"].is_u64());
    assert_eq!(doc["state"], "done");
    assert_eq!(doc["errors"], Value::Array(vec![]));
    let jobs = doc["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 2);
    for (i, (job, dir)) in jobs.iter().zip([&root, &flat]).enumerate() {
        let walked = oracle::walk(dir, &[]);
        let c = walked.counts;
        assert_eq!(job["id"], i as u64 + 1);
        assert_eq!(job["root"], dir.to_str().unwrap());
        assert!(job.get("root_bytes").is_none(), "only for non-UTF-8 roots");
        assert_eq!(job["state"], "done");
        let got = [
            "files",
            "dirs",
            "symlinks",
            "other",
            "bytes",
            "disk_bytes",
            "errors",
        ]
        .map(|k| u(&job[k]));
        assert_eq!(
            got,
            [
                c.files,
                c.dirs,
                c.symlinks,
                c.other,
                c.bytes,
                c.disk_bytes,
                0
            ]
        );
        assert!(job["elapsed_ms"].is_u64());
        // Version 2: what the files are like (exact values: engine_stats.rs).
        let largest = job["largest_files"].as_array().unwrap();
        assert_eq!(largest.len(), 20);
        assert!(
            largest
                .windows(2)
                .all(|w| u(&w[0]["bytes"]) >= u(&w[1]["bytes"]))
        );
        assert!(
            largest
                .iter()
                .all(|f| f["path"].is_string() && f["disk_bytes"].is_u64())
        );
        let exts = job["extensions"].as_array().unwrap();
        assert_eq!(exts.iter().map(|e| u(&e["files"])).sum::<u64>(), c.files);
        assert_eq!(exts.iter().map(|e| u(&e["bytes"])).sum::<u64>(), c.bytes);
        let histogram = job["size_histogram"].as_array().unwrap();
        assert_eq!(histogram.len(), 12);
        assert_eq!(histogram[0]["lt"], 1024);
        assert!(histogram[11]["lt"].is_null());
        assert_eq!(
            histogram.iter().map(|b| u(&b["files"])).sum::<u64>(),
            c.files
        );
        assert!(job["mtime_min"].as_i64().unwrap() <= job["mtime_max"].as_i64().unwrap());
    }
    let workers = doc["workers"].as_array().unwrap();
    assert!(!workers.is_empty() && workers.len() <= 4);
    let dirs_read: u64 = workers.iter().map(|w| u(&w["dirs"])).sum();
    let dirs: u64 = jobs.iter().map(|j| u(&j["dirs"])).sum();
    assert_eq!(
        dirs_read,
        dirs + 2,
        "each directory read once, roots included"
    );
    for w in workers {
        assert!(w["id"].is_u64() && w["entries"].is_u64());
    }
}

#[test]
fn a_root_that_is_not_utf8_is_written_lossily_and_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let raw = b"caf\xe9";
    let root = dir.path().join(OsStr::from_bytes(raw));
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("x"), b"abc").unwrap();
    let out = run([
        OsStr::new("--headless"),
        OsStr::new("--json"),
        root.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let job = &json(&out)["jobs"][0];
    assert_eq!(job["root"], root.to_string_lossy().as_ref());
    let bytes: Vec<u8> = job["root_bytes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| u(b) as u8)
        .collect();
    assert_eq!(bytes, root.as_os_str().as_bytes());
    assert_eq!(u(&job["files"]), 1);
    assert_eq!(u(&job["bytes"]), 3);
}

#[test]
fn list_prints_exactly_the_oracles_files() {
    let (root, _) = mixed_20k();
    let out = run([
        OsStr::new("--headless"),
        OsStr::new("--list"),
        root.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let listed: Vec<PathBuf> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| PathBuf::from(OsStr::from_bytes(l)))
        .collect();
    let set: BTreeSet<PathBuf> = listed.iter().cloned().collect();
    assert_eq!(set.len(), listed.len(), "a path listed twice");
    assert_eq!(set, oracle::walk(&root, &[]).files);
    // The summary goes to stderr, leaving stdout to the paths.
    assert!(String::from_utf8_lossy(&out.stderr).contains("scanned in"));
}

#[test]
fn list_null_separates_names_holding_newlines() {
    let (root, _) = hostile_2k();
    let out = run([
        OsStr::new("--headless"),
        OsStr::new("--list"),
        OsStr::new("-0"),
        OsStr::new("--exclude"),
        OsStr::new("longpath"),
        root.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: BTreeSet<PathBuf> = out
        .stdout
        .split(|&b| b == 0)
        .filter(|l| !l.is_empty())
        .map(|l| PathBuf::from(OsStr::from_bytes(l)))
        .collect();
    let expected = oracle::walk(&root, &["longpath"]).files;
    assert!(
        expected
            .iter()
            .any(|p| p.as_os_str().as_bytes().contains(&b'\n'))
    );
    assert!(
        expected
            .iter()
            .any(|p| std::str::from_utf8(p.as_os_str().as_bytes()).is_err())
    );
    assert_eq!(listed, expected);
}

#[test]
fn bad_roots_are_refused_by_name_and_the_others_are_scanned() {
    let (root, _) = mixed_20k();
    let missing = root.join("no-such-dir");
    let file = oracle::walk(&root, &[]).files.into_iter().next().unwrap();
    let out = run([
        OsStr::new("--headless"),
        OsStr::new("--json"),
        missing.as_os_str(),
        root.as_os_str(),
        file.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}: No such file or directory", missing.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: Not a directory", file.display())),
        "{stderr}"
    );
    let doc = json(&out);
    let states: Vec<&str> = doc["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["failed", "done", "failed"]);
    assert_eq!(
        u(&doc["jobs"][1]["files"]),
        oracle::walk(&root, &[]).counts.files
    );
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|e| e["reason"].is_string() && e["job"].is_u64())
    );
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    for (args, says) in [
        (vec!["--headless"], "needs at least one DIR"),
        (vec!["--headless", "--no-such-flag", "/"], "--no-such-flag"),
        (
            vec!["--headless", "--exclude", "a[", "/"],
            "--exclude: bad pattern",
        ),
        (vec!["--headless", "-j", "0", "/"], "0"),
        (
            vec!["--headless", "--json", "--list", "/"],
            "cannot be used with",
        ),
        (vec!["--list", "/"], "--headless"),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn the_dashboard_without_a_terminal_points_to_headless() {
    let out = dirdash()
        .arg("/tmp")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--headless"));
}

#[test]
fn help_documents_every_option_and_the_exit_codes() {
    let out = run([OsStr::new("--help")]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--headless",
        "--threads",
        "--json",
        "--one-file-system",
        "--follow-links",
        "--exclude",
        "--list",
        "--null",
        "--help",
        "--version",
        "Exit status",
        "130/143",
    ] {
        assert!(help.contains(option), "--help lacks {option}:\n{help}");
    }
    // The default thread count is shown as a number.
    let default = dirdash::scan::default_threads().to_string();
    assert!(help.contains(&format!("here: {default}")), "{help}");
}

/// `--headless --list` of the 200k flat directory, once its first path is
/// out (the signal handlers are installed before the scan starts).
fn start_listing(args: &[&str]) -> (Child, BufReader<ChildStdout>, Vec<u8>) {
    let (root, _) = flat_200k();
    let mut child = dirdash()
        .args(["--headless", "--list"])
        .args(args)
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = Vec::new();
    stdout.read_until(b'\n', &mut first).unwrap();
    assert!(!first.is_empty(), "no path listed");
    (child, stdout, first)
}

/// Signals mid-scan: wait for the first listed path (handlers are installed
/// before the scan starts), then signal.
fn signal_mid_scan(signal: Signal) -> (Option<i32>, Vec<u8>, String, Duration) {
    let (mut child, mut stdout, mut first) = start_listing(&["-j", "1"]);
    let pid = rustix::process::Pid::from_child(&child);
    let sent = Instant::now();
    rustix::process::kill_process(pid, signal).unwrap();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let status = child.wait().unwrap();
    let took = sent.elapsed();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    first.extend(rest);
    (status.code(), first, stderr, took)
}

#[test]
fn sigint_stops_cleanly_prints_the_partial_summary_and_exits_130() {
    let (code, listed, stderr, took) = signal_mid_scan(Signal::INT);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    let lines = listed
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert!(lines < 200_000, "the scan finished before the signal");
    assert!(took < HANG);
}

#[test]
fn sigterm_stops_cleanly_and_exits_143() {
    let (code, _, stderr, _) = signal_mid_scan(Signal::TERM);
    assert_eq!(code, Some(143), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn a_closed_pipe_ends_the_list_quietly() {
    let (mut child, stdout, _) = start_listing(&[]);
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(stderr, "");
}

/// A tree the `nobody` user can enter, with one directory it cannot.
fn tree_with_a_locked_dir() -> Unprivileged {
    let nobody = Unprivileged::new();
    let root = &nobody.root();
    for d in ["open", "open/sub", "locked"] {
        std::fs::create_dir(root.join(d)).unwrap();
    }
    for f in [
        "open/a",
        "open/sub/b",
        "locked/hidden1",
        "locked/hidden2",
        "top",
    ] {
        std::fs::write(root.join(f), b"12345").unwrap();
    }
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    nobody
}

#[test]
fn an_unreadable_directory_is_an_error_with_its_path_and_the_rest_is_counted() {
    let nobody = tree_with_a_locked_dir();
    let root = &nobody.root();
    let out = nobody
        .command()
        .args(["--headless", "--json"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    let job = &doc["jobs"][0];
    assert_eq!(job["state"], "done");
    assert_eq!(
        (u(&job["files"]), u(&job["dirs"]), u(&job["bytes"])),
        (3, 3, 15)
    );
    assert_eq!(u(&job["errors"]), 1);
    let error = &doc["errors"][0];
    assert_eq!(error["path"], root.join("locked").to_str().unwrap());
    assert_eq!(error["reason"], "Permission denied (os error 13)");
    assert_eq!(error["kind"], "permission_denied");
    assert_eq!(error["errno"], 13);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: Permission denied",
            root.join("locked").display()
        )),
        "{stderr}"
    );
    // The locked directory's own blocks still count, as du counts them.
    let mut expected_disk = 0;
    for p in [
        "",
        "open",
        "open/sub",
        "locked",
        "open/a",
        "open/sub/b",
        "top",
    ] {
        use std::os::unix::fs::MetadataExt;
        expected_disk += std::fs::symlink_metadata(root.join(p)).unwrap().blocks() * 512;
    }
    assert_eq!(u(&job["disk_bytes"]), expected_disk);
}

#[test]
fn an_unreadable_root_fails_the_job_and_exits_1() {
    let nobody = tree_with_a_locked_dir();
    let locked = nobody.root().join("locked");
    let out = nobody
        .command()
        .args(["--headless", "--json"])
        .arg(&locked)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["jobs"][0]["state"], "failed");
}

#[test]
fn one_file_system_does_not_enter_a_mount_below_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("mnt")).unwrap();
    std::fs::write(root.join("here"), b"1").unwrap();
    // A private mount namespace: the tmpfs vanishes with the shell.
    let mut unshare = Command::new("unshare");
    if !rustix::process::geteuid().is_root() {
        unshare.arg("--map-root-user");
    }
    let out = unshare
        .args(["--mount", "sh", "-c"])
        .arg(
            r#"mount -t tmpfs none "$1/mnt" && mkdir "$1/mnt/d" && touch "$1/mnt/a" "$1/mnt/d/b" &&
               "$2" --headless --json -x "$1" && "$2" --headless --json "$1""#,
        )
        .arg("sh")
        .arg(root)
        .arg(env!("CARGO_BIN_EXE_dirdash"))
        .env("XDG_CONFIG_HOME", support::NO_CONFIG_HOME)
        .output()
        .expect("unshare (util-linux)");
    assert!(
        out.status.success(),
        "unshare failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let (x, all) = (&docs[0]["jobs"][0], &docs[1]["jobs"][0]);
    assert_eq!(
        (u(&x["files"]), u(&x["dirs"]), u(&x["skipped_dirs"])),
        (1, 1, 1)
    );
    assert_eq!(
        (u(&all["files"]), u(&all["dirs"]), u(&all["skipped_dirs"])),
        (3, 2, 0)
    );
}

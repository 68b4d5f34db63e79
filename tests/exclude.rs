//! Excluding as ncdu, tar and dua users do: `--exclude-caches` (a valid
//! CACHEDIR.TAG, and only a valid one), `--exclude-from` files with
//! comments and blank lines, `--exclude-kernfs` against a real `/proc`
//! mount. Counts are checked against the walkdir oracle; excluded
//! directories are in the export and on the browser's screen, marked.

mod support;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use serde_json::Value;
use support::ncdu_json;
use support::oracle::{self, Counts};

const TAG: &[u8] = b"Signature: 8a477f597d28d172789f06886806bc55\n# made by a build tool\n";

fn dirdash<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    support::dirdash_command()
        .arg("--no-history")
        .args(args)
        .output()
        .expect("run dirdash")
}

fn counts_of(out: &Output) -> Counts {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("a JSON summary");
    let job = &summary["jobs"][0];
    let n = |key: &str| {
        job[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} in {job}"))
    };
    Counts {
        files: n("files"),
        dirs: n("dirs"),
        symlinks: n("symlinks"),
        other: n("other"),
        bytes: n("bytes"),
        disk_bytes: n("disk_bytes"),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Tagged caches (`cache`, and `cache2` deep below), tags that do not
/// count (a wrong signature, a short one, a directory named CACHEDIR.TAG, a
/// link to a valid tag) and plain files beside them.
fn caches_tree(root: &Path) {
    write(&root.join("src/main.c"), &[b'c'; 3000]);
    write(&root.join("cache/CACHEDIR.TAG"), TAG);
    write(&root.join("cache/objects/a.o"), &[0; 50_000]);
    write(&root.join("cache/objects/b.o"), &[0; 70_000]);
    write(
        &root.join("wrongsig/CACHEDIR.TAG"),
        b"Signature: 8a477f597d28d172789f06886806bc5X\n",
    );
    write(&root.join("wrongsig/kept"), &[1; 9000]);
    write(&root.join("short/CACHEDIR.TAG"), b"Signature: 8a477f59");
    write(&root.join("short/kept"), &[2; 100]);
    std::fs::create_dir_all(root.join("tagdir/CACHEDIR.TAG")).unwrap();
    write(&root.join("tagdir/kept"), &[3; 10]);
    write(&root.join("linked/kept"), &[4; 20]);
    std::os::unix::fs::symlink(
        root.join("cache/CACHEDIR.TAG"),
        root.join("linked/CACHEDIR.TAG"),
    )
    .unwrap();
    write(&root.join("deep/x/y/cache2/CACHEDIR.TAG"), TAG);
    write(&root.join("deep/x/y/cache2/blob"), &[5; 40_000]);
    write(&root.join("deep/x/y/kept"), &[6; 500]);
}

#[test]
fn exclude_caches_skips_valid_tags_only_and_marks_them_excluded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    caches_tree(&root);
    let everything = oracle::walk(&root, &[]).counts;
    let without_caches = oracle::walk(&root, &["cache", "cache2"]).counts;
    assert_ne!(everything, without_caches);

    let plain = dirdash([
        OsStr::new("--headless"),
        "--json".as_ref(),
        root.as_os_str(),
    ]);
    assert_eq!(counts_of(&plain), everything);

    let export = dir.path().join("export.json");
    let skipping = dirdash([
        OsStr::new("--headless"),
        "--json".as_ref(),
        "--exclude-caches".as_ref(),
        "--export".as_ref(),
        export.as_os_str(),
        root.as_os_str(),
    ]);
    assert_eq!(counts_of(&skipping), without_caches);

    let doc = ncdu_json::parse(&std::fs::read(&export).unwrap()).unwrap();
    let (_, items) = ncdu_json::items(&doc);
    for excluded in ["cache", "deep/x/y/cache2"] {
        let item = &items[excluded.as_bytes()];
        assert_eq!(
            item.info.get("excluded"),
            Some(&ncdu_json::Value::Str(b"pattern".to_vec())),
            "{excluded}: {item:?}"
        );
    }
    assert!(!items.contains_key(b"cache/objects".as_slice()));
    for kept in [
        "wrongsig/kept",
        "short/kept",
        "tagdir/kept",
        "linked/kept",
        "deep/x/y/kept",
    ] {
        assert!(items.contains_key(kept.as_bytes()), "{kept}");
    }
    // ncdu reads the export and keeps the same entries, marked the same.
    let reread = support::ncdu_reexport(&export, &dir.path().join("ncdu.json"));
    let (_, again) = ncdu_json::items(&ncdu_json::parse(&reread).unwrap());
    let names = |items: &std::collections::BTreeMap<Vec<u8>, ncdu_json::Item>| -> Vec<Vec<u8>> {
        items.keys().cloned().collect()
    };
    assert_eq!(names(&again), names(&items));
    assert!(again[b"cache".as_slice()].info.get("excluded").is_some());
}

#[test]
fn the_browser_marks_a_tagged_cache_excluded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    caches_tree(&root);
    let mut s = support::pty::Session::start(&["--exclude-caches", root.to_str().unwrap()], &[]);
    s.wait_for("the scan", |screen| {
        support::pty::job_line(screen, "done", &root)
    });
    s.send("\r");
    // Excluded: marked `x`, shown as an entry that is not entered (no `/`).
    let screen = s.wait_for("the cache's row", |screen| {
        screen
            .lines()
            .any(|line| line.trim_end().ends_with(" x cache"))
    });
    let kept = screen
        .lines()
        .find(|line| line.contains("wrongsig/"))
        .unwrap();
    assert!(!kept.contains(" x "), "{kept:?}");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
}

#[test]
fn exclude_from_reads_a_pattern_a_line_skipping_comments_and_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    write(&root.join("keep/a.c"), &[1; 1000]);
    write(&root.join("keep/a.o"), &[1; 2000]);
    write(&root.join("node_modules/x/index.js"), &[1; 3000]);
    write(&root.join("#notes"), &[1; 40]);
    write(&root.join("  spaced"), &[1; 50]);
    write(&root.join("logs/today.log"), &[1; 60]);
    let patterns = dir.path().join("patterns");
    std::fs::write(
        &patterns,
        "# build output\n*.o\n\n   \nnode_modules\r\n  # an indented comment\n",
    )
    .unwrap();
    let more = dir.path().join("more");
    std::fs::write(&more, "logs\n").unwrap();
    let out = dirdash([
        OsStr::new("--headless"),
        "--json".as_ref(),
        "--exclude-from".as_ref(),
        patterns.as_os_str(),
        "--exclude-from".as_ref(),
        more.as_os_str(),
        root.as_os_str(),
    ]);
    let counts = counts_of(&out);
    // Left: keep/a.c, `#notes` (a comment only in the patterns file) and
    // `  spaced`; dirs: keep only.
    assert_eq!((counts.files, counts.bytes, counts.dirs), (3, 1090, 1));

    let missing = dir.path().join("no-such-file");
    let out = dirdash([
        OsStr::new("--headless"),
        "--exclude-from".as_ref(),
        missing.as_os_str(),
        root.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&*missing.to_string_lossy()), "{err}");
}

#[test]
fn exclude_kernfs_skips_a_real_proc_mount() {
    // A PID namespace of its own lets an unprivileged user mount a proc.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    write(&root.join("data/file"), &[7; 12_345]);
    std::fs::create_dir(root.join("proc")).unwrap();
    let own = oracle::walk(&root, &[]).counts;
    let mut unshare = std::process::Command::new("unshare");
    if !rustix::process::geteuid().is_root() {
        unshare.arg("--map-root-user");
    }
    let out = unshare
        .args(["--mount", "--pid", "--fork", "bash", "-c"])
        .arg(
            r#"mount -t proc proc "$1/proc" || exit 99
               # A second proc beyond PATH_MAX: 20 levels of 250-byte names
               # (bash: its cd goes on where a path grows too long).
               (cd "$1" && for _ in $(seq 20); do
                  mkdir "$LONG" && cd "$LONG" || exit 1
                done && mkdir p && mount -t proc proc p) || exit 96
               "$2" --no-history --headless --json --exclude-kernfs "$1" > "$3/skipping.json" || exit 98
               "$2" --no-history --headless --json --export "$3/export.json" --exclude-kernfs "$1" > /dev/null || exit 97
               "$2" --no-history --headless --json "$1" > "$3/entering.json"; echo $? > "$3/entering.status""#,
        )
        .arg("bash")
        .arg(&root)
        .arg(env!("CARGO_BIN_EXE_dirdash"))
        .arg(dir.path())
        .env("XDG_CONFIG_HOME", support::NO_CONFIG_HOME)
        .env("LONG", "l".repeat(250))
        .output()
        .expect("unshare (util-linux)");
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(name)).unwrap()).unwrap()
    };
    let skipping = &read("skipping.json")["jobs"][0];
    // Both mounted procs are left out altogether: the dirs are `data` and
    // the 20 long levels (not `proc` nor `p`, the excluded mount points).
    assert_eq!(skipping["files"], own.files);
    assert_eq!(skipping["bytes"], own.bytes);
    assert_eq!(skipping["dirs"], own.dirs - 1 + 20);
    assert_eq!(skipping["errors"], 0);
    let doc = ncdu_json::parse(&std::fs::read(dir.path().join("export.json")).unwrap()).unwrap();
    let (_, items) = ncdu_json::items(&doc);
    assert!(items[b"proc".as_slice()].info.get("excluded").is_some());
    // Without the option the same scan enters it: many more files.
    let entering = &read("entering.json")["jobs"][0];
    assert!(
        entering["files"].as_u64().unwrap() > own.files + 10,
        "{entering}"
    );
}

//! The config file: every key sets its option, the command line wins (a
//! flag, or the negation that undoes the file's), `--no-config` ignores it,
//! and a bad file is refused with its path, line and key, exit status 2.

mod support;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use support::oracle;
use support::pty::Session;

const TAG: &[u8] = b"Signature: 8a477f597d28d172789f06886806bc55";

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn run(config: &Path, args: &[&OsStr]) -> Output {
    support::dirdash_command()
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap()
}

fn summary(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// files, dirs, bytes of the first job.
fn counted(summary: &Value) -> (u64, u64, u64) {
    let job = &summary["jobs"][0];
    let n = |key: &str| job[key].as_u64().unwrap();
    (n("files"), n("dirs"), n("bytes"))
}

/// A tree that each counting key changes: objects, a listed directory, a
/// tagged cache, a link to a directory outside.
fn tree(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("root");
    write(&root.join("main.c"), &[1; 1000]);
    write(&root.join("main.o"), &[1; 2000]);
    write(&root.join("vendor/lib.c"), &[1; 4000]);
    write(&root.join("cache/CACHEDIR.TAG"), TAG);
    write(&root.join("cache/blob"), &[1; 8000]);
    write(&dir.join("outside/far.c"), &[1; 16_000]);
    std::os::unix::fs::symlink(dir.join("outside"), root.join("link")).unwrap();
    root
}

#[test]
fn each_key_sets_its_option_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = tree(dir.path());
    let config = dir.path().join("conf/config.toml");
    write(&dir.path().join("conf/ignore"), b"# listed\nvendor\n");
    write(
        &config,
        br#"# every counting key at once
threads = 3
follow-links = true
exclude = ["*.o"]
exclude-from = ["ignore"]
exclude-caches = true
si = true
history = true
history-file = "state/h.sqlite3"
history-keep = 2
"#,
    );
    let everything = oracle::walk(&root, &[]).counts;
    assert_eq!((everything.files, everything.bytes), (5, 15_043));

    let json = |extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec!["--headless".as_ref(), "--json".as_ref()];
        args.extend(extra.iter().map(OsStr::new));
        args.push(root.as_os_str());
        summary(&run(&config, &args))
    };
    let by_file = json(&[]);
    assert_eq!(by_file["threads"], 3);
    // main.c and, through the followed link, outside/far.c; the link is a
    // directory then.
    assert_eq!(counted(&by_file), (2, 1, 17_000));

    // Each flag and negation on the command line wins over the file.
    assert_eq!(json(&["-j", "5"])["threads"], 5);
    assert_eq!(counted(&json(&["--no-follow-links"])), (1, 0, 1000));
    assert_eq!(counted(&json(&["--include-caches"])), (4, 2, 25_043));
    assert_eq!(
        counted(&json(&["--no-config"])),
        (everything.files, everything.dirs, everything.bytes)
    );

    // si: sizes in powers of 1000 in the table, unless --no-si.
    let table = |extra: &[&str]| {
        let mut args: Vec<&OsStr> = vec!["--headless".as_ref()];
        args.extend(extra.iter().map(OsStr::new));
        args.push(root.as_os_str());
        String::from_utf8_lossy(&run(&config, &args).stdout).into_owned()
    };
    assert!(table(&[]).contains("17.0 kB"), "{}", table(&[]));
    assert!(
        table(&["--no-si"]).contains("16.6 KiB"),
        "{}",
        table(&["--no-si"])
    );

    // history, history-file (beside the config file) and history-keep: the
    // runs above recorded (history = true: headless ones too).
    let file = dir.path().join("conf/state/h.sqlite3");
    assert!(file.exists(), "the history file named by the config");
    let listed = support::dirdash_command()
        .args(["history", "--json", "--history-file"])
        .arg(&file)
        .output()
        .unwrap();
    let listed = summary(&listed);
    // Four runs counted with the file's options; two are kept (the count
    // is per root and options).
    let same: Vec<_> = listed["scans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|scan| {
            scan["options"]
                == serde_json::json!({
                    "exclude": ["*.o", "vendor"],
                    "exclude_caches": true,
                    "follow_links": true
                })
        })
        .collect();
    assert_eq!(same.len(), 2, "{listed}");
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    json(&["--no-history"]);
    let after = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(before, after, "--no-history records nothing");
}

#[test]
fn one_file_system_and_exclude_kernfs_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    write(&root.join("own"), &[1; 100]);
    std::fs::create_dir(root.join("mnt")).unwrap();
    std::fs::create_dir(root.join("proc")).unwrap();
    let xdev = dir.path().join("xdev.toml");
    write(&xdev, b"one-file-system = true\n");
    let kernfs = dir.path().join("kernfs.toml");
    write(&kernfs, b"exclude-kernfs = true\n");
    let mut unshare = Command::new("unshare");
    if !rustix::process::geteuid().is_root() {
        unshare.arg("--map-root-user");
    }
    // files, then a status, for each run: `$4 ARGS` is dirdash.
    let out = unshare
        .args(["--mount", "--pid", "--fork", "sh", "-c"])
        .arg(
            r#"mount -t tmpfs none "$1/mnt" && echo x > "$1/mnt/other" && mount -t proc proc "$1/proc" || exit 99
               for args in "--config $2" "--config $2 --cross-file-system" "--config $3" "--config $3 --include-kernfs"; do
                 "$4" --no-history --headless --json $args "$1" | tr -d '\n'; echo
               done"#,
        )
        .arg("sh")
        .arg(&root)
        .arg(&xdev)
        .arg(&kernfs)
        .arg(env!("CARGO_BIN_EXE_dirdash"))
        .env("XDG_CONFIG_HOME", support::NO_CONFIG_HOME)
        .output()
        .expect("unshare (util-linux)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<u64> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let summary: Value = serde_json::from_str(line).unwrap();
            summary["jobs"][0]["files"].as_u64().unwrap()
        })
        .collect();
    let [xdev, crossing, kernfs, entering] = files[..] else {
        panic!("{files:?}")
    };
    assert_eq!(xdev, 1, "one-file-system: neither the tmpfs nor proc");
    assert!(crossing > 2, "--cross-file-system enters both: {crossing}");
    assert_eq!(kernfs, 2, "exclude-kernfs: the tmpfs but not proc");
    assert!(entering > 2, "--include-kernfs enters proc: {entering}");
}

#[test]
fn the_dashboard_takes_read_only_colour_history_and_no_tree_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    write(&root.join("d/file"), &[1; 100]);
    let config = dir.path().join("config.toml");
    write(
        &config,
        b"read-only = true\ncolor = false\nhistory = false\n",
    );
    let config = config.to_str().unwrap();
    let root_arg = root.to_str().unwrap();

    let mut s = Session::start(&["--config", config, root_arg], &[]);
    s.wait_for("the scan", |screen| {
        support::pty::job_line(screen, "done", &root)
    });
    assert_eq!(s.coloured_cells(), 0, "color = false");
    s.send("\r");
    s.wait_text("BY SIZE");
    s.send("d");
    s.wait_text("read-only");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(
        !s.state_dir().join("dirdash/history.sqlite3").exists(),
        "history = false"
    );

    // --enable-delete undoes the file's read-only; colours are on by default.
    let mut s = Session::start(&["--config", config, "--enable-delete", root_arg], &[]);
    s.wait_for("the scan", |screen| {
        support::pty::job_line(screen, "done", &root)
    });
    s.send("\r");
    s.wait_text("BY SIZE");
    assert!(s.coloured_cells() == 0);
    s.send("d");
    s.wait_text("delete for good?");
    s.send("n");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(root.join("d/file").exists());

    let plain = dir.path().join("plain.toml");
    write(&plain, b"no-tree = true\n");
    let mut s = Session::start(&["--config", plain.to_str().unwrap(), root_arg], &[]);
    s.wait_for("the scan", |screen| {
        support::pty::job_line(screen, "done", &root)
    });
    assert!(s.coloured_cells() > 0, "colours unless the file says no");
    // Enter opens the job's detail; Tab would browse its tree.
    s.send("\r");
    s.send("\t");
    s.wait_text("the browser is unavailable");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    // --tree undoes it.
    let mut s = Session::start(
        &["--config", plain.to_str().unwrap(), "--tree", root_arg],
        &[],
    );
    s.wait_for("the scan", |screen| {
        support::pty::job_line(screen, "done", &root)
    });
    s.send("\r");
    s.wait_text("BY SIZE");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(
        s.state_dir().join("dirdash/history.sqlite3").exists(),
        "the dashboard records by default"
    );
}

#[test]
fn a_bad_file_is_refused_with_its_path_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &[&str]); 5] = [
        ("syntax", "threads = 4\nexclude = [\"*.o\"\n", &["line 2"]),
        (
            "unknown",
            "si = true\n\ncolour = false\n",
            &["line 3", "colour"],
        ),
        (
            "type",
            "si = true\nthreads = \"four\"\n",
            &["line 2", "threads"],
        ),
        ("list type", "exclude = \"*.o\"\n", &["line 1", "exclude"]),
        ("zero", "history-keep = 0\n", &["line 1", "history-keep"]),
    ];
    for (what, text, said) in cases {
        let config = dir.path().join(format!("{}.toml", what.replace(' ', "-")));
        write(&config, text.as_bytes());
        let out = run(&config, &["--headless".as_ref(), dir.path().as_os_str()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(&*config.to_string_lossy()), "{what}: {err}");
        for needle in said {
            assert!(err.contains(needle), "{what}: {needle} in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
    let missing = dir.path().join("missing.toml");
    let out = run(&missing, &["--headless".as_ref(), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "a named file must exist");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&*missing.to_string_lossy()));
}

#[test]
fn the_default_file_is_read_from_xdg_config_home_and_named_in_help() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("xdg");
    let scan = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dirdash"))
            .env("XDG_CONFIG_HOME", &home)
            .args(["--no-history", "--headless", "--json"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap()
    };
    // Missing: no error.
    let default_threads = summary(&scan(&[]))["threads"].as_u64().unwrap();
    assert!((16..=64).contains(&default_threads));
    write(&home.join("dirdash/config.toml"), b"threads = 2\n");
    assert_eq!(summary(&scan(&[]))["threads"], 2);
    write(
        &home.join("dirdash/config.toml"),
        b"threads = 2\nbogus = 1\n",
    );
    assert_eq!(scan(&[]).status.code(), Some(2));
    assert_eq!(summary(&scan(&["--no-config"]))["threads"], default_threads);
    // A bad file spoils neither the completions nor, with --no-config, the
    // history's subcommands.
    let sub = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dirdash"))
            .env("XDG_CONFIG_HOME", &home)
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(sub(&["completions", "bash"]).status.code(), Some(0));
    let history_file = dir.path().join("h.sqlite3");
    let history_file = history_file.to_str().unwrap();
    let listed = sub(&["history", "--history-file", history_file]);
    assert_eq!(listed.status.code(), Some(2), "the bad file is named");
    assert!(String::from_utf8_lossy(&listed.stderr).contains("bogus"));
    let listed = sub(&["history", "--no-config", "--history-file", history_file]);
    assert_eq!(
        listed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );

    let help = Command::new(env!("CARGO_BIN_EXE_dirdash"))
        .env("XDG_CONFIG_HOME", &home)
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let path = home.join("dirdash/config.toml");
    assert!(flat.contains(&*path.to_string_lossy()), "{help}");
}

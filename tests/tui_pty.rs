//! The real binary in a real pseudo-terminal, its screen read by a terminal
//! emulator (vt100): the prompt, live worker rows, exact counts on screen,
//! cancelling, quitting and signals mid-scan, panics, and a terminal left
//! sane after every exit.

mod support;

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;
use serde_json::Value;
use support::pty::{Session, WAIT, count, job_line, open_pty};
use support::{Shape, Spec, flat_200k, mixed_100k, tree};

#[test]
fn a_directory_typed_at_the_prompt_is_scanned_live_counted_exactly_and_q_exits_cleanly() {
    // Big enough that one worker takes a while, so the live rows can be seen.
    let (root, made) = tree(Spec {
        files: 300_000,
        seed: 22,
        shape: Shape::Mixed,
        hostile: false,
    });
    let root_text = root.to_str().unwrap();
    let mut s = Session::start(&["-j", "1"], &[]);
    s.wait_text("add directory:");
    s.send(root_text);
    s.send("\r");
    // Worker rows name directories below the root while the scan runs.
    s.wait_for("a worker inside the tree", |screen| {
        screen.lines().any(|l| {
            l.contains(" scanning ") && l.contains(root.file_name().unwrap().to_str().unwrap())
        })
    });
    let screen = s.wait_for("the job to finish", |screen| {
        job_line(screen, "done", &root)
    });
    let totals = format!("{} files  {} dirs", count(made.files), count(made.dirs));
    let screen = if screen.contains(&totals) {
        screen
    } else {
        s.wait_text(&totals)
    };
    assert!(screen.contains(" idle "), "{screen}");

    let asked = Instant::now();
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(2), "q took {took:?}");
    s.assert_terminal_restored();
    let out = s.stdout();
    assert!(
        out.contains(&count(made.files)) && out.contains(root_text),
        "{out}"
    );
    assert!(out.contains("1 root scanned in"), "{out}");
}

#[test]
fn bad_prompt_input_is_explained_and_kept_for_correction() {
    let (root, _) = mixed_100k();
    let file = support::oracle::walk(&root, &[])
        .files
        .into_iter()
        .next()
        .unwrap();
    let mut s = Session::start(&[], &[]);
    s.wait_text("add directory:");
    s.send("\r");
    s.wait_text("type the directory to scan");
    s.send("/no/such/dir\r");
    s.wait_text("no such directory: /no/such/dir");
    assert!(
        s.contents().contains("add directory: /no/such/dir"),
        "the text is kept"
    );
    // Clear the line (Ctrl-U) and try a file.
    s.send("\x15");
    s.send(file.to_str().unwrap());
    s.send("\r");
    s.wait_text("not a directory:");
    s.close_prompt();
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
}

#[test]
fn tab_completes_directory_names_at_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("projects/alpha")).unwrap();
    std::fs::create_dir_all(dir.path().join("projects/alps")).unwrap();
    let mut s = Session::start(&[], &[]);
    s.wait_text("add directory:");
    s.send(&format!("{}/proj\t", dir.path().display()));
    s.wait_text(&format!("{}/projects/", dir.path().display()));
    s.send("a\t");
    s.wait_text("projects/al");
    s.send("\t");
    s.wait_text("Tab again");
    s.send("\t");
    s.wait_for("the candidates", |screen| {
        screen.contains("alpha") && screen.contains("alps")
    });
    s.send("\x03");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
}

#[test]
fn cancelling_one_job_leaves_the_other_to_finish_with_exact_counts() {
    let (flat, _) = flat_200k();
    let (mixed, made) = mixed_100k();
    let mut s = Session::start(
        &[
            "--json",
            "-j",
            "1",
            flat.to_str().unwrap(),
            mixed.to_str().unwrap(),
        ],
        &[],
    );
    s.wait_for("the first job to scan", |screen| {
        job_line(screen, "scanning", &flat)
    });
    s.send("x");
    s.wait_for("the cancel", |screen| job_line(screen, "cancelled", &flat));
    s.wait_for("the other job to finish", |screen| {
        job_line(screen, "done", &mixed)
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    let doc: Value = serde_json::from_str(&s.stdout()).unwrap();
    assert_eq!(doc["jobs"][0]["state"], "cancelled");
    assert_eq!(doc["jobs"][1]["state"], "done");
    assert_eq!(doc["jobs"][1]["files"], made.files);
    assert_eq!(doc["jobs"][1]["dirs"], made.dirs);
}

fn start_scanning_flat() -> (Session, PathBuf) {
    let (flat, _) = flat_200k();
    let s = Session::start(&["--json", "-j", "1", flat.to_str().unwrap()], &[]);
    s.wait_for("the scan to run", |screen| {
        screen
            .lines()
            .any(|l| l.contains(" scanning ") && l.contains("flat"))
    });
    (s, flat)
}

#[test]
fn q_in_the_middle_of_a_scan_stops_joins_and_prints_the_partial_summary() {
    let (mut s, _) = start_scanning_flat();
    let asked = Instant::now();
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(2), "q took {took:?}");
    s.assert_terminal_restored();
    let doc: Value = serde_json::from_str(&s.stdout()).unwrap();
    assert_eq!(doc["state"], "stopped");
    assert_eq!(doc["jobs"][0]["state"], "stopped");
    assert!(doc["jobs"][0]["files"].as_u64().unwrap() < 200_000);
}

#[test]
fn sigterm_in_the_middle_of_a_scan_stops_the_same_way() {
    let (mut s, _) = start_scanning_flat();
    let pid = rustix::process::Pid::from_raw(s.dirdash_pid()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    assert_eq!(s.wait_exit(), 143);
    s.assert_terminal_restored();
    let doc: Value = serde_json::from_str(&s.stdout()).unwrap();
    assert_eq!(doc["jobs"][0]["state"], "stopped");
}

#[test]
fn a_panicking_worker_is_reported_on_screen_and_the_scan_completes() {
    let (root, made) = mixed_100k();
    let mut s = Session::start(
        &["--json", root.to_str().unwrap()],
        &[("DIRDASH_TEST_PANIC_IN", "huge_flat")],
    );
    let screen = s.wait_text("huge_flat (injected fault");
    assert!(
        !screen.contains("panicked at"),
        "the panic message went over the dashboard:\n{screen}"
    );
    s.wait_for("the job to finish", |screen| {
        job_line(screen, "done", &root)
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 1, "done with an error");
    s.assert_terminal_restored();
    let doc: Value = serde_json::from_str(&s.stdout()).unwrap();
    let job = &doc["jobs"][0];
    assert_eq!(job["state"], "done");
    assert_eq!(job["errors"], 1);
    // Only the failed directory's files are missing.
    assert_eq!(job["files"].as_u64().unwrap(), made.files - made.files / 10);
    assert!(
        doc["errors"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("huge_flat")
    );
}

#[test]
fn a_panic_in_the_dashboard_restores_the_terminal_before_its_message() {
    let mut s = Session::start(&[], &[("DIRDASH_TEST_PANIC_KEY", "!")]);
    s.wait_text("add directory:");
    // Leave the prompt so that "!" is a key, not text.
    s.close_prompt();
    s.send("!");
    assert_eq!(s.wait_exit(), 101);
    s.assert_terminal_restored();
    let screen = s.wait_text("injected UI fault");
    assert!(screen.contains("panicked"), "{screen}");
}

#[test]
fn closing_the_terminal_stops_dirdash_and_keeps_the_summary() {
    let (flat, _) = flat_200k();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stdout");
    let pty = open_pty();
    // stdout to a file, then exec: a waiting shell would die of the hangup
    // instead of reporting dirdash's status.
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", r#"exec "$0" --json -j 1 "$1" > "$2""#]);
    cmd.arg(env!("CARGO_BIN_EXE_dirdash"));
    cmd.arg(&flat);
    cmd.arg(&out);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", support::NO_CONFIG_HOME);
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    // Read on this thread until the scan runs, so that no other thread
    // holds the master open.
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 65536];
    while !String::from_utf8_lossy(&seen).contains("scanning") {
        let n = reader.read(&mut buf).unwrap();
        assert!(n > 0, "the dashboard did not start");
        seen.extend_from_slice(&buf[..n]);
    }
    // Some counting first, then every handle on the master: the terminal
    // goes away.
    std::thread::sleep(Duration::from_millis(60));
    drop(reader);
    drop(pty.master);
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("dirdash kept running after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(child.wait().unwrap().exit_code(), 129, "ended as by SIGHUP");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["jobs"][0]["state"], "stopped");
    assert!(doc["jobs"][0]["files"].as_u64().unwrap() > 0);
}

#[test]
fn export_on_the_command_line_is_written_when_the_scan_ends() {
    let (root, _) = mixed_100k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tree.json");
    let mut s = Session::start(
        &["--export", file.to_str().unwrap(), root.to_str().unwrap()],
        &[],
    );
    s.wait_text("exported");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    support::ncdu_reexport(&file, &dir.path().join("check.json"));
}

#[test]
fn e_exports_the_selected_job_after_scanning_it_again_to_keep_its_tree() {
    let (root, made) = mixed_100k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("picked.json");
    // Without trees, an export needs a second scan that keeps one.
    let mut s = Session::start(&["--no-tree", root.to_str().unwrap()], &[]);
    s.wait_for("the job to finish", |screen| {
        job_line(screen, "done", &root)
    });
    s.send("e");
    s.wait_text("export to:");
    s.send("\x15");
    s.send(file.to_str().unwrap());
    s.send("\r");
    s.wait_text("exported");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    support::ncdu_reexport(&file, &dir.path().join("check.json"));
    // The second scan, the one exported, is in the summary too.
    let out = s.stdout();
    assert!(out.contains("2 roots scanned"), "{out}");
    assert!(out.matches(&count(made.files)).count() >= 2, "{out}");
}

#[test]
fn e_exports_the_kept_tree_without_scanning_again() {
    let (root, made) = mixed_100k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kept.json");
    let mut s = Session::start(&[root.to_str().unwrap()], &[]);
    s.wait_for("the job to finish", |screen| {
        job_line(screen, "done", &root)
    });
    s.send("e");
    s.wait_text("export to:");
    s.send("\x15");
    s.send(file.to_str().unwrap());
    s.send("\r");
    s.wait_text("exported");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    let reexport = support::ncdu_reexport(&file, &dir.path().join("check.json"));
    assert!(!reexport.is_empty());
    let out = s.stdout();
    assert!(out.contains("1 root scanned"), "no second scan: {out}");
    assert!(out.contains(&count(made.files)), "{out}");
}

/// The names of the browser's rows on screen, top down.
fn browser_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| !l.trim_end().ends_with("name"))
        .skip(1)
        .take_while(|l| l.contains('%'))
        .filter_map(|l| l.split_whitespace().last())
        .map(|name| name.trim_end_matches('/').to_owned())
        .collect()
}

/// `du -a --max-depth=1 DIR`, largest first (ties by name): what the
/// browser must show in that order.
fn du_order(dir: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("du")
        .args(["-a", "-B1", "--max-depth=1"])
        .arg(dir)
        .output()
        .unwrap();
    let mut rows: Vec<(u64, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let (size, path) = l.split_once('\t')?;
            let path = std::path::Path::new(path);
            (path != dir).then(|| {
                let name = path.file_name().unwrap().to_str().unwrap().to_owned();
                (size.parse().unwrap(), name)
            })
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    rows.into_iter().map(|(_, name)| name).collect()
}

#[test]
fn the_browser_shows_where_the_space_went_in_du_s_order() {
    let (root, _) = mixed_100k();
    let mut s = Session::start(&[root.to_str().unwrap()], &[]);
    s.wait_for("the job to finish", |screen| {
        job_line(screen, "done", &root)
    });
    s.send("\r");
    let expected = du_order(&root);
    let screen = s.wait_for("the root's entries", |screen| {
        let rows = browser_rows(screen);
        !rows.is_empty() && expected.starts_with(&rows)
    });
    let rows = browser_rows(&screen);
    assert!(rows.len() >= 10, "a screenful: {screen}");
    let largest = root.join(&rows[0]);
    assert!(
        largest.is_dir(),
        "the largest entry is a directory: {screen}"
    );
    s.send("\r");
    let expected = du_order(&largest);
    s.wait_for("the largest directory's entries", |screen| {
        let rows = browser_rows(screen);
        screen.contains(largest.to_str().unwrap())
            && !rows.is_empty()
            && expected.starts_with(&rows)
    });
    s.send("\x7f");
    s.wait_for("the root again", |screen| {
        browser_rows(screen).first() == Some(&rows[0])
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
}

#[test]
fn headless_shows_a_progress_line_on_a_terminal_and_clears_it() {
    let (flat, _) = flat_200k();
    let mut s = Session::start(&["--headless", "-j", "1", flat.to_str().unwrap()], &[]);
    s.wait_for("a progress line", |screen| {
        screen.contains("files") && screen.contains("/s ")
    });
    assert_eq!(s.wait_exit(), 0);
    std::thread::sleep(Duration::from_millis(50));
    let screen = s.contents();
    assert!(
        !screen.contains("/s "),
        "the progress line was left behind:\n{screen}"
    );
    assert!(s.stdout().contains("200,000"), "the summary goes to stdout");
}

#[test]
fn marked_directories_are_deleted_from_the_browser_and_the_summary_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    support::treegen::generate(
        &root,
        &Spec {
            files: 5_000,
            seed: 41,
            shape: Shape::Mixed,
            hostile: false,
        },
    )
    .unwrap();
    let before = support::oracle::walk(&root, &[]).counts;
    let mut s = Session::start(&[root.to_str().unwrap()], &[]);
    s.wait_for("the job to finish", |screen| {
        job_line(screen, "done", &root)
    });
    s.send("\r");
    s.wait_text("BY SIZE");
    // The two largest entries, both directories of this tree.
    let first_rows = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .skip_while(|l| !l.trim_end().ends_with("name"))
            .skip(1)
            .take(2)
            .map(|l| l.trim_end().to_owned())
            .collect()
    };
    let screen = s.wait_for("two directories listed", |screen| {
        let rows = first_rows(screen);
        rows.len() == 2 && rows.iter().all(|row| row.ends_with('/'))
    });
    let marked: Vec<String> = screen
        .lines()
        .skip_while(|l| !l.trim_end().ends_with("name"))
        .skip(1)
        .take(2)
        .map(|l| {
            l.split_whitespace()
                .last()
                .unwrap()
                .trim_end_matches('/')
                .to_owned()
        })
        .collect();
    for name in &marked {
        assert!(root.join(name).is_dir(), "{name}: {screen}");
    }
    s.send(" ");
    s.send(" ");
    s.wait_text("MARKED 2");
    s.send("d");
    s.wait_text("delete for good?");
    s.send("y");
    s.wait_text("deleted 2 of 2 entries");
    for name in &marked {
        assert!(!root.join(name).exists(), "{name} is gone");
    }
    let after = support::oracle::walk(&root, &[]).counts;
    assert!(after.files < before.files);
    let totals = format!("{} files  {} dirs", count(after.files), count(after.dirs));
    s.wait_text(&totals);
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    let out = s.stdout();
    assert!(out.contains(&count(after.files)), "the totals after: {out}");
    let gone = before.files - after.files;
    assert!(
        out.contains(&format!(
            "deleted in {}: {} files",
            root.display(),
            count(gone)
        )),
        "{out}"
    );
}

//! A rescan's progress against the last scan: `update` driven with the
//! events of a real scan and a baseline read back from a real history file,
//! then the real binary in a pseudo-terminal, on a slowed-down scan. The
//! percentage only rises, stays below 100 while the scan runs and is 100
//! at its end; the job then shows its change since the last scan.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use dirdash::history::{Counting, History, KEEP, Recording};
use dirdash::scan::{JobOptions, Options, Scanner};
use dirdash::tui::app::{App, Msg, update};
use dirdash::tui::theme::Theme;
use support::pty::{Session, job_line};
use support::{Shape, Spec, options, treegen};

fn fresh_tree(files: usize, seed: u64) -> (tempfile::TempDir, std::path::PathBuf) {
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
    (dir, root)
}

#[test]
fn update_shows_a_percentage_that_rises_to_100_against_a_recorded_scan() {
    let (dir, root) = fresh_tree(4_000, 91);
    let file = dir.path().join("history.sqlite3");
    let counting = Counting::of(&Options::default()).key();
    // The earlier scan, recorded as the dashboard records one.
    let (tally, job) = support::scan_tree(options(2), &root);
    let record = tally.job(job).unwrap();
    let recording = Recording::of(record, &counting, Instant::now(), SystemTime::now()).unwrap();
    let mut history = History::open(&file).unwrap();
    history.record(&recording, KEEP).unwrap();
    let baseline = history
        .baseline(&root, &counting)
        .unwrap()
        .expect("a baseline");
    assert_eq!(baseline.scan.entries, record.totals.entries());

    // The rescan, its events fed to `update` one by one.
    let t0 = Instant::now();
    let mut app = App::new(2, t0, Theme::new(true)).with_history();
    let (mut scanner, events) = Scanner::new(options(1)).unwrap();
    let id = scanner
        .submit_with(
            &root,
            JobOptions {
                keep_tree: true,
                dirs_only: false,
            },
        )
        .unwrap();
    let actions = update(
        &mut app,
        Msg::Submitted {
            id,
            root: Arc::from(root.as_path()),
            keep_tree: true,
        },
    );
    assert!(!actions.is_empty(), "the baseline is asked for");
    update(
        &mut app,
        Msg::Expected {
            job: id,
            baseline: Some(Arc::new(baseline)),
            inodes: None,
        },
    );
    let mut seen = Vec::new();
    let mut clock = t0;
    let deadline = Instant::now() + support::HANG;
    while !app.tally().all_finished() {
        let event = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the scan ends");
        update(&mut app, Msg::Scan(event));
        clock += Duration::from_millis(300);
        update(
            &mut app,
            Msg::Tick {
                now: clock,
                workers: Vec::new(),
            },
        );
        let estimate = app.tally().job(id).unwrap().estimate().unwrap();
        seen.push((estimate.percent, app.tally().all_finished()));
    }
    scanner.shutdown();
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert!(seen.iter().all(|&(p, ended)| ended || p < 100), "{seen:?}");
    assert_eq!(seen.last(), Some(&(100, true)));
    assert!(
        seen.iter().filter(|(p, _)| (1..100).contains(p)).count() >= 2,
        "it is seen on its way: {seen:?}"
    );
    // Nothing changed: the job's change since is zero.
    let job = app.tally().job(id).unwrap();
    assert_eq!(job.totals.disk_bytes, record.totals.disk_bytes);
}

/// The percentages in `root`'s row of the jobs table.
fn percent_in_row(screen: &str, root: &Path) -> Option<u8> {
    let root = root.display().to_string();
    // The job's row ends with its root (a worker's row goes on below it).
    let row = screen
        .lines()
        .find(|line| line.trim_end().ends_with(&root))?;
    row.split_whitespace()
        .find_map(|word| word.strip_suffix('%')?.trim_start_matches('~').parse().ok())
}

#[test]
fn the_dashboard_shows_a_rescan_rising_to_done_then_its_change() {
    let (dir, root) = fresh_tree(3_000, 92);
    let file = dir.path().join("history.sqlite3");
    let recorded = support::dirdash_command()
        .args(["--headless", "--history", "--history-file"])
        .arg(&file)
        .arg(&root)
        .output()
        .unwrap();
    assert!(recorded.status.success());

    // Each directory takes 5 ms, on two workers: a scan of seconds.
    let file_arg = file.to_str().unwrap();
    let mut s = Session::start(
        &[
            "-j",
            "2",
            "--history-file",
            file_arg,
            root.to_str().unwrap(),
        ],
        &[("DIRDASH_TEST_DELAY_PER_DIR_MS", "5")],
    );
    let mut seen: Vec<u8> = Vec::new();
    let mut header_estimate = false;
    let deadline = Instant::now() + support::HANG;
    loop {
        let screen = s.contents();
        if job_line(&screen, "done", &root) {
            break;
        }
        if let Some(percent) = percent_in_row(&screen, &root)
            && seen.last() != Some(&percent)
        {
            seen.push(percent);
        }
        header_estimate |= screen.lines().next().is_some_and(|l| l.contains("est. "));
        assert!(Instant::now() < deadline, "the scan ends: {screen}");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(seen.len() >= 3, "the percentage is seen rising: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert!(seen.iter().all(|&p| p < 100), "{seen:?}");
    assert!(header_estimate, "the header adds them up");
    // Done: the change since the last scan (none).
    let screen = s.wait_for("the change", |screen| {
        screen
            .lines()
            .any(|l| l.trim_end().ends_with(&root.display().to_string()) && l.contains(" 0 B "))
    });
    assert!(
        !screen.lines().next().unwrap_or("").contains("est. "),
        "{screen}"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_terminal_restored();
    assert!(s.stdout().contains("since scan 1 of"), "{}", s.stdout());
    // The dashboard recorded the rescan.
    let history = History::open_existing(&file).unwrap().unwrap();
    let scans = history.scans(Some(&root)).unwrap();
    assert_eq!(scans.len(), 2);
    assert!(scans.iter().all(|scan| scan.complete));
}

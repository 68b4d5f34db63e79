//! Stopping, cancelling, pausing, resizing and submitting while a scan runs,
//! bad roots, and a panicking worker.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use dirdash::scan::{JobId, JobState, Options, ScanEvent, Scanner, WorkerState};
use support::oracle;
use support::{
    HANG, Outcome, Shape, Spec, collect_until_done, counts, flat_200k, mixed_20k, options, tree,
};

/// Receives until the first progress of `job`.
fn wait_for_progress(events: &Receiver<ScanEvent>, job: JobId, outcome: &mut Outcome) {
    let deadline = Instant::now() + HANG;
    loop {
        let event = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("progress before the deadline");
        let is_it = matches!(&event, ScanEvent::Progress(p) if p.job == job);
        outcome.apply(event);
        if is_it {
            return;
        }
    }
}

fn drain(events: &Receiver<ScanEvent>, outcome: &mut Outcome) {
    for event in events.try_iter() {
        outcome.apply(event);
    }
}

#[test]
fn a_stop_in_the_middle_of_a_huge_flat_directory_joins_every_worker_at_once() {
    let (root, made) = flat_200k();
    let (mut scanner, events) = Scanner::new(options(4)).unwrap();
    let job = scanner.submit(&root).unwrap();
    let mut outcome = Outcome::default();
    wait_for_progress(&events, job, &mut outcome);

    let asked = Instant::now();
    scanner.shutdown();
    let joined = asked.elapsed();
    assert!(joined < Duration::from_secs(2), "joined after {joined:?}");
    assert_eq!(scanner.live_workers(), 0);

    drain(&events, &mut outcome);
    let end = outcome.end(job);
    assert_eq!(end.state, JobState::Stopped);
    assert!(
        end.totals.files < made.files,
        "the stop came too late to test"
    );
    // Nothing is lost: what was counted before the stop was reported.
    assert_eq!(outcome.summed[&job], end.totals);
    assert!(
        scanner.submit(&root).is_err(),
        "a stopped scanner takes no roots"
    );
}

#[test]
fn stop_without_join_ends_live_jobs_then_says_stopped() {
    let (root, _) = flat_200k();
    let (scanner, events) = Scanner::new(options(2)).unwrap();
    let job = scanner.submit(&root).unwrap();
    let mut outcome = Outcome::default();
    wait_for_progress(&events, job, &mut outcome);
    scanner.stop();
    let deadline = Instant::now() + HANG;
    loop {
        let event = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("Stopped arrives");
        if matches!(event, ScanEvent::Stopped) {
            break;
        }
        outcome.apply(event);
    }
    assert_eq!(outcome.end(job).state, JobState::Stopped);
    assert_eq!(scanner.live_workers(), 0);
}

#[test]
fn cancelling_one_job_leaves_the_other_to_finish_exactly() {
    let (flat, made_flat) = flat_200k();
    let (mixed, _) = mixed_20k();
    let walked = oracle::walk(&mixed, &[]);
    let (mut scanner, events) = Scanner::new(options(2)).unwrap();
    let big = scanner.submit(&flat).unwrap();
    let small = scanner.submit(&mixed).unwrap();
    let mut outcome = Outcome::default();
    wait_for_progress(&events, big, &mut outcome);
    assert!(scanner.cancel(big));
    collect_until_done(&events, &[big, small], &mut outcome);
    scanner.shutdown();

    let cancelled = outcome.end(big);
    assert_eq!(cancelled.state, JobState::Cancelled);
    assert!(cancelled.totals.files < made_flat.files);
    assert_eq!(outcome.summed[&big], cancelled.totals);
    let done = outcome.end(small);
    assert_eq!(done.state, JobState::Done);
    assert_eq!(counts(&done.totals), walked.counts);
    assert!(
        !scanner.cancel(big),
        "an ended job cannot be cancelled again"
    );
}

#[test]
fn roots_submitted_while_scanning_are_scanned_exactly() {
    let (flat, made_flat) = flat_200k();
    let (mixed, _) = mixed_20k();
    let walked = oracle::walk(&mixed, &[]);
    let (mut scanner, events) = Scanner::new(options(2)).unwrap();
    let first = scanner.submit(&flat).unwrap();
    let mut outcome = Outcome::default();
    wait_for_progress(&events, first, &mut outcome);
    let second = scanner.submit(&mixed).unwrap();
    collect_until_done(&events, &[first, second], &mut outcome);
    scanner.shutdown();
    assert_eq!(outcome.end(first).totals.files, made_flat.files);
    assert_eq!(counts(&outcome.end(second).totals), walked.counts);
}

#[test]
fn paused_workers_do_no_work_until_resumed() {
    let (flat, made) = flat_200k();
    let (mut scanner, events) = Scanner::new(options(2)).unwrap();
    let job = scanner.submit(&flat).unwrap();
    let mut outcome = Outcome::default();
    wait_for_progress(&events, job, &mut outcome);
    scanner.pause();
    assert!(scanner.is_paused());
    // Let every worker reach its next entry and flush.
    std::thread::sleep(Duration::from_millis(300));
    drain(&events, &mut outcome);
    assert!(
        scanner
            .workers()
            .iter()
            .all(|w| w.state == WorkerState::Paused)
    );
    let counted = outcome.summed[&job];
    std::thread::sleep(Duration::from_millis(300));
    drain(&events, &mut outcome);
    assert_eq!(outcome.summed[&job], counted, "work went on while paused");
    assert!(!outcome.ends.contains_key(&job));

    scanner.resume();
    collect_until_done(&events, &[job], &mut outcome);
    scanner.shutdown();
    assert_eq!(outcome.end(job).state, JobState::Done);
    assert_eq!(outcome.end(job).totals.files, made.files);
}

#[test]
fn workers_can_be_added_and_removed_while_scanning() {
    let (mixed, _) = tree(Spec {
        files: 60_000,
        seed: 9,
        shape: Shape::Mixed,
        hostile: false,
    });
    let walked = oracle::walk(&mixed, &[]);
    let (mut scanner, events) = Scanner::new(options(1)).unwrap();
    let job = scanner.submit(&mixed).unwrap();
    let mut outcome = Outcome::default();
    wait_for_progress(&events, job, &mut outcome);
    assert_eq!(scanner.set_threads(8).unwrap(), 8);
    assert_eq!(scanner.threads(), 8);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(scanner.set_threads(2).unwrap(), 2);
    collect_until_done(&events, &[job], &mut outcome);
    assert_eq!(counts(&outcome.end(job).totals), walked.counts);
    // Retired workers leave once their directory is done.
    let deadline = Instant::now() + HANG;
    while scanner.workers().len() != 2 {
        assert!(Instant::now() < deadline, "workers did not retire");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The pool still works at its new size.
    let again = scanner.submit(&mixed).unwrap();
    collect_until_done(&events, &[again], &mut outcome);
    assert_eq!(counts(&outcome.end(again).totals), walked.counts);
    scanner.shutdown();
}

#[test]
fn bad_roots_fail_with_their_path_and_the_others_go_on() {
    let (mixed, _) = mixed_20k();
    let walked = oracle::walk(&mixed, &[]);
    let missing = mixed.join("does-not-exist");
    let not_a_dir = walked.files.iter().next().unwrap().clone();
    let (jobs, outcome) = support::scan(options(2), &[&missing, &mixed, &not_a_dir]);
    assert_eq!(outcome.end(jobs[0]).state, JobState::Failed);
    assert_eq!(outcome.end(jobs[2]).state, JobState::Failed);
    assert_eq!(outcome.end(jobs[1]).state, JobState::Done);
    assert_eq!(counts(&outcome.end(jobs[1]).totals), walked.counts);
    let mut reasons: Vec<(&Path, &str)> = outcome
        .errors
        .iter()
        .map(|(_, path, reason)| (path.as_path(), reason.as_str()))
        .collect();
    reasons.sort();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == missing && r.contains("No such file"))
    );
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == not_a_dir && r.contains("Not a directory"))
    );
}

#[test]
fn a_panicking_worker_costs_one_directory_and_the_scan_goes_on() {
    let (mixed, _) = mixed_20k();
    let (jobs, outcome) = support::scan(
        Options {
            panic_on_dir_named: Some("huge_flat".into()),
            ..options(2)
        },
        &[&mixed],
    );
    let end = outcome.end(jobs[0]);
    assert_eq!(end.state, JobState::Done);
    assert_eq!(outcome.panics.len(), 1, "{:?}", outcome.panics);
    assert_eq!(outcome.errors.len(), 1);
    let (_, path, reason) = &outcome.errors[0];
    assert_eq!(path, &mixed.join("huge_flat"));
    assert!(reason.contains("injected fault"), "{reason}");
    // Everything but the skipped directory's contents is counted.
    let walked = oracle::walk(&mixed, &["huge_flat"]);
    let mut expected = walked.counts;
    expected.dirs += 1;
    expected.disk_bytes += {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(mixed.join("huge_flat")).unwrap().blocks() * 512
    };
    assert_eq!(counts(&end.totals), expected);
    assert_eq!(end.totals.errors, 1);
}

#[test]
fn a_tree_changing_under_the_scan_is_counted_without_panics_or_bogus_errors() {
    // Its own tree: this test deletes and creates entries while scanning.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    for d in 0..40 {
        let sub = root.join(format!("d{d:02}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..500 {
            std::fs::write(sub.join(format!("f{f:03}")), b"x").unwrap();
        }
    }
    let (mut scanner, events) = Scanner::new(options(1)).unwrap();
    let job = scanner.submit(&root).unwrap();
    let churn = {
        let root = root.clone();
        std::thread::spawn(move || {
            for d in (0..40).rev() {
                let sub = root.join(format!("d{d:02}"));
                if d % 2 == 0 {
                    let _ = std::fs::remove_dir_all(&sub);
                } else {
                    for f in 0..250 {
                        let _ = std::fs::remove_file(sub.join(format!("f{f:03}")));
                    }
                    let _ = std::fs::create_dir(sub.join("new"));
                }
            }
        })
    };
    let mut outcome = Outcome::default();
    collect_until_done(&events, &[job], &mut outcome);
    churn.join().unwrap();
    scanner.shutdown();
    let end = outcome.end(job);
    assert_eq!(end.state, JobState::Done);
    assert!(end.totals.files <= 20_000);
    assert_eq!(outcome.summed[&job], end.totals);
    // Only what vanished between being listed and being read is an error.
    for (_, path, reason) in &outcome.errors {
        assert!(path.starts_with(&root), "{path:?}");
        assert!(
            reason.contains("No such file or directory"),
            "{path:?}: {reason}"
        );
    }
    assert_eq!(end.totals.errors, outcome.errors.len() as u64);
}

#[test]
fn listed_paths_wait_for_a_slow_consumer_instead_of_piling_up() {
    let (flat, made) = flat_200k();
    let (mut scanner, events) = Scanner::new(Options {
        list_files: true,
        ..options(2)
    })
    .unwrap();
    let job = scanner.submit(&flat).unwrap();
    // Hold every batch of paths, as a reader that does not keep up would.
    let mut held = Vec::new();
    let mut held_paths = 0;
    let deadline = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < deadline {
        if let Ok(ScanEvent::Files(batch)) = events.recv_timeout(Duration::from_millis(10)) {
            held_paths += batch.paths.len();
            held.push(batch);
        }
    }
    // 64k in flight, plus at most one batch per worker that was admitted.
    assert!(held_paths < made.files as usize, "the scan did not wait");
    assert!(
        held_paths <= 64 * 1024 + 2 * 4096,
        "{held_paths} paths piled up"
    );
    // Once the reader catches up, the scan goes on to the end.
    let mut listed = held_paths;
    drop(held);
    let mut outcome = Outcome::default();
    let deadline = Instant::now() + HANG;
    while !outcome.ends.contains_key(&job) {
        let event = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the scan finishes");
        if let ScanEvent::Files(batch) = &event {
            listed += batch.paths.len();
        }
        outcome.apply(event);
    }
    scanner.shutdown();
    assert_eq!(listed as u64, made.files);
}

//! The kept tree: every directory's sums equal an independent oracle
//! (walkdir for counts, `du -B1` for disk usage), on every shape of tree
//! and with 1, 2 and 16 workers; and the root equals the job's totals at
//! every event, also when the scan is stopped in the middle.

mod support;

use std::path::Path;

use support::{Shape, Spec, options, oracle, tree};

fn check(root: &Path, threads: usize, made: &support::Made) {
    let (tally, job) = support::scan_tree(options(threads), root);
    let record = tally.job(job).unwrap();
    let tree = record.tree.as_ref().unwrap();
    let below = oracle::below_each_dir(root, &["longpath"]);
    let du = oracle::du_per_dir(root);
    let mut checked = 0;
    for node in 0..tree.dir_count() as u32 {
        let Some(dir) = tree.dir(node) else { continue };
        let path = tree.path_of(node).expect("every directory has its place");
        assert!(dir.is_read(), "{} was read to the end", path.display());
        let sums = dir.sums();
        assert_eq!(
            Some(&sums.disk),
            du.get(&path),
            "disk usage of {} with {threads} workers",
            path.display()
        );
        if let Some(expected) = below.get(&path) {
            let got = oracle::Below {
                files: sums.files,
                dirs: sums.dirs,
                entries: sums.entries,
                bytes: sums.bytes,
            };
            assert_eq!(&got, expected, "{} with {threads} workers", path.display());
            checked += 1;
        }
    }
    assert_eq!(checked, below.len(), "every directory the oracle counted");
    let root_sums = tree.root().sums();
    assert_eq!(
        (root_sums.files, root_sums.dirs, root_sums.bytes),
        (made.files, made.dirs, made.bytes),
        "the root and the generator"
    );
    assert_eq!(root_sums.disk, oracle::du(root));
}

#[test]
fn every_directory_s_sums_equal_the_oracle_on_every_shape_with_1_2_and_16_workers() {
    // The trees engine_counts.rs checks the totals on, and the hostile one.
    for (shape, files, seed, hostile) in [
        (Shape::Mixed, 20_000, 7, false),
        (Shape::Deep, 4_000, 7, false),
        (Shape::Wide, 10_000, 7, false),
        (Shape::Mixed, 2_000, 3, true),
    ] {
        let (root, made) = tree(Spec {
            files,
            seed,
            shape,
            hostile,
        });
        for threads in [1, 2, 16] {
            check(&root, threads, &made);
        }
    }
}

#[test]
fn a_stopped_scan_keeps_what_was_read_with_the_rest_marked_incomplete() {
    let (root, _) = support::mixed_100k();
    let (mut scanner, events) = dirdash::scan::Scanner::new(options(2)).unwrap();
    let job = scanner
        .submit_with(
            &root,
            dirdash::scan::JobOptions {
                keep_tree: true,
                dirs_only: false,
            },
        )
        .unwrap();
    let mut tally = dirdash::report::Tally::new(std::time::Instant::now());
    tally.submitted(job, std::sync::Arc::from(root.as_path()), true);
    // Stop once a few thousand entries are in.
    while tally.job(job).unwrap().totals.entries() < 5_000 {
        let event = events.recv_timeout(support::HANG).unwrap();
        tally.apply(&event);
        support::assert_root_is_the_totals(&tally, job);
    }
    scanner.stop();
    while !tally.all_finished() {
        let event = events.recv_timeout(support::HANG).unwrap();
        tally.apply(&event);
        support::assert_root_is_the_totals(&tally, job);
    }
    scanner.shutdown();
    for event in events.try_iter() {
        tally.apply(&event);
    }
    support::assert_root_is_the_totals(&tally, job);
    let tree = tally.job(job).unwrap().tree.as_ref().unwrap();
    let dirs: Vec<_> = (0..tree.dir_count() as u32)
        .filter_map(|n| tree.dir(n))
        .collect();
    assert!(dirs.iter().any(|d| d.is_incomplete()), "some were not read");
    assert!(dirs.iter().any(|d| d.is_read()), "some were");
    assert!(dirs.iter().all(|d| !d.is_open()), "nothing waits any more");
}

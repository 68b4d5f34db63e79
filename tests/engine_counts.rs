//! The engine's counts equal the walkdir oracle's, `disk_bytes` equals
//! `du -s -B1`, and what workers report adds up, on every generated shape and
//! with 1, 2 and 16 workers.

mod support;

use dirdash::scan::{Exclude, JobState, Options};
use support::oracle;
use support::{Shape, Spec, counts, options, scan, tree};

const SHAPES: [(Shape, usize); 4] = [
    (Shape::Mixed, 20_000),
    (Shape::Flat, 20_000),
    (Shape::Deep, 4_000),
    (Shape::Wide, 10_000),
];

fn spec(shape: Shape, files: usize) -> Spec {
    Spec {
        files,
        seed: 7,
        shape,
        hostile: false,
    }
}

#[test]
fn counts_equal_the_oracle_and_du_on_every_shape_with_1_2_and_16_workers() {
    for (shape, files) in SHAPES {
        let (root, made) = tree(spec(shape, files));
        let walked = oracle::walk(&root, &[]);
        assert!(
            walked.errors.is_empty(),
            "oracle errors: {:?}",
            walked.errors
        );
        assert_eq!(
            walked.counts.files, made.files,
            "{shape:?}: generator vs oracle"
        );
        assert_eq!(walked.counts.dirs, made.dirs);
        assert_eq!(walked.counts.bytes, made.bytes);
        let du = oracle::du(&root);
        assert_eq!(walked.counts.disk_bytes, du, "{shape:?}: oracle vs du");
        for threads in [1, 2, 16] {
            let (jobs, outcome) = scan(options(threads), &[&root]);
            let end = outcome.end(jobs[0]);
            assert_eq!(
                end.state,
                JobState::Done,
                "{shape:?} with {threads} workers"
            );
            assert_eq!(
                counts(&end.totals),
                walked.counts,
                "{shape:?}, {threads} workers"
            );
            assert_eq!(end.totals.errors, 0);
            assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        }
    }
}

#[test]
fn summed_deltas_equal_the_finished_totals_and_each_directory_is_read_once() {
    let (root, made) = tree(spec(Shape::Mixed, 20_000));
    let (flat, _) = tree(spec(Shape::Flat, 20_000));
    for threads in [1, 2, 16] {
        let (jobs, outcome) = scan(options(threads), &[&root, &flat]);
        assert!(
            outcome.late.is_empty(),
            "events after an end: {:?}",
            outcome.late
        );
        for job in &jobs {
            let end = outcome.end(*job);
            assert_eq!(outcome.summed[job], end.totals, "{threads} workers");
            // The root is read too, and counted in no job's `dirs`.
            assert_eq!(
                outcome.dirs_read[job],
                end.totals.dirs + 1,
                "{threads} workers"
            );
        }
        assert_eq!(outcome.end(jobs[0]).totals.dirs, made.dirs);
    }
}

#[test]
fn progress_is_coalesced_not_sent_per_entry() {
    let (root, made) = tree(spec(Shape::Flat, 20_000));
    let (_, outcome) = scan(options(2), &[&root]);
    // One event per entry would be 20,000; a flush is every 20 ms per worker.
    assert!(
        outcome.progress_events < made.files / 20,
        "{} progress events for {} files",
        outcome.progress_events,
        made.files
    );
}

#[test]
fn a_hostile_tree_is_counted_exactly_including_paths_beyond_path_max() {
    let (root, made) = tree(Spec {
        files: 2_000,
        seed: 3,
        shape: Shape::Mixed,
        hostile: true,
    });
    for threads in [1, 16] {
        let (jobs, outcome) = scan(options(threads), &[&root]);
        let end = outcome.end(jobs[0]);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        assert_eq!(end.state, JobState::Done);
        let t = end.totals;
        assert_eq!(
            (t.files, t.dirs, t.symlinks, t.other, t.bytes),
            (made.files, made.dirs, made.symlinks, made.other, made.bytes),
            "engine vs generator"
        );
        assert_eq!(t.disk_bytes, oracle::du(&root), "engine vs du");
    }
    // walkdir cannot enter the chain beyond PATH_MAX; everything else agrees.
    let walked = oracle::walk(&root, &["longpath"]);
    let (jobs, outcome) = scan(
        Options {
            exclude: Exclude::new(&["hostile/longpath"]).unwrap(),
            ..options(2)
        },
        &[&root],
    );
    assert!(walked.errors.is_empty(), "{:?}", walked.errors);
    assert_eq!(counts(&outcome.end(jobs[0]).totals), walked.counts);
}

#[test]
fn following_links_counts_targets_once_and_reports_loops_as_errors() {
    let (root, made) = tree(Spec {
        files: 500,
        seed: 4,
        shape: Shape::Mixed,
        hostile: true,
    });
    let (plain_jobs, plain) = scan(options(4), &[&root]);
    let plain_end = plain.end(plain_jobs[0]).totals;
    let (jobs, outcome) = scan(
        Options {
            follow_links: true,
            ..options(4)
        },
        &[&root],
    );
    let t = outcome.end(jobs[0]).totals;
    let target_size = std::fs::metadata(root.join("hostile/target.txt"))
        .unwrap()
        .len();
    // link_to_file now counts as the file it points to.
    assert_eq!(t.files, made.files + 1);
    assert_eq!(t.bytes, made.bytes + target_size);
    // Links that cannot be followed stay links: the dangling one, and the
    // loops, which are errors too: link_to_parent (back to the root) and
    // the loop_a/loop_b cycle.
    assert_eq!(t.symlinks, 4);
    assert_eq!(t.dirs, made.dirs);
    let mut failed: Vec<String> = outcome
        .errors
        .iter()
        .map(|(_, path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    failed.sort();
    assert_eq!(failed, ["link_to_parent", "loop_a", "loop_b"]);
    assert_eq!(t.errors, 3);
    // The same inodes, each once.
    assert_eq!(t.disk_bytes, plain_end.disk_bytes);
}

#[test]
fn excluded_entries_are_skipped_entirely() {
    let (root, _) = tree(spec(Shape::Mixed, 20_000));
    let (jobs, outcome) = scan(
        Options {
            exclude: Exclude::new(&["huge_flat", "*.log", "d00_0_*/**/*.rs"]).unwrap(),
            ..options(4)
        },
        &[&root],
    );
    // The oracle's own reading of the three patterns.
    let mut expected = oracle::Counts::default();
    use std::os::unix::fs::MetadataExt;
    expected.disk_bytes = std::fs::metadata(&root).unwrap().blocks() * 512;
    let walker = walkdir::WalkDir::new(&root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let first = rel.split('/').next().unwrap_or("");
            !(name == "huge_flat"
                || name.ends_with(".log")
                || (first.starts_with("d00_0_")
                    && rel.matches('/').count() >= 1
                    && name.ends_with(".rs")))
        });
    for entry in walker {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if entry.file_type().is_dir() {
            expected.dirs += 1;
        } else {
            expected.files += 1;
            expected.bytes += meta.len();
        }
        expected.disk_bytes += meta.blocks() * 512;
    }
    assert_eq!(counts(&outcome.end(jobs[0]).totals), expected);
}

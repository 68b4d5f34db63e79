//! Per-job statistics against an oracle computed from the generated tree:
//! the largest files, totals per extension, the size histogram and the
//! modification-time range.

mod support;

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use dirdash::scan::{ExtKey, ExtTotals, JobStats, LARGEST_KEPT, Options};
use support::{Shape, Spec, options, scan, tree};

/// The oracle's view of the regular files below `root`.
struct Files {
    /// (path, size, disk) of every regular file.
    all: Vec<(PathBuf, u64, u64, i64)>,
}

fn files(root: &Path) -> Files {
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != "longpath")
    {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let meta = entry.metadata().unwrap();
            all.push((
                entry.path().to_path_buf(),
                meta.len(),
                meta.blocks() * 512,
                meta.mtime(),
            ));
        }
    }
    Files { all }
}

fn job_stats(root: &Path, threads: usize) -> JobStats {
    let (jobs, outcome) = scan(
        Options {
            // walkdir cannot reach beyond PATH_MAX; keep both on the same files.
            exclude: dirdash::scan::Exclude::new(&["longpath"]).unwrap(),
            ..options(threads)
        },
        &[root],
    );
    let end = outcome.end(jobs[0]);
    // The statistics merged from the progress events equal the final ones
    // (among equal sizes, which file is kept may differ).
    let merged = &outcome.stats[&jobs[0]];
    let sizes = |s: &JobStats| s.largest.iter().map(|f| f.bytes).collect::<Vec<_>>();
    assert_eq!(sizes(merged), sizes(&end.stats));
    assert_eq!(
        (
            &merged.extensions,
            merged.histogram,
            merged.mtime_min,
            merged.mtime_max
        ),
        (
            &end.stats.extensions,
            end.stats.histogram,
            end.stats.mtime_min,
            end.stats.mtime_max
        ),
        "merged deltas vs final"
    );
    (*end.stats).clone()
}

fn check(root: &Path, threads: usize) {
    let oracle = files(root);
    let stats = job_stats(root, threads);

    // Largest: the same sizes, largest first, with their own paths and disk use.
    let mut sizes: Vec<u64> = oracle.all.iter().map(|f| f.1).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.truncate(LARGEST_KEPT);
    let got: Vec<u64> = stats.largest.iter().map(|f| f.bytes).collect();
    assert_eq!(got, sizes, "{threads} workers");
    let by_path: HashMap<&Path, (u64, u64)> = oracle
        .all
        .iter()
        .map(|(p, s, d, _)| (p.as_path(), (*s, *d)))
        .collect();
    for f in &stats.largest {
        assert_eq!(
            by_path[f.path.as_path()],
            (f.bytes, f.disk_bytes),
            "{:?}",
            f.path
        );
    }

    // Extensions: Path::extension, lowercased, "" for none.
    let mut exts: HashMap<Vec<u8>, ExtTotals> = HashMap::new();
    for (path, size, _, _) in &oracle.all {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase().into_bytes())
            .unwrap_or_default();
        let t = exts.entry(ext).or_default();
        t.files += 1;
        t.bytes += size;
    }
    let got: HashMap<Vec<u8>, ExtTotals> = stats.extensions.clone().into_iter().collect();
    assert_eq!(got, exts);
    let groups = stats.top_extensions();
    assert!(
        groups
            .windows(2)
            .all(|w| w[0].1.bytes >= w[1].1.bytes || w[1].0 == ExtKey::Rest)
    );
    assert_eq!(
        groups.iter().map(|g| g.1.files).sum::<u64>(),
        oracle.all.len() as u64
    );

    // Histogram: below 1 KiB, then powers of four.
    let mut histogram = [0u64; 12];
    for (_, size, _, _) in &oracle.all {
        let mut bucket = 0;
        let mut limit = 1024u64;
        while bucket < 11 && *size >= limit {
            bucket += 1;
            limit *= 4;
        }
        histogram[bucket] += 1;
    }
    assert_eq!(stats.histogram, histogram);

    let mtimes = oracle.all.iter().map(|f| f.3);
    assert_eq!(stats.mtime_min, mtimes.clone().min());
    assert_eq!(stats.mtime_max, mtimes.max());
}

#[test]
fn statistics_equal_the_oracle_on_a_mixed_tree_with_1_and_16_workers() {
    let (root, _) = tree(Spec {
        files: 20_000,
        seed: 7,
        shape: Shape::Mixed,
        hostile: false,
    });
    check(&root, 1);
    check(&root, 16);
}

#[test]
fn statistics_equal_the_oracle_on_the_hostile_tree() {
    let (root, _) = tree(Spec {
        files: 2_000,
        seed: 3,
        shape: Shape::Mixed,
        hostile: true,
    });
    check(&root, 4);
}

#[test]
fn statistics_equal_the_oracle_on_a_flat_directory() {
    let (root, _) = tree(Spec {
        files: 20_000,
        seed: 7,
        shape: Shape::Flat,
        hostile: false,
    });
    check(&root, 2);
}

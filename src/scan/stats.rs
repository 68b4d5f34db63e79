//! What a job's files are like, gathered while scanning in bounded memory:
//! the largest files, totals per extension, a size histogram and the range
//! of modification times. Workers fill a small `JobStats` per batch; batches
//! merge into the job's and into the consumer's.

use std::path::PathBuf;

/// Extensions are short keys looked up once per file: a fast hash pays.
pub type ExtMap = rustc_hash::FxHashMap<Vec<u8>, ExtTotals>;

/// Largest files kept per job.
pub const LARGEST_KEPT: usize = 20;
/// Extensions listed in reports; the rest are folded into one group.
pub const EXTENSIONS_LISTED: usize = 30;
/// Distinct extensions tracked per job; files with an extension first seen
/// beyond this count go straight to the folded group (bounded memory on
/// trees of random suffixes).
pub const EXTENSIONS_TRACKED: usize = 10_000;
/// Size classes: below 1 KiB, then powers of 4 up to 1 GiB, then the rest.
pub const HISTOGRAM_BUCKETS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LargeFile {
    pub path: PathBuf,
    pub bytes: u64,
    pub disk_bytes: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtTotals {
    pub files: u64,
    pub bytes: u64,
}

impl ExtTotals {
    fn add(&mut self, other: ExtTotals) {
        self.files += other.files;
        self.bytes += other.bytes;
    }
}

/// One extension group of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtKey {
    /// The lowercased extension; empty for names without one.
    Ext(Vec<u8>),
    /// Every extension beyond the listed ones.
    Rest,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobStats {
    /// Largest first, at most `LARGEST_KEPT`.
    pub largest: Vec<LargeFile>,
    /// Lowercased extension → totals; "" for files without one.
    pub extensions: ExtMap,
    /// Files whose extension was not tracked (see `EXTENSIONS_TRACKED`).
    pub untracked: ExtTotals,
    pub histogram: [u64; HISTOGRAM_BUCKETS],
    pub mtime_min: Option<i64>,
    pub mtime_max: Option<i64>,
}

/// The upper bound (exclusive) of each histogram bucket; `None` for the last.
pub fn bucket_limits() -> [Option<u64>; HISTOGRAM_BUCKETS] {
    let mut limits = [None; HISTOGRAM_BUCKETS];
    for (i, limit) in limits.iter_mut().enumerate().take(HISTOGRAM_BUCKETS - 1) {
        *limit = Some(1024u64 << (2 * i));
    }
    limits
}

/// The histogram bucket of a file of `size` bytes.
#[inline]
pub fn bucket(size: u64) -> usize {
    if size < 1024 {
        return 0;
    }
    let log2 = 63 - size.leading_zeros() as usize;
    ((log2 - 10) / 2 + 1).min(HISTOGRAM_BUCKETS - 1)
}

/// The extension of a file name as `Path::extension` finds it, lowercased:
/// `a.TAR.gz` → `gz`, `.bashrc` → ``, `noext` → ``.
#[inline]
pub fn extension_of(name: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let Some(dot) = memchr::memrchr(b'.', name) else {
        return;
    };
    if dot == 0 {
        return;
    }
    let ext = &name[dot + 1..];
    if ext.is_ascii() {
        out.extend(ext.iter().map(u8::to_ascii_lowercase));
    } else {
        match std::str::from_utf8(ext) {
            Ok(text) => out.extend_from_slice(text.to_lowercase().as_bytes()),
            Err(_) => out.extend_from_slice(ext),
        }
    }
}

impl JobStats {
    pub fn is_empty(&self) -> bool {
        self.histogram.iter().all(|&n| n == 0)
    }

    /// The smallest size kept in `largest` once it is full; 0 before.
    #[inline]
    pub fn largest_floor(&self) -> u64 {
        if self.largest.len() < LARGEST_KEPT {
            0
        } else {
            self.largest.last().map_or(0, |f| f.bytes)
        }
    }

    /// Counts a regular file. `ext` is its lowercased extension; `path` is
    /// called only when the file is among the largest.
    #[inline]
    pub fn add_file(
        &mut self,
        ext: &[u8],
        bytes: u64,
        disk_bytes: u64,
        mtime: i64,
        floor: u64,
        path: impl FnOnce() -> PathBuf,
    ) {
        self.histogram[bucket(bytes)] += 1;
        self.mtime_min = Some(self.mtime_min.map_or(mtime, |m| m.min(mtime)));
        self.mtime_max = Some(self.mtime_max.map_or(mtime, |m| m.max(mtime)));
        self.add_to_extension(ext, ExtTotals { files: 1, bytes });
        // `floor` is the job's smallest kept size so far: a file no larger
        // cannot change which sizes end up kept.
        let job_wide = floor == 0 || bytes > floor;
        if job_wide && (self.largest.len() < LARGEST_KEPT || bytes > self.largest_floor()) {
            self.offer_largest(LargeFile {
                path: path(),
                bytes,
                disk_bytes,
            });
        }
    }

    #[inline]
    fn add_to_extension(&mut self, ext: &[u8], totals: ExtTotals) {
        if let Some(mine) = self.extensions.get_mut(ext) {
            mine.add(totals);
        } else if self.extensions.len() < EXTENSIONS_TRACKED {
            self.extensions.insert(ext.to_vec(), totals);
        } else {
            self.untracked.add(totals);
        }
    }

    fn offer_largest(&mut self, file: LargeFile) {
        let at = self.largest.partition_point(|f| f.bytes >= file.bytes);
        if at < LARGEST_KEPT {
            self.largest.insert(at, file);
            self.largest.truncate(LARGEST_KEPT);
        }
    }

    /// Folds `other` in.
    pub fn merge(&mut self, other: &JobStats) {
        for file in &other.largest {
            if self.largest.len() < LARGEST_KEPT || file.bytes > self.largest_floor() {
                self.offer_largest(file.clone());
            }
        }
        for (ext, totals) in &other.extensions {
            self.add_to_extension(ext, *totals);
        }
        self.untracked.add(other.untracked);
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram) {
            *mine += theirs;
        }
        for (mine, theirs, pick) in [
            (
                &mut self.mtime_min,
                other.mtime_min,
                i64::min as fn(i64, i64) -> i64,
            ),
            (&mut self.mtime_max, other.mtime_max, i64::max),
        ] {
            if let Some(theirs) = theirs {
                *mine = Some(mine.map_or(theirs, |m| pick(m, theirs)));
            }
        }
    }

    /// The extension groups of a report: the `EXTENSIONS_LISTED` with the
    /// most bytes, largest first, then the rest folded into one group.
    pub fn top_extensions(&self) -> Vec<(ExtKey, ExtTotals)> {
        let mut all: Vec<(&Vec<u8>, &ExtTotals)> = self.extensions.iter().collect();
        all.sort_by(|a, b| b.1.bytes.cmp(&a.1.bytes).then_with(|| a.0.cmp(b.0)));
        let mut groups: Vec<(ExtKey, ExtTotals)> = all
            .iter()
            .take(EXTENSIONS_LISTED)
            .map(|(ext, totals)| (ExtKey::Ext((*ext).clone()), **totals))
            .collect();
        let mut rest = self.untracked;
        for (_, totals) in all.iter().skip(EXTENSIONS_LISTED) {
            rest.add(**totals);
        }
        if rest.files > 0 {
            groups.push((ExtKey::Rest, rest));
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_powers_of_four_from_one_kib() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(1023), 0);
        assert_eq!(bucket(1024), 1);
        assert_eq!(bucket(4095), 1);
        assert_eq!(bucket(4096), 2);
        assert_eq!(bucket((1 << 30) - 1), 10);
        assert_eq!(bucket(1 << 30), 11);
        assert_eq!(bucket(u64::MAX), 11);
        let limits = bucket_limits();
        assert_eq!(limits[0], Some(1024));
        assert_eq!(limits[10], Some(1 << 30));
        assert_eq!(limits[11], None);
        for (i, limit) in limits.iter().enumerate().take(11) {
            let limit = limit.unwrap();
            assert_eq!(bucket(limit - 1), i);
            assert_eq!(bucket(limit), i + 1);
        }
    }

    #[test]
    fn extensions_follow_path_extension_lowercased() {
        let mut out = Vec::new();
        for (name, ext) in [
            ("a.TAR.Gz", "gz"),
            (".bashrc", ""),
            ("noext", ""),
            ("trailing.", ""),
            ("..x", "x"),
            ("Ü.ÄÖ", "äö"),
        ] {
            extension_of(name.as_bytes(), &mut out);
            assert_eq!(out, ext.as_bytes(), "{name}");
            let std_ext = std::path::Path::new(name)
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            assert_eq!(
                std_ext.as_bytes(),
                ext.as_bytes(),
                "{name} vs Path::extension"
            );
        }
    }

    fn file(stats: &mut JobStats, name: &str, bytes: u64) {
        let mut ext = Vec::new();
        extension_of(name.as_bytes(), &mut ext);
        stats.add_file(&ext, bytes, bytes, bytes as i64, 0, || PathBuf::from(name));
    }

    #[test]
    fn the_largest_are_kept_largest_first_and_merging_keeps_the_top() {
        let mut a = JobStats::default();
        let mut b = JobStats::default();
        for i in 0..50u64 {
            file(
                if i % 2 == 0 { &mut a } else { &mut b },
                &format!("f{i}.x"),
                i * 10,
            );
        }
        assert_eq!(a.largest.len(), LARGEST_KEPT);
        a.merge(&b);
        let sizes: Vec<u64> = a.largest.iter().map(|f| f.bytes).collect();
        let expected: Vec<u64> = (30..50).rev().map(|i| i * 10).collect();
        assert_eq!(sizes, expected);
        assert_eq!(a.histogram.iter().sum::<u64>(), 50);
        assert_eq!(a.mtime_min, Some(0));
        assert_eq!(a.mtime_max, Some(490));
    }

    #[test]
    fn extensions_beyond_the_listed_fold_into_one_group() {
        let mut s = JobStats::default();
        for i in 0..40u64 {
            file(&mut s, &format!("f.e{i}"), 1000 + i);
        }
        file(&mut s, "plain", 5);
        let groups = s.top_extensions();
        assert_eq!(groups.len(), EXTENSIONS_LISTED + 1);
        assert_eq!(
            groups[0],
            (
                ExtKey::Ext(b"e39".to_vec()),
                ExtTotals {
                    files: 1,
                    bytes: 1039
                }
            )
        );
        let (key, rest) = groups.last().unwrap();
        assert_eq!(*key, ExtKey::Rest);
        assert_eq!(rest.files, 11, "ten e* and the file without extension");
    }
}

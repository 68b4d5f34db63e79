//! The trusted reference: a single-threaded walkdir traversal that counts a
//! tree by the README's rules ("What is counted"), independently of the
//! engine's code.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use walkdir::WalkDir;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: u64,
    pub dirs: u64,
    pub symlinks: u64,
    pub other: u64,
    pub bytes: u64,
    pub disk_bytes: u64,
}

pub struct Walked {
    pub counts: Counts,
    /// Every regular file's path.
    pub files: BTreeSet<PathBuf>,
    /// Paths walkdir could not read.
    pub errors: Vec<String>,
}

/// Walks `root` without following links, leaving out subtrees whose
/// directory name is in `skip` (walkdir cannot read paths beyond PATH_MAX).
pub fn walk(root: &Path, skip: &[&str]) -> Walked {
    let mut counts = Counts::default();
    let mut files = BTreeSet::new();
    let mut errors = Vec::new();
    let mut inodes = HashSet::new();
    let root_meta = std::fs::metadata(root).expect("root metadata");
    counts.disk_bytes += root_meta.blocks() * 512;
    let walker = WalkDir::new(root)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && skip.iter().any(|s| e.file_name() == *s)));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            counts.dirs += 1;
            counts.disk_bytes += meta.blocks() * 512;
            continue;
        }
        if ft.is_file() {
            counts.files += 1;
            counts.bytes += meta.len();
            files.insert(entry.path().to_path_buf());
        } else if ft.is_symlink() {
            counts.symlinks += 1;
        } else {
            counts.other += 1;
        }
        if meta.nlink() <= 1 || inodes.insert((meta.dev(), meta.ino())) {
            counts.disk_bytes += meta.blocks() * 512;
        }
    }
    Walked {
        counts,
        files,
        errors,
    }
}

/// `du -s -B1 ROOT`: the disk usage the README defines `disk_bytes` by.
pub fn du(root: &Path) -> u64 {
    let out = Command::new("du")
        .arg("-s")
        .arg("-B1")
        .arg(root)
        .output()
        .expect("run du");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("du printed {text:?}"))
}

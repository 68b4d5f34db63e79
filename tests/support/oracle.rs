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

/// What is below one directory, counted by the README's rules (disk usage
/// left to `du_per_dir`, which counts hard links as `du` does).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Below {
    pub files: u64,
    pub dirs: u64,
    pub entries: u64,
    pub bytes: u64,
}

/// Every directory of `root` (the root included) with what is below it,
/// leaving out subtrees whose directory name is in `skip` (walkdir cannot
/// read paths beyond PATH_MAX): those directories and their ancestors are
/// not in the map, since their counts would be short.
pub fn below_each_dir(root: &Path, skip: &[&str]) -> std::collections::HashMap<PathBuf, Below> {
    use std::collections::HashMap;
    struct Open {
        depth: usize,
        path: PathBuf,
        below: Below,
        cut: bool,
    }
    let mut done: HashMap<PathBuf, Below> = HashMap::new();
    // The directories from the root down to the one being walked.
    let mut open = vec![Open {
        depth: 0,
        path: root.to_path_buf(),
        below: Below::default(),
        cut: false,
    }];
    let close = |open: &mut Vec<Open>, done: &mut HashMap<PathBuf, Below>| {
        let dir = open.pop().expect("a directory to close");
        if let Some(parent) = open.last_mut() {
            parent.below.files += dir.below.files;
            parent.below.dirs += dir.below.dirs;
            parent.below.entries += dir.below.entries;
            parent.below.bytes += dir.below.bytes;
            parent.cut |= dir.cut;
        }
        if !dir.cut {
            done.insert(dir.path, dir.below);
        }
    };
    let mut walk = WalkDir::new(root)
        .min_depth(1)
        .follow_links(false)
        .into_iter();
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else { continue };
        while open.last().is_some_and(|d| d.depth >= entry.depth()) {
            close(&mut open, &mut done);
        }
        let ft = entry.file_type();
        if ft.is_dir() && skip.iter().any(|s| entry.file_name() == *s) {
            if let Some(parent) = open.last_mut() {
                parent.cut = true;
            }
            walk.skip_current_dir();
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let parent = open.last_mut().expect("the root stays open");
        parent.below.entries += 1;
        if ft.is_dir() {
            parent.below.dirs += 1;
            open.push(Open {
                depth: entry.depth(),
                path: entry.path().to_path_buf(),
                below: Below::default(),
                cut: false,
            });
        } else if ft.is_file() {
            parent.below.files += 1;
            parent.below.bytes += meta.len();
        }
    }
    while !open.is_empty() {
        close(&mut open, &mut done);
    }
    done
}

/// `du -B1 ROOT`: every directory's disk usage, as `du` reports it.
pub fn du_per_dir(root: &Path) -> std::collections::HashMap<PathBuf, u64> {
    use std::os::unix::ffi::OsStrExt;
    let out = Command::new("du")
        .arg("-0")
        .arg("-B1")
        .arg(root)
        .output()
        .expect("run du");
    out.stdout
        .split(|&b| b == 0)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let tab = line
                .iter()
                .position(|&b| b == b'\t')
                .expect("du: size, tab, path");
            let size = std::str::from_utf8(&line[..tab]).unwrap().parse().unwrap();
            let path = PathBuf::from(std::ffi::OsStr::from_bytes(&line[tab + 1..]));
            (path, size)
        })
        .collect()
}

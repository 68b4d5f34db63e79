//! `--depth N`: each root's directories down to depth N with their
//! cumulative sizes, children largest first, for the summary table and the
//! JSON summary.

use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;

use serde::Serialize;

use super::units;
use crate::scan::listing::{EntryKind, Sums};
use crate::tree::{JobTree, Node, ROOT};

/// One directory of the listing, with its children to the depth asked.
#[derive(Debug, Serialize)]
pub struct DirSizes {
    name: String,
    /// The exact bytes, only when the name is not valid UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_bytes: Option<Vec<u8>>,
    files: u64,
    dirs: u64,
    bytes: u64,
    disk_bytes: u64,
    /// Left out at the depth asked: a directory there may have children.
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Vec<DirSizes>>,
}

/// The root of `tree` (named by its full path) and its directories down to
/// `depth` levels below it.
pub fn dir_sizes(tree: &JobTree, depth: usize) -> DirSizes {
    let name = tree.root_path().as_os_str().as_bytes().to_vec();
    sizes_of(tree, ROOT, name, &tree.root().sums(), depth)
}

fn sizes_of(tree: &JobTree, node: Node, name: Vec<u8>, sums: &Sums, depth: usize) -> DirSizes {
    let children = (depth > 0).then(|| {
        let mut children: Vec<(Vec<u8>, Node, Sums)> = tree
            .entries(node)
            .filter(|(_, e)| e.kind == EntryKind::Dir)
            .map(|(_, e)| {
                let sums = match tree.dir(e.node) {
                    Some(dir) if e.entered() => dir.sums(),
                    // Not entered (another filesystem): its own blocks only.
                    _ => Sums {
                        disk: e.disk(),
                        ..Sums::default()
                    },
                };
                (e.name.to_vec(), e.node, sums)
            })
            .collect();
        children.sort_by(|a, b| b.2.disk.cmp(&a.2.disk).then_with(|| a.0.cmp(&b.0)));
        children
            .into_iter()
            .map(|(name, child, sums)| sizes_of(tree, child, name, &sums, depth - 1))
            .collect()
    });
    let (text, exact) = match String::from_utf8(name) {
        Ok(text) => (text, None),
        Err(e) => {
            let bytes = e.into_bytes();
            (String::from_utf8_lossy(&bytes).into_owned(), Some(bytes))
        }
    };
    DirSizes {
        name: text,
        name_bytes: exact,
        files: sums.files,
        dirs: sums.dirs,
        bytes: sums.bytes,
        disk_bytes: sums.disk,
        children,
    }
}

/// The table of one root's directories, indented by depth.
pub fn render(sizes: &DirSizes, out: &mut String) {
    let _ = writeln!(
        out,
        "{:>10}  {:>10}  {:>11}  DIRECTORY",
        "DISK", "APPARENT", "FILES"
    );
    let mut stack: Vec<(&DirSizes, usize)> = vec![(sizes, 0)];
    while let Some((dir, level)) = stack.pop() {
        let _ = writeln!(
            out,
            "{:>10}  {:>10}  {:>11}  {}{}",
            units::size(dir.disk_bytes),
            units::size(dir.bytes),
            units::count(dir.files),
            "  ".repeat(level),
            super::text::escaped(&dir.name),
        );
        if let Some(children) = &dir.children {
            stack.extend(children.iter().rev().map(|c| (c, level + 1)));
        }
    }
}

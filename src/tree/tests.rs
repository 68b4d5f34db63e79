//! The tree built from listing pieces in any order; its sorted views.

use std::path::Path;
use std::sync::Arc;

use super::sorted::{Order, SortKey, SortedDir};
use super::*;
use crate::scan::Totals;
use crate::scan::listing::{
    Base, EntryKind, Listing, ListingEnd, NO_NODE, NodeChain, Sums, Writer,
};

fn base(ino: u64) -> Base {
    Base {
        dev: 1,
        ino,
        mtime: 1_000,
    }
}

fn entry<'a>(name: &'a str, kind: EntryKind, size: u64, node: u32) -> Entry<'a> {
    Entry {
        name: name.as_bytes(),
        kind,
        size,
        blocks: size.div_ceil(512),
        mtime: 900 + size as i64,
        ino: 100 + size,
        dev: 1,
        nlink: 1,
        node,
        counted: true,
        other_fs: false,
    }
}

/// A piece of `chain.node`'s listing holding `entries`.
fn piece(chain: &Arc<NodeChain>, entries: &[Entry], end: Option<ListingEnd>) -> Listing {
    let mut writer = Writer::new(base(chain.node as u64), Vec::new());
    for e in entries {
        writer.push(e);
    }
    writer.piece(chain, end)
}

/// root/{a.txt 1000, sub/{b 3000, deep/{c 5000}}, other 700}
fn pieces() -> Vec<Listing> {
    let root = NodeChain::root();
    let sub = root.child(1);
    let deep = sub.child(2);
    let mut root_piece = piece(
        &root,
        &[
            entry("a.txt", EntryKind::File, 1000, NO_NODE),
            entry("sub", EntryKind::Dir, 4096, 1),
        ],
        None,
    );
    // The root's own blocks come with its listing.
    root_piece.sums.disk += 8 * 512;
    vec![
        root_piece,
        piece(
            &sub,
            &[
                entry("b", EntryKind::File, 3000, NO_NODE),
                entry("deep", EntryKind::Dir, 4096, 2),
            ],
            Some(ListingEnd::Complete),
        ),
        piece(
            &deep,
            &[entry("c", EntryKind::File, 5000, NO_NODE)],
            Some(ListingEnd::Complete),
        ),
        piece(
            &root,
            &[entry("other", EntryKind::File, 700, NO_NODE)],
            Some(ListingEnd::Complete),
        ),
    ]
}

fn build(order: &[usize]) -> (JobTree, Vec<Sums>) {
    let all = pieces();
    let mut tree = JobTree::new(Arc::from(Path::new("/r")));
    let mut applied = Sums::default();
    let mut roots = Vec::new();
    for &i in order {
        tree.apply(&all[i]);
        applied.add(&all[i].sums);
        assert_eq!(
            tree.root().sums(),
            applied,
            "the root holds what was applied"
        );
        roots.push(tree.root().sums());
    }
    (tree, roots)
}

#[test]
fn sums_reach_the_root_whatever_the_order_of_the_pieces() {
    let expected = build(&[0, 1, 2, 3]).0;
    for order in [[2, 1, 0, 3], [3, 2, 0, 1], [1, 3, 2, 0]] {
        let (tree, _) = build(&order);
        for node in 0..3 {
            assert_eq!(
                tree.dir(node).unwrap().sums(),
                expected.dir(node).unwrap().sums(),
                "node {node} after {order:?}"
            );
        }
    }
    let root = expected.root().sums();
    assert_eq!((root.files, root.dirs, root.entries), (4, 2, 6));
    assert_eq!(root.bytes, 1000 + 3000 + 5000 + 700);
}

#[test]
fn a_directory_s_sums_include_its_own_blocks() {
    let (tree, _) = build(&[2, 1, 0, 3]);
    let deep = tree.dir(2).unwrap().sums();
    assert_eq!(deep.disk, (8 + 10) * 512, "its own 4096 bytes and c's 5000");
    let sub = tree.dir(1).unwrap().sums();
    assert_eq!(sub.disk, (8 + 6 + 8 + 10) * 512);
    assert_eq!(tree.root().sums().disk, (8 + 2 + 8 + 6 + 8 + 10 + 2) * 512);
}

#[test]
fn a_subtree_is_open_until_everything_below_it_was_read() {
    let all = pieces();
    let mut tree = JobTree::new(Arc::from(Path::new("/r")));
    tree.apply(&all[2]);
    assert!(tree.dir(2).unwrap().is_read());
    assert!(tree.dir(1).unwrap().is_open(), "sub itself is not read yet");
    assert!(tree.root().is_open());
    tree.apply(&all[1]);
    assert!(!tree.dir(1).unwrap().is_open());
    assert!(tree.root().is_open());
    tree.apply(&all[0]);
    tree.apply(&all[3]);
    assert!(!tree.root().is_open());
}

#[test]
fn unread_directories_end_incomplete_after_a_stop() {
    let all = pieces();
    let mut tree = JobTree::new(Arc::from(Path::new("/r")));
    tree.apply(&all[0]);
    tree.close_unread();
    assert!(tree.dir(1).unwrap().is_incomplete(), "named but never read");
    assert!(tree.root().is_incomplete(), "its listing never ended");
    assert!(!tree.root().is_open());
}

#[test]
fn paths_and_names_come_from_the_parents_listings() {
    let (tree, _) = build(&[2, 1, 0, 3]);
    assert_eq!(tree.path_of(2).unwrap(), Path::new("/r/sub/deep"));
    assert_eq!(tree.name_of(1), Some(&b"sub"[..]));
    let (dir, offset) = tree.locate(Path::new("/r/sub/deep/c")).unwrap();
    assert_eq!(dir, 2);
    assert_eq!(tree.entry(dir, offset).unwrap().name, b"c");
    assert!(tree.locate(Path::new("/r/nope")).is_none());
    assert!(tree.locate(Path::new("/elsewhere/a")).is_none());
    assert_eq!(tree.ancestry(2), [0, 1, 2]);
}

fn names(tree: &JobTree, view: &SortedDir) -> Vec<String> {
    view.rows()
        .iter()
        .map(|&o| String::from_utf8_lossy(tree.entry(view.node(), o).unwrap().name).into_owned())
        .collect()
}

#[test]
fn a_sorted_view_follows_sizes_as_they_grow() {
    let all = pieces();
    let mut tree = JobTree::new(Arc::from(Path::new("/r")));
    tree.apply(&all[0]);
    let mut view = SortedDir::new(ROOT, Order::default(), "");
    assert!(view.refresh(&tree));
    // sub holds only its own 4096 bytes yet: a.txt (1000 → 1024) is smaller.
    assert_eq!(names(&tree, &view), ["sub", "a.txt"]);
    assert!(!view.refresh(&tree), "nothing changed");
    tree.apply(&all[3]);
    assert!(view.refresh(&tree));
    assert_eq!(names(&tree, &view), ["sub", "a.txt", "other"]);
    let by_name = Order {
        key: SortKey::Name,
        reversed: true,
        apparent: false,
    };
    let mut view = SortedDir::new(ROOT, by_name, "");
    view.refresh(&tree);
    assert_eq!(names(&tree, &view), ["sub", "other", "a.txt"]);
    let mut filtered = SortedDir::new(ROOT, Order::default(), "T");
    filtered.refresh(&tree);
    assert_eq!(names(&tree, &filtered), ["a.txt", "other"]);
}

#[test]
fn apparent_sizes_and_counts_order_directories_by_their_subtrees() {
    let (tree, _) = build(&[0, 1, 2, 3]);
    let apparent = Order {
        apparent: true,
        ..Order::default()
    };
    let mut view = SortedDir::new(ROOT, apparent, "");
    view.refresh(&tree);
    assert_eq!(names(&tree, &view), ["sub", "a.txt", "other"]);
    let count = Order {
        key: SortKey::Count,
        ..Order::default()
    };
    let mut view = SortedDir::new(ROOT, count, "");
    view.refresh(&tree);
    assert_eq!(names(&tree, &view)[0], "sub");
}

#[test]
fn a_removed_file_leaves_every_sum_above_it() {
    let (mut tree, _) = build(&[0, 1, 2, 3]);
    let before = tree.root().sums();
    let (offset, _) = tree.entries(2).find(|(_, e)| e.name == b"c").unwrap();
    let generation = tree.generation();
    let totals = tree.remove(2, offset).unwrap();
    assert_eq!(
        (totals.files, totals.bytes, totals.disk_bytes),
        (1, 5000, 10 * 512)
    );
    assert!(tree.generation() > generation);
    assert_eq!(tree.entries(2).count(), 0, "it is not listed any more");
    let after = tree.root().sums();
    assert_eq!(after.files, before.files - 1);
    assert_eq!(after.entries, before.entries - 1);
    assert_eq!(after.disk, before.disk - 10 * 512);
    assert_eq!(tree.dir(1).unwrap().sums().disk, (8 + 6 + 8) * 512);
    assert!(tree.remove(2, offset).is_none(), "once");
}

#[test]
fn a_removed_directory_takes_its_subtree_with_it() {
    let (mut tree, _) = build(&[0, 1, 2, 3]);
    let before = tree.root().sums();
    let sub = tree.dir(1).unwrap().sums();
    let (offset, _) = tree.entries(ROOT).find(|(_, e)| e.name == b"sub").unwrap();
    let totals = tree.remove(ROOT, offset).unwrap();
    assert_eq!((totals.files, totals.dirs), (2, 2), "b and c; sub and deep");
    assert_eq!(totals.disk_bytes, sub.disk);
    let after = tree.root().sums();
    assert_eq!(after.dirs, before.dirs - 2);
    assert_eq!(after.entries, before.entries - 4);
    assert_eq!(after.disk, before.disk - sub.disk);
    assert!(tree.dir(1).is_none() && tree.dir(2).is_none());
    assert!(tree.locate(Path::new("/r/sub")).is_none());
}

#[test]
fn a_hard_link_removed_hands_its_blocks_to_another_link() {
    let root = NodeChain::root();
    let linked = |name, counted| Entry {
        nlink: 2,
        counted,
        ino: 777,
        ..entry(name, EntryKind::File, 4096, NO_NODE)
    };
    let mut tree = JobTree::new(Arc::from(Path::new("/r")));
    tree.apply(&piece(
        &root,
        &[linked("first", true), linked("second", false)],
        Some(ListingEnd::Complete),
    ));
    assert_eq!(tree.root().sums().disk, 8 * 512, "counted once");
    let (offset, _) = tree
        .entries(ROOT)
        .find(|(_, e)| e.name == b"first")
        .unwrap();
    tree.remove(ROOT, offset);
    assert_eq!(
        tree.root().sums().disk,
        8 * 512,
        "now counted at the other link"
    );
    let (_, second) = tree.entries(ROOT).next().unwrap();
    assert!(second.counted);
}

#[test]
fn a_fresh_scan_of_a_directory_replaces_its_subtree() {
    let (mut tree, _) = build(&[0, 1, 2, 3]);
    let before = tree.root().sums();
    let old = tree.dir(1).unwrap().sums();
    // A scan of /r/sub after a deletion left only b there.
    let fresh_root = NodeChain::root();
    let mut fresh = JobTree::new(Arc::from(Path::new("/r/sub")));
    let mut only_b = piece(
        &fresh_root,
        &[entry("b", EntryKind::File, 3000, NO_NODE)],
        Some(ListingEnd::Complete),
    );
    only_b.sums.disk += 8 * 512;
    fresh.apply(&only_b);
    let fresh_totals = Totals {
        files: 1,
        bytes: 3000,
        disk_bytes: (8 + 6) * 512,
        ..Totals::default()
    };
    let (out, put) = tree.graft(1, &fresh, fresh_totals).unwrap();
    assert_eq!((out.files, out.dirs, out.disk_bytes), (2, 1, old.disk));
    assert_eq!(put, fresh_totals);
    let sub = tree.dir(1).unwrap().sums();
    assert_eq!((sub.files, sub.dirs, sub.disk), (1, 0, (8 + 6) * 512));
    let after = tree.root().sums();
    assert_eq!(after.files, before.files - 1);
    assert_eq!(after.disk, before.disk - old.disk + sub.disk);
    assert!(tree.dir(2).is_none(), "deep is gone");
    let names: Vec<&[u8]> = tree.entries(1).map(|(_, e)| e.name).collect();
    assert_eq!(names, [b"b"]);
    assert_eq!(tree.path_of(1).unwrap(), Path::new("/r/sub"));
}

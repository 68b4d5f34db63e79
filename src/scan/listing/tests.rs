//! The packed format and the sums, round trip and by hand.

use super::*;

const BASE: Base = Base {
    dev: 2049,
    ino: 1_000_000,
    mtime: 1_700_000_000,
};

fn file(name: &[u8]) -> Entry<'_> {
    Entry {
        name,
        kind: EntryKind::File,
        size: 12_345,
        blocks: 24,
        mtime: 1_699_999_000,
        ino: 1_000_017,
        dev: 2049,
        nlink: 1,
        node: NO_NODE,
        counted: true,
        other_fs: false,
    }
}

#[test]
fn entries_come_back_as_they_went_in() {
    let mut out = Vec::new();
    let plain = file(b"f000001.rs");
    let odd = Entry {
        name: b"bad_\xff\n",
        kind: EntryKind::Dir,
        size: 4096,
        blocks: 8,
        mtime: i64::MIN + 5,
        ino: 3,
        dev: 77,
        nlink: 2,
        node: 12,
        counted: true,
        other_fs: false,
    };
    let linked = Entry {
        nlink: 3,
        counted: false,
        size: u64::MAX,
        ..file(b"hard")
    };
    for e in [&plain, &odd, &linked] {
        encode(&mut out, &BASE, e);
    }
    let back: Vec<(u32, Entry)> = entries(&out, &BASE).collect();
    assert_eq!(back.len(), 3);
    assert_eq!(back[0], (0, plain));
    assert_eq!(back[1].1, odd);
    assert_eq!(back[2].1, linked);
    let (again, _) = decode(&out, back[1].0 as usize, &BASE).unwrap();
    assert_eq!(again, odd);
    assert_eq!(name_at(&out, back[2].0), b"hard");
    assert_eq!(name_at(&out, 9999), b"");
}

#[test]
fn a_file_of_a_typical_tree_takes_about_twenty_bytes() {
    let mut out = Vec::new();
    encode(&mut out, &BASE, &file(b"f000001.rs"));
    assert!(out.len() <= 2 + 10 + 8, "{} bytes", out.len());
}

#[test]
fn truncated_bytes_end_the_listing_instead_of_panicking() {
    let mut out = Vec::new();
    encode(&mut out, &BASE, &file(b"abc"));
    for cut in 0..out.len() {
        assert!(decode(&out[..cut], 0, &BASE).is_none(), "cut at {cut}");
    }
    assert!(decode(&[0xff; 40], 0, &BASE).is_none());
}

#[test]
fn sums_count_each_kind_as_the_totals_do() {
    let mut sums = Sums::default();
    sums.add_entry(&file(b"a"));
    sums.add_entry(&Entry {
        counted: false,
        nlink: 2,
        ..file(b"b")
    });
    sums.add_entry(&Entry {
        kind: EntryKind::Unreadable,
        ..file(b"c")
    });
    sums.add_entry(&Entry {
        kind: EntryKind::Excluded,
        ..file(b"d")
    });
    sums.add_entry(&Entry {
        kind: EntryKind::Symlink,
        size: 7,
        blocks: 0,
        ..file(b"e")
    });
    assert_eq!(
        (sums.files, sums.entries, sums.errors, sums.bytes, sums.disk),
        (2, 3, 0, 2 * 12_345, 24 * 512)
    );
    assert_eq!(sums.newest, 1_699_999_000);
}

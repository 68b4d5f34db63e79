//! What one entry counts for, decided from its stat alone: the counting
//! rules of the README ("What is counted") in one pure function, so that they
//! are tested without a tree on disk.

use rustix::fs::{FileType, Stat};

use super::event::Totals;

/// What a scan needs of an entry's stat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Facts {
    pub(crate) kind: Kind,
    pub(crate) size: u64,
    /// Bytes allocated on disk.
    pub(crate) allocated: u64,
    pub(crate) nlink: u64,
    pub(crate) dev: u64,
    pub(crate) ino: u64,
    pub(crate) mtime: i64,
}

/// What an entry is, from its `lstat` (or `stat` when following a link).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    Other,
}

impl Facts {
    pub(crate) fn of(stat: &Stat) -> Facts {
        let kind = match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Symlink,
            _ => Kind::Other,
        };
        Facts {
            kind,
            size: stat.st_size as u64,
            allocated: (stat.st_blocks as u64).saturating_mul(512),
            nlink: stat.st_nlink,
            dev: stat.st_dev,
            ino: stat.st_ino,
            mtime: stat.st_mtime,
        }
    }
}

/// The options and job state the rules depend on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rules {
    /// `-L`.
    pub(crate) follow_links: bool,
    /// `-x`, with the root's device.
    pub(crate) one_file_system: bool,
    pub(crate) root_dev: Option<u64>,
}

/// The inodes a job has met, so that each is counted once.
pub(crate) trait Sightings {
    /// True the first time an inode's disk usage is counted.
    fn first_sighting(&self, dev: u64, ino: u64) -> bool;
    /// True the first time a directory is entered (`-L`).
    fn first_entry(&self, dev: u64, ino: u64) -> bool;
}

/// How an entry is counted. `counted`: its blocks count in the disk usage
/// (false for an inode counted before, at another link).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    File {
        counted: bool,
    },
    /// A directory; not entered when on another filesystem under `-x`.
    Dir {
        enter: bool,
    },
    Symlink {
        counted: bool,
    },
    /// Sockets, FIFOs, devices.
    Other {
        counted: bool,
    },
    /// `-L`: a directory already entered through another path. Reached
    /// through a link, it counts as that link; otherwise as nothing.
    Revisited {
        through_link: bool,
    },
}

/// Decides how `facts` count; `through_link` when they are a followed
/// link's target.
pub(crate) fn classify(
    facts: &Facts,
    through_link: bool,
    rules: &Rules,
    seen: &impl Sightings,
) -> Verdict {
    let counted = || {
        let shared_inode = facts.nlink > 1 || rules.follow_links;
        !shared_inode || seen.first_sighting(facts.dev, facts.ino)
    };
    match facts.kind {
        Kind::File => Verdict::File { counted: counted() },
        Kind::Dir => {
            if rules.follow_links && !seen.first_entry(facts.dev, facts.ino) {
                return Verdict::Revisited { through_link };
            }
            let other_fs = rules.one_file_system && rules.root_dev != Some(facts.dev);
            Verdict::Dir { enter: !other_fs }
        }
        // A followed link's target that is itself a link: only `stat` sees
        // through it, so it is not a link to count.
        Kind::Symlink if through_link => Verdict::Other { counted: counted() },
        Kind::Symlink => Verdict::Symlink { counted: counted() },
        Kind::Other => Verdict::Other { counted: counted() },
    }
}

impl Verdict {
    /// What the entry adds to its job's totals.
    pub(crate) fn totals(&self, facts: &Facts) -> Totals {
        let mut t = Totals::default();
        let disk = |counted: bool| if counted { facts.allocated } else { 0 };
        match *self {
            Verdict::File { counted } => {
                t.files = 1;
                t.bytes = facts.size;
                t.disk_bytes = disk(counted);
            }
            Verdict::Dir { enter } => {
                t.dirs = 1;
                t.disk_bytes = facts.allocated;
                t.skipped_dirs = u64::from(!enter);
            }
            Verdict::Symlink { counted } => {
                t.symlinks = 1;
                t.disk_bytes = disk(counted);
            }
            Verdict::Other { counted } => {
                t.other = 1;
                t.disk_bytes = disk(counted);
            }
            Verdict::Revisited { through_link } => t.symlinks = u64::from(through_link),
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashSet;

    use super::*;

    #[derive(Default)]
    struct Seen {
        counted: RefCell<HashSet<(u64, u64)>>,
        entered: RefCell<HashSet<(u64, u64)>>,
    }

    impl Sightings for Seen {
        fn first_sighting(&self, dev: u64, ino: u64) -> bool {
            self.counted.borrow_mut().insert((dev, ino))
        }
        fn first_entry(&self, dev: u64, ino: u64) -> bool {
            self.entered.borrow_mut().insert((dev, ino))
        }
    }

    fn facts(kind: Kind, nlink: u64, ino: u64) -> Facts {
        Facts {
            kind,
            size: 1000,
            allocated: 4096,
            nlink,
            dev: 1,
            ino,
            mtime: 0,
        }
    }

    const PLAIN: Rules = Rules {
        follow_links: false,
        one_file_system: false,
        root_dev: Some(1),
    };

    #[test]
    fn a_file_counts_its_size_and_its_blocks() {
        let f = facts(Kind::File, 1, 10);
        let verdict = classify(&f, false, &PLAIN, &Seen::default());
        assert_eq!(verdict, Verdict::File { counted: true });
        let t = verdict.totals(&f);
        assert_eq!((t.files, t.bytes, t.disk_bytes), (1, 1000, 4096));
    }

    #[test]
    fn a_hard_linked_inode_counts_its_blocks_once_and_every_link_as_a_file() {
        let seen = Seen::default();
        let f = facts(Kind::File, 3, 10);
        let first = classify(&f, false, &PLAIN, &seen).totals(&f);
        let second = classify(&f, false, &PLAIN, &seen).totals(&f);
        assert_eq!((first.files, first.disk_bytes), (1, 4096));
        assert_eq!(
            (second.files, second.bytes, second.disk_bytes),
            (1, 1000, 0)
        );
    }

    #[test]
    fn single_links_are_not_tracked() {
        let seen = Seen::default();
        let f = facts(Kind::File, 1, 10);
        classify(&f, false, &PLAIN, &seen);
        assert!(seen.counted.borrow().is_empty());
        assert_eq!(
            classify(&f, false, &PLAIN, &seen),
            Verdict::File { counted: true }
        );
    }

    #[test]
    fn a_directory_on_another_filesystem_is_counted_but_not_entered_under_x() {
        let rules = Rules {
            one_file_system: true,
            ..PLAIN
        };
        let mut d = facts(Kind::Dir, 2, 20);
        assert_eq!(
            classify(&d, false, &rules, &Seen::default()),
            Verdict::Dir { enter: true }
        );
        d.dev = 2;
        let verdict = classify(&d, false, &rules, &Seen::default());
        assert_eq!(verdict, Verdict::Dir { enter: false });
        let t = verdict.totals(&d);
        assert_eq!((t.dirs, t.skipped_dirs, t.disk_bytes), (1, 1, 4096));
        assert_eq!(
            classify(&d, false, &PLAIN, &Seen::default()),
            Verdict::Dir { enter: true }
        );
    }

    #[test]
    fn following_links_enters_a_directory_once_and_counts_a_second_link_as_a_link() {
        let rules = Rules {
            follow_links: true,
            ..PLAIN
        };
        let seen = Seen::default();
        let d = facts(Kind::Dir, 2, 30);
        assert_eq!(
            classify(&d, false, &rules, &seen),
            Verdict::Dir { enter: true }
        );
        let again = classify(&d, true, &rules, &seen);
        assert_eq!(again, Verdict::Revisited { through_link: true });
        assert_eq!(again.totals(&d).symlinks, 1);
        let plain_again = classify(&d, false, &rules, &seen);
        assert_eq!(plain_again.totals(&d), Totals::default());
    }

    #[test]
    fn following_links_counts_every_inode_once() {
        let rules = Rules {
            follow_links: true,
            ..PLAIN
        };
        let seen = Seen::default();
        let f = facts(Kind::File, 1, 40);
        assert_eq!(
            classify(&f, false, &rules, &seen),
            Verdict::File { counted: true }
        );
        assert_eq!(
            classify(&f, true, &rules, &seen),
            Verdict::File { counted: false }
        );
    }

    #[test]
    fn links_sockets_and_fifos_count_their_blocks() {
        let l = facts(Kind::Symlink, 1, 50);
        let t = classify(&l, false, &PLAIN, &Seen::default()).totals(&l);
        assert_eq!((t.symlinks, t.disk_bytes, t.bytes), (1, 4096, 0));
        let o = facts(Kind::Other, 1, 51);
        let t = classify(&o, false, &PLAIN, &Seen::default()).totals(&o);
        assert_eq!((t.other, t.disk_bytes), (1, 4096));
    }
}

//! Directories skipped for what they are, as ncdu skips them: caches that
//! say so with a `CACHEDIR.TAG` (`--exclude-caches`, the Cache Directory
//! Tagging Specification) and kernel filesystems (`--exclude-kernfs`,
//! `/proc`, `/sys` and the like, told by their filesystem type).

use std::ffi::CStr;
use std::os::fd::{AsFd, OwnedFd};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// What a valid tag file starts with.
pub const CACHEDIR_SIGNATURE: &[u8] = b"Signature: 8a477f597d28d172789f06886806bc55";

/// Directory `name` of the open `dir`, opened to be looked at (not read):
/// never through a link, and relative to its descriptor, so a path beyond
/// `PATH_MAX` is no obstacle.
pub(crate) fn open_child(dir: &OwnedFd, name: &CStr) -> Option<OwnedFd> {
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::openat(dir, name, flags, Mode::empty()).ok()
}

/// Whether the directory `child` (from `open_child`) holds a valid
/// `CACHEDIR.TAG`: a regular file starting with the signature.
pub(crate) fn is_tagged_cache(child: &OwnedFd) -> bool {
    const TAG: &CStr = c"CACHEDIR.TAG";
    // Looked at before it is opened: opening a device may do something.
    let regular =
        |stat: rustix::fs::Stat| FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile;
    if !rustix::fs::statat(child, TAG, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(regular) {
        return false;
    }
    // Never through a link, never blocking on a FIFO swapped in meanwhile.
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW | OFlags::NONBLOCK;
    let Ok(tag) = rustix::fs::openat(child, TAG, flags, Mode::empty()) else {
        return false;
    };
    rustix::fs::fstat(&tag).is_ok_and(regular) && starts_with_signature(&tag)
}

fn starts_with_signature(file: impl AsFd) -> bool {
    let mut head = [0u8; CACHEDIR_SIGNATURE.len()];
    let mut filled = 0;
    while filled < head.len() {
        match rustix::io::read(&file, &mut head[filled..]) {
            Ok(0) | Err(_) => return false,
            Ok(n) => filled += n,
        }
    }
    head == CACHEDIR_SIGNATURE
}

/// Filesystem types of the kernel's own filesystems (`statfs`' `f_type`):
/// the list ncdu skips.
const KERNEL_FILESYSTEMS: &[u32] = &[
    0x4249_4e4d, // binfmt_misc
    0xcafe_4a11, // bpf
    0x0027_e0eb, // cgroup
    0x6367_7270, // cgroup2
    0x6462_6720, // debugfs
    0x0000_1cd1, // devpts
    0x0000_9fa0, // proc
    0x6165_676c, // pstore
    0x7363_6673, // securityfs
    0xf97c_ff8c, // selinuxfs
    0x6265_6572, // sysfs
    0x7472_6163, // tracefs
    0x6265_6570, // configfs
    0xde5e_81e4, // efivarfs
];

/// Whether the directory `child` (from `open_child`) is on a kernel
/// filesystem. The magic numbers are 32 bits: compared as such, whatever
/// width `f_type` has on this platform.
pub(crate) fn is_kernel_filesystem(child: &OwnedFd) -> bool {
    rustix::fs::fstatfs(child).is_ok_and(|fs| KERNEL_FILESYSTEMS.contains(&(fs.f_type as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::path::Path;

    fn open_in_parent(path: &Path) -> Option<OwnedFd> {
        let parent = rustix::fs::open(
            path.parent().unwrap(),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .unwrap();
        let name = CString::new(path.file_name().unwrap().as_encoded_bytes()).unwrap();
        open_child(&parent, &name)
    }

    #[test]
    fn proc_is_a_kernel_filesystem_and_tmp_is_not() {
        assert!(is_kernel_filesystem(
            &open_in_parent(Path::new("/proc")).unwrap()
        ));
        let tmp = tempfile::tempdir().unwrap();
        assert!(!is_kernel_filesystem(&open_in_parent(tmp.path()).unwrap()));
    }

    #[test]
    fn a_tag_counts_only_as_a_regular_file_with_the_signature() {
        let tmp = tempfile::tempdir().unwrap();
        let tagged = |name: &str| is_tagged_cache(&open_in_parent(&tmp.path().join(name)).unwrap());
        for dir in ["good", "short", "link", "fifo", "dirtag"] {
            std::fs::create_dir(tmp.path().join(dir)).unwrap();
        }
        let mut good = CACHEDIR_SIGNATURE.to_vec();
        good.extend_from_slice(b"\n# a comment\n");
        std::fs::write(tmp.path().join("good/CACHEDIR.TAG"), &good).unwrap();
        std::fs::write(tmp.path().join("short/CACHEDIR.TAG"), &good[..20]).unwrap();
        std::os::unix::fs::symlink(
            tmp.path().join("good/CACHEDIR.TAG"),
            tmp.path().join("link/CACHEDIR.TAG"),
        )
        .unwrap();
        std::fs::create_dir(tmp.path().join("dirtag/CACHEDIR.TAG")).unwrap();
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            tmp.path().join("fifo/CACHEDIR.TAG"),
            Mode::from_raw_mode(0o600),
        )
        .unwrap();
        assert!(tagged("good"));
        for not in ["short", "link", "fifo", "dirtag"] {
            assert!(!tagged(not), "{not}");
        }
        // A link to a tagged directory is not opened as one.
        std::os::unix::fs::symlink(tmp.path().join("good"), tmp.path().join("to-good")).unwrap();
        assert!(open_in_parent(&tmp.path().join("to-good")).is_none());
    }
}

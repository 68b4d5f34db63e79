//! Directories skipped for what they are, as ncdu skips them: caches that
//! say so with a `CACHEDIR.TAG` (`--exclude-caches`, the Cache Directory
//! Tagging Specification) and kernel filesystems (`--exclude-kernfs`,
//! `/proc`, `/sys` and the like, told by their filesystem type).

use std::ffi::{CStr, CString};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use rustix::fs::{FileType, Mode, OFlags};

/// What a valid tag file starts with.
pub const CACHEDIR_SIGNATURE: &[u8] = b"Signature: 8a477f597d28d172789f06886806bc55";

/// Whether directory `name` of the open `dir` holds a valid `CACHEDIR.TAG`.
pub(crate) fn is_tagged_cache(dir: &OwnedFd, name: &CStr) -> bool {
    let mut path = name.to_bytes().to_vec();
    path.extend_from_slice(b"/CACHEDIR.TAG");
    let Ok(path) = CString::new(path) else {
        return false;
    };
    // Never through a link, never blocking on a FIFO of that name.
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW | OFlags::NONBLOCK;
    let Ok(tag) = rustix::fs::openat(dir, path.as_c_str(), flags, Mode::empty()) else {
        return false;
    };
    let is_file = rustix::fs::fstat(&tag)
        .is_ok_and(|stat| FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile);
    is_file && starts_with_signature(&tag)
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
const KERNEL_FILESYSTEMS: &[u64] = &[
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

/// Whether `path` is on a kernel filesystem.
pub(crate) fn is_kernel_filesystem(path: &Path) -> bool {
    rustix::fs::statfs(path).is_ok_and(|fs| KERNEL_FILESYSTEMS.contains(&(fs.f_type as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_is_a_kernel_filesystem_and_tmp_is_not() {
        assert!(is_kernel_filesystem(Path::new("/proc")));
        assert!(!is_kernel_filesystem(&std::env::temp_dir()));
    }
}

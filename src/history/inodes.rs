//! The first scan of a whole filesystem has no earlier scan to go by, but
//! the filesystem knows how many inodes it uses (ext4, xfs; btrfs says 0):
//! an estimate of the entries to come.

use std::path::Path;

use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags};

/// The inodes used on the filesystem mounted at `root`, the root's own
/// left out; `None` when `root` is not a mount point or the filesystem does
/// not count its inodes.
pub fn used_inodes(root: &Path) -> Option<u64> {
    if !is_mount_point(root) {
        return None;
    }
    let fs = rustix::fs::statvfs(root).ok()?;
    if fs.f_files == 0 {
        return None;
    }
    Some(fs.f_files.saturating_sub(fs.f_ffree).saturating_sub(1))
}

fn is_mount_point(root: &Path) -> bool {
    match rustix::fs::statx(CWD, root, AtFlags::empty(), StatxFlags::BASIC_STATS) {
        Ok(stat) => {
            let mount_root = StatxAttributes::MOUNT_ROOT;
            stat.stx_attributes_mask.contains(mount_root)
                && stat.stx_attributes.contains(mount_root)
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_filesystem_is_a_mount_point_and_a_directory_below_it_is_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(used_inodes(dir.path()).is_none());
        assert!(is_mount_point(Path::new("/")));
    }
}

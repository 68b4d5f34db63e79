//! Running the real binary as an unprivileged user. As root, tests run it
//! through setpriv as `nobody` (root reads every directory, which would hide
//! what they test). `nobody` must reach both the binary and the tree, and a
//! checkout may sit below a directory only its owner can enter (`/root`, a
//! `mktemp -d` folder): so the binary is copied, and the trees are made, in
//! a directory every user can enter.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory `nobody` can reach, holding a copy of the binary; trees for
/// the test go in `root()`.
pub struct Unprivileged {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Unprivileged {
    pub fn new() -> Unprivileged {
        let base = reachable_base();
        let dir = tempfile::Builder::new()
            .prefix("dirdash-nobody-")
            .tempdir_in(&base)
            .expect("a temporary directory");
        set_mode(dir.path(), 0o755);
        let bin = dir.path().join("dirdash");
        std::fs::copy(env!("CARGO_BIN_EXE_dirdash"), &bin).expect("copy the binary");
        set_mode(&bin, 0o755);
        let root = dir.path().join("root");
        std::fs::create_dir(&root).expect("a root for the tree");
        set_mode(&root, 0o755);
        Unprivileged { dir, bin }
    }

    /// Where the test makes what `nobody` reads; its owner may write it.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("root")
    }

    /// The binary, as `nobody` when the tests run as root.
    pub fn command(&self) -> Command {
        if rustix::process::geteuid().is_root() {
            let mut cmd = Command::new("setpriv");
            cmd.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
                .arg(&self.bin);
            cmd.env("XDG_CONFIG_HOME", super::NO_CONFIG_HOME);
            cmd
        } else {
            let mut cmd = Command::new(&self.bin);
            cmd.env("XDG_CONFIG_HOME", super::NO_CONFIG_HOME);
            cmd
        }
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// The first temporary directory that every user can enter, up from `/`.
fn reachable_base() -> PathBuf {
    let candidates = [
        std::env::temp_dir(),
        PathBuf::from("/tmp"),
        PathBuf::from("/var/tmp"),
        PathBuf::from("/dev/shm"),
    ];
    for candidate in &candidates {
        if candidate.is_dir() && everyone_can_enter(candidate) {
            return candidate.clone();
        }
    }
    panic!(
        "tests that run as nobody need a directory every user can enter and \
         the tests can write; none of {candidates:?} is one (each of its \
         ancestors needs the x bit for others)"
    );
}

fn everyone_can_enter(dir: &Path) -> bool {
    dir.ancestors()
        .all(|d| std::fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

//! Running one test of the current test binary in a private mount namespace
//! (root there, through `unshare --map-root-user` when not root), where it
//! can mount a tmpfs without touching the machine's mounts.

/// Set in the namespace, so the test knows it is there.
pub const MARKER: &str = "DIRDASH_IN_NAMESPACE";

/// Runs `test` (an `#[ignore]`d test of this binary) in a new namespace and
/// asserts that it passed.
pub fn run_in_mount_namespace(test: &str) {
    let mut unshare = std::process::Command::new("unshare");
    if !rustix::process::geteuid().is_root() {
        unshare.arg("--map-root-user");
    }
    let out = unshare
        .arg("--mount")
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            test,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(MARKER, "1")
        .output()
        .expect("unshare (util-linux)");
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "in the namespace: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Panics unless running in the namespace.
pub fn assert_inside() {
    assert!(std::env::var_os(MARKER).is_some(), "run in a namespace");
}

/// Mounts a tmpfs of `size` (as `mount -o size=`) at `dir`.
pub fn mount_tmpfs(dir: &std::path::Path, size: &str) {
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "none"])
        .arg(dir)
        .status()
        .expect("mount");
    assert!(mounted.success(), "mount a tmpfs at {}", dir.display());
}

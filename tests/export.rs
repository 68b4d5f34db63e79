//! `--export`: the scanned tree in ncdu's format, read back by the real
//! ncdu (and gdu), written atomically, never over a file without --force,
//! and a failed write loses nothing else.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

use support::ncdu_json::{self, Item};
use support::oracle;
use support::{Shape, Spec, hostile_2k, tree};

fn dirdash<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    support::dirdash_command()
        .args(args)
        .output()
        .expect("run dirdash")
}

fn export(root: &Path, file: &Path) {
    let out = dirdash([
        OsStr::new("--headless"),
        OsStr::new("--export"),
        file.as_os_str(),
        root.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn relative(root: &Path, path: &Path) -> Vec<u8> {
    path.strip_prefix(root)
        .unwrap()
        .as_os_str()
        .as_bytes()
        .to_vec()
}

#[test]
fn ncdu_reads_the_export_back_with_the_same_files_sizes_and_names() {
    let (root, made) = hostile_2k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    export(&root, &file);
    let reexport = support::ncdu_reexport(&file, &dir.path().join("reexport.json"));
    let (root_info, items) = ncdu_json::items(&ncdu_json::parse(&reexport).expect("it parses"));
    assert_eq!(root_info.name(), root.as_os_str().as_bytes());

    // Everything walkdir can reach is there, with its size and kind.
    let walked = oracle::walk(&root, &["longpath"]);
    for entry in walkdir::WalkDir::new(&root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.file_name() != "longpath")
    {
        let entry = entry.unwrap();
        let rel = relative(&root, entry.path());
        let item = items
            .get(&rel)
            .unwrap_or_else(|| panic!("{:?} missing", entry.path()));
        let meta = entry.metadata().unwrap();
        let ft = entry.file_type();
        assert_eq!(item.dir, ft.is_dir(), "{:?}", entry.path());
        assert_eq!(
            item.info.flag("notreg"),
            !ft.is_dir() && !ft.is_file(),
            "{:?}",
            entry.path()
        );
        assert_eq!(item.info.u64("asize"), meta.len(), "{:?}", entry.path());
        assert_eq!(
            item.info.u64("dsize"),
            meta.blocks() * 512,
            "{:?}",
            entry.path()
        );
    }
    let files: BTreeSet<Vec<u8>> = items
        .iter()
        .filter(|(_, i)| !i.dir && !i.info.flag("notreg"))
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(
        files.len() as u64,
        made.files,
        "every regular file, the one beyond PATH_MAX too"
    );
    let reachable: BTreeSet<Vec<u8>> = walked.files.iter().map(|p| relative(&root, p)).collect();
    assert!(reachable.is_subset(&files));
    let deep: Vec<&Vec<u8>> = files.difference(&reachable).collect();
    assert_eq!(deep.len(), 1);
    assert!(deep[0].ends_with(b"/deep_file") && deep[0].len() > 4096);
    assert_eq!(items[deep[0]].info.u64("asize"), 10);

    // Names that are not UTF-8 or hold newlines come back byte for byte.
    for name in [
        &b"hostile/bad_\xff\xfe_name"[..],
        b"hostile/new\nline",
        b"hostile/latin1_\xe9t\xe9",
    ] {
        assert!(
            items.contains_key(name),
            "{:?}",
            String::from_utf8_lossy(name)
        );
    }

    // ncdu knows the four links of target.txt are one inode.
    let links: Vec<&Item> = ["target.txt", "hardlink_0", "hardlink_1", "hardlink_2"]
        .iter()
        .map(|n| &items[format!("hostile/{n}").as_bytes()])
        .collect();
    let ino = links[0].info.u64("ino");
    assert!(ino > 0);
    for link in &links {
        assert_eq!(
            (
                link.info.u64("ino"),
                link.info.u64("nlink"),
                link.info.flag("hlnkc")
            ),
            (ino, 4, true)
        );
    }

    // And counting each inode once, it adds up to du's disk usage.
    let mut seen = HashSet::new();
    let mut disk = root_info.u64("dsize");
    for item in items.values() {
        let ino = item.info.u64("ino");
        if ino == 0 || seen.insert(ino) {
            disk += item.info.u64("dsize");
        }
    }
    assert_eq!(disk, oracle::du(&root));
}

#[test]
fn gdu_reads_the_export_and_lists_the_same_top_level() {
    let (root, _) = tree(Spec {
        files: 5_000,
        seed: 8,
        shape: Shape::Mixed,
        hostile: false,
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    export(&root, &file);
    let out = Command::new("gdu")
        .args(["-n", "-p", "-c", "-a", "--no-prefix", "-f"])
        .arg(&file)
        .output()
        .expect("gdu is installed (.ci/run installs it)");
    assert!(
        out.status.success(),
        "gdu: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: BTreeMap<String, u64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut parts = l.split_whitespace();
            let size = parts.next().unwrap().parse().unwrap();
            (parts.next().unwrap().to_owned(), size)
        })
        .collect();
    // gdu gives a directory 4096 bytes of its own, whatever it is.
    let mut expected = BTreeMap::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if entry.file_type().unwrap().is_dir() {
            let walked = oracle::walk(&entry.path(), &[]);
            expected.insert(
                format!("/{name}"),
                walked.counts.bytes + 4096 * (1 + walked.counts.dirs),
            );
        } else {
            expected.insert(name, entry.metadata().unwrap().len());
        }
    }
    assert_eq!(listed, expected);
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let (root, _) = hostile_2k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, b"precious").unwrap();
    let out = dirdash([
        OsStr::new("--headless"),
        OsStr::new("--export"),
        file.as_os_str(),
        root.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists; use --force"));
    assert_eq!(std::fs::read(&file).unwrap(), b"precious");

    let out = dirdash([
        OsStr::new("--headless"),
        OsStr::new("--force"),
        OsStr::new("--export"),
        file.as_os_str(),
        root.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read(&file).unwrap().starts_with(b"[1,2,{"));
    // Atomic: nothing but the export is left beside it.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn a_pipe_or_a_device_is_written_into_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let (root, _) = hostile_2k();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    export(&root, &fifo);
    let read = reader.join().unwrap();
    ncdu_json::parse(&read).expect("the whole export came through the pipe");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // A pipe nobody reads: said at once, not waited on for good.
    let started = std::time::Instant::now();
    let out = dirdash([
        OsStr::new("--headless"),
        OsStr::new("--export"),
        fifo.as_os_str(),
        root.as_os_str(),
    ]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "no hang"
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nobody reads") && err.contains(&*fifo.to_string_lossy()),
        "{err}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("done"),
        "the summary is kept"
    );

    // Even forced (and as root), /dev/null stays the device.
    let out = dirdash([
        OsStr::new("--headless"),
        OsStr::new("--force"),
        OsStr::new("--export"),
        OsStr::new("/dev/null"),
        root.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let null = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device(), "/dev/null was replaced");
}

#[test]
fn export_takes_one_root() {
    let (root, _) = hostile_2k();
    let file = tempfile::tempdir().unwrap().path().join("x.json");
    let out = dirdash([
        OsStr::new("--headless"),
        OsStr::new("--export"),
        file.as_os_str(),
        root.as_os_str(),
        root.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one DIR"));
}

/// A write that fails when the file is written (not before the scan): the
/// error names the file, the summary is still printed, the exit code is 1.
fn assert_failed_write_kept_the_summary(out: &Output, file: &Path, reason: &str) {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot write the export {}", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains(reason), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the summary");
    assert_eq!(summary["jobs"][0]["state"], "done");
    assert!(summary["jobs"][0]["files"].as_u64().unwrap() > 0);
    assert!(!file.exists());
}

#[test]
fn a_write_without_permission_is_reported_and_the_summary_kept() {
    let nobody = support::nobody::Unprivileged::new();
    let root = nobody.root().join("tree");
    support::treegen::generate(
        &root,
        &support::Spec {
            files: 2_000,
            seed: 3,
            shape: support::Shape::Mixed,
            hostile: true,
        },
    )
    .unwrap();
    // Readable by everyone, writable by its owner only; then run as nobody.
    let dir = nobody.root().join("out");
    std::fs::create_dir(&dir).unwrap();
    let mode = if rustix::process::geteuid().is_root() {
        0o755
    } else {
        0o555
    };
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
    let file = dir.join("export.json");
    let out = nobody
        .command()
        .args(["--headless", "--json", "--export"])
        .arg(&file)
        .arg(&root)
        .output()
        .unwrap();
    assert_failed_write_kept_the_summary(&out, &file, "Permission denied");
}

#[test]
fn a_full_disk_is_reported_and_the_summary_kept() {
    let (root, _) = hostile_2k();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    // A 16 KiB filesystem in a private mount namespace.
    let mut unshare = Command::new("unshare");
    if !rustix::process::geteuid().is_root() {
        unshare.arg("--map-root-user");
    }
    let out = unshare
        .args(["--mount", "sh", "-c"])
        .arg(r#"mount -t tmpfs -o size=16k none "$1" && exec "$2" --headless --json --export "$1/export.json" "$3""#)
        .arg("sh")
        .arg(dir.path())
        .arg(env!("CARGO_BIN_EXE_dirdash"))
        .arg(&root)
        .env("XDG_CONFIG_HOME", support::NO_CONFIG_HOME)
        .output()
        .expect("unshare (util-linux)");
    assert_failed_write_kept_the_summary(&out, &file, "No space left on device");
}

#[test]
fn a_subtree_exported_from_the_browser_opens_in_ncdu_as_that_directory() {
    let (root, _) = hostile_2k();
    let (tally, job) = support::scan_tree(support::options(2), &root);
    let tree = tally.job(job).unwrap().tree.as_ref().unwrap();
    let (parent, offset) = tree.locate(&root.join("hostile")).unwrap();
    let node = tree.entry(parent, offset).unwrap().node;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.json");
    dirdash::report::ncdu::write(tree, node, &file, false).unwrap();
    let reexport = support::ncdu_reexport(&file, &dir.path().join("check.json"));
    let (top, items) = ncdu_json::items(&ncdu_json::parse(&reexport).expect("it parses"));
    assert_eq!(top.name(), root.join("hostile").as_os_str().as_bytes());
    let on_disk: BTreeSet<Vec<u8>> = std::fs::read_dir(root.join("hostile"))
        .unwrap()
        .map(|e| e.unwrap().file_name().as_bytes().to_vec())
        .collect();
    let top_level: BTreeSet<Vec<u8>> = items
        .keys()
        .filter(|k| !k.contains(&b'/'))
        .cloned()
        .collect();
    assert_eq!(top_level, on_disk, "its entries, and only its");
}

//! The scanned tree in ncdu's JSON export format (major 1, minor 2), which
//! `ncdu -f FILE` and `gdu -f FILE` open for browsing. Written the way ncdu
//! writes it: a directory is an array whose first element is its own info;
//! sizes are each entry's own; `dev` where it changes; hard links carry
//! `ino`, `hlnkc` and `nlink` so they count once; names are raw bytes with
//! only `"`, `\` and control characters escaped (ncdu writes names that are
//! not UTF-8 as they are, and reads them back the same).

use std::fmt;
use std::fs::Permissions;
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::scan::listing::{self, Entry, EntryKind, OwnSize};
use crate::tree::{JobTree, Node, ROOT};

/// Why an export cannot be written to a path, found before writing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetError {
    /// A file is there: it is replaced only when asked (`--force`).
    Exists(PathBuf),
    IsDirectory(PathBuf),
    /// The directory to write in does not exist.
    NoDirectory {
        dir: PathBuf,
        path: PathBuf,
    },
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetError::Exists(path) => {
                write!(f, "{} exists; use --force to overwrite it", path.display())
            }
            TargetError::IsDirectory(path) => write!(f, "{} is a directory", path.display()),
            TargetError::NoDirectory { dir, path } => write!(
                f,
                "no directory {} to write {} in",
                dir.display(),
                path.display()
            ),
        }
    }
}

/// Whether an export can be written to `path` (replacing a file only with
/// `force`).
pub fn check_target(path: &Path, force: bool) -> Result<(), TargetError> {
    if is_stdout(path) {
        return Ok(());
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(TargetError::IsDirectory(path.to_path_buf())),
        // A device or a pipe is written into, never replaced.
        Ok(meta) if !meta.is_file() => return Ok(()),
        Ok(_) if !force => return Err(TargetError::Exists(path.to_path_buf())),
        _ => {}
    }
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(TargetError::NoDirectory {
            dir,
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// `-`: standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes the subtree of `from` to `path` atomically: into a temporary
/// file beside it, synced, then renamed over it. Without `force`, an
/// existing file is kept and the write fails. A device or a pipe
/// (`/dev/null`, a FIFO) is written into as it is.
pub fn write(tree: &JobTree, from: Node, path: &Path, force: bool) -> io::Result<()> {
    if is_stdout(path) {
        let stdout = io::stdout();
        let mut out = BufWriter::with_capacity(1 << 18, stdout.lock());
        write_tree(tree, from, &mut out)?;
        return out.flush();
    }
    if std::fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir()) {
        let mut out = BufWriter::with_capacity(1 << 18, open_special(path)?);
        write_tree(tree, from, &mut out)?;
        return out.flush();
    }
    let mut file = tempfile::Builder::new()
        .prefix(".dirdash-export-")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(parent_dir(path))?;
    {
        let mut out = BufWriter::with_capacity(1 << 18, file.as_file_mut());
        write_tree(tree, from, &mut out)?;
        out.flush()?;
    }
    file.as_file().sync_data()?;
    let persisted = if force {
        file.persist(path)
    } else {
        file.persist_noclobber(path)
    };
    persisted.map(drop).map_err(|e| e.error)
}

/// Opens a device or a pipe for writing. A pipe nobody reads would block
/// the open for good (and a stop with it): opened without blocking, it
/// fails at once with ENXIO instead; then writes block again, as a reader
/// is there to drain them.
fn open_special(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::NXIO.raw_os_error() => io::Error::new(
                io::ErrorKind::BrokenPipe,
                "a pipe that nobody reads (start its reader first)",
            ),
            _ => e,
        })?;
    let flags = rustix::fs::fcntl_getfl(&file)?;
    rustix::fs::fcntl_setfl(&file, flags - rustix::fs::OFlags::NONBLOCK)?;
    Ok(file)
}

/// The whole document, for the subtree of `from` (its name is its full path,
/// as ncdu names the directory it scanned).
pub fn write_tree(tree: &JobTree, from: Node, out: &mut impl Write) -> io::Result<()> {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    out.write_all(b"[1,2,{\"progname\":\"dirdash\",\"progver\":\"")?;
    out.write_all(env!("CARGO_PKG_VERSION").as_bytes())?;
    out.write_all(b"\",\"timestamp\":")?;
    number(out, timestamp)?;
    out.write_all(b"},\n")?;

    let top = tree.dir(from);
    let own = if from == ROOT {
        tree.root_size()
    } else {
        top.and_then(|d| tree.entry(d.parent()?, d.slot()?))
            .map_or(OwnSize::default(), |e| OwnSize {
                size: e.size,
                blocks: e.blocks,
            })
    };
    out.write_all(b"[{\"name\":")?;
    let name = tree
        .path_of(from)
        .unwrap_or_else(|| tree.root_path().to_path_buf());
    string(out, name.as_os_str().as_bytes())?;
    sizes(out, own.size, own.blocks * 512)?;
    out.write_all(b",\"dev\":")?;
    number(out, tree.base(from).dev)?;
    if top.is_none_or(|d| !d.is_read()) {
        out.write_all(b",\"read_error\":true")?;
    }
    out.write_all(b"}")?;

    // Directories being written, each with the offset of its next entry;
    // a stack, not recursion: trees can be deeper than a thread's stack.
    let mut open: Vec<(Node, usize)> = vec![(from, 0)];
    while let Some((node, next)) = open.last_mut() {
        let here = *node;
        let Some((entry, after)) = listing::decode(tree.listing(here), *next, &tree.base(here))
        else {
            out.write_all(b"]")?;
            open.pop();
            continue;
        };
        *next = after;
        if entry.kind == EntryKind::Removed {
            continue;
        }
        out.write_all(b",\n")?;
        if entry.kind != EntryKind::Dir {
            leaf(out, &entry)?;
            continue;
        }
        out.write_all(b"[{\"name\":")?;
        string(out, entry.name)?;
        if entry.other_fs {
            // ncdu lists such a directory without sizes or contents.
            out.write_all(b",\"excluded\":\"otherfs\"}]")?;
            continue;
        }
        sizes(out, entry.size, entry.disk())?;
        match tree.dir(entry.node) {
            Some(child) if entry.entered() => {
                let dev = tree.base(entry.node).dev;
                if dev != tree.base(here).dev {
                    out.write_all(b",\"dev\":")?;
                    number(out, dev)?;
                }
                if !child.is_read() {
                    out.write_all(b",\"read_error\":true")?;
                }
                out.write_all(b"}")?;
                open.push((entry.node, 0));
            }
            // Queued but never read: the scan was stopped first.
            _ => out.write_all(b",\"read_error\":true}]")?,
        }
    }
    out.write_all(b"]\n")
}

/// A file, link, socket..., or an entry that could not be stat'ed or was
/// excluded.
fn leaf(out: &mut impl Write, entry: &Entry) -> io::Result<()> {
    out.write_all(b"{\"name\":")?;
    string(out, entry.name)?;
    match entry.kind {
        EntryKind::Unreadable => return out.write_all(b",\"read_error\":true}"),
        EntryKind::Excluded => return out.write_all(b",\"excluded\":\"pattern\"}"),
        _ => {}
    }
    sizes(out, entry.size, entry.disk())?;
    if entry.kind != EntryKind::File {
        out.write_all(b",\"notreg\":true")?;
    }
    if entry.kind == EntryKind::Symlink {
        // What ncdu -e writes: a link's mode (on Linux always 0777), so
        // that a reader can count links apart from other special files.
        out.write_all(b",\"mode\":41471")?;
    }
    if entry.is_hard_link() {
        out.write_all(b",\"ino\":")?;
        number(out, entry.ino)?;
        out.write_all(b",\"hlnkc\":true,\"nlink\":")?;
        number(out, entry.nlink)?;
    }
    out.write_all(b"}")
}

/// `asize` and `dsize`, left out when zero, as ncdu does.
fn sizes(out: &mut impl Write, asize: u64, dsize: u64) -> io::Result<()> {
    if asize > 0 {
        out.write_all(b",\"asize\":")?;
        number(out, asize)?;
    }
    if dsize > 0 {
        out.write_all(b",\"dsize\":")?;
        number(out, dsize)?;
    }
    Ok(())
}

fn number(out: &mut impl Write, n: u64) -> io::Result<()> {
    out.write_all(itoa::Buffer::new().format(n).as_bytes())
}

/// A JSON string of raw bytes, escaped as ncdu escapes them.
fn string(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut plain_from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f | 0x7f => b"",
            _ => continue,
        };
        out.write_all(&bytes[plain_from..i])?;
        if escape.is_empty() {
            write!(out, "\\u{b:04x}")?;
        } else {
            out.write_all(escape)?;
        }
        plain_from = i + 1;
    }
    out.write_all(&bytes[plain_from..])?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        string(&mut out, bytes).unwrap();
        out
    }

    #[test]
    fn names_are_escaped_as_ncdu_escapes_them() {
        assert_eq!(escaped(b"plain"), b"\"plain\"");
        assert_eq!(escaped(b"q\"b\\s"), b"\"q\\\"b\\\\s\"");
        assert_eq!(escaped(b"new\nline\ttab"), b"\"new\\nline\\ttab\"");
        assert_eq!(escaped(b"\x01ctl\x7fdel"), b"\"\\u0001ctl\\u007fdel\"");
        // Bytes from 0x80 up, valid UTF-8 or not, are written as they are.
        assert_eq!(escaped(b"bad\xff\xfe"), b"\"bad\xff\xfe\"");
        assert_eq!(escaped("é".as_bytes()), "\"é\"".as_bytes());
    }
}

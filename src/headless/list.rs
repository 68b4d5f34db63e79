//! `--list`: the paths of regular files on stdout as they are found.

use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// `--list` output: every path followed by the separator, flushed per batch
/// so that a reader sees paths as they are found.
pub(super) struct ListWriter {
    out: io::BufWriter<io::Stdout>,
    separator: u8,
}

impl ListWriter {
    pub(super) fn new(separator: u8) -> ListWriter {
        ListWriter {
            out: io::BufWriter::with_capacity(64 * 1024, io::stdout()),
            separator,
        }
    }

    pub(super) fn write(&mut self, paths: &[PathBuf]) -> io::Result<()> {
        for path in paths {
            self.out.write_all(path.as_os_str().as_bytes())?;
            self.out.write_all(&[self.separator])?;
        }
        self.out.flush()
    }
}

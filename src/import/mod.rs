//! `-f FILE`: an ncdu JSON export (written by `ncdu -o`, `gdu -o` or
//! `dirdash --export`) read into a job's tree, as a scan of the same tree
//! would have built it, and counted by the same rules. Read as a stream
//! (`-` is standard input): a million entries cost the tree's memory.
//! What is not an export is refused with where it went wrong.

mod build;
mod parse;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeSeed;

use crate::scan::{JobStats, Totals};
use crate::tree::JobTree;
use build::Builder;

/// A tree read from an export.
#[derive(Debug)]
pub struct Imported {
    pub root: Arc<Path>,
    pub tree: JobTree,
    pub totals: Totals,
    pub stats: JobStats,
    pub elapsed: Duration,
}

/// Why an export could not be read.
#[derive(Debug)]
pub struct ImportError {
    /// The file, or "standard input".
    pub source: String,
    pub message: String,
    /// Where it went wrong, when the parser knows (1-based).
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// Deep trees nest as deep in the file; the parser recurses once a level.
const STACK: usize = 512 << 20;
/// What ncdu 2's binary export starts with.
const BINARY_MAGIC: &[u8] = b"\xbfncduEX1";

/// Reads the export at `path` (`-`: standard input); `progress` hears the
/// entries read so far, now and then.
pub fn import(path: &Path, progress: impl FnMut(u64) + Send) -> Result<Imported, ImportError> {
    let source = if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let fail = |message: String| ImportError {
        source: source.clone(),
        message,
        line: None,
        column: None,
    };
    let input: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        match File::open(path) {
            Ok(file) if file.metadata().is_ok_and(|m| m.is_dir()) => {
                return Err(fail(
                    "a directory, not an export (scan it: dirdash DIR)".into(),
                ));
            }
            Ok(file) => Box::new(file),
            Err(e) => return Err(fail(format!("cannot open it: {e}"))),
        }
    };
    let mut reader = BufReader::with_capacity(256 * 1024, input);
    let start = reader
        .fill_buf()
        .map_err(|e| fail(format!("cannot read it: {e}")))?;
    if start.is_empty() {
        return Err(fail("empty: not an ncdu export".into()));
    }
    if start.starts_with(BINARY_MAGIC) {
        return Err(fail(
            "ncdu's binary export, which dirdash does not read: export with `ncdu -o` (JSON)"
                .into(),
        ));
    }
    let started = Instant::now();
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("dirdash-import".into())
            .stack_size(STACK)
            .spawn_scoped(scope, move || read(reader, progress))
            .map_err(|e| fail(format!("cannot start reading it: {e}")))?
            .join()
            .map_err(|_| fail("the reader failed".into()))?
            .map_err(|e| located(&source, &e))
    })?;
    let tree = outcome
        .tree
        .ok_or_else(|| fail("no directory tree in the export".into()))?;
    Ok(Imported {
        root: Arc::clone(tree.root_path()),
        tree,
        totals: outcome.totals,
        stats: outcome.stats,
        elapsed: started.elapsed(),
    })
}

fn read(reader: impl Read, mut progress: impl FnMut(u64)) -> Result<Builder, serde_json::Error> {
    let mut builder = Builder::new();
    let mut de = serde_json::Deserializer::from_reader(reader);
    de.disable_recursion_limit();
    parse::Document {
        builder: &mut builder,
        progress: &mut progress,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(builder)
}

fn located(source: &str, e: &serde_json::Error) -> ImportError {
    use serde_json::error::Category;
    let message = match e.classify() {
        Category::Eof => "ends too early: a truncated export?".to_owned(),
        Category::Io => format!("cannot read it: {e}"),
        Category::Data if plain(e).starts_with(build::BEYOND) => plain(e),
        Category::Syntax | Category::Data => format!("not an ncdu JSON export: {}", plain(e)),
    };
    ImportError {
        source: source.to_owned(),
        message,
        line: (e.line() > 0).then_some(e.line()),
        column: (e.line() > 0).then_some(e.column()),
    }
}

/// serde_json's message without its own "at line L column C".
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

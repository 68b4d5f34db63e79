//! The subcommands: `history` and `diff` (reading the history file, no
//! scan), `completions` and the manual page.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Command;
use crate::history::{DiffError, History};
use crate::report;
use crate::scan;

/// Directories listed by `diff` when not told.
const DIFF_ROWS: usize = 20;

/// Runs `command` against the history `file`; returns the exit status.
pub fn run(command: Command, file: Option<PathBuf>) -> i32 {
    if let Command::Completions { shell } = command {
        return completions(shell);
    }
    let Some(file) = file else {
        crate::say!(
            "dirdash: no history file: neither XDG_STATE_HOME nor HOME is set (give --history-file)"
        );
        return 2;
    };
    match command {
        Command::History { json, dir } => history(&file, json, dir.as_deref()),
        Command::Diff {
            json,
            from,
            to,
            limit,
            dir,
        } => {
            let limit = match limit {
                Some(0) => None,
                Some(n) => Some(n),
                None if json => None,
                None => Some(DIFF_ROWS),
            };
            diff(&file, json, from, to, limit, &dir)
        }
        Command::Completions { .. } => 0,
    }
}

/// `dirdash completions SHELL`: the script on standard output.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut cli = crate::cli::Cli::documented();
    clap_complete::generate(shell, &mut cli, "dirdash", &mut std::io::stdout());
    0
}

/// The manual pages, in roff, from the command line's definitions:
/// `dirdash.1` and `dirdash-SUBCOMMAND.1` (`cargo run --example man -- doc`).
pub fn man_pages(dir: &Path) -> std::io::Result<()> {
    clap_mangen::generate_to(crate::cli::Cli::documented(), dir)
}

fn print(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn history(file: &Path, json: bool, dir: Option<&Path>) -> i32 {
    let dir = dir.map(scan::absolute);
    let scans = match History::open_existing(file) {
        Ok(Some(history)) => match history.scans(dir.as_deref()) {
            Ok(scans) => scans,
            Err(e) => {
                crate::say!("dirdash: history: {e}");
                return 1;
            }
        },
        Ok(None) => Vec::new(),
        Err(e) => {
            crate::say!("dirdash: history: {e}");
            return 1;
        }
    };
    if json {
        print(&report::history::scans_json(file, &scans));
    } else if scans.is_empty() {
        crate::say!("dirdash: no scans recorded in {}", file.display());
    } else {
        print(&report::history::scans_table(&scans));
    }
    0
}

fn diff(
    file: &Path,
    json: bool,
    from: Option<i64>,
    to: Option<i64>,
    limit: Option<usize>,
    dir: &Path,
) -> i32 {
    let root = scan::absolute(dir);
    let history = match History::open_existing(file) {
        Ok(Some(history)) => history,
        Ok(None) => {
            let e = DiffError::NotEnough {
                root: root.clone(),
                complete: 0,
            };
            crate::say!("dirdash: diff: {e} (no history at {})", file.display());
            return 2;
        }
        Err(e) => {
            crate::say!("dirdash: diff: {e}");
            return 1;
        }
    };
    match history.diff(&root, from, to) {
        Ok(diff) => {
            if json {
                print(&report::history::diff_json(&diff, &root, limit));
            } else {
                print(&report::history::diff_table(&diff, &root, limit));
            }
            0
        }
        Err(DiffError::History(e)) => {
            crate::say!("dirdash: diff: {e}");
            1
        }
        Err(e) => {
            crate::say!("dirdash: diff: {e}");
            2
        }
    }
}

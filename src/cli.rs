//! The command line (clap definitions only).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::scan;

const AFTER_HELP: &str = "\
Without --headless, dirdash opens a dashboard on the terminal (drawn on stderr,
so stdout carries only the final summary). Add directories at its prompt with
`a`; stop with `q` or Ctrl-C; `?` lists every key.

Counting: files are regular files, every hard link counted; dirs are the
directories below each root; bytes is the sum of apparent sizes; disk is the
space allocated, every inode once (like `du -s -B1`).

History: every scan the dashboard makes (and a headless one with --history)
is recorded in $XDG_STATE_HOME/dirdash/history.sqlite3; a rescan of the same
DIR with the same counting options shows its progress against the last one,
and what changed. `dirdash history` lists the scans, `dirdash diff DIR` shows
what grew. A directory named `history` or `diff` is given as `./history`.

Config: defaults for the options come from a TOML file (see --config), its
keys named as the long options (`threads = 4`, `exclude = [\"*.o\"]`,
`read-only = true`, `history = false`, `color = false`); the command line
overrides it, and each flag that turns a setting on has one that undoes it.

Exit status: 0 done; 1 done with errors, a root that could not be read or an
export that could not be written; 2 usage error or no terminal; 130/143/129
stopped by SIGINT/SIGTERM/SIGHUP, after printing the partial summary.";

/// `--depth`: the listing is built and printed by recursion, one level a
/// call; no screen or script reads 1000 levels of it.
const MAX_DEPTH: i64 = 1000;

#[derive(Debug, Parser)]
#[command(
    name = "dirdash",
    version,
    about = "Scan directory trees in parallel, live in a terminal dashboard or headless.",
    after_help = AFTER_HELP
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Directories to scan (more can be added from the dashboard's prompt).
    #[arg(value_name = "DIR")]
    pub roots: Vec<PathBuf>,

    /// No dashboard: scan the DIRs, then print the summary.
    #[arg(long)]
    pub headless: bool,

    /// Worker threads [default: twice the cores, 16 to 64{here}]
    #[arg(short = 'j', long = "threads", value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=scan::MAX_THREADS as i64))]
    pub threads: Option<u32>,

    /// Print the summary as JSON on stdout.
    #[arg(long, conflicts_with = "list")]
    pub json: bool,

    /// Do not enter directories on other filesystems than their root.
    #[arg(short = 'x', long, overrides_with = "cross_file_system")]
    pub one_file_system: bool,

    /// Enter every filesystem (the default; undoes `one-file-system` of the
    /// config file).
    #[arg(long, overrides_with = "one_file_system")]
    pub cross_file_system: bool,

    /// Follow symbolic links; each directory is entered once and a loop is
    /// reported as an error.
    #[arg(short = 'L', long, overrides_with = "no_follow_links")]
    pub follow_links: bool,

    /// Count symbolic links as links (the default; undoes `follow-links`).
    #[arg(long, overrides_with = "follow_links")]
    pub no_follow_links: bool,

    /// Skip entries whose name or path below the root matches GLOB
    /// (repeatable; `*` stays within one path component, `**` crosses them).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Read --exclude patterns from FILE, one a line (blank lines and lines
    /// starting with `#` are skipped); repeatable.
    #[arg(long, value_name = "FILE")]
    pub exclude_from: Vec<PathBuf>,

    /// Skip directories below the roots holding a valid CACHEDIR.TAG (as
    /// ncdu and tar do).
    #[arg(long, overrides_with = "include_caches")]
    pub exclude_caches: bool,

    /// Enter tagged caches (the default; undoes `exclude-caches`).
    #[arg(long, overrides_with = "exclude_caches")]
    pub include_caches: bool,

    /// Skip the kernel's filesystems (/proc, /sys, debugfs, cgroup...) below
    /// the roots, told by their filesystem type.
    #[arg(long, overrides_with = "include_kernfs")]
    pub exclude_kernfs: bool,

    /// Enter kernel filesystems (the default; undoes `exclude-kernfs`).
    #[arg(long, overrides_with = "exclude_kernfs")]
    pub include_kernfs: bool,

    /// Sizes in powers of 1000 (kB, MB, GB) instead of 1024 (KiB, MiB, GiB).
    #[arg(long, overrides_with = "no_si")]
    pub si: bool,

    /// Sizes in powers of 1024 (the default; undoes `si`).
    #[arg(long, overrides_with = "si")]
    pub no_si: bool,

    /// Headless: print the path of every regular file found, one a line, as
    /// they are found (the summary then goes to stderr).
    #[arg(long, requires = "headless")]
    pub list: bool,

    /// With --list: separate paths with NUL instead of newline.
    #[arg(short = '0', long = "null", requires = "list")]
    pub null: bool,

    /// Write the scanned tree of DIR to FILE in ncdu's JSON export format,
    /// for browsing with `ncdu -f FILE` or `gdu -f FILE` (one DIR; in the
    /// dashboard, the first directory added). Keeps the tree in memory
    /// while scanning (about 30 bytes an entry). Headless, `-` writes it to
    /// standard output (the summary then goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,

    /// Open FILE, an ncdu JSON export (`ncdu -o`, `gdu -o`, `dirdash
    /// --export`), as a job to browse, instead of scanning; `-` reads
    /// standard input.
    #[arg(short = 'f', long = "import", value_name = "FILE")]
    pub import: Option<PathBuf>,

    /// Let --export (and the dashboard's `e`) replace an existing file.
    #[arg(long)]
    pub force: bool,

    /// Headless: after the summary, list each root's directories down to
    /// depth N with their files, apparent size and disk usage, largest
    /// first (in --json: a `tree` object per job); N is at most 1000.
    #[arg(long, value_name = "N", requires = "headless",
          value_parser = clap::value_parser!(u16).range(0..=MAX_DEPTH))]
    pub depth: Option<u16>,

    /// Dashboard: never delete nor move to the trash (the browser's `d` and
    /// `t` say why).
    #[arg(long, conflicts_with = "headless", overrides_with = "enable_delete")]
    pub read_only: bool,

    /// Dashboard: allow deleting (the default; undoes `read-only`).
    #[arg(long, overrides_with = "read_only")]
    pub enable_delete: bool,

    /// Dashboard: keep no tree of the directories scanned (for huge scans on
    /// small machines: about 30 bytes an entry are saved). The browser is
    /// then unavailable; an export still keeps its job's tree.
    #[arg(long, conflicts_with = "headless", overrides_with = "tree")]
    pub no_tree: bool,

    /// Dashboard: keep each job's tree for the browser (the default; undoes
    /// `no-tree`).
    #[arg(long, overrides_with = "no_tree")]
    pub tree: bool,

    /// Record this scan in the history: headless, which does not by default;
    /// the dashboard, when the config file says `history = false`.
    #[arg(long, overrides_with = "no_history")]
    pub history: bool,

    /// Neither read nor write the history: no progress against the last
    /// scan, no change since it, nothing recorded.
    #[arg(long, overrides_with = "history")]
    pub no_history: bool,

    /// The history file [default: $XDG_STATE_HOME/dirdash/history.sqlite3,
    /// or ~/.local/state/dirdash/history.sqlite3].
    #[arg(long, value_name = "PATH", global = true)]
    pub history_file: Option<PathBuf>,

    /// Complete scans kept per directory and options; older ones are
    /// dropped when a new one is recorded [default: 20].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub history_keep: Option<u32>,

    /// Read defaults from this config file [default: {config}].
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Read no config file (not even the one --config names).
    #[arg(long, global = true)]
    pub no_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a completion script for SHELL (bash, zsh, fish, elvish,
    /// powershell) on standard output.
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// List the recorded scans, newest first: of DIR, or of every directory.
    History {
        /// Print them as JSON.
        #[arg(long)]
        json: bool,
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Show the directories of DIR whose disk usage changed most between two
    /// complete scans (by default the last two), new and vanished ones
    /// included, with the change of DIR's total.
    Diff {
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
        /// The earlier scan's id (see `dirdash history`) [default: the one
        /// before --to].
        #[arg(long, value_name = "ID")]
        from: Option<i64>,
        /// The later scan's id [default: the newest complete scan].
        #[arg(long, value_name = "ID")]
        to: Option<i64>,
        /// How many directories to list, largest change first; 0 lists every
        /// one [default: 20, with --json all].
        #[arg(short = 'n', long, value_name = "N")]
        limit: Option<usize>,
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

impl Cli {
    /// The help text, with this machine's default thread count and config
    /// file filled in.
    pub fn command() -> clap::Command {
        let config = crate::config::default_path().map_or_else(
            || "none: neither XDG_CONFIG_HOME nor HOME is set".to_owned(),
            |path| path.display().to_string(),
        );
        let threads = format!(" (here: {})", scan::default_threads());
        Cli::filled(threads, config)
    }

    /// The command as documented (the man page, completions): the same on
    /// every machine.
    pub fn documented() -> clap::Command {
        Cli::filled(
            String::new(),
            "$XDG_CONFIG_HOME/dirdash/config.toml, or ~/.config/dirdash/config.toml".to_owned(),
        )
    }

    fn filled(threads: String, config: String) -> clap::Command {
        let fill = |key: &'static str, value: String| {
            move |arg: clap::Arg| {
                let help = arg
                    .get_help()
                    .map(|h| h.to_string().replace(key, &value))
                    .unwrap_or_default();
                arg.help(help)
            }
        };
        <Cli as clap::CommandFactory>::command()
            .mut_arg("threads", fill("{here}", threads))
            .mut_arg("config", fill("{config}", config))
    }

    pub fn parse_args() -> Cli {
        let matches = Cli::command().get_matches();
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

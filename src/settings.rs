//! What the options are once the config file and the command line are put
//! together: the command line wins (a flag or its negation), lists add up
//! (the file's patterns, then `--exclude-from` files, then `--exclude`),
//! the file fills in what the command line left unsaid.

use std::path::{Path, PathBuf};

use crate::cli::Cli;
use crate::config::{self, Config};

#[derive(Debug)]
pub struct Settings {
    pub threads: Option<usize>,
    pub one_file_system: bool,
    pub follow_links: bool,
    pub exclude: Vec<String>,
    pub exclude_caches: bool,
    pub exclude_kernfs: bool,
    pub si: bool,
    pub read_only: bool,
    pub no_tree: bool,
    /// `Some(true)`: every scan is recorded, headless ones too (`--history`,
    /// `history = true`); `Some(false)`: the history is neither read nor
    /// written; `None`: the dashboard's scans are recorded.
    pub history: Option<bool>,
    pub history_file: Option<PathBuf>,
    pub history_keep: usize,
    pub color: bool,
}

/// Why the settings cannot be made: printed, exit status 2.
#[derive(Debug)]
pub struct SettingsError(pub String);

/// A flag, its negation and the file's value.
fn flag(on: bool, off: bool, file: Option<bool>) -> bool {
    if on {
        true
    } else if off {
        false
    } else {
        file.unwrap_or(false)
    }
}

pub fn resolve(cli: &Cli) -> Result<Settings, SettingsError> {
    let file = if cli.no_config {
        Config::default()
    } else {
        match (&cli.config, config::default_path()) {
            (Some(path), _) => config::load(path, true),
            (None, Some(path)) => config::load(&path, false),
            (None, None) => Ok(Config::default()),
        }
        .map_err(|e| SettingsError(format!("config {e}")))?
    };
    let mut exclude = file.exclude.clone().unwrap_or_default();
    let from_file = file.exclude_from.iter().flatten();
    for path in from_file.chain(&cli.exclude_from) {
        exclude.extend(read_patterns(path)?);
    }
    exclude.extend(cli.exclude.iter().cloned());
    Ok(Settings {
        threads: cli.threads.or(file.threads).map(|n| n as usize),
        one_file_system: flag(
            cli.one_file_system,
            cli.cross_file_system,
            file.one_file_system,
        ),
        follow_links: flag(cli.follow_links, cli.no_follow_links, file.follow_links),
        exclude,
        exclude_caches: flag(cli.exclude_caches, cli.include_caches, file.exclude_caches),
        exclude_kernfs: flag(cli.exclude_kernfs, cli.include_kernfs, file.exclude_kernfs),
        si: flag(cli.si, cli.no_si, file.si),
        read_only: flag(cli.read_only, cli.enable_delete, file.read_only),
        no_tree: cli.no_tree || file.no_tree.unwrap_or(false),
        history: if cli.no_history {
            Some(false)
        } else if cli.history {
            Some(true)
        } else {
            file.history
        },
        history_file: cli
            .history_file
            .clone()
            .or(file.history_file)
            .or_else(crate::history::default_path),
        history_keep: cli
            .history_keep
            .or(file.history_keep)
            .map_or(crate::history::KEEP, |n| n as usize),
        color: file.color.unwrap_or(true),
    })
}

/// `--exclude-from FILE`: a pattern a line; blank lines and `#` comments
/// are skipped.
fn read_patterns(path: &Path) -> Result<Vec<String>, SettingsError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SettingsError(format!("--exclude-from {}: {e}", path.display())))?;
    Ok(text
        .lines()
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(str::to_owned)
        .collect())
}

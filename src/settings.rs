//! What the options are once the config file and the command line are put
//! together: the command line wins (a flag or its negation), lists add up
//! (the file's patterns, then `--exclude-from` files, then `--exclude`),
//! the file fills in what the command line left unsaid.

use std::path::PathBuf;

use crate::cli::Cli;
use crate::config::{self, Config};
use crate::scan::Exclude;

#[derive(Debug)]
pub struct Settings {
    pub threads: Option<usize>,
    pub one_file_system: bool,
    pub follow_links: bool,
    /// Every pattern: the file's, the `--exclude-from` lists', the
    /// command line's.
    pub exclude: Exclude,
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
    let config_path = match cli.no_config {
        true => None,
        false => cli.config.clone().or_else(config::default_path),
    };
    let file = match &config_path {
        // Only a file named with --config must exist.
        Some(path) => config::load(path, cli.config.is_some())
            .map_err(|e| SettingsError(format!("config {e}")))?,
        None => Config::default(),
    };
    let named = config_path
        .as_ref()
        .map_or(String::new(), |p| p.display().to_string());
    let mut exclude = file.exclude.clone().unwrap_or_default();
    checked(&exclude, || format!("config {named}: exclude"))?;
    // Patterns matter to scans only: a subcommand does not read the lists.
    let scans = cli.command.is_none();
    let in_config = format!("config {named}: exclude-from");
    let from_file = file.exclude_from.iter().flatten().filter(|_| scans);
    let lists = from_file
        .map(|path| (path, in_config.as_str()))
        .chain(cli.exclude_from.iter().map(|path| (path, "--exclude-from")));
    for (path, source) in lists {
        let label = || format!("{source} {}", path.display());
        let text = std::fs::read_to_string(path)
            .map_err(|e| SettingsError(format!("{}: {e}", label())))?;
        let patterns = patterns_of(&text);
        checked(&patterns, label)?;
        exclude.extend(patterns);
    }
    checked(&cli.exclude, || "--exclude".to_owned())?;
    exclude.extend(cli.exclude.iter().cloned());
    // Each source was checked: together they compile.
    let exclude = Exclude::new(&exclude)
        .map_err(|e| SettingsError(format!("--exclude: bad pattern: {e}")))?;
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
        no_tree: flag(cli.no_tree, cli.tree, file.no_tree),
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

/// Refuses a bad pattern, saying where it came from.
fn checked(patterns: &[String], source: impl Fn() -> String) -> Result<(), SettingsError> {
    Exclude::new(patterns)
        .map(drop)
        .map_err(|e| SettingsError(format!("{}: bad pattern: {e}", source())))
}

/// `--exclude-from FILE`: a pattern a line; blank lines and `#` comments
/// are skipped.
fn patterns_of(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(str::to_owned)
        .collect()
}

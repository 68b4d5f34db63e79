//! The config file: defaults for the options, its keys named as the long
//! options (`threads = 4`, `one-file-system = true`, `exclude = ["*.o"]`).
//! Read from `--config PATH`, or `$XDG_CONFIG_HOME/dirdash/config.toml`
//! (`~/.config/dirdash/config.toml`); a missing default file is no error,
//! anything else wrong with it is refused with the file, line and key.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What a config file may set.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub threads: Option<u32>,
    pub one_file_system: Option<bool>,
    pub follow_links: Option<bool>,
    pub exclude: Option<Vec<String>>,
    pub exclude_from: Option<Vec<PathBuf>>,
    pub exclude_caches: Option<bool>,
    pub exclude_kernfs: Option<bool>,
    pub si: Option<bool>,
    pub read_only: Option<bool>,
    pub no_tree: Option<bool>,
    /// `false` is `--no-history`.
    pub history: Option<bool>,
    pub history_file: Option<PathBuf>,
    pub history_keep: Option<u32>,
    /// `false`: no colours (as `NO_COLOR`).
    pub color: Option<bool>,
}

/// A config file that cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based, where the parser knows.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// `$XDG_CONFIG_HOME/dirdash/config.toml`, or under `~/.config`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|dir| Path::new(dir).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("dirdash").join("config.toml"))
}

/// Reads the file at `path`; `required` says whether a missing one is an
/// error (it is when named with `--config`).
pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(Config::default());
        }
        // Run as another user with this HOME (`sudo -u`): said, not fatal.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && !required => {
            crate::say!(
                "dirdash: config {}: cannot read it ({e}); going on without it",
                path.display()
            );
            return Ok(Config::default());
        }
        Err(e) => {
            return Err(ConfigError {
                path: path.to_path_buf(),
                line: None,
                message: format!("cannot read it: {e}"),
            });
        }
    };
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let mut config: Config = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let mut message = e.message().trim_end().to_owned();
        // The parser's type errors do not say which key: the line does.
        if let Some(key) = line.and_then(|line| key_on(text, line))
            && !message.contains(&format!("`{key}`"))
        {
            message = format!("{key}: {message}");
        }
        ConfigError {
            path: path.to_path_buf(),
            line,
            message,
        }
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for file in config.exclude_from.iter_mut().flatten() {
        *file = beside(dir, file);
    }
    if let Some(file) = &mut config.history_file {
        *file = beside(dir, file);
    }
    let most = crate::scan::MAX_THREADS as u32;
    if config.threads.is_some_and(|n| n == 0 || n > most) {
        return Err(ConfigError {
            path: path.to_path_buf(),
            line: line_of(text, "threads"),
            message: format!("threads: from 1 to {most}"),
        });
    }
    if config.history_keep == Some(0) {
        return Err(ConfigError {
            path: path.to_path_buf(),
            line: line_of(text, "history-keep"),
            message: "history-keep: at least 1".to_owned(),
        });
    }
    Ok(config)
}

/// A path as the file means it: `~/` is the home directory, a relative
/// path is relative to the config file's directory.
fn beside(dir: &Path, path: &Path) -> PathBuf {
    if let Ok(below_home) = path.strip_prefix("~")
        && let Some(home) = std::env::var_os("HOME")
    {
        return Path::new(&home).join(below_home);
    }
    dir.join(path)
}

/// The key set on `line` (1-based), if it sets one.
fn key_on(text: &str, line: usize) -> Option<&str> {
    let (key, _) = text.lines().nth(line - 1)?.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    bare.then_some(key)
}

/// The line where `key` is set.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> ConfigError {
        parse(Path::new("c.toml"), text).unwrap_err()
    }

    #[test]
    fn keys_are_the_long_options() {
        let config = parse(
            Path::new("c.toml"),
            "threads = 4\none-file-system = true\nexclude = [\"*.o\"]\nsi = true\nhistory = false\n",
        )
        .unwrap();
        assert_eq!(config.threads, Some(4));
        assert_eq!(config.one_file_system, Some(true));
        assert_eq!(config.exclude, Some(vec!["*.o".to_owned()]));
        assert_eq!(config.si, Some(true));
        assert_eq!(config.history, Some(false));
    }

    #[test]
    fn a_bad_file_says_its_line_and_key() {
        let e = error("threads = 4\n\ncolour = true\n");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("colour"), "{e}");
        let e = error("si = true\nthreads = \"four\"\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("threads: invalid type"), "{e}");
        let e = error("threads = [\n");
        assert!(e.line.is_some(), "{e}");
        let e = error("si = true\nthreads = 0\n");
        assert_eq!(
            (e.line, e.message.as_str()),
            (Some(2), "threads: from 1 to 256")
        );
        assert_eq!(
            error("threads = 100000\n").message,
            "threads: from 1 to 256"
        );
    }

    #[test]
    fn paths_are_relative_to_the_file_or_home() {
        let config = parse(
            Path::new("/etc/dd/config.toml"),
            "exclude-from = [\"ignore\", \"/abs/list\"]\nhistory-file = \"~/h.db\"\n",
        )
        .unwrap();
        assert_eq!(
            config.exclude_from,
            Some(vec![
                PathBuf::from("/etc/dd/ignore"),
                PathBuf::from("/abs/list")
            ])
        );
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Some(home) = home {
            assert_eq!(config.history_file, Some(home.join("h.db")));
        }
    }

    #[test]
    fn a_missing_default_file_is_no_error_but_a_named_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.toml");
        assert_eq!(load(&path, false), Ok(Config::default()));
        assert!(load(&path, true).is_err());
    }
}

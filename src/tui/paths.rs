//! What the prompts ask of the filesystem, run by the runtime (never by
//! `update`): `~` expansion, whether a directory can be scanned, where an
//! export may be written, and the directory names that complete a prefix.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::report::ncdu::{self, TargetError};
use crate::report::text;
use crate::scan;

/// `~` and `~/x` become the home directory; other text is unchanged.
pub fn expand_tilde(text: &str, home: Option<&Path>) -> PathBuf {
    match (text.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(text),
    }
}

pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The directory the text names, made absolute, or why it cannot be scanned.
pub fn resolve_root(text: &str, home: Option<&Path>) -> Result<PathBuf, String> {
    let path = expand_tilde(text.trim(), home);
    let shown = path.display().to_string();
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(format!("no such directory: {shown}"));
        }
        Err(e) => return Err(format!("cannot scan {shown}: {}", plain_reason(&e))),
        Ok(meta) if !meta.is_dir() => return Err(format!("not a directory: {shown}")),
        Ok(_) => {}
    }
    scan::check_root(&path).map_err(|e| format!("cannot read {shown}: {}", plain_reason(&e)))
}

/// The file an export should be written to, or why not.
pub fn resolve_export(text: &str, home: Option<&Path>) -> Result<PathBuf, TargetError> {
    let path = scan::absolute(&expand_tilde(text.trim(), home));
    ncdu::check_target(&path, false).map(|()| path)
}

fn plain_reason(e: &io::Error) -> String {
    text::plain_reason(&e.to_string()).to_owned()
}

/// Names of the directories in the text's directory part that start with
/// its last component; hidden ones only when that component starts with `.`.
pub fn candidates(typed: &str, home: Option<&Path>) -> Vec<String> {
    let (dir, prefix) = split_at_last_slash(typed);
    let dir = if dir.is_empty() {
        PathBuf::from(".")
    } else {
        expand_tilde(dir, home)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.as_bytes();
            name.starts_with(prefix.as_bytes())
                && (prefix.starts_with('.') || !name.starts_with(b"."))
        })
        // A link to a directory completes like a directory.
        .filter(|e| std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()))
        .filter_map(|e| OsStr::to_str(&e.file_name()).map(str::to_owned))
        .collect()
}

/// `"~/src/dir"` → `("~/src/", "dir")`.
pub fn split_at_last_slash(text: &str) -> (&str, &str) {
    match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_to_home_only_at_the_start() {
        let home = Path::new("/home/u");
        assert_eq!(expand_tilde("~", Some(home)), PathBuf::from("/home/u"));
        assert_eq!(
            expand_tilde("~/src", Some(home)),
            PathBuf::from("/home/u/src")
        );
        assert_eq!(expand_tilde("a/~", Some(home)), PathBuf::from("a/~"));
        assert_eq!(expand_tilde("~other", Some(home)), PathBuf::from("~other"));
        assert_eq!(expand_tilde("~/x", None), PathBuf::from("~/x"));
    }

    #[test]
    fn a_root_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        let missing = dir.path().join("nope");
        assert_eq!(
            resolve_root(missing.to_str().unwrap(), None).unwrap_err(),
            format!("no such directory: {}", missing.display())
        );
        assert_eq!(
            resolve_root(file.to_str().unwrap(), None).unwrap_err(),
            format!("not a directory: {}", file.display())
        );
        assert_eq!(
            resolve_root(dir.path().to_str().unwrap(), None).unwrap(),
            dir.path()
        );
    }

    #[test]
    fn an_export_target_says_what_is_in_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old.json");
        std::fs::write(&file, b"x").unwrap();
        assert_eq!(
            resolve_export(file.to_str().unwrap(), None),
            Err(TargetError::Exists(file.clone()))
        );
        assert_eq!(
            resolve_export(dir.path().to_str().unwrap(), None),
            Err(TargetError::IsDirectory(dir.path().to_path_buf()))
        );
        let nowhere = dir.path().join("no/x.json");
        assert!(matches!(
            resolve_export(nowhere.to_str().unwrap(), None),
            Err(TargetError::NoDirectory { .. })
        ));
        let new = dir.path().join("new.json");
        assert_eq!(resolve_export(new.to_str().unwrap(), None), Ok(new));
    }

    #[test]
    fn candidates_are_directories_matching_the_prefix() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["alpha", "alps", "beta", ".hidden"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("alfile"), b"").unwrap();
        let base = format!("{}/", dir.path().display());
        let mut found = candidates(&format!("{base}al"), None);
        found.sort();
        assert_eq!(found, ["alpha", "alps"]);
        assert_eq!(candidates(&format!("{base}.h"), None), [".hidden"]);
        assert_eq!(candidates(&base, None).len(), 3);
    }
}

//! The add-directory prompt: a line editor, `~` expansion, Tab completion of
//! directory names, and the checks that refuse bad input with a message.
//! Editing is pure; `resolve` and `candidates` touch the filesystem and are
//! called by the runtime, never by `update`.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::app::ExportRefusal;
use crate::scan;

/// Most candidates listed under the prompt after a second Tab.
pub const CANDIDATES_SHOWN: usize = 200;

#[derive(Debug, Default)]
pub struct Prompt {
    pub input: Input,
    /// Why the last Enter was refused, or what Tab found.
    pub message: Option<String>,
    /// Listed after a second Tab that could not complete further.
    pub candidates: Vec<String>,
    /// The value a Tab left unchanged; another Tab on it lists candidates.
    tab_stalled_on: Option<String>,
}

/// What a key did to the prompt.
#[derive(Debug, PartialEq, Eq)]
pub enum PromptKey {
    /// Enter: check this text and queue it.
    Submit(String),
    /// Esc: close the prompt.
    Close,
    /// Tab: look for completions of this text.
    Complete(String),
    Edited,
    Ignored,
}

impl Prompt {
    pub fn with_value(value: String) -> Prompt {
        Prompt {
            input: Input::new(value),
            ..Prompt::default()
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PromptKey {
        match key.code {
            KeyCode::Enter => return PromptKey::Submit(self.value().to_owned()),
            KeyCode::Esc => return PromptKey::Close,
            KeyCode::Tab => return PromptKey::Complete(self.value().to_owned()),
            _ => {}
        }
        match self.input.handle_event(&Event::Key(key)) {
            Some(change) if change.value => {
                self.message = None;
                self.candidates.clear();
                self.tab_stalled_on = None;
                PromptKey::Edited
            }
            Some(_) => PromptKey::Edited,
            None => PromptKey::Ignored,
        }
    }

    pub fn paste(&mut self, text: &str) {
        let line = text.lines().next().unwrap_or("");
        let value = format!("{}{}", self.value(), line);
        self.input = Input::new(value);
        self.message = None;
    }

    /// Shows why the text was refused, keeping it for correction.
    pub fn refuse(&mut self, message: String) {
        self.message = Some(message);
        self.candidates.clear();
    }

    /// Empties the prompt after a directory was queued.
    pub fn clear(&mut self) {
        *self = Prompt::default();
    }

    /// Applies the directories found for `typed` (the text when Tab was pressed).
    pub fn complete(&mut self, typed: &str, mut names: Vec<String>) {
        if typed != self.value() {
            return; // the user typed on meanwhile
        }
        let (dir, prefix) = split_at_last_slash(typed);
        names.sort();
        match names.len() {
            0 => {
                self.message = Some(format!("no directory matches {prefix:?}"));
                self.candidates.clear();
            }
            1 => {
                self.set_value(format!("{dir}{}/", names[0]));
                self.message = None;
                self.candidates.clear();
            }
            _ => {
                let common = common_prefix(&names);
                if common.len() > prefix.len() {
                    self.set_value(format!("{dir}{common}"));
                    self.message = None;
                } else if self.tab_stalled_on.as_deref() == Some(typed) {
                    self.message = Some(format!("{} directories match", names.len()));
                    names.truncate(CANDIDATES_SHOWN);
                    self.candidates = names;
                } else {
                    self.tab_stalled_on = Some(typed.to_owned());
                    self.message = Some(format!(
                        "{} directories match; Tab again to list them",
                        names.len()
                    ));
                }
            }
        }
    }

    fn set_value(&mut self, value: String) {
        self.input = Input::new(value);
        self.tab_stalled_on = None;
    }
}

/// `"~/src/dir"` → `("~/src/", "dir")`.
fn split_at_last_slash(text: &str) -> (&str, &str) {
    match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    }
}

fn common_prefix(names: &[String]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let mut len = first.len();
    for name in &names[1..] {
        len = first
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    first[..len].to_owned()
}

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
pub fn resolve(text: &str, home: Option<&Path>) -> Result<PathBuf, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type the directory to scan (Esc closes the prompt)".to_owned());
    }
    let path = expand_tilde(text, home);
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
pub fn resolve_export(text: &str, home: Option<&Path>) -> Result<PathBuf, ExportRefusal> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ExportRefusal::Invalid(
            "type the file to write (Esc closes the prompt)".to_owned(),
        ));
    }
    let path = scan::absolute(&expand_tilde(text, home));
    match crate::report::ncdu::check_target(&path, false) {
        Ok(()) => Ok(path),
        Err(_) if path.is_file() => Err(ExportRefusal::Exists(path)),
        Err(why) => Err(ExportRefusal::Invalid(why)),
    }
}

fn plain_reason(e: &io::Error) -> String {
    crate::report::text::plain_reason(&e.to_string()).to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(text: &str) -> Prompt {
        let mut p = Prompt::default();
        for c in text.chars() {
            p.handle_key(key(KeyCode::Char(c)));
        }
        p
    }

    #[test]
    fn typing_edits_and_enter_submits_the_text() {
        let mut p = typed("/tmpx");
        p.handle_key(key(KeyCode::Backspace));
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            PromptKey::Submit("/tmp".into())
        );
        assert_eq!(p.handle_key(key(KeyCode::Esc)), PromptKey::Close);
    }

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
    fn a_unique_completion_fills_the_name_and_a_slash() {
        let mut p = typed("/srv/pro");
        p.complete("/srv/pro", vec!["projects".into()]);
        assert_eq!(p.value(), "/srv/projects/");
    }

    #[test]
    fn ambiguous_completions_extend_the_common_prefix_then_list_on_a_second_tab() {
        let mut p = typed("/srv/p");
        p.complete("/srv/p", vec!["proj_b".into(), "proj_a".into()]);
        assert_eq!(p.value(), "/srv/proj_");
        p.complete("/srv/proj_", vec!["proj_b".into(), "proj_a".into()]);
        assert!(p.candidates.is_empty());
        assert!(p.message.as_deref().unwrap().contains("Tab again"));
        p.complete("/srv/proj_", vec!["proj_b".into(), "proj_a".into()]);
        assert_eq!(p.candidates, ["proj_a", "proj_b"]);
    }

    #[test]
    fn no_completion_says_so_and_keeps_the_text() {
        let mut p = typed("zz");
        p.complete("zz", vec![]);
        assert_eq!(p.value(), "zz");
        assert!(
            p.message
                .as_deref()
                .unwrap()
                .contains("no directory matches")
        );
    }

    #[test]
    fn editing_clears_the_message() {
        let mut p = typed("x");
        p.refuse("no such directory: x".into());
        p.handle_key(key(KeyCode::Char('y')));
        assert_eq!(p.message, None);
        assert_eq!(p.value(), "xy");
    }

    #[test]
    fn resolve_refuses_bad_input_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        assert!(
            resolve("  ", None)
                .unwrap_err()
                .contains("type the directory")
        );
        let missing = dir.path().join("nope");
        assert_eq!(
            resolve(missing.to_str().unwrap(), None).unwrap_err(),
            format!("no such directory: {}", missing.display())
        );
        assert_eq!(
            resolve(file.to_str().unwrap(), None).unwrap_err(),
            format!("not a directory: {}", file.display())
        );
        assert_eq!(
            resolve(dir.path().to_str().unwrap(), None).unwrap(),
            dir.path()
        );
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

//! The prompt: a line editor that knows what it asks for (a directory to
//! add, or a file to export a job to), Tab completion of directory names,
//! and the refusals it shows until the text is corrected. Pure: the checks
//! that need the filesystem are actions the runtime performs.

use std::path::PathBuf;

use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::scan::JobId;
use crate::tree::Node;
use crate::tui::paths::split_at_last_slash;

/// Most candidates listed under the prompt after a second Tab.
pub const CANDIDATES_SHOWN: usize = 200;

/// What the prompt asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    AddRoot,
    /// A file to write the tree of this job's directory `node` to.
    /// `replace` is the file last refused because it exists: Enter on it
    /// again replaces it.
    Export {
        job: JobId,
        node: Node,
        replace: Option<PathBuf>,
    },
    /// The text the browser's names must hold; applied as it is typed.
    Filter,
}

#[derive(Debug)]
pub struct Prompt {
    purpose: Purpose,
    input: Input,
    /// Why the last Enter was refused, or what Tab found.
    message: Option<String>,
    /// Listed after a second Tab that could not complete further.
    candidates: Vec<String>,
    /// The value a Tab left unchanged; another Tab on it lists candidates.
    tab_stalled_on: Option<String>,
}

impl Prompt {
    pub fn new(purpose: Purpose, value: String) -> Prompt {
        Prompt {
            purpose,
            input: Input::new(value),
            message: None,
            candidates: Vec::new(),
            tab_stalled_on: None,
        }
    }

    pub fn purpose(&self) -> &Purpose {
        &self.purpose
    }

    pub(super) fn purpose_mut(&mut self) -> &mut Purpose {
        &mut self.purpose
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn input(&self) -> &Input {
        &self.input
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn candidates(&self) -> &[String] {
        &self.candidates
    }

    /// Why Enter cannot go further without looking at the filesystem.
    pub(super) fn blank_refusal(&self) -> Option<&'static str> {
        if !self.value().trim().is_empty() {
            return None;
        }
        match self.purpose {
            Purpose::AddRoot => Some("type the directory to scan (Esc closes the prompt)"),
            Purpose::Export { .. } => Some("type the file to write (Esc closes the prompt)"),
            Purpose::Filter => None,
        }
    }

    /// A key that is not one of the prompt's commands: editing.
    pub(super) fn edit(&mut self, key: KeyEvent) {
        if let Some(change) = self.input.handle_event(&Event::Key(key))
            && change.value
        {
            self.message = None;
            self.candidates.clear();
            self.tab_stalled_on = None;
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        let line = text.lines().next().unwrap_or("");
        let value = format!("{}{}", self.value(), line);
        self.input = Input::new(value);
        self.message = None;
    }

    /// Shows why the text was refused, keeping it for correction.
    pub(super) fn refuse(&mut self, message: String) {
        self.message = Some(message);
        self.candidates.clear();
    }

    /// Applies the directories found for `typed` (the text when Tab was pressed).
    pub(super) fn complete(&mut self, typed: &str, mut names: Vec<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn typed(text: &str) -> Prompt {
        let mut p = Prompt::new(Purpose::AddRoot, String::new());
        for c in text.chars() {
            p.edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        p
    }

    #[test]
    fn typing_edits_and_a_blank_line_is_refused_before_any_check() {
        let mut p = typed("/tmpx");
        p.edit(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(p.value(), "/tmp");
        assert_eq!(p.blank_refusal(), None);
        assert!(
            typed("  ")
                .blank_refusal()
                .unwrap()
                .contains("type the directory")
        );
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
        assert!(p.candidates().is_empty());
        assert!(p.message().unwrap().contains("Tab again"));
        p.complete("/srv/proj_", vec!["proj_b".into(), "proj_a".into()]);
        assert_eq!(p.candidates(), ["proj_a", "proj_b"]);
    }

    #[test]
    fn no_completion_says_so_and_keeps_the_text() {
        let mut p = typed("zz");
        p.complete("zz", vec![]);
        assert_eq!(p.value(), "zz");
        assert!(p.message().unwrap().contains("no directory matches"));
    }

    #[test]
    fn editing_clears_the_message() {
        let mut p = typed("x");
        p.refuse("no such directory: x".into());
        p.edit(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
        assert_eq!(p.message(), None);
        assert_eq!(p.value(), "xy");
    }
}

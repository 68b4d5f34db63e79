//! Fitting text into columns: paths are elided in the middle, where they
//! say least (`/home/me/…/deep/dir`), and never wrapped.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: char = '…';

/// `text` cut to at most `width` columns by dropping its middle.
pub fn elide_middle(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    // Keep more of the end: the deepest directories say where the worker is.
    let budget = width - 1;
    let head_budget = budget / 3;
    let tail_budget = budget - head_budget;
    let mut head = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head_budget {
            break;
        }
        head.push(c);
        used += w;
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_budget {
            break;
        }
        tail.push(c);
        used += w;
    }
    head.push(ELLIPSIS);
    head.extend(tail.into_iter().rev());
    Cow::Owned(head)
}

/// `text` cut to at most `width` columns at its end.
pub fn truncate_end(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push(ELLIPSIS);
    }
    Cow::Owned(out)
}

/// `text` broken into lines of at most `width` columns, at spaces (a word
/// longer than a line is cut).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = if line.is_empty() { 0 } else { line.width() + 1 };
        if !line.is_empty() && needed + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&truncate_end(word, width));
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(elide_middle("/a/b", 10), "/a/b");
    }

    #[test]
    fn long_paths_lose_their_middle_and_fit_exactly() {
        let path = "/home/someone/projects/dirdash/target/debug/deps/very_long_name";
        for width in [1, 5, 20, 40] {
            let cut = elide_middle(path, width);
            assert_eq!(cut.width(), width, "{cut}");
            assert!(cut.contains('…'));
        }
        assert!(elide_middle(path, 30).ends_with("deps/very_long_name"));
        assert!(elide_middle(path, 30).starts_with("/home/so"));
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        let cut = elide_middle("/数据/数据/数据/数据/数据", 11);
        assert!(cut.width() <= 11);
    }

    #[test]
    fn words_wrap_at_spaces_within_the_width() {
        assert_eq!(wrap_words("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap_words("short", 20), ["short"]);
        assert_eq!(wrap_words("", 5), [""]);
        assert_eq!(wrap_words("abcdefgh ij", 4), ["abc…", "ij"]);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate_end("abcdef", 4), "abc…");
        assert_eq!(truncate_end("abc", 4), "abc");
    }
}

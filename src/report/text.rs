//! Paths for one-line messages: valid UTF-8 where possible, control
//! characters (a newline in a file name) escaped so one message stays one line.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

pub fn path(path: &Path) -> Cow<'_, str> {
    match path.to_string_lossy() {
        Cow::Borrowed(text) => escaped(text),
        Cow::Owned(text) => Cow::Owned(escaped(&text).into_owned()),
    }
}

/// `text` with its control characters escaped.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// "Permission denied (os error 13)" → "Permission denied".
pub fn plain_reason(reason: &str) -> &str {
    match reason.find(" (os error ") {
        Some(i) if reason.ends_with(')') => &reason[..i],
        _ => reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn plain_paths_are_borrowed_unchanged() {
        assert!(matches!(path(Path::new("/a/b c")), Cow::Borrowed("/a/b c")));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(path(Path::new("/a/new\nline\x07")), "/a/new\\nline\\u{7}");
    }

    #[test]
    fn reasons_lose_the_os_error_number() {
        assert_eq!(
            plain_reason("Permission denied (os error 13)"),
            "Permission denied"
        );
        assert_eq!(plain_reason("filesystem loop"), "filesystem loop");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let p = Path::new(OsStr::from_bytes(b"/a/bad_\xff"));
        assert_eq!(path(p), "/a/bad_\u{fffd}");
    }
}

//! The README is the users' manual: its key tables are the keymap's.

use dirdash::tui::keymap::{self, DOCUMENTED};

/// The first Markdown table after `heading` in `text`.
fn table_after<'a>(text: &'a str, heading: &str) -> Option<Vec<&'a str>> {
    let at = text.lines().position(|l| l == heading)?;
    let table: Vec<&str> = text
        .lines()
        .skip(at + 1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    Some(table)
}

#[test]
fn the_readme_key_tables_are_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for context in DOCUMENTED {
        let heading = format!("### {}", context.title());
        let expected = keymap::markdown(context);
        let found = table_after(&readme, &heading).unwrap_or_else(|| {
            panic!("README has no {heading:?}; it should be followed by\n{expected}")
        });
        assert_eq!(
            found.join("\n") + "\n",
            expected,
            "the README's table under {heading:?} differs from the keymap"
        );
    }
}

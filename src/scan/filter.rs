//! `--exclude GLOB`: entries skipped entirely, matched against their name and
//! their path relative to the root.

use std::ffi::OsStr;
use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

#[derive(Clone, Debug, Default)]
pub struct Exclude {
    set: Option<GlobSet>,
    /// As given: what a scan is recorded with.
    patterns: Vec<String>,
}

impl Exclude {
    /// Compiles the patterns; `*` stops at `/` and `**` crosses it, as in
    /// gitignore, so `build/*.o` and `**/target` mean what they say.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Exclude, globset::Error> {
        if patterns.is_empty() {
            return Ok(Exclude::default());
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            builder.add(
                GlobBuilder::new(pattern.as_ref())
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()?,
            );
        }
        Ok(Exclude {
            set: Some(builder.build()?),
            patterns: patterns.iter().map(|p| p.as_ref().to_owned()).collect(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_none()
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// True when the entry `name`, at `relative` below the root, is excluded.
    pub fn matches(&self, name: &OsStr, relative: &Path) -> bool {
        self.set
            .as_ref()
            .is_some_and(|set| set.is_match(name) || set.is_match(relative))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_matches_at_any_depth() {
        let ex = Exclude::new(&["node_modules"]).unwrap();
        assert!(ex.matches(OsStr::new("node_modules"), Path::new("a/b/node_modules")));
        assert!(!ex.matches(OsStr::new("node_modules2"), Path::new("node_modules2")));
    }

    #[test]
    fn a_star_does_not_cross_a_slash_but_a_double_star_does() {
        let ex = Exclude::new(&["build/*.o"]).unwrap();
        assert!(ex.matches(OsStr::new("x.o"), Path::new("build/x.o")));
        assert!(!ex.matches(OsStr::new("x.o"), Path::new("build/sub/x.o")));
        let ex = Exclude::new(&["build/**/*.o"]).unwrap();
        assert!(ex.matches(OsStr::new("x.o"), Path::new("build/sub/x.o")));
    }

    #[test]
    fn no_patterns_match_nothing() {
        let ex = Exclude::new::<&str>(&[]).unwrap();
        assert!(ex.is_empty());
        assert!(!ex.matches(OsStr::new("a"), Path::new("a")));
    }

    #[test]
    fn a_bad_pattern_is_an_error() {
        assert!(Exclude::new(&["a[b"]).is_err());
    }
}

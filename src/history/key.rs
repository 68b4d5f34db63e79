//! Which scans compare: the same root, scanned with the same options that
//! change what is counted. Other options (threads, outputs) do not matter.

use serde::Serialize;

use crate::scan::Options;

/// The options that change the counts, as stored in `scans.options`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counting {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_file_system: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub follow_links: bool,
    /// Sorted and without repeats: the order they were given in does not
    /// change what they exclude.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclude_caches: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclude_kernfs: bool,
}

impl Counting {
    pub fn of(options: &Options) -> Counting {
        let mut exclude = options.exclude.patterns().to_vec();
        exclude.sort();
        exclude.dedup();
        Counting {
            one_file_system: options.one_file_system,
            follow_links: options.follow_links,
            exclude,
            exclude_caches: options.exclude_caches,
            exclude_kernfs: options.exclude_kernfs,
        }
    }

    /// The text stored: `{}` for the defaults, so a later option that is
    /// off stays equal to what was recorded before it existed.
    pub fn key(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Exclude;

    #[test]
    fn the_defaults_are_an_empty_object_and_exclude_order_does_not_matter() {
        assert_eq!(Counting::default().key(), "{}");
        let a = Options {
            exclude: Exclude::new(&["b", "a", "b"]).unwrap(),
            one_file_system: true,
            ..Options::default()
        };
        let b = Options {
            exclude: Exclude::new(&["a", "b"]).unwrap(),
            one_file_system: true,
            ..Options::default()
        };
        assert_eq!(Counting::of(&a).key(), Counting::of(&b).key());
        assert_eq!(
            Counting::of(&a).key(),
            r#"{"one_file_system":true,"exclude":["a","b"]}"#
        );
        let caches = Options {
            exclude_caches: true,
            ..Options::default()
        };
        assert_eq!(Counting::of(&caches).key(), r#"{"exclude_caches":true}"#);
    }
}

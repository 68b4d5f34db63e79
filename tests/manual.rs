//! The manual pages in `doc/` and the completion scripts: made from the
//! command line's definitions, current, and readable by `man` and bash.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_dirdash");
/// No user's config file is read.
const NO_CONFIG_HOME: &str = "/nonexistent/dirdash-tests-config";

fn pages(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "1"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn the_manual_pages_in_the_repository_are_current() {
    let fresh = tempfile::tempdir().unwrap();
    dirdash::commands::man_pages(fresh.path()).unwrap();
    let made = pages(fresh.path());
    let names: Vec<_> = made.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "dirdash-completions.1",
            "dirdash-diff.1",
            "dirdash-history.1",
            "dirdash.1"
        ]
    );
    let kept = pages(&Path::new(env!("CARGO_MANIFEST_DIR")).join("doc"));
    assert!(
        made == kept,
        "doc/*.1 are stale: regenerate them with `cargo run --example man -- doc`"
    );
}

#[test]
fn man_renders_the_page_with_every_option() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("doc/dirdash.1");
    let out = Command::new("man")
        .args(["--warnings", "-l", "-P", "cat"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .output()
        .expect("man (apt-get install man-db)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "warnings from man"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // man may hyphenate and break long words: compare without them.
    let flat: String = text
        .replace("‐\n", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.starts_with("dirdash(1)"), "{text}");
    let help = Command::new(BIN)
        .env("XDG_CONFIG_HOME", NO_CONFIG_HOME)
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let longs: Vec<&str> = help
        .split_whitespace()
        .filter(|word| word.starts_with("--") && word.len() > 2)
        .map(|word| word.trim_end_matches([',', '.', ')']))
        .collect();
    assert!(longs.len() > 20, "{help}");
    for long in longs {
        assert!(flat.contains(long), "the manual page lacks {long}:\n{text}");
    }
}

#[test]
fn bash_loads_the_completions() {
    let out = Command::new("bash")
        .env("XDG_CONFIG_HOME", NO_CONFIG_HOME)
        .arg("-c")
        .arg(format!(
            "source <('{BIN}' completions bash) && complete -p dirdash"
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(
        line.contains("-F _dirdash") && line.trim_end().ends_with(" dirdash"),
        "{line}"
    );
}

#[test]
fn bash_completes_long_options_and_subcommands() {
    // What bash offers after `dirdash --exc<TAB>` and `dirdash hi<TAB>`.
    let complete = |words: &str| {
        let script = format!(
            "source <('{BIN}' completions bash)
             COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
             COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}
             _dirdash dirdash \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = Command::new("bash")
            .env("XDG_CONFIG_HOME", NO_CONFIG_HOME)
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut words: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        words.sort();
        words
    };
    assert_eq!(
        complete("dirdash --exclude-"),
        ["--exclude-caches", "--exclude-from", "--exclude-kernfs"]
    );
    assert_eq!(complete("dirdash hi"), ["history"]);
    let first = complete("dirdash ''");
    for offered in ["completions", "history", "diff", "--exclude-caches"] {
        assert!(first.iter().any(|w| w == offered), "{offered} in {first:?}");
    }
}

#[test]
fn zsh_and_fish_scripts_name_every_subcommand() {
    for shell in ["zsh", "fish"] {
        let out = Command::new(BIN)
            .env("XDG_CONFIG_HOME", NO_CONFIG_HOME)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["history", "diff", "exclude-caches", "no-si"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let out = Command::new(BIN)
        .env("XDG_CONFIG_HOME", NO_CONFIG_HOME)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

use std::io::IsTerminal;
use std::process::ExitCode;

use dirdash::cli::{Cli, Command};
use dirdash::report::{ncdu, units};
use dirdash::scan::{self, Options};
use dirdash::settings::{self, Settings};
use dirdash::{commands, headless, tui};

fn main() -> ExitCode {
    let mut cli = Cli::parse_args();
    // Needs nothing a config file could spoil.
    if let Some(Command::Completions { shell }) = cli.command {
        return exit(commands::completions(shell));
    }
    let mut settings = match settings::resolve(&cli) {
        Ok(settings) => settings,
        Err(e) => return usage_error(&e.0),
    };
    units::use_si(settings.si);
    if let Some(command) = cli.command.take() {
        let code = commands::run(command, settings.history_file);
        return exit(code);
    }
    let sources = cli.roots.len() + usize::from(cli.import.is_some());
    if let Some(file) = &cli.export {
        let one_root = if cli.headless {
            sources == 1
        } else {
            sources <= 1
        };
        if !cli.headless && ncdu::is_stdout(file) {
            return usage_error("--export - writes to standard output: use it with --headless");
        }
        if !one_root {
            return usage_error("--export writes the tree of one DIR");
        }
        if let Err(why) = ncdu::check_target(file, cli.force) {
            return usage_error(&format!("--export: {why}"));
        }
    }
    let options = Options {
        threads: settings.threads.unwrap_or_else(scan::default_threads),
        follow_links: settings.follow_links,
        one_file_system: settings.one_file_system,
        exclude: std::mem::take(&mut settings.exclude),
        exclude_caches: settings.exclude_caches,
        exclude_kernfs: settings.exclude_kernfs,
        list_files: cli.list,
        #[cfg(feature = "fault-injection")]
        panic_on_dir_named: std::env::var_os("DIRDASH_TEST_PANIC_IN"),
        #[cfg(feature = "fault-injection")]
        delay_per_dir: std::env::var("DIRDASH_TEST_DELAY_PER_DIR_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(std::time::Duration::from_millis),
    };
    let code = if cli.headless {
        if sources == 0 {
            return usage_error("--headless needs at least one DIR (or -f FILE)");
        }
        headless::run(
            options,
            headless::Config {
                history: history(&settings, settings.history == Some(true)),
                roots: cli.roots,
                json: cli.json,
                list: cli.list.then_some(if cli.null { b'\0' } else { b'\n' }),
                export: cli.export,
                force: cli.force,
                depth: cli.depth.map(usize::from),
                import: cli.import,
            },
        )
    } else if !std::io::stderr().is_terminal() {
        dirdash::say!(
            "dirdash: the dashboard needs a terminal on stderr; use --headless to scan without one"
        );
        2
    } else {
        tui::runtime::run(
            options,
            tui::runtime::Config {
                history: history(&settings, true).map(|h| (h.file, h.keep)),
                roots: cli.roots,
                json: cli.json,
                export: cli.export,
                force: cli.force,
                keep_trees: !settings.no_tree,
                read_only: settings.read_only,
                import: cli.import,
                color: settings.color,
                #[cfg(feature = "fault-injection")]
                panic_on_key: std::env::var("DIRDASH_TEST_PANIC_KEY")
                    .ok()
                    .and_then(|k| k.chars().next()),
            },
        )
    };
    exit(code)
}

/// The history as the front end uses it (`record`: it records this scan).
fn history(settings: &Settings, record: bool) -> Option<headless::HistoryConfig> {
    if settings.history == Some(false) {
        return None;
    }
    match &settings.history_file {
        Some(file) => Some(headless::HistoryConfig {
            file: file.clone(),
            record,
            keep: settings.history_keep,
        }),
        None => {
            if record {
                dirdash::say!(
                    "dirdash: history: neither XDG_STATE_HOME nor HOME is set (give --history-file); this scan is not recorded"
                );
            }
            None
        }
    }
}

fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn usage_error(message: &str) -> ExitCode {
    dirdash::say!("dirdash: {message}\n\nFor more information, try '--help'.");
    ExitCode::from(2)
}

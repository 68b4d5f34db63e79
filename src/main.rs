use std::io::IsTerminal;
use std::process::ExitCode;

use dirdash::cli::Cli;
use dirdash::report::ncdu;
use dirdash::scan::{self, Exclude, Options};
use dirdash::{commands, headless, history, tui};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    let history_file = cli.history_file.clone().or_else(history::default_path);
    if let Some(command) = cli.command {
        let code = commands::run(command, history_file);
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    let history = |record: bool| {
        if cli.no_history {
            return None;
        }
        match &history_file {
            Some(file) => Some(headless::HistoryConfig {
                file: file.clone(),
                record,
                keep: cli.history_keep as usize,
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
    };
    let exclude = match Exclude::new(&cli.exclude) {
        Ok(exclude) => exclude,
        Err(e) => return usage_error(&format!("bad --exclude pattern: {e}")),
    };
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
        threads: cli
            .threads
            .map_or_else(scan::default_threads, |n| n as usize),
        follow_links: cli.follow_links,
        one_file_system: cli.one_file_system,
        exclude,
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
                roots: cli.roots,
                json: cli.json,
                list: cli.list.then_some(if cli.null { b'\0' } else { b'\n' }),
                export: cli.export,
                force: cli.force,
                depth: cli.depth,
                import: cli.import,
                history: history(cli.history),
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
                roots: cli.roots,
                json: cli.json,
                export: cli.export,
                force: cli.force,
                keep_trees: !cli.no_tree,
                read_only: cli.read_only,
                import: cli.import,
                history: history(true).map(|h| (h.file, h.keep)),
                #[cfg(feature = "fault-injection")]
                panic_on_key: std::env::var("DIRDASH_TEST_PANIC_KEY")
                    .ok()
                    .and_then(|k| k.chars().next()),
            },
        )
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn usage_error(message: &str) -> ExitCode {
    dirdash::say!("dirdash: {message}\n\nFor more information, try '--help'.");
    ExitCode::from(2)
}

//! Times a deletion the way the browser runs one: scan ROOT keeping its
//! tree, mark every entry of ROOT, delete them with the deletion engine,
//! and print how long the deletion took (the scan is not counted: in the
//! browser it is already done when `d` is pressed).
//!
//!     cargo run --release --example delete_bench -- ROOT [--stop-after SECONDS]
//!
//! Prints one JSON line: seconds, targets, entries removed, problems; with
//! `--stop-after`, the deletion is stopped after that long and `stop_ms`
//! says how long the stop took to be heard (the time to `Finished`).
//! `bench/run.sh delete` compares it with `rm -rf` on the same tree.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use dirdash::delete::{self, DeleteEvent, Deletion, Mode};
use dirdash::report::Tally;
use dirdash::scan::{JobId, JobOptions, Options, Scanner};
use dirdash::tree::ROOT;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (root, stop_after) = match args.as_slice() {
        [root] => (PathBuf::from(root), None),
        [root, flag, seconds] if flag == "--stop-after" => match seconds.parse::<f64>() {
            Ok(seconds) => (PathBuf::from(root), Some(Duration::from_secs_f64(seconds))),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    match run(&root, stop_after) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("delete_bench: {}: {message}", root.display());
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: delete_bench ROOT [--stop-after SECONDS]");
    ExitCode::from(2)
}

fn run(root: &Path, stop_after: Option<Duration>) -> Result<String, String> {
    let (tally, job) = scan(root)?;
    let tree = tally
        .job(job)
        .and_then(|job| job.tree.as_ref())
        .ok_or("no tree was kept")?;
    let targets: Vec<_> = tree
        .entries(ROOT)
        .filter_map(|(offset, _)| delete::target(tree, ROOT, offset).ok())
        .collect();
    let count = targets.len();

    let started = Instant::now();
    let (deletion, events) = Deletion::start(targets, Mode::Delete).map_err(|e| e.to_string())?;
    let mut problems = 0;
    let mut stop_asked = None;
    loop {
        let event = match (stop_after, stop_asked) {
            (Some(after), None) => match events.recv_timeout(after) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    stop_asked = Some(Instant::now());
                    deletion.stop();
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
            _ => match events.recv() {
                Ok(event) => event,
                Err(_) => break,
            },
        };
        match event {
            DeleteEvent::Problem(problem) => {
                problems += 1;
                eprintln!("delete_bench: {problem}");
            }
            DeleteEvent::TargetDone { .. } => {}
            DeleteEvent::Finished { .. } => break,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let stop_ms = stop_asked.map_or(String::new(), |asked| {
        format!(r#","stop_ms":{:.2}"#, asked.elapsed().as_secs_f64() * 1e3)
    });
    let removed = deletion.removed();
    drop(deletion);
    Ok(format!(
        r#"{{"seconds":{seconds:.4},"targets":{count},"removed":{removed},"problems":{problems}{stop_ms}}}"#
    ))
}

fn scan(root: &Path) -> Result<(Tally, JobId), String> {
    let (mut scanner, events) = Scanner::new(Options::default()).map_err(|e| e.to_string())?;
    let job = scanner
        .submit_with(
            root,
            JobOptions {
                keep_tree: true,
                dirs_only: false,
            },
        )
        .map_err(|e| e.to_string())?;
    let mut tally = Tally::new(Instant::now());
    tally.submitted(job, Arc::from(root), true);
    while !tally.all_finished() {
        let event = events.recv().map_err(|_| "the scan ended early")?;
        tally.apply(&event);
    }
    scanner.shutdown();
    for event in events.try_iter() {
        tally.apply(&event);
    }
    Ok((tally, job))
}

//! Builds a deterministic test tree, the same generator the tests use.
//!
//!     cargo run --release --example mktree -- DEST [--files N] [--seed S]
//!         [--shape mixed|flat|deep|wide] [--hostile]
//!
//! Prints the counts a correct scan must report, as one JSON line.

#[path = "../tests/support/treegen.rs"]
mod treegen;

use std::path::PathBuf;
use std::process::ExitCode;

use treegen::{Shape, Spec};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dest: Option<PathBuf> = None;
    let mut spec = Spec {
        files: 100_000,
        seed: 1,
        shape: Shape::Mixed,
        hostile: false,
    };
    while let Some(arg) = args.next() {
        let ok = match arg.as_str() {
            "--files" => parse_into(args.next(), &mut spec.files),
            "--seed" => parse_into(args.next(), &mut spec.seed),
            "--shape" => match args.next().as_deref().and_then(Shape::parse) {
                Some(shape) => {
                    spec.shape = shape;
                    true
                }
                None => false,
            },
            "--hostile" => {
                spec.hostile = true;
                true
            }
            _ if dest.is_none() && !arg.starts_with('-') => {
                dest = Some(PathBuf::from(&arg));
                true
            }
            _ => false,
        };
        if !ok {
            eprintln!("mktree: bad argument near {arg:?}");
            return ExitCode::from(2);
        }
    }
    let Some(dest) = dest else {
        eprintln!(
            "usage: mktree DEST [--files N] [--seed S] [--shape mixed|flat|deep|wide] [--hostile]"
        );
        return ExitCode::from(2);
    };
    match treegen::generate(&dest, &spec) {
        Ok(made) => {
            println!(
                r#"{{"files":{},"dirs":{},"symlinks":{},"other":{},"bytes":{}}}"#,
                made.files, made.dirs, made.symlinks, made.other, made.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mktree: {}: {e}", dest.display());
            ExitCode::FAILURE
        }
    }
}

fn parse_into<T: std::str::FromStr>(value: Option<String>, into: &mut T) -> bool {
    match value.and_then(|v| v.parse().ok()) {
        Some(v) => {
            *into = v;
            true
        }
        None => false,
    }
}

//! Writes the manual pages (`dirdash.1`, one per subcommand) into a
//! directory: `cargo run --example man -- doc`.

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: cargo run --example man -- DIR");
        return std::process::ExitCode::from(2);
    };
    match dirdash::commands::man_pages(std::path::Path::new(&dir)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("man: {}: {e}", std::path::Path::new(&dir).display());
            std::process::ExitCode::FAILURE
        }
    }
}

//! The `main` binary: parse, dispatch, and print any error as one line.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = generator::cli::Cli::parse();
    match generator::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

//! The `main` binary: parse, dispatch, and print any error as one line.

use clap::Parser;
use std::process::ExitCode;

// Generation allocates many small AST nodes; mimalloc handles that load
// markedly faster than the system allocator (see benches/generate.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

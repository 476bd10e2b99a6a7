//! The `main` binary: parse, dispatch, and print any error as one line.

use clap::Parser;
use std::process::ExitCode;

// Generation allocates many small AST nodes; mimalloc handles that load
// markedly faster than the system allocator (see benches/generate.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = generator::cli::Cli::parse();
    let result = generator::cli::run(cli);
    // This process's work dir; one left by a kill is swept by the next run.
    generator::harness::workdir::release_all();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

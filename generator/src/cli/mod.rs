//! The subcommands of `main`. The binary only parses and dispatches; each
//! command lives in its own file and returns an [`ExitCode`].

pub mod args;
pub mod doctor;
pub mod fuzz;
pub mod generate;
pub mod kernels;
pub mod merge;
pub mod reduce;
pub mod report;
pub mod repro;
pub mod validity;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// leanfuzz: a generator-based fuzzer for Lean 4, Lake and the comparator judge.
/// Without a subcommand it fuzzes (`main --depth 10`).
#[derive(Debug, Parser)]
#[command(name = "main", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub fuzz: fuzz::FuzzArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the toolchain and the template; print paths and versions.
    Doctor(doctor::DoctorArgs),
    /// Run one Lean file through the exact test pipeline and print its verdict.
    Repro(repro::ReproArgs),
    /// Print or write generated programs (no toolchain needed).
    Generate(generate::GenerateArgs),
    /// Build generated programs and report which share Lean accepts, per construct family.
    Validity(validity::ValidityArgs),
    /// Copy findings from other stores into one, de-duplicated, with an index per signature.
    Merge(merge::MergeArgs),
    /// Shrink a finding while its verdict signature holds.
    Reduce(reduce::ReduceArgs),
    /// Check a lean4export export file with external kernels and classify their answers.
    Kernels(kernels::KernelsArgs),
    /// Write the campaign report (one HTML page) from stats.jsonl and the findings store.
    Report(report::ReportArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => fuzz::run(cli.fuzz),
        Some(Command::Doctor(a)) => doctor::run(a),
        Some(Command::Repro(a)) => repro::run(a),
        Some(Command::Generate(a)) => generate::run(a),
        Some(Command::Validity(a)) => validity::run(a),
        Some(Command::Merge(a)) => merge::run(a),
        Some(Command::Reduce(a)) => reduce::run(a),
        Some(Command::Kernels(a)) => kernels::run(a),
        Some(Command::Report(a)) => report::run(a),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

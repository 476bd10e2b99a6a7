//! `main merge SRC... --into DST`: other instances' or machines' findings
//! into one store, de-duplicated, with `index.json` (what
//! `scripts/merge_solutions.sh` runs periodically).

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::triage::merge::merge;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Findings stores (solutions/ directories, or the old tool's flat layout) to copy from
    #[arg(value_name = "SRC", required = true)]
    pub sources: Vec<PathBuf>,
    /// The store to merge into (created if missing)
    #[arg(long, value_name = "DST")]
    pub into: PathBuf,
    /// Files kept per signature in DST (the first found and the smallest stay; the others are counted in index.json as dropped); 0 keeps all
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = parse_keep)]
    pub keep_per_signature: usize,
}

/// `--keep-per-signature`: 0 (all), or at least 2 (the first found and
/// the smallest), as the fuzz loop takes it.
fn parse_keep(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n != 1 => Ok(n),
        _ => Err(format!("{s:?} must be 0 (keep all) or at least 2")),
    }
}

pub fn run(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let cap = (args.keep_per_signature > 0).then_some(args.keep_per_signature);
    let report = merge(&args.sources, &args.into, cap)?;
    for (path, why) in &report.skipped {
        eprintln!("warning: skipped {}: {why}", path.display());
    }
    println!(
        "merged {} new file(s) from {} source(s) into {} ({} already there, {} unclassified, {} skipped, {} over the cap per signature removed); {} signature(s) in {}",
        report.copied,
        args.sources.len(),
        args.into.display(),
        report.already_there,
        report.unclassified,
        report.skipped.len(),
        report.pruned,
        report.signatures,
        report.index.display()
    );
    Ok(ExitCode::SUCCESS)
}

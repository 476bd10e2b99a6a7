//! `main kernels FILE.ndjson --kernel NAME=PATH ...`: one lean4export
//! export file through every external kernel, and the verdict on their
//! answers (the kernel target's `repro`).

use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use super::args::{parse_seconds, parse_size, MemLimit};
use crate::harness::kernels::{check, KernelSpec};
use crate::harness::process::Limits;
use crate::harness::{interrupt, HarnessError};
use crate::kernel::{false_theorem, ndjson};

#[derive(Debug, Args)]
pub struct KernelsArgs {
    /// The export file (lean4export NDJSON 3.x)
    #[arg(value_name = "FILE.ndjson")]
    pub file: PathBuf,
    /// A kernel to run, NAME=PATH; repeat for several (a name containing `noda` gets a nanoda config) [default: the kernels recorded with a stored finding]
    #[arg(long = "kernel", value_name = "NAME=PATH", value_parser = KernelSpec::parse)]
    pub kernels: Vec<KernelSpec>,
    /// Wall-clock limit of each kernel run, in seconds
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// Resident memory limit of each kernel run (512M, 8G, none)
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = parse_size)]
    pub mem_limit: MemLimit,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: KernelsArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
    let (_, decls) =
        ndjson::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let kernels = kernels_for(&args.file, &args.kernels)?;
    interrupt::install_handler();
    let work = tempfile::Builder::new()
        .prefix("leanfuzz-kernels-")
        .tempdir()
        .map_err(|e| anyhow::anyhow!("cannot make a work dir: {e}"))?;
    let file = args
        .file
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let limits = Limits {
        timeout: args.timeout,
        mem_limit: args.mem_limit.0,
        ..Limits::default()
    };
    let falsity = false_theorem(&decls).map(|n| n.to_string());
    let report = match check(&file, &kernels, &limits, work.path(), falsity.as_deref()) {
        Ok(r) => r,
        Err(HarnessError::Interrupted) => {
            eprintln!("interrupted");
            return Ok(ExitCode::from(130));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("file:       {}", args.file.display());
        println!("verdict:    {}", report.verdict);
        println!(
            "signature:  {}  ({})",
            report.signature, report.signature_hash
        );
        if let Some(t) = &falsity {
            println!("claims:     theorem {t} : False, no axioms");
        }
        for r in &report.runs {
            println!(
                "  {:<12} {:<9} {:<18} {:>6} ms",
                r.kernel,
                format!("{:?}", r.answer).to_lowercase(),
                r.termination,
                r.duration_ms
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The kernels to judge `file` with: `given`, else those recorded with
/// it; each must be a file.
pub fn kernels_for(file: &Path, given: &[KernelSpec]) -> anyhow::Result<Vec<KernelSpec>> {
    let kernels = if given.is_empty() {
        recorded_kernels(file)?
    } else {
        given.to_vec()
    };
    check_kernel_files(&kernels)?;
    Ok(kernels)
}

/// Each kernel's program must be a file.
pub fn check_kernel_files(kernels: &[KernelSpec]) -> anyhow::Result<()> {
    for k in kernels {
        if !k.program.is_file() {
            anyhow::bail!("kernel {}: {} is not a file", k.name, k.program.display());
        }
    }
    Ok(())
}

/// The kernels recorded in the metadata beside a stored finding.
fn recorded_kernels(file: &Path) -> anyhow::Result<Vec<KernelSpec>> {
    let meta: Option<serde_json::Value> = std::fs::read(file.with_extension("json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let kernels: Vec<KernelSpec> = meta
        .as_ref()
        .and_then(|m| m["kernels"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|k| k.as_str().and_then(|k| KernelSpec::parse(k).ok()))
        .collect();
    if kernels.is_empty() {
        anyhow::bail!(
            "{} has no kernels recorded with it: name them with --kernel NAME=PATH",
            file.display()
        );
    }
    Ok(kernels)
}

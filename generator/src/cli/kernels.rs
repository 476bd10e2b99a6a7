//! `main kernels FILE.ndjson --kernel NAME=PATH ...`: one lean4export
//! export file through every external kernel, judged by the verdict table
//! and by the label recorded with a stored finding (the kernel target's
//! `repro`); `--explain` names the first declaration they reject and
//! prints their words.

use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use super::args::{parse_seconds, parse_size, MemLimit};
use crate::harness::kernels::{KernelChecker, KernelSpec};
use crate::harness::process::Limits;
use crate::harness::{interrupt, HarnessError};
use crate::kernel::faults::FormatFault;
use crate::kernel::{false_theorem, lean_source, ndjson};
use crate::oracles::label::{explain_rejection, judge_checked, judge_format, Confirmations};
use crate::oracles::Label;
use crate::triage::FindingRecord;

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
    /// Find the first declaration the kernels reject (by cutting the file at declaration boundaries) and print it with the kernel's words
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: KernelsArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
    let kernels = kernels_for(&args.file, &args.kernels)?;
    let record = FindingRecord::read(&args.file).ok();
    let label = record
        .as_ref()
        .and_then(|r| r.meta.label.clone())
        .unwrap_or(Label::Unknown);
    // A file stored with a format fault is checked as it is, unread.
    let fault = match &label {
        Label::FormatFault { fault } => FormatFault::parse(fault),
        _ => None,
    };
    let decls = match fault {
        Some(_) => Vec::new(),
        None => {
            ndjson::read(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?
                .1
        }
    };
    let variant = record.as_ref().and_then(|r| r.meta.metamorphic.clone());
    interrupt::install_handler();
    let work = tempfile::Builder::new()
        .prefix("leanfuzz-kernels-")
        .tempdir()
        .map_err(|e| anyhow::anyhow!("cannot make a work dir: {e}"))?;
    let file = args
        .file
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let checker = KernelChecker {
        kernels,
        limits: Limits {
            timeout: args.timeout,
            mem_limit: args.mem_limit.0,
            ..Limits::default()
        },
        work_root: work.path().to_path_buf(),
    };
    // The file as it is, then the oracles: its label, and the variant a
    // metamorphic finding was compared with; `--explain` cuts the file.
    let judged = checker.check_file(&file).and_then(|report| {
        let explained = match fault {
            None if args.explain => explain_rejection(&checker, &decls, &report)?,
            _ => None,
        };
        let report = match fault {
            Some(kind) => judge_format(report, kind),
            None => judge_checked(
                report,
                &checker,
                &decls,
                &label,
                variant.as_ref(),
                &mut Confirmations::always(),
            )?,
        };
        Ok((report, explained))
    });
    let (report, explained) = match judged {
        Ok(r) => r,
        Err(HarnessError::Interrupted) => {
            eprintln!("interrupted");
            return Ok(ExitCode::from(130));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some((i, kernel, words)) = &explained {
            value["explain"] = serde_json::json!({
                "declaration": i + 1,
                "name": decls[*i].names().first().map(|n| n.to_string()),
                "kind": decls[*i].kind_name(),
                "kernel": kernel,
                "words": words,
            });
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("file:       {}", args.file.display());
    println!("verdict:    {}", report.verdict());
    println!(
        "signature:  {}  ({})",
        report.signature(),
        report.signature_hash
    );
    println!("evidence:   {}", report.classification.evidence);
    if let Some(t) = false_theorem(&decls) {
        println!("claims:     theorem {t} : False, no axioms");
    }
    if label != Label::Unknown {
        println!("label:      {}", serde_json::to_string(&label)?);
    }
    if let Some(spec) = &variant {
        println!("variant:    {}", serde_json::to_string(spec)?);
    }
    for (s, answer) in report.kernel_runs() {
        println!(
            "  {:<12} {:<9} {:<18} {:>6} ms",
            s.name,
            serde_json::to_value(answer)?.as_str().unwrap_or_default(),
            s.termination.to_string(),
            s.duration.as_millis()
        );
    }
    if args.explain {
        match &explained {
            Some((i, kernel, words)) => {
                let d = &decls[*i];
                println!(
                    "first rejected: declaration {} of {} ({} {}), by {kernel}:",
                    i + 1,
                    decls.len(),
                    d.kind_name(),
                    d.names().first().map(|n| n.to_string()).unwrap_or_default()
                );
                println!("  {}", lean_source::declaration(d));
                println!("{kernel} said:");
                for line in words.lines().take(20) {
                    println!("  {line}");
                }
            }
            None if fault.is_some() => {
                println!("first rejected: not looked for (the file has a format fault)")
            }
            None => println!("first rejected: none (no kernel rejects the file)"),
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

/// The kernels recorded with a stored finding.
fn recorded_kernels(file: &Path) -> anyhow::Result<Vec<KernelSpec>> {
    let kernels: Vec<KernelSpec> = FindingRecord::read(file)
        .map(|r| r.meta.kernels)
        .unwrap_or_default()
        .iter()
        .filter_map(|k| KernelSpec::parse(k).ok())
        .collect();
    if kernels.is_empty() {
        anyhow::bail!(
            "{} has no kernels recorded with it: name them with --kernel NAME=PATH",
            file.display()
        );
    }
    Ok(kernels)
}

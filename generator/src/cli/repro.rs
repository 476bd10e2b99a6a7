//! `main repro FILE.lean`: one file through exactly the fuzzing pipeline,
//! with the verdict, signature, per-stage status and timings.

use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{describe_isolation, PipelineArgs};
use crate::harness::{interrupt, HarnessError, Pipeline, TestReport};

#[derive(Debug, Args)]
pub struct ReproArgs {
    /// The Lean file to test as the solution module
    #[arg(value_name = "FILE.lean")]
    pub file: PathBuf,
    /// Print the report as JSON (one object) instead of text
    #[arg(long)]
    pub json: bool,
    /// Also print each stage's captured stdout and stderr
    #[arg(long)]
    pub show_output: bool,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// Reads a Lean source file: unreadable and non-UTF-8 files are one-line
/// errors naming the file.
pub fn read_source(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

pub fn run(args: ReproArgs) -> anyhow::Result<ExitCode> {
    let source = read_source(&args.file)?;
    let config = args.pipeline.pipeline_config()?;
    let isolation = config.isolation;
    interrupt::install_handler();
    let pipeline = Pipeline::new(config);
    let report = match pipeline.run(&source) {
        Ok(r) => r,
        Err(HarnessError::Interrupted) => {
            eprintln!("interrupted; workspace removed");
            return Ok(ExitCode::from(130));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        value["file"] = serde_json::json!(args.file.display().to_string());
        value["isolation"] = serde_json::json!(isolation.as_str());
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_human(
            &args.file,
            &report,
            describe_isolation(isolation),
            args.show_output,
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(file: &Path, r: &TestReport, isolation: &str, show_output: bool) {
    println!("file:       {}", file.display());
    println!("verdict:    {}", r.verdict());
    println!("signature:  {}  ({})", r.signature(), r.signature_hash);
    println!("evidence:   {}", r.classification.evidence);
    println!("stages:");
    for s in &r.stages {
        println!(
            "  {:<11} {:<22} {:>8.3} s   {}",
            s.name,
            s.termination.to_string(),
            s.duration.as_secs_f64(),
            s.command.join(" ")
        );
        if show_output {
            for (label, text) in [("stdout", &s.stdout), ("stderr", &s.stderr)] {
                if !text.is_empty() {
                    println!("    --- {label} ---");
                    for line in text.lines() {
                        println!("    {line}");
                    }
                }
            }
        }
    }
    for s in &r.skipped {
        println!("  skipped     {s}");
    }
    println!(
        "timing:     workspace setup {:.3} s, total {:.3} s",
        r.workspace_setup.as_secs_f64(),
        r.total.as_secs_f64()
    );
    println!("isolation:  {isolation}");
}

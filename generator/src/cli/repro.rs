//! `main repro FILE.lean`: one file through exactly the fuzzing pipeline,
//! with the verdict, signature, per-stage status and timings.

use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{describe_isolation, PipelineArgs};
use crate::harness::{interrupt, HarnessError, Pipeline, Report};
use crate::triage::merge::{write_index, UNCLASSIFIED};
use crate::triage::workflow::reproduce;
use crate::triage::{FindingMeta, ReproRuns, Store};

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
    /// Run the file this many times, to tell a stable finding from a flaky one
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub times: u32,
    /// Store the result in the findings store (--solutions) when it is a finding, and refresh its index.json
    #[arg(long)]
    pub save: bool,
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
    // A stored finding is checked by the judges it was found with, unless
    // --judge says otherwise.
    let record = crate::triage::FindingRecord::read(&args.file).ok();
    let config = args
        .pipeline
        .with_recorded_judges(record.as_ref())
        .pipeline_config()?;
    let isolation = config.isolation;
    interrupt::install_handler();
    let solutions = args.pipeline.solutions_dir(&config.template);
    let pipeline = Pipeline::new(config);
    let (reports, runs) = match reproduce(&pipeline, &source, args.times) {
        Ok(r) => r,
        Err(HarnessError::Interrupted) => {
            eprintln!("interrupted; workspace removed");
            return Ok(ExitCode::from(130));
        }
        Err(e) => return Err(e.into()),
    };
    // The most severe outcome is the one reported (and saved).
    let report = &reports[0];
    let saved = if args.save {
        Some(save(&solutions, &args.file, &source, report, &runs)?)
    } else {
        None
    };
    if args.json {
        let mut value = serde_json::to_value(report)?;
        value["file"] = serde_json::json!(args.file.display().to_string());
        value["isolation"] = serde_json::json!(isolation.as_str());
        value["verifiers"] = serde_json::json!(report.verifiers());
        value["runs"] = serde_json::to_value(&runs)?;
        if let Some(s) = &saved {
            value["saved"] = serde_json::json!(s.as_ref().map(|p| p.display().to_string()));
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_human(
            &args.file,
            report,
            describe_isolation(isolation),
            args.show_output,
        );
        if runs.runs > 1 {
            let outcomes: Vec<String> = runs
                .outcomes
                .iter()
                .map(|(sig, n)| format!("{sig} {n}/{}", runs.runs))
                .collect();
            println!(
                "runs:       {} ({})",
                if runs.stable { "stable" } else { "flaky" },
                outcomes.join(", ")
            );
        }
        match &saved {
            Some(Some(path)) => println!("saved:      {}", path.display()),
            Some(None) => println!("saved:      no ({} is not a finding)", report.verdict()),
            None => {}
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Stores a finding with its runs and refreshes the store's index, so a
/// hand-written reproducer joins the same index as the fuzzer's findings.
fn save(
    solutions: &Path,
    file: &Path,
    source: &str,
    report: &Report,
    runs: &ReproRuns,
) -> anyhow::Result<Option<PathBuf>> {
    let meta = FindingMeta {
        origin: "repro".into(),
        instance: format!("repro:{}", file.display()),
        repro: Some(runs.clone()),
        ..Default::default()
    };
    let saved = Store::new(solutions)
        .save(source, "lean", report, &meta)?
        .map(|s| s.path);
    if saved.is_some() {
        // A file this store held as unclassified (from a merge) is now
        // classified: the unclassified copy goes.
        let unclassified = solutions.join(UNCLASSIFIED).canonicalize().ok();
        if unclassified.is_some()
            && file.parent().and_then(|p| p.canonicalize().ok()) == unclassified
        {
            let _ = std::fs::remove_file(file.with_extension("json"));
            let _ = std::fs::remove_file(file);
        }
        write_index(solutions)?;
    }
    Ok(saved)
}

fn none_if_empty(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn print_human(file: &Path, r: &Report, isolation: &str, show_output: bool) {
    println!("file:       {}", file.display());
    println!("verdict:    {}", r.verdict());
    println!("signature:  {}  ({})", r.signature(), r.signature_hash);
    println!("evidence:   {}", r.classification.evidence);
    if let Some(key) = r.verifiers() {
        println!("verifiers:  {key}");
    }
    if let Some(split) = &r.judge_split {
        println!(
            "judges:     {}: accepted by {}; rejected by {}",
            split.question,
            none_if_empty(&split.accepted),
            none_if_empty(&split.rejected)
        );
    }
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

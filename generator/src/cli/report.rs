//! `main report`: the campaign report (`report.html`) from a campaign's
//! `stats.jsonl` and findings store; and the same report written when a
//! campaign ends.

use anyhow::bail;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use super::args::{default_template, SandboxArg};
use super::fuzz::{parent_or_dot, FuzzArgs, FuzzTargetArg};
use crate::harness::toolchain;
use crate::report::{self, Inputs};

/// The report's file name in a campaign's directory.
pub const REPORT_FILE: &str = "report.html";

/// Where `main report` reads a campaign from and writes its page.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The campaign's directory, holding stats.jsonl and solutions/ [default: the fuzzer's default, the directory holding the template]
    #[arg(long, value_name = "DIR")]
    pub campaign: Option<PathBuf>,
    /// The statistics file [default: stats.jsonl in the campaign's directory]
    #[arg(long, value_name = "FILE")]
    pub stats: Option<PathBuf>,
    /// The findings store [default: solutions/ in the campaign's directory]
    #[arg(long, value_name = "DIR")]
    pub solutions: Option<PathBuf>,
    /// Where the report is written [default: report.html in the campaign's directory]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The template the campaign used, for the Lean it pins and the repro lines [default: the repository's template/]
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
}

/// Writes the report of the campaign the flags name, and prints where.
pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.campaign {
        if !dir.is_dir() {
            bail!(
                "campaign dir {} does not exist or is not a directory",
                dir.display()
            );
        }
    }
    if let Some(s) = &args.solutions {
        if !s.is_dir() {
            bail!(
                "findings store {} does not exist or is not a directory",
                s.display()
            );
        }
    }
    if let Some(t) = &args.template {
        if !t.is_dir() {
            bail!(
                "template {} does not exist or is not a directory",
                t.display()
            );
        }
    }
    let template = args.template.clone().unwrap_or_else(default_template);
    let campaign = match (&args.campaign, &args.stats) {
        (Some(dir), _) => dir.clone(),
        (None, Some(stats)) => parent_or_dot(stats),
        (None, None) => parent_or_dot(&template.canonicalize().unwrap_or(template.clone())),
    };
    let mut repro_flags = Vec::new();
    if let Some(t) = &args.template {
        repro_flags.extend(["--template".to_string(), absolute(t)]);
    }
    let inputs = Inputs {
        stats: args
            .stats
            .clone()
            .unwrap_or_else(|| campaign.join("stats.jsonl")),
        solutions: args
            .solutions
            .clone()
            .unwrap_or_else(|| campaign.join("solutions")),
        template: template.is_dir().then_some(template),
        repro_flags,
        programs: lean_tools(None),
    };
    let out = args.out.unwrap_or_else(|| campaign.join(REPORT_FILE));
    let written = report::write(&inputs, &out)?;
    for w in &written.warnings {
        eprintln!("warning: {w}");
    }
    println!("report: {}", written.path.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes the report of the campaign that just ended beside its stats
/// file and prints where; a report that cannot be written is a warning,
/// never the campaign's failure.
pub fn after_campaign(args: &FuzzArgs, stats_file: &Path, solutions: &Path) {
    let kernels = args.target == FuzzTargetArg::Kernels;
    let mut repro_flags = Vec::new();
    let p = &args.pipeline;
    if !kernels {
        if let Some(t) = &p.template {
            repro_flags.extend(["--template".to_string(), absolute(t)]);
        }
        if let Some(c) = &p.comparator {
            repro_flags.extend(["--comparator".to_string(), absolute(c)]);
        }
        if p.timeout != Duration::from_secs(30) {
            repro_flags.extend([
                "--timeout".to_string(),
                format!("{}", p.timeout.as_secs_f64()),
            ]);
        }
        // The judges' own binaries when given by flag (which judges ran is
        // in each finding's record, and `main repro` takes it from there).
        if let Some(s) = &p.safeverify {
            repro_flags.extend(["--safeverify".to_string(), absolute(s)]);
        }
        if let Some(l) = &p.lean4checker {
            repro_flags.extend(["--lean4checker".to_string(), absolute(l)]);
        }
        if p.lean4checker_fresh {
            repro_flags.push("--lean4checker-fresh".to_string());
        }
        if p.sandbox != SandboxArg::Auto {
            if let Some(v) = clap::ValueEnum::to_possible_value(&p.sandbox) {
                repro_flags.extend(["--sandbox".to_string(), v.get_name().to_string()]);
            }
        }
    }
    let inputs = Inputs {
        stats: stats_file.to_path_buf(),
        solutions: solutions.to_path_buf(),
        template: (!kernels).then(|| p.template_dir()),
        repro_flags,
        programs: if kernels {
            args.kernels
                .iter()
                .map(|k| (k.name.clone(), k.program.clone()))
                .collect()
        } else {
            lean_tools(p.comparator.as_deref())
        },
    };
    let out = parent_or_dot(stats_file).join(REPORT_FILE);
    match report::write(&inputs, &out) {
        Ok(w) => {
            for warning in &w.warnings {
                eprintln!("warning: {warning}");
            }
            println!("report: {}", w.path.display());
        }
        Err(e) => eprintln!("warning: no campaign report: {e:#}"),
    }
}

/// lake, lean and comparator as the pipeline finds them now (those found).
fn lean_tools(comparator: Option<&Path>) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for t in [
        toolchain::find_lake(),
        toolchain::find_lean(),
        toolchain::find_comparator(comparator),
    ]
    .into_iter()
    .flatten()
    {
        out.push((t.name, t.path));
    }
    out
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

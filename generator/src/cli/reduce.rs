//! `main reduce FILE`: shrinks a finding while its verdict signature holds
//! and writes the result with its record — into the findings store when
//! FILE is one of its files, else beside FILE as `<name>.reduced.<ext>`.
//! A Lean file goes through the pipeline (on its tree first when the
//! fuzzer recorded one, then on lines and tokens); an export file
//! (`.ndjson`) through its kernels and the label oracle, on its
//! declarations and terms. Both through the one triage workflow.

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::args::PipelineArgs;
use super::kernels::kernels_for;
use super::repro::read_source;
use crate::harness::kernels::{KernelChecker, KernelSpec};
use crate::harness::{interrupt, Pipeline};
use crate::kernel::ndjson;
use crate::lean::gen::GenConfig;
use crate::lean::render::render_program;
use crate::oracles::{Label, LabelledKernels};
use crate::triage::reduce::{
    reduce_environment, reduce_program, reduce_text, Oracle, Progress, Reduced,
};
use crate::triage::workflow::{reduce_confirmed, reproduce_finding, save_reduced, Judge};
use crate::triage::{FindingMeta, FindingRecord};

#[derive(Debug, Args)]
pub struct ReduceArgs {
    /// The finding to shrink (a file of the findings store, any .lean file, or a kernel export file .ndjson)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// For an export file: a kernel to run, NAME=PATH (repeatable) [default: the kernels recorded with the finding]
    #[arg(long = "kernel", value_name = "NAME=PATH", value_parser = KernelSpec::parse)]
    pub kernels: Vec<KernelSpec>,
    /// Candidates tested at once [default: the number of cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub jobs: Option<u64>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// How one kind of finding is shrunk: given the oracle, the jobs and the
/// progress callback.
type Shrink<'a> =
    dyn Fn(&dyn Oracle, usize, &(dyn Fn(Progress) + Sync)) -> anyhow::Result<Reduced> + 'a;

pub fn run(args: ReduceArgs) -> anyhow::Result<ExitCode> {
    let source = read_source(&args.file)?;
    // The record beside a stored finding: its signature, its tree, its
    // kernels and label.
    let record = FindingRecord::read(&args.file).ok();
    let mut meta = FindingMeta {
        origin: "reduce".into(),
        instance: format!("reduce:{}", args.file.display()),
        ..Default::default()
    };
    if args.file.extension().is_some_and(|e| e == "ndjson") {
        let label = record
            .as_ref()
            .and_then(|r| r.meta.label.clone())
            .unwrap_or_default();
        // A file with a format fault is not read: it is shrunk by lines.
        let decls = match &label {
            Label::FormatFault { .. } => None,
            _ => Some(
                ndjson::read(&source)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?
                    .1,
            ),
        };
        let kernels = kernels_for(&args.file, &args.kernels)?;
        interrupt::install_handler();
        let work = tempfile::Builder::new()
            .prefix("leanfuzz-reduce-")
            .tempdir_in(args.pipeline.work_root()?)
            .map_err(|e| anyhow::anyhow!("cannot make a work dir: {e}"))?;
        meta.kernels = kernels.iter().map(KernelSpec::spec_string).collect();
        meta.label = Some(label.clone());
        let judge = LabelledKernels {
            checker: KernelChecker {
                kernels,
                limits: args.pipeline.limits(),
                work_root: work.path().to_path_buf(),
            },
            label,
            metamorphic: record.as_ref().and_then(|r| r.meta.metamorphic.clone()),
        };
        meta.metamorphic = judge.metamorphic.clone();
        let how = match &decls {
            Some(d) => format!(" ({} declarations before)", d.len()),
            None => " (a format fault: by lines)".to_string(),
        };
        return reduce_with(
            &args,
            &judge,
            &source,
            record,
            meta,
            &how,
            &|oracle, jobs, show| match &decls {
                Some(d) => reduce_environment(d, oracle, jobs, show),
                None => reduce_text(&source, oracle, jobs, show),
            },
        );
    }
    if let Some(k) = args.kernels.first() {
        anyhow::bail!(
            "--kernel {}=… is for export files (.ndjson); {} is reduced through lake and comparator",
            k.name,
            args.file.display()
        );
    }
    // Without --judge, the judges the finding was found with (a judge
    // disagreement only reproduces with both judges).
    let config = args
        .pipeline
        .with_recorded_judges(record.as_ref())
        .pipeline_config()?;
    interrupt::install_handler();
    let pipeline = Pipeline::new(config);
    // A finding the generator wrote carries its tree: shrink that first.
    let tree = record.as_ref().and_then(|r| {
        let program = r.meta.program.clone()?;
        let depth = r.meta.depth.unwrap_or(GenConfig::default().depth);
        (render_program(&program).text == source).then_some((program, depth))
    });
    let how = if tree.is_some() {
        " (tree, then text)"
    } else {
        ""
    };
    reduce_with(
        &args,
        &pipeline,
        &source,
        record.clone(),
        meta,
        how,
        &|oracle, jobs, show| match &tree {
            Some((program, depth)) => reduce_program(program, *depth, oracle, jobs, show),
            None => reduce_text(&source, oracle, jobs, show),
        },
    )
}

/// Reproduce (the recorded signature, when there is a record), reduce,
/// confirm, write.
fn reduce_with(
    args: &ReduceArgs,
    judge: &dyn Judge,
    source: &str,
    record: Option<FindingRecord>,
    meta: FindingMeta,
    how: &str,
    shrink: &Shrink,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let recorded = record.as_ref().map(|r| r.signature.as_str());
    let Ok(first) = reproduce_finding(judge, &args.file, source, recorded)? else {
        return Ok(interrupted());
    };
    let signature = first.signature().to_string();
    let jobs = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let show = |p: Progress| {
        bar.set_message(format!(
            "{} tests, {} bytes (was {}), pass: {}",
            p.tests,
            p.bytes,
            source.len(),
            p.pass
        ))
    };
    let result = reduce_confirmed(judge, &signature, &|oracle| shrink(oracle, jobs, &show));
    bar.finish_and_clear();
    let (reduced, last) = match result {
        Ok(r) => r,
        Err(_) if interrupt::requested() => return Ok(interrupted()),
        Err(e) => return Err(e),
    };
    let written = save_reduced(&args.file, &reduced.text, judge.extension(), &last, &meta)?;
    let ratio = source.len() as f64 / reduced.text.len().max(1) as f64;
    println!(
        "reduced {}{how}: {} -> {} bytes ({ratio:.1}x smaller) in {} tests, {:.1} s, {jobs} at a time; signature {signature}; written to {}",
        args.file.display(),
        source.len(),
        reduced.text.len(),
        reduced.tests + 2,
        started.elapsed().as_secs_f64(),
        written.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn interrupted() -> ExitCode {
    eprintln!("interrupted; nothing written");
    ExitCode::from(130)
}

//! `main reduce FILE`: shrinks a finding while its verdict signature holds
//! (line- then token-level delta debugging, candidates in parallel), and
//! writes the result with its own metadata: into the findings store when
//! FILE is one of its files, else beside FILE as `<name>.reduced.lean`.
//! A kernel finding (`.ndjson`) is checked by its kernels again and
//! reduced on its declarations and terms.

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::args::PipelineArgs;
use super::kernels::kernels_for;
use super::repro::read_source;
use crate::harness::kernels::{check_text, KernelReport, KernelSpec};
use crate::harness::{interrupt, HarnessError, Pipeline, TestReport};
use crate::kernel::{false_theorem, ndjson, Decl};
use crate::lean::ast::Program;
use crate::lean::render::render_program;
use crate::triage::merge::{write_index, VERDICT_DIRS};
use crate::triage::reduce::{
    reduce_environment, reduce_program, reduce_text, Progress, Reduced, SameKernelSignature,
    SameSignature,
};
use crate::triage::store::write_atomic;
use crate::triage::{FindingMeta, FindingReport, Store};

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

pub fn run(args: ReduceArgs) -> anyhow::Result<ExitCode> {
    if args.file.extension().is_some_and(|e| e == "ndjson") {
        return run_kernels(args);
    }
    if let Some(k) = args.kernels.first() {
        anyhow::bail!(
            "--kernel {}=… is for export files (.ndjson); {} is reduced through lake and comparator",
            k.name,
            args.file.display()
        );
    }
    let source = read_source(&args.file)?;
    let config = args.pipeline.pipeline_config()?;
    interrupt::install_handler();
    let pipeline = Pipeline::new(config);
    let started = Instant::now();
    let run = |text: &str| -> anyhow::Result<Option<TestReport>> {
        match pipeline.run(text) {
            Ok(r) => Ok(Some(r)),
            Err(HarnessError::Interrupted) => Ok(None),
            Err(e) => Err(e.into()),
        }
    };
    let Some(first) = run(&source)? else {
        return Ok(interrupted());
    };
    // The signature to keep: the one recorded beside a stored finding, or
    // what the file gives now.
    // The metadata beside a stored finding: its signature and, for a
    // generated one, its tree.
    let mut meta = stored_meta(&args.file);
    let recorded = meta
        .as_ref()
        .and_then(|m| m["signature"].as_str().map(String::from));
    let signature = recorded
        .clone()
        .unwrap_or_else(|| first.signature().to_string());
    if first.signature() != signature {
        anyhow::bail!(
            "{} does not reproduce its recorded signature {signature} (this run: {}); try `main repro --times 5` to see whether it is flaky",
            args.file.display(),
            first.signature()
        );
    }
    if !first.verdict().is_finding() {
        anyhow::bail!(
            "{} is not a finding (verdict {}, {}): nothing to reduce",
            args.file.display(),
            first.verdict(),
            signature
        );
    }
    let jobs = jobs(&args);
    let bar = spinner();
    let oracle = SameSignature {
        pipeline: pipeline.clone(),
        signature: signature.clone(),
    };
    let show = |p: Progress| show_progress(&bar, p, source.len());
    // A finding the generator wrote carries its tree: shrink that first.
    let tree = meta
        .as_mut()
        .and_then(stored_program)
        .filter(|(p, _)| render_program(p).text == source);
    let result = match &tree {
        Some((program, depth)) => reduce_program(program, *depth, &oracle, jobs, &show),
        None => reduce_text(&source, &oracle, jobs, &show),
    };
    let Some(reduced) = settle(&bar, result)? else {
        return Ok(interrupted());
    };
    // One more run of the result: its report goes with it.
    let Some(last) = run(&reduced.text)? else {
        return Ok(interrupted());
    };
    if last.signature() != signature {
        anyhow::bail!(
            "the reduced file gave {} on its final run instead of {signature}: the finding is flaky; nothing written",
            last.signature()
        );
    }
    let written = write_result(&args.file, &reduced.text, &last, Vec::new())?;
    let ratio = source.len() as f64 / reduced.text.len().max(1) as f64;
    println!(
        "reduced {}{}: {} -> {} bytes ({ratio:.1}x smaller) in {} tests, {:.1} s, {jobs} at a time; signature {signature}; written to {}",
        args.file.display(),
        if tree.is_some() { " (tree, then text)" } else { "" },
        source.len(),
        reduced.text.len(),
        reduced.tests + 2,
        started.elapsed().as_secs_f64(),
        written.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn jobs(args: &ReduceArgs) -> usize {
    args.jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `main reduce FILE.ndjson`: a kernel finding through the same kernels,
/// reduced on its declarations and terms.
fn run_kernels(args: ReduceArgs) -> anyhow::Result<ExitCode> {
    let source = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
    let (_, decls) =
        ndjson::read(&source).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let meta = stored_meta(&args.file);
    let kernels = kernels_for(&args.file, &args.kernels)?;
    interrupt::install_handler();
    let started = Instant::now();
    let work = tempfile::Builder::new()
        .prefix("leanfuzz-reduce-")
        .tempdir_in(args.pipeline.work_root()?)
        .map_err(|e| anyhow::anyhow!("cannot make a work dir: {e}"))?;
    let limits = args.pipeline.limits();
    let run = |text: &str, decls: &[Decl]| -> anyhow::Result<Option<KernelReport>> {
        let falsity = false_theorem(decls).map(|n| n.to_string());
        match check_text(text, &kernels, &limits, work.path(), falsity.as_deref()) {
            Ok(r) => Ok(Some(r)),
            Err(HarnessError::Interrupted) => Ok(None),
            Err(e) => Err(e.into()),
        }
    };
    let Some(first) = run(&source, &decls)? else {
        return Ok(interrupted());
    };
    let signature = meta
        .as_ref()
        .and_then(|m| m["signature"].as_str().map(String::from))
        .unwrap_or_else(|| first.signature.clone());
    if first.signature != signature {
        anyhow::bail!(
            "{} does not reproduce its recorded signature {signature} (this run: {})",
            args.file.display(),
            first.signature
        );
    }
    if !first.verdict.is_finding() {
        anyhow::bail!(
            "{} is not a finding (verdict {}, {}): nothing to reduce",
            args.file.display(),
            first.verdict,
            signature
        );
    }
    let jobs = jobs(&args);
    let bar = spinner();
    let oracle = SameKernelSignature {
        kernels: kernels.clone(),
        limits: limits.clone(),
        work_root: work.path().to_path_buf(),
        signature: signature.clone(),
    };
    let show = |p: Progress| show_progress(&bar, p, source.len());
    let Some(reduced) = settle(&bar, reduce_environment(&decls, &oracle, jobs, &show))? else {
        return Ok(interrupted());
    };
    let (_, left) = ndjson::read(&reduced.text)
        .map_err(|e| anyhow::anyhow!("the reduced export file does not read back: {e}"))?;
    let Some(last) = run(&reduced.text, &left)? else {
        return Ok(interrupted());
    };
    if last.signature != signature {
        anyhow::bail!(
            "the reduced file gave {} on its final run instead of {signature}: the finding is flaky; nothing written",
            last.signature
        );
    }
    let specs = kernels
        .iter()
        .map(|k| format!("{}={}", k.name, k.program.display()))
        .collect();
    let written = write_result(&args.file, &reduced.text, &last, specs)?;
    println!(
        "reduced {}: {} -> {} declarations, {} -> {} bytes in {} tests, {:.1} s, {jobs} at a time; signature {signature}; written to {}",
        args.file.display(),
        decls.len(),
        left.len(),
        source.len(),
        reduced.text.len(),
        reduced.tests + 2,
        started.elapsed().as_secs_f64(),
        written.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The progress line: tests run, current size against the original's.
fn show_progress(bar: &ProgressBar, p: Progress, was: usize) {
    bar.set_message(format!(
        "{} tests, {} bytes (was {was}), pass: {}",
        p.tests, p.bytes, p.pass
    ))
}

/// Clears the progress line; a reduction the user interrupted is `None`.
fn settle(bar: &ProgressBar, result: anyhow::Result<Reduced>) -> anyhow::Result<Option<Reduced>> {
    bar.finish_and_clear();
    match result {
        Ok(r) => Ok(Some(r)),
        Err(_) if interrupt::requested() => Ok(None),
        Err(e) => Err(e),
    }
}

fn interrupted() -> ExitCode {
    eprintln!("interrupted; nothing written");
    ExitCode::from(130)
}

/// The generated program (and its depth bound) recorded beside a finding.
fn stored_program(meta: &mut serde_json::Value) -> Option<(Program, usize)> {
    let depth = meta["depth"].as_u64().unwrap_or(10) as usize;
    let program = serde_json::from_value(meta.get_mut("program")?.take()).ok()?;
    Some((program, depth))
}

/// The metadata beside a stored finding, if it has readable metadata.
fn stored_meta(file: &Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(file.with_extension("json")).ok()?).ok()
}

/// The store root when `file` is `<root>/<verdict>/<signature-hash>/<name>.lean`.
fn store_root(file: &Path) -> Option<PathBuf> {
    let sigdir = file.parent()?;
    let verdict_dir = sigdir.parent()?;
    let verdict = verdict_dir.file_name()?.to_str()?;
    VERDICT_DIRS
        .contains(&verdict)
        .then(|| verdict_dir.parent().map(Path::to_path_buf))
        .flatten()
}

/// Into the store (and its index) when the original is a stored finding;
/// else `<name>.reduced.lean` and `.json` beside it.
fn write_result<R: FindingReport>(
    original: &Path,
    text: &str,
    report: &R,
    kernels: Vec<String>,
) -> anyhow::Result<PathBuf> {
    let meta = FindingMeta {
        origin: "reduce".into(),
        instance: format!("reduce:{}", original.display()),
        reduced_from: Some(original.display().to_string()),
        kernels,
        ..Default::default()
    };
    if let Some(root) = store_root(original) {
        let path = Store::new(&root)
            .save(text, report, &meta)?
            .context("a finding is always stored")?
            .path;
        write_index(&root)?;
        return Ok(path);
    }
    let dir = original
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "finding".into());
    let lean = dir.join(format!("{stem}.reduced.{}", R::EXTENSION));
    let json = serde_json::json!({
        "verdict": report.verdict(),
        "signature": report.signature(),
        "signature_hash": report.signature_hash(),
        "bytes": text.len(),
        "meta": meta,
        "report": report,
    });
    write_atomic(
        dir,
        &lean.with_extension("json"),
        &serde_json::to_vec_pretty(&json)?,
    )?;
    write_atomic(dir, &lean, text.as_bytes())?;
    Ok(lean)
}

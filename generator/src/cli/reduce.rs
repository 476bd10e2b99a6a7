//! `main reduce FILE`: shrinks a finding while its verdict signature holds
//! (line- then token-level delta debugging, candidates in parallel), and
//! writes the result with its own metadata: into the findings store when
//! FILE is one of its files, else beside FILE as `<name>.reduced.lean`.

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::args::PipelineArgs;
use super::repro::read_source;
use crate::harness::{interrupt, HarnessError, Pipeline, TestReport};
use crate::lean::ast::Program;
use crate::lean::render::render_program;
use crate::triage::merge::{write_index, VERDICT_DIRS};
use crate::triage::reduce::{reduce_program, reduce_text, Progress, SameSignature};
use crate::triage::store::write_atomic;
use crate::triage::{FindingMeta, Store};

#[derive(Debug, Args)]
pub struct ReduceArgs {
    /// The finding to shrink (a file of the findings store, or any .lean file)
    #[arg(value_name = "FILE.lean")]
    pub file: PathBuf,
    /// Candidates tested at once [default: the number of cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub jobs: Option<u64>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

pub fn run(args: ReduceArgs) -> anyhow::Result<ExitCode> {
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
    let jobs = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let oracle = SameSignature {
        pipeline: pipeline.clone(),
        signature: signature.clone(),
    };
    let show = |p: Progress| {
        bar.set_message(format!(
            "{} tests, {} bytes (was {}), pass: {}",
            p.tests,
            p.bytes,
            source.len(),
            p.pass
        ))
    };
    // A finding the generator wrote carries its tree: shrink that first.
    let tree = meta
        .as_mut()
        .and_then(stored_program)
        .filter(|(p, _)| render_program(p).text == source);
    let result = match &tree {
        Some((program, depth)) => reduce_program(program, *depth, &oracle, jobs, &show),
        None => reduce_text(&source, &oracle, jobs, &show),
    };
    let reduced = match result {
        Ok(r) => r,
        Err(_) if interrupt::requested() => {
            bar.finish_and_clear();
            return Ok(interrupted());
        }
        Err(e) => {
            bar.finish_and_clear();
            return Err(e);
        }
    };
    bar.finish_and_clear();
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
    let written = write_result(&args.file, &reduced.text, &last)?;
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
fn write_result(original: &Path, text: &str, report: &TestReport) -> anyhow::Result<PathBuf> {
    let meta = FindingMeta {
        origin: "reduce".into(),
        instance: format!("reduce:{}", original.display()),
        depth: None,
        profile: None,
        repro: None,
        reduced_from: Some(original.display().to_string()),
        program: None,
        kernels: Vec::new(),
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
    let lean = dir.join(format!("{stem}.reduced.lean"));
    let json = serde_json::json!({
        "verdict": report.verdict(),
        "signature": report.signature(),
        "signature_hash": report.signature_hash,
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

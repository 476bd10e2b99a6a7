//! The one triage workflow — reproduce, reduce, confirm, store, index —
//! written once over a [`Judge`] (a checker with the oracles that judge
//! its reports). The fuzz loop's auto-reduction, `main repro`,
//! `main reduce` and `main kernels` all call it.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::merge::{verdict_dirs, write_index};
use super::reduce::{Oracle, Reduced};
use super::store::{FindingMeta, ReproRuns, Saved, Store};
use super::FindingRecord;
use crate::harness::{Checker, HarnessError, Pipeline, Report};
use crate::oracles::LabelledKernels;

/// What decides a file's verdict: a checker, and the oracles that judge
/// its report against what the input claims.
pub trait Judge: Sync {
    /// The extension of the files it judges (`lean`, `ndjson`).
    fn extension(&self) -> &'static str;

    /// Checks `text` and judges the report.
    fn judge(&self, text: &str) -> Result<Report, HarnessError>;
}

/// A Lean file claims nothing: the pipeline's verdict table is the judge.
impl Judge for Pipeline {
    fn extension(&self) -> &'static str {
        Checker::extension(self)
    }

    fn judge(&self, text: &str) -> Result<Report, HarnessError> {
        self.check(text)
    }
}

/// An export file through the external kernels, judged by its label.
impl Judge for LabelledKernels {
    fn extension(&self) -> &'static str {
        self.checker.extension()
    }

    fn judge(&self, text: &str) -> Result<Report, HarnessError> {
        self.judge_text(text)
    }
}

/// The oracle of a reduction: a candidate keeps the finding when the
/// judge gives it the same signature.
pub struct SameSignature<'a> {
    pub judge: &'a dyn Judge,
    pub signature: String,
}

impl Oracle for SameSignature<'_> {
    fn keeps(&self, text: &str) -> anyhow::Result<bool> {
        match self.judge.judge(text) {
            Ok(r) => Ok(r.signature() == self.signature),
            Err(HarnessError::Interrupted) => anyhow::bail!("interrupted"),
            Err(e) => Err(e.into()),
        }
    }
}

/// Judges `text` `times` times (to tell a stable finding from a flaky
/// one) and says how the runs came out; the most severe report comes
/// first.
pub fn reproduce(
    judge: &dyn Judge,
    text: &str,
    times: u32,
) -> Result<(Vec<Report>, ReproRuns), HarnessError> {
    let mut reports = Vec::new();
    for _ in 0..times.max(1) {
        reports.push(judge.judge(text)?);
    }
    let mut outcomes = std::collections::BTreeMap::new();
    for r in &reports {
        *outcomes.entry(r.signature().to_string()).or_insert(0) += 1;
    }
    let runs = ReproRuns {
        runs: reports.len() as u32,
        stable: outcomes.len() == 1,
        outcomes,
    };
    reports.sort_by_key(|r| r.verdict());
    Ok((reports, runs))
}

/// Judges `file`'s text once; with `expected`, the report must give that
/// signature (a stored finding's), and in any case it must be a finding.
pub fn reproduce_finding(
    judge: &dyn Judge,
    file: &Path,
    text: &str,
    expected: Option<&str>,
) -> anyhow::Result<Result<Report, HarnessError>> {
    let report = match judge.judge(text) {
        Ok(r) => r,
        Err(HarnessError::Interrupted) => return Ok(Err(HarnessError::Interrupted)),
        Err(e) => return Err(e.into()),
    };
    if let Some(sig) = expected.filter(|s| *s != report.signature()) {
        anyhow::bail!(
            "{} does not reproduce its recorded signature {sig} (this run: {}); try `main repro --times 5` to see whether it is flaky",
            file.display(),
            report.signature()
        );
    }
    if !report.verdict().is_finding() {
        anyhow::bail!(
            "{} is not a finding (verdict {}, {}): nothing to reduce",
            file.display(),
            report.verdict(),
            report.signature()
        );
    }
    Ok(Ok(report))
}

/// Shrinks a finding with `reduce` (given the oracle that keeps its
/// signature), then confirms the result by judging it once more: a result
/// that gives another signature on that run is an error (the finding is
/// flaky), never stored.
pub fn reduce_confirmed(
    judge: &dyn Judge,
    signature: &str,
    reduce: &dyn Fn(&dyn Oracle) -> anyhow::Result<Reduced>,
) -> anyhow::Result<(Reduced, Report)> {
    let oracle = SameSignature {
        judge,
        signature: signature.to_string(),
    };
    let reduced = reduce(&oracle)?;
    let last = match judge.judge(&reduced.text) {
        Ok(r) => r,
        Err(HarnessError::Interrupted) => anyhow::bail!("interrupted"),
        Err(e) => return Err(e.into()),
    };
    if last.signature() != signature {
        anyhow::bail!(
            "the reduced file gave {} on its final run instead of {signature}: the finding is flaky; nothing written",
            last.signature()
        );
    }
    Ok((reduced, last))
}

/// Stores a finding; when its file is new, says so on stdout
/// (`[instance] verdict: signature -> path`) and returns the path.
pub fn store_finding(
    store: &Store,
    text: &str,
    ext: &str,
    report: &Report,
    meta: &FindingMeta,
) -> anyhow::Result<Option<PathBuf>> {
    match store.save(text, ext, report, meta)? {
        Some(saved) if saved.new => {
            println!(
                "[{}] {}: {} -> {}",
                meta.instance,
                report.verdict(),
                report.signature(),
                saved.path.display()
            );
            Ok(Some(saved.path))
        }
        _ => Ok(None),
    }
}

/// The metadata of a reduction of the finding at `from`.
pub fn reduced_meta(meta: &FindingMeta, from: &Path) -> FindingMeta {
    FindingMeta {
        origin: "reduce".into(),
        reduced_from: Some(from.display().to_string()),
        ..meta.clone()
    }
}

/// The store root when `file` is `<root>/<verdict>/<signature-hash>/<name>`.
pub fn store_root(file: &Path) -> Option<PathBuf> {
    let verdict_dir = file.parent()?.parent()?;
    let verdict = verdict_dir.file_name()?.to_str()?;
    verdict_dirs()
        .any(|v| v == verdict)
        .then(|| verdict_dir.parent().map(Path::to_path_buf))
        .flatten()
}

/// Writes a reduction of the finding at `original`: into its store beside
/// it (and the store's index refreshed) when it is a stored finding, else
/// beside it as `<name>.reduced.<ext>` with the same record the store
/// writes.
pub fn save_reduced(
    original: &Path,
    text: &str,
    ext: &str,
    report: &Report,
    meta: &FindingMeta,
) -> anyhow::Result<PathBuf> {
    let meta = reduced_meta(meta, original);
    if let Some(root) = store_root(original) {
        let Saved { path, .. } = Store::new(&root)
            .save(text, ext, report, &meta)?
            .context("a finding is always stored")?;
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
    let file = dir.join(format!("{stem}.reduced.{ext}"));
    FindingRecord::new(text, report, &meta).write(&file)?;
    super::store::write_atomic(dir, &file, text.as_bytes())?;
    Ok(file)
}

//! The findings store (DESIGN.md): `solutions/<verdict>/<signature-hash>/
//! <sha256>.lean` (or `.ndjson`, for the kernel target) with
//! `<sha256>.json` beside it. Writes go to a temporary file in the target
//! directory and are renamed into place, metadata first and the finding
//! last, so a reader that sees a finding also sees its metadata, and a writer killed half-way leaves only a temporary file.
//! The name is the content's SHA-256, so writing the same finding twice (by
//! any number of instances) is a no-op.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::harness::kernels::KernelReport;
use crate::harness::{TestReport, Verdict};

/// A test's report as the store records it: the pipeline's for a Lean
/// program (`.lean`), the kernels' for an export file (`.ndjson`).
pub trait FindingReport: Serialize {
    /// The finding file's extension.
    const EXTENSION: &'static str;
    fn verdict(&self) -> Verdict;
    fn signature(&self) -> &str;
    fn signature_hash(&self) -> &str;
}

impl FindingReport for TestReport {
    const EXTENSION: &'static str = "lean";
    fn verdict(&self) -> Verdict {
        TestReport::verdict(self)
    }
    fn signature(&self) -> &str {
        TestReport::signature(self)
    }
    fn signature_hash(&self) -> &str {
        &self.signature_hash
    }
}

impl FindingReport for KernelReport {
    const EXTENSION: &'static str = "ndjson";
    fn verdict(&self) -> Verdict {
        self.verdict
    }
    fn signature(&self) -> &str {
        &self.signature
    }
    fn signature_hash(&self) -> &str {
        &self.signature_hash
    }
}

/// Where a finding came from, recorded beside it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingMeta {
    /// `generator`, `repro`, …
    pub origin: String,
    /// Which fuzzing instance or client found it.
    pub instance: String,
    pub depth: Option<usize>,
    pub profile: Option<String>,
    /// For `main repro --times N`: how the runs came out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repro: Option<ReproRuns>,
    /// For `main reduce`: the file this one was shrunk from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduced_from: Option<String>,
    /// The generated program's tree, so `main reduce` can shrink it as a
    /// tree before it shrinks its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<crate::lean::ast::Program>,
    /// For an export file: the kernels that judged it (`NAME=PATH`), so
    /// `main reduce` and `main kernels` can run them again.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub kernels: Vec<String>,
}

/// The outcomes of running one file several times: a finding that does not
/// come back every time is flaky, and says so in its metadata.
#[derive(Debug, Clone, Serialize)]
pub struct ReproRuns {
    pub runs: u32,
    /// Signature → how many runs gave it.
    pub outcomes: std::collections::BTreeMap<String, u32>,
    pub stable: bool,
}

/// The metadata file's content.
#[derive(Serialize)]
struct Record<'a, R: Serialize> {
    verdict: Verdict,
    signature: &'a str,
    signature_hash: &'a str,
    sha256: &'a str,
    bytes: usize,
    found_unix_secs: u64,
    #[serde(flatten)]
    meta: &'a FindingMeta,
    report: &'a R,
}

/// Where a finding is, and whether this call wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    pub new: bool,
}

/// A findings store rooted at one directory (usually `solutions/`).
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// The hex SHA-256 of a finding's text: its file name.
pub fn content_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stores `text` as a finding of `report` (a no-op when it is already
    /// there). Returns where it is, or `None` when the verdict is not a
    /// finding.
    pub fn save<R: FindingReport>(
        &self,
        text: &str,
        report: &R,
        meta: &FindingMeta,
    ) -> anyhow::Result<Option<Saved>> {
        let verdict = report.verdict();
        if !verdict.is_finding() {
            return Ok(None);
        }
        let dir = self
            .root
            .join(verdict.as_str())
            .join(report.signature_hash());
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let sha = content_hash(text);
        let file = dir.join(format!("{sha}.{}", R::EXTENSION));
        if file.exists() {
            return Ok(Some(Saved {
                path: file,
                new: false,
            }));
        }
        let record = Record {
            verdict,
            signature: report.signature(),
            signature_hash: report.signature_hash(),
            sha256: &sha,
            bytes: text.len(),
            found_unix_secs: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            meta,
            report,
        };
        let json = serde_json::to_vec_pretty(&record)?;
        write_atomic(&dir, &dir.join(format!("{sha}.json")), &json)?;
        write_atomic(&dir, &file, text.as_bytes())?;
        Ok(Some(Saved {
            path: file,
            new: true,
        }))
    }
}

/// Writes `bytes` to `path` through a temporary file in `dir` and a rename.
pub(crate) fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let fail = |e: std::io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

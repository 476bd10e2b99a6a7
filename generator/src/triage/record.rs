//! The finding record: the `.json` beside every finding file, written and
//! read with one type (the store, `main reduce` outside a store, merge and
//! the index all use it). A record written by an older version that lacks
//! today's report shape still yields its [`RecordHead`].

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::store::{content_hash, write_atomic, FindingMeta};
use crate::harness::judges::{JudgeOutcome, JudgeSplit};
use crate::harness::{Report, Verdict};

/// What the store records beside a finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingRecord {
    pub verdict: Verdict,
    pub signature: String,
    pub signature_hash: String,
    pub sha256: String,
    pub bytes: usize,
    pub found_unix_secs: u64,
    #[serde(flatten)]
    pub meta: FindingMeta,
    pub report: Report,
    /// The verifier-table key of the test (`lake:pass comparator:fail …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifiers: Option<String>,
    /// What each judge stage said (outcome, normalized reason, answers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judges: Vec<JudgeOutcome>,
    /// For a verdict across judges: who accepted, who rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_split: Option<JudgeSplit>,
}

/// The part of a record every version has: enough to place and index a
/// finding.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordHead {
    pub verdict: Verdict,
    pub signature: String,
    pub signature_hash: String,
    #[serde(default)]
    pub found_unix_secs: Option<u64>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub verifiers: Option<String>,
}

/// The record file beside a finding file.
pub fn record_path(finding: &Path) -> PathBuf {
    finding.with_extension("json")
}

impl FindingRecord {
    /// The record of `text` found with `report`, now.
    pub fn new(text: &str, report: &Report, meta: &FindingMeta) -> Self {
        FindingRecord {
            verdict: report.verdict(),
            signature: report.signature().to_string(),
            signature_hash: report.signature_hash.clone(),
            sha256: content_hash(text),
            bytes: text.len(),
            found_unix_secs: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            meta: meta.clone(),
            report: report.clone(),
            verifiers: report.verifiers(),
            judges: report.judges.clone(),
            judge_split: report.judge_split.clone(),
        }
    }

    /// Writes the record beside `finding` (atomically).
    pub fn write(&self, finding: &Path) -> anyhow::Result<()> {
        let path = record_path(finding);
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        write_atomic(dir, &path, &serde_json::to_vec_pretty(self)?)
    }

    /// The record beside `finding`; an error names the file.
    pub fn read(finding: &Path) -> anyhow::Result<Self> {
        read_json(&record_path(finding))
    }
}

impl RecordHead {
    /// The head of the record at `json` (the record file itself).
    pub fn read(json: &Path) -> anyhow::Result<Self> {
        read_json(json)
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{} is not a finding record: {e}", path.display()))
}

//! One report type for every checker: the verdict with its signature and
//! evidence, and how each stage went (a `lake build`, a comparator run, one
//! external kernel's run). The store writes it beside every finding and
//! reads it back with the same type.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::judges::{JudgeOutcome, JudgeSplit};
use super::process::Termination;
use super::verdict::{Classification, Verdict};

/// What one external kernel said of an export file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KernelAnswer {
    Accept,
    Reject,
    /// The kernel would not check the file (nanoda's exit 2 and 1).
    Declined,
    Crash,
    Timeout,
}

/// What one stage did, for reports and finding metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageReport {
    /// `build`, `comparator`, or the name of an external kernel.
    pub name: String,
    /// The command line as run, for reproduction by hand.
    pub command: Vec<String>,
    pub termination: Termination,
    #[serde(with = "duration_secs")]
    pub duration: Duration,
    /// Captured standard output (size-capped: head and tail are kept).
    pub stdout: String,
    /// Captured standard error (size-capped: head and tail are kept).
    pub stderr: String,
    /// Bytes dropped from the middle of stdout and stderr by the size cap.
    pub omitted_bytes: u64,
    /// For an external kernel's run: its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<KernelAnswer>,
}

/// Everything one check produced: the verdict and how each stage went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    #[serde(flatten)]
    pub classification: Classification,
    pub signature_hash: String,
    pub stages: Vec<StageReport>,
    /// Stages that did not run, with the reason (e.g. comparator after a failed build).
    #[serde(default)]
    pub skipped: Vec<String>,
    /// Each stage's outcome as the verifier table counts it (the build and
    /// every configured judge stage, skipped ones too); empty for checkers
    /// without judges (the external kernels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judges: Vec<JudgeOutcome>,
    /// Which judges accepted and which rejected, when the verdict is one
    /// across judges (soundness or a judge disagreement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_split: Option<JudgeSplit>,
    #[serde(with = "duration_secs")]
    pub workspace_setup: Duration,
    #[serde(with = "duration_secs")]
    pub total: Duration,
}

impl Report {
    pub fn verdict(&self) -> Verdict {
        self.classification.verdict
    }

    pub fn signature(&self) -> &str {
        &self.classification.signature
    }

    /// The verifier-table key (`lake:pass comparator:skip replay:pass …`),
    /// `None` when no judges applied (README, "Judges").
    pub fn verifiers(&self) -> Option<String> {
        super::judges::verifiers_key(&self.judges)
    }

    /// The same report under another classification (an oracle's
    /// judgement), its signature hash following.
    pub fn reclassified(mut self, classification: Classification) -> Report {
        self.signature_hash = classification.signature_hash();
        self.classification = classification;
        self
    }

    /// Whether a comparator run (either config) got past the statement and
    /// axiom checks to its kernels; `None` when comparator did not run.
    /// This is what "valid" means for a generated program: it reached the
    /// kernels.
    pub fn reached_kernels(&self) -> Option<bool> {
        let mut judged = self
            .stages
            .iter()
            .filter(|s| s.name == "comparator" || s.name == "replay")
            .peekable();
        judged.peek()?;
        Some(judged.any(|s| {
            super::classify::reached_kernels(&super::classify::StageOutput {
                termination: &s.termination,
                stdout: &s.stdout,
                stderr: &s.stderr,
            })
        }))
    }

    /// The external kernels' runs, with their answers.
    pub fn kernel_runs(&self) -> impl Iterator<Item = (&StageReport, KernelAnswer)> {
        self.stages.iter().filter_map(|s| s.answer.map(|a| (s, a)))
    }
}

/// Durations as fractional seconds in JSON: readable and plot-friendly.
mod duration_secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}

//! Verdicts: what one test amounted to, most severe first, with a short
//! normalized signature that groups findings of the same bug.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

use super::process::Termination;

/// The outcome class of one test (DESIGN.md, "Verdicts"). The order of the
/// variants is the order of severity: a smaller value is more severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The judge accepted a proof of the challenge, which is false by construction.
    Soundness,
    /// The Lean kernel and an external kernel disagree.
    Disagreement,
    /// A process died by a signal, aborted, panicked or overflowed its stack.
    Crash,
    /// A stage ran past its wall-clock or memory limit.
    Timeout,
    /// The build failed or the judge rejected, normally. Not a finding.
    Rejected,
}

impl Verdict {
    /// The lowercase name used in signatures, folders and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Soundness => "soundness",
            Verdict::Disagreement => "disagreement",
            Verdict::Crash => "crash",
            Verdict::Timeout => "timeout",
            Verdict::Rejected => "rejected",
        }
    }

    /// Whether a test with this verdict is kept in the findings store.
    pub fn is_finding(self) -> bool {
        self != Verdict::Rejected
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One verdict with its signature and a one-line human explanation, as the
/// classifier produces it for a stage or for the whole test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub verdict: Verdict,
    /// Normalized, stable across runs of the same bug: no paths, line
    /// numbers, generated names or numbers (e.g. `crash:lean:SIGSEGV`).
    pub signature: String,
    /// The line of output that decided the verdict, for humans.
    pub evidence: String,
}

impl Classification {
    pub fn new(
        verdict: Verdict,
        signature: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Self {
        Classification {
            verdict,
            signature: signature.into(),
            evidence: evidence.into(),
        }
    }

    /// A short stable hash of the signature: the folder name that groups
    /// findings of one bug in the store.
    pub fn signature_hash(&self) -> String {
        signature_hash(&self.signature)
    }
}

/// First 16 hex digits of the SHA-256 of a signature.
pub fn signature_hash(signature: &str) -> String {
    let digest = Sha256::digest(signature.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// What one stage (a `lake build`, a comparator run) did, for reports and
/// finding metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageReport {
    /// `build` or `comparator`.
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
}

/// Everything one test produced: the verdict and how each stage went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestReport {
    #[serde(flatten)]
    pub classification: Classification,
    pub signature_hash: String,
    pub stages: Vec<StageReport>,
    /// Stages that did not run, with the reason (e.g. comparator after a failed build).
    pub skipped: Vec<String>,
    #[serde(with = "duration_secs")]
    pub workspace_setup: Duration,
    #[serde(with = "duration_secs")]
    pub total: Duration,
}

impl TestReport {
    pub fn verdict(&self) -> Verdict {
        self.classification.verdict
    }

    pub fn signature(&self) -> &str {
        &self.classification.signature
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_matches_design() {
        let mut v = vec![
            Verdict::Rejected,
            Verdict::Timeout,
            Verdict::Soundness,
            Verdict::Crash,
            Verdict::Disagreement,
        ];
        v.sort();
        assert_eq!(
            v,
            vec![
                Verdict::Soundness,
                Verdict::Disagreement,
                Verdict::Crash,
                Verdict::Timeout,
                Verdict::Rejected
            ]
        );
    }

    #[test]
    fn signature_hash_is_stable_and_short() {
        let a = signature_hash("crash:lean:SIGSEGV");
        assert_eq!(a.len(), 16);
        assert_eq!(a, signature_hash("crash:lean:SIGSEGV"));
        assert_ne!(a, signature_hash("crash:lean:SIGABRT"));
    }

    #[test]
    fn only_rejected_is_not_a_finding() {
        assert!(!Verdict::Rejected.is_finding());
        assert!(Verdict::Timeout.is_finding());
        assert!(Verdict::Soundness.is_finding());
    }
}

//! Verdicts: what one test amounted to, most severe first, with a short
//! normalized signature that groups findings of the same bug.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The outcome class of one test (README, "Verdicts and signatures"). The order of the
/// variants is the order of severity: a smaller value is more severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The judge accepted a proof of the challenge, which is false by construction.
    Soundness,
    /// The Lean kernel and an external kernel disagree.
    Disagreement,
    /// Two judges (comparator, SafeVerify, lean4checker) answer the same
    /// question about the same build differently (`harness::judges`).
    JudgeDisagreement,
    /// A kernel accepted what the generator built ill-formed (soundness class).
    UnexpectedAccept,
    /// A kernel rejected what the generator built well-formed (a
    /// completeness bug of the kernel, or a generator bug).
    UnexpectedReject,
    /// A semantics-preserving variant changed a kernel's answer.
    Metamorphic,
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
            Verdict::JudgeDisagreement => "judge-disagreement",
            Verdict::UnexpectedAccept => "unexpected-accept",
            Verdict::UnexpectedReject => "unexpected-reject",
            Verdict::Metamorphic => "metamorphic",
            Verdict::Crash => "crash",
            Verdict::Timeout => "timeout",
            Verdict::Rejected => "rejected",
        }
    }

    /// Every verdict, most severe first: the store's folders are the
    /// findings among them.
    pub const ALL: [Verdict; 9] = [
        Verdict::Soundness,
        Verdict::Disagreement,
        Verdict::JudgeDisagreement,
        Verdict::UnexpectedAccept,
        Verdict::UnexpectedReject,
        Verdict::Metamorphic,
        Verdict::Crash,
        Verdict::Timeout,
        Verdict::Rejected,
    ];

    /// The verdict named `s` (as [`Verdict::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_order_matches_design() {
        let mut v = Verdict::ALL.to_vec();
        v.reverse();
        v.sort();
        assert_eq!(v, Verdict::ALL.to_vec());
        assert!(Verdict::Disagreement < Verdict::JudgeDisagreement);
        assert!(Verdict::JudgeDisagreement < Verdict::UnexpectedAccept);
        assert!(Verdict::UnexpectedReject < Verdict::Metamorphic);
        assert!(Verdict::Metamorphic < Verdict::Crash);
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
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

//! One stage's outcome as the verifier table counts it, and the answers
//! it gives to the judges' questions (see the parent module).

use serde::{Deserialize, Serialize};

use super::Judge;
use crate::harness::verdict::{Classification, Verdict};

/// How one stage ended, as the verifier table counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The build succeeded, or the judge accepted.
    Pass,
    /// The build failed, or the judge rejected.
    Fail,
    Crash,
    Timeout,
    /// The stage did not run (a failed build, a `sorry` proof, a mode).
    Skip,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Crash => "crash",
            Outcome::Timeout => "timeout",
            Outcome::Skip => "skip",
        }
    }

    /// The outcome of a stage from its classification: an accepting one is
    /// `accepted`.
    pub fn of(class: &Classification, accepted: bool) -> Outcome {
        match class.verdict {
            Verdict::Crash => Outcome::Crash,
            Verdict::Timeout => Outcome::Timeout,
            _ if accepted => Outcome::Pass,
            _ => Outcome::Fail,
        }
    }
}

/// One stage's answer: for the verifier table, the finding record and the
/// verdict across judges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeOutcome {
    /// `lake`, `comparator`, `replay`, `safeverify` or `lean4checker`.
    pub stage: String,
    /// The judge the stage belongs to (`lake` for the build).
    pub judge: String,
    pub outcome: Outcome,
    /// The stage's normalized reason: its classification's signature, or
    /// why it was skipped (`skip:<why>`).
    pub reason: String,
    /// Its answer to "is `soundness_check : False` proved?", if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soundness: Option<bool>,
    /// Its answer to "does the kernel accept every declaration?", if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<bool>,
}

impl JudgeOutcome {
    /// A stage that did not run, and why (a short slug).
    pub fn skipped(stage: &str, judge: &str, why: &str) -> Self {
        JudgeOutcome {
            stage: stage.into(),
            judge: judge.into(),
            outcome: Outcome::Skip,
            reason: format!("skip:{why}"),
            soundness: None,
            replay: None,
        }
    }
}

/// The build's outcome (`lake`), from its classification.
pub fn build_outcome(class: &Classification, built: bool) -> JudgeOutcome {
    JudgeOutcome {
        stage: "lake".into(),
        judge: "lake".into(),
        outcome: Outcome::of(class, built),
        reason: class.signature.clone(),
        soundness: None,
        replay: None,
    }
}

/// comparator's outcome for one config: `comparator` (config.json)
/// answers soundness, `replay` (replay.json) answers replay — with a
/// kernel's rejection (`replay-reject:kernel-…`, a kernel disagreement)
/// only; its axiom and statement checks answer neither.
pub fn comparator_outcome(stage: &str, class: &Classification) -> JudgeOutcome {
    let sig = class.signature.as_str();
    let (accepted, soundness, replay) = if stage == "replay" {
        // `replay-reject:kernel-error:<k>:exit-N` is an external kernel
        // that gave no judgment (classify, `KernelRuns::disagreement`).
        let kernel_rejected = sig.starts_with("replay-reject:kernel-")
            && !sig.starts_with("replay-reject:kernel-error:");
        let replay = if sig == "replay-ok" {
            Some(true)
        } else if kernel_rejected || class.verdict == Verdict::Disagreement {
            Some(false)
        } else {
            None
        };
        (sig == "replay-ok", None, replay)
    } else {
        let soundness = match class.verdict {
            Verdict::Soundness => Some(true),
            Verdict::Rejected | Verdict::Disagreement => Some(false),
            _ => None,
        };
        (class.verdict == Verdict::Soundness, soundness, None)
    };
    JudgeOutcome {
        stage: stage.into(),
        judge: Judge::Comparator.name().into(),
        outcome: Outcome::of(class, accepted),
        reason: sig.into(),
        soundness,
        replay,
    }
}

/// The fixed place of a stage in reports and keys: the build, comparator's
/// configs, SafeVerify, lean4checker (unknown stages last).
pub fn stage_rank(stage: &str) -> usize {
    ["lake", "comparator", "replay", "safeverify", "lean4checker"]
        .iter()
        .position(|s| *s == stage)
        .unwrap_or(usize::MAX)
}

/// The verifier-table key of a test: `stage:outcome` for the build and
/// every configured judge stage, in the order they run (`lake`,
/// `comparator`, `replay`, `safeverify`, `lean4checker`), separated by
/// spaces, e.g. `lake:pass comparator:skip replay:pass safeverify:fail`.
pub fn verifiers_key(outcomes: &[JudgeOutcome]) -> Option<String> {
    (!outcomes.is_empty()).then(|| {
        outcomes
            .iter()
            .map(|o| format!("{}:{}", o.stage, o.outcome.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lists_every_stage_in_order() {
        let c = |v, sig: &str| Classification::new(v, sig, "");
        let v = [
            build_outcome(&c(Verdict::Rejected, "build-ok"), true),
            JudgeOutcome::skipped("comparator", "comparator", "sorry"),
            comparator_outcome("replay", &c(Verdict::Rejected, "replay-ok")),
        ];
        assert_eq!(
            verifiers_key(&v).unwrap(),
            "lake:pass comparator:skip replay:pass"
        );
        assert_eq!(verifiers_key(&[]), None);
    }

    #[test]
    fn comparator_configs_answer_their_own_question() {
        let c = |v, sig: &str| Classification::new(v, sig, "");
        let ok = comparator_outcome("replay", &c(Verdict::Rejected, "replay-ok"));
        assert_eq!(
            (ok.outcome, ok.replay, ok.soundness),
            (Outcome::Pass, Some(true), None)
        );
        let kernel = comparator_outcome(
            "replay",
            &c(
                Verdict::Rejected,
                "replay-reject:kernel-declaration-type-mismatch",
            ),
        );
        assert_eq!(
            (kernel.outcome, kernel.replay),
            (Outcome::Fail, Some(false))
        );
        // nanoda exiting without a judgment, the axiom check: no answer.
        for sig in [
            "replay-reject:kernel-error:nanoda:exit-127",
            "replay-reject:illegal-axiom:sorryax",
        ] {
            let o = comparator_outcome("replay", &c(Verdict::Rejected, sig));
            assert_eq!((o.outcome, o.replay), (Outcome::Fail, None), "{sig}");
        }
        let accepted = comparator_outcome(
            "comparator",
            &c(Verdict::Soundness, "soundness:judge-accepted"),
        );
        assert_eq!(
            (accepted.outcome, accepted.soundness),
            (Outcome::Pass, Some(true))
        );
        let crashed =
            comparator_outcome("comparator", &c(Verdict::Crash, "crash:comparator:SIGSEGV"));
        assert_eq!((crashed.outcome, crashed.soundness), (Outcome::Crash, None));
    }
}

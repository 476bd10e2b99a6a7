//! The judges a build is checked by (`--judge`), and what each one said:
//! every judge stage's outcome, the verifier-table key that lists them, and
//! the verdict across judges (one accepting the false challenge is
//! soundness; judges answering the same question differently about the
//! same build are a judge disagreement).
//!
//! Each judge has its own contract, so each answers its own questions:
//! - comparator (`config.json`) answers *soundness*: is `soundness_check :
//!   False` proved? Its replay config (`replay.json`) answers *replay*: do
//!   the kernels accept every generated declaration (`replay_check`
//!   depends on all of them)?
//! - SafeVerify answers both in one run: it replays every declaration of
//!   the Solution `.olean` with `Environment.replay` (replay), then checks
//!   that every Challenge theorem has a same-typed Solution counterpart
//!   using only `propext`, `Quot.sound`, `Classical.choice` (soundness:
//!   the Challenge holds `soundness_check : False`, so its acceptance is a
//!   proof of `False`).
//! - lean4checker answers replay only: it re-checks the Solution module's
//!   declarations with the kernel and knows nothing of the challenge.
//!
//! A rejection for a reason outside the question (comparator's axiom check
//! on `replay_check`, SafeVerify's import check) answers neither.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::verdict::{Classification, Verdict};

/// A judge that `--judge` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Judge {
    Comparator,
    SafeVerify,
    Lean4checker,
}

impl Judge {
    /// Every judge, in the order their stages run and appear in keys.
    pub const ALL: [Judge; 3] = [Judge::Comparator, Judge::SafeVerify, Judge::Lean4checker];

    /// The name used by `--judge`, in stage names and in signatures.
    pub fn name(self) -> &'static str {
        match self {
            Judge::Comparator => "comparator",
            Judge::SafeVerify => "safeverify",
            Judge::Lean4checker => "lean4checker",
        }
    }

    /// The judge named `s` (case-insensitive; the tools' own spellings
    /// `safe_verify` and `leanchecker` too).
    pub fn parse(s: &str) -> Option<Judge> {
        match s.to_ascii_lowercase().as_str() {
            "comparator" => Some(Judge::Comparator),
            "safeverify" | "safe_verify" | "safe-verify" => Some(Judge::SafeVerify),
            "lean4checker" | "leanchecker" => Some(Judge::Lean4checker),
            _ => None,
        }
    }

    /// What the judge's own documentation says it does not check, as
    /// (feature, how it shows in a Lean source). A disagreement where this
    /// judge accepted a file using such a feature is labelled a known gap.
    pub fn known_gaps(self) -> &'static [(&'static str, &'static str)] {
        match self {
            // SafeVerify README, "Things that SafeVerify does not check":
            // `implemented_by`, `extern` (checked at
            // /work/refs/GasStationManager+SafeVerify/README.md).
            Judge::SafeVerify => &[("implemented_by", "implemented_by"), ("extern", "@[extern")],
            // lean4checker README: "This is not an external verifier, as it
            // uses the Lean kernel itself" (checked at
            // /work/refs/leanprover+lean4checker/README.md): what Lean's
            // kernel accepts, it accepts. Its sign is an external kernel
            // among the rejecting side, see `known_gap`.
            Judge::Lean4checker => &[],
            Judge::Comparator => &[],
        }
    }
}

impl std::fmt::Display for Judge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The configured judges and their tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judges {
    /// In [`Judge::ALL`] order, without repeats; never empty.
    pub list: Vec<Judge>,
    /// `safe_verify`, when SafeVerify is a judge.
    pub safeverify: Option<PathBuf>,
    /// `lean4checker` (or Lean's own `leanchecker`), when it is a judge.
    pub lean4checker: Option<PathBuf>,
    /// Run lean4checker with `--fresh` (replay the imports too).
    pub lean4checker_fresh: bool,
}

impl Default for Judges {
    /// comparator alone, as before judges could be chosen.
    fn default() -> Self {
        Judges {
            list: vec![Judge::Comparator],
            safeverify: None,
            lean4checker: None,
            lean4checker_fresh: false,
        }
    }
}

impl Judges {
    /// Whether `judge` is configured.
    pub fn has(&self, judge: Judge) -> bool {
        self.list.contains(&judge)
    }

    /// `names` in [`Judge::ALL`] order without repeats (comparator when
    /// empty).
    pub fn ordered(names: &[Judge]) -> Vec<Judge> {
        let list: Vec<Judge> = Judge::ALL
            .into_iter()
            .filter(|j| names.contains(j))
            .collect();
        if list.is_empty() {
            vec![Judge::Comparator]
        } else {
            list
        }
    }
}

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

/// Which judges accepted and which rejected one question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeSplit {
    /// `soundness` or `replay`.
    pub question: String,
    /// `judge(reason)` of each stage that said yes.
    pub accepted: Vec<String>,
    /// `judge(reason)` of each stage that said no.
    pub rejected: Vec<String>,
    /// The documented gap of an accepting judge that the file touches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_gap: Option<String>,
}

/// The verdict across judges, when one applies: soundness when any judge
/// accepted `soundness_check`; a judge disagreement when judges answered
/// the replay question both ways. `source` is the tested file (for known
/// gaps). `None`: the judges' own verdicts stand.
pub fn across_judges(
    outcomes: &[JudgeOutcome],
    source: &str,
) -> Option<(Classification, JudgeSplit)> {
    let split = |question: &str, answer: fn(&JudgeOutcome) -> Option<bool>| {
        let mut s = JudgeSplit {
            question: question.into(),
            ..JudgeSplit::default()
        };
        let mut accepting = Vec::new();
        for o in outcomes {
            let entry = format!("{}({})", o.stage, o.reason);
            match answer(o) {
                Some(true) => {
                    s.accepted.push(entry);
                    accepting.push(o);
                }
                Some(false) => s.rejected.push(entry),
                None => {}
            }
        }
        s.known_gap = known_gap(&accepting, outcomes, source);
        s
    };
    let soundness = split("soundness", |o| o.soundness);
    if !soundness.accepted.is_empty() {
        let who: Vec<&str> = outcomes
            .iter()
            .filter(|o| o.soundness == Some(true))
            .map(|o| o.stage.as_str())
            .collect();
        // comparator alone keeps the signature it always had.
        let mut signature = if who == ["comparator"] {
            "soundness:judge-accepted".to_string()
        } else {
            format!("soundness:judge-accepted:{}", who.join("+"))
        };
        if let Some(gap) = &soundness.known_gap {
            signature.push_str(&format!(":known-gap={gap}"));
        }
        let evidence = format!(
            "soundness_check accepted by {}{}",
            soundness.accepted.join(", "),
            if soundness.rejected.is_empty() {
                String::new()
            } else {
                format!("; rejected by {}", soundness.rejected.join(", "))
            }
        );
        return Some((
            Classification::new(Verdict::Soundness, signature, evidence),
            soundness,
        ));
    }
    let replay = split("replay", |o| o.replay);
    if replay.accepted.is_empty() || replay.rejected.is_empty() {
        return None;
    }
    let mut signature = format!(
        "judge-disagreement:replay:accept={}:reject={}",
        replay.accepted.join("+"),
        replay.rejected.join("+")
    );
    if let Some(gap) = &replay.known_gap {
        signature.push_str(&format!(":known-gap={gap}"));
    }
    let evidence = format!(
        "the judges disagree on this build's declarations: {} accepted, {} rejected",
        replay.accepted.join(", "),
        replay.rejected.join(", ")
    );
    Some((
        Classification::new(Verdict::JudgeDisagreement, signature, evidence),
        replay,
    ))
}

/// `<judge>:<feature>` when an accepting judge's documented gap explains
/// its answer: SafeVerify on a file using `implemented_by` or `extern`;
/// lean4checker (Lean's own kernel) against a rejection by an external
/// kernel (comparator's `disagreement:<kernel>-rejects`).
fn known_gap(accepting: &[&JudgeOutcome], all: &[JudgeOutcome], source: &str) -> Option<String> {
    for o in accepting {
        let Some(judge) = Judge::parse(&o.judge) else {
            continue;
        };
        if let Some((feature, _)) = judge
            .known_gaps()
            .iter()
            .find(|(_, text)| source.contains(text))
        {
            return Some(format!("{judge}:{feature}"));
        }
        let external_rejects = all.iter().any(|r| {
            r.replay == Some(false)
                && r.reason.starts_with("disagreement:")
                && !r.reason.contains("lean-default")
        });
        if judge == Judge::Lean4checker && external_rejects {
            return Some("lean4checker:lean-kernel-only".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(
        stage: &str,
        outcome: Outcome,
        reason: &str,
        s: Option<bool>,
        r: Option<bool>,
    ) -> JudgeOutcome {
        JudgeOutcome {
            stage: stage.into(),
            judge: if stage == "replay" {
                "comparator"
            } else {
                stage
            }
            .into(),
            outcome,
            reason: reason.into(),
            soundness: s,
            replay: r,
        }
    }

    #[test]
    fn names_round_trip() {
        for j in Judge::ALL {
            assert_eq!(Judge::parse(j.name()), Some(j));
        }
        assert_eq!(Judge::parse("SafeVerify"), Some(Judge::SafeVerify));
        assert_eq!(Judge::parse("leanchecker"), Some(Judge::Lean4checker));
        assert_eq!(Judge::parse("lake"), None);
        assert_eq!(
            Judges::ordered(&[Judge::Lean4checker, Judge::Comparator, Judge::Lean4checker]),
            [Judge::Comparator, Judge::Lean4checker]
        );
    }

    #[test]
    fn key_lists_every_stage_in_order() {
        let v = [
            o("lake", Outcome::Pass, "build-ok", None, None),
            JudgeOutcome::skipped("comparator", "comparator", "sorry"),
            o("replay", Outcome::Pass, "replay-ok", None, Some(true)),
        ];
        assert_eq!(
            verifiers_key(&v).unwrap(),
            "lake:pass comparator:skip replay:pass"
        );
        assert_eq!(verifiers_key(&[]), None);
    }

    #[test]
    fn one_accepting_judge_is_soundness_and_names_both_sides() {
        let v = [
            o(
                "comparator",
                Outcome::Fail,
                "judge-reject:x",
                Some(false),
                None,
            ),
            o(
                "safeverify",
                Outcome::Pass,
                "safeverify-ok",
                Some(true),
                Some(true),
            ),
        ];
        let (c, split) = across_judges(&v, "").unwrap();
        assert_eq!(c.verdict, Verdict::Soundness);
        assert_eq!(c.signature, "soundness:judge-accepted:safeverify");
        assert_eq!(split.accepted, ["safeverify(safeverify-ok)"]);
        assert_eq!(split.rejected, ["comparator(judge-reject:x)"]);
    }

    #[test]
    fn replay_answers_both_ways_are_a_judge_disagreement() {
        let v = [
            o("replay", Outcome::Pass, "replay-ok", None, Some(true)),
            o(
                "lean4checker",
                Outcome::Fail,
                "lean4checker-reject:kernel-x",
                None,
                Some(false),
            ),
        ];
        let (c, _) = across_judges(&v, "").unwrap();
        assert_eq!(c.verdict, Verdict::JudgeDisagreement);
        assert_eq!(
            c.signature,
            "judge-disagreement:replay:accept=replay(replay-ok):reject=lean4checker(lean4checker-reject:kernel-x)"
        );
        // No answer to a question is no disagreement.
        let quiet = [
            o(
                "replay",
                Outcome::Fail,
                "replay-reject:illegal-axiom:sorryax",
                None,
                None,
            ),
            o(
                "lean4checker",
                Outcome::Pass,
                "lean4checker-ok",
                None,
                Some(true),
            ),
        ];
        assert!(across_judges(&quiet, "").is_none());
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

    #[test]
    fn a_documented_gap_is_labelled() {
        let v = [
            o(
                "safeverify",
                Outcome::Pass,
                "safeverify-ok",
                Some(true),
                Some(true),
            ),
            o(
                "lean4checker",
                Outcome::Fail,
                "lean4checker-reject:k",
                None,
                Some(false),
            ),
        ];
        let (c, split) = across_judges(&v, "@[implemented_by f] def g := 1").unwrap();
        assert!(
            c.signature
                .ends_with(":known-gap=safeverify:implemented_by"),
            "{}",
            c.signature
        );
        assert_eq!(
            split.known_gap.as_deref(),
            Some("safeverify:implemented_by")
        );
        let v = [
            o(
                "replay",
                Outcome::Fail,
                "disagreement:nanoda-rejects",
                None,
                Some(false),
            ),
            o(
                "lean4checker",
                Outcome::Pass,
                "lean4checker-ok",
                None,
                Some(true),
            ),
        ];
        let (c, _) = across_judges(&v, "").unwrap();
        assert!(
            c.signature
                .ends_with(":known-gap=lean4checker:lean-kernel-only"),
            "{}",
            c.signature
        );
    }
}

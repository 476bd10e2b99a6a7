//! The verdict across judges: soundness when any judge accepted the false
//! challenge, a judge disagreement when judges answered the replay
//! question both ways, with a documented gap labelled.

use serde::{Deserialize, Serialize};

use super::{Judge, JudgeOutcome};
use crate::harness::verdict::{Classification, Verdict};

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
    use super::super::Outcome;
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

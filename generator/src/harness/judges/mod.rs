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

mod across;
mod outcome;

pub use across::{across_judges, JudgeSplit};
pub use outcome::{
    build_outcome, comparator_outcome, stage_rank, verifiers_key, JudgeOutcome, Outcome,
};

use std::path::PathBuf;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

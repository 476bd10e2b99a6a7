//! lean4checker's output (`lake env lean4checker [--fresh] Solution`), as
//! its `Main.lean` writes it (checked against
//! /work/refs/leanprover+lean4checker/Main.lean and README.md): stdout
//! `Searching for modules matching: [M]` and `Found N modules to check`;
//! a kernel rejection while replaying module M prints `lean4checker found
//! a problem in M` on stderr and ends in the uncaught exception (the
//! kernel's `(kernel) …` message), exit 1; no `.olean` for the module is
//! `Could not find any oleans for: M`; success is exit 0 with no verdict
//! line. Lean's built-in `leanchecker` (Lean ≥ 4.28, which the README says
//! replaces it) keeps that interface.
//!
//! Signatures: `lean4checker-ok`, `lean4checker-reject:<kind>` (the
//! kernel's message kind, `kernel-…`, or `no-oleans`),
//! `crash:lean4checker:<what>`, `timeout:lean4checker:<limit>`.

use super::{after, error_kind, exception_message, limit_hit, slug_words, StageOutput};
use crate::harness::judges::{JudgeOutcome, Outcome};
use crate::harness::process::{signal_name, Termination};
use crate::harness::verdict::{Classification, Verdict};

/// The stage and judge name.
pub const NAME: &str = "lean4checker";

/// lean4checker's verdict on one build and its answer to the replay
/// question (it knows nothing of the challenge).
pub fn judge_lean4checker(out: &StageOutput) -> (Classification, JudgeOutcome) {
    let class = classify_lean4checker(out);
    let accepted = class.signature == "lean4checker-ok";
    let found_problem = out
        .lines()
        .any(|l| l.starts_with("lean4checker found a problem in"));
    let replay = if accepted {
        Some(true)
    } else if class.verdict == Verdict::Rejected
        && (found_problem || class.signature.contains(":kernel-"))
    {
        Some(false)
    } else {
        None
    };
    let outcome = JudgeOutcome {
        stage: NAME.into(),
        judge: NAME.into(),
        outcome: Outcome::of(&class, accepted),
        reason: class.signature.clone(),
        soundness: None,
        replay,
    };
    (class, outcome)
}

/// lean4checker's run as one classification (acceptance is the normal
/// case, not a finding).
pub fn classify_lean4checker(out: &StageOutput) -> Classification {
    if let Some(c) = limit_hit(out.termination, NAME) {
        return c;
    }
    for line in out.lines() {
        let what = if let Some(rest) = after(line, "INTERNAL PANIC:") {
            format!("internal-panic:{}", slug_words(rest, 4))
        } else if line.contains("PANIC at ") {
            "panic".into()
        } else if line.contains("Stack overflow detected") {
            "stack-overflow".into()
        } else {
            continue;
        };
        return crash(&what, line.into());
    }
    let code = match out.termination {
        Termination::Signaled { name, .. } => {
            return crash(name, format!("lean4checker killed by {name}"));
        }
        Termination::Exited { code } => *code,
        Termination::TimedOut | Termination::MemoryLimit { .. } => unreachable!("handled above"),
    };
    if let Some(sig) = super::signal_of_exit_code(code) {
        let name = signal_name(sig);
        return crash(&name, format!("lean4checker exited with {code} ({name})"));
    }
    if code == 0 {
        return Classification::new(
            Verdict::Rejected,
            "lean4checker-ok",
            "lean4checker replayed every declaration",
        );
    }
    let (kind, evidence) = match exception_message(out) {
        Some(msg) if msg.starts_with("Could not find any oleans") => ("no-oleans".into(), msg),
        Some(msg) => {
            let kind = match msg.find("(kernel)") {
                Some(i) => error_kind(&msg[i..]),
                None => slug_words(&msg, 6),
            };
            (kind, msg)
        }
        None => (
            format!("exit-{code}"),
            format!("lean4checker exited with {code} and printed no exception"),
        ),
    };
    Classification::new(
        Verdict::Rejected,
        format!("lean4checker-reject:{kind}"),
        evidence,
    )
}

fn crash(what: &str, evidence: String) -> Classification {
    Classification::new(Verdict::Crash, format!("crash:{NAME}:{what}"), evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: Termination, stdout: &str, stderr: &str) -> (Classification, JudgeOutcome) {
        judge_lean4checker(&StageOutput {
            termination: &t,
            stdout,
            stderr,
        })
    }

    #[test]
    fn acceptance_and_kernel_rejection() {
        let (c, o) = run(
            Termination::Exited { code: 0 },
            "Searching for modules matching: [Solution]\nFound 1 modules to check\n",
            "",
        );
        assert_eq!(c.signature, "lean4checker-ok");
        assert_eq!((o.outcome, o.replay), (Outcome::Pass, Some(true)));
        let (c, o) = run(
            Termination::Exited { code: 1 },
            "Found 1 modules to check\n",
            "lean4checker found a problem in Solution\nuncaught exception: (kernel) declaration type mismatch, 'f'\n",
        );
        assert_eq!(
            c.signature,
            "lean4checker-reject:kernel-declaration-type-mismatch"
        );
        assert_eq!((o.outcome, o.replay), (Outcome::Fail, Some(false)));
    }

    #[test]
    fn no_oleans_answers_nothing() {
        let (c, o) = run(
            Termination::Exited { code: 1 },
            "",
            "uncaught exception: Could not find any oleans for: Solution\n",
        );
        assert_eq!(c.signature, "lean4checker-reject:no-oleans");
        assert_eq!(o.replay, None);
    }

    #[test]
    fn crashes() {
        let (c, o) = run(Termination::Exited { code: 139 }, "", "");
        assert_eq!(c.signature, "crash:lean4checker:SIGSEGV");
        assert_eq!((o.outcome, o.replay), (Outcome::Crash, None));
        let (c, _) = run(
            Termination::Exited { code: 134 },
            "",
            "PANIC at Lean.Environment.replay Lean.Replay:10:4: oops\n",
        );
        assert_eq!(c.signature, "crash:lean4checker:panic");
    }
}

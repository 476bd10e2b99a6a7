//! SafeVerify's output (`safe_verify Challenge.olean Solution.olean`),
//! read as its `Main.lean` writes it (checked against
//! /work/refs/GasStationManager+SafeVerify/Main.lean and README.md,
//! "Output Format" and "Exit Codes"):
//! - progress on stderr: `Replaying <olean>`, then `Finished replay. Found
//!   N declarations.` once per file (target first, then submission);
//! - per failed declaration `Found a problem in <olean> with declaration
//!   <name>: <failure>` and `<name> used disallowed axioms. [..]`, then
//!   the uncaught `SafeVerify check failed.` (exit 1);
//! - every other refusal is an uncaught `IO.userError` before or during a
//!   replay (`unsafe constant N detected`, `kernel verification failed for
//!   'N': …`, the kernel's own `(kernel) …` from `Environment.replay`, the
//!   import checks, `object file '…' does not exist`), exit 1;
//! - success: `SafeVerify check passed.`, exit 0.
//!
//! Signatures: `safeverify-ok`, `safeverify-reject:<kind>` with kinds
//! `axioms:<axiom>`, `<failure-mode>` (`declaration-not-found-in-submission`,
//! `theorem-type-mismatch`, `kind-mismatch`, …), `replay:<kernel-kind>`,
//! `unsafe-constant`, `partial-constant`, `no-imports`, `missing-imports`,
//! `object-file-missing`; `crash:safeverify:<what>`,
//! `timeout:safeverify:<limit>`.

use super::{after, error_kind, exception_message, limit_hit, slug, slug_words, StageOutput};
use crate::harness::judges::{JudgeOutcome, Outcome};
use crate::harness::process::{signal_name, Termination};
use crate::harness::verdict::{Classification, Verdict};

/// The stage and judge name.
pub const NAME: &str = "safeverify";

/// SafeVerify's verdict on one build, and its answers: accepting is
/// accepting every Challenge theorem (so `soundness_check : False`);
/// getting through the Solution's replay is accepting its declarations.
pub fn judge_safeverify(out: &StageOutput) -> (Classification, JudgeOutcome) {
    let class = classify_safeverify(out);
    let accepted = class.verdict == Verdict::Soundness;
    let answered = matches!(class.verdict, Verdict::Soundness | Verdict::Rejected);
    let kind = class
        .signature
        .strip_prefix("safeverify-reject:")
        .unwrap_or("");
    // The target is replayed first, then the submission (`Replaying
    // <olean>` before each). A kernel refusal while the second is
    // replayed or re-checked (`kernel verification failed` comes after its
    // `Finished replay.` line) is about a Solution declaration; a refusal
    // in the target's is about the Challenge and answers nothing; once the
    // submission's replay and re-check are through, whatever failed after
    // was not the kernel.
    let count = |prefix: &str| out.lines().filter(|l| l.starts_with(prefix)).count();
    let in_submission = count("Replaying ") >= 2;
    let replay = if !answered {
        None
    } else if accepted {
        Some(true)
    } else if kind.starts_with("replay:") {
        in_submission.then_some(false)
    } else if in_submission && count("Finished replay.") >= 2 {
        Some(true)
    } else {
        None
    };
    let soundness = match class.verdict {
        Verdict::Soundness => Some(true),
        Verdict::Rejected if kind != "object-file-missing" => Some(false),
        _ => None,
    };
    let outcome = JudgeOutcome {
        stage: NAME.into(),
        judge: NAME.into(),
        outcome: Outcome::of(&class, accepted),
        reason: class.signature.clone(),
        soundness,
        replay,
    };
    (class, outcome)
}

/// SafeVerify's run as one classification; its acceptance is a
/// soundness verdict (the Challenge's `soundness_check` is `False`).
pub fn classify_safeverify(out: &StageOutput) -> Classification {
    if let Some(c) = limit_hit(out.termination, NAME) {
        return c;
    }
    if let Some(c) = crash_text(out) {
        return c;
    }
    let code = match out.termination {
        Termination::Signaled { name, .. } => {
            return crash(name, format!("safe_verify killed by {name}"));
        }
        Termination::Exited { code } => *code,
        Termination::TimedOut | Termination::MemoryLimit { .. } => unreachable!("handled above"),
    };
    if let Some(sig) = super::signal_of_exit_code(code) {
        let name = signal_name(sig);
        return crash(&name, format!("safe_verify exited with {code} ({name})"));
    }
    if code == 0 {
        let evidence = out
            .lines()
            .find(|l| l.contains("SafeVerify check passed"))
            .unwrap_or("safe_verify exited 0")
            .to_string();
        return Classification::new(
            Verdict::Soundness,
            "soundness:judge-accepted:safeverify",
            evidence,
        );
    }
    let reject = |kind: String, evidence: String| {
        Classification::new(
            Verdict::Rejected,
            format!("safeverify-reject:{kind}"),
            evidence,
        )
    };
    // Disallowed axioms first: they are what every `sorry` proof trips.
    for line in out.lines() {
        if let Some((_, axioms)) = line.split_once(" used disallowed axioms.") {
            let axiom = ["sorryAx", "Lean.ofReduceBool", "Lean.trustCompiler"]
                .into_iter()
                .find(|a| axioms.contains(a))
                .map(slug)
                .unwrap_or_else(|| "other".into());
            return reject(format!("axioms:{axiom}"), line.to_string());
        }
    }
    for line in out.lines() {
        if let Some(rest) = after(line, "Found a problem in ") {
            let failure = rest.split_once(": ").map(|(_, f)| f).unwrap_or(rest);
            return reject(slug_words(failure, 6), line.to_string());
        }
    }
    let Some(msg) = exception_message(out) else {
        return reject(
            format!("exit-{code}"),
            format!("safe_verify exited with {code} and printed no exception"),
        );
    };
    let kind = if msg.contains("(kernel)") {
        let i = msg.find("(kernel)").unwrap_or(0);
        format!("replay:{}", error_kind(&msg[i..]))
    } else if msg.starts_with("kernel verification failed") {
        let why = msg.split_once(": ").map(|(_, w)| w).unwrap_or(&msg);
        format!("replay:{}", slug_words(why, 6))
    } else if msg.starts_with("unsafe constant") {
        "unsafe-constant".into()
    } else if msg.starts_with("partial constant") {
        "partial-constant".into()
    } else if msg.contains("has no imports") || msg.contains("does not import Init") {
        "no-imports".into()
    } else if msg.contains("transitive imports") {
        "missing-imports".into()
    } else if msg.starts_with("object file") {
        "object-file-missing".into()
    } else if msg.starts_with("SafeVerify check failed") {
        "check-failed".into()
    } else {
        slug_words(&msg, 6)
    };
    reject(kind, msg)
}

fn crash(what: &str, evidence: String) -> Classification {
    Classification::new(Verdict::Crash, format!("crash:{NAME}:{what}"), evidence)
}

/// A Lean runtime crash text in SafeVerify's output (it is a Lean
/// program: `PANIC at`, `INTERNAL PANIC:`, a stack overflow).
fn crash_text(out: &StageOutput) -> Option<Classification> {
    out.lines().find_map(|line| {
        if let Some(rest) = after(line, "INTERNAL PANIC:") {
            Some(crash(
                &format!("internal-panic:{}", slug_words(rest, 4)),
                line.into(),
            ))
        } else if line.contains("PANIC at ") {
            Some(crash("panic", line.into()))
        } else if line.contains("Stack overflow detected") {
            Some(crash("stack-overflow", line.into()))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: i32, stderr: &str) -> (Classification, JudgeOutcome) {
        let t = Termination::Exited { code };
        judge_safeverify(&StageOutput {
            termination: &t,
            stdout: "",
            stderr,
        })
    }

    const REPLAYED: &str = "Replaying C.olean\nFinished setting up the environment.\nFinished replay. Found 2 declarations.\n\
        Replaying S.olean\nFinished setting up the environment.\nFinished replay. Found 3 declarations.\n";

    #[test]
    fn accepted_is_soundness() {
        let (c, o) = run(0, &format!("{REPLAYED}SafeVerify check passed.\n"));
        assert_eq!(c.verdict, Verdict::Soundness);
        assert_eq!(o.outcome, Outcome::Pass);
        assert_eq!((o.soundness, o.replay), (Some(true), Some(true)));
    }

    #[test]
    fn sorry_is_rejected_after_the_replay() {
        let (c, o) = run(
            1,
            &format!("{REPLAYED}soundness_check used disallowed axioms. [sorryAx]\n\
                Found a problem in S.olean with declaration soundness_check: uses disallowed axioms\n\
                uncaught exception: SafeVerify check failed. For more diagnostic information about failures, run safe_verify with the -v (or --verbose) flag.\n"),
        );
        assert_eq!(c.signature, "safeverify-reject:axioms:sorryax");
        assert_eq!(o.outcome, Outcome::Fail);
        assert_eq!((o.soundness, o.replay), (Some(false), Some(true)));
    }

    #[test]
    fn kernel_rejection_in_replay_answers_replay_no() {
        let (c, o) = run(
            1,
            "Replaying C.olean\nFinished replay. Found 2 declarations.\nReplaying S.olean\n\
             uncaught exception: (kernel) declaration type mismatch, 'x'\n",
        );
        assert_eq!(
            c.signature,
            "safeverify-reject:replay:kernel-declaration-type-mismatch"
        );
        assert_eq!(o.replay, Some(false));
        // The theorem re-check after the submission's replay line.
        let (c, o) = run(
            1,
            &format!("{REPLAYED}uncaught exception: kernel verification failed for 'x': inferred type does not match declared type\n"),
        );
        assert_eq!(
            c.signature,
            "safeverify-reject:replay:inferred-type-does-not-match-declared"
        );
        assert_eq!(o.replay, Some(false));
        // A refusal in the target's replay says nothing of the Solution.
        let (_, o) = run(
            1,
            "Replaying C.olean\nuncaught exception: (kernel) unknown constant 'y'\n",
        );
        assert_eq!(o.replay, None);
        let (c, _) = run(1, "uncaught exception: 'S.olean' has no imports (possible prelude file). Submissions must import Init\n");
        assert_eq!(c.signature, "safeverify-reject:no-imports");
        let (c, o) = run(1, "uncaught exception: unsafe constant foo detected\n");
        assert_eq!(c.signature, "safeverify-reject:unsafe-constant");
        assert_eq!(o.replay, None);
    }

    #[test]
    fn crashes_and_limits() {
        let (c, o) = run(134, "");
        assert_eq!(c.signature, "crash:safeverify:SIGABRT");
        assert_eq!(o.outcome, Outcome::Crash);
        assert_eq!((o.soundness, o.replay), (None, None));
        let t = Termination::TimedOut;
        let c = classify_safeverify(&StageOutput {
            termination: &t,
            stdout: "",
            stderr: "",
        });
        assert_eq!(c.signature, "timeout:safeverify:wall");
    }
}

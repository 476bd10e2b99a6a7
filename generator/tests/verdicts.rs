//! `main repro` through the stand-in toolchain: each way a stage can end
//! gives the verdict and signature the README lists, and no workspace is
//! left behind.

mod common;
use common::*;

fn check(
    sb: &Sandbox,
    source: &str,
    extra: &[&str],
    verdict: &str,
    signature: &str,
) -> serde_json::Value {
    let r = sb.repro(source, extra);
    assert_eq!(r["verdict"], verdict, "{r:#}");
    assert_eq!(r["signature"], signature, "{r:#}");
    assert!(
        sb.work_leftovers().is_empty(),
        "workspace left: {:?}",
        sb.work_leftovers()
    );
    r
}

#[test]
fn accepted_proof_is_soundness() {
    let sb = Sandbox::new(true);
    // A proof without `sorry` (the soundness config judges only those);
    // every judge run accepts, and the replay config runs after it.
    let r = check(
        &sb,
        "theorem soundness_check : False := by simp_all\n-- standin-comparator: accept\n",
        &[],
        "soundness",
        "soundness:judge-accepted",
    );
    let stages = r["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 3);
    assert_eq!(stages[0]["name"], "build");
    assert_eq!(stages[1]["name"], "comparator");
    assert_eq!(stages[1]["termination"]["kind"], "exited");
    assert_eq!(stages[1]["termination"]["code"], 0);
    assert_eq!(stages[2]["name"], "replay");
    assert!(stages[2]["command"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "replay.json"));
    assert_eq!(r["signature_hash"].as_str().unwrap().len(), 16);
    // The workspace saw the template's built challenge: nothing was rebuilt.
    let build_out = stages[0]["stdout"].as_str().unwrap();
    assert!(!build_out.contains("rebuilding"), "{build_out}");
}

#[test]
fn judge_rejection_is_not_a_finding() {
    let sb = Sandbox::new(true);
    // A sorry-free proof the judge rejects at its axiom check.
    check(
        &sb,
        "axiom ax : False\ntheorem soundness_check : False := ax\ntheorem replay_check : True := True.intro\n\
         -- standin-comparator-soundness_check: reject-axiom ax\n",
        &[],
        "rejected",
        "judge-reject:illegal-axiom:other",
    );
    // `sorry` in the replay theorem: rejected at the axiom check, as the
    // real comparator does, before any kernel runs; the soundness config
    // is not run for a `sorry` proof.
    let r = check(
        &sb,
        "theorem soundness_check : False := sorry\ntheorem replay_check : True := sorry\n",
        &[],
        "rejected",
        "replay-reject:illegal-axiom:sorryax",
    );
    let stages = r["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 2, "{r:#}");
    assert_eq!(stages[1]["name"], "replay");
    assert!(
        !stages[1]["stdout"].as_str().unwrap().contains("Running"),
        "{r:#}"
    );
    assert!(r["skipped"][0]
        .as_str()
        .unwrap()
        .contains("`sorry` in `soundness_check`"));
}

#[test]
fn build_error_skips_the_judge() {
    let sb = Sandbox::new(true);
    let r = check(
        &sb,
        "theorem t : True := foo\n-- standin-lean: error unknown identifier 'foo'\n",
        &[],
        "rejected",
        "build-error:unknown-identifier",
    );
    assert_eq!(r["stages"].as_array().unwrap().len(), 1);
    assert!(r["skipped"][0].as_str().unwrap().contains("build failed"));
}

#[test]
fn comparator_modes() {
    let sb = Sandbox::new(true);
    let r = check(
        &sb,
        "-- standin-comparator: accept\n",
        &["--comparator-mode", "never"],
        "rejected",
        "build-ok:judge-skipped",
    );
    assert_eq!(r["stages"].as_array().unwrap().len(), 1);
    // always: the judge runs after a failed build too, and its own child
    // build failure is the judge's rejection; the build's error decides.
    let r = check(
        &sb,
        "-- standin-lean: error unknown identifier 'foo'\n",
        &["--comparator-mode", "always"],
        "rejected",
        "build-error:unknown-identifier",
    );
    assert_eq!(r["stages"].as_array().unwrap().len(), 2);
}

#[test]
fn signal_deaths_are_crashes() {
    let sb = Sandbox::new(true);
    check(
        &sb,
        "-- standin-lean: signal SEGV\n",
        &[],
        "crash",
        "crash:lean:SIGSEGV",
    );
    check(
        &sb,
        "-- standin-lake: signal SEGV\n",
        &[],
        "crash",
        "crash:lake:SIGSEGV",
    );
    check(
        &sb,
        "-- standin-lake: signal ABRT\n",
        &[],
        "crash",
        "crash:lake:SIGABRT",
    );
    check(
        &sb,
        "-- standin-lake: exit 139\n",
        &[],
        "crash",
        "crash:lake:SIGSEGV",
    );
    let r = check(
        &sb,
        "-- standin-comparator: signal SEGV\n",
        &[],
        "crash",
        "crash:comparator:SIGSEGV",
    );
    assert_eq!(r["stages"][1]["termination"]["kind"], "signaled");
    assert_eq!(r["stages"][1]["termination"]["name"], "SIGSEGV");
}

#[test]
fn panics_abort_because_the_harness_sets_lean_abort_on_panic() {
    let sb = Sandbox::new(true);
    // The stand-in lean only aborts when LEAN_ABORT_ON_PANIC=1 reached it.
    let r = check(
        &sb,
        "-- standin-lean: panic\n",
        &[],
        "crash",
        "crash:lean:panic:Lean.Expr.bindingBody!",
    );
    assert!(r["stages"][0]["stdout"]
        .as_str()
        .unwrap()
        .contains("Lean exited with code 134"));
    check(
        &sb,
        "-- standin-lean: stack-overflow\n",
        &[],
        "crash",
        "crash:lean:stack-overflow",
    );
    check(
        &sb,
        "-- standin-lean: internal-panic\n",
        &[],
        "crash",
        "crash:lean:internal-panic:unreachable-code-has-been",
    );
    check(
        &sb,
        "-- standin-comparator: panic\n",
        &[],
        "crash",
        "crash:lean:panic:Comparator.compareAt",
    );
}

#[test]
fn stage_environment_is_clean() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "repro",
            sb.file("Env.lean", "-- standin-lean: check-env\n")
                .to_str()
                .unwrap(),
            "--json",
        ])
        .env("_AFL_LAUNCHER_CLIENT", "1")
        .env("_AFL_ENV_FUZZER_SENDER", "1")
        .env("LEAN_ABORT_ON_PANIC", "0")
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["stages"][0]["termination"]["code"], 0, "{r:#}");
}

#[test]
fn kernel_disagreement_and_kernel_crash() {
    let sb = Sandbox::new(true);
    check(
        &sb,
        "-- standin-comparator: nanoda-reject 101\n",
        &[],
        "disagreement",
        "disagreement:nanoda-rejects",
    );
    check(
        &sb,
        "-- standin-comparator: nanoda-reject 139\n",
        &[],
        "crash",
        "crash:kernel-nanoda:SIGSEGV",
    );
    check(
        &sb,
        "-- standin-comparator: child-signal 134\n",
        &[],
        "crash",
        "crash:judge-lean4export:SIGABRT",
    );
}

#[test]
fn human_output_names_verdict_signature_and_stages() {
    let sb = Sandbox::new(true);
    let file = sb.file("H.lean", "-- standin-lean: signal SEGV\n");
    let out = sb
        .main(&["repro", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("verdict:    crash"), "{text}");
    assert!(text.contains("signature:  crash:lean:SIGSEGV"), "{text}");
    assert!(text.contains("build       exit 1"), "{text}");
    assert!(text.contains("skipped     comparator"), "{text}");
    assert!(text.contains("workspace setup"), "{text}");
}

//! The template's two comparator configs through the stand-in toolchain:
//! the replay config (`replay_check`, nanoda on) judges every program that
//! builds, so its kernels see what `replay_check` depends on and a kernel
//! disagreement fires; the soundness config (`soundness_check`) runs only
//! when Lean reported no `sorry` in its proof.

mod common;
use common::*;

fn stage_names(r: &serde_json::Value) -> Vec<String> {
    r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

const SORRY_SOUNDNESS: &str = "theorem soundness_check : False := by\n  first | simp_all | sorry\n";

#[test]
fn replay_judges_a_program_whose_soundness_proof_falls_back_to_sorry() {
    let sb = Sandbox::new(true);
    let src = format!(
        "def a : Nat := 1\n{SORRY_SOUNDNESS}theorem replay_check : True :=\n  have _ := @a\n  True.intro\n"
    );
    let r = sb.repro(&src, &[]);
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert_eq!(r["signature"], "replay-ok", "{r:#}");
    assert_eq!(stage_names(&r), ["build", "replay"], "{r:#}");
    let replay = r["stages"][1]["stdout"].as_str().unwrap();
    assert!(
        replay.contains("Running nanoda kernel on solution"),
        "{replay}"
    );
    assert!(
        replay.contains("Running Lean default kernel on solution"),
        "{replay}"
    );
    assert!(r["skipped"][0]
        .as_str()
        .unwrap()
        .contains("soundness_check"));
}

#[test]
fn a_kernel_disagreement_on_a_replayed_declaration_fires() {
    let sb = Sandbox::new(true);
    // nanoda panics (exit 101, its rejection) on a declaration the replay
    // theorem depends on, while Lean's replay accepts it.
    let src = format!(
        "def standin_nanoda_panic : Nat := 1\n{SORRY_SOUNDNESS}theorem replay_check : True :=\n  have _ := @standin_nanoda_panic\n  True.intro\n"
    );
    let r = sb.repro(&src, &[]);
    assert_eq!(r["verdict"], "disagreement", "{r:#}");
    assert_eq!(r["signature"], "disagreement:nanoda-rejects", "{r:#}");
    // Only what the checked theorem depends on is exported: the same
    // declaration unreferenced never reaches a kernel.
    let src = format!(
        "def standin_nanoda_panic : Nat := 1\n{SORRY_SOUNDNESS}theorem replay_check : True := True.intro\n"
    );
    let r = sb.repro(&src, &[]);
    assert_eq!(r["signature"], "replay-ok", "{r:#}");
    // Lean's replay rejecting what nanoda accepts.
    let src = format!(
        "def standin_lean_reject : Nat := 1\n{SORRY_SOUNDNESS}theorem replay_check : True :=\n  have _ := @standin_lean_reject\n  True.intro\n"
    );
    let r = sb.repro(&src, &[]);
    assert_eq!(r["verdict"], "disagreement", "{r:#}");
    assert_eq!(r["signature"], "disagreement:lean-default-rejects", "{r:#}");
    // nanoda dying by a signal is a crash of that kernel.
    let src = format!(
        "def standin_nanoda_crash : Nat := 1\n{SORRY_SOUNDNESS}theorem replay_check : True :=\n  have _ := @standin_nanoda_crash\n  True.intro\n"
    );
    let r = sb.repro(&src, &[]);
    assert_eq!(r["verdict"], "crash", "{r:#}");
    assert_eq!(r["signature"], "crash:kernel-nanoda:SIGSEGV", "{r:#}");
}

#[test]
fn a_sorry_free_soundness_proof_goes_to_the_soundness_config() {
    let sb = Sandbox::new(true);
    // The automation closed the goal, so the `sorry` fallback is unused:
    // Lean warns of no `sorry`, and the soundness config judges it.
    let src = format!(
        "{SORRY_SOUNDNESS}theorem replay_check : True := True.intro\n-- standin-automation: proves\n"
    );
    let r = sb.repro(&src, &[]);
    assert_eq!(r["verdict"], "soundness", "{r:#}");
    assert_eq!(r["signature"], "soundness:judge-accepted", "{r:#}");
    assert_eq!(stage_names(&r), ["build", "comparator", "replay"], "{r:#}");
    assert!(r["stages"][1]["command"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "config.json"));
    // The same file with the fallback used: no soundness run.
    let src = format!("{SORRY_SOUNDNESS}theorem replay_check : True := True.intro\n");
    let r = sb.repro(&src, &[]);
    assert_eq!(stage_names(&r), ["build", "replay"], "{r:#}");
    // A soundness proof that uses a declaration proved by `sorry`: Lean
    // warns only for that declaration, so the soundness config runs, and
    // its transitive axiom check refuses it.
    let src = "theorem fact : 1 = 2 := sorry\ntheorem soundness_check : False := by\n  have h := fact\n  first | simp_all | sorry\ntheorem replay_check : True := True.intro\n-- standin-automation: proves\n";
    let r = sb.repro(src, &[]);
    assert_eq!(stage_names(&r), ["build", "comparator", "replay"], "{r:#}");
    assert_eq!(
        r["signature"], "judge-reject:illegal-axiom:sorryax",
        "{r:#}"
    );
}

#[test]
fn each_config_answers_for_itself() {
    let sb = Sandbox::new(true);
    // A directive for one checked theorem applies to its config only.
    let src = "theorem soundness_check : False := by simp_all\ntheorem replay_check : True := True.intro\n-- standin-comparator-replay_check: signal SEGV\n-- standin-comparator-soundness_check: reject-axiom myAxiom\n";
    let r = sb.repro(src, &[]);
    assert_eq!(r["signature"], "crash:comparator:SIGSEGV", "{r:#}");
    assert_eq!(r["stages"][1]["termination"]["kind"], "exited", "{r:#}");
    assert_eq!(r["stages"][2]["termination"]["kind"], "signaled", "{r:#}");
    // A template without replay.json judges with the soundness config only.
    std::fs::remove_file(sb.template.join("replay.json")).unwrap();
    let r = sb.repro(src, &[]);
    assert_eq!(stage_names(&r), ["build", "comparator"], "{r:#}");
    assert_eq!(r["signature"], "judge-reject:illegal-axiom:other", "{r:#}");
    assert!(r["skipped"][0].as_str().unwrap().contains("replay.json"));
}

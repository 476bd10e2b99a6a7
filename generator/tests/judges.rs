//! `--judge` through the binary with the stand-in toolchain: SafeVerify
//! and lean4checker called to their contracts from the same workspace and
//! build as comparator, each stage's outcome in the report's `judges` and
//! its verifier key, a judge accepting the false challenge as soundness
//! (naming who accepted and who rejected), judges answering the replay
//! question both ways as `judge-disagreement` (a documented gap
//! labelled), crashes and hangs of the new judges, and the store keeping
//! all of it.

mod common;
use common::*;
use serde_json::Value;

const ALL_JUDGES: [&str; 6] = [
    "--judge",
    "comparator",
    "--judge",
    "safeverify",
    "--judge",
    "lean4checker",
];

/// An honest generated-style program: the soundness proof falls back to
/// `sorry`, the replay theorem mentions every declaration.
const HONEST: &str =
    "def a : Nat := 1\ntheorem soundness_check : False := by\n  first | simp_all | sorry\n\
                      theorem replay_check : True :=\n  have _ := @a\n  True.intro\n";

fn stage<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name}: {r:#}"))
}

fn key(r: &Value) -> String {
    r["judges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            format!(
                "{}:{}",
                j["stage"].as_str().unwrap(),
                j["outcome"].as_str().unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn safeverify_and_lean4checker_judge_the_same_build_to_their_contracts() {
    let sb = Sandbox::new(true);
    let r = sb.repro(HONEST, &ALL_JUDGES);
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert_eq!(r["signature"], "replay-ok", "{r:#}");
    assert_eq!(
        key(&r),
        "lake:pass comparator:skip replay:pass safeverify:fail lean4checker:pass"
    );
    // SafeVerify: target then submission, the olean files lake built, run
    // under `lake env` in the workspace; rejected at its axiom check after
    // replaying both files.
    let sv = stage(&r, "safeverify");
    let cmd: Vec<&str> = sv["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(cmd[0].ends_with("/lake") && cmd[1] == "env", "{cmd:?}");
    assert!(cmd[2].ends_with("/safe_verify"), "{cmd:?}");
    assert_eq!(
        &cmd[3..],
        [
            ".lake/build/lib/lean/Challenge.olean",
            ".lake/build/lib/lean/Solution.olean"
        ]
    );
    let sv_judge = &r["judges"][3];
    assert_eq!(sv_judge["reason"], "safeverify-reject:axioms:sorryax");
    assert_eq!(sv_judge["soundness"], false);
    assert_eq!(sv_judge["replay"], true);
    // lean4checker: the solution module under `lake env`.
    let l4 = stage(&r, "lean4checker");
    let cmd = l4["command"].as_array().unwrap();
    assert_eq!(cmd[1], "env");
    assert!(cmd[2].as_str().unwrap().ends_with("/lean4checker"));
    assert_eq!(cmd[3], "Solution");
    assert!(l4["stdout"]
        .as_str()
        .unwrap()
        .contains("Found 1 modules to check"));
    // The challenge came with the template's .lake: nothing was rebuilt.
    assert!(r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["name"] != "challenge"));
    assert!(sb.work_leftovers().is_empty());
}

#[test]
fn lean4checker_fresh_is_passed_on() {
    let sb = Sandbox::new(true);
    let r = sb.repro(HONEST, &["--judge", "lean4checker", "--lean4checker-fresh"]);
    let cmd = stage(&r, "lean4checker")["command"].clone();
    assert_eq!(cmd[3], "--fresh", "{cmd}");
    assert_eq!(key(&r), "lake:pass lean4checker:pass");
    // comparator is not a judge here: no comparator stage, none needed.
    assert_eq!(r["stages"].as_array().unwrap().len(), 2, "{r:#}");
}

#[test]
fn safeverify_alone_accepting_is_soundness_naming_both_sides() {
    let sb = Sandbox::new(true);
    // comparator rejects the sorry-free proof at its axiom check (a
    // directive: the stand-in would accept it); SafeVerify accepts.
    let src = "theorem soundness_check : False := by simp_all\ntheorem replay_check : True := True.intro\n\
               -- standin-comparator-soundness_check: reject-axiom Lean.trustCompiler\n";
    let r = sb.repro(src, &ALL_JUDGES);
    assert_eq!(r["verdict"], "soundness", "{r:#}");
    assert_eq!(r["signature"], "soundness:judge-accepted:safeverify");
    assert_eq!(r["judge_split"]["question"], "soundness");
    assert_eq!(
        r["judge_split"]["accepted"],
        serde_json::json!(["safeverify(soundness:judge-accepted:safeverify)"])
    );
    assert_eq!(
        r["judge_split"]["rejected"],
        serde_json::json!(["comparator(judge-reject:illegal-axiom:lean-trustcompiler)"])
    );
    // Both accepting: one signature naming both.
    let r = sb.repro(
        "theorem soundness_check : False := by simp_all\ntheorem replay_check : True := True.intro\n",
        &ALL_JUDGES,
    );
    assert_eq!(
        r["signature"], "soundness:judge-accepted:comparator+safeverify",
        "{r:#}"
    );
    // comparator alone keeps its signature.
    let r = sb.repro(
        "theorem soundness_check : False := by simp_all\ntheorem replay_check : True := True.intro\n",
        &[],
    );
    assert_eq!(r["signature"], "soundness:judge-accepted", "{r:#}");
    assert_eq!(key(&r), "lake:pass comparator:pass replay:pass");
}

#[test]
fn judges_answering_the_replay_question_both_ways_disagree() {
    let sb = Sandbox::new(true);
    // Only lean4checker's replay rejects this declaration; comparator's
    // kernels and SafeVerify's replay accept it.
    let src = "def standin_lean4checker_reject : Nat := 1\ntheorem soundness_check : False := by\n  first | simp_all | sorry\n\
               theorem replay_check : True :=\n  have _ := @standin_lean4checker_reject\n  True.intro\n";
    let r = sb.repro(src, &ALL_JUDGES);
    assert_eq!(r["verdict"], "judge-disagreement", "{r:#}");
    assert_eq!(
        r["signature"],
        "judge-disagreement:replay:accept=replay(replay-ok)+safeverify(safeverify-reject:axioms:sorryax)\
         :reject=lean4checker(lean4checker-reject:kernel-declaration-type-mismatch)"
    );
    assert_eq!(r["judge_split"]["question"], "replay");
    // A declaration every Lean kernel replay rejects: the judges agree, no
    // judge disagreement (comparator's nanoda accepts it: a kernel
    // disagreement, as before).
    let src = src.replace("standin_lean4checker_reject", "standin_lean_reject");
    let r = sb.repro(&src, &ALL_JUDGES);
    assert_eq!(r["verdict"], "disagreement", "{r:#}");
    assert_eq!(
        key(&r),
        "lake:pass comparator:skip replay:fail safeverify:fail lean4checker:fail"
    );
    assert!(r.get("judge_split").is_none(), "{r:#}");
}

#[test]
fn a_documented_gap_of_the_accepting_judge_is_labelled() {
    let sb = Sandbox::new(true);
    // SafeVerify's README: it does not check `implemented_by`.
    let src = "def impl : Nat := 2\n@[implemented_by impl] def standin_lean4checker_reject : Nat := 1\n\
               theorem soundness_check : False := by\n  first | simp_all | sorry\n\
               theorem replay_check : True :=\n  have _ := @standin_lean4checker_reject\n  True.intro\n";
    let r = sb.repro(src, &["--judge", "safeverify", "--judge", "lean4checker"]);
    assert_eq!(r["verdict"], "judge-disagreement", "{r:#}");
    let sig = r["signature"].as_str().unwrap();
    assert!(
        sig.ends_with(":known-gap=safeverify:implemented_by"),
        "{sig}"
    );
    assert_eq!(r["judge_split"]["known_gap"], "safeverify:implemented_by");
}

#[test]
fn new_judges_crash_and_hang_like_any_stage() {
    let sb = Sandbox::new(true);
    let sv = ["--judge", "safeverify"];
    let crash = sb.repro(
        &format!("{HONEST}-- standin-safeverify: signal SEGV\n"),
        &sv,
    );
    assert_eq!(crash["verdict"], "crash", "{crash:#}");
    assert_eq!(crash["signature"], "crash:safeverify:SIGSEGV");
    assert_eq!(key(&crash), "lake:pass safeverify:crash");
    let panic = sb.repro(&format!("{HONEST}-- standin-safeverify: panic\n"), &sv);
    assert_eq!(panic["signature"], "crash:safeverify:panic", "{panic:#}");
    let pids = tempfile::tempdir().unwrap();
    let out = sb
        .main(&[
            "repro",
            sb.file(
                "Hang.lean",
                &format!("{HONEST}-- standin-lean4checker: hang\n"),
            )
            .to_str()
            .unwrap(),
            "--json",
            "--judge",
            "lean4checker",
            "--timeout",
            "1",
        ])
        .env("STANDIN_PID_DIR", pids.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "timeout", "{r:#}");
    assert_eq!(r["signature"], "timeout:lean4checker:wall");
    assert_eq!(key(&r), "lake:pass lean4checker:timeout");
    for pid in hang_pids(pids.path(), "lean4checker") {
        assert!(process_gone(pid), "pid {pid} survived");
    }
    // A prelude file: SafeVerify's import check refuses it.
    let r = sb.repro(
        &format!("prelude\n{}", HONEST.replace("True.intro", "trivial")),
        &sv,
    );
    assert_eq!(
        r["judges"][1]["reason"], "safeverify-reject:no-imports",
        "{r:#}"
    );
    assert!(sb.work_leftovers().is_empty());
}

#[test]
fn a_failed_build_skips_the_olean_judges() {
    let sb = Sandbox::new(true);
    let r = sb.repro(
        "-- standin-lean: error unknown identifier 'x'\ntheorem soundness_check : False := x\n",
        &ALL_JUDGES,
    );
    assert_eq!(r["verdict"], "rejected");
    assert_eq!(
        key(&r),
        "lake:fail comparator:skip replay:skip safeverify:skip lean4checker:skip"
    );
    assert_eq!(r["stages"].as_array().unwrap().len(), 1);
}

#[test]
fn missing_or_unknown_judges_are_one_clear_line() {
    let sb = Sandbox::new(true);
    let out = sb.repro_output(
        HONEST,
        &[
            "--judge",
            "safeverify",
            "--safeverify",
            "/nonexistent/safe_verify",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/safe_verify"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let out = sb.repro_output(HONEST, &["--judge", "kernelcheck"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown judge \"kernelcheck\""), "{err}");
    assert!(err.contains("safeverify"), "{err}");
    // Not on PATH, no variable: the hint says where to get it.
    let bin = sb.dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for tool in ["lake", "lean", "comparator"] {
        std::os::unix::fs::symlink(standin_dir().join(tool), bin.join(tool)).unwrap();
    }
    let out = sb
        .main(&[
            "repro",
            sb.file("T.lean", HONEST).to_str().unwrap(),
            "--judge",
            "lean4checker",
        ])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env_remove("LEAN4CHECKER_PATH")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lean4checker not found"), "{err}");
    assert!(err.contains("leanchecker"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn an_unbuilt_challenge_is_built_for_safeverify() {
    let sb = Sandbox::new(false);
    let r = sb.repro(HONEST, &["--judge", "safeverify"]);
    let names: Vec<&str> = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["build", "challenge", "safeverify"], "{r:#}");
    assert_eq!(r["verifiers"], "lake:pass safeverify:fail", "{r:#}");
}

#[test]
fn saved_findings_keep_the_judges_and_the_index_lists_their_keys() {
    let sb = Sandbox::new(true);
    let src = "def standin_lean4checker_reject : Nat := 1\ntheorem soundness_check : False := by\n  first | simp_all | sorry\n\
               theorem replay_check : True :=\n  have _ := @standin_lean4checker_reject\n  True.intro\n";
    let solutions = sb.dir.path().join("solutions");
    let r = sb.repro(
        src,
        &[
            "--judge",
            "comparator",
            "--judge",
            "lean4checker",
            "--save",
            "--solutions",
            solutions.to_str().unwrap(),
        ],
    );
    assert_eq!(r["verdict"], "judge-disagreement", "{r:#}");
    let leans = files_with_ext(&solutions.join("judge-disagreement"), "lean");
    assert_eq!(leans.len(), 1);
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(leans[0].with_extension("json")).unwrap())
            .unwrap();
    let expected_key = "lake:pass comparator:skip replay:pass lean4checker:fail";
    assert_eq!(record["verifiers"], expected_key);
    assert_eq!(record["judges"].as_array().unwrap().len(), 4);
    assert_eq!(
        record["judge_split"]["rejected"],
        serde_json::json!(["lean4checker(lean4checker-reject:kernel-declaration-type-mismatch)"])
    );
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(solutions.join("index.json")).unwrap())
            .unwrap();
    let entry = &index["signatures"][0];
    assert_eq!(entry["verdict"], "judge-disagreement");
    assert_eq!(entry["verifiers"], serde_json::json!([expected_key]));

    // `main repro` of the stored file, without --judge (as the campaign
    // report's line runs it), uses the judges its record names.
    let out = sb
        .main(&["repro", leans[0].to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let again: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    assert_eq!(again["verdict"], "judge-disagreement", "{again:#}");
    assert_eq!(again["signature"], r["signature"]);
}

#[test]
fn a_fuzz_run_finds_a_judge_disagreement() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "6",
            "--depth",
            "4",
            "--seed",
            "5",
            "--judge",
            "comparator",
            "--judge",
            "lean4checker",
        ])
        // lean4checker rejects every generated module (they all hold
        // `replay_check`); comparator's kernels accept those that reach them.
        .env("STANDIN_LEAN4CHECKER_REJECT_ON", "replay_check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let solutions = sb.dir.path().join("solutions");
    let leans = files_with_ext(&solutions.join("judge-disagreement"), "lean");
    assert!(!leans.is_empty(), "no judge disagreement stored: {stdout}");
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(leans[0].with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(record["verdict"], "judge-disagreement");
    assert_eq!(
        record["signature"],
        "judge-disagreement:replay:accept=replay(replay-ok):reject=lean4checker(lean4checker-reject:kernel-declaration-type-mismatch)"
    );
    assert_eq!(record["origin"], "fuzz");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

/// The fuzz loop's view of a test (`targets::Tested`): its verifier key is
/// the report's, one `stage:outcome` per stage in the fixed order.
#[test]
fn each_tested_program_carries_its_verifier_key() {
    use generator::harness::isolation::IsolationMode;
    use generator::harness::judges::{Judge, Judges};
    use generator::harness::process::Limits;
    use generator::harness::template::Template;
    use generator::harness::{ComparatorMode, Pipeline, PipelineConfig};
    use generator::lean::gen::GenConfig;
    use generator::targets::program::ProgramTarget;
    use generator::targets::Target;
    use generator::triage::Store;

    let sb = Sandbox::new(true);
    let pipeline = Pipeline::new(PipelineConfig {
        template: Template::open(&sb.template).unwrap(),
        lake: standin_dir().join("lake"),
        comparator: None,
        work_root: sb.work.clone(),
        limits: Limits::default(),
        comparator_mode: ComparatorMode::OnSuccess,
        isolation: IsolationMode::Copy,
        judges: Judges {
            list: vec![Judge::Lean4checker],
            lean4checker: Some(standin_dir().join("lean4checker")),
            ..Judges::default()
        },
        sandbox: generator::harness::sandbox::SandboxMode::Off,
    });
    let gen = GenConfig {
        depth: 4,
        ..GenConfig::default()
    };
    let mut target = ProgramTarget::new(
        pipeline,
        Store::new(sb.dir.path().join("solutions")),
        gen,
        false,
    );
    let mut keys = Vec::new();
    for seed in 0..4 {
        let input = target.generate(seed);
        let tested = target
            .test(&input)
            .unwrap_or_else(|_| panic!("seed {seed}"));
        let key = tested.verifiers.expect("a program test has judges");
        assert!(key.starts_with("lake:"), "{key}");
        if key.starts_with("lake:pass") {
            assert_eq!(key, "lake:pass lean4checker:pass");
        } else {
            assert!(key.ends_with("lean4checker:skip"), "{key}");
        }
        keys.push(key);
    }
    assert!(
        keys.iter().any(|k| k == "lake:pass lean4checker:pass"),
        "{keys:?}"
    );
    assert!(sb.work_leftovers().is_empty());
}

#[test]
fn a_stored_judge_disagreement_reduces_with_the_judges_it_was_found_with() {
    let sb = Sandbox::new(true);
    let mut src = String::new();
    for i in 0..3 {
        src.push_str(&format!("def pad{i} : Nat := {i}\n"));
    }
    src.push_str(
        "def standin_lean4checker_reject : Nat := 1\ntheorem soundness_check : False := by\n  first | simp_all | sorry\n\
         theorem replay_check : True :=\n  have _ := @standin_lean4checker_reject\n  True.intro\n",
    );
    let solutions = sb.dir.path().join("solutions");
    let sol = solutions.to_str().unwrap();
    let r = sb.repro(
        &src,
        &[
            "--judge",
            "comparator",
            "--judge",
            "lean4checker",
            "--save",
            "--solutions",
            sol,
        ],
    );
    assert_eq!(r["verdict"], "judge-disagreement", "{r:#}");
    let stored = files_with_ext(&solutions.join("judge-disagreement"), "lean");
    assert_eq!(stored.len(), 1);
    // No --judge: the recorded judges are used, so the signature holds.
    let out = sb
        .main(&[
            "reduce",
            stored[0].to_str().unwrap(),
            "--jobs",
            "2",
            "--solutions",
            sol,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leans = files_with_ext(&solutions.join("judge-disagreement"), "lean");
    assert_eq!(leans.len(), 2, "{stdout}");
    let smallest = leans
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .min_by_key(|t| t.len())
        .unwrap();
    assert!(!smallest.contains("pad"), "{smallest}");
}

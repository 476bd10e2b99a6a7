//! Against the real Lean + Lake + comparator. These run only when a real
//! `lake` is on PATH (and comparator for the judge tests); otherwise each
//! prints that it was skipped. They use a private copy of the repository's
//! template, so the first run builds its challenge.

use generator::harness::workspace::copy_tree;
use std::path::{Path, PathBuf};
use std::process::Command;

fn real_lake() -> Option<PathBuf> {
    let lake = which::which("lake").ok()?;
    let standin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standin");
    (!lake.starts_with(&standin)).then_some(lake)
}

fn real_comparator() -> Option<PathBuf> {
    std::env::var_os("COMPARATOR_PATH")
        .map(PathBuf::from)
        .or_else(|| which::which("comparator").ok())
}

/// `main doctor --build` on a template; it must end fresh.
fn build_template(template: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_main"))
        .args([
            "doctor",
            "--build",
            "--comparator-mode",
            "never",
            "--template",
        ])
        .arg(template)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(is_fresh(&text), "template did not build:\n{text}");
}

/// Whether doctor's report says the template's `.lake` is fresh.
fn is_fresh(doctor_out: &str) -> bool {
    doctor_out.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.starts_with(&["ok", ".lake", "fresh:"])
    })
}

/// On the real stderr: libtest would swallow `eprintln!` of a passing test.
fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

struct Real {
    _dir: tempfile::TempDir,
    template: PathBuf,
}

impl Real {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let template = dir.path().join("template");
        let repo_template = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        copy_tree(&repo_template, &template, &[".lake"]).unwrap();
        build_template(&template);
        Real {
            _dir: dir,
            template,
        }
    }

    fn repro(&self, source: &str, extra: &[&str]) -> serde_json::Value {
        let file = self._dir.path().join("Test.lean");
        std::fs::write(&file, source).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_main"))
            .arg("repro")
            .arg(&file)
            .arg("--json")
            .arg("--template")
            .arg(&self.template)
            .args(["--timeout", "300"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn real_template_builds_and_an_unknown_identifier_is_rejected() {
    if real_lake().is_none() {
        return skip("real_template_builds…", "no real `lake` on PATH");
    }
    let real = Real::new();
    let r = real.repro(
        "theorem soundness_check : False := undefinedThing\n",
        &["--comparator-mode", "never"],
    );
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert_eq!(r["signature"], "build-error:unknown-identifier", "{r:#}");
}

#[test]
fn real_judge_rejects_an_honest_failed_attempt() {
    if real_lake().is_none() || real_comparator().is_none() {
        return skip("real_judge_rejects…", "no real `lake` and comparator");
    }
    let real = Real::new();
    // Builds, with a sorry-free proof (so the soundness config runs), but
    // through an axiom the config does not permit: the judge must refuse.
    let r = real.repro(
        "axiom cheat : False\ntheorem soundness_check : False := cheat\ntheorem replay_check : True := trivial\n",
        &[],
    );
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert!(
        r["signature"]
            .as_str()
            .unwrap()
            .starts_with("judge-reject:"),
        "{r:#}"
    );
    // A `sorry` in the replay theorem: rejected at the axiom check, before
    // any kernel; Lean's warning keeps the soundness config from running.
    let r = real.repro(
        "theorem soundness_check : False := sorry\ntheorem replay_check : True := sorry\n",
        &[],
    );
    assert_eq!(
        r["signature"], "replay-reject:illegal-axiom:sorryax",
        "{r:#}"
    );
    let stages: Vec<&str> = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["build", "replay"], "{r:#}");
}

/// Generated programs through the real judge: each that builds reaches
/// the replay config's kernels (Lean's replay and nanoda), which must
/// accept a well-formed program.
#[test]
fn real_replay_config_judges_generated_programs() {
    use generator::lean::gen::{generate, GenConfig};
    use generator::lean::render::render_program;
    if real_lake().is_none() || real_comparator().is_none() {
        return skip("real_replay_config…", "no real `lake` and comparator");
    }
    let real = Real::new();
    let cfg = GenConfig {
        ill_formed_rate: 0.0,
        profile: None,
        ..GenConfig::default()
    };
    let mut judged = 0;
    for seed in 0..10 {
        let text = render_program(&generate(seed, &cfg).program).text;
        let r = real.repro(&text, &[]);
        let sig = r["signature"].as_str().unwrap().to_string();
        if sig.starts_with("build-error") {
            continue;
        }
        judged += 1;
        let replay = r["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "replay")
            .unwrap_or_else(|| panic!("seed {seed}: no replay stage: {r:#}"));
        let out = replay["stdout"].as_str().unwrap();
        assert!(
            out.contains("Running Lean default kernel on solution"),
            "seed {seed}: the replay did not reach the kernels: {r:#}"
        );
        assert!(
            sig == "replay-ok" || r["verdict"] != "rejected",
            "seed {seed}: {sig}: {r:#}"
        );
    }
    assert!(judged > 0, "no generated program built");
}

/// The probe file shipped in the template settles, in one `lake env lean`
/// run, every version-dependent assumption (README, "Check the pinned
/// Lean"); each `#guard_msgs`/`#eval` check fails the run when wrong.
#[test]
fn real_probe_file_passes() {
    let Some(lake) = real_lake() else {
        return skip("real_probe_file_passes", "no real `lake` on PATH");
    };
    let real = Real::new();
    let out = Command::new(lake)
        .args(["env", "lean", "Probe.lean"])
        .current_dir(&real.template)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("error"), "{text}");
}

#[test]
fn real_judge_accepts_an_honest_proof_of_a_true_challenge() {
    if real_lake().is_none() || real_comparator().is_none() {
        return skip("real_judge_accepts…", "no real `lake` and comparator");
    }
    let real = Real::new();
    // A different, true challenge: an honest proof must be accepted.
    std::fs::write(
        real.template.join("Challenge.lean"),
        "theorem soundness_check : 2 + 2 = 4 := sorry\n",
    )
    .unwrap();
    build_template(&real.template);
    let r = real.repro("theorem soundness_check : 2 + 2 = 4 := by decide\n", &[]);
    assert_eq!(r["verdict"], "soundness", "{r:#}");
    assert_eq!(r["signature"], "soundness:judge-accepted", "{r:#}");
}

/// Generated kernel environments rendered as `run_elab addDecl` files:
/// Lean's kernel takes the well-formed ones and rejects each ill-formed
/// family (the test of the Lean rendering and of well-formedness by
/// construction against the real kernel).
#[test]
fn real_lean_takes_generated_environments_as_labelled() {
    use generator::kernel::gen::{generate, IllFormed, IllFormedRates, KernelGenConfig};
    use generator::targets::kernels::lean_text;
    if real_lake().is_none() {
        return skip(
            "real_lean_takes_generated_environments…",
            "no real `lake` on PATH",
        );
    }
    let real = Real::new();
    let built = |r: &serde_json::Value| {
        !r["signature"]
            .as_str()
            .unwrap_or_default()
            .starts_with("build-error")
    };
    let well = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        ..Default::default()
    };
    for seed in 0..5 {
        let env = generate(seed, &well);
        let r = real.repro(&lean_text(&env), &["--comparator-mode", "never"]);
        assert!(
            built(&r),
            "seed {seed}: Lean rejected a well-formed environment: {r}"
        );
    }
    for kind in IllFormed::ALL {
        let mut rates = IllFormedRates::none();
        rates.set(*kind, 1.0);
        let env = generate(
            1,
            &KernelGenConfig {
                ill_formed: rates,
                ..well
            },
        );
        let r = real.repro(&lean_text(&env), &["--comparator-mode", "never"]);
        assert!(!built(&r), "{}: Lean accepted it: {r}", kind.name());
    }
}

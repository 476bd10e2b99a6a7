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
    // Builds (sorry is only a warning) but uses sorryAx: the judge must refuse.
    let r = real.repro("theorem soundness_check : False := sorry\n", &[]);
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert!(
        r["signature"]
            .as_str()
            .unwrap()
            .starts_with("judge-reject:"),
        "{r:#}"
    );
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
    use generator::kernel::lean_source::render;
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
        let r = real.repro(&render(env.user_decls()), &["--comparator-mode", "never"]);
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
        let r = real.repro(&render(env.user_decls()), &["--comparator-mode", "never"]);
        assert!(!built(&r), "{}: Lean accepted it: {r}", kind.name());
    }
}

//! Against the real SafeVerify and lean4checker (or Lean's `leanchecker`),
//! with the real Lean + Lake. Each test runs only when a real `lake` and
//! its judge are found (PATH or SAFEVERIFY_PATH / LEAN4CHECKER_PATH, never
//! the stand-ins) and prints a SKIPPED line otherwise. They use a private
//! copy of the repository's template, so the first run builds its
//! challenge.

use generator::harness::workspace::copy_tree;
use std::path::{Path, PathBuf};
use std::process::Command;

fn standin_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standin")
}

/// `names` on PATH or the variable `env`, unless it is a stand-in.
fn real(env: &str, names: &[&str]) -> Option<PathBuf> {
    let found = std::env::var_os(env)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| names.iter().find_map(|n| which::which(n).ok()))?;
    (!found.starts_with(standin_dir())).then_some(found)
}

fn real_lake() -> Option<PathBuf> {
    let lake = which::which("lake").ok()?;
    (!lake.starts_with(standin_dir())).then_some(lake)
}

/// On the real stderr: libtest would swallow `eprintln!` of a passing test.
fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

struct Real {
    dir: tempfile::TempDir,
    template: PathBuf,
}

impl Real {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let template = dir.path().join("template");
        let repo_template = Path::new(env!("CARGO_MANIFEST_DIR")).join("../template");
        copy_tree(&repo_template, &template, &[".lake"]).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_main"))
            .args([
                "doctor",
                "--build",
                "--comparator-mode",
                "never",
                "--template",
            ])
            .arg(&template)
            .output()
            .unwrap();
        assert!(
            template
                .join(".lake/build/lib/lean/Challenge.olean")
                .is_file(),
            "template did not build: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        Real { dir, template }
    }

    fn repro(&self, source: &str, extra: &[&str]) -> serde_json::Value {
        let file = self.dir.path().join("Test.lean");
        std::fs::write(&file, source).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_main"))
            .arg("repro")
            .arg(&file)
            .arg("--json")
            .arg("--template")
            .arg(&self.template)
            .args(["--timeout", "600"])
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

const HONEST: &str =
    "def a : Nat := 1\ntheorem soundness_check : False := by\n  first | simp_all | sorry\n\
                      theorem replay_check : True :=\n  have _ := @a\n  True.intro\n";

#[test]
fn real_safeverify_replays_then_refuses_a_sorry_proof() {
    let Some(sv) = real("SAFEVERIFY_PATH", &["safe_verify"]) else {
        return skip(
            "real_safeverify…",
            "no real safe_verify (SAFEVERIFY_PATH or PATH)",
        );
    };
    if real_lake().is_none() {
        return skip("real_safeverify…", "no real `lake` on PATH");
    }
    let real = Real::new();
    let r = real.repro(
        HONEST,
        &[
            "--judge",
            "safeverify",
            "--safeverify",
            sv.to_str().unwrap(),
        ],
    );
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert_eq!(r["verifiers"], "lake:pass safeverify:fail", "{r:#}");
    let judge = &r["judges"][1];
    assert_eq!(judge["reason"], "safeverify-reject:axioms:sorryax", "{r:#}");
    // Both files went through Environment.replay before the axiom check.
    assert_eq!(judge["replay"], true, "{r:#}");
}

#[test]
fn real_lean4checker_accepts_an_honest_build() {
    let Some(l4) = real("LEAN4CHECKER_PATH", &["lean4checker", "leanchecker"]) else {
        return skip(
            "real_lean4checker…",
            "no real lean4checker or leanchecker (LEAN4CHECKER_PATH or PATH)",
        );
    };
    if real_lake().is_none() {
        return skip("real_lean4checker…", "no real `lake` on PATH");
    }
    let real = Real::new();
    for extra in [&[][..], &["--lean4checker-fresh"][..]] {
        let mut args = vec![
            "--judge",
            "lean4checker",
            "--lean4checker",
            l4.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let r = real.repro(HONEST, &args);
        assert_eq!(r["verdict"], "rejected", "{r:#}");
        assert_eq!(r["signature"], "lean4checker-ok", "{r:#}");
        assert_eq!(r["verifiers"], "lake:pass lean4checker:pass", "{r:#}");
    }
}

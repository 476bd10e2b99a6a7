//! `main doctor`: paths, versions, template freshness, building on request.

mod common;
use common::*;

fn doctor(sb: &Sandbox, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["doctor"];
    args.extend_from_slice(extra);
    let out = sb.main(&args).output().unwrap();
    (
        out.status.success(),
        squash(&String::from_utf8(out.stdout).unwrap()),
    )
}

/// Runs of spaces folded to one, so assertions do not depend on alignment.
fn squash(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn reports_tools_versions_and_an_unbuilt_template() {
    let sb = Sandbox::new(false);
    let (ok, text) = doctor(&sb, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("Lake version 5.0.0-standin"), "{text}");
    assert!(text.contains("Lean (version 4.24.0-standin"), "{text}");
    assert!(
        text.contains("comparator") && text.contains("(from --comparator)"),
        "{text}"
    );
    assert!(text.contains("leanprover/lean4:v4.24.0"), "{text}");
    assert!(text.contains("theorems [soundness_check]"), "{text}");
    assert!(text.contains("PROBLEM .lake not built yet"), "{text}");
    assert!(text.contains("isolation"), "{text}");
    assert!(!sb.template.join(".lake").exists());
}

#[test]
fn builds_when_asked_then_reports_fresh_then_stale_after_an_edit() {
    let sb = Sandbox::new(false);
    let (ok, text) = doctor(&sb, &["--build"]);
    assert!(ok, "{text}");
    assert!(text.contains("ok .lake fresh"), "{text}");
    assert!(text.contains("doctor: all checks passed"), "{text}");

    // Editing the challenge makes `lake build --no-build` exit 3.
    let challenge = sb.template.join("Challenge.lean");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    let f = std::fs::File::options()
        .append(true)
        .open(&challenge)
        .unwrap();
    f.set_modified(later).unwrap();
    let (ok, text) = doctor(&sb, &[]);
    assert!(!ok);
    assert!(text.contains("PROBLEM .lake stale"), "{text}");
}

#[test]
fn missing_helpers_are_problems_only_when_the_judge_runs() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&["doctor"])
        .env_remove("COMPARATOR_LANDRUN")
        .env_remove("COMPARATOR_LEAN4EXPORT")
        .output()
        .unwrap();
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    if which::which("landrun").is_err() {
        assert!(!out.status.success());
        assert!(text.contains("PROBLEM landrun"), "{text}");
    }
    let out = sb
        .main(&["doctor", "--comparator-mode", "never"])
        .env_remove("COMPARATOR_LANDRUN")
        .env_remove("COMPARATOR_LEAN4EXPORT")
        .output()
        .unwrap();
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    assert!(out.status.success(), "{text}");
    assert!(text.contains("note landrun"), "{text}");
}

#[test]
fn help_works() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_main"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("repro") && text.contains("doctor"), "{text}");
}

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
    assert!(text.contains("leanprover/lean4:v4.34.0-rc2"), "{text}");
    assert!(text.contains("theorems [soundness_check]"), "{text}");
    assert!(
        text.contains("ok replay challenge Challenge, solution Solution, theorems [replay_check]"),
        "{text}"
    );
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

/// A Lake-built binary in a checkout whose `lean-toolchain` says `tc`
/// (`<dir>/<repo>/.lake/build/bin/<exe>`, a copy of the stand-in).
fn built_in(dir: &std::path::Path, repo: &str, exe: &str, tc: &str) -> std::path::PathBuf {
    let root = dir.join(repo);
    let bin = root.join(".lake/build/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(root.join("lean-toolchain"), format!("{tc}\n")).unwrap();
    let path = bin.join(exe);
    std::fs::copy(standin_comparator(), &path).unwrap();
    path
}

#[test]
fn names_each_version_mismatch_between_template_comparator_and_lean4export() {
    let sb = Sandbox::new(true);
    let tools = tempfile::tempdir().unwrap();
    let pinned = std::fs::read_to_string(sb.template.join("lean-toolchain")).unwrap();
    let pinned = pinned.trim();
    // comparator on the template's Lean; lean4export built on its own, on
    // lean4export main's (v4.31.0-rc2).
    let comparator = built_in(tools.path(), "comparator", "comparator", pinned);
    let export = built_in(
        tools.path(),
        "lean4export",
        "lean4export",
        "leanprover/lean4:v4.31.0-rc2",
    );
    let run = |comparator: &std::path::Path, export: &std::path::Path| {
        let out = sb
            .main(&["doctor", "--comparator", comparator.to_str().unwrap()])
            .env("COMPARATOR_LEAN4EXPORT", export)
            .output()
            .unwrap();
        (
            out.status.success(),
            squash(&String::from_utf8(out.stdout).unwrap()),
        )
    };
    let (ok, text) = run(&comparator, &export);
    assert!(!ok, "{text}");
    assert!(
        text.contains("PROBLEM versions lean4export was built for leanprover/lean4:v4.31.0-rc2"),
        "{text}"
    );
    assert!(
        text.contains("PROBLEM versions comparator was built for")
            && text.contains("but lean4export for leanprover/lean4:v4.31.0-rc2"),
        "{text}"
    );
    // lean4export built as comparator's dependency: built by comparator's
    // Lean, whatever its own lean-toolchain says.
    let dep = tools.path().join("comparator/.lake/packages");
    std::fs::create_dir_all(&dep).unwrap();
    let export = built_in(
        &dep,
        "lean4export",
        "lean4export",
        "leanprover/lean4:v4.31.0-rc2",
    );
    let (ok, text) = run(&comparator, &export);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!(
            "ok versions template's Lean; comparator {pinned}, lean4export {pinned}"
        )),
        "{text}"
    );
    // A comparator on another Lean than the template's.
    let old = built_in(
        tools.path(),
        "old-comparator",
        "comparator",
        "leanprover/lean4:v4.25.0-rc2",
    );
    let (ok, text) = run(&old, &export);
    assert!(!ok, "{text}");
    assert!(
        text.contains("PROBLEM versions comparator was built for leanprover/lean4:v4.25.0-rc2")
            && text.contains(&format!("but the template pins {pinned}")),
        "{text}"
    );
}

#[test]
fn a_missing_nanoda_is_a_problem_when_a_config_enables_it() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&["doctor"])
        .env_remove("COMPARATOR_NANODA")
        .env("PATH", format!("{}:/usr/bin:/bin", standin_dir().display()))
        .output()
        .unwrap();
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("PROBLEM nanoda_bin a config sets enable_nanoda"),
        "{text}"
    );
    // Without the judge it is not needed.
    let out = sb
        .main(&["doctor", "--comparator-mode", "never"])
        .env_remove("COMPARATOR_NANODA")
        .env("PATH", format!("{}:/usr/bin:/bin", standin_dir().display()))
        .output()
        .unwrap();
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    assert!(!text.contains("PROBLEM nanoda_bin"), "{text}");
}

#[test]
fn a_checked_theorem_missing_from_the_challenge_is_a_problem() {
    let sb = Sandbox::new(true);
    std::fs::write(
        sb.template.join("Challenge.lean"),
        "theorem soundness_check : False := sorry\n",
    )
    .unwrap();
    let (ok, text) = doctor(&sb, &[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("declares no `theorem replay_check`, which a config checks"),
        "{text}"
    );
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

#[test]
fn reports_each_judge_with_where_it_was_found_and_its_lean() {
    let sb = Sandbox::new(true);
    let (ok, text) = doctor(
        &sb,
        &[
            "--judge",
            "comparator",
            "--judge",
            "safeverify",
            "--judge",
            "lean4checker",
        ],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("judges: comparator, safeverify, lean4checker"),
        "{text}"
    );
    // SafeVerify's Lean, from the line it prints on every run.
    assert!(
        text.contains("ok safeverify")
            && text.contains("(from PATH; Lean leanprover/lean4:v4.34.0-rc2)"),
        "{text}"
    );
    assert!(text.contains("ok lean4checker"), "{text}");
    // Not a judge: a note only.
    let (ok, text) = doctor(&sb, &[]);
    assert!(ok, "{text}");
    assert!(text.contains("note safeverify"), "{text}");
    assert!(text.contains("(not a --judge)"), "{text}");
    // Built for another Lean than the template's: a problem, named.
    let out = sb
        .main(&["doctor", "--judge", "safeverify"])
        .env("STANDIN_SAFEVERIFY_LEAN", "4.27.0")
        .output()
        .unwrap();
    let text = squash(&String::from_utf8(out.stdout).unwrap());
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("PROBLEM safeverify")
            && text.contains("built for leanprover/lean4:v4.27.0 but the template pins leanprover/lean4:v4.34.0-rc2"),
        "{text}"
    );
    // A configured judge that is missing is a problem naming the path.
    let (ok, text) = doctor(
        &sb,
        &[
            "--judge",
            "lean4checker",
            "--lean4checker",
            "/nonexistent/lean4checker",
        ],
    );
    assert!(!ok, "{text}");
    assert!(text.contains("PROBLEM lean4checker"), "{text}");
    assert!(text.contains("/nonexistent/lean4checker"), "{text}");
}

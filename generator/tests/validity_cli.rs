//! `main validity` through the stand-in toolchain: error lines map back to
//! the declaration (and construct families) that produced them; errors in
//! the golden suffix do not count against validity.

mod common;
use common::*;
use generator::lean::gen::{generate, GenConfig};
use generator::lean::render::{render_program, LineOwner};

const SEED: u64 = 11;

fn run(sb: &Sandbox, error_line: Option<usize>) -> String {
    let mut cmd = sb.main(&[
        "validity",
        "--count",
        "1",
        "--seed",
        &SEED.to_string(),
        "--depth",
        "10",
        "--profile",
        "surface",
    ]);
    if let Some(l) = error_line {
        cmd.env("STANDIN_LEAN_ERROR_LINE", l.to_string());
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn accepted_builds_are_prefix_valid() {
    let sb = Sandbox::new(true);
    let text = run(&sb, None);
    assert!(text.contains("seed 11: prefix-valid"), "{text}");
    assert!(
        text.contains("validity: 1/1 builds prefix-valid (100.0 %)"),
        "{text}"
    );
}

#[test]
fn an_error_inside_a_declaration_is_charged_to_it() {
    let sb = Sandbox::new(true);
    let r = render_program(&generate(SEED, &GenConfig::default()).program);
    let line = 1
        + r.lines
            .iter()
            .position(|o| *o == LineOwner::Decl(1))
            .unwrap()
        + 1;
    let text = run(&sb, Some(line));
    assert!(
        text.contains("prefix-invalid (declarations [1]: unknown-identifier)"),
        "{text}"
    );
    assert!(
        text.contains("validity: 0/1 builds prefix-valid (0.0 %)"),
        "{text}"
    );
    assert!(text.contains("unknown-identifier ×1"), "{text}");
}

#[test]
fn an_error_in_the_golden_suffix_does_not_count() {
    let sb = Sandbox::new(true);
    let r = render_program(&generate(SEED, &GenConfig::default()).program);
    let last = r.text.lines().count();
    let text = run(&sb, Some(last));
    assert!(text.contains("seed 11: prefix-valid"), "{text}");
}

/// With `--judge`, valid means reached the kernels: a generated program
/// that builds goes to the replay config, whose kernels run.
#[test]
fn with_the_judge_valid_means_reached_the_kernels() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "validity",
            "--count",
            "2",
            "--seed",
            &SEED.to_string(),
            "--depth",
            "6",
            "--profile",
            "surface",
            "--hidden-axiom-rate",
            "0",
            "--judge",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("verdict rejected (replay-ok)"), "{text}");
    assert!(
        text.contains("valid: 2/2 programs reached comparator's kernels (100.0 %)"),
        "{text}"
    );
    // A hidden axiom stops comparator before its kernels.
    let out = sb
        .main(&[
            "validity",
            "--count",
            "1",
            "--seed",
            &SEED.to_string(),
            "--depth",
            "6",
            "--profile",
            "surface",
            "--hidden-axiom-rate",
            "1",
            "--judge",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("valid: 0/1 programs reached comparator's kernels"),
        "{text}"
    );
}

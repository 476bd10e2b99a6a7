//! `main kernels FILE --kernel NAME=PATH ...` with stand-in kernels: all
//! agree (not a finding), one rejects (disagreement; nanoda's panic exit
//! 101 is its reject), a crash, a hang killed at the limit, acceptance of
//! `False` without axioms (soundness), and bad input as one line. A real
//! `nanoda_bin` is run when NANODA_BIN is set.

mod common;
use common::*;
use generator::kernel::ndjson::{write, ExportMeta};
use generator::kernel::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// An environment: `P : Prop` plus declarations named by `markers` (the
/// stand-in kernels' directives), and optionally a theorem of `False`.
fn env(markers: &[&str], false_thm: bool) -> Vec<Decl> {
    let prop = Expr::Sort(Level::Zero);
    let mut decls = vec![Decl::Def {
        name: Name::from_dotted("P"),
        level_params: vec![],
        ty: Expr::Sort(Level::Succ(Box::new(Level::Zero))),
        value: prop.clone(),
        hints: Hints::Abbrev,
        safety: Safety::Safe,
        all: vec![Name::from_dotted("P")],
    }];
    for m in markers {
        decls.push(Decl::Def {
            name: Name::from_dotted(m),
            level_params: vec![],
            ty: Expr::Sort(Level::Succ(Box::new(Level::Zero))),
            value: prop.clone(),
            hints: Hints::Regular(1),
            safety: Safety::Safe,
            all: vec![Name::from_dotted(m)],
        });
    }
    if false_thm {
        decls.push(Decl::Thm {
            name: Name::from_dotted("oops"),
            level_params: vec![],
            ty: Expr::Const(Name::from_dotted("False"), vec![]),
            value: Expr::Const(Name::from_dotted("P"), vec![]),
            all: vec![Name::from_dotted("oops")],
        });
    }
    decls
}

struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for k in ["nanoda", "other", "third"] {
            std::os::unix::fs::symlink(standin_dir().join("kernel"), dir.path().join(k)).unwrap();
        }
        Bench { dir }
    }

    fn kernel(&self, name: &str) -> String {
        format!("{name}={}", self.dir.path().join(name).display())
    }

    fn file(&self, decls: &[Decl]) -> PathBuf {
        let p = self.dir.path().join("env.ndjson");
        std::fs::write(&p, write(decls, &ExportMeta::default())).unwrap();
        p
    }

    fn run(&self, file: &Path, kernels: &[&str], extra: &[&str]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_main"));
        c.arg("kernels").arg(file).arg("--json").args(extra);
        for k in kernels {
            c.arg("--kernel").arg(self.kernel(k));
        }
        c.output().unwrap()
    }

    fn report(&self, decls: &[Decl], kernels: &[&str], extra: &[&str]) -> Value {
        let out = self.run(&self.file(decls), kernels, extra);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn kernels_that_agree_are_not_a_finding() {
    let b = Bench::new();
    let r = b.report(&env(&[], false), &["nanoda", "other"], &[]);
    assert_eq!(r["verdict"], "rejected");
    assert_eq!(r["signature"], "kernels:all-accept");
    let r = b.report(
        &env(&["standin_nanoda_panic", "standin_other_reject"], false),
        &["nanoda", "other"],
        &[],
    );
    assert_eq!(r["signature"], "kernels:all-reject");
}

#[test]
fn one_kernel_rejecting_what_another_accepts_is_a_disagreement() {
    let b = Bench::new();
    let r = b.report(
        &env(&["standin_other_reject"], false),
        &["nanoda", "other", "third"],
        &[],
    );
    assert_eq!(r["verdict"], "disagreement");
    assert_eq!(r["signature"], "disagreement:other-rejects");
    // nanoda's Rust panic (exit 101) is how it rejects.
    let r = b.report(
        &env(&["standin_nanoda_panic"], false),
        &["nanoda", "other"],
        &[],
    );
    assert_eq!(r["signature"], "disagreement:nanoda-rejects");
    assert_eq!(r["stages"][0]["answer"], "reject");
    // A kernel that declines the file has no opinion.
    let r = b.report(
        &env(&["standin_nanoda_decline"], false),
        &["nanoda", "other"],
        &[],
    );
    assert_eq!(r["signature"], "kernels:all-accept");
    assert_eq!(r["stages"][0]["answer"], "declined");
}

#[test]
fn a_crash_and_a_hang_are_findings_and_the_hang_is_killed() {
    let b = Bench::new();
    let r = b.report(
        &env(&["standin_other_crash"], false),
        &["nanoda", "other"],
        &[],
    );
    assert_eq!(r["verdict"], "crash");
    assert_eq!(r["signature"], "crash:kernel-other:SIGSEGV");

    let pids = b.dir.path().join("pids");
    std::fs::create_dir(&pids).unwrap();
    let file = b.file(&env(&["standin_third_hang"], false));
    let out = Command::new(env!("CARGO_BIN_EXE_main"))
        .args([
            "kernels",
            file.to_str().unwrap(),
            "--json",
            "--timeout",
            "1",
            "--kernel",
        ])
        .arg(b.kernel("third"))
        .env("STANDIN_PID_DIR", &pids)
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "timeout");
    assert_eq!(r["signature"], "timeout:kernel-third");
    for pid in hang_pids(&pids, "kernel-third") {
        assert!(process_gone(pid), "pid {pid} survived");
    }
}

#[test]
fn all_kernels_accepting_false_without_axioms_is_a_soundness_finding() {
    let b = Bench::new();
    let r = b.report(&env(&[], true), &["nanoda", "other"], &[]);
    assert_eq!(r["verdict"], "soundness");
    assert_eq!(r["signature"], "soundness:kernels-accept-false");
    // With an axiom in the environment, accepting `False` is no bug.
    let mut with_axiom = env(&[], true);
    with_axiom.push(Decl::Axiom {
        name: Name::from_dotted("ax"),
        level_params: vec![],
        ty: Expr::Const(Name::from_dotted("False"), vec![]),
        is_unsafe: false,
    });
    let r = b.report(&with_axiom, &["nanoda", "other"], &[]);
    assert_eq!(r["signature"], "kernels:all-accept");
}

#[test]
fn bad_kernel_input_is_one_clear_line() {
    let b = Bench::new();
    let good = b.file(&env(&[], false));
    let bad_file = b.dir.path().join("bad.ndjson");
    std::fs::write(
        &bad_file,
        "{\"meta\":{}}\n{\"ie\":0,\"app\":{\"fn\":3,\"arg\":4}}\n",
    )
    .unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "kernels".into(),
                good.display().to_string(),
                "--kernel".into(),
                "noequals".into(),
            ],
            "is not NAME=PATH",
        ),
        (
            vec![
                "kernels".into(),
                good.display().to_string(),
                "--kernel".into(),
                "x=/no/such/kernel".into(),
            ],
            "is not a file",
        ),
        (
            vec![
                "kernels".into(),
                bad_file.display().to_string(),
                "--kernel".into(),
                b.kernel("other"),
            ],
            "line 2: expression 3 is not defined before",
        ),
        (
            vec![
                "kernels".into(),
                "/no/such.ndjson".into(),
                "--kernel".into(),
                b.kernel("other"),
            ],
            "cannot read /no/such.ndjson",
        ),
    ];
    for (args, expected) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_main"))
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        let lines = err
            .trim()
            .lines()
            .filter(|l| {
                !l.starts_with("Usage") && !l.starts_with("For more") && !l.trim().is_empty()
            })
            .count();
        assert_eq!(lines, 1, "{args:?}: {err}");
    }
}

#[test]
fn a_real_nanoda_checks_a_small_environment_when_available() {
    let Some(bin) = std::env::var_os("NANODA_BIN") else {
        say_skipped(
            "a_real_nanoda_checks_a_small_environment_when_available",
            "NANODA_BIN is not set",
        );
        return;
    };
    let b = Bench::new();
    let file = b.file(&env(&[], false));
    let out = Command::new(env!("CARGO_BIN_EXE_main"))
        .args(["kernels", file.to_str().unwrap(), "--json", "--kernel"])
        .arg(format!("nanoda={}", PathBuf::from(bin).display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    // `def P : Type := Prop` is well-typed: nanoda must accept it.
    assert_eq!(r["stages"][0]["answer"], "accept", "{r}");
}

/// Generated environments against a real nanoda: the well-formed ones are
/// accepted, and each ill-formed family is rejected (nanoda's panic, exit
/// 101) — the test of well-formedness by construction and of the export
/// writer against a real kernel.
#[test]
fn a_real_nanoda_takes_generated_environments_as_labelled() {
    use generator::kernel::gen::{generate, IllFormed, IllFormedRates, KernelGenConfig};
    let Some(bin) = std::env::var_os("NANODA_BIN") else {
        say_skipped(
            "a_real_nanoda_takes_generated_environments_as_labelled",
            "NANODA_BIN is not set",
        );
        return;
    };
    let b = Bench::new();
    let check = |decls: &[Decl]| -> Value {
        let file = b.file(decls);
        let out = Command::new(env!("CARGO_BIN_EXE_main"))
            .args(["kernels", file.to_str().unwrap(), "--json", "--kernel"])
            .arg(format!("nanoda={}", PathBuf::from(&bin).display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let well = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        ..Default::default()
    };
    for seed in 0..20 {
        let r = check(&generate(seed, &well).decls);
        assert_eq!(r["stages"][0]["answer"], "accept", "seed {seed}: {r}");
    }
    for kind in IllFormed::ALL {
        // Ill-formed declarations nanoda f58f2f6 accepts (kernel bugs,
        // tests/fixtures/nanoda_bugs/); tests/nanoda_acceptance.rs reports
        // them.
        if matches!(
            kind,
            IllFormed::ProjTwoConstructors | IllFormed::KFlagTampered
        ) {
            continue;
        }
        let mut rates = IllFormedRates::none();
        rates.set(*kind, 1.0);
        let env = generate(
            1,
            &KernelGenConfig {
                ill_formed: rates,
                ..well
            },
        );
        let r = check(&env.decls);
        assert_eq!(r["stages"][0]["answer"], "reject", "{}: {r}", kind.name());
    }
}

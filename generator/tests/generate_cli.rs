//! `main generate` as a user runs it.

use std::process::Command;

fn main_cmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_main"))
}

#[test]
fn writes_one_file_per_seed_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("progs");
    let o = main_cmd()
        .args([
            "generate", "--count", "20", "--seed", "100", "--depth", "6", "--stats", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for seed in 100..120 {
        let f = out.join(format!("prog-{seed}.lean"));
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.contains("theorem soundness_check : False"),
            "{}",
            f.display()
        );
    }
    let stats = String::from_utf8(o.stdout).unwrap();
    assert!(
        stats.contains("construct families over 20 program(s)"),
        "{stats}"
    );
    assert!(stats.contains("theorem-rfl"), "{stats}");
}

#[test]
fn printing_is_deterministic_across_runs() {
    let run = || {
        main_cmd()
            .args(["generate", "--count", "3", "--seed", "9", "--depth", "8"])
            .output()
            .unwrap()
            .stdout
    };
    let a = run();
    assert!(!a.is_empty());
    assert_eq!(a, run());
}

#[test]
fn bad_values_are_refused() {
    for args in [["--depth", "2"], ["--count", "0"], ["--decls", "0"]] {
        let o = main_cmd().arg("generate").args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    }
    let o = main_cmd()
        .args(["generate", "--out", "/proc/leanfuzz-progs"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/proc/leanfuzz-progs"), "{err}");
}

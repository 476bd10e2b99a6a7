//! The fuzz loop (`main`, `--mode simple`) through the stand-in toolchain:
//! generated programs run through the pipeline, a crash triggered by a
//! construct lands in the findings store once per signature as an
//! objective, statistics lines are written, budgets and Ctrl-C stop it
//! cleanly, and a bad corpus directory is one clear error.

mod common;
use common::*;
use serde_json::Value;
use std::time::Duration;

#[test]
fn a_construct_triggered_crash_is_stored_and_counted_once() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "12",
            "--depth",
            "5",
            "--seed",
            "3",
            "--stats-interval",
            "0.2",
        ])
        // Almost every program has a theorem: many crashes, one bug.
        .env("STANDIN_LEAN_CRASH_ON", "theorem")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("done after"), "{stdout}");
    assert!(stdout.contains("1 objective(s)"), "{stdout}");

    let solutions = sb.dir.path().join("solutions");
    let leans = files_with_ext(&solutions.join("crash"), "lean");
    assert!(!leans.is_empty(), "no crash stored: {stdout}");
    for lean in &leans {
        let text = std::fs::read_to_string(lean).unwrap();
        assert!(text.contains("theorem"));
        let meta: Value =
            serde_json::from_str(&std::fs::read_to_string(lean.with_extension("json")).unwrap())
                .unwrap();
        assert_eq!(meta["verdict"], "crash");
        assert_eq!(meta["signature"], "crash:lean:SIGSEGV");
        assert_eq!(meta["origin"], "fuzz");
        assert_eq!(meta["depth"], 5);
        // Named by content.
        let name = lean.file_stem().unwrap().to_str().unwrap();
        assert_eq!(name, generator::triage::store::content_hash(&text));
    }
    // No temporary files left by the atomic writes.
    assert!(files_with_ext(&solutions, "tmp").is_empty());

    let stats = std::fs::read_to_string(sb.dir.path().join("stats.jsonl")).unwrap();
    let last: Value = serde_json::from_str(stats.lines().last().unwrap()).unwrap();
    assert_eq!(last["tests"], 12, "{stats}");
    assert_eq!(last["objectives"], 1);
    let crashes = last["verdicts"]["crash"].as_u64().unwrap();
    assert!(crashes >= leans.len() as u64);
    assert!(
        std::fs::read_dir(sb.dir.path().join("corpus"))
            .unwrap()
            .count()
            > 0
    );
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn ctrl_c_stops_the_campaign_with_a_summary() {
    let sb = Sandbox::new(true);
    let child = sb
        .main(&["--mode", "simple", "--depth", "5"])
        .env("STANDIN_LEAN_COST_MS", "200")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(stdout.contains("interrupted after"), "{stdout}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn an_unusable_corpus_dir_is_one_clear_error() {
    let sb = Sandbox::new(true);
    let blocker = sb.file("not-a-dir", "x");
    let corpus = blocker.join("corpus");
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "1",
            "--corpus",
            corpus.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains(corpus.to_str().unwrap()), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A corpus dir that fills up mid-campaign (a 16 KiB tmpfs): one line
/// naming the dir, on the terminal and in `stats.jsonl`, no backtrace.
/// Needs the right to mount (root).
#[test]
fn a_full_corpus_dir_is_one_line_naming_it() {
    let sb = Sandbox::new(true);
    let corpus = sb.dir.path().join("small-corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"])
        .arg(&corpus)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        say_skipped(
            "a_full_corpus_dir_is_one_line_naming_it",
            "cannot mount a small tmpfs (needs root)",
        );
        return;
    }
    let stats = sb.dir.path().join("stats.jsonl");
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "200",
            "--depth",
            "8",
            "--corpus",
            corpus.to_str().unwrap(),
            "--stats-file",
            stats.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let _ = std::process::Command::new("umount").arg(&corpus).status();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(corpus.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    let last = std::fs::read_to_string(&stats).unwrap();
    let last: Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    let error = last["error"].as_str().unwrap();
    assert!(error.contains(corpus.to_str().unwrap()), "{error}");
    assert!(
        !error.contains('\n') && !error.contains("Backtrace"),
        "{error}"
    );
}

#[test]
fn auto_reduce_stores_a_smaller_sibling_of_a_new_finding() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "4",
            "--depth",
            "6",
            "--seed",
            "5",
            "--auto-reduce",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "def ")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("reduced "), "{stdout}");
    let crash = sb.dir.path().join("solutions/crash");
    let reduced: Vec<_> = files_with_ext(&crash, "json")
        .into_iter()
        .filter(|j| {
            let v: Value = serde_json::from_slice(&std::fs::read(j).unwrap()).unwrap();
            v["origin"] == "reduce"
        })
        .collect();
    // One crash signature, so one reduction.
    assert_eq!(reduced.len(), 1, "{reduced:?}");
    let text = std::fs::read_to_string(reduced[0].with_extension("lean")).unwrap();
    assert!(text.contains("def ") && text.len() < 40, "{text}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

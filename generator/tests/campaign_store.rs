//! What a long campaign does to the findings store and the work dir,
//! through the binary and the stand-in toolchain: one signature keeps at
//! most N files (the first seen and the smallest) and counts the rest in
//! `index.json`; a store that cannot be written is one line at start; a
//! finding the store refuses mid-run is saved elsewhere and the run stops
//! naming where; what killed writers left in the store is put right at the
//! next start; work dirs of killed runs are swept, living ones never.

mod common;
use common::*;
use serde_json::Value;
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// `main --mode simple` for `tests` tests where every build crashes alike.
fn crashing_campaign(sb: &Sandbox, tests: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--mode",
        "simple",
        "--max-tests",
        tests,
        "--depth",
        "5",
        "--seed",
        "11",
        "--initial",
        "4",
    ];
    args.extend_from_slice(extra);
    sb.main(&args)
        .env("STANDIN_LEAN_CRASH_ON", "theorem")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn one_signature_keeps_at_most_n_files_and_the_index_counts_the_rest() {
    let sb = Sandbox::new(true);
    let out = crashing_campaign(&sb, "40", &["--keep-per-signature", "3"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));

    let solutions = sb.dir.path().join("solutions");
    let leans = files_with_ext(&solutions.join("crash"), "lean");
    assert!(!leans.is_empty(), "{stdout}");
    assert!(leans.len() <= 3, "{} files kept: {leans:?}", leans.len());
    // The first finding announced is still there.
    let first = stdout
        .lines()
        .find_map(|l| l.strip_prefix("[").and_then(|l| l.split(" -> ").nth(1)))
        .expect("a stored finding is announced");
    assert!(Path::new(first).is_file(), "first seen {first} was removed");

    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(solutions.join("index.json")).unwrap())
            .unwrap();
    let entry = index["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["signature"] == "crash:lean:SIGSEGV")
        .expect("the crash signature is indexed");
    assert_eq!(entry["count"], leans.len());
    let dropped = entry["dropped"].as_u64().unwrap();
    assert!(
        dropped > 0,
        "40 crashing tests and nothing dropped: {entry}"
    );
    // Every crash is a kept file, a dropped one, or a repeat of a kept one.
    let stats = std::fs::read_to_string(sb.dir.path().join("stats.jsonl")).unwrap();
    let last: Value = serde_json::from_str(stats.lines().last().unwrap()).unwrap();
    let crashes = last["verdicts"]["crash"].as_u64().unwrap();
    assert!(
        dropped + leans.len() as u64 <= crashes,
        "{entry} vs {crashes}"
    );
    // Which files the cap keeps (the first seen, the smallest) is
    // `triage::store`'s unit test; here, the index names the smallest kept.
    let smallest = leans
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .min()
        .unwrap();
    assert_eq!(entry["smallest_bytes"], smallest);
}

#[test]
fn a_store_that_cannot_be_written_is_one_line_before_any_test() {
    let sb = Sandbox::new(true);
    let blocker = sb.file("not-a-dir", "x");
    let bad = blocker.join("solutions");
    let out = crashing_campaign(&sb, "5", &["--solutions", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
    assert!(!stderr.contains("Backtrace"), "{stderr}");
    assert!(!sb.dir.path().join("stats.jsonl").exists(), "a test ran");
}

#[test]
fn a_finding_the_store_refuses_is_saved_elsewhere_and_the_run_stops_saying_where() {
    let sb = Sandbox::new(true);
    let solutions = sb.dir.path().join("solutions");
    std::fs::create_dir_all(&solutions).unwrap();
    // Writable at start, but the crash folder cannot be made.
    std::fs::write(solutions.join("crash"), "in the way").unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "30",
            "--depth",
            "5",
            "--seed",
            "11",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "theorem")
        .env("HOME", home.path())
        .env_remove("XDG_STATE_HOME")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    let rescued = files_with_ext(&home.path().join(".local/state/leanfuzz/rescued"), "lean");
    assert_eq!(rescued.len(), 1, "{stderr}");
    assert!(
        stderr.contains(&rescued[0].display().to_string()),
        "the run must say where the finding is: {stderr}"
    );
    assert!(stderr.contains("cannot take a crash finding"), "{stderr}");
    assert!(!stderr.contains("Backtrace"), "{stderr}");
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(rescued[0].with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(record["signature"], "crash:lean:SIGSEGV");
}

#[test]
fn what_killed_writers_left_in_the_store_is_put_right_at_start() {
    let sb = Sandbox::new(true);
    let dir = sb.dir.path().join("solutions/crash/0123abcd");
    std::fs::create_dir_all(&dir).unwrap();
    let finding = "theorem kept : True := trivial\n";
    let sha = generator::triage::store::content_hash(finding);
    let whole = dir.join(format!(".tmp-{sha}.lean-AbCd12"));
    std::fs::write(dir.join(format!("{sha}.json")), "{}").unwrap();
    std::fs::write(&whole, finding).unwrap();
    let cut = dir.join(".tmp-ffff.json-ZzYy98");
    std::fs::write(&cut, "{\"verd").unwrap();
    let fresh = dir.join(".tmp-eeee.lean-QqWw11");
    std::fs::write(&fresh, "a living writer's").unwrap();
    for p in [&whole, &cut, &dir.join(format!("{sha}.json"))] {
        age(p);
    }

    let out = sb
        .main(&["--mode", "simple", "--max-tests", "1", "--depth", "4"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 finding(s) a stopped writer had not put in place recovered, 1 half-written file(s) removed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(format!("{sha}.lean"))).unwrap(),
        finding
    );
    assert!(!cut.exists() && !whole.exists());
    assert!(
        fresh.exists(),
        "a young temporary file may be a living writer's"
    );
}

#[test]
fn work_dirs_of_killed_runs_are_swept_and_living_ones_kept() {
    let sb = Sandbox::new(true);
    // A campaign killed -9 in the middle of a (slow) build.
    let mut child = sb
        .main(&["--mode", "simple", "--depth", "4", "--timeout", "120"])
        .env("STANDIN_LEAN_COST_MS", "60000")
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let run_dir = loop {
        let workspace = std::fs::read_dir(&sb.work)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|run| {
                std::fs::read_dir(run)
                    .map(|rd| rd.flatten().any(|e| e.file_name() != ".lock"))
                    .unwrap_or(false)
            });
        if let Some(run) = workspace {
            break run;
        }
        assert!(Instant::now() < deadline, "no workspace appeared");
        std::thread::sleep(Duration::from_millis(50));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(run_dir.is_dir(), "kill -9 runs no clean-up");

    // Another campaign's dir, alive: its lock is held (here, by the test).
    let alive = sb.work.join("leanfuzz-run-alive");
    std::fs::create_dir_all(alive.join("leanfuzz-ws-busy")).unwrap();
    let lock = File::create(alive.join(".lock")).unwrap();
    lock.lock().unwrap();

    let out = sb
        .main(&["--mode", "simple", "--max-tests", "1", "--depth", "4"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("removed 1 work dir(s) of stopped runs"),
        "{stderr}"
    );
    assert!(!run_dir.exists(), "the killed run's dir was not swept");
    assert!(
        alive.join("leanfuzz-ws-busy").is_dir(),
        "a living run's dir was swept"
    );
    drop(lock);
    assert_eq!(sb.work_leftovers(), vec!["leanfuzz-run-alive".to_string()]);
}

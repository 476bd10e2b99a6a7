//! `run_parallel.sh N DEPTH`: independent instances with distinct seeds,
//! own corpora and logs, one shared solutions/, one Ctrl-C for all, and a
//! usage message on bad arguments. Runs the built `main` on the stand-in
//! toolchain.

mod common;
use common::*;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../run_parallel.sh")
}

/// The script with the stand-ins, the sandbox's template and its own dirs.
fn command(sb: &Sandbox, args: &[&str], main_args: &[&str]) -> Command {
    let tmp = sb.dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut c = Command::new(script());
    c.args(args)
        .arg("--")
        .arg("--template")
        .arg(&sb.template)
        .arg("--comparator")
        .arg(standin_comparator())
        .arg("--solutions")
        .arg(sb.dir.path().join("solutions"))
        .args(main_args)
        .env("PATH", standin_path())
        .env("COMPARATOR_LANDRUN", "/bin/true")
        .env("COMPARATOR_LEAN4EXPORT", "/bin/true")
        .env("LEANFUZZ_BIN", env!("CARGO_BIN_EXE_main"))
        .env("RUN_DIR", sb.dir.path().join("run"))
        .env("TMPDIR", &tmp)
        .env("SEED", "40");
    c
}

fn tmp_leftovers(sb: &Sandbox) -> Vec<String> {
    std::fs::read_dir(sb.dir.path().join("tmp"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn independent_instances_have_their_own_seeds_corpora_and_logs() {
    let sb = Sandbox::new(true);
    let out = command(&sb, &["2", "4"], &["--max-tests", "3"])
        .env("STANDIN_LEAN_CRASH_ON", "theorem")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let run = sb.dir.path().join("run");
    for (i, seed) in [(1, 41), (2, 42)] {
        let dir = run.join(format!("instance-{i}"));
        assert!(err.contains(&format!("instance {i}: seed {seed}")), "{err}");
        let log = std::fs::read_to_string(dir.join("main.log")).unwrap();
        assert!(log.contains("done after"), "{log}");
        assert!(dir.join("stats.jsonl").is_file());
        let entries = std::fs::read_dir(dir.join("corpus")).unwrap().count();
        assert!(entries > 0, "instance {i} has no corpus");
    }
    // Both instances stored their crashes in the one shared store.
    let crash = sb.dir.path().join("solutions/crash");
    let files: Vec<_> = std::fs::read_dir(&crash)
        .map(|rd| rd.flatten().collect())
        .unwrap_or_default();
    assert!(
        !files.is_empty(),
        "no shared findings in {}",
        crash.display()
    );
    assert!(tmp_leftovers(&sb).is_empty(), "{:?}", tmp_leftovers(&sb));
}

#[test]
fn one_ctrl_c_stops_every_instance() {
    let sb = Sandbox::new(true);
    let child = command(&sb, &["2", "4"], &[])
        .env("STANDIN_LEAN_COST_MS", "300")
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pgid = child.id() as i32;
    let run = sb.dir.path().join("run");
    let start = Instant::now();
    while !(1..=2).all(|i| run.join(format!("instance-{i}/corpus")).is_dir()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "instances did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(1));
    kill(Pid::from_raw(-pgid), Signal::SIGINT).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(kill(Pid::from_raw(-pgid), None).is_err(), "processes left");
    for i in 1..=2 {
        let log = std::fs::read_to_string(run.join(format!("instance-{i}/main.log"))).unwrap();
        assert!(log.contains("interrupted after"), "{log}");
    }
    assert!(tmp_leftovers(&sb).is_empty(), "{:?}", tmp_leftovers(&sb));
}

#[test]
fn bad_arguments_print_the_usage() {
    for args in [
        vec![],
        vec!["2"],
        vec!["0", "5"],
        vec!["x", "5"],
        vec!["2", "-1"],
        vec!["2", "5", "extra"],
    ] {
        let out = Command::new(script())
            .args(&args)
            .env("LEANFUZZ_BIN", env!("CARGO_BIN_EXE_main"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("usage: ./run_parallel.sh N DEPTH"),
            "{args:?}: {err}"
        );
    }
}

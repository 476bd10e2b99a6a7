//! Time and memory limits kill the whole process group, no orphan is left,
//! and workspaces are removed after timeouts, crashes and Ctrl-C.

mod common;
use common::*;
use std::time::{Duration, Instant};

fn wait_gone(pids: &[i32]) {
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end && !pids.iter().all(|p| process_gone(*p)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    for p in pids {
        assert!(process_gone(*p), "process {p} survived the group kill");
    }
}

#[test]
fn hanging_build_is_a_timeout_and_its_child_dies_too() {
    let sb = Sandbox::new(true);
    let marker = run_marker("hang");
    let file = sb.file("Hang.lean", "-- standin-lean: hang\n");
    let start = Instant::now();
    let out = sb
        .main(&["repro", file.to_str().unwrap(), "--json", "--timeout", "1"])
        .env(RUN_MARKER, &marker)
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "timeout", "{r:#}");
    assert_eq!(r["signature"], "timeout:build:wall");
    assert_eq!(r["stages"][0]["termination"]["kind"], "timed-out");
    // The stand-in's child holds the output pipes: only a group kill ends
    // the stage this soon (a direct-child kill would wait for `sleep 300`).
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    assert!(r["stages"][0]["stdout"]
        .as_str()
        .unwrap()
        .contains("standin lean: hanging"));
    let left = wait_run_gone(&marker, 5);
    assert!(left.is_empty(), "survived the group kill: {left:?}");
    assert!(sb.work_leftovers().is_empty());
}

#[test]
fn hanging_comparator_is_a_timeout() {
    let sb = Sandbox::new(true);
    let pids = tempfile::tempdir().unwrap();
    let file = sb.file("Hang.lean", "-- standin-comparator: hang\n");
    let out = sb
        .main(&["repro", file.to_str().unwrap(), "--json", "--timeout", "1"])
        .env("STANDIN_PID_DIR", pids.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["signature"], "timeout:comparator:wall", "{r:#}");
    wait_gone(&hang_pids(pids.path(), "comparator"));
    assert!(sb.work_leftovers().is_empty());
}

#[test]
fn memory_limit_kills_the_group() {
    let sb = Sandbox::new(true);
    let r = sb.repro(
        "-- standin-lean: memory 400\n",
        &["--mem-limit", "64M", "--timeout", "60"],
    );
    assert_eq!(r["verdict"], "timeout", "{r:#}");
    assert_eq!(r["signature"], "timeout:build:memory");
    let peak = r["stages"][0]["termination"]["peak_bytes"]
        .as_u64()
        .unwrap();
    assert!(peak > 64 << 20, "peak {peak}");
    assert!(sb.work_leftovers().is_empty());
}

#[test]
fn ctrl_c_kills_the_stage_and_removes_the_workspace() {
    let sb = Sandbox::new(true);
    let marker = run_marker("ctrl-c");
    let file = sb.file("Hang.lean", "-- standin-lean: hang\n");
    let child = sb
        .main(&["repro", file.to_str().unwrap(), "--timeout", "120"])
        .env(RUN_MARKER, &marker)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the stage is really running.
    assert!(
        wait_marked(&marker, "sleep", 20).is_some(),
        "the stand-in never started"
    );
    assert_eq!(sb.work_leftovers().len(), 1, "one workspace while running");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let left = wait_run_gone(&marker, 5);
    assert!(left.is_empty(), "survived Ctrl-C: {left:?}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn workspaces_are_removed_after_crashes() {
    let sb = Sandbox::new(true);
    for src in [
        "-- standin-lake: signal KILL\n",
        "-- standin-lean: signal SEGV\n",
        "-- standin-comparator: signal ABRT\n",
    ] {
        let r = sb.repro(src, &[]);
        assert_eq!(r["verdict"], "crash", "{r:#}");
    }
    assert!(sb.work_leftovers().is_empty());
}

//! The process runner on its own: group kill, orphans, signals, output cap.

use generator::harness::process::{run, Limits, ProcessSpec, Termination};
use std::time::{Duration, Instant};

fn bash(script: &str, limits: Limits) -> ProcessSpec {
    ProcessSpec::new("/bin/bash", "/", limits)
        .arg("-c")
        .arg(script)
}

fn limits(timeout_ms: u64) -> Limits {
    Limits {
        timeout: Duration::from_millis(timeout_ms),
        ..Limits::default()
    }
}

fn gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(s) => s.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('Z')),
    }
}

fn wait_gone(pid: i32) -> bool {
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end {
        if gone(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn read_pid(file: &std::path::Path) -> i32 {
    std::fs::read_to_string(file)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A shell fragment that starts `sleep 300` in the background and waits
/// until its pid, as this test sees it, is in `pidfile`. The stage runs in
/// its own PID namespace, where `$!` is a pid of that namespace: the
/// background shell reads its own pid from /proc (our /proc, so our pid),
/// then becomes `sleep`.
fn background_sleep(pidfile: &std::path::Path) -> String {
    let f = pidfile.display();
    format!(
        "(read -r p _ < /proc/self/stat; echo $p > {f}.tmp; mv {f}.tmp {f}; exec sleep 300) & \
         while [ ! -s {f} ]; do sleep 0.01; done"
    )
}

#[test]
fn timeout_kills_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let script = format!("{}; wait", background_sleep(&pidfile));
    let start = Instant::now();
    let o = run(&bash(&script, limits(500))).unwrap();
    assert_eq!(o.termination, Termination::TimedOut);
    assert!(start.elapsed() < Duration::from_secs(10));
    let pid = read_pid(&pidfile);
    assert!(wait_gone(pid), "grandchild {pid} survived");
}

#[test]
fn orphans_holding_the_pipes_are_killed_after_a_normal_exit() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    // The leader exits at once; its background child keeps stdout open.
    let script = format!("{}; echo done; exit 0", background_sleep(&pidfile));
    let start = Instant::now();
    let o = run(&bash(&script, limits(60_000))).unwrap();
    assert_eq!(o.termination, Termination::Exited { code: 0 });
    assert!(o.stdout.text.contains("done"));
    assert!(start.elapsed() < Duration::from_secs(10));
    let pid = read_pid(&pidfile);
    assert!(wait_gone(pid), "orphan {pid} survived");
}

#[test]
fn signal_deaths_are_read_from_the_wait_status() {
    let o = run(&bash("kill -SEGV $$", limits(10_000))).unwrap();
    match o.termination {
        Termination::Signaled { signal, name, .. } => {
            assert_eq!(signal, 11);
            assert_eq!(name, "SIGSEGV");
        }
        t => panic!("expected a signal death, got {t:?}"),
    }
    let o = run(&bash("exit 7", limits(10_000))).unwrap();
    assert_eq!(o.termination, Termination::Exited { code: 7 });
}

#[test]
fn output_is_capped_keeping_head_and_tail() {
    let lim = Limits {
        output_cap: 1000,
        ..limits(30_000)
    };
    let o = run(&bash(
        "echo START; head -c 5000000 /dev/zero | tr '\\0' x; echo; echo END >&1; echo ERR >&2",
        lim,
    ))
    .unwrap();
    assert!(o.stdout.text.starts_with("START"));
    assert!(o.stdout.text.trim_end().ends_with("END"));
    assert!(o.stdout.omitted > 4_000_000);
    assert!(o.stdout.text.len() < 1100);
    assert_eq!(o.stderr.text, "ERR\n");
}

#[test]
fn a_missing_program_is_an_error_naming_it() {
    let spec = ProcessSpec::new("/nonexistent/lake", "/", limits(1000));
    let e = run(&spec).unwrap_err().to_string();
    assert!(e.contains("/nonexistent/lake"), "{e}");
}

#[test]
fn stages_started_from_worker_threads_run_to_completion() {
    // A stage dies with the *thread* that started it (PR_SET_PDEATHSIG),
    // as `reduce` starts stages from rayon workers: each must live as long
    // as its thread waits for it, whatever the other threads do.
    let outcomes: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                s.spawn(move || {
                    run(&bash(
                        &format!("sleep 0.{}; echo stage-{i}", 1 + i),
                        limits(30_000),
                    ))
                    .unwrap()
                })
            })
            .collect();
        // A thread that ends while the stages run takes none of them along.
        s.spawn(|| ()).join().unwrap();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, o) in outcomes.iter().enumerate() {
        assert_eq!(o.termination, Termination::Exited { code: 0 }, "{o:?}");
        assert_eq!(o.stdout.text, format!("stage-{i}\n"));
    }
}

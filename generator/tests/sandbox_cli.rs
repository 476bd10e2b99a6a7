//! The build sandbox and the stage containment as a user meets them,
//! through `main` and the stand-in toolchain: a build cannot write outside
//! its workspace (and the attempt is in the report), cannot reach the
//! network, a full disk or a denied permission is our error and never a
//! verdict, and a `kill -9` of the fuzzer leaves no process of its run.

mod common;
use common::*;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

/// A built template in a scratch dir outside /tmp (the build's /tmp is
/// private, so the host's /tmp is checked separately), or `None` with a
/// SKIPPED line where the kernel refuses namespaces.
fn sandboxed_area(test: &str) -> Option<Sandbox> {
    let sb = Sandbox::new_in(Path::new(env!("CARGO_TARGET_TMPDIR")), true);
    match generator::harness::sandbox::probe(&sb.work) {
        Ok(()) => Some(sb),
        Err(why) => {
            say_skipped(test, &format!("namespaces are refused here: {why}"));
            None
        }
    }
}

#[test]
fn a_build_writing_outside_its_workspace_fails_and_the_attempt_is_recorded() {
    let Some(sb) = sandboxed_area("writing outside") else {
        return;
    };
    let home = sb.dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let tmp_name = format!("leanfuzz-sandbox-cli-{}", std::process::id());
    let before = snapshot(&sb.template);
    let source = format!(
        "-- standin-lean: write {home}/pwned /tmp/{tmp_name} {template}/pwned {template}/Challenge.lean\n",
        home = home.display(),
        template = sb.template.display(),
    );
    let file = sb.file("Escape.lean", &source);
    let out = sb
        .main(&["repro", file.to_str().unwrap(), "--json", "--sandbox", "on"])
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert_eq!(r["signature"], "build-error:sandbox-refused-write", "{r:#}");
    let evidence = r["evidence"].as_str().unwrap();
    for refused in [
        home.join("pwned"),
        sb.template.join("pwned"),
        sb.template.join("Challenge.lean"),
    ] {
        assert!(
            evidence.contains(refused.to_str().unwrap()),
            "{refused:?} not in {evidence}"
        );
    }
    assert!(evidence.contains("read-only file system"), "{evidence}");
    // The private /tmp took its write; the host's never saw it.
    assert!(!evidence.contains(&tmp_name), "{evidence}");
    assert!(!Path::new("/tmp").join(&tmp_name).exists());
    assert!(!home.join("pwned").exists());
    assert_eq!(snapshot(&sb.template), before, "the template changed");

    // The printed report names the attempt too.
    let human = sb
        .main(&["repro", file.to_str().unwrap()])
        .env("HOME", &home)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("sandbox-refused-write"), "{text}");
    assert!(
        text.contains(&format!("{}/pwned", home.display())),
        "{text}"
    );

    // Without the sandbox the same file does write there: the check above
    // can fail.
    let out = sb
        .main(&[
            "repro",
            file.to_str().unwrap(),
            "--json",
            "--sandbox",
            "off",
        ])
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(home.join("pwned").exists());
    let _ = std::fs::remove_file(Path::new("/tmp").join(&tmp_name));
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn the_build_has_no_network() {
    let Some(sb) = sandboxed_area("no network") else {
        return;
    };
    // A listener on the host's loopback: the build's own loopback is
    // another one, so it is not reachable from the build.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let source = format!("-- standin-lean: connect 127.0.0.1 {port}\n");
    let r = sb.repro(&source, &["--sandbox", "on"]);
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert!(
        r["evidence"]
            .as_str()
            .unwrap()
            .contains("Connection refused"),
        "{r:#}"
    );
    assert!(listener.accept().is_err(), "the build reached the host");

    // Unsandboxed, the same build connects: the check above can fail.
    let r = sb.repro(&source, &["--sandbox", "off"]);
    let build = &r["stages"][0];
    assert_eq!(build["termination"]["code"], 0, "{r:#}");
    assert!(
        build["stdout"]
            .as_str()
            .unwrap()
            .contains("connected to 127.0.0.1"),
        "{r:#}"
    );
    let mut accepted = listener.accept();
    let end = Instant::now() + Duration::from_secs(5);
    while accepted.is_err() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(20));
        accepted = listener.accept();
    }
    let mut buf = Vec::new();
    let _ = accepted.expect("no connection").0.read_to_end(&mut buf);
}

/// `main repro` on `source` must fail with one line naming `needle`,
/// printing no verdict.
fn harness_error(sb: &Sandbox, source: &str, needle: &str) {
    let out = sb.repro_output(source, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a verdict was given: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(lines.len(), 1, "not one line: {err}");
    assert!(lines[0].contains("not of the program"), "{err}");
    assert!(lines[0].contains(needle), "{needle:?} not in {err}");
}

#[test]
fn a_full_disk_or_a_denied_permission_in_a_build_is_a_harness_error() {
    let sb = Sandbox::new(true);
    harness_error(
        &sb,
        "-- standin-lake: disk-full\n",
        "no space left on device",
    );
    harness_error(&sb, "-- standin-lake: exec-denied\n", "Permission denied");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());

    // A program filling a device of its own is its own doing: a verdict.
    let r = sb.repro("-- standin-lean: write /dev/full\n", &[]);
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert!(
        r["evidence"]
            .as_str()
            .unwrap()
            .contains("no space left on device"),
        "{r:#}"
    );
}

/// A small deterministic source of kill delays (no seed to pass around;
/// the test prints them).
fn delays(n: usize) -> Vec<Duration> {
    let mut x = (std::process::id() as u64) ^ 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Duration::from_millis(150 + x % 2500)
        })
        .collect()
}

#[test]
fn kill_9_of_the_fuzzer_leaves_no_process_of_its_run() {
    let sb = Sandbox::new(true);
    // Builds that hang (lake → lean → sleep) and builds that end quickly,
    // so a kill lands in a hang, between tests, or in workspace set-up.
    let costs = ["600000", "30", "600000", "120"];
    for (i, delay) in delays(costs.len()).into_iter().enumerate() {
        let marker = run_marker("kill-9");
        let corpus = sb.dir.path().join(format!("corpus-{i}"));
        let mut child = sb
            .main(&[
                "--mode",
                "simple",
                "--depth",
                "4",
                "--timeout",
                "900",
                "--corpus",
                corpus.to_str().unwrap(),
            ])
            .env(RUN_MARKER, &marker)
            .env("STANDIN_LEAN_COST_MS", costs[i])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if costs[i] == "600000" {
            // Wait for the hang itself, then a random moment more.
            assert!(
                wait_marked(&marker, "sleep", 60).is_some(),
                "run {i}: no build started"
            );
        }
        std::thread::sleep(delay);
        let running = marked_processes(&marker);
        child.kill().unwrap();
        let _ = child.wait();
        let left = wait_run_gone(&marker, 10);
        assert!(
            left.is_empty(),
            "run {i} (cost {} ms, killed {delay:?} in, with {running:?}): survivors {left:?}",
            costs[i]
        );
    }
}

/// `main ARGS` in a user namespace whose namespace limits are 0: the
/// kernel refuses every namespace `main` asks for, as on a machine that
/// forbids them. `None` (and a SKIPPED line) where that cannot be made.
fn main_where_namespaces_are_refused(sb: &Sandbox, args: &[&str]) -> Option<std::process::Output> {
    let refuse = "for n in user mnt pid net; do echo 0 > /proc/sys/user/max_${n}_namespaces || exit 97; done; exec \"$@\"";
    let main = sb.main(args);
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-U", "-r", "--fork", "sh", "-c", refuse, "sh"])
        .arg(main.get_program())
        .args(main.get_args());
    for (k, v) in main.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    match cmd.output() {
        Ok(o)
            if o.status.code() != Some(97)
                && !String::from_utf8_lossy(&o.stderr).contains("unshare:") =>
        {
            Some(o)
        }
        Ok(o) => {
            say_skipped(
                "namespaces refused",
                &format!(
                    "cannot make a user namespace with limits here: {}",
                    String::from_utf8_lossy(&o.stderr)
                ),
            );
            None
        }
        Err(e) => {
            say_skipped("namespaces refused", &format!("no unshare: {e}"));
            None
        }
    }
}

#[test]
fn where_namespaces_are_refused_builds_run_unsandboxed_with_one_warning() {
    let sb = Sandbox::new(true);
    let file = sb.file("Plain.lean", "-- standin-lean: error boom\n");
    let Some(out) =
        main_where_namespaces_are_refused(&sb, &["repro", file.to_str().unwrap(), "--json"])
    else {
        return;
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["verdict"], "rejected", "{r:#}");
    assert_eq!(r["signature"], "build-error:boom", "{r:#}");
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("build sandbox unavailable"))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].starts_with("warning: "), "{err}");
    assert!(warnings[0].contains("refused the namespaces"), "{err}");

    // `--sandbox on` there is one clear error instead.
    let out = main_where_namespaces_are_refused(
        &sb,
        &["repro", file.to_str().unwrap(), "--json", "--sandbox", "on"],
    )
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("build sandbox is not available here"),
        "{err}"
    );

    // And `main doctor` says so.
    let out = main_where_namespaces_are_refused(&sb, &["doctor"]).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sandbox      off"), "{text}");
    assert!(text.contains("build sandbox unavailable"), "{text}");
    assert!(text.contains("PID namespaces refused"), "{text}");
}

#[test]
fn doctor_says_what_the_sandbox_does_here() {
    let Some(sb) = sandboxed_area("doctor sandbox line") else {
        return;
    };
    let out = sb.main(&["doctor"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ok       sandbox      on (builds write only their workspace and a private /tmp; no network)"),
        "{text}"
    );
    assert!(text.contains("its tree dies with the fuzzer"), "{text}");
    let out = sb.main(&["doctor", "--sandbox", "off"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("sandbox      off (builds run with your rights)"),
        "{text}"
    );
}

#[test]
fn a_campaign_on_a_full_disk_stops_with_a_harness_error_and_no_verdict() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&["--mode", "simple", "--depth", "4", "--max-tests", "30"])
        .env("STANDIN_LAKE_DISK_FULL", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("harness errors in a row"), "{err}");
    assert!(err.contains("no space left on device"), "{err}");
    assert!(err.contains("not of the program"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Nothing was judged: no finding, no verdict counted.
    assert!(files_with_ext(&sb.dir.path().join("solutions"), "json").is_empty());
    if let Ok(stats) = std::fs::read_to_string(sb.dir.path().join("stats.jsonl")) {
        for line in stats.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["tests"], 0, "{line}");
        }
    }
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

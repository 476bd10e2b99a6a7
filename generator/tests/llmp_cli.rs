//! The default LLMP mode through the stand-in toolchain: two clients share
//! one corpus, two launchers share it over a broker-to-broker link, a
//! killed client comes back and reads its corpus, Ctrl-C and SIGTERM stop
//! every process and leave nothing behind, `--resume` reads a corpus back
//! and skips a corrupt entry (one line, no backtrace anywhere), and bad
//! input is one clear line.
//!
//! The campaigns run one at a time (a lock): each forks a broker and a
//! client per core, and the machines have two cores.

mod common;
use common::*;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use serde_json::Value;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ONE_CAMPAIGN_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_CAMPAIGN_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The campaign's own files inside the sandbox.
struct Campaign {
    corpus: PathBuf,
    logs: PathBuf,
    stats: PathBuf,
    solutions: PathBuf,
    port: u16,
}

impl Campaign {
    fn new(root: &Path) -> Self {
        Campaign {
            corpus: root.join("corpus"),
            logs: root.join("logs"),
            stats: root.join("stats.jsonl"),
            solutions: root.join("solutions"),
            port: free_port(),
        }
    }

    /// The flags that put the campaign's files in place, plus `extra`.
    fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = [
            "--depth",
            "5",
            "--broker-port",
            &self.port.to_string(),
            "--corpus",
            self.corpus.to_str().unwrap(),
            "--log-dir",
            self.logs.to_str().unwrap(),
            "--stats-file",
            self.stats.to_str().unwrap(),
            "--solutions",
            self.solutions.to_str().unwrap(),
            "--stats-interval",
            "0.5",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    fn log(&self, client: usize) -> String {
        std::fs::read_to_string(self.logs.join(format!("client-{client}.log"))).unwrap_or_default()
    }

    fn entries(&self, client: usize) -> Vec<String> {
        let dir = self.corpus.join(format!("client-{client}"));
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn last_stats(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.stats)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|v| v["last"] == true)
            .collect()
    }
}

/// Testcases client `client`'s log says it received.
fn received(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| l.strip_prefix("received testcase "))
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

fn run(sb: &Sandbox, args: &[String], env: &[(&str, &str)]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = sb.main(&refs);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn spawn(sb: &Sandbox, args: &[String], env: &[(&str, &str)]) -> Child {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = sb.main(&refs);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Whether any process of group `pgid` is left.
fn group_alive(pgid: i32) -> bool {
    kill(Pid::from_raw(-pgid), None).is_ok()
}

#[test]
fn two_clients_share_one_corpus() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let out = run(
        &sb,
        &c.args(&["--cores", "0-1", "--max-tests", "30"]),
        &[("STANDIN_LEAN_COST_MS", "50")],
    );
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("30 tests by 2 client(s)"), "{all}");

    // An entry that client 1 holds without having received it (so it
    // generated it) and that client 2 received and holds too.
    let (log1, log2) = (c.log(1), c.log(2));
    let got1 = received(&log1);
    let got2 = received(&log2);
    let own1: Vec<String> = c
        .entries(1)
        .into_iter()
        .filter(|e| !got1.contains(e))
        .collect();
    let entries2 = c.entries(2);
    let shared: Vec<&String> = own1
        .iter()
        .filter(|e| got2.contains(e) && entries2.contains(e))
        .collect();
    assert!(
        !shared.is_empty(),
        "no entry of client 1 reached client 2's corpus\nclient 1 own: {own1:?}\nclient 2 received: {got2:?}\nclient 2 corpus: {entries2:?}"
    );
    // Shared testcases are judged by the sender's verdict, not run again:
    // the two clients ran exactly the 30 tests of the budget between them.
    let last = c.last_stats();
    assert_eq!(last.len(), 2, "{last:?}");
    let tests: u64 = last.iter().map(|v| v["tests"].as_u64().unwrap()).sum();
    assert_eq!(tests, 30, "{last:?}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn a_killed_client_comes_back_and_reads_its_corpus() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let child = spawn(
        &sb,
        &c.args(&["--cores", "0-1", "--max-time", "10"]),
        &[("STANDIN_LEAN_COST_MS", "100")],
    );
    wait_for("client 1 to store entries", Duration::from_secs(20), || {
        c.entries(1).len() >= 2
    });
    let pid: i32 = c
        .log(1)
        .split("(pid ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|p| p.parse().ok())
        .expect("client 1 logs its pid");
    kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
    wait_for("client 1 to come back", Duration::from_secs(20), || {
        c.log(1).contains("restarted without its state")
    });
    let out = child.wait_with_output().unwrap();
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    let log = c.log(1);
    assert!(log.contains("corpus entries read back"), "{log}");
    // The killed test's workspace was removed by its successor.
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

/// Starts a two-client campaign, sends `signal` to the launcher alone or
/// (`group`) to its whole process group once both clients run, and checks
/// that every process stops cleanly: exit 130, no process and no workspace
/// left, every client's last stats line written.
fn stop_a_running_campaign(signal: Signal, group: bool) {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let child = spawn(
        &sb,
        &c.args(&["--cores", "0-1"]),
        &[("STANDIN_LEAN_COST_MS", "300")],
    );
    let pgid = child.id() as i32;
    wait_for("both clients to run tests", Duration::from_secs(20), || {
        !c.entries(1).is_empty() && !c.entries(2).is_empty()
    });
    let target = if group { -pgid } else { pgid };
    kill(Pid::from_raw(target), signal).unwrap();
    let out = child.wait_with_output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(130), "{all}");
    assert!(all.contains("interrupted after"), "{all}");
    assert!(!group_alive(pgid), "processes left in group {pgid}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
    assert_eq!(c.last_stats().len(), 2, "every client writes its last line");
}

#[test]
fn ctrl_c_stops_every_process_and_leaves_nothing() {
    // What a terminal does on Ctrl-C: SIGINT to the whole group.
    stop_a_running_campaign(Signal::SIGINT, true);
}

#[test]
fn sigterm_to_the_launcher_alone_stops_its_clients() {
    // `kill <pid>`, `timeout`: only the launcher gets the signal.
    stop_a_running_campaign(Signal::SIGTERM, false);
}

#[test]
fn resume_reads_the_corpus_back_and_skips_a_corrupt_entry() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let first = run(&sb, &c.args(&["--cores", "0", "--max-tests", "10"]), &[]);
    assert!(first.status.success(), "{}", text(&first));
    let stored = c.entries(1).len();
    assert!(stored > 0);
    // A writer killed half-way, or a file from elsewhere.
    let corrupt = c.corpus.join("client-1").join("0123456789abcdef");
    std::fs::write(&corrupt, b"\xff\xff\xff not an input").unwrap();

    let again = run(&sb, &c.args(&["--cores", "0", "--max-tests", "3"]), &[]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(err.contains("pass --resume"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let resumed = run(
        &sb,
        &c.args(&["--cores", "0", "--max-tests", "3", "--resume"]),
        &[],
    );
    assert!(resumed.status.success(), "{}", text(&resumed));
    let log = c.log(1);
    assert!(
        log.contains(&format!("{stored} corpus entries read back, 1 skipped")),
        "{log}"
    );
    assert!(
        log.contains("skipping corpus entry") && log.contains("0123456789abcdef"),
        "{log}"
    );
    // One line for the corrupt entry, nowhere a backtrace of LibAFL's.
    let warning = log
        .lines()
        .find(|l| l.contains("skipping corpus entry"))
        .unwrap();
    assert!(warning.ends_with(')'), "{log}");
    let stats = std::fs::read_to_string(&c.stats).unwrap();
    for (what, text) in [
        ("log", &log),
        ("stats", &stats),
        ("output", &text(&resumed)),
    ] {
        assert!(!text.contains("Backtrace"), "{what}: {text}");
    }
    // Nothing was generated anew: the 3 tests are mutations of read entries.
    let last = c.last_stats();
    assert_eq!(last.last().unwrap()["tests"], 3, "{last:?}");

    // The simple mode resumes the same way.
    let simple = run(
        &sb,
        &c.args(&["--mode", "simple", "--max-tests", "2", "--resume"]),
        &[],
    );
    let out = text(&simple);
    assert!(simple.status.success(), "{out}");
    assert!(out.contains("corpus entries read, 1 skipped"), "{out}");
}

#[test]
fn a_remote_broker_links_two_launchers_into_one_corpus() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let a = Campaign::new(&sb.dir.path().join("a"));
    let b = Campaign::new(&sb.dir.path().join("b"));
    for dir in ["a", "b"] {
        std::fs::create_dir(sb.dir.path().join(dir)).unwrap();
    }
    let env = [("STANDIN_LEAN_COST_MS", "100")];
    // Distinct seeds, as distinct machines should have.
    let hub = spawn(
        &sb,
        &a.args(&["--cores", "0", "--max-time", "14", "--seed", "1"]),
        &env,
    );
    wait_for(
        "the first launcher's client",
        Duration::from_secs(20),
        || a.log(1).contains("started"),
    );
    let remote = format!("127.0.0.1:{}", a.port);
    let node = run(
        &sb,
        &b.args(&[
            "--cores",
            "1",
            "--max-time",
            "8",
            "--seed",
            "100",
            "--remote-broker",
            &remote,
        ]),
        &env,
    );
    let node_out = text(&node);
    let hub_out = hub.wait_with_output().unwrap();
    assert!(node.status.success(), "{node_out}");
    assert!(
        node_out.contains("connected to the remote broker"),
        "{node_out}"
    );
    assert!(hub_out.status.success(), "{}", text(&hub_out));

    // An entry generated on the hub reached the other launcher's client.
    let hub_received = received(&a.log(1));
    let hub_own: Vec<String> = a
        .entries(1)
        .into_iter()
        .filter(|e| !hub_received.contains(e))
        .collect();
    let node_entries = b.entries(1);
    let node_received = received(&b.log(1));
    assert!(
        hub_own
            .iter()
            .any(|e| node_received.contains(e) && node_entries.contains(e)),
        "hub own: {hub_own:?}\nnode received: {node_received:?}"
    );
    // And the other way round.
    let node_own: Vec<&String> = node_entries
        .iter()
        .filter(|e| !node_received.contains(e))
        .collect();
    assert!(
        node_own.iter().any(|e| hub_received.contains(e)),
        "node own: {node_own:?}\nhub received: {hub_received:?}"
    );
}

#[test]
fn bad_llmp_input_is_one_clear_line() {
    let _serial = serial();
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port().to_string();
    let nothing_there = format!("127.0.0.1:{}", free_port());
    // Accepts connections (the kernel does) but never speaks.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = silent.local_addr().unwrap().to_string();
    let not_a_dir = sb.file("plain-file", "x");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["--broker-port", &busy_port],
            format!("broker port {busy_port} is busy"),
        ),
        (vec!["--cores", "0-1-2"], "invalid core list".into()),
        (vec!["--cores", "x"], "invalid core list".into()),
        (vec!["--cores", "0-4095"], "is not available".into()),
        (
            vec!["--remote-broker", &nothing_there],
            "cannot reach the remote broker".into(),
        ),
        (
            vec!["--remote-broker", "no-port"],
            "is not HOST:PORT".into(),
        ),
        (
            vec!["--remote-broker", &silent_addr],
            "does not answer like an LLMP broker".into(),
        ),
        (
            vec!["--mode", "simple", "--remote-broker", "127.0.0.1:1"],
            "needs the LLMP mode".into(),
        ),
        (
            vec!["--corpus", not_a_dir.to_str().unwrap()],
            "is not a directory".into(),
        ),
    ];
    for (extra, expected) in cases {
        let mut args = c.args(&["--max-tests", "1"]);
        // A flag given in `extra` replaces the campaign's.
        for flag in extra.iter().filter(|f| f.starts_with("--")) {
            if let Some(i) = args.iter().position(|a| a == flag) {
                args.drain(i..i + 2);
            }
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        let out = run(&sb, &args, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{extra:?} succeeded");
        assert!(err.contains(&expected), "{extra:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{extra:?}: {err}");
        assert!(!err.contains("panicked"), "{extra:?}: {err}");
    }
    drop((busy, silent));
}

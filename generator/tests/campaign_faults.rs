//! Fault injection into LLMP campaigns through the stand-in toolchain: each
//! kind of campaign process (a client, a client's respawner, the launcher
//! that is also the broker) is killed with SIGKILL at a random point (the
//! seed is printed), and afterwards no process of the campaign is left, no
//! System V shared-memory segment any of its processes made is left, no
//! workspace or client file is left in the work dir, every finding in the
//! store is whole (its file with its record, no temporary file), and where
//! the campaign runs to its end, the clients' budgets held across restarts.
//!
//! The campaigns run one at a time (a lock): each forks a broker and a
//! client per core, and the machines have two cores.

mod common;
use common::*;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::collections::BTreeSet;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

static ONE_CAMPAIGN_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_CAMPAIGN_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// A small random source, seeded from the clock; the seed is printed so a
/// failing run can be told apart.
struct Dice(u64);

impl Dice {
    fn new(test: &str) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        eprintln!("{test}: seed {seed}");
        Dice(seed | 1)
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        lo + self.0 % (hi - lo + 1)
    }
}

struct Campaign {
    root: PathBuf,
    port: u16,
}

impl Campaign {
    fn new(root: &Path) -> Self {
        Campaign {
            root: root.to_path_buf(),
            port: TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port(),
        }
    }

    fn spawn(&self, sb: &Sandbox, extra: &[&str]) -> Child {
        let port = self.port.to_string();
        let p = |name: &str| self.root.join(name).to_str().unwrap().to_string();
        let (corpus, logs, stats, solutions) =
            (p("corpus"), p("logs"), p("stats.jsonl"), p("solutions"));
        let mut args = vec![
            "--depth",
            "5",
            "--cores",
            "0-1",
            "--broker-port",
            &port,
            "--corpus",
            &corpus,
            "--log-dir",
            &logs,
            "--stats-file",
            &stats,
            "--solutions",
            &solutions,
            "--stats-interval",
            "0.5",
        ];
        args.extend_from_slice(extra);
        sb.main(&args)
            .env("STANDIN_LEAN_COST_MS", "60")
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn log(&self, client: usize) -> String {
        std::fs::read_to_string(self.root.join(format!("logs/client-{client}.log")))
            .unwrap_or_default()
    }

    /// The pid of client `client`'s newest process, from its log.
    fn client_pid(&self, client: usize) -> Option<i32> {
        self.log(client)
            .rsplit("(pid ")
            .next()
            .and_then(|r| r.split(',').next())
            .and_then(|p| p.parse().ok())
    }
}

/// Tests client `client` has counted so far (its count file in the
/// campaign's own directory under the work dir).
fn counted(sb: &Sandbox, client: usize) -> u64 {
    std::fs::read_dir(&sb.work)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|run| {
            std::fs::read_dir(run.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(&format!("-client-{client}.tests"))
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| t.trim().parse().ok())
        .max()
        .unwrap_or(0)
}

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every process of group `pgid` seen while the campaign runs (the
/// creators of its shared memory are among them).
struct Watcher {
    seen: Arc<Mutex<BTreeSet<i32>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watcher {
    fn start(pgid: i32) -> Self {
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !st.load(Ordering::Relaxed) {
                let found = group_members(pgid);
                s.lock().unwrap().extend(found);
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Watcher {
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> BTreeSet<i32> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap();
        let seen = self.seen.lock().unwrap().clone();
        seen
    }
}

/// The live processes whose process group is `pgid`.
fn group_members(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // After the command name: state, ppid, pgrp.
        let pgrp = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(2)?.parse::<i32>().ok());
        if pgrp == Some(pgid) {
            out.push(pid);
        }
    }
    out
}

/// The parent of `pid`.
fn parent(pid: i32) -> i32 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok())
        })
        .expect("the process exists")
}

/// System V segments whose creator is one of `pids` (/proc/sysvipc/shm:
/// key shmid perms size cpid ...).
fn segments_of(pids: &BTreeSet<i32>) -> Vec<String> {
    std::fs::read_to_string("/proc/sysvipc/shm")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter(|l| {
            l.split_whitespace()
                .nth(4)
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| pids.contains(&c))
        })
        .map(str::to_string)
        .collect()
}

/// What must hold once a campaign's processes are gone, however they died.
fn nothing_left(sb: &Sandbox, c: &Campaign, pgid: i32, seen: &BTreeSet<i32>) {
    wait_for(
        "every process of the campaign to stop",
        Duration::from_secs(30),
        || group_members(pgid).into_iter().all(process_gone),
    );
    // The last holder's exit frees a segment at once.
    let left = segments_of(seen);
    assert!(
        left.is_empty(),
        "shared memory left by the campaign's processes {seen:?}:\n{}",
        left.join("\n")
    );
    // A killed process runs no clean-up: the next start on the work dir
    // sweeps what it left (its directory's lock died with it), and the next
    // campaign on the store recovers what a writer killed half-way left
    // (files aged past the minute in which they may be a living writer's).
    let solutions = c.root.join("solutions");
    age_all(&solutions);
    let next = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "1",
            "--depth",
            "4",
            "--solutions",
            solutions.to_str().unwrap(),
            "--corpus",
            c.root.join("corpus-next").to_str().unwrap(),
            "--stats-file",
            c.root.join("stats-next.jsonl").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    assert!(
        sb.work_leftovers().is_empty(),
        "left in the work dir after the next start: {:?}",
        sb.work_leftovers()
    );
    // Every finding whole: a file with its record, nothing half-written.
    store_is_whole(&solutions);
}

#[test]
fn killed_clients_come_back_within_their_budget_and_leave_no_shared_memory() {
    let _serial = serial();
    let mut dice = Dice::new("killed_clients");
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let child = c.spawn(&sb, &["--max-tests", "40"]);
    let pgid = child.id() as i32;
    let watcher = Watcher::start(pgid);
    let mut killed_at = Vec::new();
    for client in [1, 2] {
        // A random point in the client's share of 20 tests.
        let at = dice.between(1, 12);
        killed_at.push((client, at));
        wait_for(
            "the client to count its tests",
            Duration::from_secs(60),
            || counted(&sb, client) >= at && c.client_pid(client).is_some(),
        );
        std::thread::sleep(Duration::from_millis(dice.between(0, 150)));
        let pid = c.client_pid(client).unwrap();
        kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
        wait_for("the client to come back", Duration::from_secs(30), || {
            c.log(client).contains("restarted without its state")
        });
    }
    let out = child.wait_with_output().unwrap();
    let seen = watcher.finish();
    let all = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stats = std::fs::read_to_string(c.root.join("stats.jsonl")).unwrap();
    let lasts: Vec<&str> = stats
        .lines()
        .filter(|l| l.contains("\"last\":true"))
        .collect();
    let logs: Vec<String> = [1, 2]
        .iter()
        .map(|n| {
            let log = c.log(*n);
            let own: Vec<&str> = log.lines().filter(|l| !l.starts_with("received")).collect();
            format!("client-{n}.log:\n{}", own.join("\n"))
        })
        .collect();
    let all = format!(
        "{all}\nlast stats lines:\n{}\n{}",
        lasts.join("\n"),
        logs.join("\n")
    );
    assert!(out.status.success(), "{all}");
    // Each client's processes shared its 20 tests: 40 in all, not more.
    assert!(all.contains("40 tests by 2 client(s)"), "{all}");
    assert!(!all.contains("Backtrace"), "{all}");
    // Each successor went on from its predecessor's count (at least the
    // tests seen before the kill) and stopped at the client's share.
    for (client, at) in killed_at {
        let last: serde_json::Value = stats
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .rfind(|v| {
                v["last"] == true
                    && v["client"]
                        .as_str()
                        .unwrap()
                        .ends_with(&format!("/client-{client}"))
            })
            .expect("the successor's last line");
        let (own, total) = (
            last["tests"].as_u64().unwrap(),
            last["client_tests"].as_u64().unwrap(),
        );
        assert_eq!(total, 20, "client {client}: {last}");
        assert!(
            total - own >= at,
            "client {client} restarted its count: {last}"
        );
    }
    nothing_left(&sb, &c, pgid, &seen);
}

#[test]
fn a_killed_respawner_stops_its_client_and_leaves_nothing() {
    let _serial = serial();
    let mut dice = Dice::new("killed_respawner");
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let child = c.spawn(&sb, &["--max-tests", "40"]);
    let pgid = child.id() as i32;
    let watcher = Watcher::start(pgid);
    let at = dice.between(1, 10);
    wait_for(
        "client 2 to count its tests",
        Duration::from_secs(60),
        || counted(&sb, 2) >= at && c.client_pid(2).is_some(),
    );
    let respawner = parent(c.client_pid(2).unwrap());
    assert_ne!(respawner, pgid, "the client's parent is its respawner");
    kill(Pid::from_raw(respawner), Signal::SIGKILL).unwrap();
    let out = child.wait_with_output().unwrap();
    let seen = watcher.finish();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    nothing_left(&sb, &c, pgid, &seen);
}

#[test]
fn a_killed_launcher_stops_its_clients_and_leaves_no_shared_memory() {
    let _serial = serial();
    let mut dice = Dice::new("killed_launcher");
    let sb = Sandbox::new(true);
    let c = Campaign::new(sb.dir.path());
    let mut child = c.spawn(&sb, &[]);
    let pgid = child.id() as i32;
    let watcher = Watcher::start(pgid);
    let at = dice.between(0, 8);
    wait_for("both clients to run", Duration::from_secs(60), || {
        counted(&sb, 1) >= at && counted(&sb, 2) >= 1
    });
    std::thread::sleep(Duration::from_millis(dice.between(0, 300)));
    kill(Pid::from_raw(pgid), Signal::SIGKILL).unwrap();
    let _ = child.wait();
    let seen = watcher.finish();
    nothing_left(&sb, &c, pgid, &seen);
}

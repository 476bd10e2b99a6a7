//! Memory over a long campaign (a bench binary, not a timed test): the
//! real `main` fuzzes kernel environments against a zero-cost stand-in
//! kernel (`/bin/true`, which accepts every file at once), so a campaign
//! reaches 100k tests in minutes, while this bench samples the resident
//! memory of every fuzzing process from /proc. Goal: flat memory, under
//! 100 MB per client over 100k tests, in both modes (one simple process;
//! one LLMP client with its broker).
//!
//! `cargo bench --bench memory` runs 100000 tests per mode; `-- --tests N`
//! sets another count, `-- --mode simple|llmp` runs one mode only.
//!
//! Prints per mode: RSS of the fuzzing process at 10 %, 50 % and 100 % of
//! the tests and its peak, the tests, the corpus kept (entries on disk per
//! test) and the rate.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// RSS in KiB of `pid` (0 when it is gone).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Every live process and its parent.
fn parents() -> BTreeMap<u32, u32> {
    let mut map = BTreeMap::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok());
        if let Some(ppid) = ppid {
            map.insert(pid, ppid);
        }
    }
    map
}

/// The fuzzing processes under `root`: `root` itself in simple mode; the
/// clients (grandchildren, under their respawners) in LLMP mode.
fn fuzzers(root: u32, llmp: bool) -> Vec<u32> {
    if !llmp {
        return vec![root];
    }
    let parents = parents();
    let children = |p: u32| -> Vec<u32> {
        parents
            .iter()
            .filter(|(_, pp)| **pp == p)
            .map(|(c, _)| *c)
            .collect()
    };
    children(root)
        .into_iter()
        .flat_map(children)
        // The clients, not the stage processes they run (kernels).
        .filter(|c| {
            std::fs::read_link(format!("/proc/{c}/exe"))
                .is_ok_and(|e| e.file_name().is_some_and(|n| n == "main"))
        })
        .collect()
}

/// The tests so far: the newest line of each (client, process), summed.
fn tests_in(stats: &Path) -> u64 {
    let text = std::fs::read_to_string(stats).unwrap_or_default();
    let mut last = BTreeMap::new();
    for line in text.lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            let key = (v["client"].to_string(), v["pid"].as_u64());
            last.insert(key, v["tests"].as_u64().unwrap_or(0));
        }
    }
    last.values().sum()
}

fn entries(corpus: &Path) -> usize {
    let mut names = std::collections::BTreeSet::new();
    let mut dirs = vec![corpus.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                names.insert(name);
            }
        }
    }
    names.len()
}

struct Run {
    tests: u64,
    secs: f64,
    kept: usize,
    /// (share of the tests, RSS MiB) samples.
    samples: Vec<(f64, f64)>,
    peak_mib: f64,
}

fn campaign(dir: &Path, mode: &str, tests: u64) -> Run {
    let root = dir.join(mode);
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let stats = root.join("stats.jsonl");
    let corpus = root.join("corpus");
    let mut c = Command::new(env!("CARGO_BIN_EXE_main"));
    c.args(["--target", "kernels", "--kernel", "zero=/bin/true"])
        .args(["--max-tests", &tests.to_string(), "--stats-interval", "1"])
        .args(["--format-fault-rate", "0", "--metamorphic-rate", "0"])
        .arg("--work-dir")
        .arg(&work)
        .arg("--solutions")
        .arg(root.join("solutions"))
        .arg("--corpus")
        .arg(&corpus)
        .arg("--stats-file")
        .arg(&stats)
        .arg("--log-dir")
        .arg(root.join("logs"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let llmp = mode == "llmp";
    if llmp {
        c.args(["--cores", "0", "--broker-port", &free_port().to_string()]);
    } else {
        c.args(["--mode", "simple"]);
    }
    let started = Instant::now();
    let mut child = c.spawn().unwrap();
    let mut samples = Vec::new();
    let mut peak = 0u64;
    let mut next_mark = 0.1;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        let rss: u64 = fuzzers(child.id(), llmp)
            .into_iter()
            .map(rss_kib)
            .max()
            .unwrap_or(0);
        peak = peak.max(rss);
        let done = tests_in(&stats) as f64 / tests as f64;
        if done >= next_mark && rss > 0 {
            samples.push((done, rss as f64 / 1024.0));
            next_mark = match next_mark {
                m if m < 0.5 => 0.5,
                m if m < 0.95 => 0.95,
                _ => f64::INFINITY,
            };
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let secs = started.elapsed().as_secs_f64();
    Run {
        tests: tests_in(&stats),
        secs,
        kept: entries(&corpus),
        samples,
        peak_mib: peak as f64 / 1024.0,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let tests: u64 = flag("--tests").map_or(100_000, |n| n.parse().expect("--tests N"));
    let modes: Vec<String> = match flag("--mode") {
        Some(m) => vec![m],
        None => vec!["simple".into(), "llmp".into()],
    };
    let dir = TempDir::new().unwrap();
    println!("memory bench: {tests} tests per mode, zero-cost kernel (/bin/true)");
    for mode in modes {
        let r = campaign(dir.path(), &mode, tests);
        let samples: Vec<String> = r
            .samples
            .iter()
            .map(|(at, mib)| format!("{:.0} %: {mib:.1} MiB", 100.0 * at))
            .collect();
        println!(
            "{mode:>6}: {} tests in {:.0} s ({:.0}/s), corpus kept {} ({:.1} % of tests), RSS per client {}, peak {:.1} MiB",
            r.tests,
            r.secs,
            r.tests as f64 / r.secs,
            r.kept,
            100.0 * r.kept as f64 / r.tests.max(1) as f64,
            samples.join(", "),
            r.peak_mib,
        );
    }
}

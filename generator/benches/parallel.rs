//! Parallel scaling (a bench binary, not a timed test): tests per second
//! with the stand-in toolchain at a fixed cost per test (`lean` sleeps
//! `STANDIN_LEAN_COST_MS`, 200 ms by default), for
//!
//! 1. one LLMP client (`--cores 0`),
//! 2. two LLMP clients sharing one corpus (`--cores 0-1`),
//! 3. two independent instances (`run_parallel.sh 2`),
//!
//! each for the same wall-clock budget, in one run. Goal: the LLMP rate
//! with two cores at least 0.9 × 2 × the one-core rate.
//!
//! `cargo bench --bench parallel` runs 60 s per mode; `-- --secs N` sets
//! another budget, `-- --cost-ms N` another cost per test.

use generator::harness::workspace::copy_tree;
use serde_json::Value;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const DEPTH: &str = "8";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn standin() -> PathBuf {
    manifest().join("tests/fixtures/standin")
}

fn path_env() -> String {
    format!(
        "{}:{}",
        standin().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn main_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_main"));
    c.env("PATH", path_env())
        .env("COMPARATOR_LANDRUN", "/bin/true")
        .env("COMPARATOR_LEAN4EXPORT", "/bin/true");
    c
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Tests run in a stats file: the last line of each (client, process).
fn tests_in(stats: &Path) -> u64 {
    let text = std::fs::read_to_string(stats).unwrap_or_default();
    let mut last = std::collections::BTreeMap::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let key = (v["client"].to_string(), v["pid"].as_u64());
        last.insert(key, v["tests"].as_u64().unwrap_or(0));
    }
    last.values().sum()
}

struct Bench {
    dir: TempDir,
    template: PathBuf,
    secs: u64,
    cost_ms: u64,
}

impl Bench {
    fn common(&self, c: &mut Command, name: &str) -> PathBuf {
        let root = self.dir.path().join(name);
        std::fs::create_dir_all(root.join("work")).unwrap();
        c.arg("--template")
            .arg(&self.template)
            .arg("--comparator")
            .arg(standin().join("comparator"))
            .arg("--solutions")
            .arg(root.join("solutions"))
            .env("STANDIN_LEAN_COST_MS", self.cost_ms.to_string());
        root
    }

    /// An LLMP campaign on `cores`; tests per second.
    fn llmp(&self, name: &str, cores: &str) -> f64 {
        let mut c = main_cmd();
        let root = self.common(&mut c, name);
        let stats = root.join("stats.jsonl");
        let out = c
            .args(["--depth", DEPTH, "--cores", cores, "--stats-interval", "5"])
            .args(["--max-time", &self.secs.to_string()])
            .arg("--broker-port")
            .arg(free_port().to_string())
            .arg("--work-dir")
            .arg(root.join("work"))
            .arg("--corpus")
            .arg(root.join("corpus"))
            .arg("--log-dir")
            .arg(root.join("logs"))
            .arg("--stats-file")
            .arg(&stats)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        tests_in(&stats) as f64 / self.secs as f64
    }

    /// `run_parallel.sh n`; tests per second.
    fn independent(&self, name: &str, n: usize) -> f64 {
        let mut c = Command::new(manifest().join("../run_parallel.sh"));
        c.args([&n.to_string(), DEPTH, "--"]);
        let root = self.common(&mut c, name);
        let out = c
            .args([
                "--max-time",
                &self.secs.to_string(),
                "--stats-interval",
                "5",
            ])
            .env("PATH", path_env())
            .env("COMPARATOR_LANDRUN", "/bin/true")
            .env("COMPARATOR_LEAN4EXPORT", "/bin/true")
            .env("LEANFUZZ_BIN", env!("CARGO_BIN_EXE_main"))
            .env("RUN_DIR", root.join("run"))
            .env("TMPDIR", root.join("work"))
            .env("SEED", "1000")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tests: u64 = (1..=n)
            .map(|i| tests_in(&root.join(format!("run/instance-{i}/stats.jsonl"))))
            .sum();
        tests as f64 / self.secs as f64
    }
}

fn flag(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template");
    copy_tree(&manifest().join("../template"), &template, &[".lake"]).unwrap();
    let built = main_cmd()
        .args(["doctor", "--build", "--template"])
        .arg(&template)
        .arg("--comparator")
        .arg(standin().join("comparator"))
        .output()
        .unwrap();
    assert!(
        template
            .join(".lake/build/lib/lean/Challenge.olean")
            .is_file(),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    let bench = Bench {
        dir,
        template,
        secs: flag(&args, "--secs", 60),
        cost_ms: flag(&args, "--cost-ms", 200),
    };
    println!(
        "parallel scaling: stand-in at {} ms per test, {} s per mode, depth {DEPTH}, {} cores",
        bench.cost_ms,
        bench.secs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let one = bench.llmp("llmp1", "0");
    println!("1 core, LLMP          {one:6.2} tests/s");
    let two = bench.llmp("llmp2", "0-1");
    println!(
        "2 cores, LLMP         {two:6.2} tests/s  = {:.2} x 2 x one core (goal >= 0.90)",
        two / (2.0 * one)
    );
    let ind = bench.independent("independent2", 2);
    println!(
        "2 independent         {ind:6.2} tests/s  = {:.2} x 2 x one core",
        ind / (2.0 * one)
    );
}

//! Kernel-mode benchmarks (a bench binary, not a timed test):
//!
//! 1. Environments generated and written as lean4export NDJSON per second.
//! 2. Kernel checks per second on one core with the stand-in kernel at a
//!    fixed cost (`STANDIN_KERNEL_COST_MS`, 50 ms), and the harness
//!    overhead on top: `KernelChecker::check_file` against running the same
//!    stand-in command by hand.
//! 3. Kernel tests per second of the whole fuzz loop on one core
//!    (`main --target kernels --mode simple`, release build, the same
//!    stand-in at 50 ms): generating or mutating, writing the export file,
//!    the kernel, classifying, corpus and store — and the loop's cost per
//!    test beyond the kernel by hand.
//!
//! `cargo bench --bench kernel`; `-- --quick` for a smoke run.

use generator::harness::kernels::{KernelChecker, KernelSpec};
use generator::harness::process::Limits;
use generator::kernel::gen::{generate, IllFormedRates, KernelGenConfig};
use generator::kernel::ndjson::{write, ExportMeta};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let cfg = KernelGenConfig {
        depth: 10,
        decls: 12,
        ill_formed: IllFormedRates::uniform(0.1),
    };

    // 1. Generation and writing.
    let per_round = if quick { 200 } else { 2000 };
    let rounds = if quick { 3 } else { 7 };
    let mut times = Vec::new();
    let mut bytes = 0usize;
    for r in 0..rounds {
        let start = Instant::now();
        for i in 0..per_round {
            let env = generate((r * per_round + i) as u64, &cfg);
            bytes += write(&env.decls, &ExportMeta::default()).len();
        }
        times.push(start.elapsed());
    }
    let m = median(times);
    println!(
        "generate + write NDJSON (depth 10, 12 decls): {:.0} environments/s (median of {rounds} rounds of {per_round}; {:.1} KB each on average)",
        per_round as f64 / m.as_secs_f64(),
        bytes as f64 / (rounds * per_round) as f64 / 1024.0
    );

    // 2. Kernel checks with the stand-in at a fixed cost.
    let dir = tempfile::tempdir().unwrap();
    let standin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standin/kernel");
    let kernel = dir.path().join("other");
    std::os::unix::fs::symlink(&standin, &kernel).unwrap();
    let file = dir.path().join("env.ndjson");
    std::fs::write(
        &file,
        write(&generate(1, &cfg).decls, &ExportMeta::default()),
    )
    .unwrap();
    std::env::set_var("STANDIN_KERNEL_COST_MS", "50");
    let specs = [KernelSpec {
        name: "other".into(),
        program: kernel.clone(),
    }];
    let checker = KernelChecker {
        kernels: specs.to_vec(),
        limits: Limits::default(),
        work_root: dir.path().to_path_buf(),
    };
    let n = if quick { 10 } else { 60 };
    let mut by_hand = Vec::new();
    let mut harness = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let ok = Command::new(&kernel)
            .arg(&file)
            .output()
            .unwrap()
            .status
            .success();
        by_hand.push(t.elapsed());
        assert!(ok);
        let t = Instant::now();
        let report = checker.check_file(&file).unwrap();
        harness.push(t.elapsed());
        assert_eq!(report.signature(), "kernels:all-accept");
    }
    let (h, k) = (median(by_hand), median(harness));
    println!(
        "kernel check, stand-in at 50 ms, one core: {:.2} checks/s through the harness ({:.1} ms median; by hand {:.1} ms; overhead {:.1} ms)",
        1.0 / k.as_secs_f64(),
        k.as_secs_f64() * 1000.0,
        h.as_secs_f64() * 1000.0,
        (k.as_secs_f64() - h.as_secs_f64()) * 1000.0
    );

    // 3. The whole loop, one core.
    let main = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/main");
    if !main.is_file() {
        println!("fuzz loop: SKIPPED (build it first: cargo build --release --bin main)");
        return;
    }
    let tests = if quick { 20 } else { 200 };
    let runs = if quick { 1 } else { 3 };
    // Per test, median over runs, of a campaign with `kernel` as the one
    // kernel.
    let campaign = |kernel: &Path| {
        let mut per_test = Vec::new();
        for r in 0..runs {
            let camp = tempfile::tempdir().unwrap();
            let work = camp.path().join("work");
            std::fs::create_dir(&work).unwrap();
            let t = Instant::now();
            let out = Command::new(&main)
                .args(["--target", "kernels", "--mode", "simple", "--kernel"])
                .arg(format!("other={}", kernel.display()))
                .args(["--max-tests", &tests.to_string(), "--seed", &r.to_string()])
                .arg("--solutions")
                .arg(camp.path().join("solutions"))
                .arg("--corpus")
                .arg(camp.path().join("corpus"))
                .arg("--work-dir")
                .arg(&work)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            per_test.push(t.elapsed() / tests);
        }
        median(per_test)
    };
    let p = campaign(&kernel);
    println!(
        "fuzz loop, --target kernels, one kernel (stand-in at 50 ms), one core: {:.2} tests/s ({:.1} ms per test, median of {runs} runs of {tests}, start-up included)",
        1.0 / p.as_secs_f64(),
        p.as_secs_f64() * 1000.0,
    );
    // The loop's own cost: the same campaign with a kernel that does
    // nothing at all.
    let q = campaign(Path::new("/bin/true"));
    println!(
        "fuzz loop's own cost per test (kernel /bin/true: its fork and exec included): {:.1} ms",
        q.as_secs_f64() * 1000.0
    );
}

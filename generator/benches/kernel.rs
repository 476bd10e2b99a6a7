//! Kernel-mode benchmarks (a bench binary, not a timed test):
//!
//! 1. Environments generated and written as lean4export NDJSON per second.
//! 2. Kernel checks per second on one core with the stand-in kernel at a
//!    fixed cost (`STANDIN_KERNEL_COST_MS`, 50 ms), and the harness
//!    overhead on top: `harness::kernels::check` against running the same
//!    stand-in command by hand.
//!
//! `cargo bench --bench kernel`; `-- --quick` for a smoke run.

use generator::harness::kernels::{check, KernelSpec};
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
    let limits = Limits::default();
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
        let report = check(&file, &specs, &limits, dir.path(), None).unwrap();
        harness.push(t.elapsed());
        assert_eq!(report.signature, "kernels:all-accept");
    }
    let (h, k) = (median(by_hand), median(harness));
    println!(
        "kernel check, stand-in at 50 ms, one core: {:.2} checks/s through the harness ({:.1} ms median; by hand {:.1} ms; overhead {:.1} ms)",
        1.0 / k.as_secs_f64(),
        k.as_secs_f64() * 1000.0,
        h.as_secs_f64() * 1000.0,
        (k.as_secs_f64() - h.as_secs_f64()) * 1000.0
    );
}

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
//! 4. With the real nanoda (`NANODA_BIN`): the whole loop's tests/s with
//!    nanoda as the only kernel against nanoda's own rate on the same
//!    files (the time its runs took, as the campaign's `stats.jsonl`
//!    records it: `checked_secs`) — with the oracles as a campaign runs
//!    them by default, and with the ill-formed families and metamorphic
//!    variants off — and how many tests the corpus kept. For scale, its
//!    rate on freshly generated environments too (mutated ones can cost
//!    far more).
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
    let campaign = |kernel: &Path, extra: &[&str]| {
        let mut per_test = Vec::new();
        let mut kept = String::new();
        let mut by_hand = 0.0;
        for r in 0..runs {
            let camp = tempfile::tempdir().unwrap();
            let work = camp.path().join("work");
            std::fs::create_dir(&work).unwrap();
            let t = Instant::now();
            let out = Command::new(&main)
                .args(["--target", "kernels", "--mode", "simple", "--kernel"])
                .arg(format!(
                    "{}={}",
                    kernel.file_name().unwrap().to_string_lossy(),
                    kernel.display()
                ))
                .args(["--max-tests", &tests.to_string(), "--seed", &r.to_string()])
                .arg("--solutions")
                .arg(camp.path().join("solutions"))
                .arg("--corpus")
                .arg(camp.path().join("corpus"))
                .arg("--work-dir")
                .arg(&work)
                .args(extra)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            per_test.push(t.elapsed() / tests);
            let stats = std::fs::read_to_string(camp.path().join("stats.jsonl")).unwrap();
            let last: serde_json::Value =
                serde_json::from_str(stats.lines().last().unwrap()).unwrap();
            by_hand = last["checked_secs"].as_f64().unwrap() / tests as f64;
            kept = String::from_utf8_lossy(&out.stdout)
                .lines()
                .last()
                .and_then(|l| l.split("(kept ").nth(1))
                .and_then(|k| k.split(')').next())
                .unwrap_or("?")
                .to_string();
        }
        (median(per_test), kept, by_hand)
    };
    let (p, _, _) = campaign(&kernel, &[]);
    println!(
        "fuzz loop, --target kernels, one kernel (stand-in at 50 ms), one core: {:.2} tests/s ({:.1} ms per test, median of {runs} runs of {tests}, start-up included)",
        1.0 / p.as_secs_f64(),
        p.as_secs_f64() * 1000.0,
    );
    // The loop's own cost: the same campaign with a kernel that does
    // nothing at all.
    let (q, _, _) = campaign(Path::new("/bin/true"), &[]);
    println!(
        "fuzz loop's own cost per test (kernel /bin/true: its fork and exec included): {:.1} ms",
        q.as_secs_f64() * 1000.0
    );

    // 4. The real nanoda.
    let Some(nanoda) = std::env::var_os("NANODA_BIN").map(std::path::PathBuf::from) else {
        println!("nanoda: SKIPPED (NANODA_BIN is not set)");
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let n = if quick { 20 } else { 200 };
    let mut paths = Vec::new();
    for seed in 0..n {
        let env = generate(seed as u64, &cfg);
        let path = files.path().join(format!("env-{seed}.ndjson"));
        std::fs::write(&path, write(&env.decls, &ExportMeta::default())).unwrap();
        let config = files.path().join(format!("env-{seed}.json"));
        std::fs::write(
            &config,
            serde_json::json!({
                "export_file_path": path,
                "permitted_axioms": ["propext", "Quot.sound", "Classical.choice"],
                "unpermitted_axiom_hard_error": false,
                "nat_extension": true,
                "string_extension": true,
                "print_success_message": true,
            })
            .to_string(),
        )
        .unwrap();
        paths.push(config);
    }
    let t = Instant::now();
    for config in &paths {
        Command::new(&nanoda).arg(config).output().unwrap();
    }
    let by_hand = t.elapsed() / n;
    println!(
        "nanoda by hand, back to back on {n} generated environments (depth 10, 12 decls): {:.2} files/s ({:.1} ms each)",
        1.0 / by_hand.as_secs_f64(),
        by_hand.as_secs_f64() * 1000.0
    );
    let nanoda_kernel = files.path().join("nanoda");
    std::os::unix::fs::symlink(&nanoda, &nanoda_kernel).unwrap();
    // Mutated environments can keep nanoda busy for long (a boundary
    // literal where a definition recurses on it): a short stage limit keeps
    // the benchmark short; a timeout's time counts on both sides.
    for (what, extra) in [
        (
            "default oracles (label; metamorphic at 0.1)",
            &["--depth", "10", "--decls", "12", "--timeout", "5"][..],
        ),
        (
            "well-formed only, no metamorphic variants",
            &[
                "--depth",
                "10",
                "--decls",
                "12",
                "--ill-formed-rate",
                "0",
                "--metamorphic-rate",
                "0",
                "--timeout",
                "5",
            ][..],
        ),
    ] {
        let (p, kept, own) = campaign(&nanoda_kernel, extra);
        println!(
            "fuzz loop, nanoda the only kernel, {what}: {:.2} tests/s ({:.1} ms per test); nanoda on the same files {:.1} ms each: {:.2}x its own rate; corpus kept {kept} of the last run's tests",
            1.0 / p.as_secs_f64(),
            p.as_secs_f64() * 1000.0,
            own * 1000.0,
            own / p.as_secs_f64()
        );
    }
}

//! Fault injection: campaigns killed with SIGKILL at random points, as an
//! operator's `kill -9`, the OOM killer or a lost machine would. Whatever
//! was running — the fuzzer, its stage processes, a store write — nothing
//! may survive it: no process of the run, no workspace after the next
//! start, no half-written file in the store, no finding without its record.
//!
//! Every process of a run carries a marker in its environment (inherited
//! by every descendant, whatever namespace it runs in: `common::RUN_MARKER`),
//! so the test finds all of them in /proc.

mod common;
use common::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::{Duration, SystemTime};

#[test]
fn simple_campaigns_killed_at_random_points_leave_nothing_behind() {
    let seed: u64 = std::env::var("FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("fault injection seed {seed} (FAULT_SEED={seed} repeats it)");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let sb = Sandbox::new(true);
    let solutions = sb.dir.path().join("solutions");
    for round in 0..4 {
        let mark = run_marker("fault-injection");
        // Builds of random cost, many crashes (store writes all the time);
        // the last round is killed in the middle of a build that would
        // last a minute, which must die with the fuzzer.
        let cost = if round == 3 {
            "60000".to_string()
        } else {
            rng.random_range(0..400).to_string()
        };
        let corpus = sb.dir.path().join(format!("corpus-{round}"));
        let mut child = sb
            .main(&[
                "--mode",
                "simple",
                "--depth",
                "5",
                "--seed",
                &round.to_string(),
                "--corpus",
                corpus.to_str().unwrap(),
            ])
            .env(RUN_MARKER, &mark)
            .env("STANDIN_LEAN_CRASH_ON", "theorem")
            .env("STANDIN_LEAN_COST_MS", &cost)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let after = Duration::from_millis(rng.random_range(200..2500));
        std::thread::sleep(after);
        // SIGKILL, as `kill -9`.
        child.kill().unwrap();
        child.wait().unwrap();
        let left = wait_run_gone(&mark, 5);
        assert!(
            left.is_empty(),
            "round {round} (killed after {after:?}, build cost {cost} ms): processes survived: {left:?}"
        );
    }
    age_all(&solutions);
    let out = sb
        .main(&["--mode", "simple", "--max-tests", "1", "--depth", "4"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
    store_is_whole(&solutions);
}

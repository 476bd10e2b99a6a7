//! Harness benchmarks (a bench binary, not a timed test):
//!
//! 1. Per-test harness overhead: the whole pipeline (workspace setup, two
//!    stage spawns under limits, classification, teardown) against running
//!    the same stand-in `lake build` and `lake env comparator` by hand in a
//!    ready project. Goal: under 5 % of a 0.5 s test (25 ms).
//! 2. Workspace setup against `.lake` size: a small `.lake` and a 1 GiB one
//!    of many files, per isolation mode, including the first stage spawn
//!    (where the overlay is mounted) and teardown. Goal: independent of
//!    size within 2x.
//!
//! `cargo bench --bench pipeline` runs both; `-- --quick` uses a 64 MiB
//! `.lake` and fewer rounds for a smoke run.

use generator::harness::isolation::{probe_overlay, IsolationMode};
use generator::harness::process::{self, Limits, ProcessSpec};
use generator::harness::sandbox::{self, SandboxMode, SandboxRequest};
use generator::harness::template::Template;
use generator::harness::workspace::{copy_tree, Workspace};
use generator::harness::{ComparatorMode, Pipeline, PipelineConfig};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn standin() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standin")
}

/// The template's files without its `.lake`, with the library's own copy.
fn copy_dir(from: &Path, to: &Path) {
    copy_tree(from, to, &[".lake"]).unwrap();
}

/// A copy of the repository's template with its challenge built by the
/// stand-in lake.
fn built_template(root: &Path) -> PathBuf {
    let t = root.join("template");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../template"),
        &t,
    );
    let ok = Command::new(standin().join("lake"))
        .args(["build", "Challenge"])
        .current_dir(&t)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "stand-in lake could not build the template");
    t
}

fn stats(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(v[v.len() / 2]);
    let p90 = ms(v[(v.len() * 9 / 10).min(v.len() - 1)]);
    let mean = v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
    (median, p90, mean)
}

fn limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(60),
        mem_limit: Some(8 << 30),
        ..Limits::default()
    }
}

fn pipeline(
    template: &Path,
    work: &Path,
    isolation: IsolationMode,
    sandbox: SandboxMode,
) -> Pipeline {
    Pipeline::new(PipelineConfig {
        template: Template::open(template).unwrap(),
        lake: standin().join("lake"),
        comparator: Some(standin().join("comparator")),
        work_root: work.to_path_buf(),
        limits: limits(),
        comparator_mode: ComparatorMode::OnSuccess,
        isolation,
        judges: Default::default(),
        sandbox,
    })
}

// Without `sorry`: the pipeline runs the soundness config only when Lean
// reports none in the checked theorem.
const SOURCE: &str =
    "theorem soundness_check : False := standin_proof\n-- standin-comparator: accept\n";

fn by_hand_once(project: &Path) -> Duration {
    let start = Instant::now();
    let build = Command::new(standin().join("lake"))
        .args(["build", "Solution"])
        .current_dir(project)
        .env("LEAN_ABORT_ON_PANIC", "1")
        .output()
        .unwrap();
    assert!(build.status.success());
    // Both comparator configs, as the pipeline runs them.
    for config in ["config.json", "replay.json"] {
        let judge = Command::new(standin().join("lake"))
            .arg("env")
            .arg(standin().join("comparator"))
            .arg(config)
            .current_dir(project)
            .env("LEAN_ABORT_ON_PANIC", "1")
            .output()
            .unwrap();
        assert!(judge.status.success());
    }
    start.elapsed()
}

fn overhead(root: &Path, rounds: usize, modes: &[IsolationMode]) {
    let template = built_template(root);
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let project = root.join("by-hand");
    copy_dir(&template, &project);
    std::fs::write(project.join("Solution.lean"), SOURCE).unwrap();
    // by hand, the project's .lake is the template's build (copied once).
    let built = Command::new(standin().join("lake"))
        .args(["build", "Challenge"])
        .current_dir(&project)
        .status()
        .unwrap();
    assert!(built.success());

    println!("\n## Per-test harness overhead ({rounds} rounds, stand-in toolchain)\n");
    println!("Each round runs the commands by hand and then the pipeline once per");
    println!("isolation mode, so that drift and warm-up hit all of them alike; the");
    println!("overhead is the median of the per-round differences.\n");
    // Each isolation mode with the build sandbox (where the kernel allows
    // it) and without, to show what the sandbox costs.
    let (sandboxed, _) = sandbox::resolve(SandboxRequest::Auto, &work).unwrap();
    let mut variants = Vec::new();
    for &m in modes {
        for sb in [sandboxed, SandboxMode::Off] {
            if !variants.contains(&(m, sb)) {
                variants.push((m, sb));
            }
        }
    }
    let pipelines: Vec<Pipeline> = variants
        .iter()
        .map(|&(m, sb)| pipeline(&template, &work, m, sb))
        .collect();
    let modes = &variants;
    let mut hand = Vec::new();
    let mut runs = vec![Vec::new(); modes.len()];
    let mut diffs = vec![Vec::new(); modes.len()];
    for _ in 0..rounds {
        let h = by_hand_once(&project);
        hand.push(h);
        for (i, p) in pipelines.iter().enumerate() {
            let start = Instant::now();
            let r = p.run(SOURCE).unwrap();
            assert_eq!(r.signature(), "soundness:judge-accepted");
            let t = start.elapsed();
            runs[i].push(t);
            diffs[i].push(t.as_secs_f64() * 1000.0 - h.as_secs_f64() * 1000.0);
        }
    }
    println!("| run | median ms | p90 ms | mean ms | overhead: median of differences |");
    println!("|---|---|---|---|---|");
    let (med, p90, mean) = stats(hand);
    println!("| same commands by hand | {med:.1} | {p90:.1} | {mean:.1} | |");
    for (i, (mode, sb)) in modes.iter().enumerate() {
        let (med, p90, mean) = stats(runs[i].clone());
        diffs[i].sort_by(f64::total_cmp);
        let over = diffs[i][diffs[i].len() / 2];
        let sb = match sb {
            SandboxMode::Build => "sandboxed build",
            SandboxMode::Off => "no sandbox",
        };
        println!(
            "| pipeline, isolation {}, {sb} | {med:.1} | {p90:.1} | {mean:.1} | {over:.1} ms = {:.1} % of a 500 ms test |",
            mode.as_str(),
            over / 5.0
        );
    }
}

/// A `.lake` of `files` files of `size` bytes in 64 directories.
fn big_lake(template: &Path, files: usize, size: usize) {
    let lib = template.join(".lake/packages/big/.lake/build/lib/lean");
    let block = vec![0x5au8; size];
    for i in 0..files {
        let dir = lib.join(format!("D{}", i % 64));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("M{i}.olean")), &block).unwrap();
    }
}

fn setup_once(template: &Template, work: &Path, mode: IsolationMode) -> Duration {
    let start = Instant::now();
    let ws = Workspace::create(template, work, mode, SOURCE).unwrap();
    let mut spec = ProcessSpec::new("/bin/true", ws.project_dir(), limits());
    spec.overlay = ws.overlay();
    let o = process::run(&spec).unwrap();
    assert!(o.termination.success());
    drop(ws);
    start.elapsed()
}

fn setup_vs_size(root: &Path, quick: bool, modes: &[IsolationMode]) {
    let small = built_template(&root.join("small"));
    let big = built_template(&root.join("big"));
    let (files, size) = if quick {
        (512, 128 << 10)
    } else {
        (8192, 128 << 10)
    };
    big_lake(&big, files, size);
    let work = root.join("work-setup");
    std::fs::create_dir_all(&work).unwrap();
    let mib = (files * size) >> 20;
    println!("\n## Workspace setup + first spawn + teardown against .lake size\n");
    println!("| isolation | .lake | rounds | median ms | p90 ms |");
    println!("|---|---|---|---|---|");
    for &mode in modes {
        for (label, dir) in [
            ("small (4 files)".to_string(), &small),
            (format!("{mib} MiB, {files} files"), &big),
        ] {
            let t = Template::open(dir).unwrap();
            let rounds = match (mode, dir == &big) {
                (IsolationMode::Copy, true) => 3,
                _ if quick => 10,
                _ => 30,
            };
            let runs = (0..rounds).map(|_| setup_once(&t, &work, mode)).collect();
            let (med, p90, _) = stats(runs);
            println!(
                "| {} | {label} | {rounds} | {med:.2} | {p90:.2} |",
                mode.as_str()
            );
        }
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let root = tempfile::tempdir().unwrap();
    let mut modes = vec![];
    let probe_dir = built_template(&root.path().join("probe"));
    match probe_overlay(&probe_dir.join(".lake"), root.path()) {
        Ok(()) => modes.push(IsolationMode::Overlay),
        Err(why) => println!("overlay isolation unavailable here: {why}"),
    }
    modes.push(IsolationMode::Copy);
    println!(
        "# leanfuzz harness benchmark (temp dir {})",
        root.path().display()
    );
    overhead(root.path(), if quick { 10 } else { 40 }, &modes);
    setup_vs_size(root.path(), quick, &modes);
}

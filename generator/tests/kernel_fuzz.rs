//! `main --target kernels`: the fuzz loop over generated kernel
//! environments with stand-in kernels that really reject (nanoda by a Rust
//! panic) or crash on what a file holds. Findings land in the store as
//! `.ndjson` with their kernels recorded; `main kernels` reproduces them
//! without naming the kernels again; `main reduce` and `--auto-reduce`
//! shrink them to the declaration that matters; `main merge` takes them;
//! the LLMP mode runs the same loop; bad input is one line.

mod common;
use common::kernel_campaign::*;
use common::*;
use generator::kernel::ndjson::read;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[test]
fn a_kernel_campaign_stores_reproducible_disagreements() {
    let c = Campaign::new();
    let out = c.fuzz(30, &[], &[NANODA_REJECTS_BAD]);
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("disagreement");
    assert!(!found.is_empty(), "no disagreement found: {}", text(&out));
    for (file, meta) in &found {
        assert_eq!(meta["signature"], "disagreement:nanoda-rejects");
        assert_eq!(meta["profile"], "kernels");
        assert_eq!(meta["report"]["stages"].as_array().unwrap().len(), 2);
        let kernels: Vec<&str> = meta["kernels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(kernels, [c.kernel("nanoda"), c.kernel("other")]);
        // A well-formed export file, holding an ill-formed declaration.
        let body = std::fs::read_to_string(file).unwrap();
        assert!(read(&body).is_ok());
        assert!(body.contains("\"str\":\"bad"));
    }
    // The corpus holds entries; the statistics add up.
    assert!(std::fs::read_dir(c.path("corpus")).unwrap().count() > 0);
    let stats = std::fs::read_to_string(c.path("stats.jsonl")).unwrap();
    let last: Value = serde_json::from_str(stats.lines().last().unwrap()).unwrap();
    assert_eq!(last["tests"], 30);
    assert_eq!(last["last"], true);
    let counted: u64 = last["verdicts"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(counted, 30);
    assert_eq!(
        last["stored_findings"].as_u64().unwrap() as usize,
        found.len()
    );
    let validity = last["validity_rate"].as_f64().unwrap();
    assert!(validity > 0.0 && validity < 1.0, "validity {validity}");
    assert!(c.work_leftovers().is_empty(), "{:?}", c.work_leftovers());

    // `main kernels` reproduces a finding with its recorded kernels.
    let (file, _) = &found[0];
    let out = c.main(
        &["kernels", file.to_str().unwrap(), "--json"],
        &[NANODA_REJECTS_BAD],
    );
    assert!(out.status.success(), "{}", text(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["signature"], "disagreement:nanoda-rejects");

    // `main reduce` shrinks it to the ill-formed declaration, in the store.
    let before = declarations(file);
    let out = c.main(
        &[
            "reduce",
            file.to_str().unwrap(),
            "--jobs",
            "2",
            "--work-dir",
            c.path("work").to_str().unwrap(),
        ],
        &[NANODA_REJECTS_BAD],
    );
    assert!(out.status.success(), "{}", text(&out));
    let reduced: Vec<(PathBuf, Value)> = c
        .findings("disagreement")
        .into_iter()
        .filter(|(_, m)| m["origin"] == "reduce")
        .collect();
    assert_eq!(reduced.len(), 1, "{}", text(&out));
    assert_eq!(declarations(&reduced[0].0), 1, "from {before}");
    assert_eq!(reduced[0].1["reduced_from"], file.display().to_string());
    let index: Value =
        serde_json::from_slice(&std::fs::read(c.path("solutions/index.json")).unwrap()).unwrap();
    assert!(index["signatures"][0]["smallest"]
        .as_str()
        .unwrap()
        .ends_with(".ndjson"));

    // `main merge` carries export files over with their metadata.
    let merged = c.path("merged");
    let out = c.main(
        &[
            "merge",
            c.path("solutions").to_str().unwrap(),
            "--into",
            merged.to_str().unwrap(),
            // Every file, not the default cap per signature.
            "--keep-per-signature",
            "0",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let copies = files_with_ext(&merged.join("disagreement"), "ndjson");
    assert_eq!(copies.len(), found.len() + 1);
    assert!(copies.iter().all(|p| p.with_extension("json").is_file()));
}

#[test]
fn auto_reduce_stores_one_small_sibling_per_signature() {
    let c = Campaign::new();
    let out = c.fuzz(25, &["--auto-reduce"], &[NANODA_REJECTS_BAD]);
    assert!(out.status.success(), "{}", text(&out));
    let reduced: Vec<(PathBuf, Value)> = c
        .findings("disagreement")
        .into_iter()
        .filter(|(_, m)| m["origin"] == "reduce")
        .collect();
    assert_eq!(reduced.len(), 1, "{}", text(&out));
    assert_eq!(declarations(&reduced[0].0), 1);
    assert!(Path::new(reduced[0].1["reduced_from"].as_str().unwrap()).is_file());
}

#[test]
fn a_crashing_kernel_is_a_crash_finding() {
    let c = Campaign::new();
    // `other` dies by SIGSEGV on any theorem that needs quotient reduction.
    let out = c.fuzz(
        20,
        &["--ill-formed-rate", "0"],
        &[("STANDIN_KERNEL_OTHER_CRASH_IF", "\"str\":\"quot[0-9]")],
    );
    assert!(out.status.success(), "{}", text(&out));
    let crashes = c.findings("crash");
    assert!(!crashes.is_empty(), "{}", text(&out));
    for (file, meta) in &crashes {
        assert_eq!(meta["signature"], "crash:kernel-other:SIGSEGV");
        assert!(std::fs::read_to_string(file)
            .unwrap()
            .contains("\"str\":\"quot"));
    }
    assert!(c.findings("disagreement").is_empty());
}

#[test]
fn the_llmp_mode_runs_kernel_campaigns() {
    let c = Campaign::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let cores = if std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2 {
        "0-1"
    } else {
        "0"
    };
    let (nanoda, other) = (c.kernel("nanoda"), c.kernel("other"));
    let (sol, corpus, work, logs) = (
        c.path("solutions"),
        c.path("corpus"),
        c.path("work"),
        c.path("logs"),
    );
    let out = c.main(
        &[
            "--target",
            "kernels",
            "--cores",
            cores,
            "--broker-port",
            &port,
            "--kernel",
            &nanoda,
            "--kernel",
            &other,
            "--max-tests",
            "24",
            "--ill-formed-rate",
            "0.5",
            "--solutions",
            sol.to_str().unwrap(),
            "--corpus",
            corpus.to_str().unwrap(),
            "--work-dir",
            work.to_str().unwrap(),
            "--log-dir",
            logs.to_str().unwrap(),
        ],
        &[NANODA_REJECTS_BAD],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("24 tests by"), "{}", text(&out));
    assert!(!c.findings("disagreement").is_empty());
    assert!(logs.join("client-1.log").is_file());
    assert!(c.work_leftovers().is_empty(), "{:?}", c.work_leftovers());
}

#[test]
fn seed_export_files_start_the_corpus() {
    let c = Campaign::new();
    let seeds = c.path("seeds");
    let out = c.main(
        &[
            "generate",
            "--target",
            "kernels",
            "--seed",
            "77",
            "--count",
            "2",
            "--out",
            seeds.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    // A seed holding an ill-formed declaration is a finding at once.
    let bad = std::fs::read_to_string(seeds.join("env-77.ndjson"))
        .unwrap()
        .replace("\"str\":\"d", "\"str\":\"badd");
    std::fs::write(seeds.join("env-77.ndjson"), &bad).unwrap();
    let seed_text = |name: &str| {
        let (_, decls) = read(&std::fs::read_to_string(seeds.join(name)).unwrap()).unwrap();
        generator::kernel::ndjson::write(&decls, &Default::default())
    };
    let out = c.fuzz(
        4,
        &["--seeds", seeds.to_str().unwrap(), "--initial", "1"],
        &[NANODA_REJECTS_BAD],
    );
    assert!(out.status.success(), "{}", text(&out));
    let entries: Vec<String> = std::fs::read_dir(c.path("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // The well-formed seed is kept in the corpus; the finding goes to the
    // store (LibAFL keeps objectives out of the corpus).
    let hash = generator::triage::store::content_hash(&seed_text("env-78.ndjson"));
    assert!(
        entries.contains(&hash[..16].to_string()),
        "env-78.ndjson is not in the corpus: {entries:?}"
    );
    assert!(
        c.findings("disagreement")
            .iter()
            .any(|(f, _)| std::fs::read_to_string(f).unwrap() == seed_text("env-77.ndjson")),
        "the ill-formed seed was not stored"
    );
    // A seed that does not read is one line naming it.
    std::fs::write(seeds.join("broken.ndjson"), "{\"meta\": 1}\nnot json\n").unwrap();
    let c2 = Campaign::new();
    let out = c2.fuzz(2, &["--seeds", seeds.to_str().unwrap()], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.ndjson"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_kernel_campaign_input_is_one_clear_line() {
    let c = Campaign::new();
    let nanoda = c.kernel("nanoda");
    let missing = format!("ghost={}", c.path("ghost").display());
    for (args, expected) in [
        (
            vec!["--target", "kernels", "--mode", "simple"],
            "needs at least one --kernel",
        ),
        (
            vec!["--mode", "simple", "--kernel", &nanoda],
            "needs --target kernels",
        ),
        (
            vec!["--target", "kernels", "--kernel", &missing],
            "is not a file",
        ),
        (
            vec![
                "--target",
                "kernels",
                "--kernel",
                &nanoda,
                "--ill-formed",
                "nonsense=0.1",
            ],
            "unknown ill-formed family",
        ),
        (
            vec!["--mode", "simple", "--ill-formed", "loose-bvar=0.1"],
            "needs --target kernels",
        ),
        (
            vec!["--mode", "simple", "--seeds", "/nonexistent"],
            "takes export files for --target kernels",
        ),
        (
            vec!["--target", "kernels-via-lean", "--kernel", &nanoda],
            "needs --target kernels",
        ),
        (
            vec![
                "--target",
                "kernels",
                "--kernel",
                &nanoda,
                "--seeds",
                "/nonexistent/x.ndjson",
            ],
            "does not exist",
        ),
    ] {
        // Every path in the campaign's own directory: nothing is read from
        // or written into the checkout.
        let (sol, corpus, work) = (c.path("solutions"), c.path("corpus"), c.path("work"));
        let mut args = args;
        args.extend([
            "--solutions",
            sol.to_str().unwrap(),
            "--corpus",
            corpus.to_str().unwrap(),
            "--work-dir",
            work.to_str().unwrap(),
        ]);
        let out = c.main(&args, &[]);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn kernel_environments_go_through_lean_as_add_decl_files() {
    let sb = Sandbox::new(true);
    // The stand-in Lean dies by SIGSEGV on any file with a projection.
    let out = sb
        .main(&[
            "--target",
            "kernels-via-lean",
            "--mode",
            "simple",
            "--max-tests",
            "8",
            "--seed",
            "3",
            "--auto-reduce",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "Expr.proj")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let crashes = files_with_ext(&sb.dir.path().join("solutions/crash"), "lean");
    assert!(!crashes.is_empty(), "{}", text(&out));
    let mut reduced = 0;
    for f in &crashes {
        let body = std::fs::read_to_string(f).unwrap();
        assert!(body.contains("Expr.proj"), "{body}");
        let meta: Value =
            serde_json::from_slice(&std::fs::read(f.with_extension("json")).unwrap()).unwrap();
        assert_eq!(meta["signature"], "crash:lean:SIGSEGV");
        if meta["origin"] == "reduce" {
            // Lines (one declaration each), then tokens, down to the
            // stand-in's trigger.
            reduced += 1;
            let from = std::fs::read_to_string(meta["reduced_from"].as_str().unwrap()).unwrap();
            assert!(body.len() < from.len() / 10, "{body}");
        } else {
            assert!(body.starts_with("import Lean\n"), "{body}");
            assert!(body.contains("run_elab addDecl"), "{body}");
            assert_eq!(meta["profile"], "kernels-via-lean");
        }
    }
    assert_eq!(reduced, 1, "{}", text(&out));
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

//! The oracles of kernel mode, end to end through `main --target kernels`
//! as a user runs it (stand-in kernels that really reject what a file
//! holds; the real nanoda when NANODA_BIN is set): the generator's label
//! (a well-formed environment rejected is `unexpected-reject`, named by the
//! kernel's reason and the kind of the first declaration it rejects; an
//! ill-formed one accepted is `unexpected-accept`) and the metamorphic
//! relations (a kernel whose answer flips on a semantics-preserving
//! variant). Each finding is reproduced by `main kernels` from its record,
//! explained by `--explain`, and reduced with its signature kept.

mod common;
use common::kernel_campaign::*;
use serde_json::Value;

/// The stand-in nanoda rejects (by a Rust panic) every file holding a
/// generated fact theorem (`fact12`, …).
const REJECTS_FACTS: (&str, &str) = ("STANDIN_KERNEL_NANODA_REJECT_IF", "\"str\":\"fact[0-9]+\"");

fn reduce(c: &Campaign, file: &std::path::Path, env: &[(&str, &str)]) -> std::process::Output {
    c.main(
        &[
            "reduce",
            file.to_str().unwrap(),
            "--jobs",
            "2",
            "--work-dir",
            c.path("work").to_str().unwrap(),
        ],
        env,
    )
}

#[test]
fn a_well_formed_environment_a_kernel_rejects_is_unexpected_reject() {
    let c = Campaign::new();
    let out = c.fuzz_with(
        &["nanoda"],
        6,
        &["--ill-formed-rate", "0", "--metamorphic-rate", "0"],
        &[REJECTS_FACTS],
    );
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("unexpected-reject");
    assert!(!found.is_empty(), "nothing stored: {}", text(&out));
    for (_, meta) in &found {
        // The kernel, its normalized reason (place, message without
        // numbers), the kind of the first declaration it rejects.
        assert_eq!(
            meta["signature"],
            "unexpected-reject:nanoda:src/standin.rs:41 declaration N rejected:theorem"
        );
        assert_eq!(meta["label"]["label"], "well-formed");
        let evidence = meta["report"]["evidence"].as_str().unwrap();
        assert!(evidence.contains("rejects theorem fact"), "{evidence}");
    }
    // All in one folder: one signature.
    assert_eq!(
        std::fs::read_dir(c.path("solutions/unexpected-reject"))
            .unwrap()
            .count(),
        1
    );

    // `main kernels` judges it again from its record, and `--explain`
    // names the declaration and prints the kernel's words.
    let (file, _) = &found[0];
    let out = c.main(
        &["kernels", file.to_str().unwrap(), "--explain"],
        &[REJECTS_FACTS],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("verdict:    unexpected-reject"), "{shown}");
    assert!(shown.contains("(theorem fact"), "{shown}");
    assert!(shown.contains("by nanoda:"), "{shown}");
    assert!(shown.contains("Decl { name := `fact"), "{shown}");
    assert!(shown.contains("panicked at src/standin.rs"), "{shown}");

    // Reduction keeps the signature and shrinks the environment.
    let before = declarations(file);
    let out = reduce(&c, file, &[REJECTS_FACTS]);
    assert!(out.status.success(), "{}", text(&out));
    let reduced: Vec<_> = c
        .findings("unexpected-reject")
        .into_iter()
        .filter(|(_, m)| m["origin"] == "reduce")
        .collect();
    assert_eq!(reduced.len(), 1, "{}", text(&out));
    assert_eq!(reduced[0].1["signature"], found[0].1["signature"]);
    assert!(declarations(&reduced[0].0) < before);
}

#[test]
fn an_ill_formed_environment_a_kernel_accepts_is_unexpected_accept() {
    let c = Campaign::new();
    // `other` accepts everything.
    let out = c.fuzz_with(
        &["other"],
        4,
        &[
            "--ill-formed-rate",
            "0",
            "--ill-formed",
            "loose-bvar=1",
            "--metamorphic-rate",
            "0",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("unexpected-accept");
    assert!(!found.is_empty(), "nothing stored: {}", text(&out));
    for (_, meta) in &found {
        assert_eq!(meta["signature"], "unexpected-accept:other:loose-bvar");
        assert_eq!(meta["label"]["family"], "loose-bvar");
    }
    // A theorem of `False` accepted is soundness, whatever else.
    let c = Campaign::new();
    let out = c.fuzz_with(
        &["other"],
        3,
        &[
            "--ill-formed-rate",
            "0",
            "--ill-formed",
            "false-theorem=1",
            "--metamorphic-rate",
            "0",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("soundness");
    assert!(!found.is_empty(), "nothing stored: {}", text(&out));
    assert_eq!(found[0].1["signature"], "soundness:kernels-accept-false");
}

#[test]
fn a_kernel_whose_answer_flips_on_a_variant_is_a_metamorphic_finding() {
    let c = Campaign::new();
    // The stand-in nanoda rejects any file with `mdata`: the generated
    // environments have none, their mdata variants do.
    let rejects_mdata = ("STANDIN_KERNEL_NANODA_REJECT_IF", "\"mdata\"");
    let out = c.fuzz_with(
        &["nanoda", "other"],
        4,
        &[
            "--ill-formed-rate",
            "0",
            "--metamorphic-rate",
            "1",
            "--metamorphic-relation",
            "mdata",
        ],
        &[rejects_mdata],
    );
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("metamorphic");
    assert!(!found.is_empty(), "nothing stored: {}", text(&out));
    for (file, meta) in &found {
        assert_eq!(meta["signature"], "metamorphic:mdata:nanoda");
        assert_eq!(meta["metamorphic"]["relation"], "mdata");
        // The stored file is the original: nanoda accepts it alone.
        assert!(!std::fs::read_to_string(file).unwrap().contains("\"mdata\""));
        let stages: Vec<&str> = meta["report"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(stages, ["nanoda", "other", "nanoda@mdata", "other@mdata"]);
    }
    // Reproduced from the record (the relation and its seed), and reduced
    // with the signature kept.
    let (file, _) = &found[0];
    let out = c.main(
        &["kernels", file.to_str().unwrap(), "--json"],
        &[rejects_mdata],
    );
    assert!(out.status.success(), "{}", text(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["signature"], "metamorphic:mdata:nanoda");
    let out = reduce(&c, file, &[rejects_mdata]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(c
        .findings("metamorphic")
        .iter()
        .any(|(_, m)| m["origin"] == "reduce" && m["signature"] == "metamorphic:mdata:nanoda"));
}

#[test]
fn metamorphic_flags_are_checked() {
    let c = Campaign::new();
    let out = c.fuzz_with(&["other"], 1, &["--metamorphic-relation", "sideways"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"sideways\" is not a relation"), "{err}");
    let out = c.fuzz_with(&["other"], 1, &["--metamorphic-rate", "1.5"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}

/// The real nanoda (NANODA_BIN), or `None` with a SKIPPED line.
fn real_nanoda(test: &str) -> Option<std::path::PathBuf> {
    match std::env::var_os("NANODA_BIN") {
        Some(p) => Some(std::path::PathBuf::from(p)),
        None => {
            println!("SKIPPED {test}: NANODA_BIN is not set");
            None
        }
    }
}

#[test]
fn a_real_nanoda_flips_on_mdata_in_a_campaign() {
    let Some(bin) = real_nanoda("a_real_nanoda_flips_on_mdata_in_a_campaign") else {
        return;
    };
    let c = Campaign::new();
    std::fs::remove_file(c.path("nanoda")).unwrap();
    std::os::unix::fs::symlink(&bin, c.path("nanoda")).unwrap();
    let out = c.fuzz_with(
        &["nanoda"],
        4,
        &[
            "--ill-formed-rate",
            "0",
            "--metamorphic-rate",
            "1",
            "--metamorphic-relation",
            "mdata",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("metamorphic");
    assert!(!found.is_empty(), "nothing stored: {}", text(&out));
    for (_, meta) in &found {
        assert_eq!(meta["signature"], "metamorphic:mdata:nanoda");
        let evidence = meta["report"]["evidence"].as_str().unwrap();
        assert!(
            evidence.contains("nanoda accepts the environment and rejects its mdata variant"),
            "{evidence}"
        );
        assert!(evidence.contains("mdata not supported"), "{evidence}");
    }
}

/// The case from nanoda's own source: it asserts that an exported
/// recursor is *not* structurally its own derivation (src/inductive.rs),
/// so giving the recursor rules the binder infos of the recursor's type —
/// which changes nothing a kernel may look at — flips it from accept to a
/// panic. That is stored as nanoda's finding, not the generator's.
#[test]
fn a_real_nanoda_rejects_recursor_rules_with_its_own_binder_infos() {
    use generator::harness::kernels::{KernelChecker, KernelSpec};
    use generator::harness::process::Limits;
    use generator::kernel::gen::{generate, IllFormedRates, KernelGenConfig};
    use generator::kernel::variants::{variant, Relation, Scope};
    use generator::kernel::Decl;
    use generator::oracles::label::Confirmations;
    use generator::oracles::metamorphic::Metamorphic;
    use generator::oracles::{judge_environment, Label};

    let Some(bin) = real_nanoda("a_real_nanoda_rejects_recursor_rules_with_its_own_binder_infos")
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let checker = KernelChecker {
        kernels: vec![KernelSpec {
            name: "nanoda".into(),
            program: bin,
        }],
        limits: Limits::default(),
        work_root: work.path().to_path_buf(),
    };
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        ..KernelGenConfig::default()
    };
    // Variants that changed only recursor rules' binder infos.
    let rules_only = |a: &[Decl], b: &[Decl]| {
        a.iter().zip(b).all(|(x, y)| match (x, y) {
            (
                Decl::Inductive {
                    types: t1,
                    ctors: c1,
                    recs: r1,
                },
                Decl::Inductive {
                    types: t2,
                    ctors: c2,
                    recs: r2,
                },
            ) => t1 == t2 && c1 == c2 && r1.iter().zip(r2).all(|(p, q)| p.ty == q.ty),
            _ => x == y,
        })
    };
    let mut flipped = 0;
    'envs: for env_seed in 0..20u64 {
        let env = generate(env_seed, &cfg);
        for seed in 0..40u64 {
            let scope = Scope::From(env.prelude);
            let Some(v) = variant(&env.decls, &scope, Relation::BinderInfos, seed) else {
                continue;
            };
            if !rules_only(&env.decls, &v) {
                continue;
            }
            let spec = Metamorphic {
                relation: Relation::BinderInfos,
                seed,
                from: env.prelude,
                decl: None,
            };
            let r = judge_environment(
                &checker,
                &env.decls,
                &Label::WellFormed,
                Some(&spec),
                &mut Confirmations::always(),
            )
            .unwrap();
            assert_eq!(
                r.signature(),
                "metamorphic:binder-infos:nanoda",
                "env {env_seed} seed {seed}: {}",
                r.classification.evidence
            );
            assert!(
                r.classification.evidence.contains("src/inductive.rs"),
                "{}",
                r.classification.evidence
            );
            flipped += 1;
            if flipped == 3 {
                break 'envs;
            }
            continue 'envs;
        }
    }
    assert_eq!(flipped, 3, "no variant changed recursor rules only");
}

#[test]
fn a_kernel_that_accepts_a_malformed_export_file_is_unexpected_accept() {
    let c = Campaign::new();
    // `other` (the stand-in) reads no further than the meta line.
    let out = c.fuzz_with(
        &["other"],
        4,
        &[
            "--ill-formed-rate",
            "0",
            "--metamorphic-rate",
            "0",
            "--format-fault-rate",
            "1",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let found = c.findings("unexpected-accept");
    assert!(!found.is_empty(), "nothing stored: {}", text(&out));
    for (file, meta) in &found {
        let sig = meta["signature"].as_str().unwrap();
        assert!(sig.starts_with("unexpected-accept:other:format-"), "{sig}");
        assert_eq!(meta["label"]["label"], "format-fault");
        // Our own reader rejects the stored file, naming the line.
        let err = generator::kernel::ndjson::read(&std::fs::read_to_string(file).unwrap())
            .expect_err("a malformed file reads");
        assert!(err.to_string().starts_with("line "), "{err}");
    }
    // Reproduced from its record, and reduced by lines with the
    // signature kept.
    let (file, meta) = &found[0];
    let out = c.main(&["kernels", file.to_str().unwrap(), "--json"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["signature"], meta["signature"]);
    let out = reduce(&c, file, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("by lines"));
    let reduced: Vec<_> = c
        .findings("unexpected-accept")
        .into_iter()
        .filter(|(_, m)| m["origin"] == "reduce")
        .collect();
    assert_eq!(reduced.len(), 1, "{}", text(&out));
    assert_eq!(reduced[0].1["signature"], meta["signature"]);
    // The fault is still there: the reduction kept what the finding is.
    let shrunk = std::fs::read_to_string(&reduced[0].0).unwrap();
    assert!(shrunk.len() < std::fs::read_to_string(file).unwrap().len());
    assert!(generator::kernel::ndjson::read(&shrunk).is_err());
}

/// The real nanoda declines or rejects every kind of format fault (the
/// Lean Kernel Arena's format cases), never accepts one.
#[test]
fn a_real_nanoda_never_accepts_a_format_fault() {
    use generator::harness::kernels::{KernelChecker, KernelSpec, ALL_ACCEPT};
    use generator::harness::process::Limits;
    use generator::harness::Checker;
    use generator::kernel::faults::{apply, Fault, FormatFault};
    use generator::kernel::gen::{generate, IllFormedRates, KernelGenConfig};
    use generator::kernel::ndjson::{write, ExportMeta};

    let Some(bin) = real_nanoda("a_real_nanoda_never_accepts_a_format_fault") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let checker = KernelChecker {
        kernels: vec![KernelSpec {
            name: "nanoda".into(),
            program: bin,
        }],
        limits: Limits::default(),
        work_root: work.path().to_path_buf(),
    };
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        ..KernelGenConfig::default()
    };
    for kind in FormatFault::ALL {
        for seed in 0..3u64 {
            let text = write(&generate(seed, &cfg).decls, &ExportMeta::default());
            assert_eq!(checker.check(&text).unwrap().signature(), ALL_ACCEPT);
            let bad = apply(&text, Fault { kind, seed }).unwrap();
            let r = checker.check(&bad).unwrap();
            println!(
                "{} seed {seed}: {} ({})",
                kind.name(),
                r.signature(),
                r.classification.evidence
            );
            assert_ne!(
                r.signature(),
                ALL_ACCEPT,
                "nanoda accepts {kind:?} seed {seed}"
            );
        }
    }
}

//! The suffix every generated file ends with: `replay_check` mentions every
//! generated declaration and no `sorry`, `soundness_check` puts every
//! generated fact in scope, tries the known clashes and the automation,
//! and falls back to `sorry`; the same in kernels-via-lean files. End to
//! end through the stand-in toolchain, generated programs reach the
//! kernels of the replay config and a kernel disagreement on a generated
//! declaration is found.

mod common;
use common::*;

use generator::kernel::gen::{generate as generate_env, IllFormedRates, KernelGenConfig};
use generator::lean::ast::{Decl, DefKind, Profile};
use generator::lean::gen::{generate, GenConfig};
use generator::lean::render::{render_decl, render_program, GOLDEN_SUFFIX};
use generator::targets::kernels::lean_text;
use serde_json::Value;

/// The lines of the theorem `name` (its header to the next top-level line).
fn theorem_block<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("theorem {name} ")))
        .unwrap_or_else(|| panic!("no theorem {name}:\n{text}"));
    let mut block = vec![lines[start]];
    block.extend(
        lines[start + 1..]
            .iter()
            .take_while(|l| l.starts_with(' ') || l.is_empty())
            .filter(|l| !l.is_empty()),
    );
    block
}

/// Whether `block` mentions `@name` (with or without universe levels).
fn mentions(block: &[&str], name: &str) -> bool {
    block.iter().any(|l| {
        l.contains(&format!("@{name}\n"))
            || l.ends_with(&format!("@{name}"))
            || l.contains(&format!("@{name}.{{"))
    })
}

#[test]
fn replay_mentions_every_declaration_and_soundness_every_fact() {
    let mut exploits = 0;
    for seed in 0..300 {
        let cfg = GenConfig {
            profile: None,
            ..GenConfig::default()
        };
        let p = generate(seed, &cfg).program;
        let text = render_program(&p).text;
        assert!(text.ends_with(GOLDEN_SUFFIX), "seed {seed}");
        let replay = theorem_block(&text, "replay_check");
        let soundness = theorem_block(&text, "soundness_check");
        assert!(
            !replay.iter().any(|l| l.contains("sorry")),
            "seed {seed}: {replay:?}"
        );
        assert!(
            soundness.last().unwrap().ends_with("| sorry"),
            "seed {seed}"
        );
        assert!(text.trim_end().ends_with("| sorry"), "seed {seed}");
        exploits += soundness
            .iter()
            .filter(|l| l.contains("exact absurd"))
            .count();
        for d in &p.decls {
            if render_decl(d).contains("native_decide") {
                continue;
            }
            match d {
                Decl::Def(def) if !def.name.is_empty() => {
                    assert!(
                        mentions(&replay, &def.name),
                        "seed {seed}: replay misses {}",
                        def.name
                    );
                    if def.kind == DefKind::Theorem {
                        assert!(
                            mentions(&soundness, &def.name),
                            "seed {seed}: soundness misses {}",
                            def.name
                        );
                    }
                }
                Decl::Def(def) => assert!(
                    replay.iter().any(|l| l.contains("inferInstance")),
                    "seed {seed}: anonymous instance {:?} missing",
                    def.ty
                ),
                Decl::Inductive(ind) => assert!(mentions(&replay, &ind.name), "seed {seed}"),
                Decl::Mutual(inds) => {
                    for ind in inds {
                        assert!(mentions(&replay, &ind.name), "seed {seed}");
                    }
                }
                Decl::Structure(st) => assert!(mentions(&replay, &st.name), "seed {seed}"),
                Decl::AddDecl { decl, .. } => {
                    let name = decl.names()[0].to_string();
                    assert!(mentions(&replay, &name), "seed {seed}: {name}");
                    if matches!(decl, generator::kernel::Decl::Thm { .. }) {
                        assert!(mentions(&soundness, &name), "seed {seed}");
                    }
                }
                Decl::Universe(_) | Decl::SetOption(..) => {}
            }
        }
    }
    // The prelude profile's known clashes get their direct exploit.
    assert!(exploits > 20, "only {exploits} exploits in 300 programs");
}

/// Every exploit combines a literal fact at the kernel's value with an
/// unfolding lemma of the same redefinition, at the fact's arguments.
#[test]
fn prelude_exploits_name_a_kernel_value_fact_and_an_unfolding() {
    use generator::lean::ast::{Body, Term};
    let mut seen = 0;
    for seed in 0..200 {
        let cfg = GenConfig {
            profile: Some(Profile::Prelude),
            depth: 8,
            ill_formed_rate: 0.0,
            ..GenConfig::default()
        };
        let p = generate(seed, &cfg).program;
        let text = render_program(&p).text;
        for line in theorem_block(&text, "soundness_check") {
            for alt in line.split("(exact absurd (Eq.trans (Eq.symm ").skip(1) {
                let mut words = alt.split([' ', '(', ')']);
                let fact = words.next().unwrap();
                let words: Vec<&str> = words.filter(|w| !w.is_empty()).collect();
                let (unfold, a, b) = (words[0], words[1], words[2]);
                let fact_decl = p
                    .decls
                    .iter()
                    .find_map(|d| match d {
                        Decl::Def(t) if t.name == fact => Some(t),
                        _ => None,
                    })
                    .unwrap_or_else(|| panic!("seed {seed}: no fact {fact}"));
                let Body::Term(_) = &fact_decl.body else {
                    panic!("seed {seed}")
                };
                let Term::BinOp(_, lhs, _) = &fact_decl.ty else {
                    panic!("seed {seed}: {fact} is not an equation")
                };
                let Term::App(_, args) = &**lhs else { panic!() };
                assert_eq!(args[0], Term::NatLit(a.into()), "seed {seed}");
                assert_eq!(args[1], Term::NatLit(b.into()), "seed {seed}");
                assert!(
                    text.contains(&format!("theorem {unfold} (")),
                    "seed {seed}: no unfolding {unfold}"
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 10, "only {seen} exploits");
}

#[test]
fn kernel_files_end_with_the_same_suffix() {
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        ..Default::default()
    };
    for seed in 0..30 {
        let env = generate_env(seed, &cfg);
        let text = lean_text(&env);
        assert!(text.ends_with(GOLDEN_SUFFIX), "seed {seed}");
        let replay = theorem_block(&text, "replay_check");
        for d in env.user_decls() {
            use generator::kernel::Decl as K;
            let names: Vec<String> = match d {
                K::Inductive { types, .. } => types.iter().map(|t| t.name.to_string()).collect(),
                K::Axiom { .. } | K::Quot { .. } => vec![],
                _ => d.names().iter().map(|n| n.to_string()).collect(),
            };
            for n in names {
                assert!(mentions(&replay, &n), "seed {seed}: replay misses {n}");
            }
        }
    }
}

/// The fuzz loop over generated programs: every program that builds is
/// judged by the replay config, whose export holds the generated
/// declarations; the stand-in nanoda rejects (exit 101) any export holding a
/// generated theorem while Lean's replay accepts, so a disagreement is
/// found and stored, and the validity rate counts programs that reached the
/// kernels.
#[test]
fn generated_programs_reach_the_kernels_and_a_disagreement_fires() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "6",
            "--depth",
            "5",
            "--seed",
            "11",
            "--profile",
            "surface",
            "--stats-interval",
            "0.2",
        ])
        .env("STANDIN_KERNEL_NANODA_REJECT_IF", "\"str\":\"t[0-9]+\"")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = files_with_ext(&sb.dir.path().join("solutions/disagreement"), "lean");
    assert!(!found.is_empty(), "no disagreement: {stdout}");
    for f in &found {
        let meta: Value =
            serde_json::from_slice(&std::fs::read(f.with_extension("json")).unwrap()).unwrap();
        assert_eq!(meta["signature"], "disagreement:nanoda-rejects", "{meta:#}");
        let stages: Vec<&str> = meta["report"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        // soundness_check fell back to `sorry`: the replay config alone.
        assert_eq!(stages, ["build", "replay"], "{meta:#}");
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.contains("theorem replay_check : True :="));
    }
    let stats = std::fs::read_to_string(sb.dir.path().join("stats.jsonl")).unwrap();
    let last: Value = serde_json::from_str(stats.lines().last().unwrap()).unwrap();
    let validity = last["validity_rate"].as_f64().unwrap();
    assert!(validity > 0.5, "validity {validity}: {stats}");
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

/// The same through `--target kernels-via-lean`: the rendered environment
/// ends with the suffix, so the replay config's kernels see its
/// declarations.
#[test]
fn kernel_environments_through_lean_reach_the_kernels() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "--target",
            "kernels-via-lean",
            "--mode",
            "simple",
            "--max-tests",
            "4",
            "--seed",
            "2",
            "--ill-formed-rate",
            "0",
        ])
        .env(
            "STANDIN_KERNEL_NANODA_REJECT_IF",
            "\"str\":\"[a-zA-Z]+[0-9]+\"",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = files_with_ext(&sb.dir.path().join("solutions/disagreement"), "lean");
    assert!(!found.is_empty(), "no disagreement: {stdout}");
    for f in &found {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.contains("run_elab addDecl"), "{text}");
        assert!(text.contains("theorem replay_check : True :="), "{text}");
    }
}

//! The `hidden-axiom` family (comparator's `opaque_value` and
//! `simple_axiom_issue` classes): generated, mentioned by the replay
//! theorem, refused by the judge's axiom check end to end, and a judge that
//! misses it is an `unexpected-accept` finding.

mod common;
use common::*;

use generator::lean::ast::{Body, Decl, DefKind, Profile, Term};
use generator::lean::gen::{generate, GenConfig};
use generator::lean::render::render_program;
use serde_json::Value;

fn cfg(profile: Profile, rate: f64) -> GenConfig {
    GenConfig {
        profile: Some(profile),
        hidden_axiom_rate: rate,
        ill_formed_rate: 0.0,
        depth: 5,
        ..GenConfig::default()
    }
}

#[test]
fn the_family_ends_surface_and_meta_programs_and_leaves_the_rest_alone() {
    for profile in [Profile::Surface, Profile::Meta] {
        for seed in 0..50 {
            let with = generate(seed, &cfg(profile, 1.0)).program;
            let without = generate(seed, &cfg(profile, 0.0)).program;
            let n = without.decls.len();
            assert_eq!(with.decls.len(), n + 2, "seed {seed}");
            assert_eq!(with.decls[..n], without.decls[..], "seed {seed}");
            let Decl::Def(ax) = &with.decls[n] else {
                panic!("seed {seed}: no axiom")
            };
            assert_eq!(ax.kind, DefKind::Axiom);
            assert_eq!(ax.body, Body::Empty);
            let Decl::Def(user) = &with.decls[n + 1] else {
                panic!("seed {seed}")
            };
            assert!(matches!(user.kind, DefKind::Opaque | DefKind::Theorem));
            assert_eq!(user.body, Body::Term(Term::Ident(ax.name.clone())));
            assert_eq!(user.ty, ax.ty);
            let text = render_program(&with).text;
            assert!(
                text.contains(&format!("axiom {} : ", ax.name)),
                "seed {seed}: {text}"
            );
            let replay = text.split("theorem replay_check").nth(1).unwrap();
            assert!(replay.contains(&format!("@{}\n", ax.name)), "{replay}");
            assert!(replay.contains(&format!("@{}\n", user.name)), "{replay}");
        }
    }
    // Never in prelude programs; at the default rate, in a few programs.
    for seed in 0..50 {
        let p = generate(seed, &cfg(Profile::Prelude, 1.0)).program;
        assert!(!render_program(&p).text.contains("axiom "), "seed {seed}");
    }
    let hits = (0..500)
        .filter(|s| {
            let p = generate(
                *s,
                &GenConfig {
                    profile: Some(Profile::Surface),
                    ..GenConfig::default()
                },
            )
            .program;
            p.decls
                .iter()
                .any(|d| matches!(d, Decl::Def(x) if x.kind == DefKind::Axiom))
        })
        .count();
    assert!((5..60).contains(&hits), "{hits} of 500");
}

#[test]
fn the_judge_refuses_a_hidden_axiom_before_any_kernel() {
    let sb = Sandbox::new(true);
    for seed in 0..2 {
        let p = generate(seed, &cfg(Profile::Surface, 1.0)).program;
        let r = sb.repro(&render_program(&p).text, &[]);
        assert_eq!(r["signature"], "replay-reject:illegal-axiom:other", "{r:#}");
        let replay = &r["stages"][1];
        assert_eq!(replay["name"], "replay", "{r:#}");
        let out = replay["stdout"].as_str().unwrap();
        assert!(!out.contains("Running"), "a kernel ran: {out}");
        assert!(
            replay["stderr"]
                .as_str()
                .unwrap()
                .contains("Illegal axiom detected: 'leanfuzzAx"),
            "{r:#}"
        );
    }
}

#[test]
fn a_judge_that_misses_the_axiom_is_an_unexpected_accept() {
    let sb = Sandbox::new(true);
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "3",
            "--depth",
            "5",
            "--profile",
            "surface",
            "--hidden-axiom-rate",
            "1",
            "--ill-formed-rate",
            "0",
        ])
        .env("STANDIN_COMPARATOR_MISSES_AXIOMS", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = sb.dir.path().join("solutions/unexpected-accept");
    let mut found = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                found.push(p);
            }
        }
    }
    assert!(!found.is_empty(), "no unexpected-accept stored: {stdout}");
    for f in &found {
        let meta: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        assert_eq!(
            meta["signature"], "unexpected-accept:replay-accepted-axiom",
            "{meta:#}"
        );
        let text = std::fs::read_to_string(f.with_extension("lean")).unwrap();
        assert!(text.contains("axiom leanfuzzAx"), "{text}");
    }
}

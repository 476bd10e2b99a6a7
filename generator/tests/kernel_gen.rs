//! Generated kernel environments: deterministic per seed, closed terms,
//! every constant declared before use, facts that state the values the
//! kernel must compute, every ill-formed family reachable, and both
//! outputs (NDJSON, Lean source) faithful.

use generator::kernel::expr::{has_fvar, has_loose_bvars};
use generator::kernel::gen::{generate, IllFormed, IllFormedRates, KernelGenConfig};
use generator::kernel::lean_source::render;
use generator::kernel::ndjson::{read, write, ExportMeta};
use generator::kernel::*;
use std::collections::{HashMap, HashSet};

fn consts<'a>(e: &'a Expr, out: &mut Vec<&'a Name>) {
    match e {
        Expr::Const(n, _) => out.push(n),
        Expr::App(f, a) => {
            consts(f, out);
            consts(a, out)
        }
        Expr::Lam(_, t, b, _) | Expr::ForallE(_, t, b, _) => {
            consts(t, out);
            consts(b, out)
        }
        Expr::LetE {
            ty, value, body, ..
        } => {
            consts(ty, out);
            consts(value, out);
            consts(body, out)
        }
        Expr::Proj(_, _, s) | Expr::MData(_, s) => consts(s, out),
        _ => {}
    }
}

fn terms(d: &Decl) -> Vec<&Expr> {
    match d {
        Decl::Axiom { ty, .. } | Decl::Quot { ty, .. } => vec![ty],
        Decl::Def { ty, value, .. }
        | Decl::Opaque { ty, value, .. }
        | Decl::Thm { ty, value, .. } => vec![ty, value],
        Decl::Inductive { types, ctors, recs } => types
            .iter()
            .map(|t| &t.ty)
            .chain(ctors.iter().map(|c| &c.ty))
            .chain(
                recs.iter()
                    .flat_map(|r| std::iter::once(&r.ty).chain(r.rules.iter().map(|x| &x.rhs))),
            )
            .collect(),
    }
}

/// The value of a closed `Nat` term over literals, the operations of the
/// `kernel::nat` table and earlier definitions; `None` beyond `u128`.
fn eval(e: &Expr, defs: &HashMap<Name, u128>) -> Option<u128> {
    let (head, args) = generator::kernel::expr::unapp(e);
    match head {
        Expr::NatLit(s) if args.is_empty() => s.parse().ok(),
        Expr::Const(n, _) if args.is_empty() && n.to_string() == "Nat.zero" => Some(0),
        Expr::Const(n, _) if args.is_empty() => defs.get(n).copied(),
        Expr::Const(n, _) => {
            let vals = args
                .iter()
                .map(|a| eval(a, defs))
                .collect::<Option<Vec<_>>>()?;
            generator::kernel::nat::op(&n.to_string())?.nat(&vals)
        }
        _ => None,
    }
}

#[test]
fn the_same_seed_gives_the_same_environment() {
    let cfg = KernelGenConfig::default();
    for seed in 0..20 {
        assert_eq!(generate(seed, &cfg), generate(seed, &cfg));
    }
    assert_ne!(generate(1, &cfg), generate(2, &cfg));
}

#[test]
fn well_formed_environments_are_closed_and_declare_before_use() {
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        ..Default::default()
    };
    let mut quot_facts = 0;
    let mut bool_facts = 0;
    #[derive(Default, Debug)]
    struct Counts {
        let_facts: u32,
        proj_facts: u32,
        imax_defs: u32,
        string_facts: u32,
    }
    let mut counts = Counts::default();
    for seed in 0..300 {
        let env = generate(seed, &cfg);
        assert!(env.ill_formed.is_empty());
        let mut declared: HashSet<Name> = HashSet::new();
        let mut defs: HashMap<Name, u128> = HashMap::new();
        let mut struct_values: HashMap<Name, Vec<Expr>> = HashMap::new();
        for d in &env.decls {
            let own: HashSet<Name> = d.names().into_iter().cloned().collect();
            for t in terms(d) {
                assert!(!has_loose_bvars(t), "seed {seed}: loose bvar in {d:?}");
                assert!(!has_fvar(t), "seed {seed}: free variable in {d:?}");
                let mut cs = Vec::new();
                consts(t, &mut cs);
                for c in cs {
                    assert!(
                        declared.contains(c) || own.contains(c),
                        "seed {seed}: {c} used before it is declared"
                    );
                }
            }
            for name in &own {
                assert!(
                    declared.insert(name.clone()),
                    "seed {seed}: {name} declared twice"
                );
            }
            match d {
                Decl::Def {
                    name,
                    ty: Expr::Const(t, _),
                    value,
                    ..
                } if t.to_string() == "Nat" => match eval(value, &defs) {
                    Some(v) => {
                        defs.insert(name.clone(), v);
                    }
                    None => panic!("seed {seed}: {name} := {value:?}"),
                },
                // A fact states the value the kernel must compute.
                Decl::Thm {
                    name, ty, value, ..
                } if name.to_string().starts_with("fact") => {
                    let (_, args) = generator::kernel::expr::unapp(ty);
                    let lhs = eval(args[1], &defs).expect("a closed Nat term");
                    assert_eq!(
                        args[2],
                        &Expr::NatLit(lhs.to_string()),
                        "seed {seed}: {name}"
                    );
                    let (_, refl_args) = generator::kernel::expr::unapp(value);
                    assert_eq!(refl_args[1], args[2]);
                }
                // Quot.lift (fun x => x + k) h (Quot.mk r t) = t + k.
                Decl::Thm { name, ty, .. } if name.to_string().starts_with("quot") => {
                    let (_, args) = generator::kernel::expr::unapp(ty);
                    let (lift, lift_args) = generator::kernel::expr::unapp(args[1]);
                    assert_eq!(
                        lift,
                        &Expr::Const(
                            Name::from_dotted("Quot.lift"),
                            vec![
                                Level::Succ(Box::new(Level::Zero)),
                                Level::Succ(Box::new(Level::Zero)),
                            ]
                        )
                    );
                    let Expr::Lam(_, _, f_body, _) = lift_args[3] else {
                        panic!("seed {seed}: {name}: f is not a lambda");
                    };
                    let (_, add_args) = generator::kernel::expr::unapp(f_body);
                    let k = eval(add_args[1], &defs).expect("k is a literal");
                    let (_, mk_args) = generator::kernel::expr::unapp(lift_args[5]);
                    assert_eq!(mk_args[1], lift_args[1], "seed {seed}: one relation");
                    let t = eval(mk_args[2], &defs)
                        .unwrap_or_else(|| panic!("seed {seed}: {:?}", mk_args[2]));
                    assert_eq!(
                        args[2],
                        &Expr::NatLit((t + k).to_string()),
                        "seed {seed}: {name}"
                    );
                    quot_facts += 1;
                }
                // (let x := t; x + x) = 2t.
                Decl::Thm { name, ty, .. } if name.to_string().starts_with("let") => {
                    let (_, args) = generator::kernel::expr::unapp(ty);
                    let Expr::LetE { value, .. } = args[1] else {
                        panic!("seed {seed}: {name}: no let");
                    };
                    let t = eval(value, &defs).expect("closed");
                    assert_eq!(
                        args[2],
                        &Expr::NatLit((2 * t).to_string()),
                        "seed {seed}: {name}"
                    );
                    counts.let_facts += 1;
                }
                // s.j = the j-th value s was built from.
                Decl::Thm { name, ty, .. } if name.to_string().starts_with("proj") => {
                    let (_, args) = generator::kernel::expr::unapp(ty);
                    let Expr::Proj(_, j, s) = args[1] else {
                        panic!("seed {seed}: {name}: no projection");
                    };
                    let Expr::Const(sname, _) = &**s else {
                        panic!("seed {seed}: {name}: not a structure value");
                    };
                    let built = &struct_values[sname];
                    assert_eq!(args[2], &built[*j as usize], "seed {seed}: {name}");
                    counts.proj_facts += 1;
                }
                Decl::Def { name, value, .. } if name.to_string().starts_with('s') => {
                    let (_, fields) = generator::kernel::expr::unapp(value);
                    struct_values.insert(name.clone(), fields.into_iter().cloned().collect());
                }
                // Sort (imax a b) declared as its normal form.
                Decl::Def {
                    name, ty, value, ..
                } if name.to_string().starts_with("imax") => {
                    let (head, _) = generator::kernel::expr::unapp(value);
                    let Expr::Const(_, levels) = head else {
                        panic!("seed {seed}: {name}: not arrowSort");
                    };
                    let depth = |l: &Level| {
                        let mut k = 0;
                        let mut l = l;
                        while let Level::Succ(inner) = l {
                            k += 1;
                            l = inner;
                        }
                        k
                    };
                    let (a, b) = (depth(&levels[0]), depth(&levels[1]));
                    let Expr::Sort(declared) = ty else {
                        panic!("seed {seed}: {name}: not a sort");
                    };
                    assert_eq!(
                        depth(declared),
                        if b == 0 { 0 } else { a.max(b) },
                        "seed {seed}: {name}"
                    );
                    counts.imax_defs += 1;
                }
                // String.ofList [Char.ofNat c, …] = "…" with the same code points.
                Decl::Thm { name, ty, .. } if name.to_string().starts_with("str") => {
                    let (_, args) = generator::kernel::expr::unapp(ty);
                    let Expr::StrLit(text) = args[2] else {
                        panic!("seed {seed}: {name}: no literal");
                    };
                    let (_, mk_args) = generator::kernel::expr::unapp(args[1]);
                    let mut list = mk_args[0];
                    let mut points = Vec::new();
                    loop {
                        let (head, cons_args) = generator::kernel::expr::unapp(list);
                        match head {
                            Expr::Const(n, _) if n.to_string() == "List.nil" => break,
                            Expr::Const(n, _) if n.to_string() == "List.cons" => {
                                let (_, of_nat) = generator::kernel::expr::unapp(cons_args[1]);
                                points.push(eval(of_nat[0], &defs).expect("a code point"));
                                list = cons_args[2];
                            }
                            other => panic!("seed {seed}: {name}: {other:?}"),
                        }
                    }
                    let expected: Vec<u128> = text.chars().map(|c| c as u128).collect();
                    assert_eq!(points, expected, "seed {seed}: {name}");
                    counts.string_facts += 1;
                }
                // Nat.beq a b = true/false, Nat.ble a b = true/false.
                Decl::Thm { name, ty, .. } if name.to_string().starts_with("cmp") => {
                    let (_, args) = generator::kernel::expr::unapp(ty);
                    let (op, operands) = generator::kernel::expr::unapp(args[1]);
                    let (a, b) = (
                        eval(operands[0], &defs).expect("closed"),
                        eval(operands[1], &defs).expect("closed"),
                    );
                    let holds = match op {
                        Expr::Const(n, _) if n.to_string() == "Nat.beq" => a == b,
                        Expr::Const(n, _) if n.to_string() == "Nat.ble" => a <= b,
                        other => panic!("seed {seed}: {name}: {other:?}"),
                    };
                    let answer = if holds { "Bool.true" } else { "Bool.false" };
                    assert_eq!(
                        args[2],
                        &Expr::Const(Name::from_dotted(answer), vec![]),
                        "seed {seed}: {name}"
                    );
                    bool_facts += 1;
                }
                _ => {}
            }
        }
    }
    assert!(bool_facts > 20, "only {bool_facts} comparison facts");
    assert!(
        counts.let_facts > 20
            && counts.proj_facts > 20
            && counts.imax_defs > 20
            && counts.string_facts > 20,
        "{counts:?}"
    );
    assert!(
        quot_facts > 20,
        "only {quot_facts} quotient facts in 300 environments"
    );
}

#[test]
fn every_ill_formed_family_is_reached() {
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::uniform(1.0),
        ..Default::default()
    };
    let mut seen = HashSet::new();
    for seed in 0..400 {
        let env = generate(seed, &cfg);
        // Each family's declaration is added after the well-formed ones
        // (but nat-rec-rules's, which replaces the prelude's `Nat`).
        let appended = env
            .ill_formed
            .iter()
            .filter(|l| l.kind != IllFormed::NatRecRules)
            .count();
        let bad = &env.decls[env.decls.len() - appended..];
        assert!(bad
            .iter()
            .all(|d| d.names()[0].to_string().starts_with("bad")
                || d.names()[0].to_string().starts_with('S')));
        // Each label names one of the family declarations (`bad…`) of
        // the environment; nat-rec-rules replaces the prelude's `Nat`.
        for label in &env.ill_formed {
            if label.kind == IllFormed::NatRecRules {
                assert_eq!(label.decl.to_string(), "Nat");
                assert!(env.decls.iter().any(|d| d.names().contains(&&label.decl)));
                continue;
            }
            assert!(
                env.user_decls()
                    .iter()
                    .any(|d| d.names().contains(&&label.decl)),
                "seed {seed}: {label:?} names no declaration"
            );
            assert!(label.decl.to_string().starts_with("bad"), "{label:?}");
        }
        seen.extend(env.ill_formed.iter().map(|l| l.kind));
    }
    for kind in IllFormed::ALL {
        assert!(seen.contains(kind), "{kind:?} never generated");
    }
}

#[test]
fn each_ill_formed_family_has_its_own_rate() {
    let mut rates = IllFormedRates::none();
    rates.set(IllFormed::FalseTheorem, 1.0);
    rates.set(IllFormed::LooseBVar, 0.5);
    let cfg = KernelGenConfig {
        ill_formed: rates,
        ..Default::default()
    };
    let mut loose = 0;
    for seed in 0..200 {
        let env = generate(seed, &cfg);
        let kinds: Vec<IllFormed> = env.ill_formed.iter().map(|l| l.kind).collect();
        assert!(kinds.contains(&IllFormed::FalseTheorem));
        assert!(kinds
            .iter()
            .all(|k| matches!(k, IllFormed::FalseTheorem | IllFormed::LooseBVar)));
        loose += kinds.contains(&IllFormed::LooseBVar) as u32;
    }
    assert!((60..140).contains(&loose), "loose-bvar in {loose} of 200");
    assert_eq!(
        IllFormedRates::parse_one("wrong-nat-fact=0.25"),
        Ok((IllFormed::WrongNatFact, 0.25))
    );
    assert!(IllFormedRates::parse_one("nonsense=0.1")
        .unwrap_err()
        .contains("loose-bvar"));
    assert!(IllFormedRates::parse_one("false-theorem=2").is_err());
}

#[test]
fn generated_environments_survive_both_outputs() {
    let cfg = KernelGenConfig::default();
    for seed in 0..100 {
        let env = generate(seed, &cfg);
        let text = write(&env.decls, &ExportMeta::default());
        let (_, back) = read(&text).unwrap();
        assert_eq!(back, env.decls, "seed {seed}");
        // Lean already has the prelude: the Lean file adds what follows it.
        let lean = render(env.user_decls());
        assert_eq!(
            lean.matches("run_elab addDecl").count(),
            env.decls.len() - env.prelude,
            "seed {seed}"
        );
        assert!(
            !lean.contains("name := `Nat,"),
            "seed {seed}: the prelude is not redeclared"
        );
    }
}

#[test]
fn main_generate_writes_kernel_environments() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_main"))
        .args([
            "generate", "--target", "kernels", "--count", "2", "--seed", "7", "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for seed in [7, 8] {
        let text = std::fs::read_to_string(dir.path().join(format!("env-{seed}.ndjson"))).unwrap();
        let (_, decls) = read(&text).unwrap();
        assert_eq!(
            decls,
            generate(
                seed,
                &KernelGenConfig {
                    depth: 10,
                    decls: 12,
                    ill_formed: IllFormedRates::uniform(0.1)
                }
            )
            .decls
        );
        let lean = std::fs::read_to_string(dir.path().join(format!("env-{seed}.lean"))).unwrap();
        assert!(lean.starts_with("import Lean\n"), "{lean}");
    }
    // On stdout: NDJSON the reader takes.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_main"))
        .args(["generate", "--target", "kernels", "--seed", "7"])
        .output()
        .unwrap();
    assert!(read(&String::from_utf8_lossy(&out.stdout)).is_ok());
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_main"))
        .args(["generate", "--target", "kernels", "--stats"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success() && err.contains("--stats"), "{err}");
}

#[test]
fn universe_polymorphic_trees_are_used_at_level_zero() {
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        decls: 12,
        ..Default::default()
    };
    let mut poly = 0;
    for seed in 0..200 {
        let env = generate(seed, &cfg);
        for d in env.user_decls() {
            let Decl::Inductive { types, recs, .. } = d else {
                continue;
            };
            if !types[0].name.to_string().starts_with('T') || types[0].level_params.is_empty() {
                continue;
            }
            poly += 1;
            assert_eq!(types[0].level_params, vec![Name::from_dotted("u")]);
            // The motive's universe comes first, named apart from `u`.
            assert_eq!(
                recs[0].level_params,
                vec![Name::from_dotted("u_1"), Name::from_dotted("u")]
            );
            // Every use of the type's constants gives all its levels.
            let prefix = types[0].name.to_string();
            for other in env.user_decls() {
                for t in generator::kernel::edit::terms(other) {
                    let mut cs = Vec::new();
                    const_levels(t, &mut cs);
                    for (n, levels) in cs {
                        let s = n.to_string();
                        if s == prefix || s.starts_with(&format!("{prefix}.")) {
                            let want = if s.ends_with(".rec") { 2 } else { 1 };
                            assert_eq!(levels, want, "seed {seed}: {s}");
                        }
                    }
                }
            }
        }
    }
    assert!(poly > 10, "only {poly} universe-polymorphic tree types");
}

fn const_levels(e: &Expr, out: &mut Vec<(Name, usize)>) {
    if let Expr::Const(n, ls) = e {
        out.push((n.clone(), ls.len()));
    }
    for c in generator::kernel::expr::children(e) {
        const_levels(c, out);
    }
}

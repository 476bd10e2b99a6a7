//! The lean4export NDJSON format (3.1.0): an environment written and read
//! back is the same environment, every shared piece is written once and
//! only referred to afterwards, a file in the exporter's own shape reads,
//! and a malformed file is an error naming its line.

use generator::kernel::ndjson::{read, write, ExportMeta};
use generator::kernel::*;
use serde_json::Value;
use std::collections::HashSet;

fn n(s: &str) -> Name {
    Name::from_dotted(s)
}

fn c(s: &str) -> Expr {
    Expr::Const(n(s), vec![])
}

fn app(f: Expr, a: Expr) -> Expr {
    Expr::App(Box::new(f), Box::new(a))
}

fn pi(x: &str, t: Expr, b: Expr) -> Expr {
    Expr::ForallE(n(x), Box::new(t), Box::new(b), BinderInfo::Default)
}

fn lam(x: &str, t: Expr, b: Expr, bi: BinderInfo) -> Expr {
    Expr::Lam(n(x), Box::new(t), Box::new(b), bi)
}

fn sort(l: Level) -> Expr {
    Expr::Sort(l)
}

fn u() -> Level {
    Level::Param(n("u"))
}

/// Nat with its constructors and recursor, and one declaration of every
/// other kind, using every kind of expression and level.
fn environment() -> Vec<Decl> {
    let nat = c("Nat");
    let type0 = sort(Level::Succ(Box::new(Level::Zero)));
    let motive_ty = pi("t", nat.clone(), sort(u()));
    let rec_ty = pi(
        "motive",
        motive_ty.clone(),
        pi(
            "zero",
            app(Expr::BVar(0), c("Nat.zero")),
            pi(
                "succ",
                pi(
                    "n",
                    nat.clone(),
                    pi(
                        "n_ih",
                        app(Expr::BVar(3), Expr::BVar(0)),
                        app(Expr::BVar(4), app(c("Nat.succ"), Expr::BVar(1))),
                    ),
                ),
                pi("t", nat.clone(), app(Expr::BVar(3), Expr::BVar(0))),
            ),
        ),
    );
    let inductive = Decl::Inductive {
        types: vec![InductiveVal {
            name: n("Nat"),
            level_params: vec![],
            ty: type0.clone(),
            num_params: 0,
            num_indices: 0,
            all: vec![n("Nat")],
            ctors: vec![n("Nat.zero"), n("Nat.succ")],
            num_nested: 0,
            is_rec: true,
            is_unsafe: false,
            is_reflexive: false,
        }],
        ctors: vec![
            ConstructorVal {
                name: n("Nat.zero"),
                level_params: vec![],
                ty: nat.clone(),
                induct: n("Nat"),
                cidx: 0,
                num_params: 0,
                num_fields: 0,
                is_unsafe: false,
            },
            ConstructorVal {
                name: n("Nat.succ"),
                level_params: vec![],
                ty: pi("n", nat.clone(), nat.clone()),
                induct: n("Nat"),
                cidx: 1,
                num_params: 0,
                num_fields: 1,
                is_unsafe: false,
            },
        ],
        recs: vec![RecursorVal {
            name: n("Nat.rec"),
            level_params: vec![n("u")],
            ty: rec_ty,
            all: vec![n("Nat")],
            num_params: 0,
            num_indices: 0,
            num_motives: 1,
            num_minors: 2,
            rules: vec![
                RecursorRule {
                    ctor: n("Nat.zero"),
                    nfields: 0,
                    rhs: lam(
                        "motive",
                        motive_ty.clone(),
                        lam("zero", sort(u()), Expr::BVar(0), BinderInfo::Default),
                        BinderInfo::Implicit,
                    ),
                },
                RecursorRule {
                    ctor: n("Nat.succ"),
                    nfields: 1,
                    rhs: lam("motive", motive_ty, Expr::BVar(0), BinderInfo::InstImplicit),
                },
            ],
            k: false,
            is_unsafe: false,
        }],
    };
    let mut numbered = n("x");
    numbered.0.push(NamePart::Num(7));
    let levels = Level::IMax(
        Box::new(Level::Max(
            Box::new(u()),
            Box::new(Level::Succ(Box::new(Level::Param(n("v"))))),
        )),
        Box::new(Level::Zero),
    );
    vec![
        inductive,
        Decl::Def {
            name: n("big"),
            level_params: vec![],
            ty: nat.clone(),
            value: Expr::LetE {
                name: numbered.clone(),
                ty: Box::new(nat.clone()),
                value: Box::new(Expr::NatLit(
                    "340282366920938463463374607431768211457".into(),
                )),
                body: Box::new(app(c("Nat.succ"), Expr::BVar(0))),
                nondep: true,
            },
            hints: Hints::Regular(3),
            safety: Safety::Safe,
            all: vec![n("big")],
        },
        Decl::Def {
            name: n("s"),
            level_params: vec![],
            ty: c("String"),
            value: Expr::StrLit("quote \" backslash \\ newline \n λ ∀ 🦀".into()),
            hints: Hints::Abbrev,
            safety: Safety::Partial,
            all: vec![n("s")],
        },
        Decl::Opaque {
            name: n("o"),
            level_params: vec![n("u"), n("v")],
            ty: sort(levels),
            value: Expr::Proj(
                n("Prod"),
                1,
                Box::new(Expr::MData(r#"{"k":1}"#.to_string(), Box::new(c("pair")))),
            ),
            is_unsafe: true,
            all: vec![n("o")],
        },
        Decl::Thm {
            name: n("t"),
            level_params: vec![],
            ty: app(app(c("Eq"), nat.clone()), nat.clone()),
            value: lam(
                "h",
                pi("p", sort(Level::Zero), Expr::BVar(0)),
                Expr::BVar(0),
                BinderInfo::StrictImplicit,
            ),
            all: vec![n("t")],
        },
        Decl::Axiom {
            name: n("ax"),
            level_params: vec![],
            ty: sort(Level::Zero),
            is_unsafe: false,
        },
        Decl::Def {
            name: n("op"),
            level_params: vec![],
            ty: nat.clone(),
            value: c("Nat.zero"),
            hints: Hints::Opaque,
            safety: Safety::Unsafe,
            all: vec![n("op")],
        },
        Decl::Quot {
            name: n("Quot.lift"),
            level_params: vec![n("u")],
            ty: type0,
            kind: QuotKind::Lift,
        },
    ]
}

#[test]
fn an_environment_reads_back_as_written() {
    let env = environment();
    let meta = ExportMeta::default();
    let text = write(&env, &meta);
    let (meta2, env2) = read(&text).unwrap();
    assert_eq!(meta2, meta);
    assert_eq!(env2, env);
    // Writing what was read gives the same file, line for line.
    assert_eq!(write(&env2, &meta2), text);
}

#[test]
fn every_piece_is_written_once_and_only_referred_to_afterwards() {
    let text = write(&environment(), &ExportMeta::default());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("{\"meta\""), "{}", lines[0]);
    let meta: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(meta["meta"]["format"]["version"], "3.1.0");
    let unique: HashSet<&&str> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "a line is written twice");
    // Ids count up from 1 for names and levels (0 is implicit), from 0
    // for expressions, in order.
    let mut next = [("in", 1u64), ("il", 1), ("ie", 0)];
    for line in &lines[1..] {
        let v: Value = serde_json::from_str(line).unwrap();
        for (key, counter) in next.iter_mut() {
            if let Some(id) = v.get(*key) {
                assert_eq!(id.as_u64(), Some(*counter), "{line}");
                *counter += 1;
            }
        }
    }
    // `Nat` is one name line and one expression line, however often used.
    let nat_names = lines
        .iter()
        .filter(|l| l.contains("\"str\":\"Nat\""))
        .count();
    assert_eq!(nat_names, 1);
}

#[test]
fn a_file_in_the_exporters_shape_reads() {
    // What lean4export writes for `axiom A : Prop` and `def B : Prop := A`.
    let text = r#"{"meta":{"exporter":{"name":"lean4export","version":"3.1.0"},"lean":{"githash":"abc","version":"4.24.0"},"format":{"version":"3.1.0"}}}
{"in":1,"str":{"pre":0,"str":"A"}}
{"ie":0,"sort":0}
{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":0}}
{"in":2,"str":{"pre":0,"str":"B"}}
{"const":{"name":1,"us":[]},"ie":1}
{"def":{"all":[2],"hints":{"regular":1},"levelParams":[],"name":2,"safety":"safe","type":0,"value":1}}
"#;
    let (meta, env) = read(text).unwrap();
    assert_eq!(meta.exporter_name, "lean4export");
    assert_eq!(meta.lean_version, "4.24.0");
    assert_eq!(env.len(), 2);
    assert_eq!(
        env[1],
        Decl::Def {
            name: n("B"),
            level_params: vec![],
            ty: sort(Level::Zero),
            value: c("A"),
            hints: Hints::Regular(1),
            safety: Safety::Safe,
            all: vec![n("B")],
        }
    );
}

#[test]
fn a_malformed_file_is_an_error_naming_its_line() {
    let meta = r#"{"meta":{"exporter":{"name":"x","version":"1"},"lean":{"githash":"","version":""},"format":{"version":"3.1.0"}}}"#;
    let cases = [
        (format!("{meta}\n{{\"ie\":0,\"app\":{{\"fn\":5,\"arg\":6}}}}\n"), 2, "expression 5 is not defined before"),
        (format!("{meta}\nnot json\n"), 2, "not JSON"),
        ("{\"in\":1,\"str\":{\"pre\":0,\"str\":\"A\"}}\n".to_string(), 1, "meta"),
        (format!("{meta}\n{{\"ie\":0,\"natVal\":\"12a\"}}\n"), 2, "not a decimal numeral"),
        (format!("{meta}\n{{\"ie\":0,\"what\":1}}\n"), 2, "unknown kind of expression"),
        (format!("{meta}\n{{\"ie\":0,\"sort\":3}}\n"), 2, "level 3 is not defined before"),
        (format!("{meta}\n\n{{\"axiom\":{{\"name\":9,\"levelParams\":[],\"type\":0,\"isUnsafe\":false}}}}\n"), 3, "name 9 is not defined before"),
        (meta.replace("3.1.0", "2.0.0"), 1, "is not 3.x"),
    ];
    for (text, line, what) in cases {
        let e = read(&text).unwrap_err();
        assert_eq!(e.line, line, "{e}");
        assert!(e.to_string().contains(what), "{e}");
    }
    assert!(read("").unwrap_err().to_string().contains("no meta line"));
}

mod lean_source_rendering {
    use super::*;
    use generator::kernel::lean_source::{name_term, render};

    #[test]
    fn every_declaration_is_one_add_decl_and_recursors_are_left_to_the_kernel() {
        let env = environment();
        let text = render(&env);
        assert!(text.starts_with("import Lean\nopen Lean\n"), "{text}");
        let commands = text.matches("run_elab addDecl <| ").count();
        // One per declaration; the inductive group (with its recursor) is one.
        assert_eq!(commands, env.len(), "{text}");
        assert!(text.contains(".inductDecl [] 0 [{ name := `Nat, type := (Expr.sort (Level.succ Level.zero)), ctors := [{ name := `Nat.zero, type := (Expr.const `Nat []) }, { name := `Nat.succ, type := "), "{text}");
        assert!(
            !text.contains("Nat.rec"),
            "the kernel derives recursors: {text}"
        );
        assert!(text.contains("(Expr.lit (.natVal 340282366920938463463374607431768211457))"));
        assert!(
            text.contains(r#"(Expr.lit (.strVal "quote \" backslash \\ newline \n λ ∀ 🦀"))"#),
            "{text}"
        );
        assert!(text.contains("hints := (.regular 3), safety := .safe"));
        assert!(
            text.contains(r#"(Expr.letE (Name.mkNum (Name.mkStr Name.anonymous "x") 7)"#),
            "{text}"
        );
        assert!(text.contains(".quotDecl"));
        // Every line's brackets balance.
        for line in text.lines() {
            let mut depth = 0i64;
            let mut in_str = false;
            let mut prev = ' ';
            for ch in line.chars() {
                match ch {
                    '"' if prev != '\\' => in_str = !in_str,
                    '(' | '[' | '{' if !in_str => depth += 1,
                    ')' | ']' | '}' if !in_str => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0, "{line}");
                prev = if prev == '\\' && ch == '\\' { ' ' } else { ch };
            }
            assert_eq!(depth, 0, "{line}");
        }
    }

    #[test]
    fn names_are_quoted_where_lean_would_misread_them() {
        assert_eq!(name_term(&n("Nat.succ")), "`Nat.succ");
        assert_eq!(name_term(&n("fun.x")), "`«fun».x");
        assert_eq!(name_term(&n("a b")), "`«a b»");
        let mut numbered = n("x");
        numbered.0.push(NamePart::Num(3));
        assert_eq!(
            name_term(&numbered),
            "(Name.mkNum (Name.mkStr Name.anonymous \"x\") 3)"
        );
        // The quotient package is one declaration, however many constants it lists.
        let q = |k| Decl::Quot {
            name: n("Quot"),
            level_params: vec![],
            ty: Expr::Sort(Level::Zero),
            kind: k,
        };
        let text = render(&[
            q(QuotKind::Type),
            q(QuotKind::Ctor),
            q(QuotKind::Lift),
            q(QuotKind::Ind),
        ]);
        assert_eq!(text.matches(".quotDecl").count(), 1, "{text}");
    }
}

//! Recursors derived as the kernel derives them, checked against the
//! types Lean prints for `Nat.rec`, `Eq.rec` and `List.rec`.

use generator::kernel::expr::{has_fvar, has_loose_bvars};
use generator::kernel::inductive::{derive, IndSpec};
use generator::kernel::*;

fn n(s: &str) -> Name {
    Name::from_dotted(s)
}
fn c(s: &str) -> Expr {
    Expr::Const(n(s), vec![])
}
fn cl(s: &str, ls: Vec<Level>) -> Expr {
    Expr::Const(n(s), ls)
}
fn app(f: Expr, a: Expr) -> Expr {
    Expr::App(Box::new(f), Box::new(a))
}
fn bv(i: u64) -> Expr {
    Expr::BVar(i)
}
fn pi(t: Expr, b: Expr, bi: BinderInfo) -> Expr {
    Expr::ForallE(n("x"), Box::new(t), Box::new(b), bi)
}
fn param(s: &str) -> Level {
    Level::Param(n(s))
}
use BinderInfo::{Default as D, Implicit as I};

/// The term with every binder name replaced by `x` (names do not matter
/// to the kernel).
fn erase(e: &Expr) -> Expr {
    match e {
        Expr::ForallE(_, t, b, bi) => pi(erase(t), erase(b), *bi),
        Expr::Lam(_, t, b, bi) => Expr::Lam(n("x"), Box::new(erase(t)), Box::new(erase(b)), *bi),
        Expr::App(f, a) => app(erase(f), erase(a)),
        other => other.clone(),
    }
}

fn no_props(_: &Expr) -> bool {
    false
}

fn recursor(d: &Decl) -> &RecursorVal {
    match d {
        Decl::Inductive { recs, .. } => &recs[0],
        _ => panic!("not an inductive"),
    }
}

fn nat() -> IndSpec {
    IndSpec {
        name: n("Nat"),
        level_params: vec![],
        num_params: 0,
        ty: Expr::Sort(Level::Succ(Box::new(Level::Zero))),
        ctors: vec![
            (n("Nat.zero"), c("Nat")),
            (n("Nat.succ"), pi(c("Nat"), c("Nat"), D)),
        ],
    }
}

#[test]
fn nat_rec_is_the_one_lean_prints() {
    let d = derive(&nat(), &no_props).unwrap();
    let r = recursor(&d);
    // {motive : Nat → Sort u} → motive Nat.zero → ((n : Nat) → motive n → motive n.succ) → (t : Nat) → motive t
    let expected = pi(
        pi(c("Nat"), Expr::Sort(param("u")), D),
        pi(
            app(bv(0), c("Nat.zero")),
            pi(
                pi(
                    c("Nat"),
                    pi(app(bv(2), bv(0)), app(bv(3), app(c("Nat.succ"), bv(1))), D),
                    D,
                ),
                pi(c("Nat"), app(bv(3), bv(0)), D),
                D,
            ),
            D,
        ),
        I,
    );
    assert_eq!(erase(&r.ty), expected);
    assert_eq!(r.level_params, vec![n("u")]);
    assert_eq!(
        (r.num_params, r.num_indices, r.num_motives, r.num_minors),
        (0, 0, 1, 2)
    );
    assert!(!r.k);
    // Nat.rec zero succ (succ n) = succ n (Nat.rec zero succ n)
    let succ_rule = erase(&r.rules[1].rhs);
    let rec = cl("Nat.rec", vec![param("u")]);
    let ih = app(app(app(app(rec, bv(3)), bv(2)), bv(1)), bv(0));
    let expected_rhs = Expr::Lam(
        n("x"),
        Box::new(pi(c("Nat"), Expr::Sort(param("u")), D)),
        Box::new(Expr::Lam(
            n("x"),
            Box::new(app(bv(0), c("Nat.zero"))),
            Box::new(Expr::Lam(
                n("x"),
                Box::new(pi(
                    c("Nat"),
                    pi(app(bv(2), bv(0)), app(bv(3), app(c("Nat.succ"), bv(1))), D),
                    D,
                )),
                Box::new(Expr::Lam(
                    n("x"),
                    Box::new(c("Nat")),
                    Box::new(app(app(bv(1), bv(0)), ih)),
                    D,
                )),
                D,
            )),
            D,
        )),
        // The rule binds the motive explicitly, as Lean's kernel writes it
        // and lean4export exports it (leanprover/lean4export
        // examples/Nat.add_succ.ndjson, Lean 4.27.0-rc1): only the
        // recursor's type makes it implicit.
        D,
    );
    assert_eq!(succ_rule, expected_rhs);
    assert_eq!(r.rules[1].nfields, 1);
    match &d {
        Decl::Inductive { types, ctors, .. } => {
            assert!(types[0].is_rec && !types[0].is_reflexive);
            assert_eq!(ctors[1].num_fields, 1);
            assert_eq!(ctors[1].cidx, 1);
        }
        _ => unreachable!(),
    }
}

/// Binder infos as lean4export exports Lean's own recursors
/// (examples/Nat.add_succ.ndjson, Lean 4.27.0-rc1): a recursor without
/// minor premises takes its motive explicitly; rule right-hand sides bind
/// parameters as the type does (`Eq`'s `α` implicit, `a` explicit) and
/// motives and minor premises explicitly.
#[test]
fn binder_infos_are_the_ones_lean4export_writes() {
    let false_ = derive(
        &IndSpec {
            name: n("False"),
            level_params: vec![],
            num_params: 0,
            ty: Expr::Sort(Level::Zero),
            ctors: vec![],
        },
        &no_props,
    )
    .unwrap();
    let r = recursor(&false_);
    let Expr::ForallE(_, _, body, motive_info) = &r.ty else {
        panic!("False.rec: {:?}", r.ty)
    };
    assert_eq!(*motive_info, D, "False.rec takes its motive explicitly");
    assert!(matches!(&**body, Expr::ForallE(_, _, _, D)));

    let eq = generator::kernel::prelude::prelude()
        .into_iter()
        .find(|d| d.names().iter().any(|x| x.to_string() == "Eq.rec"))
        .unwrap();
    let r = recursor(&eq).clone();
    let mut infos = Vec::new();
    let mut e = &r.ty;
    while let Expr::ForallE(_, _, b, bi) = e {
        infos.push(*bi);
        e = b;
    }
    // {α} {a} {motive} (refl) {b} (t)
    assert_eq!(infos, vec![I, I, I, D, I, D]);
    let mut infos = Vec::new();
    let mut e = &r.rules[0].rhs;
    while let Expr::Lam(_, _, b, bi) = e {
        infos.push(*bi);
        e = b;
    }
    // {α} (a) (motive) (refl)
    assert_eq!(infos, vec![I, D, D, D]);
}

#[test]
fn eq_rec_eliminates_into_every_sort_with_k() {
    // Eq.{u_1} : {α : Sort u_1} → α → α → Prop ; Eq.refl : ∀ {α} (a : α), Eq a a
    let eq = cl("Eq", vec![param("u_1")]);
    let spec = IndSpec {
        name: n("Eq"),
        level_params: vec![n("u_1")],
        num_params: 2,
        ty: pi(
            Expr::Sort(param("u_1")),
            pi(bv(0), pi(bv(1), Expr::Sort(Level::Zero), D), D),
            I,
        ),
        ctors: vec![(
            n("Eq.refl"),
            pi(
                Expr::Sort(param("u_1")),
                pi(bv(0), app(app(app(eq.clone(), bv(1)), bv(0)), bv(0)), D),
                I,
            ),
        )],
    };
    let d = derive(&spec, &no_props).unwrap();
    let r = recursor(&d);
    assert_eq!(r.level_params, vec![n("u"), n("u_1")]);
    assert!(r.k, "Eq has one constructor without fields: K-like");
    assert_eq!((r.num_params, r.num_indices, r.num_minors), (2, 1, 1));
    // {α} {a} {motive : (a_1 : α) → a = a_1 → Sort u} → motive a (Eq.refl a) → {a_1 : α} → (t : a = a_1) → motive a_1 t
    let refl = cl("Eq.refl", vec![param("u_1")]);
    let expected = pi(
        Expr::Sort(param("u_1")),
        pi(
            bv(0),
            pi(
                pi(
                    bv(1),
                    pi(
                        app(app(app(eq.clone(), bv(2)), bv(1)), bv(0)),
                        Expr::Sort(param("u")),
                        D,
                    ),
                    D,
                ),
                pi(
                    app(app(bv(0), bv(1)), app(app(refl, bv(2)), bv(1))),
                    pi(
                        bv(3),
                        pi(
                            app(app(app(eq, bv(4)), bv(3)), bv(0)),
                            app(app(bv(3), bv(1)), bv(0)),
                            D,
                        ),
                        I,
                    ),
                    D,
                ),
                I,
            ),
            I,
        ),
        I,
    );
    assert_eq!(erase(&r.ty), expected);
}

#[test]
fn list_rec_puts_the_motive_universe_first() {
    // List.{u} (α : Type u) : Type u ; nil ; cons (head : α) (tail : List α)
    let tu = Expr::Sort(Level::Succ(Box::new(param("u"))));
    let list = cl("List", vec![param("u")]);
    let spec = IndSpec {
        name: n("List"),
        level_params: vec![n("u")],
        num_params: 1,
        ty: pi(tu.clone(), tu.clone(), D),
        ctors: vec![
            (n("List.nil"), pi(tu.clone(), app(list.clone(), bv(0)), I)),
            (
                n("List.cons"),
                pi(
                    tu,
                    pi(bv(0), pi(app(list.clone(), bv(1)), app(list, bv(2)), D), D),
                    I,
                ),
            ),
        ],
    };
    let d = derive(&spec, &no_props).unwrap();
    let r = recursor(&d);
    assert_eq!(r.level_params, vec![n("u_1"), n("u")]);
    assert_eq!((r.num_params, r.num_minors), (1, 2));
    for rule in &r.rules {
        assert!(
            !has_loose_bvars(&rule.rhs) && !has_fvar(&rule.rhs),
            "{rule:?}"
        );
    }
    assert!(!has_loose_bvars(&r.ty) && !has_fvar(&r.ty));
    assert_eq!(r.rules[1].nfields, 2);
}

#[test]
fn an_inductive_proposition_with_two_constructors_eliminates_only_into_prop() {
    // inductive Or' (a b : Prop) : Prop | inl (h : a) | inr (h : b)
    let prop = Expr::Sort(Level::Zero);
    let or = c("Or'");
    let spec = IndSpec {
        name: n("Or'"),
        level_params: vec![],
        num_params: 2,
        ty: pi(prop.clone(), pi(prop.clone(), prop.clone(), D), D),
        ctors: vec![
            (
                n("Or'.inl"),
                pi(
                    prop.clone(),
                    pi(
                        prop.clone(),
                        pi(bv(1), app(app(or.clone(), bv(2)), bv(1)), D),
                        I,
                    ),
                    I,
                ),
            ),
            (
                n("Or'.inr"),
                pi(
                    prop.clone(),
                    pi(prop, pi(bv(0), app(app(or, bv(2)), bv(1)), D), I),
                    I,
                ),
            ),
        ],
    };
    let r = recursor(&derive(&spec, &no_props).unwrap()).clone();
    assert!(
        r.level_params.is_empty(),
        "no motive universe: {:?}",
        r.level_params
    );
    assert!(!r.k);
}

#[test]
fn a_constructor_of_another_type_is_refused() {
    let mut spec = nat();
    spec.ctors.push((n("Nat.bad"), c("Bool")));
    let e = derive(&spec, &no_props).unwrap_err();
    assert!(e.contains("Nat.bad"), "{e}");
}

/// `Quot.lift` at the type Lean prints:
/// `{α : Sort u} → {r : α → α → Prop} → {β : Sort v} → (f : α → β) →
///  (∀ (a b : α), r a b → f a = f b) → Quot r → β`.
#[test]
fn prelude_quot_lift_has_lean_type() {
    let (u, v) = (param("u"), param("v"));
    let prop = Expr::Sort(Level::Zero);
    let app2 = |f: Expr, a: Expr, b: Expr| app(app(f, a), b);
    let expected = pi(
        Expr::Sort(u.clone()),
        pi(
            pi(bv(0), pi(bv(1), prop, D), D),
            pi(
                Expr::Sort(v.clone()),
                pi(
                    pi(bv(2), bv(1), D),
                    pi(
                        pi(
                            bv(3),
                            pi(
                                bv(4),
                                pi(
                                    app2(bv(4), bv(1), bv(0)),
                                    app(
                                        app2(cl("Eq", vec![v]), bv(4), app(bv(3), bv(2))),
                                        app(bv(3), bv(1)),
                                    ),
                                    D,
                                ),
                                D,
                            ),
                            D,
                        ),
                        pi(app2(cl("Quot", vec![u]), bv(4), bv(3)), bv(3), D),
                        D,
                    ),
                    D,
                ),
                I,
            ),
            I,
        ),
        I,
    );
    let lift = generator::kernel::prelude::prelude()
        .into_iter()
        .find_map(|d| match d {
            Decl::Quot {
                name,
                ty,
                kind: QuotKind::Lift,
                level_params,
            } if name == n("Quot.lift") => Some((ty, level_params)),
            _ => None,
        })
        .expect("the prelude declares Quot.lift");
    assert_eq!(lift.1, vec![n("u"), n("v")]);
    assert_eq!(erase(&lift.0), expected);
    assert!(!has_fvar(&lift.0) && !has_loose_bvars(&lift.0));
}

/// Every binder made explicit (kernels compare recursor types up to
/// definitional equality, which ignores binder infos).
fn explicit(e: &Expr) -> Expr {
    match e {
        Expr::ForallE(_, t, b, _) => pi(explicit(t), explicit(b), D),
        Expr::Lam(_, t, b, _) => Expr::Lam(n("x"), Box::new(explicit(t)), Box::new(explicit(b)), D),
        Expr::App(f, a) => app(explicit(f), explicit(a)),
        other => other.clone(),
    }
}

/// `Even`/`Odd` over `Nat`, mutually: `Even.rec` takes both motives and
/// all three minor premises, the induction hypothesis of `Even.succ`'s
/// `Odd` field uses the second motive, and its rule calls `Odd.rec`.
#[test]
fn mutual_even_odd_recursors_match_lean() {
    use generator::kernel::inductive::derive_group;
    let nat = c("Nat");
    let succ = |e: Expr| app(c("Nat.succ"), e);
    let prop = Expr::Sort(Level::Zero);
    let specs = [
        IndSpec {
            name: n("Even"),
            level_params: vec![],
            num_params: 0,
            ty: pi(nat.clone(), prop.clone(), D),
            ctors: vec![
                (n("Even.zero"), app(c("Even"), c("Nat.zero"))),
                (
                    n("Even.succ"),
                    pi(
                        nat.clone(),
                        pi(app(c("Odd"), bv(0)), app(c("Even"), succ(bv(1))), D),
                        I,
                    ),
                ),
            ],
        },
        IndSpec {
            name: n("Odd"),
            level_params: vec![],
            num_params: 0,
            ty: pi(nat.clone(), prop.clone(), D),
            ctors: vec![(
                n("Odd.succ"),
                pi(
                    nat.clone(),
                    pi(app(c("Even"), bv(0)), app(c("Odd"), succ(bv(1))), D),
                    I,
                ),
            )],
        },
    ];
    let Decl::Inductive { types, ctors, recs } = derive_group(&specs, &|_| true).unwrap() else {
        panic!("not an inductive group");
    };
    assert_eq!(types.len(), 2);
    assert!(types
        .iter()
        .all(|t| t.all == vec![n("Even"), n("Odd")] && t.is_rec));
    assert_eq!(
        ctors
            .iter()
            .map(|c| (c.name.to_string(), c.cidx))
            .collect::<Vec<_>>(),
        vec![
            ("Even.zero".into(), 0),
            ("Even.succ".into(), 1),
            ("Odd.succ".into(), 0)
        ]
    );
    let even_rec = &recs[0];
    // A mutual proposition eliminates only into Prop: no universe.
    assert!(even_rec.level_params.is_empty());
    assert_eq!((even_rec.num_motives, even_rec.num_minors), (2, 3));
    let motive = |ty: &str| pi(nat.clone(), pi(app(c(ty), bv(0)), prop.clone(), D), D);
    let apps2 = |f: Expr, a: Expr, b: Expr| app(app(f, a), b);
    let expected = pi(
        motive("Even"),
        pi(
            motive("Odd"),
            pi(
                apps2(bv(1), c("Nat.zero"), c("Even.zero")),
                pi(
                    // ∀ n (a : Odd n), motive_2 n a → motive_1 (n+1) (Even.succ a)
                    pi(
                        nat.clone(),
                        pi(
                            app(c("Odd"), bv(0)),
                            pi(
                                apps2(bv(3), bv(1), bv(0)),
                                apps2(bv(5), succ(bv(2)), apps2(c("Even.succ"), bv(2), bv(1))),
                                D,
                            ),
                            D,
                        ),
                        D,
                    ),
                    pi(
                        // ∀ n (a : Even n), motive_1 n a → motive_2 (n+1) (Odd.succ a)
                        pi(
                            nat.clone(),
                            pi(
                                app(c("Even"), bv(0)),
                                pi(
                                    apps2(bv(5), bv(1), bv(0)),
                                    apps2(bv(5), succ(bv(2)), apps2(c("Odd.succ"), bv(2), bv(1))),
                                    D,
                                ),
                                D,
                            ),
                            D,
                        ),
                        pi(
                            nat.clone(),
                            pi(app(c("Even"), bv(0)), apps2(bv(6), bv(1), bv(0)), D),
                            D,
                        ),
                        D,
                    ),
                    D,
                ),
                D,
            ),
            D,
        ),
        D,
    );
    assert_eq!(explicit(&even_rec.ty), expected);
    // Even.succ's rule: fun m1 m2 mz me mo n a => me n a (Odd.rec m1 m2 mz me mo n a).
    let rule = &even_rec.rules[1];
    assert_eq!(rule.ctor, n("Even.succ"));
    let mut body = &rule.rhs;
    for _ in 0..7 {
        let Expr::Lam(_, _, b, _) = body else {
            panic!("rule has fewer than 7 binders: {:?}", rule.rhs)
        };
        body = b;
    }
    let odd_rec_call = (0..7u64).rev().fold(c("Odd.rec"), |f, i| app(f, bv(i)));
    assert_eq!(*body, app(apps2(bv(3), bv(1), bv(0)), odd_rec_call));
    assert!(!has_fvar(&even_rec.ty) && !has_loose_bvars(&rule.rhs));
}

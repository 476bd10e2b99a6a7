//! The few prelude declarations generated environments start from, in
//! kernel form: `False`, `Bool`, `Nat` (with the primitives the kernel's
//! Nat-literal extension computes by name — `add`, `sub`, `mul`, `div`,
//! `mod`, `gcd`, `beq`, `ble`, `pow`, `log2`, `land`, `lor`, `xor`,
//! `shiftLeft`, `shiftRight` — defined by `Nat.rec`), `Eq`, the quotient declarations (`Quot`, `Quot.mk`, `Quot.lift`,
//! `Quot.ind`), `List`, and `Char`/`Char.ofNat`/`String` for string
//! literals — each inductive with the recursor the kernel derives. Self-contained: no other declaration is assumed.
//!
//! Shapes: those lean4export writes for Lean's own declarations, checked
//! against real exports of Lean 4.27.0-rc1 (leanprover/lean4export
//! `examples/Nat.add_succ.ndjson`; ammkrn/nanoda_lib
//! `test_resources/ProjFromProp/export`): `Eq`/`Eq.refl` (nanoda checks
//! them before `Quot`), the quotient declarations, `List`, and every
//! recursor's binder infos (see `inductive::mark_implicit`). `String` and
//! `Char` are simplified; see [`strings`].

use super::expr::{apps, cnst};
use super::inductive::{derive, IndSpec};
use super::*;

pub fn n(s: &str) -> Name {
    Name::from_dotted(s)
}

pub fn c(s: &str) -> Expr {
    Expr::Const(n(s), vec![])
}

pub fn one() -> Level {
    Level::Succ(Box::new(Level::Zero))
}

pub fn app(f: Expr, a: Expr) -> Expr {
    Expr::App(Box::new(f), Box::new(a))
}

pub fn arrow(a: Expr, b: Expr) -> Expr {
    Expr::ForallE(n("a"), Box::new(a), Box::new(b), BinderInfo::Default)
}

pub fn nat() -> Expr {
    c("Nat")
}

/// `@Eq.{1} Nat a b`.
pub fn eq_nat(a: Expr, b: Expr) -> Expr {
    apps(cnst(&n("Eq"), &[one()]), [nat(), a, b])
}

/// `@Eq.refl.{1} Nat a`.
pub fn refl_nat(a: Expr) -> Expr {
    apps(cnst(&n("Eq.refl"), &[one()]), [nat(), a])
}

fn lam(x: &str, t: Expr, b: Expr) -> Expr {
    Expr::Lam(n(x), Box::new(t), Box::new(b), BinderInfo::Default)
}

fn group(spec: IndSpec) -> Decl {
    derive(&spec, &|_| false).expect("the prelude's inductive types are well-formed")
}

/// `Nat.rec.{1} (fun _ => Nat) base step major` over de Bruijn terms.
fn nat_rec(base: Expr, step: Expr, major: Expr) -> Expr {
    nat_rec_to(nat(), base, step, major)
}

/// `Nat.rec.{1} (fun _ => ty) base step major` (`ty` a closed type in
/// `Type`).
fn nat_rec_to(ty: Expr, base: Expr, step: Expr, major: Expr) -> Expr {
    apps(
        cnst(&n("Nat.rec"), &[one()]),
        [lam("t", nat(), ty), base, step, major],
    )
}

/// `@Eq.{1} ty a b`.
pub fn eq_at(ty: Expr, a: Expr, b: Expr) -> Expr {
    apps(cnst(&n("Eq"), &[one()]), [ty, a, b])
}

/// `@Eq.refl.{1} ty a`.
pub fn refl_at(ty: Expr, a: Expr) -> Expr {
    apps(cnst(&n("Eq.refl"), &[one()]), [ty, a])
}

/// The Nat primitives beyond `add` and `mul` that the kernel computes on
/// literals by name, defined by `Nat.rec` (their values on literals are
/// what GMP computes): `pred` (a helper), `sub` (truncated), `pow`, `beq`
/// and `ble` (into `Bool`).
fn nat_primitives() -> Vec<Decl> {
    let bv = Expr::BVar;
    let bool_ = c("Bool");
    let nat2 = |r: Expr| arrow(nat(), arrow(nat(), r));
    // ble/beq by recursion on n into `Nat → Bool`:
    //   f 0 m       = zero_case m
    //   f (k+1) 0   = false
    //   f (k+1) (j+1) = f k j
    let compare = |zero_case: Expr| {
        lam(
            "n",
            nat(),
            nat_rec_to(
                arrow(nat(), bool_.clone()),
                lam("m", nat(), zero_case),
                lam(
                    "k",
                    nat(),
                    lam(
                        "ih",
                        arrow(nat(), bool_.clone()),
                        lam(
                            "m",
                            nat(),
                            nat_rec_to(
                                bool_.clone(),
                                c("Bool.false"),
                                // ctx: n k ih m j ih'
                                lam("j", nat(), lam("ih'", bool_.clone(), app(bv(3), bv(1)))),
                                bv(0),
                            ),
                        ),
                    ),
                ),
                bv(0),
            ),
        )
    };
    vec![
        // pred 0 = 0, pred (k+1) = k.
        def(
            "Nat.pred",
            arrow(nat(), nat()),
            lam(
                "n",
                nat(),
                nat_rec(
                    c("Nat.zero"),
                    lam("k", nat(), lam("ih", nat(), bv(1))),
                    bv(0),
                ),
            ),
        ),
        // n - 0 = n, n - (k+1) = pred (n - k).
        on_second("Nat.sub", bv(1), app(c("Nat.pred"), bv(0))),
        // n ^ 0 = 1, n ^ (k+1) = n ^ k * n.
        on_second(
            "Nat.pow",
            app(c("Nat.succ"), c("Nat.zero")),
            apps(c("Nat.mul"), [bv(0), bv(3)]),
        ),
        // beq 0 m = (m == 0).
        def(
            "Nat.beq",
            nat2(bool_.clone()),
            compare(nat_rec_to(
                bool_.clone(),
                c("Bool.true"),
                lam("j", nat(), lam("ih'", bool_.clone(), c("Bool.false"))),
                bv(0),
            )),
        ),
        // ble 0 m = true.
        def("Nat.ble", nat2(bool_.clone()), compare(c("Bool.true"))),
    ]
}

/// `def name : Nat → Nat → Nat := fun n m => Nat.rec base (fun k ih =>
/// step) m`: `base` is a term over `n m` (`m` is bound variable 0), `step`
/// over `n m k ih` (`ih` is 0, `n` is 3).
fn on_second(name: &str, base: Expr, step: Expr) -> Decl {
    def(
        name,
        arrow(nat(), arrow(nat(), nat())),
        lam(
            "n",
            nat(),
            lam(
                "m",
                nat(),
                nat_rec(base, lam("k", nat(), lam("ih", nat(), step)), Expr::BVar(0)),
            ),
        ),
    )
}

fn def(name: &str, ty: Expr, value: Expr) -> Decl {
    Decl::Def {
        name: n(name),
        level_params: vec![],
        ty,
        value,
        hints: Hints::Regular(1),
        safety: Safety::Safe,
        all: vec![n(name)],
    }
}

/// One of the four quotient declarations, at the type the kernel checks
/// it against (`Eq` must come first: the kernel's quotient support needs
/// it).
fn quot(kind: QuotKind) -> Decl {
    use super::expr::{pi, Fresh};
    let mut fresh = Fresh::default();
    let u = Level::Param(n("u"));
    let prop = Expr::Sort(Level::Zero);
    let imp = BinderInfo::Implicit;
    let alpha = fresh.local(n("α"), Expr::Sort(u.clone()), imp);
    let a = alpha.fvar();
    let rel_ty = arrow(a.clone(), arrow(a.clone(), prop.clone()));
    let quot_of = |r: &Expr| {
        apps(
            cnst(&n("Quot"), std::slice::from_ref(&u)),
            [a.clone(), r.clone()],
        )
    };
    let (name, level_params, ty) = match kind {
        QuotKind::Type => {
            let r = fresh.local(n("r"), rel_ty, BinderInfo::Default);
            (
                "Quot",
                vec![n("u")],
                pi(&[alpha.clone(), r], Expr::Sort(u.clone())),
            )
        }
        QuotKind::Ctor => {
            let r = fresh.local(n("r"), rel_ty, BinderInfo::Default);
            let x = fresh.local(n("a"), a.clone(), BinderInfo::Default);
            let body = quot_of(&r.fvar());
            ("Quot.mk", vec![n("u")], pi(&[alpha.clone(), r, x], body))
        }
        QuotKind::Lift => {
            let v = Level::Param(n("v"));
            let r = fresh.local(n("r"), rel_ty, imp);
            let beta = fresh.local(n("β"), Expr::Sort(v.clone()), imp);
            let f = fresh.local(n("f"), arrow(a.clone(), beta.fvar()), BinderInfo::Default);
            let x = fresh.local(n("a"), a.clone(), BinderInfo::Default);
            let y = fresh.local(n("b"), a.clone(), BinderInfo::Default);
            let resp = pi(
                &[x.clone(), y.clone()],
                arrow(
                    apps(r.fvar(), [x.fvar(), y.fvar()]),
                    apps(
                        cnst(&n("Eq"), &[v]),
                        [
                            beta.fvar(),
                            app(f.fvar(), x.fvar()),
                            app(f.fvar(), y.fvar()),
                        ],
                    ),
                ),
            );
            let h = fresh.local(n("h"), resp, BinderInfo::Default);
            let q = fresh.local(n("q"), quot_of(&r.fvar()), BinderInfo::Default);
            let body = beta.fvar();
            (
                "Quot.lift",
                vec![n("u"), n("v")],
                pi(&[alpha.clone(), r, beta, f, h, q], body),
            )
        }
        QuotKind::Ind => {
            let r = fresh.local(n("r"), rel_ty, imp);
            let beta = fresh.local(n("β"), arrow(quot_of(&r.fvar()), prop), imp);
            let x = fresh.local(n("a"), a.clone(), BinderInfo::Default);
            let mk = apps(
                cnst(&n("Quot.mk"), std::slice::from_ref(&u)),
                [a.clone(), r.fvar(), x.fvar()],
            );
            let minor = fresh.local(n("mk"), pi(&[x], app(beta.fvar(), mk)), BinderInfo::Default);
            let q = fresh.local(n("q"), quot_of(&r.fvar()), BinderInfo::Default);
            let body = app(beta.fvar(), q.fvar());
            (
                "Quot.ind",
                vec![n("u")],
                pi(&[alpha.clone(), r, beta, minor, q], body),
            )
        }
    };
    Decl::Quot {
        name: n(name),
        level_params,
        ty,
        kind,
    }
}

/// What the kernel's string-literal extension builds a literal from: a
/// literal `"ab"` is `String.ofList [Char.ofNat 97, Char.ofNat 98]` (the
/// names and types nanoda's `str_lit_to_constructor` and Lean's
/// `string_lit_to_constructor` use: `Char : Type`, `Char.ofNat : Nat →
/// Char`, `List.{0} Char`, `String.ofList : List Char → String`).
///
/// Shapes: `String` is `structure String where data : List Char` (its
/// constructor `String.mk`), the structure Lean's prelude had before
/// `String` became UTF-8 bytes, and `String.ofList` is a definition that
/// builds it, so a kernel must unfold it after expanding a literal. `Char`
/// is simplified: one constructor over `Nat` (`Char.mk`), where Lean's is
/// a `UInt32` with a validity proof, and `Char.ofNat` is that constructor;
/// the extension never looks inside `Char`.
fn strings() -> Vec<Decl> {
    let char_ = c("Char");
    let list_char = app(cnst(&n("List"), &[Level::Zero]), char_.clone());
    vec![
        group(IndSpec {
            name: n("Char"),
            level_params: vec![],
            num_params: 0,
            ty: Expr::Sort(one()),
            ctors: vec![(n("Char.mk"), arrow(nat(), char_.clone()))],
        }),
        def("Char.ofNat", arrow(nat(), char_.clone()), c("Char.mk")),
        group(IndSpec {
            name: n("String"),
            level_params: vec![],
            num_params: 0,
            ty: Expr::Sort(one()),
            ctors: vec![(
                n("String.mk"),
                Expr::ForallE(
                    n("data"),
                    Box::new(list_char.clone()),
                    Box::new(c("String")),
                    BinderInfo::Default,
                ),
            )],
        }),
        def(
            "String.ofList",
            arrow(list_char.clone(), c("String")),
            lam("data", list_char, app(c("String.mk"), Expr::BVar(0))),
        ),
    ]
}

/// The Nat primitives that need more than one recursion: `div`, `mod`,
/// `gcd`, `log2`, the shifts and the bitwise `land`/`lor`/`xor`. Each
/// recursion runs on *fuel* (a `Nat.rec` on a bound that suffices: the
/// first argument plus one, or the sum of both for the bitwise ones), so
/// the definitions are structural, and their values on literals are
/// Lean's (`n / 0 = 0`, `n % 0 = n`, `gcd 0 n = n`, `log2 0 = 0`).
fn nat_division_and_bits() -> Vec<Decl> {
    use super::expr::{lam as lam_over, Fresh};
    let mut fresh = Fresh::default();
    let mut local = |name: &str, ty: Expr| fresh.local(n(name), ty, BinderInfo::Default);
    let bool_ = c("Bool");
    // if cond then t else e (at type ty), by Bool.rec: false case first.
    let ite = |ty: Expr, cond: Expr, t: Expr, e: Expr| {
        apps(
            cnst(&n("Bool.rec"), &[one()]),
            [lam("b", bool_.clone(), ty), e, t, cond],
        )
    };
    let and = |a: Expr, b: Expr| ite(c("Bool"), a, b, c("Bool.false"));
    let or = |a: Expr, b: Expr| ite(c("Bool"), a, c("Bool.true"), b);
    let not = |a: Expr| ite(c("Bool"), a, c("Bool.false"), c("Bool.true"));
    let bin = |f: &str, a: Expr, b: Expr| apps(c(f), [a, b]);
    let lit = |v: u32| Expr::NatLit(v.to_string());
    let succ = |e: Expr| app(c("Nat.succ"), e);
    let nat2 = arrow(nat(), arrow(nat(), nat()));

    // How many steps from x while cond x, each to next x, with n + 1 steps
    // of fuel: go (n+1) x, go 0 _ = 0, go (k+1) x = if cond x then
    // go k (next x) + 1 else 0.
    let count_steps = |local: &mut dyn FnMut(&str, Expr) -> super::expr::Local,
                       n: Expr,
                       cond: &dyn Fn(Expr) -> Expr,
                       next: &dyn Fn(Expr) -> Expr| {
        let (k, ih, x) = (
            local("k", nat()),
            local("ih", arrow(nat(), nat())),
            local("x", nat()),
        );
        let step = lam_over(
            &[k, ih.clone(), x.clone()],
            ite(
                nat(),
                cond(x.fvar()),
                succ(app(ih.fvar(), next(x.fvar()))),
                lit(0),
            ),
        );
        let z = local("x", nat());
        app(
            nat_rec_to(
                arrow(nat(), nat()),
                lam_over(&[z], lit(0)),
                step,
                succ(n.clone()),
            ),
            n,
        )
    };

    // div n m: the steps from n while m ≤ x ∧ m ≠ 0, each to x - m.
    let (dn, dm) = (local("n", nat()), local("m", nat()));
    let counted = count_steps(
        &mut local,
        dn.fvar(),
        &|x| {
            and(
                bin("Nat.ble", dm.fvar(), x),
                not(bin("Nat.beq", dm.fvar(), lit(0))),
            )
        },
        &|x| bin("Nat.sub", x, dm.fvar()),
    );
    let div = lam_over(&[dn, dm.clone()], counted);

    // mod n m = n - m * (n / m)
    let (mn, mm) = (local("n", nat()), local("m", nat()));
    let modulo = lam_over(
        &[mn.clone(), mm.clone()],
        bin(
            "Nat.sub",
            mn.fvar(),
            bin("Nat.mul", mm.fvar(), bin("Nat.div", mn.fvar(), mm.fvar())),
        ),
    );

    // gcd a b = go (a+1) a b, go (k+1) x y = if x = 0 then y else go k (y % x) x
    let (ga, gb) = (local("a", nat()), local("b", nat()));
    let (k, ih, x, y) = (
        local("k", nat()),
        local("ih", nat2.clone()),
        local("x", nat()),
        local("y", nat()),
    );
    let step = lam_over(
        &[k, ih.clone(), x.clone(), y.clone()],
        ite(
            nat(),
            bin("Nat.beq", x.fvar(), lit(0)),
            y.fvar(),
            apps(ih.fvar(), [bin("Nat.mod", y.fvar(), x.fvar()), x.fvar()]),
        ),
    );
    let (zx, zy) = (local("x", nat()), local("y", nat()));
    let gcd = lam_over(
        &[ga.clone(), gb.clone()],
        apps(
            nat_rec_to(
                nat2.clone(),
                lam_over(&[zx, zy.clone()], zy.fvar()),
                step,
                succ(ga.fvar()),
            ),
            [ga.fvar(), gb.fvar()],
        ),
    );

    // log2 n: the steps from n while 2 ≤ x, each to x / 2.
    let ln = local("n", nat());
    let counted = count_steps(
        &mut local,
        ln.fvar(),
        &|x| bin("Nat.ble", lit(2), x),
        &|x| bin("Nat.div", x, lit(2)),
    );
    let log2 = lam_over(std::slice::from_ref(&ln), counted);

    // shifts: n <<< k = n * 2^k, n >>> k = n / 2^k
    let shift = |local: &mut dyn FnMut(&str, Expr) -> super::expr::Local, op: &str| {
        let (sn, sk) = (local("n", nat()), local("k", nat()));
        lam_over(
            &[sn.clone(), sk.clone()],
            bin(op, sn.fvar(), bin("Nat.pow", lit(2), sk.fvar())),
        )
    };
    let shl = shift(&mut local, "Nat.mul");
    let shr = shift(&mut local, "Nat.div");

    // bitwise f a b = go (a+b+1) a b,
    // go (k+1) x y = if x = 0 ∧ y = 0 then 0 else 2 * go k (x/2) (y/2) + [f (odd x) (odd y)]
    let bitwise = |local: &mut dyn FnMut(&str, Expr) -> super::expr::Local,
                   f: &dyn Fn(Expr, Expr) -> Expr| {
        let (ba, bb) = (local("a", nat()), local("b", nat()));
        let (k, ih, x, y) = (
            local("k", nat()),
            local("ih", nat2.clone()),
            local("x", nat()),
            local("y", nat()),
        );
        let odd = |e: Expr| bin("Nat.beq", bin("Nat.mod", e, lit(2)), lit(1));
        let step = lam_over(
            &[k, ih.clone(), x.clone(), y.clone()],
            ite(
                nat(),
                and(
                    bin("Nat.beq", x.fvar(), lit(0)),
                    bin("Nat.beq", y.fvar(), lit(0)),
                ),
                lit(0),
                bin(
                    "Nat.add",
                    bin(
                        "Nat.mul",
                        lit(2),
                        apps(
                            ih.fvar(),
                            [
                                bin("Nat.div", x.fvar(), lit(2)),
                                bin("Nat.div", y.fvar(), lit(2)),
                            ],
                        ),
                    ),
                    ite(nat(), f(odd(x.fvar()), odd(y.fvar())), lit(1), lit(0)),
                ),
            ),
        );
        let (zx, zy) = (local("x", nat()), local("y", nat()));
        lam_over(
            &[ba.clone(), bb.clone()],
            apps(
                nat_rec_to(
                    nat2.clone(),
                    lam_over(&[zx, zy], lit(0)),
                    step,
                    succ(bin("Nat.add", ba.fvar(), bb.fvar())),
                ),
                [ba.fvar(), bb.fvar()],
            ),
        )
    };
    let land = bitwise(&mut local, &|a, b| and(a, b));
    let lor = bitwise(&mut local, &|a, b| or(a, b));
    let xor = bitwise(&mut local, &|a, b| ite(c("Bool"), a, not(b.clone()), b));
    vec![
        def("Nat.div", nat2.clone(), div),
        def("Nat.mod", nat2.clone(), modulo),
        def("Nat.gcd", nat2.clone(), gcd),
        def("Nat.log2", arrow(nat(), nat()), log2),
        def("Nat.shiftLeft", nat2.clone(), shl),
        def("Nat.shiftRight", nat2.clone(), shr),
        def("Nat.land", nat2.clone(), land),
        def("Nat.lor", nat2.clone(), lor),
        def("Nat.xor", nat2, xor),
    ]
}

/// The prelude, in dependency order (derived once, then copied).
pub fn prelude() -> Vec<Decl> {
    static PRELUDE: std::sync::OnceLock<Vec<Decl>> = std::sync::OnceLock::new();
    PRELUDE.get_or_init(derive_prelude).clone()
}

fn derive_prelude() -> Vec<Decl> {
    let prop = Expr::Sort(Level::Zero);
    let type0 = Expr::Sort(one());
    let u1 = Level::Param(n("u"));
    // Lean's `Eq` is universe-polymorphic in `u_1` (so `Eq.rec`'s motive
    // universe is `u`), as exported.
    let eq_level = Level::Param(n("u_1"));
    let sort_u = Expr::Sort(eq_level.clone());
    let eq_u = cnst(&n("Eq"), std::slice::from_ref(&eq_level));
    let imp = BinderInfo::Implicit;
    let bv = Expr::BVar;
    let pi = |x: &str, t: Expr, b: Expr, bi| Expr::ForallE(n(x), Box::new(t), Box::new(b), bi);
    let list_u = cnst(&n("List"), std::slice::from_ref(&u1));
    let type_u = Expr::Sort(Level::Succ(Box::new(u1.clone())));
    let mut decls = vec![
        group(IndSpec {
            name: n("False"),
            level_params: vec![],
            num_params: 0,
            ty: prop.clone(),
            ctors: vec![],
        }),
        group(IndSpec {
            name: n("Bool"),
            level_params: vec![],
            num_params: 0,
            ty: type0.clone(),
            ctors: vec![(n("Bool.false"), c("Bool")), (n("Bool.true"), c("Bool"))],
        }),
        group(IndSpec {
            name: n("Nat"),
            level_params: vec![],
            num_params: 0,
            ty: type0,
            ctors: vec![
                (n("Nat.zero"), nat()),
                (
                    n("Nat.succ"),
                    Expr::ForallE(
                        n("n"),
                        Box::new(nat()),
                        Box::new(nat()),
                        BinderInfo::Default,
                    ),
                ),
            ],
        }),
        // n + m by recursion on m: n + 0 = n, n + (k+1) = (n + k) + 1.
        on_second("Nat.add", bv(1), app(c("Nat.succ"), bv(0))),
        // n * m by recursion on m: n * 0 = 0, n * (k+1) = n * k + n.
        on_second("Nat.mul", c("Nat.zero"), apps(c("Nat.add"), [bv(0), bv(3)])),
    ];
    decls.extend(nat_primitives());
    decls.extend(nat_division_and_bits());
    decls.extend([
        group(IndSpec {
            name: n("Eq"),
            level_params: vec![n("u_1")],
            num_params: 2,
            ty: pi(
                "α",
                sort_u.clone(),
                pi(
                    "a",
                    bv(0),
                    pi("b", bv(1), prop, BinderInfo::Default),
                    BinderInfo::Default,
                ),
                imp,
            ),
            ctors: vec![(
                n("Eq.refl"),
                pi(
                    "α",
                    sort_u,
                    pi(
                        "a",
                        bv(0),
                        apps(eq_u, [bv(1), bv(0), bv(0)]),
                        BinderInfo::Default,
                    ),
                    imp,
                ),
            )],
        }),
        quot(QuotKind::Type),
        quot(QuotKind::Ctor),
        quot(QuotKind::Lift),
        quot(QuotKind::Ind),
        group(IndSpec {
            name: n("List"),
            level_params: vec![n("u")],
            num_params: 1,
            ty: pi("α", type_u.clone(), type_u.clone(), BinderInfo::Default),
            ctors: vec![
                (
                    n("List.nil"),
                    pi("α", type_u.clone(), app(list_u.clone(), bv(0)), imp),
                ),
                (
                    n("List.cons"),
                    pi(
                        "α",
                        type_u,
                        pi(
                            "head",
                            bv(0),
                            pi(
                                "tail",
                                app(list_u.clone(), bv(1)),
                                app(list_u, bv(2)),
                                BinderInfo::Default,
                            ),
                            BinderInfo::Default,
                        ),
                        imp,
                    ),
                ),
            ],
        }),
    ]);
    decls.extend(strings());
    decls
}

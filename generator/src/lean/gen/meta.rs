//! Kernel declarations for the `meta` profile: explicit `Expr` trees added
//! with `addDecl` (bug classes 3, 5, 7, 8, 11). Well-formed ones are true
//! by construction (closed facts computed here with Lean's `Nat`
//! semantics from the [`nat`] table, definitional unfolding, projections
//! of constructor applications); the ill-formed ones (`badK…`) belong to
//! the labelled ill-formed family.

use rand::Rng;

use super::Gen;
use crate::kernel::nat;
use crate::lean::ast::{Decl, KDecl, KDeclKind, KExpr, Level};
use crate::lean::depth::kheight;
use crate::lean::families::decl_families;

fn c(name: &str) -> KExpr {
    KExpr::Const(name.into(), vec![])
}

fn c1(name: &str, l: Level) -> KExpr {
    KExpr::Const(name.into(), vec![l])
}

fn app(f: KExpr, args: Vec<KExpr>) -> KExpr {
    args.into_iter()
        .fold(f, |acc, a| KExpr::App(Box::new(acc), Box::new(a)))
}

fn pi(x: &str, ty: KExpr, body: KExpr) -> KExpr {
    KExpr::Pi(x.into(), Box::new(ty), Box::new(body))
}

fn lam(x: &str, ty: KExpr, body: KExpr) -> KExpr {
    KExpr::Lam(x.into(), Box::new(ty), Box::new(body))
}

fn lit(v: u128) -> KExpr {
    KExpr::NatLit(v.to_string())
}

fn one() -> Level {
    Level::Succ(Box::new(Level::Zero))
}

fn param(p: &str) -> Level {
    Level::Param(p.into())
}

/// `@Eq.{1} Nat a b`.
fn eq_nat(a: KExpr, b: KExpr) -> KExpr {
    app(c1("Eq", one()), vec![c("Nat"), a, b])
}

/// `@Eq.refl.{1} Nat a`.
fn refl_nat(a: KExpr) -> KExpr {
    app(c1("Eq.refl", one()), vec![c("Nat"), a])
}

/// `@Prod.mk.{0, 0} Nat Nat (lit a) (lit b)`.
fn pair(a: u128, b: u128) -> KExpr {
    app(
        KExpr::Const("Prod.mk".into(), vec![Level::Zero, Level::Zero]),
        vec![c("Nat"), c("Nat"), lit(a), lit(b)],
    )
}

impl<R: Rng> Gen<'_, R> {
    /// A closed kernel `Nat` term over literals and the kernel-accelerated
    /// primitives, with its value; height at most `d`.
    fn kclosed_nat(&mut self, d: usize) -> (KExpr, u128) {
        if d < 3 || self.coin(0.3) {
            let v = if self.coin(0.1) {
                self.pick(&[1u128 << 32, 1 << 63, 1 << 64, (1 << 64) - 1])
            } else {
                self.below(100) as u128
            };
            return (lit(v), v);
        }
        let (a, va) = self.kclosed_nat(d - 2);
        let (b, vb) = self.kclosed_nat(d - 2);
        let f = [
            "Nat.add", "Nat.sub", "Nat.mul", "Nat.div", "Nat.mod", "Nat.land", "Nat.lor", "Nat.xor",
        ][self.below(8)];
        match nat::nat(f, &[va, vb]) {
            Some(v) => (app(c(f), vec![a, b]), v),
            None => (a, va),
        }
    }

    /// A well-formed kernel declaration whose trees fit the depth bound
    /// (an opaque `Nat` constant fits any bound).
    pub(super) fn meta_decl(&mut self) -> Decl {
        for _ in 0..8 {
            let d = self.meta_candidate();
            if let Decl::AddDecl(k) = &d {
                if kheight(&k.ty).max(kheight(&k.value)) <= self.depth {
                    return self.counted(d);
                }
            }
        }
        let name = self.env.fresh("k");
        let d = Decl::AddDecl(KDecl {
            kind: KDeclKind::Opaque,
            name,
            level_params: vec![],
            ty: c("Nat"),
            value: lit(self.below(100) as u128),
            skip_kernel: false,
        });
        self.counted(d)
    }

    /// Counts the families of the declaration actually chosen.
    fn counted(&mut self, d: Decl) -> Decl {
        for f in decl_families(&d) {
            self.hit(f);
        }
        d
    }

    fn meta_candidate(&mut self) -> Decl {
        let d = self.depth;
        let skip_kernel = self.coin(0.15);
        let name = self.env.fresh("k");
        let (kind, level_params, ty, value) = match self.below(7) {
            0 | 1 => {
                // `@Eq Nat e v` is two levels above `e`.
                let (e, v) = self.kclosed_nat(d.saturating_sub(2));
                (KDeclKind::Thm, vec![], eq_nat(e, lit(v)), refl_nat(lit(v)))
            }
            2 => {
                let k = self.below(50) as u128;
                let f = self.pick(&["Nat.add", "Nat.mul", "Nat.sub"]);
                let body = app(c(f), vec![KExpr::BVar(0), lit(k)]);
                let ty = pi("x", c("Nat"), c("Nat"));
                let value = lam("x", c("Nat"), body);
                (KDeclKind::Def, vec![], ty, value)
            }
            3 => {
                let u = self.env.fresh("u");
                let sort = KExpr::Sort(param(&u));
                let ty = pi("α", sort.clone(), pi("a", KExpr::BVar(0), KExpr::BVar(1)));
                let value = lam("α", sort, lam("a", KExpr::BVar(0), KExpr::BVar(0)));
                (KDeclKind::Def, vec![u], ty, value)
            }
            4 => {
                // `fun (α : Sort u) (β : Sort v) => (x : α) → β : Sort (imax u v)`.
                let (u, v) = (self.env.fresh("u"), self.env.fresh("v"));
                let (su, sv) = (KExpr::Sort(param(&u)), KExpr::Sort(param(&v)));
                let imax = KExpr::Sort(Level::IMax(Box::new(param(&u)), Box::new(param(&v))));
                let ty = pi("α", su.clone(), pi("β", sv.clone(), imax));
                let arrow = pi("x", KExpr::BVar(1), KExpr::BVar(1));
                let value = lam("α", su, lam("β", sv, arrow));
                (KDeclKind::Def, vec![u, v], ty, value)
            }
            5 => {
                let (a, b) = (self.below(100) as u128, self.below(100) as u128);
                let i = self.below(2) as u32;
                let got = if i == 0 { a } else { b };
                let proj = KExpr::Proj("Prod".into(), i, Box::new(pair(a, b)));
                (
                    KDeclKind::Thm,
                    vec![],
                    eq_nat(proj, lit(got)),
                    refl_nat(lit(got)),
                )
            }
            _ => {
                if self.coin(0.5) {
                    let a = self.below(1000) as u128;
                    let body = app(c("Nat.add"), vec![KExpr::BVar(0), KExpr::BVar(0)]);
                    let value = KExpr::Let(
                        "x".into(),
                        Box::new(c("Nat")),
                        Box::new(lit(a)),
                        Box::new(body),
                    );
                    (
                        KDeclKind::Thm,
                        vec![],
                        eq_nat(value, lit(2 * a)),
                        refl_nat(lit(2 * a)),
                    )
                } else {
                    (
                        KDeclKind::Opaque,
                        vec![],
                        c("Nat"),
                        lit(self.below(100) as u128),
                    )
                }
            }
        };
        Decl::AddDecl(KDecl {
            kind,
            name,
            level_params,
            ty,
            value,
            skip_kernel,
        })
    }

    /// A kernel declaration the kernel must reject (loose bound variable,
    /// non-propositional theorem, bad projection, `let` type mismatch,
    /// duplicate level parameters, a false equation). With the kernel check
    /// skipped it lands in the environment, and comparator's replay must
    /// reject it.
    pub(super) fn ill_formed_kernel(&mut self) -> Decl {
        loop {
            let d = self.ill_formed_kernel_candidate();
            if let Decl::AddDecl(k) = &d {
                if kheight(&k.ty).max(kheight(&k.value)) <= self.depth {
                    return self.counted(d);
                }
            }
        }
    }

    fn ill_formed_kernel_candidate(&mut self) -> Decl {
        let skip_kernel = self.coin(0.3);
        let name = self.env.fresh("badK");
        let u = self.env.fresh("u");
        let (kind, level_params, ty, value) = match self.below(7) {
            0 => (
                KDeclKind::Def,
                vec![],
                c("Nat"),
                KExpr::BVar(self.below(4) as u32),
            ),
            1 => (
                KDeclKind::Thm,
                vec![],
                c("Nat"),
                lit(self.below(10) as u128),
            ),
            2 => (
                KDeclKind::Thm,
                vec![],
                eq_nat(
                    KExpr::Proj(
                        "Prod".into(),
                        2 + self.below(5) as u32,
                        Box::new(pair(1, 2)),
                    ),
                    lit(0),
                ),
                refl_nat(lit(0)),
            ),
            3 => (
                KDeclKind::Def,
                vec![],
                c("Nat"),
                KExpr::Proj("Nat".into(), 0, Box::new(lit(5))),
            ),
            4 => (
                KDeclKind::Def,
                vec![],
                c("Nat"),
                KExpr::Let(
                    "x".into(),
                    Box::new(c("Bool")),
                    Box::new(lit(5)),
                    Box::new(KExpr::BVar(0)),
                ),
            ),
            5 => (
                KDeclKind::Def,
                vec![u.clone(), u.clone()],
                KExpr::Sort(Level::Succ(Box::new(param(&u)))),
                KExpr::Sort(param(&u)),
            ),
            _ => {
                let a = self.below(100) as u128;
                (
                    KDeclKind::Thm,
                    vec![],
                    eq_nat(lit(a), lit(a + 1)),
                    refl_nat(lit(a)),
                )
            }
        };
        Decl::AddDecl(KDecl {
            kind,
            name,
            level_params,
            ty,
            value,
            skip_kernel,
        })
    }
}

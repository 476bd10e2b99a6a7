//! Kernel declarations for the `meta` profile: explicit `Expr` trees added
//! with `addDecl` (bug classes 3, 5, 7, 8, 11), built as the kernel term
//! model's [`kernel::Decl`]s. Well-formed ones are true by construction
//! (closed facts computed here with Lean's `Nat` semantics from the
//! [`nat`] table, definitional unfolding, projections of constructor
//! applications); the ill-formed ones (`badK…`) belong to the labelled
//! ill-formed family.

use rand::Rng;

use super::Gen;
use crate::kernel::expr::apps;
use crate::kernel::{self, nat, BinderInfo, Expr, Hints, Level, Safety};
use crate::lean::ast::Decl;
use crate::lean::depth::kheight;
use crate::lean::families::decl_families;

fn kname(s: &str) -> kernel::Name {
    kernel::Name::from_dotted(s)
}

fn c(n: &str) -> Expr {
    Expr::Const(kname(n), vec![])
}

fn c1(n: &str, l: Level) -> Expr {
    Expr::Const(kname(n), vec![l])
}

fn app(f: Expr, args: Vec<Expr>) -> Expr {
    apps(f, args)
}

fn pi(x: &str, ty: Expr, body: Expr) -> Expr {
    Expr::ForallE(kname(x), Box::new(ty), Box::new(body), BinderInfo::Default)
}

fn lam(x: &str, ty: Expr, body: Expr) -> Expr {
    Expr::Lam(kname(x), Box::new(ty), Box::new(body), BinderInfo::Default)
}

/// `let x : ty := value; body` (a dependent `let`).
fn let_(x: &str, ty: Expr, value: Expr, body: Expr) -> Expr {
    Expr::LetE {
        name: kname(x),
        ty: Box::new(ty),
        value: Box::new(value),
        body: Box::new(body),
        nondep: false,
    }
}

fn lit(v: u128) -> Expr {
    Expr::NatLit(v.to_string())
}

fn bvar(i: usize) -> Expr {
    Expr::BVar(i as u64)
}

fn one() -> Level {
    Level::Succ(Box::new(Level::Zero))
}

fn param(p: &str) -> Level {
    Level::Param(kname(p))
}

/// `@Eq.{1} Nat a b`.
fn eq_nat(a: Expr, b: Expr) -> Expr {
    app(c1("Eq", one()), vec![c("Nat"), a, b])
}

/// `@Eq.refl.{1} Nat a`.
fn refl_nat(a: Expr) -> Expr {
    app(c1("Eq.refl", one()), vec![c("Nat"), a])
}

/// `@Prod.mk.{0, 0} Nat Nat (lit a) (lit b)`.
fn pair(a: u128, b: u128) -> Expr {
    app(
        Expr::Const(kname("Prod.mk"), vec![Level::Zero, Level::Zero]),
        vec![c("Nat"), c("Nat"), lit(a), lit(b)],
    )
}

/// Which `Declaration` constructor a generated declaration uses.
enum Kind {
    Def,
    Thm,
    Opaque,
}

/// The declaration `addDecl` gets: definitions are abbreviations, and
/// every declaration is its own mutual group.
fn decl(kind: Kind, n: &str, level_params: Vec<String>, ty: Expr, value: Expr) -> kernel::Decl {
    let n = kname(n);
    let level_params = level_params.iter().map(|p| kname(p)).collect();
    let all = vec![n.clone()];
    match kind {
        Kind::Def => kernel::Decl::Def {
            name: n,
            level_params,
            ty,
            value,
            hints: Hints::Abbrev,
            safety: Safety::Safe,
            all,
        },
        Kind::Thm => kernel::Decl::Thm {
            name: n,
            level_params,
            ty,
            value,
            all,
        },
        Kind::Opaque => kernel::Decl::Opaque {
            name: n,
            level_params,
            ty,
            value,
            is_unsafe: false,
            all,
        },
    }
}

/// Whether every tree of a kernel declaration fits the depth bound.
fn fits(d: &Decl, depth: usize) -> bool {
    match d {
        Decl::AddDecl { decl, .. } => kernel::edit::terms(decl)
            .into_iter()
            .all(|e| kheight(e) <= depth),
        _ => false,
    }
}

impl<R: Rng> Gen<'_, R> {
    /// A closed kernel `Nat` term over literals and the kernel-accelerated
    /// primitives, with its value; height at most `d`.
    fn kclosed_nat(&mut self, d: usize) -> (Expr, u128) {
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
            if fits(&d, self.depth) {
                return self.counted(d);
            }
        }
        let name = self.env.fresh("k");
        let value = lit(self.below(100) as u128);
        let d = Decl::AddDecl {
            decl: decl(Kind::Opaque, &name, vec![], c("Nat"), value),
            skip_kernel: false,
        };
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
                (Kind::Thm, vec![], eq_nat(e, lit(v)), refl_nat(lit(v)))
            }
            2 => {
                let k = self.below(50) as u128;
                let f = self.pick(&["Nat.add", "Nat.mul", "Nat.sub"]);
                let body = app(c(f), vec![bvar(0), lit(k)]);
                let ty = pi("x", c("Nat"), c("Nat"));
                let value = lam("x", c("Nat"), body);
                (Kind::Def, vec![], ty, value)
            }
            3 => {
                let u = self.env.fresh("u");
                let sort = Expr::Sort(param(&u));
                let ty = pi("α", sort.clone(), pi("a", bvar(0), bvar(1)));
                let value = lam("α", sort, lam("a", bvar(0), bvar(0)));
                (Kind::Def, vec![u], ty, value)
            }
            4 => {
                // `fun (α : Sort u) (β : Sort v) => (x : α) → β : Sort (imax u v)`.
                let (u, v) = (self.env.fresh("u"), self.env.fresh("v"));
                let (su, sv) = (Expr::Sort(param(&u)), Expr::Sort(param(&v)));
                let imax = Expr::Sort(Level::IMax(Box::new(param(&u)), Box::new(param(&v))));
                let ty = pi("α", su.clone(), pi("β", sv.clone(), imax));
                let arrow = pi("x", bvar(1), bvar(1));
                let value = lam("α", su, lam("β", sv, arrow));
                (Kind::Def, vec![u, v], ty, value)
            }
            5 => {
                let (a, b) = (self.below(100) as u128, self.below(100) as u128);
                let i = self.below(2) as u64;
                let got = if i == 0 { a } else { b };
                let proj = Expr::Proj(kname("Prod"), i, Box::new(pair(a, b)));
                (
                    Kind::Thm,
                    vec![],
                    eq_nat(proj, lit(got)),
                    refl_nat(lit(got)),
                )
            }
            _ => {
                if self.coin(0.5) {
                    let a = self.below(1000) as u128;
                    let body = app(c("Nat.add"), vec![bvar(0), bvar(0)]);
                    let value = let_("x", c("Nat"), lit(a), body);
                    (
                        Kind::Thm,
                        vec![],
                        eq_nat(value, lit(2 * a)),
                        refl_nat(lit(2 * a)),
                    )
                } else {
                    (Kind::Opaque, vec![], c("Nat"), lit(self.below(100) as u128))
                }
            }
        };
        Decl::AddDecl {
            decl: decl(kind, &name, level_params, ty, value),
            skip_kernel,
        }
    }

    /// A kernel declaration the kernel must reject (loose bound variable,
    /// non-propositional theorem, bad projection, `let` type mismatch,
    /// duplicate level parameters, a false equation). With the kernel check
    /// skipped it lands in the environment, and comparator's replay must
    /// reject it.
    pub(super) fn ill_formed_kernel(&mut self) -> Decl {
        loop {
            let d = self.ill_formed_kernel_candidate();
            if fits(&d, self.depth) {
                return self.counted(d);
            }
        }
    }

    fn ill_formed_kernel_candidate(&mut self) -> Decl {
        let skip_kernel = self.coin(0.3);
        let name = self.env.fresh("badK");
        let u = self.env.fresh("u");
        let (kind, level_params, ty, value) = match self.below(7) {
            0 => (Kind::Def, vec![], c("Nat"), bvar(self.below(4))),
            1 => (Kind::Thm, vec![], c("Nat"), lit(self.below(10) as u128)),
            2 => (
                Kind::Thm,
                vec![],
                eq_nat(
                    Expr::Proj(
                        kname("Prod"),
                        2 + self.below(5) as u64,
                        Box::new(pair(1, 2)),
                    ),
                    lit(0),
                ),
                refl_nat(lit(0)),
            ),
            3 => (
                Kind::Def,
                vec![],
                c("Nat"),
                Expr::Proj(kname("Nat"), 0, Box::new(lit(5))),
            ),
            4 => (
                Kind::Def,
                vec![],
                c("Nat"),
                let_("x", c("Bool"), lit(5), bvar(0)),
            ),
            5 => (
                Kind::Def,
                vec![u.clone(), u.clone()],
                Expr::Sort(Level::Succ(Box::new(param(&u)))),
                Expr::Sort(param(&u)),
            ),
            _ => {
                let a = self.below(100) as u128;
                (
                    Kind::Thm,
                    vec![],
                    eq_nat(lit(a), lit(a + 1)),
                    refl_nat(lit(a)),
                )
            }
        };
        Decl::AddDecl {
            decl: decl(kind, &name, level_params, ty, value),
            skip_kernel,
        }
    }
}

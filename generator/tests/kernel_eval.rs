//! The prelude's Nat primitives, defined by `Nat.rec`, compute what the
//! kernel's literal extension (GMP) computes: checked with a small
//! evaluator (beta, delta, `Nat.rec`/`Bool` iota, literals) on every pair
//! of small numbers. A wrong definition would make kernels disagree with
//! themselves between literal and unary arguments.

use generator::kernel::expr::unapp;
use generator::kernel::prelude::prelude;
use generator::kernel::*;
use std::collections::HashMap;

struct Eval {
    defs: HashMap<Name, Expr>,
}

/// Replaces bound variable `depth` (the binder being opened) by the closed
/// term `v`.
fn subst(e: &Expr, v: &Expr, depth: u64) -> Expr {
    let b = |x: &Expr, d| Box::new(subst(x, v, d));
    match e {
        Expr::BVar(i) if *i == depth => v.clone(),
        Expr::BVar(i) if *i > depth => Expr::BVar(i - 1),
        Expr::App(f, a) => Expr::App(b(f, depth), b(a, depth)),
        Expr::Lam(n, t, x, bi) => Expr::Lam(n.clone(), b(t, depth), b(x, depth + 1), *bi),
        Expr::ForallE(n, t, x, bi) => Expr::ForallE(n.clone(), b(t, depth), b(x, depth + 1), *bi),
        other => other.clone(),
    }
}

fn name(s: &str) -> Name {
    Name::from_dotted(s)
}

fn apps(f: Expr, args: Vec<Expr>) -> Expr {
    args.into_iter()
        .fold(f, |f, a| Expr::App(Box::new(f), Box::new(a)))
}

impl Eval {
    fn new() -> Self {
        let defs = prelude()
            .into_iter()
            .filter_map(|d| match d {
                Decl::Def { name, value, .. } => Some((name, value)),
                _ => None,
            })
            .collect();
        Eval { defs }
    }

    /// Weak head normal form of a closed term.
    fn whnf(&self, e: &Expr) -> Expr {
        let (head, args) = unapp(e);
        let args: Vec<Expr> = args.into_iter().cloned().collect();
        match head {
            Expr::Lam(_, _, body, _) if !args.is_empty() => {
                let reduced = subst(body, &args[0], 0);
                self.whnf(&apps(reduced, args[1..].to_vec()))
            }
            Expr::Const(n, _) if self.defs.contains_key(n) => {
                self.whnf(&apps(self.defs[n].clone(), args))
            }
            Expr::Const(n, _) if *n == name("Nat.rec") && args.len() >= 4 => {
                let (base, step) = (&args[1], &args[2]);
                let rest = args[4..].to_vec();
                match self.nat(&args[3]) {
                    0 => self.whnf(&apps(base.clone(), rest)),
                    k => {
                        let pred = Expr::NatLit((k - 1).to_string());
                        let ih = apps(
                            head.clone(),
                            vec![args[0].clone(), base.clone(), step.clone(), pred.clone()],
                        );
                        self.whnf(&apps(step.clone(), [vec![pred, ih], rest].concat()))
                    }
                }
            }
            _ => e.clone(),
        }
    }

    fn nat(&self, e: &Expr) -> u128 {
        let w = self.whnf(e);
        match &w {
            Expr::NatLit(v) => v.parse().unwrap(),
            Expr::Const(n, _) if *n == name("Nat.zero") => 0,
            _ => {
                let (head, args) = unapp(&w);
                match head {
                    Expr::Const(n, _) if *n == name("Nat.succ") && args.len() == 1 => {
                        self.nat(args[0]) + 1
                    }
                    _ => panic!("not a numeral: {w:?}"),
                }
            }
        }
    }

    fn bool(&self, e: &Expr) -> bool {
        match self.whnf(e) {
            Expr::Const(n, _) if n == name("Bool.true") => true,
            Expr::Const(n, _) if n == name("Bool.false") => false,
            other => panic!("not a Bool: {other:?}"),
        }
    }
}

fn call(f: &str, a: u128, b: u128) -> Expr {
    apps(
        Expr::Const(name(f), vec![]),
        vec![Expr::NatLit(a.to_string()), Expr::NatLit(b.to_string())],
    )
}

#[test]
fn nat_primitives_compute_what_the_literal_extension_computes() {
    let ev = Eval::new();
    for a in 0..7u128 {
        assert_eq!(
            ev.nat(&apps(
                Expr::Const(name("Nat.pred"), vec![]),
                vec![Expr::NatLit(a.to_string())]
            )),
            a.saturating_sub(1)
        );
        for b in 0..7u128 {
            assert_eq!(ev.nat(&call("Nat.add", a, b)), a + b, "{a} + {b}");
            assert_eq!(ev.nat(&call("Nat.mul", a, b)), a * b, "{a} * {b}");
            assert_eq!(
                ev.nat(&call("Nat.sub", a, b)),
                a.saturating_sub(b),
                "{a} - {b}"
            );
            assert_eq!(
                ev.nat(&call("Nat.pow", a, b % 4)),
                a.pow((b % 4) as u32),
                "{a} ^ {b}"
            );
            assert_eq!(ev.bool(&call("Nat.beq", a, b)), a == b, "{a} == {b}");
            assert_eq!(ev.bool(&call("Nat.ble", a, b)), a <= b, "{a} <= {b}");
        }
    }
}

//! True statements by construction: closed computations whose value we
//! compute while generating them (with Lean's `Nat` semantics, from the
//! [`crate::kernel::nat`] table), and propositions built from true parts
//! with matching proof terms.

use rand::Rng;

use super::{app, bin, id, nat, Gen};
use crate::kernel::nat::nat as nat_op;
use crate::lean::ast::{BinOp, Binder, BinderKind, Tactic, Term};
use crate::lean::depth::children;
use crate::lean::stats::Family;

impl<R: Rng> Gen<'_, R> {
    /// A closed `Nat` expression over literals and the kernel-accelerated
    /// primitives, with its value; height at most `d`.
    pub(super) fn closed_nat(&mut self, d: usize) -> (Term, u128) {
        if d <= 1 || self.coin(0.3) {
            return self.small_nat();
        }
        let (a, va) = self.closed_nat(d - 1);
        let (b, vb) = self.closed_nat(d - 1);
        // A prelude file has none of the bitwise functions nor `Nat.gcd`.
        let op = if self.prelude {
            self.pick(&[0, 1, 2, 3, 4, 10])
        } else {
            self.below(11)
        };
        const OPS: [&str; 9] = [
            "Nat.add", "Nat.sub", "Nat.mul", "Nat.div", "Nat.mod", "Nat.gcd", "Nat.land",
            "Nat.lor", "Nat.xor",
        ];
        let value = match op {
            0..=8 => nat_op(OPS[op], &[va, vb]),
            9 => {
                let k = self.below(70) as u32;
                let shifted = nat_op("Nat.shiftLeft", &[va, k.into()]);
                return match shifted {
                    Some(v) => (app("Nat.shiftLeft", vec![a, nat(k as u128)]), v),
                    None => (a, va),
                };
            }
            _ => {
                let k = self.below(9) as u32;
                return match nat_op("Nat.pow", &[va, k.into()]) {
                    Some(v) => (bin(BinOp::Pow, a, nat(k as u128)), v),
                    None => (a, va),
                };
            }
        };
        let Some(value) = value else {
            return (a, va);
        };
        let t = match op {
            0 => bin(BinOp::Add, a, b),
            1 => bin(BinOp::Sub, a, b),
            2 => bin(BinOp::Mul, a, b),
            3 => bin(BinOp::Div, a, b),
            4 => bin(BinOp::Mod, a, b),
            5 => app("Nat.gcd", vec![a, b]),
            6 => app("Nat.land", vec![a, b]),
            7 => app("Nat.lor", vec![a, b]),
            _ => app("Nat.xor", vec![a, b]),
        };
        (t, value)
    }

    fn small_nat(&mut self) -> (Term, u128) {
        if self.coin(0.1) {
            self.hit(Family::LitBoundary);
            let v = self.pick(&[1u128 << 32, (1 << 32) - 1, 1 << 63, 1 << 64, (1 << 64) - 1]);
            return (nat(v), v);
        }
        let v = self.below(100) as u128;
        (nat(v), v)
    }

    /// A closed `Bool` expression with its value.
    pub(super) fn closed_bool(&mut self, d: usize) -> (Term, bool) {
        if d <= 1 || self.coin(0.3) {
            let v = self.coin(0.5);
            return (id(if v { "true" } else { "false" }), v);
        }
        match self.below(4) {
            0 => {
                let (a, va) = self.closed_bool(d - 1);
                let (b, vb) = self.closed_bool(d - 1);
                if self.coin(0.5) {
                    (bin(BinOp::BAnd, a, b), va && vb)
                } else {
                    (bin(BinOp::BOr, a, b), va || vb)
                }
            }
            1 => {
                let (a, va) = self.closed_bool(d - 1);
                (Term::BNot(Box::new(a)), !va)
            }
            2 => {
                let (a, va) = self.closed_nat(d - 1);
                let (b, vb) = self.closed_nat(d - 1);
                (app("Nat.beq", vec![a, b]), va == vb)
            }
            _ => {
                let (a, va) = self.closed_nat(d - 1);
                let (b, vb) = self.closed_nat(d - 1);
                (bin(BinOp::BEq, a, b), va == vb)
            }
        }
    }

    /// A closed equation `e = v` that holds, or (when `holds` is false) a
    /// decidable one that does not. Height at most `d` (d ≥ 2).
    pub(super) fn closed_fact(&mut self, d: usize, holds: bool) -> Term {
        if self.coin(0.7) {
            let (e, v) = self.closed_nat(d - 1);
            let v = if holds { v } else { v.wrapping_add(1) };
            bin(BinOp::Eq, e, nat(v))
        } else {
            let (e, v) = self.closed_bool(d - 1);
            let v = if holds { v } else { !v };
            bin(BinOp::Eq, e, id(if v { "true" } else { "false" }))
        }
    }

    /// How the closed fact `fact` is proved: any of these closes a true
    /// one (`simp` only when it can evaluate every function the fact
    /// applies, see [`SIMP_BLIND`]).
    pub(super) fn fact_proof(&mut self, fact: &Term) -> Term {
        if self.prelude {
            // `simp` has almost no lemmas before `Init`; `native_decide`
            // would need the compiler's view of redefined primitives.
            return self.pick(&[
                id("rfl"),
                Term::By(vec![Tactic::Rfl]),
                Term::By(vec![Tactic::Decide]),
            ]);
        }
        let mut choice = self.below(5);
        if choice == 2 && applies_any(fact, &SIMP_BLIND) {
            choice = self.pick(&[0, 1, 3, 4]);
        }
        match choice {
            0 => id("rfl"),
            1 => Term::By(vec![Tactic::Rfl]),
            2 => Term::By(vec![Tactic::Simp(vec![])]),
            3 => {
                self.hit(Family::NativeDecide);
                Term::By(vec![Tactic::NativeDecide])
            }
            _ => Term::By(vec![Tactic::Decide]),
        }
    }

    /// A true proposition and a proof term for it, both of height at most
    /// `d` (d ≥ 2): connectives over closed facts and reflexivity.
    pub(super) fn true_prop(&mut self, d: usize) -> (Term, Term) {
        if d <= 2 {
            return if self.coin(0.5) {
                (id("True"), id("trivial"))
            } else {
                let x = self.nat_lit();
                (bin(BinOp::Eq, x.clone(), x), id("rfl"))
            };
        }
        match self.below(7) {
            0 => (id("True"), id("trivial")),
            1 => {
                let s = self.closed_fact(d, true);
                (s, Term::By(vec![Tactic::Decide]))
            }
            2 => {
                let (p, pp) = self.true_prop(d - 1);
                let (q, pq) = self.true_prop(d - 1);
                (bin(BinOp::And, p, q), Term::Anon(vec![pp, pq]))
            }
            3 => {
                let (p, pp) = self.true_prop(d - 1);
                let holds = self.coin(0.5);
                let q = self.closed_fact(d - 1, holds);
                if self.coin(0.5) {
                    (bin(BinOp::Or, p, q), app("Or.inl", vec![pp]))
                } else {
                    (bin(BinOp::Or, q, p), app("Or.inr", vec![pp]))
                }
            }
            4 => {
                let (p, pp) = self.true_prop(d - 1);
                let holds = self.coin(0.5);
                let q = self.closed_fact(d - 1, holds);
                let hyp = Binder {
                    name: "_".into(),
                    ty: q.clone(),
                    kind: BinderKind::Explicit,
                };
                (
                    Term::Arrow(Box::new(q), Box::new(p)),
                    Term::Lam(vec![hyp], Box::new(pp)),
                )
            }
            5 => {
                let (p, _) = self.true_prop(d - 1);
                (bin(BinOp::Iff, p.clone(), p), id("Iff.rfl"))
            }
            _ => {
                let f = self.closed_fact(d - 1, false);
                (Term::Not(Box::new(f)), Term::By(vec![Tactic::Decide]))
            }
        }
    }
}

/// Functions whose by-name applications to literals the generator never
/// proves facts about by `simp`. Before lean4 PR 12950 (March 2026; so on
/// v4.24) the `Nat` simprocs (`reduceAnd`, `reduceOr`, `reduceXor`,
/// `reduceShiftLeft`, `reduceShiftRight`, `reduceBEq` in
/// `src/Lean/Meta/Tactic/Simp/BuiltinSimprocs/Nat.lean`) match only the
/// operator forms `&&&`, `|||`, `^^^`, `<<<`, `>>>`, `==` (`HAnd.hAnd` …);
/// PR 12950's lemmas from `Nat.land` … to the operators are in the pinned
/// v4.34.0-rc2, but none covers `Nat.beq`. `rfl` and `decide` reach the
/// kernel's by-name GMP paths for all of them on every version, so the list
/// stays (`template/Probe.lean` reports whether `simp` closes a `Nat.land`
/// fact). `Nat.gcd` is fine: `reduceGcd` matches the name.
const SIMP_BLIND: [&str; 6] = [
    "Nat.land",
    "Nat.lor",
    "Nat.xor",
    "Nat.shiftLeft",
    "Nat.shiftRight",
    "Nat.beq",
];

/// Whether `t` applies one of `names` as a function somewhere.
fn applies_any(t: &Term, names: &[&str]) -> bool {
    let head_is = |f: &Term| matches!(f, Term::Ident(n) if names.contains(&n.as_str()));
    matches!(t, Term::App(f, _) if head_is(f))
        || children(t).into_iter().any(|c| applies_any(c, names))
}

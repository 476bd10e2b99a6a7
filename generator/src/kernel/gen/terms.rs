//! `Nat` terms over literals and the accelerated primitives, definitions
//! and facts about them (`Nat.beq`/`Nat.ble`, `let`, opaque definitions),
//! string-literal facts and quotient-reduction facts.

use super::*;
use crate::kernel::nat::{self as nat_ops, NatValue};

impl Gen {
    /// A closed `Nat` term of height at most `h` and its value.
    pub(super) fn nat_term(&mut self, h: usize) -> (Expr, u128) {
        if h <= 1 || self.rng.random_bool(0.3) {
            return match self.rng.random_range(0..4) {
                0 if !self.nat_defs.is_empty() => {
                    let (name, v) =
                        self.nat_defs[self.rng.random_range(0..self.nat_defs.len())].clone();
                    (Expr::Const(name, vec![]), v)
                }
                1 => (c("Nat.zero"), 0),
                _ => {
                    let v: u128 = match self.rng.random_range(0..4) {
                        0 => self.rng.random_range(0..4),
                        1 => self.rng.random_range(0..1000),
                        2 => 1 << self.rng.random_range(30..70),
                        _ => self.rng.random_range(0..(1u128 << 64)),
                    };
                    (Expr::NatLit(v.to_string()), v)
                }
            };
        }
        match self.rng.random_range(0..8) {
            5 => {
                // div, mod, gcd, land, lor, xor: never larger than both.
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                let op = match self.rng.random_range(0..6) {
                    0 => "Nat.div",
                    1 => "Nat.mod",
                    2 => "Nat.gcd",
                    3 => "Nat.land",
                    4 => "Nat.lor",
                    _ => "Nat.xor",
                };
                let v = nat_ops::nat(op, &[va, vb]).expect("never larger than both");
                (apps(c(op), [a, b]), v)
            }
            6 => {
                // Shifts by a small amount, so the value stays exact.
                let (a, va) = self.nat_term(h - 1);
                let k: u32 = self.rng.random_range(0..70);
                if self.rng.random_bool(0.5) {
                    (
                        apps(c("Nat.shiftRight"), [a, Expr::NatLit(k.to_string())]),
                        nat_ops::nat("Nat.shiftRight", &[va, k.into()]).expect("never larger"),
                    )
                } else {
                    match nat_ops::nat("Nat.shiftLeft", &[va, k.into()]).filter(|v| *v < MAX_VALUE)
                    {
                        Some(v) => (
                            apps(c("Nat.shiftLeft"), [a, Expr::NatLit(k.to_string())]),
                            v,
                        ),
                        None => (a, va),
                    }
                }
            }
            7 => {
                let (a, va) = self.nat_term(h - 1);
                let v = nat_ops::nat("Nat.log2", &[va]).expect("never larger");
                (app(c("Nat.log2"), a), v)
            }
            0 => {
                let (a, va) = self.nat_term(h - 1);
                match nat_ops::nat("Nat.succ", &[va]).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (app(c("Nat.succ"), a), v),
                    None => (a, va),
                }
            }
            3 => {
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                let v = nat_ops::nat("Nat.sub", &[va, vb]).expect("never larger");
                (apps(c("Nat.sub"), [a, b]), v)
            }
            4 => {
                // A small exponent, so the value stays exact.
                let (a, va) = self.nat_term(h - 1);
                let k: u32 = self.rng.random_range(0..6);
                match nat_ops::nat("Nat.pow", &[va, k.into()]).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (apps(c("Nat.pow"), [a, Expr::NatLit(k.to_string())]), v),
                    None => (a, va),
                }
            }
            1 => {
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                match nat_ops::nat("Nat.add", &[va, vb]).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (apps(c("Nat.add"), [a, b]), v),
                    None => (a, va),
                }
            }
            _ => {
                let (a, va) = self.nat_term(h - 1);
                let (b, vb) = self.nat_term(h - 1);
                match nat_ops::nat("Nat.mul", &[va, vb]).filter(|v| *v < MAX_VALUE) {
                    Some(v) => (apps(c("Nat.mul"), [a, b]), v),
                    None => (a, va),
                }
            }
        }
    }

    pub(super) fn nat_def(&mut self) -> Decl {
        let (value, v) = self.nat_term(self.cfg.depth);
        let name = self.fresh("d");
        self.nat_defs.push((name.clone(), v));
        self.regular_def(name, nat(), value)
    }

    /// `def name : ty := value` with regular hints of a random height.
    pub(super) fn regular_def(&mut self, name: Name, ty: Expr, value: Expr) -> Decl {
        Decl::Def {
            name: name.clone(),
            level_params: vec![],
            ty,
            value,
            hints: Hints::Regular(self.rng.random_range(1..4)),
            safety: Safety::Safe,
            all: vec![name],
        }
    }

    /// `theorem <stem>N : @Eq ty lhs rhs := Eq.refl rhs`: the kernel must
    /// reduce `lhs` to `rhs`.
    pub(super) fn refl_fact(&mut self, stem: &str, ty: Expr, lhs: Expr, rhs: Expr) -> Decl {
        let name = self.fresh(stem);
        Decl::Thm {
            name: name.clone(),
            level_params: vec![],
            ty: eq_at(ty.clone(), lhs, rhs.clone()),
            value: refl_at(ty, rhs),
            all: vec![name],
        }
    }

    /// `theorem : t = <value of t> := Eq.refl <value>`.
    pub(super) fn nat_fact(&mut self) -> Decl {
        let (t, v) = self.nat_term(self.cfg.depth);
        let lit = Expr::NatLit(v.to_string());
        self.refl_fact("fact", nat(), t, lit.clone())
    }

    /// `theorem : (let x : Nat := t; x + x) = <2 t>`: the kernel must
    /// substitute the let (class 11's well-formed side).
    pub(super) fn let_fact(&mut self) -> Decl {
        let (t, v) = self.nat_term(self.cfg.depth.saturating_sub(1).max(1));
        let lit = Expr::NatLit((2 * v).to_string());
        let body = apps(c("Nat.add"), [Expr::BVar(0), Expr::BVar(0)]);
        let lhs = Expr::LetE {
            name: n("x"),
            ty: Box::new(nat()),
            value: Box::new(t),
            body: Box::new(body),
            nondep: false,
        };
        self.refl_fact("let", nat(), lhs, lit.clone())
    }

    /// `opaque o : Nat := t` (checked, never unfolded, so no fact uses it).
    pub(super) fn opaque_def(&mut self) -> Decl {
        let (value, _) = self.nat_term(self.cfg.depth);
        let name = self.fresh("o");
        Decl::Opaque {
            name: name.clone(),
            level_params: vec![],
            ty: nat(),
            value,
            is_unsafe: false,
            all: vec![name],
        }
    }

    /// `theorem : Nat.beq a b = <a == b>` or `Nat.ble a b = <a ≤ b>`
    /// (`Eq.refl` of the `Bool` constructor); the operands are often equal
    /// or adjacent, where the answer turns.
    pub(super) fn bool_fact(&mut self) -> Decl {
        let (a, va) = self.nat_term(self.cfg.depth.saturating_sub(1).max(1));
        let (b, vb) = match self.rng.random_range(0..3) {
            0 => (Expr::NatLit(va.to_string()), va),
            1 => (Expr::NatLit((va + 1).to_string()), va + 1),
            _ => self.nat_term(self.cfg.depth.saturating_sub(1).max(1)),
        };
        let name = if self.rng.random_bool(0.5) {
            "Nat.beq"
        } else {
            "Nat.ble"
        };
        let holds =
            nat_ops::op(name).and_then(|row| row.value(&[va, vb])) == Some(NatValue::Bool(true));
        let answer = c(if holds { "Bool.true" } else { "Bool.false" });
        self.refl_fact("cmp", c("Bool"), apps(c(name), [a, b]), answer.clone())
    }

    /// `theorem : String.ofList [Char.ofNat c1, …] = "<the string>"`: the
    /// kernel must expand the literal into characters (class 6), also
    /// for code points past ASCII.
    pub(super) fn string_fact(&mut self) -> Decl {
        const CHARS: [char; 10] = ['a', 'b', 'z', '0', ' ', '"', '\\', 'é', 'λ', '😀'];
        let text: String = (0..self.rng.random_range(0..5))
            .map(|_| CHARS[self.rng.random_range(0..CHARS.len())])
            .collect();
        let char_ = c("Char");
        let list = |f: Expr| apps(f, [char_.clone()]);
        let nil = list(cnst(&n("List.nil"), &[Level::Zero]));
        let chars = text.chars().rev().fold(nil, |tail, ch| {
            apps(
                list(cnst(&n("List.cons"), &[Level::Zero])),
                [
                    app(c("Char.ofNat"), Expr::NatLit((ch as u32).to_string())),
                    tail,
                ],
            )
        });
        let lit = Expr::StrLit(text);
        self.refl_fact(
            "str",
            c("String"),
            app(c("String.ofList"), chars),
            lit.clone(),
        )
    }

    /// `theorem : Quot.lift f h (Quot.mk r t) = <value of f t>` with
    /// `r := fun _ _ => False`, `f := fun x => x + k` and `h` proved by
    /// `False.rec`: the kernel must apply quotient reduction, then Nat
    /// arithmetic.
    pub(super) fn quot_fact(&mut self) -> Decl {
        let (t, vt) = self.nat_term(self.cfg.depth.saturating_sub(1).max(1));
        let k: u128 = self.rng.random_range(0..1000);
        let value = vt + k;
        let lam = |x: &str, ty: Expr, body: Expr| {
            Expr::Lam(n(x), Box::new(ty), Box::new(body), BinderInfo::Default)
        };
        let bv = Expr::BVar;
        let rel = lam("a", nat(), lam("b", nat(), c("False")));
        let f = lam(
            "x",
            nat(),
            apps(c("Nat.add"), [bv(0), Expr::NatLit(k.to_string())]),
        );
        // fun a b (p : False) => False.rec.{0} (fun _ => f a = f b) p
        let respects = lam(
            "a",
            nat(),
            lam(
                "b",
                nat(),
                lam(
                    "p",
                    c("False"),
                    apps(
                        cnst(&n("False.rec"), &[Level::Zero]),
                        [
                            lam(
                                "t",
                                c("False"),
                                eq_nat(app(f.clone(), bv(3)), app(f.clone(), bv(2))),
                            ),
                            bv(0),
                        ],
                    ),
                ),
            ),
        );
        let mk = apps(cnst(&n("Quot.mk"), &[one()]), [nat(), rel.clone(), t]);
        let lifted = apps(
            cnst(&n("Quot.lift"), &[one(), one()]),
            [nat(), rel, nat(), f, respects, mk],
        );
        let lit = Expr::NatLit(value.to_string());
        self.refl_fact("quot", nat(), lifted, lit.clone())
    }
}

//! An evaluator for the `Nat`/`Bool` fragment that `prelude` programs are
//! written in, with Lean's semantics (the [`nat`] table: truncated
//! subtraction, `x / 0 = 0`, `x % 0 = x`). It tells what a redefined
//! primitive *means* by its definition, to compare with what the kernel
//! computes for it by name ([`nat::kernel_nat`]): where the two differ, a
//! literal fact is a clash.
//!
//! Anything outside the fragment, an overflow of `u128`, or running out of
//! fuel gives `None` ("unknown"), never a wrong value.

use std::collections::HashMap;

use super::ast::*;
use crate::kernel::nat::{self, NatValue};

/// A value of the fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Nat(u128),
    Bool(bool),
}

/// Evaluates calls of the definitions of a program.
pub struct Evaluator<'p> {
    defs: HashMap<&'p str, &'p Def>,
    fuel: u64,
    /// Calls in progress (bounded, so evaluation never overflows a stack).
    nesting: usize,
}

/// Steps (calls and `match`es) one evaluation may take.
const FUEL: u64 = 100_000;

/// How deeply calls may nest.
const MAX_NESTING: usize = 64;

impl<'p> Evaluator<'p> {
    /// An evaluator over the definitions among `decls`.
    pub fn new(decls: &'p [Decl]) -> Self {
        let mut defs = HashMap::new();
        for d in decls {
            if let Decl::Def(def) = d {
                if matches!(def.kind, DefKind::Def | DefKind::Abbrev) && !def.name.is_empty() {
                    defs.insert(def.name.as_str(), def);
                }
            }
        }
        Evaluator {
            defs,
            fuel: FUEL,
            nesting: 0,
        }
    }

    /// `f args` by the definition of `f`, if it is known.
    pub fn call(&mut self, f: &str, args: &[u128]) -> Option<u128> {
        self.fuel = FUEL;
        self.nesting = 0;
        let args: Vec<Value> = args.iter().map(|a| Value::Nat(*a)).collect();
        match self.apply(f, &args)? {
            Value::Nat(n) => Some(n),
            Value::Bool(_) => None,
        }
    }

    fn apply(&mut self, f: &str, args: &[Value]) -> Option<Value> {
        if self.nesting >= MAX_NESTING {
            return None;
        }
        self.nesting += 1;
        let r = self.apply_def(f, args);
        self.nesting -= 1;
        r
    }

    fn apply_def(&mut self, f: &str, args: &[Value]) -> Option<Value> {
        self.fuel = self.fuel.checked_sub(1)?;
        let nat = |i: usize| match args.get(i) {
            Some(Value::Nat(n)) => Some(*n),
            _ => None,
        };
        if f == "decide" {
            return args.first().copied();
        }
        // The program's own definition first: a `prelude` program may
        // redefine a kernel-accelerated name, and its meaning is then the
        // definition's.
        let Some(def) = self.defs.get(f).copied() else {
            let op = nat::op(f)?;
            let args = (0..args.len()).map(nat).collect::<Option<Vec<_>>>()?;
            return Some(match op.value(&args)? {
                NatValue::Nat(n) => Value::Nat(n),
                NatValue::Bool(b) => Value::Bool(b),
            });
        };
        let params: Vec<&Binder> = def
            .binders
            .iter()
            .filter(|b| b.kind == BinderKind::Explicit)
            .collect();
        let mut locals: Vec<(String, Value)> = params
            .iter()
            .zip(args)
            .map(|(b, v)| (b.name.clone(), *v))
            .collect();
        match &def.body {
            Body::Term(t) if args.len() == params.len() => self.eval(t, &mut locals),
            Body::Arms(arms) if args.len() == params.len() + 1 => {
                let scrut = *args.last()?;
                self.arms(arms, &[scrut], &mut locals)
            }
            _ => None,
        }
    }

    fn arms(
        &mut self,
        arms: &[Arm],
        scruts: &[Value],
        locals: &mut Vec<(String, Value)>,
    ) -> Option<Value> {
        self.fuel = self.fuel.checked_sub(1)?;
        for arm in arms {
            let mark = locals.len();
            let matched = arm.pats.len() == scruts.len()
                && arm
                    .pats
                    .iter()
                    .zip(scruts)
                    .all(|(p, v)| bind(p, *v, locals).unwrap_or(false));
            if matched {
                let r = self.eval(&arm.rhs, locals);
                locals.truncate(mark);
                return r;
            }
            locals.truncate(mark);
        }
        None
    }

    fn eval(&mut self, t: &Term, locals: &mut Vec<(String, Value)>) -> Option<Value> {
        let nat = |v: Value| match v {
            Value::Nat(n) => Some(n),
            Value::Bool(_) => None,
        };
        let boolean = |v: Value| match v {
            Value::Bool(b) => Some(b),
            Value::Nat(_) => None,
        };
        Some(match t {
            Term::Ident(n) => {
                if let Some((_, v)) = locals.iter().rev().find(|(x, _)| x == n) {
                    return Some(*v);
                }
                match n.as_str() {
                    "true" | "Bool.true" => Value::Bool(true),
                    "false" | "Bool.false" => Value::Bool(false),
                    _ => return self.apply(n, &[]),
                }
            }
            Term::NatLit(s) => Value::Nat(s.parse().ok()?),
            Term::Typed(e, _) => return self.eval(e, locals),
            Term::App(f, args) => {
                let Term::Ident(f) = &**f else { return None };
                let vals = args
                    .iter()
                    .map(|a| self.eval(a, locals))
                    .collect::<Option<Vec<_>>>()?;
                return self.apply(f, &vals);
            }
            Term::BinOp(op, a, b) => {
                let (a, b) = (self.eval(a, locals)?, self.eval(b, locals)?);
                let arith = |f: &str| Some(Value::Nat(nat::nat(f, &[nat(a)?, nat(b)?])?));
                match op {
                    BinOp::Add => arith("Nat.add")?,
                    BinOp::Sub => arith("Nat.sub")?,
                    BinOp::Mul => arith("Nat.mul")?,
                    BinOp::Div => arith("Nat.div")?,
                    BinOp::Mod => arith("Nat.mod")?,
                    BinOp::Pow => arith("Nat.pow")?,
                    BinOp::BAnd | BinOp::And => Value::Bool(boolean(a)? && boolean(b)?),
                    BinOp::BOr | BinOp::Or => Value::Bool(boolean(a)? || boolean(b)?),
                    BinOp::BEq | BinOp::Eq => Value::Bool(a == b),
                    BinOp::Ne => Value::Bool(a != b),
                    BinOp::Lt => Value::Bool(nat(a)? < nat(b)?),
                    BinOp::Le => Value::Bool(nat(a)? <= nat(b)?),
                    BinOp::Iff | BinOp::Append | BinOp::Cons => return None,
                }
            }
            Term::Not(e) | Term::BNot(e) => Value::Bool(!boolean(self.eval(e, locals)?)?),
            Term::Ite(c, a, b) => {
                return if boolean(self.eval(c, locals)?)? {
                    self.eval(a, locals)
                } else {
                    self.eval(b, locals)
                };
            }
            Term::Let(x, _, v, body) => {
                let v = self.eval(v, locals)?;
                locals.push((x.clone(), v));
                let r = self.eval(body, locals);
                locals.pop();
                return r;
            }
            Term::Match(scruts, arms) => {
                let vals = scruts
                    .iter()
                    .map(|s| self.eval(s, locals))
                    .collect::<Option<Vec<_>>>()?;
                return self.arms(arms, &vals, locals);
            }
            _ => return None,
        })
    }
}

/// Whether `v` matches `p`, pushing the variables it binds; `None` for a
/// pattern outside the fragment.
fn bind(p: &Pattern, v: Value, locals: &mut Vec<(String, Value)>) -> Option<bool> {
    Some(match (p, v) {
        (Pattern::Wild, _) => true,
        (Pattern::Var(x), v) => {
            locals.push((x.clone(), v));
            true
        }
        (Pattern::Nat(k), Value::Nat(n)) => u128::from(*k) == n,
        (Pattern::Succ(inner), Value::Nat(n)) => n > 0 && bind(inner, Value::Nat(n - 1), locals)?,
        (Pattern::Ctor(c, args), Value::Bool(b)) if args.is_empty() => match c.as_str() {
            "true" | "Bool.true" => b,
            "false" | "Bool.false" => !b,
            _ => return None,
        },
        (Pattern::Ctor(c, args), Value::Nat(n)) => match (c.as_str(), args.as_slice()) {
            ("Nat.zero", []) => n == 0,
            ("Nat.succ", [inner]) => n > 0 && bind(inner, Value::Nat(n - 1), locals)?,
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Term {
        Term::Ident(s.into())
    }

    fn b(op: BinOp, x: Term, y: Term) -> Term {
        Term::BinOp(op, Box::new(x), Box::new(y))
    }

    fn def(name: &str, params: &[&str], body: Body, ty: Term) -> Decl {
        Decl::Def(Def {
            kind: DefKind::Def,
            attrs: vec![],
            name: name.into(),
            univ_params: vec![],
            binders: params
                .iter()
                .map(|p| Binder {
                    name: p.to_string(),
                    ty: id("Nat"),
                    kind: BinderKind::Explicit,
                })
                .collect(),
            ty,
            body,
        })
    }

    #[test]
    fn definitions_by_their_bodies() {
        // def Nat.gcd (a b : Nat) : Nat := if a < b then a * 2 else b - a
        let body = Term::Ite(
            Box::new(b(BinOp::Lt, id("a"), id("b"))),
            Box::new(b(BinOp::Mul, id("a"), Term::NatLit("2".into()))),
            Box::new(b(BinOp::Sub, id("b"), id("a"))),
        );
        // def dbl : Nat → Nat | 0 => 0 | n + 1 => dbl n + 2
        let arms = Body::Arms(vec![
            Arm {
                pats: vec![Pattern::Nat(0)],
                rhs: Term::NatLit("0".into()),
            },
            Arm {
                pats: vec![Pattern::Succ(Box::new(Pattern::Var("n".into())))],
                rhs: b(
                    BinOp::Add,
                    Term::App(Box::new(id("dbl")), vec![id("n")]),
                    Term::NatLit("2".into()),
                ),
            },
        ]);
        let decls = vec![
            def("Nat.gcd", &["a", "b"], Body::Term(body), id("Nat")),
            def(
                "dbl",
                &[],
                arms,
                Term::Arrow(Box::new(id("Nat")), Box::new(id("Nat"))),
            ),
        ];
        let mut ev = Evaluator::new(&decls);
        assert_eq!(ev.call("Nat.gcd", &[3, 5]), Some(6));
        assert_eq!(ev.call("Nat.gcd", &[5, 3]), Some(0));
        assert_eq!(ev.call("dbl", &[7]), Some(14));
        // Too deep or out of fuel: unknown, not wrong.
        assert_eq!(ev.call("dbl", &[1_000_000]), None);
        assert_eq!(ev.call("dbl", &[40]), Some(80));
        assert_eq!(ev.call("unknown", &[1]), None);
    }
}

//! A small evaluator of closed kernel terms (beta, delta, zeta, iota by
//! the recursors' own rules, projections, quotient lifting, and — like the
//! kernel's GMP extension — the Nat primitives on literals, valued by the
//! `kernel::nat` table), used two ways:
//! without the literal shortcut, to check that the prelude's `Nat.rec`
//! definitions compute what the extension computes; with it, to check that
//! every theorem `a = b` a generated well-formed environment states holds
//! by evaluation, independently of how the generator computed `b`.

use generator::kernel::expr::{instantiate1, unapp};
use generator::kernel::gen::{generate, IllFormedRates, KernelGenConfig};
use generator::kernel::nat::{self, NatValue};
use generator::kernel::prelude::prelude;
use generator::kernel::*;
use std::collections::HashMap;

struct Eval {
    defs: HashMap<Name, Expr>,
    recs: HashMap<Name, RecursorVal>,
    ctors: HashMap<Name, ConstructorVal>,
    /// Compute the Nat primitives on literals directly, as the kernel does.
    literal_shortcut: bool,
}

/// A term in normal form, as far as facts need: a number or a constructor
/// applied to values.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Nat(u128),
    Ctor(Name, Vec<Val>),
}

fn name(s: &str) -> Name {
    Name::from_dotted(s)
}

fn apps(f: Expr, args: Vec<Expr>) -> Expr {
    generator::kernel::expr::apps(f, args)
}

fn lit(v: u128) -> Expr {
    Expr::NatLit(v.to_string())
}

impl Eval {
    fn new(decls: &[Decl], literal_shortcut: bool) -> Self {
        let mut ev = Eval {
            defs: HashMap::new(),
            recs: HashMap::new(),
            ctors: HashMap::new(),
            literal_shortcut,
        };
        for d in decls {
            match d {
                Decl::Def { name, value, .. } => {
                    ev.defs.insert(name.clone(), value.clone());
                }
                Decl::Inductive { ctors, recs, .. } => {
                    for c in ctors {
                        ev.ctors.insert(c.name.clone(), c.clone());
                    }
                    for r in recs {
                        ev.recs.insert(r.name.clone(), r.clone());
                    }
                }
                _ => {}
            }
        }
        ev
    }

    /// A numeral as a constructor application, for a recursor's major.
    fn as_ctor(&self, e: Expr) -> Expr {
        match &e {
            Expr::NatLit(v) => match v.parse::<u128>().unwrap() {
                0 => Expr::Const(name("Nat.zero"), vec![]),
                k => Expr::App(
                    Box::new(Expr::Const(name("Nat.succ"), vec![])),
                    Box::new(lit(k - 1)),
                ),
            },
            _ => e,
        }
    }

    /// Weak head normal form of a closed term.
    fn whnf(&self, e: &Expr) -> Expr {
        if let Expr::LetE { value, body, .. } = e {
            return self.whnf(&instantiate1(body, value));
        }
        if let Expr::StrLit(text) = e {
            return self.whnf(&string_literal(text));
        }
        if let Expr::Proj(_, i, s) = e {
            let s = self.whnf(s);
            let (head, args) = unapp(&s);
            let Expr::Const(c, _) = head else {
                panic!("projection of a non-constructor {s:?}")
            };
            let np = self.ctors[c].num_params as usize;
            return self.whnf(args[np + *i as usize]);
        }
        let (head, args) = unapp(e);
        let args: Vec<Expr> = args.into_iter().cloned().collect();
        match head {
            Expr::Lam(_, _, body, _) if !args.is_empty() => {
                let reduced = instantiate1(body, &args[0]);
                self.whnf(&apps(reduced, args[1..].to_vec()))
            }
            // `Nat.succ` applications are values already.
            Expr::Const(n, _) if self.literal_shortcut && *n != name("Nat.succ") => {
                match nat::op(&n.to_string()).filter(|o| o.arity == args.len()) {
                    Some(op) => {
                        let vals: Vec<u128> = args.iter().map(|a| self.nat(a)).collect();
                        match op.value(&vals) {
                            Some(NatValue::Nat(v)) => lit(v),
                            Some(NatValue::Bool(b)) => bool_const(b),
                            None => panic!("{n} {vals:?} is beyond u128"),
                        }
                    }
                    None => self.unfold(head, n, args, e),
                }
            }
            Expr::Const(n, _) => self.unfold(head, n, args, e),
            _ => e.clone(),
        }
    }

    fn unfold(&self, head: &Expr, n: &Name, args: Vec<Expr>, e: &Expr) -> Expr {
        if let Some(value) = self.defs.get(n) {
            return self.whnf(&apps(value.clone(), args));
        }
        if let Some(r) = self.recs.get(n) {
            let before = (r.num_params + r.num_motives + r.num_minors + r.num_indices) as usize;
            if args.len() <= before {
                return e.clone();
            }
            let major = self.as_ctor(self.whnf(&args[before]));
            let (ctor, ctor_args) = unapp(&major);
            let Expr::Const(cn, _) = ctor else {
                panic!("{n}: major is not a constructor: {major:?}")
            };
            let rule = r
                .rules
                .iter()
                .find(|rule| rule.ctor == *cn)
                .unwrap_or_else(|| panic!("{n}: no rule for {cn}"));
            let np = self.ctors[cn].num_params as usize;
            let fields: Vec<Expr> = ctor_args[np..].iter().map(|x| (*x).clone()).collect();
            let mut all: Vec<Expr> =
                args[..(r.num_params + r.num_motives + r.num_minors) as usize].to_vec();
            all.extend(fields);
            all.extend(args[before + 1..].iter().cloned());
            return self.whnf(&apps(rule.rhs.clone(), all));
        }
        if *n == name("Quot.lift") && args.len() >= 6 {
            let q = self.whnf(&args[5]);
            let (mk, mk_args) = unapp(&q);
            assert_eq!(
                mk,
                &Expr::Const(name("Quot.mk"), vec![Level::Succ(Box::new(Level::Zero))])
            );
            let mut rest = vec![mk_args[2].clone()];
            rest.extend(args[6..].iter().cloned());
            return self.whnf(&apps(args[3].clone(), rest));
        }
        let _ = head;
        e.clone()
    }

    fn nat(&self, e: &Expr) -> u128 {
        match self.value(e) {
            Val::Nat(v) => v,
            other => panic!("not a numeral: {other:?}"),
        }
    }

    fn value(&self, e: &Expr) -> Val {
        let w = self.whnf(e);
        if let Expr::NatLit(v) = &w {
            return Val::Nat(v.parse().unwrap());
        }
        let (head, args) = unapp(&w);
        match head {
            Expr::Const(n, _) if *n == name("Nat.zero") => Val::Nat(0),
            Expr::Const(n, _) if *n == name("Nat.succ") => match self.value(args[0]) {
                Val::Nat(v) => Val::Nat(v + 1),
                other => panic!("succ of {other:?}"),
            },
            Expr::Const(n, _) if self.ctors.contains_key(n) => {
                let np = self.ctors[n].num_params as usize;
                Val::Ctor(
                    n.clone(),
                    args[np..].iter().map(|a| self.value(a)).collect(),
                )
            }
            _ => panic!("no value: {w:?}"),
        }
    }

    fn bool(&self, e: &Expr) -> bool {
        match self.value(e) {
            Val::Ctor(n, _) if n == name("Bool.true") => true,
            Val::Ctor(n, _) if n == name("Bool.false") => false,
            other => panic!("not a Bool: {other:?}"),
        }
    }
}

/// A string literal as the kernel's string extension expands it:
/// `String.ofList [Char.ofNat c, …]` over its code points.
fn string_literal(text: &str) -> Expr {
    let char_ = Expr::Const(name("Char"), vec![]);
    let list = |f: &str| apps(Expr::Const(name(f), vec![Level::Zero]), vec![char_.clone()]);
    let chars = text.chars().rev().fold(list("List.nil"), |tail, ch| {
        let of_nat = apps(
            Expr::Const(name("Char.ofNat"), vec![]),
            vec![lit(ch as u128)],
        );
        apps(list("List.cons"), vec![of_nat, tail])
    });
    apps(Expr::Const(name("String.ofList"), vec![]), vec![chars])
}

fn bool_const(b: bool) -> Expr {
    Expr::Const(name(if b { "Bool.true" } else { "Bool.false" }), vec![])
}

fn call(f: &str, a: u128, b: u128) -> Expr {
    apps(Expr::Const(name(f), vec![]), vec![lit(a), lit(b)])
}

/// The table's value of `f args` (every operand here is small).
fn table(f: &str, args: &[u128]) -> u128 {
    nat::nat(f, args).unwrap()
}

fn table_bool(f: &str, args: &[u128]) -> bool {
    match nat::op(f).unwrap().value(args) {
        Some(NatValue::Bool(b)) => b,
        other => panic!("{f}: {other:?}"),
    }
}

#[test]
fn nat_primitives_compute_what_the_literal_extension_computes() {
    let ev = Eval::new(&prelude(), false);
    for a in 0..7u128 {
        assert_eq!(
            ev.nat(&apps(Expr::Const(name("Nat.pred"), vec![]), vec![lit(a)])),
            table("Nat.pred", &[a])
        );
        for b in 0..7u128 {
            for (f, b) in [
                ("Nat.add", b),
                ("Nat.mul", b),
                ("Nat.sub", b),
                ("Nat.pow", b % 4),
                ("Nat.div", b),
                ("Nat.mod", b),
                ("Nat.shiftLeft", b % 3),
                ("Nat.shiftRight", b % 3),
            ] {
                assert_eq!(ev.nat(&call(f, a, b)), table(f, &[a, b]), "{f} {a} {b}");
            }
            for f in ["Nat.beq", "Nat.ble"] {
                assert_eq!(
                    ev.bool(&call(f, a, b)),
                    table_bool(f, &[a, b]),
                    "{f} {a} {b}"
                );
            }
        }
        let log2 = apps(Expr::Const(name("Nat.log2"), vec![]), vec![lit(a)]);
        assert_eq!(ev.nat(&log2), table("Nat.log2", &[a]), "log2 {a}");
    }
}

/// The fuel-driven definitions are slow to evaluate by unfolding: a
/// smaller square of operands.
#[test]
fn gcd_and_bitwise_compute_what_the_literal_extension_computes() {
    let ev = Eval::new(&prelude(), false);
    for a in 0..5u128 {
        for b in 0..5u128 {
            for f in ["Nat.gcd", "Nat.land", "Nat.lor", "Nat.xor"] {
                assert_eq!(ev.nat(&call(f, a, b)), table(f, &[a, b]), "{f} {a} {b}");
            }
        }
    }
}

#[test]
fn every_generated_fact_holds_by_evaluation() {
    let cfg = KernelGenConfig {
        ill_formed: IllFormedRates::none(),
        depth: 6,
        decls: 10,
    };
    let mut checked: HashMap<String, u32> = HashMap::new();
    for seed in 0..150 {
        let env = generate(seed, &cfg);
        let ev = Eval::new(&env.decls, true);
        for d in env.user_decls() {
            let Decl::Thm { name: thm, ty, .. } = d else {
                continue;
            };
            let (eq, args) = unapp(ty);
            assert!(
                matches!(eq, Expr::Const(n, _) if *n == name("Eq")),
                "{thm}: not an equation"
            );
            assert_eq!(
                ev.value(args[1]),
                ev.value(args[2]),
                "seed {seed}: {thm} does not hold"
            );
            let kind: String = thm
                .to_string()
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect();
            *checked.entry(kind).or_default() += 1;
        }
    }
    for kind in [
        "fact", "iota", "quot", "cmp", "let", "proj", "tree", "vec", "mut", "str",
    ] {
        assert!(
            checked.get(kind).copied().unwrap_or(0) >= 10,
            "{kind} facts checked: {checked:?}"
        );
    }
}

#[test]
fn a_wrong_nat_fact_does_not_hold_by_evaluation() {
    use generator::kernel::gen::IllFormed;
    let mut rates = IllFormedRates::none();
    rates.set(IllFormed::WrongNatFact, 1.0);
    let cfg = KernelGenConfig {
        ill_formed: rates,
        ..Default::default()
    };
    for seed in 0..30 {
        let env = generate(seed, &cfg);
        let ev = Eval::new(&env.decls, true);
        let Some(Decl::Thm { ty, .. }) = env.decls.last() else {
            panic!("seed {seed}: the ill-formed fact is last");
        };
        let (_, args) = unapp(ty);
        assert_ne!(ev.value(args[1]), ev.value(args[2]), "seed {seed}");
    }
}

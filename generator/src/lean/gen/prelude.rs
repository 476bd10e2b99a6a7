//! The `prelude` profile (bug classes 4 and 5): a file that starts with
//! `prelude`, imports only `Init.Prelude` and `Init.Core`, redefines
//! kernel-accelerated names `Init` would define later
//! ([`prelude_free`]: `Nat.gcd`, `Nat.land`, …) and states facts about
//! them.
//!
//! The kernel (and the elaborator's `Nat` reduction) compute these names on
//! literals by their *name*, so a fact at the kernel's value is accepted
//! even where the definition says otherwise (a *clash*, counted apart);
//! an unfolding lemma holds by the definition. Both are expected to be
//! accepted. A fact at the definition's value where it differs from the
//! kernel's is the profile's ill-formed construct (`badPrelude…`): a sound
//! toolchain rejects it. The shape follows comparator's `primitive_issue`
//! test project. Everything else in the program is the ordinary generator
//! restricted to what `Init.Prelude`/`Init.Core` provide (`Nat`, `Bool`,
//! notation, `decide`, `rfl`, `cases`).

use rand::Rng;

use super::{app, Gen};
use crate::kernel::nat::kernel_nat;
use crate::lean::ast::*;
use crate::lean::env::Global;
use crate::lean::eval::Evaluator;
use crate::lean::names::{is_prelude_free, prelude_free};
use crate::lean::stats::Family;
use crate::lean::types::Ty;

/// Literal arguments of facts: small ones and the boundaries where GMP
/// and machine-word code paths meet.
const BOUNDARY: &[u128] = &[
    (1 << 32) - 1,
    1 << 32,
    (1 << 63) - 1,
    1 << 63,
    (1 << 64) - 1,
    1 << 64,
];

impl<R: Rng> Gen<'_, R> {
    /// The declarations of a `prelude` program: a redefinition first, then
    /// redefinitions, facts about them and ordinary declarations.
    pub(super) fn prelude_decls(&mut self, n: usize) -> Vec<Decl> {
        let mut decls = vec![self.redefinition().expect("a free name at the start")];
        while decls.len() < n.max(2) {
            let free_left = self.free_names().len();
            let choice = self.weighted(&[(0, if free_left > 0 { 2 } else { 0 }), (1, 4), (2, 5)]);
            let d = match choice {
                0 => self.redefinition(),
                1 => self.prelude_fact(&decls),
                _ => None,
            };
            decls.push(d.unwrap_or_else(|| self.declaration()));
        }
        decls
    }

    /// The accelerated names not yet defined.
    fn free_names(&self) -> Vec<&'static str> {
        prelude_free()
            .filter(|f| !self.env.globals.iter().any(|g| g.name == *f))
            .collect()
    }

    /// `def Nat.gcd (a b : Nat) : Nat := e` with a generated body (height
    /// at most depth − 1, so its unfolding lemma fits the bound).
    fn redefinition(&mut self) -> Option<Decl> {
        let free = self.free_names();
        if free.is_empty() {
            return None;
        }
        self.hit(Family::PreludeRedef);
        let name = self.pick(&free).to_string();
        let params = vec![(self.fresh("x"), Ty::Nat), (self.fresh("x"), Ty::Nat)];
        let d = self.depth - 1;
        let body = self.scoped(params.clone(), |g| g.term(&Ty::Nat, d));
        let def = Def {
            kind: DefKind::Def,
            attrs: vec![],
            name: name.clone(),
            univ_params: vec![],
            binders: params
                .iter()
                .map(|(x, _)| Binder {
                    name: x.clone(),
                    ty: Term::Ident("Nat".into()),
                    kind: BinderKind::Explicit,
                })
                .collect(),
            ty: Term::Ident("Nat".into()),
            body: Body::Term(body),
        };
        self.env.globals.push(Global {
            name,
            tparams: vec![],
            params: vec![Ty::Nat, Ty::Nat],
            ret: Ty::Nat,
        });
        Some(Decl::Def(def))
    }

    /// A theorem about a redefined name: its unfolding (`rfl` by the
    /// definition) or a literal fact at the kernel's value.
    fn prelude_fact(&mut self, decls: &[Decl]) -> Option<Decl> {
        let redefs = redefinitions(decls);
        if redefs.is_empty() {
            return None;
        }
        let def = self.pick(&redefs);
        if self.coin(0.3) {
            return Some(self.unfold_lemma(&def));
        }
        let (a, b) = (self.fact_arg(), self.fact_arg());
        let Some(v_ker) = kernel_nat(&def.name, &[a, b]) else {
            return Some(self.unfold_lemma(&def));
        };
        self.hit(Family::PreludeLiteral);
        let v_def = Evaluator::new(decls).call(&def.name, &[a, b]);
        if v_def.is_some_and(|v| v != v_ker) {
            self.hit(Family::PreludeClash);
        }
        let proof = self.pick(&[
            Term::Ident("rfl".into()),
            Term::By(vec![Tactic::Decide]),
            Term::By(vec![Tactic::Rfl]),
        ]);
        let name = self.fresh("t");
        Some(literal_fact(name, &def.name, a, b, v_ker, proof))
    }

    /// `theorem t (a b : Nat) : Nat.gcd a b = <body> := rfl`.
    fn unfold_lemma(&mut self, def: &Def) -> Decl {
        self.hit(Family::PreludeUnfold);
        let Body::Term(body) = &def.body else {
            unreachable!("redefinitions have term bodies")
        };
        let args = def
            .binders
            .iter()
            .map(|b| Term::Ident(b.name.clone()))
            .collect();
        Decl::Def(Def {
            kind: DefKind::Theorem,
            attrs: vec![],
            name: self.fresh("t"),
            univ_params: vec![],
            binders: def.binders.clone(),
            ty: Term::BinOp(
                BinOp::Eq,
                Box::new(app(&def.name, args)),
                Box::new(body.clone()),
            ),
            body: Body::Term(Term::Ident("rfl".into())),
        })
    }

    fn fact_arg(&mut self) -> u128 {
        if self.coin(0.2) {
            self.pick(BOUNDARY)
        } else {
            self.below(13) as u128
        }
    }

    /// The profile's ill-formed construct: a literal fact at the value the
    /// definition gives where the kernel computes another (`None` when no
    /// redefinition disagrees with the kernel on the arguments tried).
    /// Also returns the first position it may be inserted at (after the
    /// redefinition it is about).
    pub(super) fn prelude_conflict(&mut self, decls: &[Decl]) -> Option<(Decl, usize)> {
        let redefs = redefinitions(decls);
        if redefs.is_empty() {
            return None;
        }
        let mut eval = Evaluator::new(decls);
        for _ in 0..8 {
            let def = self.pick(&redefs);
            let (a, b) = (self.fact_arg(), self.fact_arg());
            let Some(v_ker) = kernel_nat(&def.name, &[a, b]) else {
                continue;
            };
            let Some(v_def) = eval.call(&def.name, &[a, b]) else {
                continue;
            };
            if v_def != v_ker {
                self.hit(Family::IllFormed);
                let name = self.fresh("badPrelude");
                let proof = Term::Ident("rfl".into());
                let after = 1 + decls
                    .iter()
                    .position(|d| matches!(d, Decl::Def(x) if x.name == def.name))
                    .expect("a redefinition of the program");
                return Some((literal_fact(name, &def.name, a, b, v_def, proof), after));
            }
        }
        None
    }
}

/// The redefinitions of accelerated names among `decls`.
fn redefinitions(decls: &[Decl]) -> Vec<Def> {
    decls
        .iter()
        .filter_map(|d| match d {
            Decl::Def(def) if def.kind == DefKind::Def && is_prelude_free(&def.name) => {
                Some(def.clone())
            }
            _ => None,
        })
        .collect()
}

/// `theorem name : f a b = v := proof`.
fn literal_fact(name: Name, f: &str, a: u128, b: u128, v: u128, proof: Term) -> Decl {
    let lit = |n: u128| Term::NatLit(n.to_string());
    Decl::Def(Def {
        kind: DefKind::Theorem,
        attrs: vec![],
        name,
        univ_params: vec![],
        binders: vec![],
        ty: Term::BinOp(
            BinOp::Eq,
            Box::new(app(f, vec![lit(a), lit(b)])),
            Box::new(lit(v)),
        ),
        body: Body::Term(proof),
    })
}

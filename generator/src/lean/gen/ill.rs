//! The labelled family of deliberately ill-formed declarations (bug
//! classes 8–10: universes, inductive positivity, declaration kinds). Lean
//! must reject each; a build that accepts one is a red flag the validity
//! telemetry reports. They are never added to the scope, so nothing valid
//! depends on them.

use rand::Rng;

use super::{id, nat, Gen};
use crate::lean::ast::*;
use crate::lean::stats::Family;

impl<R: Rng> Gen<'_, R> {
    pub(super) fn ill_formed(&mut self) -> Decl {
        self.hit(Family::IllFormed);
        let u = || Level::Param("u".into());
        match self.below(4) {
            // A non-positive occurrence of the type in its own constructor.
            0 => {
                let name = self.env.fresh("Bad");
                let arg = Binder {
                    name: self.env.fresh("f"),
                    ty: Term::Arrow(Box::new(id(&name)), Box::new(id("Nat"))),
                    kind: BinderKind::Explicit,
                };
                Decl::Inductive(Inductive {
                    name,
                    univ_params: vec![],
                    params: vec![],
                    sort: Term::Sort(Level::Succ(Box::new(Level::Zero))),
                    ctors: vec![Ctor {
                        name: self.env.fresh("mk"),
                        args: vec![arg],
                        result: None,
                    }],
                    deriving: vec![],
                })
            }
            // `Sort u : Sort (u + 1)`, declared to live in `Sort u`.
            1 => Decl::Def(Def {
                kind: DefKind::Def,
                attrs: vec![],
                name: self.env.fresh("badSort"),
                univ_params: vec!["u".into()],
                binders: vec![],
                ty: Term::Sort(u()),
                body: Body::Term(Term::Sort(u())),
            }),
            // A theorem whose type is not a proposition.
            2 => Decl::Def(Def {
                kind: DefKind::Theorem,
                attrs: vec![],
                name: self.env.fresh("badThm"),
                univ_params: vec![],
                binders: vec![],
                ty: id("Nat"),
                body: Body::Term(nat(self.below(10) as u128)),
            }),
            // The same universe parameter twice.
            _ => Decl::Def(Def {
                kind: DefKind::Def,
                attrs: vec![],
                name: self.env.fresh("badLevels"),
                univ_params: vec!["u".into(), "u".into()],
                binders: vec![Binder {
                    name: "α".into(),
                    ty: Term::Sort(u()),
                    kind: BinderKind::Explicit,
                }],
                ty: Term::Sort(u()),
                body: Body::Term(id("α")),
            }),
        }
    }
}

//! The `hidden-axiom` family (comparator's `opaque_value` and
//! `simple_axiom_issue` test projects; class 1 of the target notes): an
//! `axiom` stating a true equation, and a declaration that hides it — an
//! `opaque` whose value is the axiom (`opaque o : P := ax`, as in
//! `tests/projects/opaque_value/Solution.lean`) or a theorem proved by it
//! (`tests/projects/simple_axiom_issue/Solution.lean`). Lean builds both;
//! the replay theorem mentions them, so comparator's axiom check
//! (`Comparator/Axioms.lean`, `checkAxioms`, at 19e111e) must refuse the
//! program before any kernel runs. Its acceptance is an
//! `unexpected-accept` (the program target's label oracle).

use rand::Rng;

use super::{bin, id, nat, Gen};
use crate::lean::ast::*;
use crate::lean::stats::Family;

/// The default share of `surface` and `meta` programs that get the family
/// (`--hidden-axiom-rate`): small, since a program with it never reaches
/// a kernel.
pub const HIDDEN_AXIOM_RATE: f64 = 0.04;

/// Whether `d` is one of the family's axioms.
pub fn is_hidden_axiom(d: &Decl) -> bool {
    matches!(d, Decl::Def(def) if def.kind == DefKind::Axiom)
}

impl<R: Rng> Gen<'_, R> {
    /// `axiom axN : a + b = c` and the declaration that hides it.
    pub(super) fn hidden_axiom(&mut self) -> Vec<Decl> {
        self.hit(Family::HiddenAxiom);
        let (a, b) = (self.below(100) as u128, self.below(100) as u128);
        let prop = bin(BinOp::Eq, bin(BinOp::Add, nat(a), nat(b)), nat(a + b));
        let ax = self.fresh("leanfuzzAx");
        let axiom = Decl::Def(Def {
            kind: DefKind::Axiom,
            attrs: vec![],
            name: ax.clone(),
            univ_params: vec![],
            binders: vec![],
            ty: prop.clone(),
            body: Body::Empty,
        });
        let (kind, prefix) = if self.coin(0.5) {
            (DefKind::Opaque, "o")
        } else {
            (DefKind::Theorem, "t")
        };
        let user = Decl::Def(Def {
            kind,
            attrs: vec![],
            name: self.fresh(prefix),
            univ_params: vec![],
            binders: vec![],
            ty: prop,
            body: Body::Term(id(&ax)),
        });
        vec![axiom, user]
    }
}

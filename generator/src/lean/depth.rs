//! The exact meaning of `--depth D`: every term and every type in a
//! generated program is a tree of height at most `D`, where
//! - identifiers, literals, `Sort`s and the empty list are leaves (height 1);
//! - every other node is 1 + the height of its tallest child term;
//! - a type ascription `(e : T)` has the height of `e`, and binder types,
//!   `let` types and ascribed types are separate type trees, each bounded by
//!   `D` on its own;
//! - match patterns are not counted (their variables are leaves);
//! - a tactic block `by t₁; t₂` is 1 + the tallest term inside its tactics
//!   (a tactic without a term counts as a leaf).

use super::ast::*;
use crate::kernel;

/// Height of a term tree (see the module documentation).
pub fn height(t: &Term) -> usize {
    let max = |ts: &mut dyn Iterator<Item = &Term>| ts.map(height).max().unwrap_or(0);
    match t {
        Term::Ident(_)
        | Term::IdentLevels(..)
        | Term::NatLit(_)
        | Term::StrLit(_)
        | Term::CharLit(_)
        | Term::Sort(_) => 1,
        Term::List(xs) if xs.is_empty() => 1,
        Term::Typed(e, _) => height(e),
        Term::App(f, args) => 1 + height(f).max(max(&mut args.iter())),
        Term::Lam(_, body) | Term::Pi(_, body) => 1 + height(body),
        Term::Arrow(a, b) => 1 + height(a).max(height(b)),
        Term::Let(_, _, v, body) => 1 + height(v).max(height(body)),
        Term::Match(scrut, arms) => {
            1 + max(&mut scrut.iter()).max(max(&mut arms.iter().map(|a| &a.rhs)))
        }
        Term::Anon(xs) | Term::Tuple(xs) | Term::List(xs) => 1 + max(&mut xs.iter()),
        Term::Proj(e, _) | Term::Not(e) | Term::BNot(e) => 1 + height(e),
        Term::Ite(c, a, b) => 1 + height(c).max(height(a)).max(height(b)),
        Term::BinOp(_, a, b) => 1 + height(a).max(height(b)),
        Term::By(tactics) => 1 + tactics.iter().map(tactic_height).max().unwrap_or(0),
    }
}

fn tactic_height(t: &Tactic) -> usize {
    match t {
        Tactic::Exact(e) => height(e),
        Tactic::CasesAll(_, t) | Tactic::InductionAll(_, t) => tactic_height(t),
        _ => 1,
    }
}

/// Every term and type tree of a declaration, for checking the bound.
pub fn trees(d: &Decl) -> Vec<&Term> {
    let mut out: Vec<&Term> = Vec::new();
    fn binders<'a>(bs: &'a [Binder], out: &mut Vec<&'a Term>) {
        out.extend(bs.iter().map(|b| &b.ty));
    }
    fn inductive<'a>(ind: &'a Inductive, out: &mut Vec<&'a Term>) {
        binders(&ind.params, out);
        out.push(&ind.sort);
        for c in &ind.ctors {
            binders(&c.args, out);
            out.extend(&c.result);
        }
    }
    match d {
        Decl::Universe(_) | Decl::SetOption(..) | Decl::AddDecl { .. } => {}
        Decl::Inductive(ind) => inductive(ind, &mut out),
        Decl::Mutual(inds) => inds.iter().for_each(|ind| inductive(ind, &mut out)),
        Decl::Structure(s) => {
            binders(&s.params, &mut out);
            out.extend(s.fields.iter().map(|(_, t)| t));
        }
        Decl::Def(def) => {
            binders(&def.binders, &mut out);
            out.push(&def.ty);
            match &def.body {
                Body::Term(t) => out.push(t),
                Body::Arms(arms) => out.extend(arms.iter().map(|a| &a.rhs)),
                Body::Empty => {}
            }
        }
    }
    let mut all = Vec::new();
    for t in out {
        collect_types(t, &mut all);
    }
    all
}

/// A term plus the type trees nested in it (binder, let and ascription types).
fn collect_types<'a>(t: &'a Term, out: &mut Vec<&'a Term>) {
    out.push(t);
    let mut nested: Vec<&'a Term> = Vec::new();
    match t {
        Term::Lam(bs, _) | Term::Pi(bs, _) => nested.extend(bs.iter().map(|b| &b.ty)),
        Term::Let(_, ty, _, _) | Term::Typed(_, ty) => nested.push(ty),
        _ => {}
    }
    for n in nested {
        collect_types(n, out);
    }
    for child in children(t) {
        let mut inner = Vec::new();
        collect_types(child, &mut inner);
        // The child itself is part of `t`'s tree; only its nested type
        // trees are separate.
        out.extend(inner.into_iter().skip(1));
    }
}

/// Direct sub-terms of a term (not binder or ascription types).
pub fn children(t: &Term) -> Vec<&Term> {
    match t {
        Term::App(f, args) => std::iter::once(&**f).chain(args.iter()).collect(),
        Term::Lam(_, b) | Term::Pi(_, b) => vec![b],
        Term::Arrow(a, b) | Term::BinOp(_, a, b) => vec![a, b],
        Term::Let(_, _, v, b) => vec![v, b],
        Term::Match(s, arms) => s.iter().chain(arms.iter().map(|a| &a.rhs)).collect(),
        Term::Anon(xs) | Term::Tuple(xs) | Term::List(xs) => xs.iter().collect(),
        Term::Proj(e, _) | Term::Not(e) | Term::BNot(e) | Term::Typed(e, _) => vec![e],
        Term::Ite(c, a, b) => vec![c, a, b],
        Term::By(ts) => ts.iter().filter_map(tactic_term).collect(),
        _ => vec![],
    }
}

fn tactic_term(t: &Tactic) -> Option<&Term> {
    match t {
        Tactic::Exact(e) => Some(e),
        Tactic::CasesAll(_, t) | Tactic::InductionAll(_, t) => tactic_term(t),
        _ => None,
    }
}

/// Height of a kernel expression: leaves are 1; every other node is 1 +
/// its tallest child (binder types included: kernel terms have no separate
/// type trees).
pub fn kheight(e: &kernel::Expr) -> usize {
    1 + kernel::expr::children(e)
        .into_iter()
        .map(kheight)
        .max()
        .unwrap_or(0)
}

/// The trees of a kernel declaration the meta profile adds.
fn kernel_trees(d: &Decl) -> Vec<&kernel::Expr> {
    match d {
        Decl::AddDecl { decl, .. } => kernel::edit::terms(decl),
        _ => vec![],
    }
}

/// The first tree of `p` taller than `depth`, rendered (for diagnostics),
/// looking at terms, types and kernel expressions alike.
pub fn over_bound(p: &Program, depth: usize) -> Option<String> {
    for d in &p.decls {
        if let Some(t) = trees(d).into_iter().find(|t| height(t) > depth) {
            return Some(super::render::render_term(t));
        }
        if let Some(e) = kernel_trees(d).into_iter().find(|e| kheight(e) > depth) {
            return Some(kernel::lean_source::expr(e));
        }
    }
    None
}

/// The tallest tree in a program (terms, types and kernel expressions).
pub fn program_height(p: &Program) -> usize {
    let terms = p.decls.iter().flat_map(trees).map(height);
    let kernel = p.decls.iter().flat_map(kernel_trees).map(kheight);
    terms.chain(kernel).max().unwrap_or(0)
}

/// Mutable direct sub-terms, in the same order as [`children`].
pub fn children_mut(t: &mut Term) -> Vec<&mut Term> {
    match t {
        Term::App(f, args) => std::iter::once(&mut **f).chain(args.iter_mut()).collect(),
        Term::Lam(_, b) | Term::Pi(_, b) => vec![b],
        Term::Arrow(a, b) | Term::BinOp(_, a, b) => vec![a, b],
        Term::Let(_, _, v, b) => vec![v, b],
        Term::Match(s, arms) => s
            .iter_mut()
            .chain(arms.iter_mut().map(|a| &mut a.rhs))
            .collect(),
        Term::Anon(xs) | Term::Tuple(xs) | Term::List(xs) => xs.iter_mut().collect(),
        Term::Proj(e, _) | Term::Not(e) | Term::BNot(e) | Term::Typed(e, _) => vec![e],
        Term::Ite(c, a, b) => vec![c, a, b],
        Term::By(ts) => ts.iter_mut().filter_map(tactic_term_mut).collect(),
        _ => vec![],
    }
}

fn tactic_term_mut(t: &mut Tactic) -> Option<&mut Term> {
    match t {
        Tactic::Exact(e) => Some(e),
        Tactic::CasesAll(_, t) | Tactic::InductionAll(_, t) => tactic_term_mut(t),
        _ => None,
    }
}

/// The node at `path` (child indices in [`children`] order).
pub fn at_path<'a>(t: &'a Term, path: &[usize]) -> &'a Term {
    path.iter().fold(t, |node, &i| children(node)[i])
}

/// The node at `path`, mutably.
pub fn at_path_mut<'a>(t: &'a mut Term, path: &[usize]) -> &'a mut Term {
    let mut node = t;
    for &i in path {
        node = children_mut(node).swap_remove(i);
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights() {
        let x = || Box::new(Term::Ident("x".into()));
        assert_eq!(height(&Term::Ident("x".into())), 1);
        assert_eq!(height(&Term::BinOp(BinOp::Add, x(), x())), 2);
        let typed = Term::Typed(Box::new(Term::BinOp(BinOp::Add, x(), x())), x());
        assert_eq!(height(&typed), 2);
        assert_eq!(height(&Term::List(vec![])), 1);
        assert_eq!(height(&Term::List(vec![Term::Ident("a".into())])), 2);
        assert_eq!(height(&Term::By(vec![Tactic::Decide])), 2);
    }

    #[test]
    fn kernel_heights() {
        use crate::kernel::{Expr, Name};
        let lit = || Box::new(Expr::NatLit("1".into()));
        assert_eq!(kheight(&lit()), 1);
        assert_eq!(kheight(&Expr::App(lit(), lit())), 2);
        let nat = Box::new(Expr::Const(Name::from_dotted("Nat"), vec![]));
        let body = Box::new(Expr::App(lit(), Box::new(Expr::BVar(0))));
        let let_ = Expr::LetE {
            name: Name::from_dotted("x"),
            ty: nat,
            value: lit(),
            body,
            nondep: false,
        };
        assert_eq!(kheight(&let_), 3);
        assert_eq!(
            kheight(&Expr::Proj(Name::from_dotted("Prod"), 0, Box::new(let_))),
            4
        );
    }
}

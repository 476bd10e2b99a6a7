//! Typed positions ("sites") in definition bodies: for each node whose
//! expected type is known from its context, the type, the locals in scope,
//! and how tall a replacement may be so the depth bound still holds.

use crate::kernel::nat;
use crate::lean::ast::*;
use crate::lean::depth::children;
use crate::lean::env::{Env, TypeShape};
use crate::lean::gen::terms::{cases_of, CaseHead};
use crate::lean::replay::parse_ty;
use crate::lean::types::Ty;

/// Where a body tree sits in its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `:= term`.
    Body,
    /// The right-hand side of equation arm `i`.
    Arm(usize),
}

/// One typed position.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: Root,
    /// Child indices (in [`children`] order) from the root to the node.
    pub path: Vec<usize>,
    pub ty: Ty,
    pub locals: Vec<(Name, Ty)>,
    /// Largest height a replacement may have.
    pub budget: usize,
}

/// Signatures of the `Init` functions the generator calls, by name, as a
/// function of the expected result type (the `Nat` operations' arities
/// from the [`nat`] table).
fn init_params(f: &str, expected: Option<&Ty>) -> Option<Vec<Option<Ty>>> {
    let nat = || Some(Ty::Nat);
    if let Some(op) = nat::op(f) {
        return Some(vec![nat(); op.arity]);
    }
    Some(match f {
        "toString" | "Char.ofNat" => vec![nat()],
        "String.length" => vec![Some(Ty::Str)],
        "String.push" => vec![Some(Ty::Str), Some(Ty::Char)],
        "List.length" | "decide" => vec![None],
        "List.reverse" => vec![expected.cloned()],
        "List.replicate" => match expected {
            Some(Ty::List(e)) => vec![nat(), Some((**e).clone())],
            _ => vec![nat(), None],
        },
        "some" => match expected {
            Some(Ty::Option(e)) => vec![Some((**e).clone())],
            _ => vec![None],
        },
        _ => return None,
    })
}

/// All sites of a definition's body trees. `env` is the scope before the
/// definition; `depth` the program's bound.
pub fn def_sites(def: &Def, env: &Env, depth: usize) -> Vec<Site> {
    let mut out = Vec::new();
    if matches!(def.kind, DefKind::Theorem | DefKind::Instance) {
        return out;
    }
    let tvars: Vec<Name> = def
        .binders
        .iter()
        .filter(|b| b.kind == BinderKind::Implicit)
        .map(|b| b.name.clone())
        .collect();
    let mut locals = Vec::new();
    for b in def
        .binders
        .iter()
        .filter(|b| b.kind == BinderKind::Explicit)
    {
        match parse_ty(&b.ty, env, &tvars) {
            Some(t) => locals.push((b.name.clone(), t)),
            None => return out,
        }
    }
    let Some(ty) = parse_ty(&def.ty, env, &tvars) else {
        return out;
    };
    let mut w = Walker {
        env,
        tvars: &tvars,
        out: &mut out,
        depth,
    };
    match &def.body {
        Body::Term(t) => w.walk(Root::Body, t, Some(ty), &locals, &mut vec![], 0),
        Body::Arms(arms) => {
            let Ty::Arrow(scrut, ret) = ty else {
                return out;
            };
            let Some(cases) = cases_of(env, &scrut) else {
                return out;
            };
            for (i, (arm, (_, tys))) in arms.iter().zip(cases).enumerate() {
                let mut l = locals.clone();
                l.extend(pattern_locals(&arm.pats, tys));
                w.walk(
                    Root::Arm(i),
                    &arm.rhs,
                    Some((*ret).clone()),
                    &l,
                    &mut vec![],
                    0,
                );
            }
        }
        Body::Empty => {}
    }
    out
}

/// Variables bound by a single-pattern arm, with their types.
fn pattern_locals(pats: &[Pattern], tys: Vec<Ty>) -> Vec<(Name, Ty)> {
    let mut names = Vec::new();
    pats.iter().for_each(|p| p.vars(&mut names));
    names.into_iter().zip(tys).collect()
}

/// A child's expected type (if known) and the locals it adds.
type ChildTyping = (Option<Ty>, Vec<(Name, Ty)>);

struct Walker<'a> {
    env: &'a Env,
    tvars: &'a [Name],
    out: &'a mut Vec<Site>,
    depth: usize,
}

impl Walker<'_> {
    /// Visits `t` at `path` whose tallest ancestors take `level` of the
    /// height budget.
    fn walk(
        &mut self,
        root: Root,
        t: &Term,
        expected: Option<Ty>,
        locals: &[(Name, Ty)],
        path: &mut Vec<usize>,
        level: usize,
    ) {
        if let Some(ty) = &expected {
            self.out.push(Site {
                root,
                path: path.clone(),
                ty: ty.clone(),
                locals: locals.to_vec(),
                budget: self.depth.saturating_sub(level),
            });
        }
        let kids = self.child_types(t, expected.as_ref(), locals);
        let step = usize::from(!matches!(t, Term::Typed(..)));
        for (i, (child, (cty, extra))) in children(t).into_iter().zip(kids).enumerate() {
            let mut l = locals.to_vec();
            l.extend(extra);
            path.push(i);
            self.walk(root, child, cty, &l, path, level + step);
            path.pop();
        }
    }

    /// Expected type and extra locals of each child, in [`children`] order.
    fn child_types(
        &self,
        t: &Term,
        expected: Option<&Ty>,
        locals: &[(Name, Ty)],
    ) -> Vec<ChildTyping> {
        let plain = |tys: Vec<Option<Ty>>| tys.into_iter().map(|t| (t, vec![])).collect();
        let n = children(t).len();
        let unknown = || (0..n).map(|_| (None, vec![])).collect();
        match t {
            Term::App(f, args) => {
                let Term::Ident(name) = &**f else {
                    return unknown();
                };
                let mut tys = vec![None];
                match self.arg_types(name, args.len(), expected, locals) {
                    Some(a) => tys.extend(a),
                    None => tys.extend((0..args.len()).map(|_| None)),
                }
                plain(tys)
            }
            Term::Lam(bs, _) => match expected {
                Some(Ty::Arrow(a, b)) if bs.len() == 1 => {
                    vec![(
                        Some((**b).clone()),
                        vec![(bs[0].name.clone(), (**a).clone())],
                    )]
                }
                _ => unknown(),
            },
            Term::Let(x, ty, _, _) => {
                let vt = parse_ty(ty, self.env, self.tvars);
                let mut extra = vec![];
                if let Some(v) = &vt {
                    extra.push((x.clone(), v.clone()));
                }
                if vt.is_none() {
                    return unknown();
                }
                vec![(vt, vec![]), (expected.cloned(), extra)]
            }
            Term::Match(scrut, arms) => {
                let mut kids: Vec<ChildTyping> = scrut.iter().map(|_| (None, vec![])).collect();
                // `fun | p => e …` matches its argument: `expected` is
                // `scrutinee → result`.
                let (sty, rty) = match (scrut.as_slice(), expected) {
                    ([], Some(Ty::Arrow(a, b))) => (Some((**a).clone()), Some((**b).clone())),
                    ([Term::Ident(x)], _) => (
                        locals
                            .iter()
                            .rev()
                            .find(|(n, _)| n == x)
                            .map(|(_, t)| t.clone()),
                        expected.cloned(),
                    ),
                    _ => (None, None),
                };
                let cases = sty.and_then(|s| cases_of(self.env, &s));
                for (i, arm) in arms.iter().enumerate() {
                    match &cases {
                        Some(c) if c.len() == arms.len() && matches_case(&arm.pats, &c[i].0) => {
                            kids.push((rty.clone(), pattern_locals(&arm.pats, c[i].1.clone())))
                        }
                        _ => kids.push((None, vec![])),
                    }
                }
                kids
            }
            Term::Ite(c, _, _) => {
                let cond = if matches!(**c, Term::BinOp(BinOp::Lt | BinOp::Le | BinOp::Eq, ..)) {
                    None
                } else {
                    Some(Ty::Bool)
                };
                plain(vec![cond, expected.cloned(), expected.cloned()])
            }
            Term::BinOp(op, a, _) => plain(match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                    vec![Some(Ty::Nat), Some(Ty::Nat)]
                }
                BinOp::Pow => vec![Some(Ty::Nat), None],
                BinOp::Lt | BinOp::Le | BinOp::Eq => vec![Some(Ty::Nat), Some(Ty::Nat)],
                BinOp::Append => vec![expected.cloned(), expected.cloned()],
                BinOp::Cons => match expected {
                    Some(Ty::List(e)) => vec![Some((**e).clone()), expected.cloned()],
                    _ => vec![None, None],
                },
                BinOp::BAnd | BinOp::BOr => vec![Some(Ty::Bool), Some(Ty::Bool)],
                _ => {
                    let _ = a;
                    vec![None, None]
                }
            }),
            Term::BNot(_) => plain(vec![Some(Ty::Bool)]),
            Term::Typed(_, ty) => plain(vec![parse_ty(ty, self.env, self.tvars)]),
            Term::Tuple(xs) => match expected {
                Some(Ty::Prod(a, b)) if xs.len() == 2 => {
                    plain(vec![Some((**a).clone()), Some((**b).clone())])
                }
                _ => unknown(),
            },
            Term::List(xs) => match expected {
                Some(Ty::List(e)) => plain(xs.iter().map(|_| Some((**e).clone())).collect()),
                _ => unknown(),
            },
            Term::Anon(xs) => match expected {
                Some(Ty::User(i, args)) => {
                    let u = &self.env.types[*i];
                    match &u.shape {
                        TypeShape::Structure { fields } if fields.len() == xs.len() => {
                            let tys: Vec<Ty> = fields.iter().map(|(_, t)| t.clone()).collect();
                            plain(u.instantiate(&tys, args).into_iter().map(Some).collect())
                        }
                        _ => unknown(),
                    }
                }
                _ => unknown(),
            },
            _ => unknown(),
        }
    }

    /// Argument types of a call of `name` with `n` arguments.
    fn arg_types(
        &self,
        name: &str,
        n: usize,
        expected: Option<&Ty>,
        locals: &[(Name, Ty)],
    ) -> Option<Vec<Option<Ty>>> {
        if let Some((_, t)) = locals.iter().rev().find(|(l, _)| l == name) {
            return match t {
                Ty::Arrow(a, _) if n == 1 => Some(vec![Some((**a).clone())]),
                _ => None,
            };
        }
        if let Some(g) = self.env.globals.iter().rev().find(|g| g.name == name) {
            if g.params.len() != n {
                return None;
            }
            return Some(match g.tparams.first() {
                None => g.params.iter().cloned().map(Some).collect(),
                Some(a) => {
                    let inst = match (expected, &g.ret) {
                        (Some(t), Ty::Var(v)) if v == a => Some(t.clone()),
                        _ => None,
                    };
                    g.params
                        .iter()
                        .map(|p| match &inst {
                            Some(t) => Some(p.subst(a, t)),
                            None if !p.has_var() => Some(p.clone()),
                            None => None,
                        })
                        .collect()
                }
            });
        }
        if let Some((tname, cname)) = name.rsplit_once('.') {
            if let Some(Ty::User(i, targs)) = expected {
                let u = &self.env.types[*i];
                if u.name == tname {
                    if let TypeShape::Inductive { ctors } = &u.shape {
                        let c = ctors.iter().find(|c| c.name == cname)?;
                        if c.args.len() == n {
                            return Some(
                                u.instantiate(&c.args, targs)
                                    .into_iter()
                                    .map(Some)
                                    .collect(),
                            );
                        }
                    }
                }
            }
        }
        init_params(name, expected).filter(|p| p.len() == n)
    }
}

/// Whether an arm's pattern is the case `head` (arms are in case order).
fn matches_case(pats: &[Pattern], head: &CaseHead) -> bool {
    match (pats, head) {
        ([Pattern::Ctor(c, _)], CaseHead::Ctor(h)) => c == h,
        ([Pattern::Nat(0)], CaseHead::Zero) => true,
        ([Pattern::Succ(_)], CaseHead::Succ) => true,
        ([Pattern::Nil], CaseHead::Nil) => true,
        ([Pattern::Cons(..)], CaseHead::Cons) => true,
        _ => false,
    }
}

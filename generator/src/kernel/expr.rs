//! Building kernel terms without de Bruijn arithmetic by hand: a binder is
//! opened by putting a *free variable* (a reserved constant) in place of its
//! bound variable, terms are built over free variables, and binders are
//! closed again by abstracting them. The way Lean's own kernel code builds
//! recursors.

use super::*;

/// The reserved first name part of free variables.
const FVAR: &str = "_fvar";

/// A local: a free variable with its binder name, type and binder info.
#[derive(Debug, Clone)]
pub struct Local {
    pub id: u64,
    pub name: Name,
    pub ty: Expr,
    pub info: BinderInfo,
}

impl Local {
    /// The local as a term.
    pub fn fvar(&self) -> Expr {
        fvar(self.id)
    }
}

/// Hands out fresh free-variable ids.
#[derive(Debug, Default)]
pub struct Fresh(u64);

impl Fresh {
    pub fn local(&mut self, name: Name, ty: Expr, info: BinderInfo) -> Local {
        self.0 += 1;
        Local {
            id: self.0,
            name,
            ty,
            info,
        }
    }
}

pub fn fvar(id: u64) -> Expr {
    Expr::Const(
        Name(vec![NamePart::Str(FVAR.into()), NamePart::Num(id)]),
        vec![],
    )
}

fn fvar_id(e: &Expr) -> Option<u64> {
    match e {
        Expr::Const(Name(parts), us) if us.is_empty() && parts.len() == 2 => {
            match (&parts[0], &parts[1]) {
                (NamePart::Str(s), NamePart::Num(id)) if s == FVAR => Some(*id),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a term still mentions a free variable (a bug in a builder).
pub fn has_fvar(e: &Expr) -> bool {
    fvar_id(e).is_some() || children(e).into_iter().any(has_fvar)
}

/// Whether a term has bound variables not bound inside it.
pub fn has_loose_bvars(e: &Expr) -> bool {
    fn go(e: &Expr, depth: u64) -> bool {
        match e {
            Expr::BVar(i) => *i >= depth,
            Expr::Lam(_, t, b, _) | Expr::ForallE(_, t, b, _) => go(t, depth) || go(b, depth + 1),
            Expr::LetE {
                ty, value, body, ..
            } => go(ty, depth) || go(value, depth) || go(body, depth + 1),
            _ => children(e).into_iter().any(|c| go(c, depth)),
        }
    }
    go(e, 0)
}

/// The direct subterms of `e`.
pub fn children(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::App(f, a) => vec![f, a],
        Expr::Lam(_, t, b, _) | Expr::ForallE(_, t, b, _) => vec![t, b],
        Expr::LetE {
            ty, value, body, ..
        } => vec![ty, value, body],
        Expr::Proj(_, _, s) => vec![s],
        Expr::MData(_, i) => vec![i],
        _ => vec![],
    }
}

/// Rebuilds `e` bottom-up, letting `f` replace any node first; `depth`
/// counts the binders crossed, so `f` knows which bound variables are
/// loose at that node.
pub fn replace(e: &Expr, depth: u64, f: &dyn Fn(&Expr, u64) -> Option<Expr>) -> Expr {
    if let Some(r) = f(e, depth) {
        return r;
    }
    let r = |x: &Expr, d: u64| Box::new(replace(x, d, f));
    match e {
        Expr::App(g, a) => Expr::App(r(g, depth), r(a, depth)),
        Expr::Lam(n, t, b, bi) => Expr::Lam(n.clone(), r(t, depth), r(b, depth + 1), *bi),
        Expr::ForallE(n, t, b, bi) => Expr::ForallE(n.clone(), r(t, depth), r(b, depth + 1), *bi),
        Expr::LetE {
            name,
            ty,
            value,
            body,
            nondep,
        } => Expr::LetE {
            name: name.clone(),
            ty: r(ty, depth),
            value: r(value, depth),
            body: r(body, depth + 1),
            nondep: *nondep,
        },
        Expr::Proj(n, i, s) => Expr::Proj(n.clone(), *i, r(s, depth)),
        Expr::MData(d, i) => Expr::MData(d.clone(), r(i, depth)),
        other => other.clone(),
    }
}

/// Replaces free variable `id` by the bound variable of the binder being
/// closed.
fn abstract1(e: &Expr, id: u64) -> Expr {
    replace(e, 0, &|x, depth| {
        (fvar_id(x) == Some(id)).then_some(Expr::BVar(depth))
    })
}

/// Replaces the bound variable of the binder being opened by `value`,
/// which has no loose bound variables.
pub fn instantiate1(e: &Expr, value: &Expr) -> Expr {
    replace(e, 0, &|x, depth| match x {
        Expr::BVar(i) if *i == depth => Some(value.clone()),
        Expr::BVar(i) if *i > depth => Some(Expr::BVar(i - 1)),
        _ => None,
    })
}

/// `∀ locals, body` with the locals abstracted.
pub fn pi(locals: &[Local], body: Expr) -> Expr {
    locals.iter().rev().fold(body, |acc, l| {
        Expr::ForallE(
            l.name.clone(),
            Box::new(l.ty.clone()),
            Box::new(abstract1(&acc, l.id)),
            l.info,
        )
    })
}

/// `fun locals => body` with the locals abstracted.
pub fn lam(locals: &[Local], body: Expr) -> Expr {
    locals.iter().rev().fold(body, |acc, l| {
        Expr::Lam(
            l.name.clone(),
            Box::new(l.ty.clone()),
            Box::new(abstract1(&acc, l.id)),
            l.info,
        )
    })
}

/// Opens up to `max` leading `∀` binders of `e` into fresh locals; returns
/// them and the rest.
pub fn open_pis(e: &Expr, max: usize, fresh: &mut Fresh) -> (Vec<Local>, Expr) {
    let mut locals = Vec::new();
    let mut cur = e.clone();
    while locals.len() < max {
        let Expr::ForallE(n, t, b, bi) = &cur else {
            break;
        };
        let l = fresh.local(n.clone(), (**t).clone(), *bi);
        let body = instantiate1(b, &l.fvar());
        locals.push(l);
        cur = body;
    }
    (locals, cur)
}

/// Replaces the leading `∀` binders of `e` by `args`, in order.
pub fn instantiate_pis(e: &Expr, args: &[Expr]) -> Expr {
    let mut cur = e.clone();
    for a in args {
        let Expr::ForallE(_, _, b, _) = &cur else {
            break;
        };
        cur = instantiate1(b, a);
    }
    cur
}

/// `f a1 … an`.
pub fn apps(f: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    args.into_iter()
        .fold(f, |acc, a| Expr::App(Box::new(acc), Box::new(a)))
}

/// The head and arguments of an application.
pub fn unapp(e: &Expr) -> (&Expr, Vec<&Expr>) {
    let mut args = Vec::new();
    let mut cur = e;
    while let Expr::App(f, a) = cur {
        args.push(&**a);
        cur = f;
    }
    args.reverse();
    (cur, args)
}

/// A constant with universe levels.
pub fn cnst(name: &Name, levels: &[Level]) -> Expr {
    Expr::Const(name.clone(), levels.to_vec())
}

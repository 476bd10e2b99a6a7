//! The semantic types the generator reasons with: what a term must have so
//! that it fits where it is placed. Rendered to Lean type syntax on demand.

use super::ast::{Name, Term};
use super::env::Env;

/// A type of generated terms (all live in `Type`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    Nat,
    Bool,
    Str,
    Char,
    List(Box<Ty>),
    Option(Box<Ty>),
    Prod(Box<Ty>, Box<Ty>),
    Arrow(Box<Ty>, Box<Ty>),
    /// A user inductive or structure (index into [`Env::types`]) applied
    /// to its type arguments.
    User(usize, Vec<Ty>),
    /// A type variable of a polymorphic definition; opaque inside its body.
    Var(Name),
}

impl Ty {
    pub fn list(t: Ty) -> Ty {
        Ty::List(Box::new(t))
    }
    pub fn option(t: Ty) -> Ty {
        Ty::Option(Box::new(t))
    }
    pub fn prod(a: Ty, b: Ty) -> Ty {
        Ty::Prod(Box::new(a), Box::new(b))
    }
    pub fn arrow(a: Ty, b: Ty) -> Ty {
        Ty::Arrow(Box::new(a), Box::new(b))
    }

    /// Lean syntax for the type.
    pub fn to_term(&self, env: &Env) -> Term {
        let id = |s: &str| Term::Ident(s.into());
        let app = |f: &str, args: Vec<Term>| Term::App(Box::new(id(f)), args);
        match self {
            Ty::Nat => id("Nat"),
            Ty::Bool => id("Bool"),
            Ty::Str => id("String"),
            Ty::Char => id("Char"),
            Ty::List(t) => app("List", vec![t.to_term(env)]),
            Ty::Option(t) => app("Option", vec![t.to_term(env)]),
            Ty::Prod(a, b) => app("Prod", vec![a.to_term(env), b.to_term(env)]),
            Ty::Arrow(a, b) => Term::Arrow(Box::new(a.to_term(env)), Box::new(b.to_term(env))),
            Ty::User(i, args) if args.is_empty() => id(&env.types[*i].name),
            Ty::User(i, args) => app(
                &env.types[*i].name,
                args.iter().map(|a| a.to_term(env)).collect(),
            ),
            Ty::Var(v) => Term::Ident(v.clone()),
        }
    }

    /// Whether the type mentions a type variable.
    pub fn has_var(&self) -> bool {
        match self {
            Ty::Var(_) => true,
            Ty::List(t) | Ty::Option(t) => t.has_var(),
            Ty::Prod(a, b) | Ty::Arrow(a, b) => a.has_var() || b.has_var(),
            Ty::User(_, args) => args.iter().any(Ty::has_var),
            _ => false,
        }
    }

    /// Replaces type variable `v` by `by_ty`.
    pub fn subst(&self, v: &str, by_ty: &Ty) -> Ty {
        match self {
            Ty::Var(x) if x == v => by_ty.clone(),
            Ty::List(t) => Ty::list(t.subst(v, by_ty)),
            Ty::Option(t) => Ty::option(t.subst(v, by_ty)),
            Ty::Prod(a, b) => Ty::prod(a.subst(v, by_ty), b.subst(v, by_ty)),
            Ty::Arrow(a, b) => Ty::arrow(a.subst(v, by_ty), b.subst(v, by_ty)),
            Ty::User(i, args) => Ty::User(*i, args.iter().map(|a| a.subst(v, by_ty)).collect()),
            t => t.clone(),
        }
    }

    /// Height of the type's syntax tree (leaves are 1).
    pub fn height(&self) -> usize {
        match self {
            Ty::List(t) | Ty::Option(t) => 1 + t.height(),
            Ty::Prod(a, b) | Ty::Arrow(a, b) => 1 + a.height().max(b.height()),
            Ty::User(_, args) => 1 + args.iter().map(Ty::height).max().unwrap_or(0),
            _ => 1,
        }
    }

    /// Whether `==` and `decide (a = b)` work: a `DecidableEq` instance
    /// exists (derived for user types that allow it).
    pub fn decidable_eq(&self, env: &Env) -> bool {
        match self {
            Ty::Nat | Ty::Bool | Ty::Str | Ty::Char => true,
            Ty::List(t) | Ty::Option(t) => t.decidable_eq(env),
            Ty::Prod(a, b) => a.decidable_eq(env) && b.decidable_eq(env),
            Ty::User(i, args) => {
                env.types[*i].decidable_eq && args.iter().all(|a| a.decidable_eq(env))
            }
            Ty::Arrow(..) | Ty::Var(_) => false,
        }
    }
}

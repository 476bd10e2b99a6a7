//! Checks that can be proven without Lean: every identifier is declared
//! before use (or is a documented `Init` name), every universe level
//! parameter is bound, and no declared name is a keyword. Used by the tests
//! of the generator and of every mutation.

use std::collections::HashSet;

use super::ast::*;
use super::names::{init_scope, is_plain_ident};
use crate::kernel::{self, expr::has_loose_bvars};

/// Scope while walking a program.
struct Scope {
    globals: HashSet<String>,
    fields: HashSet<String>,
    universes: HashSet<String>,
}

/// `Ok` when the program is well-scoped; otherwise the first problem.
pub fn check_program(p: &Program) -> Result<(), String> {
    // A `prelude` file sees only `Init.Prelude` and `Init.Core`.
    let mut s = Scope {
        globals: init_scope(p.profile == Profile::Prelude)
            .map(str::to_string)
            .collect(),
        fields: HashSet::new(),
        universes: HashSet::new(),
    };
    for (i, d) in p.decls.iter().enumerate() {
        s.decl(d).map_err(|e| format!("declaration {i}: {e}"))?;
        // Deliberately ill-formed kernel terms may hold loose bound
        // variables; every other kernel term must be closed.
        if let Decl::AddDecl { decl, .. } = d {
            if !super::families::is_ill_formed(d)
                && kernel::edit::terms(decl).into_iter().any(has_loose_bvars)
            {
                return Err(format!("declaration {i}: loose bound variable"));
            }
        }
    }
    Ok(())
}

fn declare(name: &str) -> Result<(), String> {
    if name.split('.').all(is_plain_ident) {
        Ok(())
    } else {
        Err(format!(
            "name {name:?} is a keyword or not a plain identifier"
        ))
    }
}

impl Scope {
    fn decl(&mut self, d: &Decl) -> Result<(), String> {
        match d {
            Decl::Universe(us) => {
                for u in us {
                    declare(u)?;
                    self.universes.insert(u.clone());
                }
            }
            Decl::SetOption(..) => {}
            Decl::Inductive(ind) => self.inductives(std::slice::from_ref(ind))?,
            Decl::Mutual(inds) => self.inductives(inds)?,
            Decl::Structure(st) => {
                declare(&st.name)?;
                let univs = self.universes.clone();
                let mut locals = Vec::new();
                self.binders(&st.params, &mut locals, &univs)?;
                for (f, t) in &st.fields {
                    declare(f)?;
                    self.term(t, &locals, &univs)?;
                    self.fields.insert(f.clone());
                    self.globals.insert(format!("{}.{}", st.name, f));
                }
                self.globals.insert(st.name.clone());
            }
            Decl::AddDecl { decl, .. } => {
                let univs: HashSet<String> =
                    decl.level_params().iter().map(|u| u.to_string()).collect();
                for e in kernel::edit::terms(decl) {
                    self.kexpr(e, &univs)?;
                }
                for n in decl.names() {
                    declare(&n.to_string())?;
                    self.globals.insert(n.to_string());
                }
            }
            Decl::Def(def) => {
                if !def.name.is_empty() {
                    declare(&def.name)?;
                }
                for a in &def.attrs {
                    if let Attr::ImplementedBy(f) = a {
                        self.name(f, &[])?;
                    }
                }
                let univs = self.with_univs(&def.univ_params);
                let mut locals = Vec::new();
                self.binders(&def.binders, &mut locals, &univs)?;
                self.term(&def.ty, &locals, &univs)?;
                match &def.body {
                    Body::Term(t) => self.term(t, &locals, &univs)?,
                    Body::Arms(arms) => {
                        for a in arms {
                            self.arm(a, &locals, &univs)?;
                        }
                    }
                    Body::Empty => {}
                }
                if !def.name.is_empty() {
                    self.globals.insert(def.name.clone());
                }
            }
        }
        Ok(())
    }

    /// Inductive types declared together (one, or a `mutual` block): every
    /// type name is in scope in every constructor.
    fn inductives(&mut self, inds: &[Inductive]) -> Result<(), String> {
        for ind in inds {
            declare(&ind.name)?;
            self.globals.insert(ind.name.clone());
        }
        for ind in inds {
            let univs = self.with_univs(&ind.univ_params);
            let mut locals = Vec::new();
            self.binders(&ind.params, &mut locals, &univs)?;
            self.term(&ind.sort, &locals, &univs)?;
            for c in &ind.ctors {
                declare(&c.name)?;
                let mut l = locals.clone();
                self.binders(&c.args, &mut l, &univs)?;
                if let Some(r) = &c.result {
                    self.term(r, &l, &univs)?;
                }
            }
        }
        for ind in inds {
            for c in &ind.ctors {
                self.globals.insert(format!("{}.{}", ind.name, c.name));
            }
        }
        Ok(())
    }

    fn kexpr(&self, e: &kernel::Expr, univs: &HashSet<String>) -> Result<(), String> {
        match e {
            kernel::Expr::Const(n, ls) => {
                self.name(&n.to_string(), &[])?;
                ls.iter().try_for_each(|l| self.klevel(l, univs))
            }
            kernel::Expr::Sort(l) => self.klevel(l, univs),
            kernel::Expr::Proj(s, _, x) => {
                self.name(&s.to_string(), &[])?;
                self.kexpr(x, univs)
            }
            _ => kernel::expr::children(e)
                .into_iter()
                .try_for_each(|c| self.kexpr(c, univs)),
        }
    }

    fn klevel(&self, l: &kernel::Level, univs: &HashSet<String>) -> Result<(), String> {
        match l {
            kernel::Level::Zero => Ok(()),
            kernel::Level::Succ(a) => self.klevel(a, univs),
            kernel::Level::Max(a, b) | kernel::Level::IMax(a, b) => {
                self.klevel(a, univs)?;
                self.klevel(b, univs)
            }
            kernel::Level::Param(u) if univs.contains(&u.to_string()) => Ok(()),
            kernel::Level::Param(u) => Err(format!("universe {u} is not declared")),
        }
    }

    fn with_univs(&self, own: &[Name]) -> HashSet<String> {
        let mut u = self.universes.clone();
        u.extend(own.iter().cloned());
        u
    }

    fn binders(
        &self,
        bs: &[Binder],
        locals: &mut Vec<String>,
        univs: &HashSet<String>,
    ) -> Result<(), String> {
        for b in bs {
            self.term(&b.ty, locals, univs)?;
            if b.name != "_" && !b.name.is_empty() {
                declare(&b.name)?;
                locals.push(b.name.clone());
            }
        }
        Ok(())
    }

    fn name(&self, n: &str, locals: &[String]) -> Result<(), String> {
        if locals.iter().any(|l| l == n) || self.globals.contains(n) {
            Ok(())
        } else {
            Err(format!("{n} is used before it is declared"))
        }
    }

    fn level(&self, l: &Level, univs: &HashSet<String>) -> Result<(), String> {
        match l {
            Level::Zero => Ok(()),
            Level::Succ(a) => self.level(a, univs),
            Level::Max(a, b) | Level::IMax(a, b) => {
                self.level(a, univs)?;
                self.level(b, univs)
            }
            Level::Param(u) if univs.contains(u) => Ok(()),
            Level::Param(u) => Err(format!("universe {u} is not declared")),
        }
    }

    fn term(&self, t: &Term, locals: &[String], univs: &HashSet<String>) -> Result<(), String> {
        let go = |t: &Term| self.term(t, locals, univs);
        match t {
            Term::Ident(n) => self.name(n, locals),
            Term::IdentLevels(n, ls) => {
                self.name(n, locals)?;
                ls.iter().try_for_each(|l| self.level(l, univs))
            }
            Term::Sort(l) => self.level(l, univs),
            Term::NatLit(_) | Term::StrLit(_) | Term::CharLit(_) => Ok(()),
            Term::App(f, args) => {
                go(f)?;
                args.iter().try_for_each(go)
            }
            Term::Lam(bs, body) | Term::Pi(bs, body) => {
                let mut l = locals.to_vec();
                self.binders(bs, &mut l, univs)?;
                self.term(body, &l, univs)
            }
            Term::Arrow(a, b) | Term::BinOp(_, a, b) => {
                go(a)?;
                go(b)
            }
            Term::Let(x, ty, v, body) => {
                go(ty)?;
                go(v)?;
                declare(x)?;
                let mut l = locals.to_vec();
                l.push(x.clone());
                self.term(body, &l, univs)
            }
            Term::Match(scrut, arms) => {
                scrut.iter().try_for_each(go)?;
                arms.iter().try_for_each(|a| self.arm(a, locals, univs))
            }
            Term::Anon(xs) | Term::Tuple(xs) | Term::List(xs) => xs.iter().try_for_each(go),
            Term::Proj(e, f) => {
                go(e)?;
                if f == "1" || f == "2" || self.fields.contains(f) {
                    Ok(())
                } else {
                    Err(format!("projection .{f} names no declared field"))
                }
            }
            Term::Ite(c, a, b) => {
                go(c)?;
                go(a)?;
                go(b)
            }
            Term::Not(e) | Term::BNot(e) => go(e),
            Term::Typed(e, ty) => {
                go(e)?;
                go(ty)
            }
            Term::By(tactics) => tactics
                .iter()
                .try_for_each(|t| self.tactic(t, locals, univs)),
        }
    }

    fn tactic(&self, t: &Tactic, locals: &[String], univs: &HashSet<String>) -> Result<(), String> {
        match t {
            Tactic::Exact(e) => self.term(e, locals, univs),
            Tactic::Simp(lemmas) => lemmas.iter().try_for_each(|n| self.name(n, locals)),
            Tactic::CasesAll(x, then) | Tactic::InductionAll(x, then) => {
                if !locals.contains(x) {
                    return Err(format!("tactic names {x}, which is not a local"));
                }
                self.tactic(then, locals, univs)
            }
            _ => Ok(()),
        }
    }

    fn arm(&self, a: &Arm, locals: &[String], univs: &HashSet<String>) -> Result<(), String> {
        let mut l = locals.to_vec();
        for p in &a.pats {
            self.pattern(p, &mut l)?;
        }
        self.term(&a.rhs, &l, univs)
    }

    fn pattern(&self, p: &Pattern, locals: &mut Vec<String>) -> Result<(), String> {
        match p {
            Pattern::Var(v) => {
                declare(v)?;
                locals.push(v.clone());
                Ok(())
            }
            Pattern::Ctor(c, args) => {
                if !self.globals.contains(c) {
                    return Err(format!("pattern constructor {c} is not declared"));
                }
                args.iter().try_for_each(|a| self.pattern(a, locals))
            }
            Pattern::Succ(inner) => self.pattern(inner, locals),
            Pattern::Cons(h, t) => {
                self.pattern(h, locals)?;
                self.pattern(t, locals)
            }
            Pattern::Wild | Pattern::Nat(_) | Pattern::Nil => Ok(()),
        }
    }
}

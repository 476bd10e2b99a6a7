//! Mutations of generated programs that keep them well-scoped, well-typed
//! (by the generator's typing) and within the depth bound: regenerate a
//! subtree at its type, splice a same-typed subtree from another program
//! (repairing references that are not in scope), move literals toward
//! boundary values, insert/delete/duplicate/swap declarations while
//! dependencies hold, and toggle attributes and options.
//!
//! Theorem statements and proofs are never rewritten inside (their truth
//! depends on their exact shape); they move only as whole declarations.

pub mod sites;

use rand::Rng;
use std::collections::HashSet;

use super::ast::*;
use super::depth::{at_path, at_path_mut, children, height};
use super::gen::Gen;
use super::hygiene::check_program;
use super::names::is_init_name;
use super::replay::{register, replay};
use sites::{def_sites, Root, Site};

/// A kind of mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutation {
    Regenerate,
    Splice,
    Literal,
    InsertDecl,
    DeleteDecl,
    DuplicateDecl,
    SwapDecls,
    ToggleAttr,
    ToggleOption,
}

impl Mutation {
    pub const ALL: &'static [Mutation] = &[
        Mutation::Regenerate,
        Mutation::Splice,
        Mutation::Literal,
        Mutation::InsertDecl,
        Mutation::DeleteDecl,
        Mutation::DuplicateDecl,
        Mutation::SwapDecls,
        Mutation::ToggleAttr,
        Mutation::ToggleOption,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mutation::Regenerate => "regenerate-subtree",
            Mutation::Splice => "splice-subtree",
            Mutation::Literal => "literal-boundary",
            Mutation::InsertDecl => "insert-decl",
            Mutation::DeleteDecl => "delete-decl",
            Mutation::DuplicateDecl => "duplicate-decl",
            Mutation::SwapDecls => "swap-decls",
            Mutation::ToggleAttr => "toggle-attr",
            Mutation::ToggleOption => "toggle-option",
        }
    }
}

/// Applies `m` to `p` at depth bound `depth`. Returns whether `p` changed;
/// when the mutation does not apply, `p` is left as it was. `donor` is the
/// program splices take subtrees from.
pub fn mutate<R: Rng>(
    p: &mut Program,
    m: Mutation,
    rng: &mut R,
    depth: usize,
    donor: Option<&Program>,
) -> bool {
    match m {
        Mutation::Regenerate => regenerate(p, rng, depth, |_| true),
        Mutation::Literal => regenerate_literal(p, rng, depth),
        // A prelude file cannot take pieces that use the rest of `Init`.
        Mutation::Splice => donor.is_some_and(|d| {
            (p.profile != Profile::Prelude || d.profile == Profile::Prelude)
                && splice(p, d, rng, depth)
        }),
        Mutation::InsertDecl => insert_decl(p, rng, depth),
        Mutation::DeleteDecl => retry(p, rng, |p, rng| {
            if p.decls.len() <= 1 {
                return false;
            }
            let i = rng.random_range(0..p.decls.len());
            p.decls.remove(i);
            true
        }),
        Mutation::DuplicateDecl => duplicate_decl(p, rng, depth),
        Mutation::SwapDecls => retry(p, rng, |p, rng| {
            if p.decls.len() < 2 {
                return false;
            }
            let i = rng.random_range(0..p.decls.len() - 1);
            p.decls.swap(i, i + 1);
            true
        }),
        Mutation::ToggleAttr => toggle_attr(p, rng),
        Mutation::ToggleOption => toggle_option(p, rng, depth),
    }
}

/// Tries a structural edit a few times, keeping it only when the program
/// stays well-scoped (dependencies respected).
fn retry<R: Rng>(
    p: &mut Program,
    rng: &mut R,
    edit: impl Fn(&mut Program, &mut R) -> bool,
) -> bool {
    for _ in 0..8 {
        let mut q = p.clone();
        if edit(&mut q, rng) && check_program(&q).is_ok() {
            *p = q;
            return true;
        }
    }
    false
}

/// The body tree a site lives in.
fn root_mut(def: &mut Def, root: Root) -> &mut Term {
    match (&mut def.body, root) {
        (Body::Term(t), Root::Body) => t,
        (Body::Arms(arms), Root::Arm(i)) => &mut arms[i].rhs,
        _ => unreachable!("sites come from this body"),
    }
}

fn root_ref(def: &Def, root: Root) -> &Term {
    match (&def.body, root) {
        (Body::Term(t), Root::Body) => t,
        (Body::Arms(arms), Root::Arm(i)) => &arms[i].rhs,
        _ => unreachable!("sites come from this body"),
    }
}

/// Smaller versions of `p` for a reducer, each differing from it in one
/// place: a subtree of a definition replaced by a leaf of its type (what
/// the generator writes there with a height budget of 1: a literal, a
/// variable, a constant), or a numeral replaced by `0`. In order of the
/// sites; the same program always gives the same list.
pub fn smaller_variants(p: &Program, depth: usize) -> Vec<Program> {
    use rand::SeedableRng;
    let mut out = Vec::new();
    for (k, (i, site)) in all_sites(p, depth).into_iter().enumerate() {
        let Decl::Def(def) = &p.decls[i] else {
            continue;
        };
        let node = at_path(root_ref(def, site.root), &site.path);
        let smaller = match node {
            Term::NatLit(n) if n != "0" => Term::NatLit("0".into()),
            _ if height(node) >= 2 => {
                let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(k as u64);
                let env = replay(&p.decls[..i], &p.decls);
                let leaf = Gen::resume(&mut rng, depth, env, p.profile).term_in(
                    &site.ty,
                    site.locals.clone(),
                    1,
                );
                if height(&leaf) >= height(node) {
                    continue;
                }
                leaf
            }
            _ => continue,
        };
        let mut q = p.clone();
        *site_mut(&mut q, i, &site) = smaller;
        out.push(q);
    }
    out
}

/// Sites of every definition, with the declaration index.
fn all_sites(p: &Program, depth: usize) -> Vec<(usize, Site)> {
    let mut out = Vec::new();
    let mut env = super::env::Env::default();
    for (i, d) in p.decls.iter().enumerate() {
        if let Decl::Def(def) = d {
            out.extend(def_sites(def, &env, depth).into_iter().map(|s| (i, s)));
        }
        register(&mut env, d);
    }
    out
}

/// A random site whose node `keep` accepts, with its declaration index,
/// and a generator resumed in the scope before that declaration.
fn pick_site<'r, R: Rng>(
    p: &Program,
    rng: &'r mut R,
    depth: usize,
    keep: impl Fn(&Term) -> bool,
) -> Option<(usize, Site, Gen<'r, R>)> {
    let sites: Vec<(usize, Site)> = all_sites(p, depth)
        .into_iter()
        .filter(|(i, s)| {
            let Decl::Def(def) = &p.decls[*i] else {
                return false;
            };
            keep(at_path(root_ref(def, s.root), &s.path))
        })
        .collect();
    if sites.is_empty() {
        return None;
    }
    let (i, site) = sites[rng.random_range(0..sites.len())].clone();
    let env = replay(&p.decls[..i], &p.decls);
    Some((i, site, Gen::resume(rng, depth, env, p.profile)))
}

/// The node a site names, mutably.
fn site_mut<'a>(p: &'a mut Program, i: usize, site: &Site) -> &'a mut Term {
    let Decl::Def(def) = &mut p.decls[i] else {
        unreachable!("sites are in definitions")
    };
    at_path_mut(root_mut(def, site.root), &site.path)
}

/// Regenerates the subtree at a random site accepted by `keep`.
fn regenerate<R: Rng>(
    p: &mut Program,
    rng: &mut R,
    depth: usize,
    keep: impl Fn(&Term) -> bool,
) -> bool {
    let Some((i, site, mut g)) = pick_site(p, rng, depth, keep) else {
        return false;
    };
    let new = g.term_in(&site.ty, site.locals.clone(), site.budget);
    *site_mut(p, i, &site) = new;
    true
}

/// Replaces a literal in a definition body by one of the same kind, biased
/// to boundary values (0, 1, 2^32, 2^64, huge numerals).
fn regenerate_literal<R: Rng>(p: &mut Program, rng: &mut R, depth: usize) -> bool {
    let is_lit = |t: &Term| matches!(t, Term::NatLit(_) | Term::StrLit(_) | Term::CharLit(_));
    let Some((i, site, mut g)) = pick_site(p, rng, depth, is_lit) else {
        return false;
    };
    let node = site_mut(p, i, &site);
    match g.literal_like(node) {
        Some(new) => {
            *node = new;
            true
        }
        None => false,
    }
}

/// Whether a type's meaning is the same in every program (no user types,
/// no type variables), so a subtree of it can move between programs.
fn portable(t: &super::types::Ty) -> bool {
    use super::types::Ty;
    match t {
        Ty::Nat | Ty::Bool | Ty::Str | Ty::Char => true,
        Ty::List(e) | Ty::Option(e) => portable(e),
        Ty::Prod(a, b) | Ty::Arrow(a, b) => portable(a) && portable(b),
        Ty::User(..) | Ty::Var(_) => false,
    }
}

/// Splices a subtree of `donor` into `p` at a site of the same (portable)
/// type whose budget fits it; then every part of it that refers to a name
/// not bound inside the subtree (the donor's locals, globals and types) is
/// regenerated in `p`'s scope.
fn splice<R: Rng>(p: &mut Program, donor: &Program, rng: &mut R, depth: usize) -> bool {
    let donor_sites: Vec<(Term, super::types::Ty)> = all_sites(donor, depth)
        .into_iter()
        .filter(|(_, s)| portable(&s.ty))
        .map(|(i, s)| {
            let Decl::Def(def) = &donor.decls[i] else {
                unreachable!()
            };
            (at_path(root_ref(def, s.root), &s.path).clone(), s.ty)
        })
        .collect();
    // Prefer pieces with structure: most sites are leaves.
    let tall: Vec<&(Term, super::types::Ty)> =
        donor_sites.iter().filter(|(t, _)| height(t) >= 2).collect();
    let (piece, ty) = if !tall.is_empty() && rng.random_bool(0.8) {
        tall[rng.random_range(0..tall.len())].clone()
    } else if !donor_sites.is_empty() {
        donor_sites[rng.random_range(0..donor_sites.len())].clone()
    } else {
        return false;
    };
    let h = height(&piece);
    let targets: Vec<(usize, Site)> = all_sites(p, depth)
        .into_iter()
        .filter(|(_, s)| s.ty == ty && s.budget >= h)
        .collect();
    if targets.is_empty() {
        return false;
    }
    let (i, site) = targets[rng.random_range(0..targets.len())].clone();
    let env = replay(&p.decls[..i], &p.decls);
    let mut g = Gen::resume(rng, depth, env.clone(), p.profile);
    let piece = rename_bound(piece, &mut g);
    *site_mut(p, i, &site) = piece;
    repair(p, i, &site, &env, &mut g, depth);
    true
}

/// Gives every name bound inside `t` a fresh name of the recipient.
fn rename_bound<R: Rng>(mut t: Term, g: &mut Gen<'_, R>) -> Term {
    let mut bound = Vec::new();
    collect_bound(&t, &mut bound);
    for old in bound {
        let new = g.fresh("r");
        rename(&mut t, &old, &new);
    }
    t
}

fn collect_bound(t: &Term, out: &mut Vec<Name>) {
    match t {
        Term::Lam(bs, _) => out.extend(bs.iter().map(|b| b.name.clone()).filter(|n| n != "_")),
        Term::Let(x, ..) => out.push(x.clone()),
        Term::Match(_, arms) => {
            for a in arms {
                for p in &a.pats {
                    p.vars(out);
                }
            }
        }
        _ => {}
    }
    for c in children(t) {
        collect_bound(c, out);
    }
}

/// Renames binders and uses of `old` to `new` everywhere in `t`.
fn rename(t: &mut Term, old: &str, new: &str) {
    let fix = |n: &mut Name| {
        if n == old {
            *n = new.to_string();
        }
    };
    match t {
        Term::Ident(n) => fix(n),
        Term::Lam(bs, _) => bs.iter_mut().for_each(|b| fix(&mut b.name)),
        Term::Let(x, ..) => fix(x),
        Term::Match(_, arms) => {
            for a in arms.iter_mut() {
                for p in a.pats.iter_mut() {
                    rename_pattern(p, old, new);
                }
            }
        }
        _ => {}
    }
    for c in super::depth::children_mut(t) {
        rename(c, old, new);
    }
}

fn rename_pattern(p: &mut Pattern, old: &str, new: &str) {
    match p {
        Pattern::Var(v) if v == old => *v = new.to_string(),
        Pattern::Ctor(_, args) => args.iter_mut().for_each(|a| rename_pattern(a, old, new)),
        Pattern::Succ(a) => rename_pattern(a, old, new),
        Pattern::Cons(h, t) => {
            rename_pattern(h, old, new);
            rename_pattern(t, old, new);
        }
        _ => {}
    }
}

/// Regenerates, top-down, every site inside the spliced subtree at `at`
/// whose own syntax (not counting its typed sub-sites) names something not
/// bound inside the subtree and not an `Init` name.
fn repair<R: Rng>(
    p: &mut Program,
    i: usize,
    at: &Site,
    env: &super::env::Env,
    g: &mut Gen<'_, R>,
    depth: usize,
) {
    let outer: HashSet<&str> = at.locals.iter().map(|(n, _)| n.as_str()).collect();
    let Decl::Def(def) = &p.decls[i] else {
        unreachable!()
    };
    let sites: Vec<Site> = def_sites(def, env, depth)
        .into_iter()
        .filter(|s| s.root == at.root && s.path.starts_with(&at.path))
        .collect();
    let site_paths: HashSet<Vec<usize>> = sites.iter().map(|s| s.path.clone()).collect();
    let mut redone: Vec<Vec<usize>> = Vec::new();
    for s in &sites {
        if redone.iter().any(|r| s.path.starts_with(r)) {
            continue;
        }
        let Decl::Def(def) = &p.decls[i] else {
            unreachable!()
        };
        let node = at_path(root_ref(def, s.root), &s.path);
        let inner: HashSet<&str> = s
            .locals
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !outer.contains(n))
            .collect();
        let mut names = Vec::new();
        own_names(node, &s.path, &site_paths, &mut names);
        let foreign = names
            .iter()
            .any(|n| !inner.contains(n.as_str()) && !is_init_name(n));
        if foreign {
            *site_mut(p, i, s) = g.term_in(&s.ty, s.locals.clone(), s.budget);
            redone.push(s.path.clone());
        }
    }
}

/// Names a node mentions itself: identifiers, types in binders, let and
/// ascriptions, pattern constructors, projected fields; descending into
/// children that are not sites of their own.
fn own_names(t: &Term, path: &[usize], sites: &HashSet<Vec<usize>>, out: &mut Vec<Name>) {
    match t {
        Term::Ident(n) | Term::IdentLevels(n, _) => out.push(n.clone()),
        Term::Lam(bs, _) => bs.iter().for_each(|b| all_idents(&b.ty, out)),
        Term::Let(_, ty, ..) | Term::Typed(_, ty) => all_idents(ty, out),
        Term::Match(_, arms) => {
            for a in arms {
                for p in &a.pats {
                    pattern_ctors(p, out);
                }
            }
        }
        Term::Proj(_, f) if f != "1" && f != "2" => out.push(f.clone()),
        _ => {}
    }
    for (k, c) in children(t).into_iter().enumerate() {
        let mut child_path = path.to_vec();
        child_path.push(k);
        if !sites.contains(&child_path) {
            own_names(c, &child_path, sites, out);
        }
    }
}

fn all_idents(t: &Term, out: &mut Vec<Name>) {
    if let Term::Ident(n) | Term::IdentLevels(n, _) = t {
        out.push(n.clone());
    }
    for c in children(t) {
        all_idents(c, out);
    }
}

fn pattern_ctors(p: &Pattern, out: &mut Vec<Name>) {
    match p {
        Pattern::Ctor(c, args) => {
            out.push(c.clone());
            args.iter().for_each(|a| pattern_ctors(a, out));
        }
        Pattern::Succ(a) => pattern_ctors(a, out),
        Pattern::Cons(h, t) => {
            pattern_ctors(h, out);
            pattern_ctors(t, out);
        }
        _ => {}
    }
}

/// Inserts a new declaration, generated in the scope at a random point.
fn insert_decl<R: Rng>(p: &mut Program, rng: &mut R, depth: usize) -> bool {
    let at = rng.random_range(0..=p.decls.len());
    let env = replay(&p.decls[..at], &p.decls);
    let mut g = Gen::resume(rng, depth, env, p.profile);
    let d = g.next_declaration();
    p.decls.insert(at, d);
    true
}

/// Copies a definition or theorem under a fresh name, right after itself.
fn duplicate_decl<R: Rng>(p: &mut Program, rng: &mut R, depth: usize) -> bool {
    let candidates: Vec<usize> = (0..p.decls.len())
        .filter(|i| matches!(&p.decls[*i], Decl::Def(d) if !d.name.is_empty()))
        .collect();
    if candidates.is_empty() {
        return false;
    }
    let i = candidates[rng.random_range(0..candidates.len())];
    let env = replay(&p.decls[..i], &p.decls);
    let mut g = Gen::resume(rng, depth, env, p.profile);
    let Decl::Def(mut copy) = p.decls[i].clone() else {
        unreachable!()
    };
    let prefix: String = copy
        .name
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    copy.name = g.fresh(&prefix);
    p.decls.insert(i + 1, Decl::Def(copy));
    true
}

/// Adds or removes `@[reducible]`/`@[inline]`/`@[implemented_by g]` (`g` an
/// earlier definition of the same type) on a definition, or `@[simp]`
/// on an equational theorem whose left side is not a bare name or literal.
fn toggle_attr<R: Rng>(p: &mut Program, rng: &mut R) -> bool {
    let mut options: Vec<(usize, Attr)> = Vec::new();
    for (i, d) in p.decls.iter().enumerate() {
        let Decl::Def(def) = d else { continue };
        match def.kind {
            DefKind::Def => {
                options.push((i, Attr::Reducible));
                options.push((i, Attr::Inline));
                if let Some(other) = same_signature_before(&p.decls[..i], def) {
                    options.push((i, Attr::ImplementedBy(other)));
                }
            }
            DefKind::Theorem => {
                if let Term::BinOp(BinOp::Eq, lhs, _) = &def.ty {
                    if !matches!(
                        **lhs,
                        Term::Ident(_) | Term::NatLit(_) | Term::StrLit(_) | Term::CharLit(_)
                    ) {
                        options.push((i, Attr::Simp));
                    }
                }
            }
            _ => {}
        }
    }
    if options.is_empty() {
        return false;
    }
    let (i, attr) = options.swap_remove(rng.random_range(0..options.len()));
    let Decl::Def(def) = &mut p.decls[i] else {
        unreachable!()
    };
    match def.attrs.iter().position(|a| *a == attr) {
        Some(k) => {
            def.attrs.remove(k);
        }
        None => def.attrs.push(attr),
    }
    true
}

/// An earlier definition with exactly `def`'s signature: a candidate for
/// `@[implemented_by]` (Lean requires the types to agree).
pub(crate) fn same_signature_before(before: &[Decl], def: &Def) -> Option<Name> {
    let types = |d: &Def| -> Vec<Term> { d.binders.iter().map(|b| b.ty.clone()).collect() };
    before.iter().rev().find_map(|d| match d {
        Decl::Def(o)
            if o.kind == DefKind::Def
                && !o.name.is_empty()
                && o.name != def.name
                && o.univ_params == def.univ_params
                && o.ty == def.ty
                && types(o) == types(def)
                && o.binders
                    .iter()
                    .map(|b| b.kind)
                    .eq(def.binders.iter().map(|b| b.kind)) =>
        {
            Some(o.name.clone())
        }
        _ => None,
    })
}

/// Inserts a `set_option`, or removes or changes an existing one.
fn toggle_option<R: Rng>(p: &mut Program, rng: &mut R, depth: usize) -> bool {
    let existing: Vec<usize> = (0..p.decls.len())
        .filter(|i| matches!(p.decls[*i], Decl::SetOption(..)))
        .collect();
    if !existing.is_empty() && rng.random_bool(0.5) {
        let i = existing[rng.random_range(0..existing.len())];
        if rng.random_bool(0.5) {
            p.decls.remove(i);
        } else {
            let env = replay(&p.decls[..i], &p.decls);
            p.decls[i] = Gen::resume(rng, depth, env, p.profile).option_decl();
        }
        return true;
    }
    let at = rng.random_range(0..=p.decls.len());
    let env = replay(&p.decls[..at], &p.decls);
    let d = Gen::resume(rng, depth, env, p.profile).option_decl();
    p.decls.insert(at, d);
    true
}

//! The end of every generated program: the two theorems the template's
//! challenge checks (`template/Challenge.lean`).
//!
//! - `replay_check : True`, proved by a term that mentions every generated
//!   declaration (`have _ := @d`) and uses no `sorry`. Comparator exports
//!   only the checked theorems' dependency closure and checks axioms before
//!   any kernel (comparator `Main.lean`, `compareIt` and `verifyMatch`, at
//!   19e111e), so this proof is what sends every generated declaration
//!   through Lean's kernel replay and nanoda (`template/replay.json`).
//! - `soundness_check : False`, last: every generated fact in scope
//!   (`have hN := @t`), then, in the `prelude` profile, the direct exploit
//!   of each clash the generator knows, then generic automation, then a
//!   `sorry` fallback, so the file builds whatever the automation does.
//!   Only a proof Lean reports as sorry-free goes to the soundness config.
//!
//! In the `prelude` profile the replay config stops before the kernels:
//! comparator first compares its primitive targets (`Nat.gcd`, …), which a
//! redefinition changes and lean4export cannot find when the file leaves
//! one undefined (`Main.lean`, `compareAt` with `primitiveTargets`). Those
//! programs are judged by the soundness config, through the exploits.
//!
//! Constants are referenced with `@` (no implicit argument or instance is
//! elaborated) and every universe parameter set to `0` (`@d.{0, 0}`): a
//! theorem's value may not leave universe metavariables. A parameter is
//! counted from the declaration's header: its `.{u}` list and the levels
//! it mentions (a `universe u` command makes them parameters too).
//!
//! Syntax checked against lean4 `tests/lean/run/` (term-mode `have` with a
//! newline body, `first | … | …`, tactic `have`, `(tac)` grouping) and
//! `src/Init/Prelude.lean` (`True.intro`, `absurd`, `Eq.symm`, `Eq.trans`,
//! `inferInstance` are all in the prelude, so `prelude` files have them).

use super::ast::*;
use super::eval::Evaluator;
use super::names::{is_prelude_free, render_name};
use super::render::{render_decl, render_term};
use crate::kernel::nat::kernel_nat;

/// The fixed end of every program: the generic automation and the `sorry`
/// fallback, the last alternatives of `soundness_check`'s `first`.
pub const GOLDEN_SUFFIX: &str = "simp_all | decide | omega | trivial | native_decide | sorry\n";

/// The name of the replay theorem (`template/replay.json`).
pub const REPLAY_THEOREM: &str = "replay_check";
/// The name of the soundness theorem (`template/config.json`).
pub const SOUNDNESS_THEOREM: &str = "soundness_check";

/// A reference to a declaration in a proof term: `@name.{0, …}`, or, for
/// an anonymous instance, `(inferInstance : C T)`.
fn reference(name: &str, levels: usize) -> String {
    let mut s = format!("@{}", render_name(name));
    if levels > 0 {
        s.push_str(".{");
        s.push_str(&vec!["0"; levels].join(", "));
        s.push('}');
    }
    s
}

/// What the suffix needs to know of the program's declarations.
#[derive(Debug, Default)]
pub struct Refs {
    /// Every generated declaration, as a term (replay).
    pub all: Vec<String>,
    /// Every generated theorem, as a term (the soundness attempt's facts).
    pub facts: Vec<String>,
    /// Auxiliary theorems the exploits need, rendered (each ends in `\n`).
    pub aux: Vec<String>,
    /// Direct exploits: tactics each of which closes `False` if the
    /// generator's view of a clash is right.
    pub exploits: Vec<String>,
}

/// The suffix text from its parts: the auxiliary theorems, `replay_check`,
/// then `soundness_check` (last, so the file ends in [`GOLDEN_SUFFIX`]).
pub fn render(refs: &Refs) -> String {
    let mut s = String::new();
    for a in &refs.aux {
        s.push_str(a);
        s.push('\n');
    }
    s.push_str("-- leanfuzz replay: depends on every generated declaration, no `sorry`\n");
    s.push_str(&format!("theorem {REPLAY_THEOREM} : True :=\n"));
    for r in &refs.all {
        s.push_str(&format!("  have _ := {r}\n"));
    }
    s.push_str("  True.intro\n\n");
    s.push_str(
        "-- leanfuzz soundness attempt: the generated facts, the known clashes, automation, `sorry`\n",
    );
    s.push_str(&format!("theorem {SOUNDNESS_THEOREM} : False := by\n"));
    for (i, f) in refs.facts.iter().enumerate() {
        s.push_str(&format!("  have h{i} := {f}\n"));
    }
    s.push_str("  first | ");
    for e in &refs.exploits {
        s.push_str(&format!("({e}) | "));
    }
    s.push_str(GOLDEN_SUFFIX);
    s
}

/// The suffix of a generated program.
pub fn program_suffix(p: &Program) -> String {
    render(&program_refs(p))
}

/// The references, facts and exploits of a program.
pub fn program_refs(p: &Program) -> Refs {
    let mut refs = Refs::default();
    for d in &p.decls {
        // A proof by `native_decide` depends on `Lean.ofReduceBool`, which
        // neither config permits: mentioning it would stop comparator at
        // its axiom check, before any kernel.
        if uses_native_decide(d) {
            continue;
        }
        match d {
            Decl::Universe(_) | Decl::SetOption(..) => {}
            Decl::Inductive(ind) => refs.all.push(reference(&ind.name, inductive_levels(ind))),
            Decl::Mutual(inds) => {
                for ind in inds {
                    refs.all.push(reference(&ind.name, inductive_levels(ind)));
                }
            }
            Decl::Structure(st) => {
                let mut levels = Vec::new();
                for b in &st.params {
                    term_levels(&b.ty, &mut levels);
                }
                for (_, ty) in &st.fields {
                    term_levels(ty, &mut levels);
                }
                refs.all.push(reference(&st.name, levels.len()));
            }
            Decl::Def(def) if def.name.is_empty() => {
                // An anonymous instance: found by its class, as Lean would.
                if def.binders.is_empty() {
                    refs.all
                        .push(format!("(inferInstance : {})", render_term(&def.ty)));
                }
            }
            Decl::Def(def) => {
                let r = reference(&def.name, def_levels(def));
                if def.kind == DefKind::Theorem {
                    refs.facts.push(r.clone());
                }
                refs.all.push(r);
            }
            Decl::AddDecl { decl, .. } => {
                let name = decl
                    .names()
                    .first()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                let r = reference(&name, decl.level_params().len());
                if matches!(decl, crate::kernel::Decl::Thm { .. }) {
                    refs.facts.push(r.clone());
                }
                refs.all.push(r);
            }
        }
    }
    if p.profile == Profile::Prelude {
        prelude_exploits(&p.decls, &mut refs);
    }
    refs
}

/// Whether a declaration's proof runs `native_decide` anywhere.
fn uses_native_decide(d: &Decl) -> bool {
    let Decl::Def(def) = d else { return false };
    match &def.body {
        Body::Term(t) => term_native(t),
        Body::Arms(arms) => arms.iter().any(|a| term_native(&a.rhs)),
        Body::Empty => false,
    }
}

fn tactic_native(t: &Tactic) -> bool {
    match t {
        Tactic::NativeDecide => true,
        Tactic::CasesAll(_, t) | Tactic::InductionAll(_, t) => tactic_native(t),
        Tactic::Exact(e) => term_native(e),
        _ => false,
    }
}

fn term_native(t: &Term) -> bool {
    match t {
        Term::By(ts) => ts.iter().any(tactic_native),
        Term::Ident(_)
        | Term::IdentLevels(..)
        | Term::NatLit(_)
        | Term::StrLit(_)
        | Term::CharLit(_)
        | Term::Sort(_) => false,
        Term::App(f, args) => term_native(f) || args.iter().any(term_native),
        Term::Lam(bs, b) | Term::Pi(bs, b) => {
            bs.iter().any(|x| term_native(&x.ty)) || term_native(b)
        }
        Term::Arrow(a, b) | Term::BinOp(_, a, b) | Term::Typed(a, b) => {
            term_native(a) || term_native(b)
        }
        Term::Let(_, ty, v, b) => term_native(ty) || term_native(v) || term_native(b),
        Term::Match(ss, arms) => {
            ss.iter().any(term_native) || arms.iter().any(|a| term_native(&a.rhs))
        }
        Term::Anon(xs) | Term::Tuple(xs) | Term::List(xs) => xs.iter().any(term_native),
        Term::Proj(e, _) | Term::Not(e) | Term::BNot(e) => term_native(e),
        Term::Ite(c, a, b) => term_native(c) || term_native(a) || term_native(b),
    }
}

/// Distinct universe parameters of a definition's header.
fn def_levels(def: &Def) -> usize {
    let mut levels: Vec<Name> = def.univ_params.clone();
    for b in &def.binders {
        term_levels(&b.ty, &mut levels);
    }
    term_levels(&def.ty, &mut levels);
    levels.len()
}

fn inductive_levels(ind: &Inductive) -> usize {
    let mut levels: Vec<Name> = ind.univ_params.clone();
    for b in &ind.params {
        term_levels(&b.ty, &mut levels);
    }
    term_levels(&ind.sort, &mut levels);
    for c in &ind.ctors {
        for a in &c.args {
            term_levels(&a.ty, &mut levels);
        }
        if let Some(r) = &c.result {
            term_levels(r, &mut levels);
        }
    }
    levels.len()
}

/// Adds the universe parameters `t` mentions to `out` (no repeats).
fn term_levels(t: &Term, out: &mut Vec<Name>) {
    let level = |l: &Level, out: &mut Vec<Name>| level_params(l, out);
    match t {
        Term::Sort(l) => level(l, out),
        Term::IdentLevels(_, ls) => ls.iter().for_each(|l| level(l, out)),
        Term::Ident(_) | Term::NatLit(_) | Term::StrLit(_) | Term::CharLit(_) | Term::By(_) => {}
        Term::App(f, args) => {
            term_levels(f, out);
            args.iter().for_each(|a| term_levels(a, out));
        }
        Term::Lam(bs, b) | Term::Pi(bs, b) => {
            bs.iter().for_each(|x| term_levels(&x.ty, out));
            term_levels(b, out);
        }
        Term::Arrow(a, b) | Term::BinOp(_, a, b) | Term::Typed(a, b) => {
            term_levels(a, out);
            term_levels(b, out);
        }
        Term::Let(_, ty, v, b) => {
            term_levels(ty, out);
            term_levels(v, out);
            term_levels(b, out);
        }
        Term::Match(ss, arms) => {
            ss.iter().for_each(|s| term_levels(s, out));
            arms.iter().for_each(|a| term_levels(&a.rhs, out));
        }
        Term::Anon(xs) | Term::Tuple(xs) | Term::List(xs) => {
            xs.iter().for_each(|x| term_levels(x, out))
        }
        Term::Proj(e, _) | Term::Not(e) | Term::BNot(e) => term_levels(e, out),
        Term::Ite(c, a, b) => {
            term_levels(c, out);
            term_levels(a, out);
            term_levels(b, out);
        }
    }
}

fn level_params(l: &Level, out: &mut Vec<Name>) {
    match l {
        Level::Zero => {}
        Level::Succ(a) => level_params(a, out),
        Level::Max(a, b) | Level::IMax(a, b) => {
            level_params(a, out);
            level_params(b, out);
        }
        Level::Param(p) => {
            if !out.contains(p) {
                out.push(p.clone())
            }
        }
    }
}

/// The prelude profile's direct exploits. A literal fact `t : f a b = v`
/// about a redefined kernel-accelerated `f` (`Nat.gcd`, …) holds because
/// the kernel computes `f` on literals by its name; when the definition
/// computes another value `w` at `a b` (a clash the generator's evaluator
/// sees), its unfolding `u : ∀ x y, f x y = body` instantiated at `a b` gives
/// `v = body[a, b]`, and `body[a, b]` evaluates to `w ≠ v`:
/// `absurd ((Eq.symm t).trans (u a b)) (by decide)` proves `False`. The
/// unfolding is the program's own lemma when it has one, else an
/// auxiliary `theorem leanfuzz_unfold_N (x y : Nat) : f x y = body` by
/// `rfl` (the definition: no literal, so no by-name computation), with a
/// `sorry` fallback so it never breaks the build. The auxiliary lemma is
/// not a generated declaration: `replay_check` does not mention it. (Lean
/// warns `declaration uses 'sorry'` only for a declaration whose own value
/// holds `sorryAx`, lean4 `src/Lean/Declaration.lean`, `Declaration.hasSorry`;
/// a fallback taken here reaches comparator's transitive axiom check
/// instead.) This is comparator's `primitive_issue` class; its compare
/// step must reject it.
fn prelude_exploits(decls: &[Decl], refs: &mut Refs) {
    let mut eval = Evaluator::new(decls);
    let mut unfold_of: Vec<(String, String)> = Vec::new();
    for (i, d) in decls.iter().enumerate() {
        let Decl::Def(t) = d else { continue };
        let Some((f, a, b, v)) = literal_fact(t) else {
            continue;
        };
        if kernel_nat(&f, &[a, b]) != Some(v) {
            continue;
        }
        let Some(w) = eval.call(&f, &[a, b]) else {
            continue;
        };
        if w == v {
            continue;
        }
        // The definition's unfolding lemma: the program's, if one comes
        // before the fact, else an auxiliary one.
        let unfold = match unfold_of.iter().find(|(g, _)| *g == f) {
            Some((_, u)) => u.clone(),
            None => {
                let Some(u) = own_unfold(&decls[..i], &f).or_else(|| {
                    let def = redefinition(decls, &f)?;
                    let name = format!("leanfuzz_unfold_{}", refs.aux.len());
                    refs.aux.push(unfold_lemma(def, &name));
                    Some(name)
                }) else {
                    continue;
                };
                unfold_of.push((f.clone(), u.clone()));
                u
            }
        };
        refs.exploits.push(format!(
            "exact absurd (Eq.trans (Eq.symm {}) ({} {a} {b})) (by decide)",
            render_name(&t.name),
            render_name(&unfold)
        ));
    }
}

/// `theorem t : f a b = v` with `f` a redefined accelerated name and
/// literals `a`, `b`, `v`.
fn literal_fact(t: &Def) -> Option<(String, u128, u128, u128)> {
    if t.kind != DefKind::Theorem || !t.binders.is_empty() {
        return None;
    }
    let Term::BinOp(BinOp::Eq, lhs, rhs) = &t.ty else {
        return None;
    };
    let Term::App(f, args) = &**lhs else {
        return None;
    };
    let Term::Ident(f) = &**f else { return None };
    if !is_prelude_free(f) {
        return None;
    }
    let lit = |t: &Term| match t {
        Term::NatLit(s) => s.parse::<u128>().ok(),
        _ => None,
    };
    match args.as_slice() {
        [a, b] => Some((f.clone(), lit(a)?, lit(b)?, lit(rhs)?)),
        _ => None,
    }
}

/// The program's definition of `f`.
fn redefinition<'d>(decls: &'d [Decl], f: &str) -> Option<&'d Def> {
    decls.iter().find_map(|d| match d {
        Decl::Def(def) if def.kind == DefKind::Def && def.name == f => Some(def),
        _ => None,
    })
}

/// A theorem among `decls` stating `∀ x y, f x y = <f's body>` (the
/// prelude generator's unfolding lemma).
fn own_unfold(decls: &[Decl], f: &str) -> Option<String> {
    let def = redefinition(decls, f)?;
    let Body::Term(body) = &def.body else {
        return None;
    };
    decls.iter().find_map(|d| match d {
        Decl::Def(t)
            if t.kind == DefKind::Theorem
                && t.binders == def.binders
                && matches!(&t.ty, Term::BinOp(BinOp::Eq, l, r)
                    if **r == *body
                        && matches!(&**l, Term::App(g, _) if **g == Term::Ident(f.to_string()))) =>
        {
            Some(t.name.clone())
        }
        _ => None,
    })
}

/// `theorem name (x y : Nat) : f x y = body := by first | rfl | sorry`,
/// rendered.
fn unfold_lemma(def: &Def, name: &str) -> String {
    let Body::Term(body) = &def.body else {
        unreachable!("redefinitions have term bodies")
    };
    let args = def
        .binders
        .iter()
        .map(|b| Term::Ident(b.name.clone()))
        .collect();
    render_decl(&Decl::Def(Def {
        kind: DefKind::Theorem,
        attrs: vec![],
        name: name.to_string(),
        univ_params: vec![],
        binders: def.binders.clone(),
        ty: Term::BinOp(
            BinOp::Eq,
            Box::new(Term::App(Box::new(Term::Ident(def.name.clone())), args)),
            Box::new(body.clone()),
        ),
        body: Body::Term(Term::By(vec![Tactic::Rfl])),
    }))
    .replace(":= by\n  rfl\n", ":= by\n  first | rfl | sorry\n")
}

/// The suffix of a kernel environment rendered as a Lean file
/// (`--target kernels-via-lean`): the same two theorems over its
/// declarations. Not referenced: axioms (comparator's axiom check would stop
/// the replay before any kernel), the quotient (Lean's own), and unsafe or
/// partial declarations (a safe theorem may not mention them: the kernel's
/// constant inference refuses with "invalid declaration, it uses unsafe
/// declaration" / "safe declaration must not contain partial declaration",
/// lean4 `src/kernel/type_checker.cpp`, `infer_constant`, mirrored in
/// lean4lean's `inferConstant`).
pub fn kernel_suffix(decls: &[crate::kernel::Decl]) -> String {
    render(&kernel_refs(decls))
}

/// The references and facts of a kernel environment.
pub fn kernel_refs(decls: &[crate::kernel::Decl]) -> Refs {
    use crate::kernel::{Decl as K, Safety};
    let mut refs = Refs::default();
    for d in decls {
        match d {
            K::Axiom { .. } | K::Quot { .. } => {}
            K::Def { safety, .. } if *safety != Safety::Safe => {}
            K::Opaque {
                is_unsafe: true, ..
            } => {}
            K::Def {
                name, level_params, ..
            }
            | K::Opaque {
                name, level_params, ..
            } => refs
                .all
                .push(reference(&name.to_string(), level_params.len())),
            K::Thm {
                name, level_params, ..
            } => {
                let r = reference(&name.to_string(), level_params.len());
                refs.facts.push(r.clone());
                refs.all.push(r);
            }
            K::Inductive { types, .. } => {
                for t in types.iter().filter(|t| !t.is_unsafe) {
                    refs.all
                        .push(reference(&t.name.to_string(), t.level_params.len()));
                }
            }
        }
    }
    refs
}

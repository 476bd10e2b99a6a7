//! Which construct families a declaration contains, read off its syntax
//! (so it holds for mutated programs too). Validity telemetry charges a
//! failing declaration's error to these families.

use std::collections::BTreeSet;

use super::ast::*;
use super::depth::children;
use super::names::is_prelude_free;
use super::stats::Family;
use crate::kernel;

/// Whether a declaration is one of the deliberately ill-formed ones
/// (their names say so: `Bad…`, `badSort…`, `badThm…`, `badLevels…`,
/// `badK…`, `badPrelude…`).
pub fn is_ill_formed(d: &Decl) -> bool {
    let kernel_name;
    let name = match d {
        Decl::Inductive(i) => &i.name,
        Decl::Def(def) => &def.name,
        Decl::AddDecl { decl, .. } => {
            kernel_name = decl.names().first().map(|n| n.to_string());
            match &kernel_name {
                Some(n) => n,
                None => return false,
            }
        }
        _ => return false,
    };
    [
        "Bad",
        "badSort",
        "badThm",
        "badLevels",
        "badK",
        "badPrelude",
    ]
    .iter()
    .any(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty())
    })
}

/// The families present in one declaration.
pub fn decl_families(d: &Decl) -> BTreeSet<Family> {
    let mut f = BTreeSet::new();
    if is_ill_formed(d) {
        f.insert(Family::IllFormed);
        return f;
    }
    match d {
        Decl::Universe(_) => {
            f.insert(Family::Universe);
        }
        Decl::SetOption(name, _) if name == "debug.skipKernelTC" => {
            f.insert(Family::SkipKernelOption);
        }
        Decl::SetOption(..) => {
            f.insert(Family::SetOption);
        }
        Decl::Mutual(_) => {
            f.insert(Family::MutualInductive);
        }
        Decl::Structure(s) if s.class => {
            f.insert(Family::Class);
        }
        Decl::Inductive(ind) if ind.ctors.iter().any(|c| c.result.is_some()) => {
            f.insert(Family::IndexedInductive);
        }
        Decl::Inductive(ind) => {
            let recursive = ind
                .ctors
                .iter()
                .flat_map(|c| &c.args)
                .any(|b| mentions(&b.ty, &ind.name));
            f.insert(if !ind.params.is_empty() {
                Family::ParamInductive
            } else if recursive {
                Family::RecInductive
            } else {
                Family::EnumInductive
            });
        }
        Decl::Structure(_) => {
            f.insert(Family::Structure);
        }
        Decl::Def(def) => def_families(def, &mut f),
        Decl::AddDecl { decl, skip_kernel } => kernel_families(decl, *skip_kernel, &mut f),
    }
    f
}

fn kernel_families(d: &kernel::Decl, skip_kernel: bool, f: &mut BTreeSet<Family>) {
    if skip_kernel {
        f.insert(Family::SkipKernel);
    }
    let mut has = (false, false);
    for e in kernel::edit::terms(d) {
        kscan(e, &mut has);
    }
    let params = d.level_params().len();
    f.insert(match d {
        kernel::Decl::Opaque { .. } => Family::MetaOpaque,
        _ if has.0 => Family::MetaProj,
        _ if has.1 => Family::MetaLet,
        kernel::Decl::Def { .. } if params >= 2 => Family::MetaImax,
        kernel::Decl::Def { .. } if params == 1 => Family::MetaPolyId,
        kernel::Decl::Def { .. } => Family::MetaFun,
        _ => Family::MetaComputed,
    });
}

/// Whether a kernel expression has a projection (`.0`) or a `let` (`.1`).
fn kscan(e: &kernel::Expr, has: &mut (bool, bool)) {
    match e {
        kernel::Expr::Proj(..) => has.0 = true,
        kernel::Expr::LetE { .. } => has.1 = true,
        _ => {}
    }
    for c in kernel::expr::children(e) {
        kscan(c, has);
    }
}

fn def_families(def: &Def, f: &mut BTreeSet<Family>) {
    for a in &def.attrs {
        f.insert(match a {
            Attr::Simp => Family::AttrSimp,
            Attr::Reducible => Family::AttrReducible,
            Attr::Inline => Family::AttrInline,
            Attr::ImplementedBy(_) => Family::AttrImplementedBy,
        });
    }
    if let Some(fam) = prelude_family(def) {
        f.insert(fam);
        return;
    }
    // A value of an indexed family at literal indices (`v : Ix 2`).
    if matches!(&def.ty, Term::App(_, args) if args.iter().all(|a| matches!(a, Term::NatLit(_)))) {
        f.insert(Family::IndexedValue);
        return;
    }
    let poly = def.binders.iter().any(|b| b.kind == BinderKind::Implicit);
    match def.kind {
        DefKind::Abbrev => {
            f.insert(Family::Abbrev);
        }
        DefKind::Opaque => {
            f.insert(Family::Opaque);
        }
        DefKind::Axiom => {
            f.insert(Family::HiddenAxiom);
        }
        DefKind::Instance => {
            let builtin = matches!(&def.ty, Term::App(c, _)
                if matches!(&**c, Term::Ident(n) if BUILTIN_CLASSES.contains(&n.as_str())));
            f.insert(if builtin {
                Family::Instance
            } else {
                Family::ClassInstance
            });
        }
        DefKind::Theorem => {
            f.insert(theorem_family(def));
        }
        DefKind::Def if matches!(def.ty, Term::Sort(_)) => {
            f.insert(Family::LevelDef);
        }
        DefKind::Def if poly && !def.univ_params.is_empty() => {
            f.insert(Family::UnivPolyDef);
        }
        DefKind::Def if poly => {
            f.insert(Family::PolyDef);
        }
        DefKind::Def if matches!(def.body, Body::Arms(_)) => {
            f.insert(Family::DefArms);
        }
        DefKind::Def => {
            f.insert(Family::Def);
        }
    }
    if def.kind == DefKind::Theorem {
        return;
    }
    let mut trees: Vec<&Term> = vec![];
    match &def.body {
        Body::Term(t) => trees.push(t),
        Body::Arms(arms) => {
            trees.extend(arms.iter().map(|a| &a.rhs));
        }
        Body::Empty => {}
    }
    for t in trees {
        term_families(t, f);
    }
}

/// The `Init` classes the generator writes instances of; an instance of
/// any other class is of a user class.
const BUILTIN_CLASSES: &[&str] = &["Inhabited", "Add", "Mul"];

/// A redefinition of a kernel-accelerated name, or a theorem about one
/// (`Nat.gcd a b = …` unfolds it; `Nat.gcd 4 6 = 2` is a literal fact).
fn prelude_family(def: &Def) -> Option<Family> {
    let free_name = is_prelude_free;
    if def.kind != DefKind::Theorem {
        return free_name(&def.name).then_some(Family::PreludeRedef);
    }
    let Term::BinOp(BinOp::Eq, lhs, _) = &def.ty else {
        return None;
    };
    let Term::App(f, args) = &**lhs else {
        return None;
    };
    if !matches!(&**f, Term::Ident(n) if free_name(n)) {
        return None;
    }
    Some(if args.iter().all(|a| matches!(a, Term::NatLit(_))) {
        Family::PreludeLiteral
    } else {
        Family::PreludeUnfold
    })
}

fn theorem_family(def: &Def) -> Family {
    let Body::Term(proof) = &def.body else {
        return Family::TheoremConnectives;
    };
    match proof {
        Term::By(ts) => match ts.first() {
            Some(Tactic::Omega) => Family::TheoremOmega,
            Some(Tactic::CasesAll(..)) => Family::TheoremCases,
            Some(Tactic::InductionAll(..)) => Family::TheoremInduction,
            Some(Tactic::NativeDecide) => Family::NativeDecide,
            Some(Tactic::Intro(_) | Tactic::Constructor | Tactic::Exact(_) | Tactic::Trivial) => {
                Family::TheoremTactics
            }
            _ if matches!(def.ty, Term::BinOp(BinOp::Ne, ..)) => Family::TheoremEnumNe,
            _ if matches!(&def.ty, Term::BinOp(BinOp::Eq, l, _) if matches!(**l, Term::Typed(..))) => {
                Family::TheoremRfl
            }
            _ => Family::TheoremComputed,
        },
        Term::Ident(r) if r == "rfl" => match &def.ty {
            Term::BinOp(BinOp::Eq, l, _) if matches!(**l, Term::Typed(..)) => Family::TheoremRfl,
            Term::BinOp(BinOp::Eq, l, _) if is_level_app(l) => Family::TheoremLevels,
            _ => Family::TheoremComputed,
        },
        _ => Family::TheoremConnectives,
    }
}

fn is_level_app(t: &Term) -> bool {
    match t {
        Term::App(f, _) => {
            matches!(**f, Term::IdentLevels(..))
                || matches!(&**f, Term::Ident(n) if n.starts_with('L'))
        }
        _ => false,
    }
}

fn term_families(t: &Term, f: &mut BTreeSet<Family>) {
    let fam = match t {
        Term::Lam(..) => Some(Family::TermLambda),
        Term::Let(..) => Some(Family::TermLet),
        Term::Match(s, _) if s.is_empty() => Some(Family::TermFunMatch),
        Term::Match(..) => Some(Family::TermMatch),
        Term::Ite(..) => Some(Family::TermIte),
        Term::Anon(..) => Some(Family::TermAnon),
        Term::Proj(..) => Some(Family::TermProj),
        Term::Tuple(..) => Some(Family::TermTuple),
        Term::List(xs) if !xs.is_empty() => Some(Family::TermList),
        Term::StrLit(_) => Some(Family::LitString),
        Term::CharLit(_) => Some(Family::LitChar),
        Term::NatLit(n) if n.len() >= 10 => Some(Family::LitBoundary),
        _ => None,
    };
    f.extend(fam);
    for c in children(t) {
        term_families(c, f);
    }
}

fn mentions(t: &Term, name: &str) -> bool {
    matches!(t, Term::Ident(n) if n == name) || children(t).into_iter().any(|c| mentions(c, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lean::gen::{generate, GenConfig};

    #[test]
    fn every_generated_declaration_has_a_family() {
        for seed in 0..200 {
            for d in generate(seed, &GenConfig::default()).program.decls {
                assert!(!decl_families(&d).is_empty(), "{d:?}");
            }
        }
    }
}

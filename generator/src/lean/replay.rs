//! Rebuilding the generator's scope from a program's declarations, so that
//! mutations can generate new terms and declarations that fit into an
//! existing program (types are read back from the syntax the generator
//! writes).

use super::ast::*;
use super::env::{
    ClassInfo, CtorSig, Env, Global, IndexedFamily, LevelDef, LevelForm, TypeShape, UserType,
};
use super::types::Ty;

/// The scope after `decls`, with fresh names reserved above every number
/// used anywhere in `all` (the whole program).
pub fn replay(decls: &[Decl], all: &[Decl]) -> Env {
    let mut env = Env::default();
    for d in decls {
        register(&mut env, d);
    }
    env.reserve_above(max_name_number(all));
    env
}

/// Reads a type written by [`Ty::to_term`] back; `None` for anything else.
pub fn parse_ty(t: &Term, env: &Env, tvars: &[Name]) -> Option<Ty> {
    match t {
        Term::Ident(n) => match n.as_str() {
            "Nat" => Some(Ty::Nat),
            "Bool" => Some(Ty::Bool),
            "String" => Some(Ty::Str),
            "Char" => Some(Ty::Char),
            v if tvars.iter().any(|x| x == v) => Some(Ty::Var(v.to_string())),
            name => {
                let i = env.types.iter().position(|u| u.name == name)?;
                env.types[i]
                    .params
                    .is_empty()
                    .then_some(Ty::User(i, vec![]))
            }
        },
        Term::App(f, args) => {
            let Term::Ident(head) = &**f else { return None };
            let args: Vec<Ty> = args
                .iter()
                .map(|a| parse_ty(a, env, tvars))
                .collect::<Option<_>>()?;
            match (head.as_str(), args.len()) {
                ("List", 1) => Some(Ty::list(args[0].clone())),
                ("Option", 1) => Some(Ty::option(args[0].clone())),
                ("Prod", 2) => Some(Ty::prod(args[0].clone(), args[1].clone())),
                (name, n) => {
                    let i = env.types.iter().position(|u| u.name == name)?;
                    (env.types[i].params.len() == n).then_some(Ty::User(i, args))
                }
            }
        }
        Term::Arrow(a, b) => Some(Ty::arrow(
            parse_ty(a, env, tvars)?,
            parse_ty(b, env, tvars)?,
        )),
        _ => None,
    }
}

/// Adds what declaration `d` introduces to the scope. Deliberately
/// ill-formed declarations add nothing: Lean rejects them.
pub fn register(env: &mut Env, d: &Decl) {
    if super::families::is_ill_formed(d) {
        return;
    }
    match d {
        Decl::Universe(us) => env.universes = us.clone(),
        // Kernel declarations are not used by later surface terms.
        Decl::SetOption(..) | Decl::AddDecl { .. } => {}
        Decl::Inductive(ind) if ind.ctors.iter().any(|c| c.result.is_some()) => {
            if let Some(f) = indexed_family(env, ind) {
                env.indexed.push(f);
            }
        }
        Decl::Inductive(ind) => register_inductives(env, std::slice::from_ref(ind)),
        Decl::Mutual(inds) => register_inductives(env, inds),
        Decl::Structure(st) if st.class => {
            if let Some(c) = class_info(st) {
                env.classes.push(c);
            }
        }
        Decl::Structure(st) => {
            let fields = st
                .fields
                .iter()
                .map(|(f, t)| (f.clone(), parse_ty(t, env, &[]).unwrap_or(Ty::Nat)))
                .collect();
            env.types.push(UserType {
                name: st.name.clone(),
                params: vec![],
                shape: TypeShape::Structure { fields },
                decidable_eq: st.deriving.iter().any(|d| d == "DecidableEq"),
            });
        }
        Decl::Def(def) => register_def(env, def),
    }
}

/// Inductive types declared together: all names first, so constructor
/// arguments may refer to any type of the group.
fn register_inductives(env: &mut Env, inds: &[Inductive]) {
    let first = env.types.len();
    for ind in inds {
        env.types.push(UserType {
            name: ind.name.clone(),
            params: ind.params.iter().map(|b| b.name.clone()).collect(),
            shape: TypeShape::Inductive { ctors: vec![] },
            decidable_eq: ind.deriving.iter().any(|d| d == "DecidableEq"),
        });
    }
    for (k, ind) in inds.iter().enumerate() {
        let tvars: Vec<Name> = ind.params.iter().map(|b| b.name.clone()).collect();
        let ctors = ind
            .ctors
            .iter()
            .map(|c| CtorSig {
                name: c.name.clone(),
                args: c
                    .args
                    .iter()
                    .map(|b| parse_ty(&b.ty, env, &tvars).unwrap_or(Ty::Nat))
                    .collect(),
            })
            .collect();
        env.types[first + k].shape = TypeShape::Inductive { ctors };
    }
}

/// An indexed family as the generator writes them: a base constructor
/// and a step constructor whose second argument is the element (data) or
/// the proof of the previous index (relation).
fn indexed_family(env: &Env, ind: &Inductive) -> Option<IndexedFamily> {
    let [base, step] = ind.ctors.as_slice() else {
        return None;
    };
    let elem = match &ind.sort {
        Term::Arrow(_, rest) if matches!(**rest, Term::Arrow(..)) => None,
        _ => Some(parse_ty(&step.args.get(1)?.ty, env, &[])?),
    };
    Some(IndexedFamily {
        name: ind.name.clone(),
        base: base.name.clone(),
        step: step.name.clone(),
        elem,
    })
}

/// A class as the generator writes them: one type parameter and one
/// method `α → … → α`.
fn class_info(st: &Structure) -> Option<ClassInfo> {
    let (method, ty) = st.fields.first()?;
    let mut arity = 0;
    let mut t = ty;
    while let Term::Arrow(_, rest) = t {
        arity += 1;
        t = rest;
    }
    Some(ClassInfo {
        name: st.name.clone(),
        method: method.clone(),
        arity,
    })
}

fn register_def(env: &mut Env, def: &Def) {
    if def.kind == DefKind::Instance {
        register_instance(env, def);
        return;
    }
    if matches!(def.kind, DefKind::Theorem | DefKind::Axiom) || def.name.is_empty() {
        return;
    }
    if let Some(form) = level_form(def) {
        env.level_defs.push(LevelDef {
            name: def.name.clone(),
            form,
            explicit: !def.univ_params.is_empty(),
        });
        return;
    }
    let tvars: Vec<Name> = def
        .binders
        .iter()
        .filter(|b| b.kind == BinderKind::Implicit && matches!(b.ty, Term::Sort(_)))
        .map(|b| b.name.clone())
        .collect();
    let params: Option<Vec<Ty>> = def
        .binders
        .iter()
        .filter(|b| b.kind == BinderKind::Explicit)
        .map(|b| parse_ty(&b.ty, env, &tvars))
        .collect();
    let Some(mut params) = params else { return };
    let Some(ty) = parse_ty(&def.ty, env, &tvars) else {
        return;
    };
    let ret = match (&def.body, ty) {
        (Body::Arms(_), Ty::Arrow(scrut, ret)) => {
            params.push(*scrut);
            *ret
        }
        (_, ty) => ty,
    };
    env.globals.push(Global {
        name: def.name.clone(),
        tparams: tvars,
        params,
        ret,
    });
}

/// An instance of a user class makes its method callable at that type.
fn register_instance(env: &mut Env, def: &Def) {
    let Term::App(f, args) = &def.ty else { return };
    let (Term::Ident(class), [arg]) = (&**f, args.as_slice()) else {
        return;
    };
    let Some(c) = env.classes.iter().find(|c| &c.name == class).cloned() else {
        return;
    };
    let Some(t) = parse_ty(arg, env, &[]) else {
        return;
    };
    env.globals.push(Global {
        name: format!("{}.{}", c.name, c.method),
        tparams: vec![],
        params: vec![t.clone(); c.arity],
        ret: t,
    });
}

/// The shape of a sort-level definition, as `level_def` writes them.
fn level_form(def: &Def) -> Option<LevelForm> {
    if !matches!(def.ty, Term::Sort(_)) {
        return None;
    }
    let Body::Term(body) = &def.body else {
        return None;
    };
    Some(match body {
        Term::Arrow(_, b) if matches!(**b, Term::Arrow(..)) => LevelForm::ImaxToProp,
        Term::Arrow(..) => LevelForm::ImaxArrow,
        Term::App(f, _) if **f == Term::Ident("Prod".into()) => LevelForm::MaxProd,
        Term::App(f, _) if **f == Term::Ident("PLift".into()) => LevelForm::Lift,
        Term::Ident(_) => LevelForm::SuccSort,
        _ => return None,
    })
}

/// The largest number ending any name in the program (`x12` → 12).
pub fn max_name_number(decls: &[Decl]) -> usize {
    let text: String = decls.iter().map(super::render::render_decl).collect();
    let mut max = 0;
    let mut digits = String::new();
    let mut prev_alpha = false;
    for c in text.chars() {
        if c.is_ascii_digit() && (prev_alpha || !digits.is_empty()) {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            max = max.max(digits.parse().unwrap_or(0));
            digits.clear();
        }
        prev_alpha = c.is_alphabetic() || c == '_';
    }
    if !digits.is_empty() {
        max = max.max(digits.parse().unwrap_or(0));
    }
    max
}

//! An inductive type's declaration group — the type, its constructors and
//! its recursor with one rule per constructor — derived as Lean's kernel
//! derives it from the types alone (`inductive.cpp`, `mk_rec_infos`), for
//! one inductive type or a group of mutually inductive ones (not nested). The export format
//! lists the recursor; every kernel re-derives and compares it, so getting
//! it exactly right is what makes a generated environment well-formed.

use super::expr::{apps, cnst, instantiate_pis, lam, open_pis, pi, unapp, Fresh, Local};
use super::*;

/// What the user writes: the type and its constructors.
#[derive(Debug, Clone)]
pub struct IndSpec {
    pub name: Name,
    pub level_params: Vec<Name>,
    pub num_params: usize,
    /// `∀ params indices, Sort l`.
    pub ty: Expr,
    /// Each constructor's name and type `∀ params fields, I params indices`.
    pub ctors: Vec<(Name, Expr)>,
}

/// Whether a level is certainly not zero (the kernel's `is_not_zero`).
fn is_not_zero(l: &Level) -> bool {
    match l {
        Level::Zero | Level::Param(_) => false,
        Level::Succ(_) => true,
        Level::Max(a, b) => is_not_zero(a) || is_not_zero(b),
        Level::IMax(_, b) => is_not_zero(b),
    }
}

/// Lean's `infer_implicit(type, strict)` over a recursor's binders: an
/// explicit binder becomes implicit when a later binder's type mentions
/// it. So parameters, indices and motives are implicit — except a motive
/// no minor premise mentions (`False.rec`, `Empty.rec`), which stays
/// explicit — and minor premises and the major premise stay explicit.
fn mark_implicit(binders: &mut [Local]) {
    for i in 0..binders.len() {
        if binders[i].info != BinderInfo::Default {
            continue;
        }
        let v = binders[i].fvar();
        if binders[i + 1..].iter().any(|b| mentions(&b.ty, &v)) {
            binders[i].info = BinderInfo::Implicit;
        }
    }
}

fn mentions(e: &Expr, v: &Expr) -> bool {
    e == v || super::expr::children(e).into_iter().any(|c| mentions(c, v))
}

/// Derives the declaration group of one inductive type. `is_prop` says
/// whether a field's type is a proposition (needed to decide large
/// elimination for inductive propositions).
pub fn derive(spec: &IndSpec, is_prop: &dyn Fn(&Expr) -> bool) -> Result<Decl, String> {
    derive_group(std::slice::from_ref(spec), is_prop)
}

/// One constructor as the recursor sees it.
struct CtorInfo {
    name: Name,
    /// Which type of the group it builds.
    of: usize,
    fields: Vec<Local>,
    /// For each recursive field: its position, its own binders, which type
    /// of the group its result is, and the indices of its result.
    recursive: Vec<(usize, Vec<Local>, usize, Vec<Expr>)>,
    result_indices: Vec<Expr>,
}

/// Derives the declaration group of mutually inductive types (one type:
/// the ordinary case). The types share their level parameters and their
/// parameters (the first type's are taken), and live in the same sort.
/// Each recursor takes every type's motive and every constructor's minor
/// premise, in the group's order; an induction hypothesis of a field of
/// the group's type `j` uses motive `j`, and its rule calls `j`'s
/// recursor.
pub fn derive_group(specs: &[IndSpec], is_prop: &dyn Fn(&Expr) -> bool) -> Result<Decl, String> {
    let first = specs.first().ok_or("an inductive group needs a type")?;
    for s in specs {
        if s.level_params != first.level_params || s.num_params != first.num_params {
            return Err(format!(
                "{}: the types of a group share level parameters and parameters",
                s.name
            ));
        }
    }
    let mut fresh = Fresh::default();
    let lvls: Vec<Level> = first
        .level_params
        .iter()
        .cloned()
        .map(Level::Param)
        .collect();
    let consts: Vec<Expr> = specs.iter().map(|s| cnst(&s.name, &lvls)).collect();
    // The parameters keep the binder infos of the first type's binders:
    // recursor rules bind them so; the recursor's type makes them
    // implicit (`mark_implicit`).
    let (params, _) = open_pis(&first.ty, first.num_params, &mut fresh);
    if params.len() < first.num_params {
        return Err(format!("{}: fewer binders than parameters", first.name));
    }
    let param_args: Vec<Expr> = params.iter().map(Local::fvar).collect();

    // Each type's indices, and the sort they all live in.
    let mut indices_of: Vec<Vec<Local>> = Vec::new();
    let mut result_level = None;
    for s in specs {
        let (indices, sort) =
            open_pis(&instantiate_pis(&s.ty, &param_args), usize::MAX, &mut fresh);
        let Expr::Sort(level) = sort else {
            return Err(format!("{}: its type does not end in a sort", s.name));
        };
        if result_level.as_ref().is_some_and(|l| *l != level) {
            return Err(format!("{}: the types of a group live in one sort", s.name));
        }
        result_level = Some(level);
        indices_of.push(indices);
    }
    let result_level = result_level.expect("a group has a type");

    // Each constructor: fields, recursive fields, result indices.
    let mut infos = Vec::new();
    for (of, s) in specs.iter().enumerate() {
        for (cname, cty) in &s.ctors {
            let opened = instantiate_pis(cty, &param_args);
            let (fields, result) = open_pis(&opened, usize::MAX, &mut fresh);
            let (head, args) = unapp(&result);
            if *head != consts[of] || args.len() != s.num_params + indices_of[of].len() {
                return Err(format!(
                    "{cname}: its result is not {} applied to its parameters and indices",
                    s.name
                ));
            }
            let mut recursive = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                let (ys, fres) = open_pis(&f.ty, usize::MAX, &mut fresh);
                let (fh, fargs) = unapp(&fres);
                if let Some(m) = consts.iter().position(|c| c == fh) {
                    let js = fargs[s.num_params..].iter().map(|e| (*e).clone()).collect();
                    recursive.push((i, ys, m, js));
                }
            }
            infos.push(CtorInfo {
                name: cname.clone(),
                of,
                fields,
                recursive,
                result_indices: args[s.num_params..].iter().map(|e| (*e).clone()).collect(),
            });
        }
    }

    // Large elimination (the kernel's elim_only_at_universe_zero): a
    // proposition eliminates only into Prop when it is mutual, has several
    // constructors, or one with a field that is neither a proposition nor
    // a result index.
    let large = is_not_zero(&result_level)
        || (specs.len() == 1
            && match infos.as_slice() {
                [] => true,
                [only] => only.fields.iter().all(|f| {
                    is_prop(&f.ty) || only.result_indices.iter().any(|ix| *ix == f.fvar())
                }),
                _ => false,
            });
    let motive_univ = (0..)
        .map(|i| {
            if i == 0 {
                "u".to_string()
            } else {
                format!("u_{i}")
            }
        })
        .find(|u| !first.level_params.contains(&Name::from_dotted(u)))
        .expect("some name is free");
    let elim_level = if large {
        Level::Param(Name::from_dotted(&motive_univ))
    } else {
        Level::Zero
    };

    // motive_j : ∀ indices (t : I_j params indices), Sort elim
    let mut motives = Vec::new();
    for (j, indices) in indices_of.iter().enumerate() {
        let (ixs, _) = open_pis(
            &pi(indices, Expr::Sort(Level::Zero)),
            usize::MAX,
            &mut fresh,
        );
        let t = fresh.local(
            Name::from_dotted("t"),
            apps(
                consts[j].clone(),
                param_args
                    .iter()
                    .cloned()
                    .chain(ixs.iter().map(Local::fvar)),
            ),
            BinderInfo::Default,
        );
        let mut all = ixs;
        all.push(t);
        let name = if specs.len() == 1 {
            "motive".to_string()
        } else {
            format!("motive_{}", j + 1)
        };
        motives.push(fresh.local(
            Name::from_dotted(&name),
            pi(&all, Expr::Sort(elim_level.clone())),
            BinderInfo::Default,
        ));
    }
    let motive_app = |j: usize, ixs: &[Expr], major: Expr| {
        apps(motives[j].fvar(), ixs.iter().cloned().chain([major]))
    };

    // Minor premises, every constructor of every type in order.
    let mut minors = Vec::new();
    for info in &infos {
        let mut ihs = Vec::new();
        for (i, ys, m, js) in &info.recursive {
            let f = &info.fields[*i];
            let applied = apps(f.fvar(), ys.iter().map(Local::fvar));
            let ih_ty = pi(ys, motive_app(*m, js, applied));
            let mut ih_name = f.name.clone();
            if let Some(NamePart::Str(s)) = ih_name.0.last_mut() {
                *s = format!("{s}_ih");
            }
            ihs.push(fresh.local(ih_name, ih_ty, BinderInfo::Default));
        }
        let ctor_app = apps(
            cnst(&info.name, &lvls),
            param_args
                .iter()
                .cloned()
                .chain(info.fields.iter().map(Local::fvar)),
        );
        // Fields keep the constructor's binder infos.
        let mut binders: Vec<Local> = info.fields.clone();
        binders.extend(ihs);
        let minor_ty = pi(
            &binders,
            motive_app(info.of, &info.result_indices, ctor_app),
        );
        let minor_name = Name(info.name.0.last().cloned().into_iter().collect());
        minors.push(fresh.local(minor_name, minor_ty, BinderInfo::Default));
    }

    let mut rec_lparams = Vec::new();
    if large {
        rec_lparams.push(Name::from_dotted(&motive_univ));
    }
    rec_lparams.extend(first.level_params.iter().cloned());
    let rec_levels: Vec<Level> = rec_lparams.iter().cloned().map(Level::Param).collect();
    let rec_names: Vec<Name> = specs.iter().map(|s| s.name.str("rec")).collect();
    // params, motives, minors: what every recursor takes first.
    let mut shared: Vec<Local> = params.clone();
    shared.extend(motives.iter().cloned());
    shared.extend(minors.iter().cloned());
    let shared_args: Vec<Expr> = shared.iter().map(Local::fvar).collect();

    let all: Vec<Name> = specs.iter().map(|s| s.name.clone()).collect();
    let is_rec = infos.iter().any(|i| !i.recursive.is_empty());
    let is_reflexive = infos
        .iter()
        .any(|i| i.recursive.iter().any(|(_, ys, _, _)| !ys.is_empty()));
    let k = result_level == Level::Zero
        && specs.len() == 1
        && infos.len() == 1
        && infos[0].fields.is_empty();

    let mut types = Vec::new();
    let mut ctors = Vec::new();
    let mut recs = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        // The recursor's type.
        let rec_indices: Vec<Local> = indices_of[i].clone();
        let major = fresh.local(
            Name::from_dotted("t"),
            apps(
                consts[i].clone(),
                param_args
                    .iter()
                    .cloned()
                    .chain(rec_indices.iter().map(Local::fvar)),
            ),
            BinderInfo::Default,
        );
        let mut rec_binders = shared.clone();
        rec_binders.extend(rec_indices.iter().cloned());
        rec_binders.push(major.clone());
        mark_implicit(&mut rec_binders);
        let rec_ty = pi(
            &rec_binders,
            motive_app(
                i,
                &rec_indices.iter().map(Local::fvar).collect::<Vec<_>>(),
                major.fvar(),
            ),
        );

        // One rule per constructor of this type:
        // fun params motives minors fields => minor fields ihs.
        let mut rules = Vec::new();
        for (k, info) in infos.iter().enumerate().filter(|(_, c)| c.of == i) {
            let ih_values: Vec<Expr> = info
                .recursive
                .iter()
                .map(|(f, ys, m, js)| {
                    let f = &info.fields[*f];
                    let call = apps(
                        cnst(&rec_names[*m], &rec_levels),
                        shared_args
                            .iter()
                            .cloned()
                            .chain(js.iter().cloned())
                            .chain([apps(f.fvar(), ys.iter().map(Local::fvar))]),
                    );
                    lam(ys, call)
                })
                .collect();
            let body = apps(
                minors[k].fvar(),
                info.fields.iter().map(Local::fvar).chain(ih_values),
            );
            // Parameters as the type binds them, motives and minor
            // premises explicit, fields as the constructor binds them:
            // what Lean's kernel writes (`mk_rec_rules` in
            // src/kernel/inductive.cpp) and lean4export exports.
            let mut binders = shared.clone();
            binders.extend(info.fields.iter().cloned());
            rules.push(RecursorRule {
                ctor: info.name.clone(),
                nfields: info.fields.len() as u64,
                rhs: lam(&binders, body),
            });
        }

        types.push(InductiveVal {
            name: s.name.clone(),
            level_params: s.level_params.clone(),
            ty: s.ty.clone(),
            num_params: s.num_params as u64,
            num_indices: indices_of[i].len() as u64,
            all: all.clone(),
            ctors: s.ctors.iter().map(|(n, _)| n.clone()).collect(),
            num_nested: 0,
            is_rec,
            is_unsafe: false,
            is_reflexive,
        });
        for (cidx, (info, (_, ty))) in infos.iter().filter(|c| c.of == i).zip(&s.ctors).enumerate()
        {
            ctors.push(ConstructorVal {
                name: info.name.clone(),
                level_params: s.level_params.clone(),
                ty: ty.clone(),
                induct: s.name.clone(),
                cidx: cidx as u64,
                num_params: s.num_params as u64,
                num_fields: info.fields.len() as u64,
                is_unsafe: false,
            });
        }
        recs.push(RecursorVal {
            name: rec_names[i].clone(),
            level_params: rec_lparams.clone(),
            ty: rec_ty,
            all: all.clone(),
            num_params: s.num_params as u64,
            num_indices: indices_of[i].len() as u64,
            num_motives: specs.len() as u64,
            num_minors: infos.len() as u64,
            rules,
            k,
            is_unsafe: false,
        });
    }
    Ok(Decl::Inductive { types, ctors, recs })
}

//! An inductive type's declaration group — the type, its constructors and
//! its recursor with one rule per constructor — derived as Lean's kernel
//! derives it from the types alone (`inductive.cpp`, `mk_rec_infos`), for
//! one inductive type that is neither mutual nor nested. The export format
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

/// Derives the declaration group. `is_prop` says whether a field's type is
/// a proposition (needed to decide large elimination for inductive
/// propositions).
pub fn derive(spec: &IndSpec, is_prop: &dyn Fn(&Expr) -> bool) -> Result<Decl, String> {
    let mut fresh = Fresh::default();
    let lvls: Vec<Level> = spec
        .level_params
        .iter()
        .cloned()
        .map(Level::Param)
        .collect();
    let ind_const = cnst(&spec.name, &lvls);
    let (binders, sort) = open_pis(&spec.ty, usize::MAX, &mut fresh);
    let Expr::Sort(result_level) = sort else {
        return Err(format!("{}: its type does not end in a sort", spec.name));
    };
    if binders.len() < spec.num_params {
        return Err(format!("{}: fewer binders than parameters", spec.name));
    }
    let mut params: Vec<Local> = binders[..spec.num_params].to_vec();
    for p in &mut params {
        p.info = BinderInfo::Implicit;
    }
    let indices: Vec<Local> = binders[spec.num_params..].to_vec();
    let param_args: Vec<Expr> = params.iter().map(Local::fvar).collect();

    // Each constructor: fields, recursive fields, result indices.
    struct CtorInfo {
        name: Name,
        fields: Vec<Local>,
        /// For each recursive field: its position, its own binders and the
        /// indices of its result.
        recursive: Vec<(usize, Vec<Local>, Vec<Expr>)>,
        result_indices: Vec<Expr>,
    }
    let mut infos = Vec::new();
    for (cname, cty) in &spec.ctors {
        let opened = instantiate_pis(cty, &param_args);
        let (fields, result) = open_pis(&opened, usize::MAX, &mut fresh);
        let (head, args) = unapp(&result);
        if *head != ind_const || args.len() != spec.num_params + indices.len() {
            return Err(format!(
                "{cname}: its result is not {} applied to its parameters and indices",
                spec.name
            ));
        }
        let mut recursive = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let (ys, fres) = open_pis(&f.ty, usize::MAX, &mut fresh);
            let (fh, fargs) = unapp(&fres);
            if *fh == ind_const {
                let js = fargs[spec.num_params..]
                    .iter()
                    .map(|e| (*e).clone())
                    .collect();
                recursive.push((i, ys, js));
            }
        }
        infos.push(CtorInfo {
            name: cname.clone(),
            fields,
            recursive,
            result_indices: args[spec.num_params..]
                .iter()
                .map(|e| (*e).clone())
                .collect(),
        });
    }

    // Large elimination (the kernel's elim_only_at_universe_zero).
    let large = is_not_zero(&result_level)
        || match infos.as_slice() {
            [] => true,
            [only] => only
                .fields
                .iter()
                .all(|f| is_prop(&f.ty) || only.result_indices.iter().any(|ix| *ix == f.fvar())),
            _ => false,
        };
    let motive_univ = (0..)
        .map(|i| {
            if i == 0 {
                "u".to_string()
            } else {
                format!("u_{i}")
            }
        })
        .find(|u| !spec.level_params.contains(&Name::from_dotted(u)))
        .expect("some name is free");
    let elim_level = if large {
        Level::Param(Name::from_dotted(&motive_univ))
    } else {
        Level::Zero
    };

    // motive : ∀ indices (t : I params indices), Sort elim
    let motive_ty = {
        let (ixs, _) = open_pis(
            &pi(&indices, Expr::Sort(Level::Zero)),
            usize::MAX,
            &mut fresh,
        );
        let t = fresh.local(
            Name::from_dotted("t"),
            apps(
                ind_const.clone(),
                param_args
                    .iter()
                    .cloned()
                    .chain(ixs.iter().map(Local::fvar)),
            ),
            BinderInfo::Default,
        );
        let mut all = ixs;
        all.push(t);
        pi(&all, Expr::Sort(elim_level.clone()))
    };
    let motive = fresh.local(Name::from_dotted("motive"), motive_ty, BinderInfo::Implicit);
    let motive_app =
        |ixs: &[Expr], major: Expr| apps(motive.fvar(), ixs.iter().cloned().chain([major]));

    // Minor premises.
    let mut minors = Vec::new();
    let mut ihs_of = Vec::new();
    for info in &infos {
        let mut ihs = Vec::new();
        for (i, ys, js) in &info.recursive {
            let f = &info.fields[*i];
            let applied = apps(f.fvar(), ys.iter().map(Local::fvar));
            let ih_ty = pi(ys, motive_app(js, applied));
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
        let mut binders: Vec<Local> = info.fields.clone();
        for b in &mut binders {
            b.info = BinderInfo::Default;
        }
        binders.extend(ihs.iter().cloned());
        let minor_ty = pi(&binders, motive_app(&info.result_indices, ctor_app));
        let minor_name = Name(info.name.0.last().cloned().into_iter().collect());
        minors.push(fresh.local(minor_name, minor_ty, BinderInfo::Default));
        ihs_of.push(ihs);
    }

    // The recursor's type.
    let rec_indices: Vec<Local> = indices
        .iter()
        .map(|l| {
            let mut l = l.clone();
            l.info = BinderInfo::Implicit;
            l
        })
        .collect();
    let major = fresh.local(
        Name::from_dotted("t"),
        apps(
            ind_const.clone(),
            param_args
                .iter()
                .cloned()
                .chain(rec_indices.iter().map(Local::fvar)),
        ),
        BinderInfo::Default,
    );
    let mut rec_binders: Vec<Local> = params.clone();
    rec_binders.push(motive.clone());
    rec_binders.extend(minors.iter().cloned());
    rec_binders.extend(rec_indices.iter().cloned());
    rec_binders.push(major.clone());
    let rec_ty = pi(
        &rec_binders,
        motive_app(
            &rec_indices.iter().map(Local::fvar).collect::<Vec<_>>(),
            major.fvar(),
        ),
    );

    let rec_name = spec.name.str("rec");
    let mut rec_lparams = Vec::new();
    if large {
        rec_lparams.push(Name::from_dotted(&motive_univ));
    }
    rec_lparams.extend(spec.level_params.iter().cloned());
    let rec_levels: Vec<Level> = rec_lparams.iter().cloned().map(Level::Param).collect();

    // One rule per constructor: fun params motive minors fields => minor fields ihs.
    let mut rules = Vec::new();
    for (k, info) in infos.iter().enumerate() {
        let ih_values: Vec<Expr> = info
            .recursive
            .iter()
            .map(|(i, ys, js)| {
                let f = &info.fields[*i];
                let call = apps(
                    cnst(&rec_name, &rec_levels),
                    param_args
                        .iter()
                        .cloned()
                        .chain([motive.fvar()])
                        .chain(minors.iter().map(Local::fvar))
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
        let mut binders: Vec<Local> = params.clone();
        binders.push(motive.clone());
        binders.extend(minors.iter().cloned());
        let mut fields = info.fields.clone();
        for f in &mut fields {
            f.info = BinderInfo::Default;
        }
        binders.extend(fields);
        rules.push(RecursorRule {
            ctor: info.name.clone(),
            nfields: info.fields.len() as u64,
            rhs: lam(&binders, body),
        });
    }

    let is_rec = infos.iter().any(|i| !i.recursive.is_empty());
    let is_reflexive = infos
        .iter()
        .any(|i| i.recursive.iter().any(|(_, ys, _)| !ys.is_empty()));
    let k = result_level == Level::Zero && infos.len() == 1 && infos[0].fields.is_empty();
    let all = vec![spec.name.clone()];
    Ok(Decl::Inductive {
        types: vec![InductiveVal {
            name: spec.name.clone(),
            level_params: spec.level_params.clone(),
            ty: spec.ty.clone(),
            num_params: spec.num_params as u64,
            num_indices: indices.len() as u64,
            all: all.clone(),
            ctors: spec.ctors.iter().map(|(n, _)| n.clone()).collect(),
            num_nested: 0,
            is_rec,
            is_unsafe: false,
            is_reflexive,
        }],
        ctors: infos
            .iter()
            .zip(&spec.ctors)
            .enumerate()
            .map(|(i, (info, (_, ty)))| ConstructorVal {
                name: info.name.clone(),
                level_params: spec.level_params.clone(),
                ty: ty.clone(),
                induct: spec.name.clone(),
                cidx: i as u64,
                num_params: spec.num_params as u64,
                num_fields: info.fields.len() as u64,
                is_unsafe: false,
            })
            .collect(),
        recs: vec![RecursorVal {
            name: rec_name,
            level_params: rec_lparams,
            ty: rec_ty,
            all,
            num_params: spec.num_params as u64,
            num_indices: indices.len() as u64,
            num_motives: 1,
            num_minors: infos.len() as u64,
            rules,
            k,
            is_unsafe: false,
        }],
    })
}

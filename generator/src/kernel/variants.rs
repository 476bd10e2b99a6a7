//! Semantics-preserving variants of an environment, for the metamorphic
//! oracle: a kernel must give the same answer to each. None changes what
//! a declaration means to a kernel — binder names and binder infos are
//! ignored by definitional equality, `mdata` is transparent, independent
//! declarations may come in either order, an unused declaration changes
//! nothing, and a definition's value may be β- or η-expanded.
//! Deterministic for a seed, so a finding is reproduced from the relation
//! and the seed recorded with it.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::edit::{terms_mut, uses};
use super::{BinderInfo, Decl, Expr, Hints, Level, Name, Safety};

/// A semantics-preserving change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Every binder of one declaration renamed.
    BinderNames,
    /// Binder infos of one declaration changed (for an inductive type with
    /// recursors: the rules' binders take the recursor type's infos).
    BinderInfos,
    /// One definition's or theorem's value wrapped in `mdata`.
    #[serde(rename = "mdata")]
    MData,
    /// Two neighbouring declarations that do not use each other swapped.
    Reorder,
    /// An unused definition inserted.
    #[serde(rename = "unused-decl")]
    Unused,
    /// A value `v` written `(fun (_ : Sort 1) => v) (Sort 0)`.
    BetaExpand,
    /// A value `v` of a function type written `fun x => v x`.
    EtaExpand,
}

impl Relation {
    pub const ALL: [Relation; 7] = [
        Relation::BinderNames,
        Relation::BinderInfos,
        Relation::MData,
        Relation::Reorder,
        Relation::Unused,
        Relation::BetaExpand,
        Relation::EtaExpand,
    ];

    /// Its name in signatures and flags.
    pub fn name(self) -> &'static str {
        match self {
            Relation::BinderNames => "binder-names",
            Relation::BinderInfos => "binder-infos",
            Relation::MData => "mdata",
            Relation::Reorder => "reorder",
            Relation::Unused => "unused-decl",
            Relation::BetaExpand => "beta-expand",
            Relation::EtaExpand => "eta-expand",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.name() == s)
    }
}

/// Which declarations a variant may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Those from this index on (the prelude before it stays as it is).
    From(usize),
    /// The one declaring this name (so a variant follows its declaration
    /// when others come and go, as in a reduction).
    Named(Name),
}

impl Scope {
    fn admits(&self, decls: &[Decl], i: usize) -> bool {
        match self {
            Scope::From(from) => i >= *from,
            Scope::Named(n) => decls[i].names().contains(&n),
        }
    }
}

/// The variant of `decls` under `relation` for `seed`, changing only
/// declarations in `scope`; `None` when the relation has nowhere to apply.
pub fn variant(decls: &[Decl], scope: &Scope, relation: Relation, seed: u64) -> Option<Vec<Decl>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut out = decls.to_vec();
    let from = match scope {
        Scope::From(from) => *from,
        Scope::Named(_) => 0,
    };
    let pick = |rng: &mut Xoshiro256PlusPlus, places: Vec<usize>| -> Option<usize> {
        let places: Vec<usize> = places
            .into_iter()
            .filter(|&i| scope.admits(decls, i))
            .collect();
        (!places.is_empty()).then(|| places[rng.random_range(0..places.len())])
    };
    match relation {
        Relation::BinderNames => {
            let i = pick(&mut rng, with_binders(&out, from))?;
            let mut k = 0;
            for t in terms_mut(&mut out[i]) {
                *t = rename_binders(t, &mut k);
            }
        }
        Relation::BinderInfos => {
            let i = pick(&mut rng, with_binders(&out, from))?;
            let from_type = rng.random_bool(0.5);
            let before = out[i].clone();
            if let (true, Decl::Inductive { recs, .. }) = (from_type, &mut out[i]) {
                for r in recs.iter_mut() {
                    let infos = pi_infos(&r.ty);
                    for rule in r.rules.iter_mut() {
                        rule.rhs = set_lambda_infos(&rule.rhs, &infos);
                    }
                }
            }
            // Otherwise (or when the rules had those infos already) every
            // binder gets one info, the first of these that changes it.
            let start = rng.random_range(0..3);
            for k in 0..3 {
                if out[i] != before {
                    break;
                }
                let info = [
                    BinderInfo::Implicit,
                    BinderInfo::Default,
                    BinderInfo::StrictImplicit,
                ][(start + k) % 3];
                for t in terms_mut(&mut out[i]) {
                    *t = set_all_infos(t, info);
                }
            }
        }
        Relation::MData => {
            let i = pick(&mut rng, with_value(&out, from))?;
            let v = value_mut(&mut out[i])?;
            *v = Expr::MData("{}".into(), Box::new(v.clone()));
        }
        Relation::Reorder => {
            // Only definitions, theorems, opaques and axioms: an inductive
            // type or the quotient may be needed without being named (a
            // literal needs `Nat`, `Quot` needs `Eq`).
            let movable = |d: &Decl| !matches!(d, Decl::Inductive { .. } | Decl::Quot { .. });
            let swappable: Vec<usize> = (from..out.len().saturating_sub(1))
                .filter(|&i| {
                    let names = out[i].names();
                    movable(&out[i])
                        && movable(&out[i + 1])
                        && !uses(&out[i + 1]).iter().any(|n| names.contains(n))
                })
                .collect();
            let i = pick(&mut rng, swappable)?;
            out.swap(i, i + 1);
        }
        Relation::Unused => {
            let at = rng.random_range(from.min(out.len())..=out.len());
            let taken: Vec<Name> = out.iter().flat_map(|d| d.names()).cloned().collect();
            let mut k = 0u64;
            let name = loop {
                let n = Name::from_dotted(&format!("leanfuzzUnused{k}"));
                if !taken.contains(&n) {
                    break n;
                }
                k += 1;
            };
            // `def leanfuzzUnusedK : Sort 2 := Sort 1`.
            out.insert(
                at,
                Decl::Def {
                    all: vec![name.clone()],
                    name,
                    level_params: Vec::new(),
                    ty: Expr::Sort(succ(succ(Level::Zero))),
                    value: Expr::Sort(succ(Level::Zero)),
                    hints: Hints::Regular(1),
                    safety: Safety::Safe,
                },
            );
        }
        Relation::BetaExpand => {
            let i = pick(&mut rng, with_value(&out, from))?;
            let v = value_mut(&mut out[i])?;
            // A closed value needs no lifting under the new binder.
            let body = v.clone();
            *v = Expr::App(
                Box::new(Expr::Lam(
                    Name::from_dotted("unusedArg"),
                    Box::new(Expr::Sort(succ(Level::Zero))),
                    Box::new(body),
                    BinderInfo::Default,
                )),
                Box::new(Expr::Sort(Level::Zero)),
            );
        }
        Relation::EtaExpand => {
            let places: Vec<usize> = with_value(&out, from)
                .into_iter()
                .filter(|&i| matches!(type_of(&out[i]), Some(Expr::ForallE(..))))
                .collect();
            let i = pick(&mut rng, places)?;
            let Some(Expr::ForallE(n, a, _, bi)) = type_of(&out[i]).cloned() else {
                return None;
            };
            let v = value_mut(&mut out[i])?;
            let body = Expr::App(Box::new(v.clone()), Box::new(Expr::BVar(0)));
            *v = Expr::Lam(n, a, Box::new(body), bi);
        }
    }
    (out != decls).then_some(out)
}

/// The declaration a variant changed: at the first place where the two
/// differ, the original's declaration there (for a swap, the first of the
/// two; for an insertion, the one it went before, or the new one at the
/// end).
pub fn changed(decls: &[Decl], variant: &[Decl]) -> Option<Name> {
    let i = (0..decls.len().max(variant.len())).find(|&i| decls.get(i) != variant.get(i))?;
    let d = decls.get(i).or(variant.get(i))?;
    d.names().first().map(|n| (*n).clone())
}

fn succ(l: Level) -> Level {
    Level::Succ(Box::new(l))
}

/// Declarations from `from` on with a binder somewhere at the top of a
/// term.
fn with_binders(decls: &[Decl], from: usize) -> Vec<usize> {
    (from..decls.len())
        .filter(|&i| {
            super::edit::terms(&decls[i])
                .iter()
                .any(|t| matches!(t, Expr::Lam(..) | Expr::ForallE(..) | Expr::LetE { .. }))
        })
        .collect()
}

/// Definitions and theorems from `from` on (their values are closed terms).
fn with_value(decls: &[Decl], from: usize) -> Vec<usize> {
    (from..decls.len())
        .filter(|&i| matches!(decls[i], Decl::Def { .. } | Decl::Thm { .. }))
        .collect()
}

fn value_mut(d: &mut Decl) -> Option<&mut Expr> {
    match d {
        Decl::Def { value, .. } | Decl::Thm { value, .. } => Some(value),
        _ => None,
    }
}

fn type_of(d: &Decl) -> Option<&Expr> {
    match d {
        Decl::Def { ty, .. } | Decl::Thm { ty, .. } => Some(ty),
        _ => None,
    }
}

fn rename_binders(e: &Expr, k: &mut u64) -> Expr {
    let mut fresh = || {
        *k += 1;
        Name::from_dotted(&format!("mm{k}"))
    };
    match e {
        Expr::Lam(_, t, b, bi) => {
            let n = fresh();
            Expr::Lam(
                n,
                Box::new(rename_binders(t, k)),
                Box::new(rename_binders(b, k)),
                *bi,
            )
        }
        Expr::ForallE(_, t, b, bi) => {
            let n = fresh();
            Expr::ForallE(
                n,
                Box::new(rename_binders(t, k)),
                Box::new(rename_binders(b, k)),
                *bi,
            )
        }
        Expr::LetE {
            ty,
            value,
            body,
            nondep,
            ..
        } => {
            let name = fresh();
            Expr::LetE {
                name,
                ty: Box::new(rename_binders(ty, k)),
                value: Box::new(rename_binders(value, k)),
                body: Box::new(rename_binders(body, k)),
                nondep: *nondep,
            }
        }
        Expr::App(f, a) => Expr::App(
            Box::new(rename_binders(f, k)),
            Box::new(rename_binders(a, k)),
        ),
        Expr::Proj(n, i, s) => Expr::Proj(n.clone(), *i, Box::new(rename_binders(s, k))),
        Expr::MData(d, i) => Expr::MData(d.clone(), Box::new(rename_binders(i, k))),
        other => other.clone(),
    }
}

fn set_all_infos(e: &Expr, info: BinderInfo) -> Expr {
    super::expr::replace(e, 0, &|x, _| match x {
        Expr::Lam(n, t, b, _) => Some(Expr::Lam(
            n.clone(),
            Box::new(set_all_infos(t, info)),
            Box::new(set_all_infos(b, info)),
            info,
        )),
        Expr::ForallE(n, t, b, _) => Some(Expr::ForallE(
            n.clone(),
            Box::new(set_all_infos(t, info)),
            Box::new(set_all_infos(b, info)),
            info,
        )),
        _ => None,
    })
}

/// The binder infos of a telescope of `∀`s, outermost first.
fn pi_infos(mut e: &Expr) -> Vec<BinderInfo> {
    let mut out = Vec::new();
    while let Expr::ForallE(_, _, b, bi) = e {
        out.push(*bi);
        e = b;
    }
    out
}

/// The outermost `λ`s of `e` given `infos` in order (as many as there are
/// of both).
fn set_lambda_infos(e: &Expr, infos: &[BinderInfo]) -> Expr {
    match (e, infos.split_first()) {
        (Expr::Lam(n, t, b, _), Some((info, rest))) => Expr::Lam(
            n.clone(),
            t.clone(),
            Box::new(set_lambda_infos(b, rest)),
            *info,
        ),
        _ => e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::edit::check_closed;
    use crate::kernel::gen::{generate, IllFormedRates, KernelGenConfig};

    #[test]
    fn names_in_records_are_the_names_in_flags() {
        for r in Relation::ALL {
            let json = serde_json::to_value(r).unwrap();
            assert_eq!(json, r.name());
            assert_eq!(Relation::parse(r.name()), Some(r));
        }
    }

    #[test]
    fn every_relation_applies_keeps_environments_closed_and_is_deterministic() {
        let cfg = KernelGenConfig {
            ill_formed: IllFormedRates::none(),
            ..KernelGenConfig::default()
        };
        for r in Relation::ALL {
            let mut applied = 0;
            for seed in 0..20 {
                let env = generate(seed, &cfg);
                let Some(v) = variant(&env.decls, &Scope::From(env.prelude), r, seed) else {
                    continue;
                };
                applied += 1;
                assert_ne!(v, env.decls);
                assert_eq!(
                    Some(&v),
                    variant(&env.decls, &Scope::From(env.prelude), r, seed).as_ref()
                );
                // The changed declaration alone gives a variant too.
                let name = changed(&env.decls, &v).expect("something changed");
                let named = variant(&env.decls, &Scope::Named(name), r, seed);
                assert!(named.is_some(), "{r:?} seed {seed}");
                assert_eq!(v[..env.prelude], env.decls[..env.prelude], "{r:?}");
                check_closed(&v).unwrap_or_else(|e| panic!("{r:?} seed {seed}: {e}"));
            }
            assert!(applied >= 15, "{r:?} applied to {applied} of 20");
        }
    }
}

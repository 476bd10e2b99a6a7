//! The features novelty is judged on for kernel environments: the kinds
//! of declarations after the prelude (and of inductive types: recursive,
//! parametric, indexed, mutual, nested), the term and level constructors
//! they use, the prelude constants they reach, literal sizes, and the
//! ill-formed families they carry.

use std::collections::HashSet;

use super::edit::terms;
use super::gen::Environment;
use super::{Decl, Expr, Level};

/// What novelty is judged on: the kinds of declarations after the prelude
/// (and of inductive types: recursive, parametric, indexed, …), the term
/// and level constructors they use, the prelude constants they
/// reach, literal sizes, and the ill-formed families they carry.
pub fn features(env: &Environment) -> Vec<String> {
    let prelude: HashSet<String> = env.decls[..env.prelude]
        .iter()
        .flat_map(|d| d.names().into_iter().map(|n| n.to_string()))
        .collect();
    let mut out: HashSet<String> = HashSet::new();
    for d in env.user_decls() {
        out.insert(format!("decl:{}", d.kind_name()));
        if let Decl::Inductive { types, .. } = d {
            for t in types {
                for (on, feature) in [
                    (t.is_rec, "ind:recursive"),
                    (t.num_params > 0, "ind:params"),
                    (t.num_indices > 0, "ind:indices"),
                    (t.all.len() > 1, "ind:mutual"),
                    (t.num_nested > 0, "ind:nested"),
                ] {
                    if on {
                        out.insert(feature.to_string());
                    }
                }
            }
        }
        for t in terms(d) {
            expr_features(t, &prelude, &mut out);
        }
    }
    out.extend(
        env.ill_formed
            .iter()
            .map(|l| format!("ill:{}", l.kind.name())),
    );
    let mut v: Vec<String> = out.into_iter().collect();
    v.sort();
    v
}

fn level_features(l: &Level, out: &mut HashSet<String>) {
    match l {
        Level::Zero => {}
        Level::Succ(a) => level_features(a, out),
        Level::Max(a, b) | Level::IMax(a, b) => {
            let kind = if matches!(l, Level::Max(..)) {
                "max"
            } else {
                "imax"
            };
            out.insert(format!("level:{kind}"));
            level_features(a, out);
            level_features(b, out);
        }
        Level::Param(_) => {
            out.insert("level:param".into());
        }
    }
}

fn expr_features(e: &Expr, prelude: &HashSet<String>, out: &mut HashSet<String>) {
    match e {
        Expr::Const(n, us) => {
            let s = n.to_string();
            if prelude.contains(&s) {
                out.insert(format!("use:{s}"));
            }
            us.iter().for_each(|l| level_features(l, out));
        }
        Expr::Sort(l) => level_features(l, out),
        Expr::NatLit(v) => {
            let big = v.len() > 19 || v.parse::<u64>().is_err();
            out.insert(if big { "lit:nat-big" } else { "lit:nat" }.into());
        }
        Expr::StrLit(_) => {
            out.insert("lit:string".into());
        }
        Expr::LetE { .. } => {
            out.insert("expr:let".into());
        }
        Expr::Proj(..) => {
            out.insert("expr:proj".into());
        }
        Expr::MData(..) => {
            out.insert("expr:mdata".into());
        }
        Expr::BVar(_) | Expr::App(..) | Expr::Lam(..) | Expr::ForallE(..) => {}
    }
    for c in super::expr::children(e) {
        expr_features(c, prelude, out);
    }
}

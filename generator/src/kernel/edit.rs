//! Edits of whole environments that keep them closed: what a declaration
//! uses, removing a declaration with everything that depends on it,
//! grafting declarations under fresh names, and the natural-number
//! literals of a declaration. The fuzzer's environment mutations and the
//! reduction of kernel findings are built from these.

use std::collections::{BTreeSet, HashSet};

use super::expr::{children, replace};
use super::*;

/// Every term of a declaration (types, values, recursor rules).
pub fn terms(d: &Decl) -> Vec<&Expr> {
    match d {
        Decl::Axiom { ty, .. } | Decl::Quot { ty, .. } => vec![ty],
        Decl::Def { ty, value, .. }
        | Decl::Opaque { ty, value, .. }
        | Decl::Thm { ty, value, .. } => {
            vec![ty, value]
        }
        Decl::Inductive { types, ctors, recs } => {
            types
                .iter()
                .map(|t| &t.ty)
                .chain(ctors.iter().map(|c| &c.ty))
                .chain(recs.iter().flat_map(|r| {
                    std::iter::once(&r.ty).chain(r.rules.iter().map(|rule| &rule.rhs))
                }))
                .collect()
        }
    }
}

/// Every term of a declaration, to change in place.
pub fn terms_mut(d: &mut Decl) -> Vec<&mut Expr> {
    match d {
        Decl::Axiom { ty, .. } | Decl::Quot { ty, .. } => vec![ty],
        Decl::Def { ty, value, .. }
        | Decl::Opaque { ty, value, .. }
        | Decl::Thm { ty, value, .. } => {
            vec![ty, value]
        }
        Decl::Inductive { types, ctors, recs } => types
            .iter_mut()
            .map(|t| &mut t.ty)
            .chain(ctors.iter_mut().map(|c| &mut c.ty))
            .chain(recs.iter_mut().flat_map(|r| {
                std::iter::once(&mut r.ty).chain(r.rules.iter_mut().map(|rule| &mut rule.rhs))
            }))
            .collect(),
    }
}

fn constants<'a>(e: &'a Expr, out: &mut BTreeSet<&'a Name>) {
    if let Expr::Const(n, _) = e {
        out.insert(n);
    }
    if let Expr::Proj(n, _, _) = e {
        out.insert(n);
    }
    for c in children(e) {
        constants(c, out);
    }
}

/// The names a declaration refers to that it does not declare itself.
pub fn uses(d: &Decl) -> BTreeSet<&Name> {
    let mut out = BTreeSet::new();
    for t in terms(d) {
        constants(t, &mut out);
    }
    if let Decl::Inductive { recs, .. } = d {
        for r in recs {
            out.extend(r.rules.iter().map(|rule| &rule.ctor));
        }
    }
    for own in d.names() {
        out.remove(own);
    }
    out
}

/// Whether every name `decls` use is declared before its use, and no name
/// twice: what the edits here keep (the first offence, if any).
pub fn check_closed(decls: &[Decl]) -> Result<(), String> {
    let mut declared: HashSet<&Name> = HashSet::new();
    for d in decls {
        for n in uses(d) {
            if !declared.contains(n) {
                return Err(format!("{n} used before it is declared"));
            }
        }
        for n in d.names() {
            if !declared.insert(n) {
                return Err(format!("{n} declared twice"));
            }
        }
    }
    Ok(())
}

/// Removes `decls[i]` and every later declaration that depends on it,
/// directly or not. Returns how many were removed.
pub fn remove_with_dependents(decls: &mut Vec<Decl>, i: usize) -> usize {
    if i >= decls.len() {
        return 0;
    }
    let mut gone: HashSet<Name> = decls[i].names().into_iter().cloned().collect();
    let mut keep = vec![true; decls.len()];
    keep[i] = false;
    for (j, d) in decls.iter().enumerate().skip(i + 1) {
        if uses(d).iter().any(|n| gone.contains(*n)) {
            keep[j] = false;
            gone.extend(d.names().into_iter().cloned());
        }
    }
    let before = decls.len();
    let mut k = 0;
    decls.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    before - decls.len()
}

/// The indices of `decls[i]` and of the declarations from `from` on that
/// it needs, directly or not, in order.
pub fn with_dependencies(decls: &[Decl], from: usize, i: usize) -> Vec<usize> {
    let mut need: BTreeSet<usize> = BTreeSet::new();
    let mut todo = vec![i];
    while let Some(j) = todo.pop() {
        if !need.insert(j) {
            continue;
        }
        for n in uses(&decls[j]) {
            if let Some(k) = (from..j).find(|&k| decls[k].names().contains(&n)) {
                todo.push(k);
            }
        }
    }
    need.into_iter().collect()
}

/// `name` with its prefix `from` replaced by `to` (itself if `from` is not
/// a prefix of it).
fn reroot(name: &Name, from: &Name, to: &Name) -> Name {
    if name.0.len() >= from.0.len() && name.0[..from.0.len()] == from.0[..] {
        let mut parts = to.0.clone();
        parts.extend_from_slice(&name.0[from.0.len()..]);
        Name(parts)
    } else {
        name.clone()
    }
}

/// `n` renamed by the first root of `map` it is under.
fn rename_name(n: &Name, map: &[(Name, Name)]) -> Name {
    map.iter()
        .find(|(from, _)| n.0.starts_with(&from.0))
        .map(|(from, to)| reroot(n, from, to))
        .unwrap_or_else(|| n.clone())
}

fn rename_expr(e: &Expr, map: &[(Name, Name)]) -> Expr {
    replace(e, 0, &|e, _| match e {
        Expr::Const(n, us) => Some(Expr::Const(rename_name(n, map), us.clone())),
        Expr::Proj(n, i, s) => Some(Expr::Proj(
            rename_name(n, map),
            *i,
            Box::new(rename_expr(s, map)),
        )),
        _ => None,
    })
}

/// Renames, everywhere in `d`, each name under a root of `map` (a
/// declared name and the names below it, such as `E.rec` under `E`).
fn rename(d: &Decl, map: &[(Name, Name)]) -> Decl {
    let f = |n: &Name| rename_name(n, map);
    let fs = |ns: &Vec<Name>| ns.iter().map(f).collect::<Vec<_>>();
    let mut d = d.clone();
    match &mut d {
        Decl::Axiom { name, .. } | Decl::Quot { name, .. } => *name = f(name),
        Decl::Def { name, all, .. }
        | Decl::Opaque { name, all, .. }
        | Decl::Thm { name, all, .. } => {
            *name = f(name);
            *all = fs(all);
        }
        Decl::Inductive { types, ctors, recs } => {
            for t in types {
                t.name = f(&t.name);
                t.all = fs(&t.all);
                t.ctors = fs(&t.ctors);
            }
            for c in ctors {
                c.name = f(&c.name);
                c.induct = f(&c.induct);
            }
            for r in recs {
                r.name = f(&r.name);
                r.all = fs(&r.all);
                for rule in &mut r.rules {
                    rule.ctor = f(&rule.ctor);
                }
            }
        }
    }
    for t in terms_mut(&mut d) {
        *t = rename_expr(t, map);
    }
    d
}

/// The renaming [`graft`] applied: each renamed root and its new name.
#[derive(Debug, Clone, Default)]
pub struct Renaming(Vec<(Name, Name)>);

impl Renaming {
    /// What `name` (a name of the grafted declarations) is called now.
    pub fn apply(&self, name: &Name) -> Name {
        rename_name(name, &self.0)
    }
}

/// Appends `new` (declarations that refer only to each other and to
/// names `decls` has) to `decls`, renaming what they declare where it
/// would clash: `d3` becomes `d3_1`, `E2.rec` becomes `E2_1.rec`, and
/// their uses follow. Returns the renaming.
pub fn graft(decls: &mut Vec<Decl>, new: Vec<Decl>) -> Renaming {
    let mut taken: HashSet<Name> = decls
        .iter()
        .flat_map(|d| d.names().into_iter().cloned())
        .collect();
    // A root clashes with a name it is, or has below it (renaming a root
    // renames what is below it: `E.rec` follows `E`). A name *above* it
    // is no clash (`Nat.foo` beside `Nat`), and counting it as one made
    // the search below endless for any root under a taken name.
    let clashes =
        |root: &Name, taken: &HashSet<Name>| taken.iter().any(|n| n.0.starts_with(&root.0));
    let mut map: Vec<(Name, Name)> = Vec::new();
    for d in &new {
        let own: Vec<Name> = d.names().into_iter().cloned().collect();
        // Roots: declared names not below another declared name.
        for root in own
            .iter()
            .filter(|n| !own.iter().any(|m| m != *n && n.0.starts_with(&m.0)))
        {
            if !clashes(root, &taken) {
                taken.insert(root.clone());
                continue;
            }
            let (last, stem) = match root.0.split_last() {
                Some((NamePart::Str(s), stem)) => (s.clone(), stem.to_vec()),
                _ => ("x".to_string(), root.0.clone()),
            };
            let fresh = (1..)
                .map(|k| {
                    let mut parts = stem.clone();
                    parts.push(NamePart::Str(format!("{last}_{k}")));
                    Name(parts)
                })
                .find(|cand| !clashes(cand, &taken))
                .expect("an unbounded search finds a fresh name");
            taken.insert(fresh.clone());
            map.push((root.clone(), fresh));
        }
        taken.extend(own);
    }
    // Longer roots first, so a root below another maps by its own entry.
    map.sort_by_key(|(from, _)| std::cmp::Reverse(from.0.len()));
    decls.extend(new.iter().map(|d| rename(d, &map)));
    Renaming(map)
}

/// How many natural-number literals the terms of `d` hold.
pub fn nat_literal_count(d: &Decl) -> usize {
    fn count(e: &Expr) -> usize {
        usize::from(matches!(e, Expr::NatLit(_)))
            + children(e).into_iter().map(count).sum::<usize>()
    }
    terms(d).into_iter().map(count).sum()
}

/// Sets the `k`-th natural-number literal of `d` (in the order of
/// [`terms`], depth first) to `value`; false when it has fewer.
pub fn set_nat_literal(d: &mut Decl, k: usize, value: &str) -> bool {
    fn go(e: &mut Expr, k: &mut usize, value: &str) -> bool {
        if let Expr::NatLit(v) = e {
            if *k == 0 {
                *v = value.to_string();
                return true;
            }
            *k -= 1;
            return false;
        }
        match e {
            Expr::App(f, a) => go(f, k, value) || go(a, k, value),
            Expr::Lam(_, t, b, _) | Expr::ForallE(_, t, b, _) => go(t, k, value) || go(b, k, value),
            Expr::LetE {
                ty, value: v, body, ..
            } => go(ty, k, value) || go(v, k, value) || go(body, k, value),
            Expr::Proj(_, _, s) | Expr::MData(_, s) => go(s, k, value),
            _ => false,
        }
    }
    let mut k = k;
    terms_mut(d).into_iter().any(|t| go(t, &mut k, value))
}

/// Terms one step smaller than `e`, one place at a time: an application
/// by its function or its argument, a projection by its structure,
/// metadata by what it wraps, a literal by 0.
fn smaller_terms(e: &Expr) -> Vec<Expr> {
    let mut out = match e {
        Expr::App(f, a) => vec![(**f).clone(), (**a).clone()],
        Expr::Proj(_, _, s) | Expr::MData(_, s) => vec![(**s).clone()],
        Expr::NatLit(v) if v != "0" => vec![Expr::NatLit("0".into())],
        _ => vec![],
    };
    let rebuild = |e: &Expr, i: usize, new: Expr| -> Expr {
        let mut e = e.clone();
        let slot: &mut Expr = match (&mut e, i) {
            (Expr::App(f, _), 0) => f,
            (Expr::App(_, a), 1) => a,
            (Expr::Lam(_, t, _, _) | Expr::ForallE(_, t, _, _), 0) => t,
            (Expr::Lam(_, _, b, _) | Expr::ForallE(_, _, b, _), 1) => b,
            (Expr::LetE { ty, .. }, 0) => ty,
            (Expr::LetE { value, .. }, 1) => value,
            (Expr::LetE { body, .. }, 2) => body,
            (Expr::Proj(_, _, s) | Expr::MData(_, s), 0) => s,
            _ => unreachable!("child {i} exists"),
        };
        *slot = new;
        e
    };
    for (i, c) in children(e).into_iter().enumerate() {
        for smaller in smaller_terms(c) {
            out.push(rebuild(e, i, smaller));
        }
    }
    out
}

/// Environments one step smaller than `decls`, for reduction: a
/// definition, theorem or opaque turned into an axiom of its type, or one
/// term made smaller in one place ([`smaller_terms`]). Candidates may be
/// ill-typed; the reduction keeps only those that show the same finding.
pub fn smaller_variants(decls: &[Decl]) -> Vec<Vec<Decl>> {
    let mut out = Vec::new();
    for (i, d) in decls.iter().enumerate() {
        let mut with = |new: Decl| {
            let mut v = decls.to_vec();
            v[i] = new;
            out.push(v);
        };
        match d {
            Decl::Def {
                name,
                level_params,
                ty,
                ..
            }
            | Decl::Thm {
                name,
                level_params,
                ty,
                ..
            }
            | Decl::Opaque {
                name,
                level_params,
                ty,
                ..
            } => with(Decl::Axiom {
                name: name.clone(),
                level_params: level_params.clone(),
                ty: ty.clone(),
                is_unsafe: false,
            }),
            _ => {}
        }
        let n = terms(d).len();
        for t in 0..n {
            for smaller in smaller_terms(terms(d)[t]) {
                let mut new = d.clone();
                *terms_mut(&mut new)[t] = smaller;
                with(new);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::gen::{generate, IllFormedRates, KernelGenConfig};
    use super::*;

    fn cfg() -> KernelGenConfig {
        KernelGenConfig {
            ill_formed: IllFormedRates::none(),
            decls: 12,
            ..Default::default()
        }
    }

    #[test]
    fn removing_a_declaration_takes_its_dependents() {
        for seed in 0..50 {
            let env = generate(seed, &cfg());
            for i in env.prelude..env.decls.len() {
                let mut decls = env.decls.clone();
                let removed = remove_with_dependents(&mut decls, i);
                assert!(removed >= 1);
                assert_eq!(decls.len() + removed, env.decls.len());
                check_closed(&decls).unwrap_or_else(|e| panic!("seed {seed}, decl {i}: {e}"));
            }
        }
    }

    #[test]
    fn a_root_below_a_taken_name_is_grafted_under_a_fresh_name() {
        let ax = |n: &str| Decl::Axiom {
            name: Name::from_dotted(n),
            level_params: vec![],
            ty: Expr::Sort(Level::Zero),
            is_unsafe: false,
        };
        let mut decls = vec![ax("Nat"), ax("Nat.foo")];
        graft(&mut decls, vec![ax("Nat.foo"), ax("Nat.bar")]);
        let names: Vec<String> = decls.iter().map(|d| d.names()[0].to_string()).collect();
        assert_eq!(names, ["Nat", "Nat.foo", "Nat.foo_1", "Nat.bar"]);
        check_closed(&decls).unwrap();
    }

    #[test]
    fn grafting_an_environment_onto_itself_renames_and_stays_closed() {
        for seed in 0..50 {
            let env = generate(seed, &cfg());
            let mut decls = env.decls.clone();
            graft(&mut decls, env.user_decls().to_vec());
            check_closed(&decls).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert_eq!(decls.len(), env.decls.len() + env.user_decls().len());
            // A part taken with its dependencies is closed too.
            for i in env.prelude..env.decls.len() {
                let part: Vec<Decl> = with_dependencies(&env.decls, env.prelude, i)
                    .into_iter()
                    .map(|k| env.decls[k].clone())
                    .collect();
                let mut decls = env.decls.clone();
                graft(&mut decls, part);
                check_closed(&decls).unwrap_or_else(|e| panic!("seed {seed}, decl {i}: {e}"));
            }
        }
    }

    #[test]
    fn a_grafted_inductive_keeps_its_recursor_under_its_new_name() {
        let env = (0..)
            .map(|s| generate(s, &cfg()))
            .find(|e| {
                e.user_decls()
                    .iter()
                    .any(|d| matches!(d, Decl::Inductive { .. }))
            })
            .expect("some environment has an enumeration");
        let mut decls = env.decls.clone();
        graft(&mut decls, env.user_decls().to_vec());
        let renamed: Vec<&Decl> = decls[env.decls.len()..]
            .iter()
            .filter(|d| matches!(d, Decl::Inductive { .. }))
            .collect();
        for d in renamed {
            let Decl::Inductive { types, recs, ctors } = d else {
                unreachable!()
            };
            assert!(types[0].name.to_string().contains('_'), "{}", types[0].name);
            assert_eq!(recs[0].name, types[0].name.str("rec"));
            assert!(ctors.iter().all(|c| c.induct == types[0].name));
        }
    }

    /// (term nodes, non-zero literals): every reduction step lowers it, so
    /// reduction ends.
    fn measure(ds: &[Decl]) -> (usize, usize) {
        fn go(e: &Expr, m: &mut (usize, usize)) {
            m.0 += 1;
            if matches!(e, Expr::NatLit(v) if v != "0") {
                m.1 += 1;
            }
            for c in children(e) {
                go(c, m);
            }
        }
        let mut m = (0, 0);
        for d in ds {
            for t in terms(d) {
                go(t, &mut m);
            }
        }
        m
    }

    #[test]
    fn smaller_variants_are_smaller() {
        for seed in 0..20 {
            let env = generate(seed, &cfg());
            let before = measure(env.user_decls());
            let variants = smaller_variants(env.user_decls());
            assert!(!variants.is_empty());
            for v in &variants {
                assert_eq!(v.len(), env.user_decls().len());
                assert!(
                    measure(v) < before,
                    "seed {seed}: {:?} !< {before:?}",
                    measure(v)
                );
            }
        }
    }

    #[test]
    fn literals_are_counted_and_set_in_order() {
        let env = generate(3, &cfg());
        for d in env.user_decls() {
            let n = nat_literal_count(d);
            for k in 0..n {
                let mut e = d.clone();
                assert!(set_nat_literal(&mut e, k, "424242"));
                assert_ne!(&e, d);
            }
            assert!(!set_nat_literal(&mut d.clone(), n, "1"));
        }
    }
}

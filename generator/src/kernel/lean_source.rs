//! Kernel declarations as a Lean file for the surface pipeline: `import
//! Lean`, then one `run_elab addDecl <| …` per declaration with its
//! explicit `Expr` tree (the shape of comparator's own kernel tests), so
//! `lake build` puts them through the builtin kernel and comparator through
//! its external kernels — the same environment the export file gives the
//! external kernels directly.
//!
//! An inductive group becomes one `.inductDecl` with its types and
//! constructors; its recursors are not written, the kernel derives them.
//! The quotient package is one `.quotDecl`, however many of its four
//! constants the environment lists. Metadata around an expression is
//! dropped (it has no kernel meaning).

use super::*;
use crate::lean::names::is_plain_ident;
use crate::lean::render::string_lit;

/// The whole file.
pub fn render(decls: &[Decl]) -> String {
    let mut out = String::from("import Lean\nopen Lean\n");
    let mut quot_done = false;
    for d in decls {
        if let Decl::Quot { .. } = d {
            if quot_done {
                continue;
            }
            quot_done = true;
        }
        out.push('\n');
        out.push_str("run_elab addDecl <| ");
        out.push_str(&declaration(d));
        out.push('\n');
    }
    out
}

/// A `Lean.Declaration` term.
pub fn declaration(d: &Decl) -> String {
    match d {
        Decl::Axiom {
            name,
            level_params,
            ty,
            is_unsafe,
        } => format!(
            ".axiomDecl {{ name := {}, levelParams := {}, type := {}, isUnsafe := {is_unsafe} }}",
            name_term(name),
            names(level_params),
            expr(ty)
        ),
        Decl::Def {
            name,
            level_params,
            ty,
            value,
            hints,
            safety,
            all,
        } => format!(
            ".defnDecl {{ name := {}, levelParams := {}, type := {}, value := {}, hints := {}, safety := {}, all := {} }}",
            name_term(name),
            names(level_params),
            expr(ty),
            expr(value),
            match hints {
                Hints::Opaque => ".opaque".to_string(),
                Hints::Abbrev => ".abbrev".to_string(),
                Hints::Regular(h) => format!("(.regular {h})"),
            },
            match safety {
                Safety::Safe => ".safe",
                Safety::Unsafe => ".unsafe",
                Safety::Partial => ".partial",
            },
            names(all)
        ),
        Decl::Opaque {
            name,
            level_params,
            ty,
            value,
            is_unsafe,
            all,
        } => format!(
            ".opaqueDecl {{ name := {}, levelParams := {}, type := {}, value := {}, isUnsafe := {is_unsafe}, all := {} }}",
            name_term(name),
            names(level_params),
            expr(ty),
            expr(value),
            names(all)
        ),
        Decl::Thm {
            name,
            level_params,
            ty,
            value,
            all,
        } => format!(
            ".thmDecl {{ name := {}, levelParams := {}, type := {}, value := {}, all := {} }}",
            name_term(name),
            names(level_params),
            expr(ty),
            expr(value),
            names(all)
        ),
        Decl::Quot { .. } => ".quotDecl".to_string(),
        Decl::Inductive { types, ctors, .. } => {
            let first = types.first();
            let level_params = first.map(|t| t.level_params.clone()).unwrap_or_default();
            let num_params = first.map_or(0, |t| t.num_params);
            let is_unsafe = first.is_some_and(|t| t.is_unsafe);
            let types: Vec<String> = types
                .iter()
                .map(|t| {
                    let cs: Vec<String> = ctors
                        .iter()
                        .filter(|c| c.induct == t.name)
                        .map(|c| {
                            format!(
                                "{{ name := {}, type := {} }}",
                                name_term(&c.name),
                                expr(&c.ty)
                            )
                        })
                        .collect();
                    format!(
                        "{{ name := {}, type := {}, ctors := [{}] }}",
                        name_term(&t.name),
                        expr(&t.ty),
                        cs.join(", ")
                    )
                })
                .collect();
            format!(
                ".inductDecl {} {num_params} [{}] {is_unsafe}",
                names(&level_params),
                types.join(", ")
            )
        }
    }
}

/// A `Lean.Name`: a quoted name (parts in `«»` where they are not plain
/// identifiers, by the same rule as every other name we write:
/// [`is_plain_ident`]) when every part is a string without `»`, else built
/// part by part.
pub fn name_term(n: &Name) -> String {
    let quotable = !n.0.is_empty()
        && n.0
            .iter()
            .all(|p| matches!(p, NamePart::Str(s) if !s.is_empty() && !s.contains('»')));
    if quotable {
        let parts: Vec<String> =
            n.0.iter()
                .map(|p| match p {
                    NamePart::Str(s) if is_plain_ident(s) => s.clone(),
                    NamePart::Str(s) => format!("«{s}»"),
                    NamePart::Num(_) => unreachable!("checked above"),
                })
                .collect();
        return format!("`{}", parts.join("."));
    }
    let mut t = "Name.anonymous".to_string();
    for p in &n.0 {
        t = match p {
            NamePart::Str(s) => format!("(Name.mkStr {t} {})", string_lit(s)),
            NamePart::Num(k) => format!("(Name.mkNum {t} {k})"),
        };
    }
    t
}

fn names(ns: &[Name]) -> String {
    let parts: Vec<String> = ns.iter().map(name_term).collect();
    format!("[{}]", parts.join(", "))
}

/// A `Lean.Level` term.
pub fn level(l: &Level) -> String {
    match l {
        Level::Zero => "Level.zero".into(),
        Level::Succ(a) => format!("(Level.succ {})", level(a)),
        Level::Max(a, b) => format!("(Level.max {} {})", level(a), level(b)),
        Level::IMax(a, b) => format!("(Level.imax {} {})", level(a), level(b)),
        Level::Param(p) => format!("(Level.param {})", name_term(p)),
    }
}

fn binder_info(bi: BinderInfo) -> &'static str {
    match bi {
        BinderInfo::Default => ".default",
        BinderInfo::Implicit => ".implicit",
        BinderInfo::StrictImplicit => ".strictImplicit",
        BinderInfo::InstImplicit => ".instImplicit",
    }
}

/// A `Lean.Expr` term, on one line.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::BVar(i) => format!("(Expr.bvar {i})"),
        Expr::Sort(l) => format!("(Expr.sort {})", level(l)),
        Expr::Const(n, us) => {
            let us: Vec<String> = us.iter().map(level).collect();
            format!("(Expr.const {} [{}])", name_term(n), us.join(", "))
        }
        Expr::App(f, a) => format!("(Expr.app {} {})", expr(f), expr(a)),
        Expr::Lam(x, t, b, bi) => format!(
            "(Expr.lam {} {} {} {})",
            name_term(x),
            expr(t),
            expr(b),
            binder_info(*bi)
        ),
        Expr::ForallE(x, t, b, bi) => format!(
            "(Expr.forallE {} {} {} {})",
            name_term(x),
            expr(t),
            expr(b),
            binder_info(*bi)
        ),
        Expr::LetE {
            name,
            ty,
            value,
            body,
            nondep,
        } => format!(
            "(Expr.letE {} {} {} {} {nondep})",
            name_term(name),
            expr(ty),
            expr(value),
            expr(body)
        ),
        Expr::Proj(n, i, s) => format!("(Expr.proj {} {i} {})", name_term(n), expr(s)),
        Expr::NatLit(n) => format!("(Expr.lit (.natVal {n}))"),
        Expr::StrLit(s) => format!("(Expr.lit (.strVal {}))", string_lit(s)),
        Expr::MData(_, inner) => expr(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_like_every_other_name_we_write() {
        let q = |s: &str| name_term(&Name::from_dotted(s));
        assert_eq!(q("Nat.add"), "`Nat.add");
        assert_eq!(q("α"), "`α");
        assert_eq!(q("x₁"), "`x₁");
        // Tokens, not identifiers: `λ` is `fun`, and keywords.
        assert_eq!(q("λ"), "`«λ»");
        assert_eq!(q("T.end"), "`T.«end»");
        assert_eq!(q("opaque"), "`«opaque»");
        assert_eq!(q("x y"), "`«x y»");
        assert_eq!(
            name_term(&Name(vec![NamePart::Str("a".into()), NamePart::Num(3)])),
            "(Name.mkNum (Name.mkStr Name.anonymous \"a\") 3)"
        );
    }
}

//! Rendering the AST to Lean 4 text, with a map from output lines back to
//! the declaration that produced them (for validity telemetry: an error's
//! line number names the construct that failed).
//!
//! Nested terms are rendered on one line and parenthesized whenever they are
//! not atoms, so no term's extent depends on indentation; only top-level
//! bodies and tactic blocks use layout (indented two spaces under their
//! declaration / `by`).

use super::ast::*;
use super::names::{render_name, write_name};

pub use super::suffix::GOLDEN_SUFFIX;

/// Which part of the program a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "index")]
pub enum LineOwner {
    Header,
    /// The declaration at this index of `Program::decls`.
    Decl(usize),
    Suffix,
}

/// Rendered text and, for each line (0-based), its owner.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    pub lines: Vec<LineOwner>,
}

impl Rendered {
    /// The owner of a 1-based line number as Lean reports it.
    pub fn owner_of_line(&self, line: usize) -> Option<LineOwner> {
        line.checked_sub(1).and_then(|i| self.lines.get(i)).copied()
    }
}

/// Renders a whole program: header, declarations, the suffix
/// ([`super::suffix`]: `replay_check`, then `soundness_check`).
pub fn render_program(p: &Program) -> Rendered {
    let mut out = Rendered {
        text: String::new(),
        lines: Vec::new(),
    };
    let header = match p.profile {
        Profile::Surface => "-- leanfuzz program (profile: surface)\n".to_string(),
        Profile::Meta => {
            "-- leanfuzz program (profile: meta)\nimport Lean\nopen Lean Elab Term Meta\n"
                .to_string()
        }
        // The header of comparator's `primitive_issue` test project: a
        // `prelude` file may still import the prelude explicitly, and
        // `Init.Core` brings notation and tactics but none of the names
        // in [`super::names::prelude_free`].
        Profile::Prelude => "-- leanfuzz program (profile: prelude)\nprelude\nimport Init.Prelude\nimport Init.Core\n"
            .to_string(),
    };
    push(&mut out, &header, LineOwner::Header);
    for (i, d) in p.decls.iter().enumerate() {
        push(&mut out, "\n", LineOwner::Decl(i));
        push(&mut out, &render_decl(d), LineOwner::Decl(i));
    }
    push(&mut out, "\n", LineOwner::Suffix);
    push(
        &mut out,
        &super::suffix::program_suffix(p),
        LineOwner::Suffix,
    );
    out
}

fn push(out: &mut Rendered, text: &str, owner: LineOwner) {
    out.text.push_str(text);
    out.lines
        .extend(std::iter::repeat_n(owner, text.matches('\n').count()));
}

/// One command, ending in a newline.
pub fn render_decl(d: &Decl) -> String {
    match d {
        Decl::Universe(names) => format!(
            "universe {}\n",
            names
                .iter()
                .map(|n| render_name(n))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Decl::SetOption(name, v) => {
            let v = match v {
                OptionValue::Nat(n) => n.to_string(),
                OptionValue::Bool(b) => b.to_string(),
            };
            format!("set_option {name} {v}\n")
        }
        Decl::Inductive(ind) => render_inductive(ind),
        Decl::Mutual(inds) => {
            let mut s = String::from("mutual\n");
            for ind in inds {
                for line in render_inductive(ind).lines() {
                    s.push_str("  ");
                    s.push_str(line);
                    s.push('\n');
                }
            }
            s.push_str("end\n");
            s
        }
        Decl::Structure(s) => render_structure(s),
        Decl::Def(def) => render_def(def),
        Decl::AddDecl { decl, skip_kernel } => render_add_decl(decl, *skip_kernel),
    }
}

/// `run_elab addDecl <| .thmDecl { … }` (the shape of comparator's own
/// tests, `tests/projects/lean_kernel_off_unchecked/Solution.lean`), the
/// declaration written by the kernel model's renderer; with the kernel
/// check skipped, inside `withOptions` setting `debug.skipKernelTC`.
fn render_add_decl(d: &crate::kernel::Decl, skip_kernel: bool) -> String {
    let add = format!("addDecl <| {}", crate::kernel::lean_source::declaration(d));
    if skip_kernel {
        format!(
            "run_elab\n  withOptions (fun o => o.setBool `debug.skipKernelTC true) <|\n    {add}\n"
        )
    } else {
        format!("run_elab {add}\n")
    }
}

fn univ_suffix(params: &[Name]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!(
            ".{{{}}}",
            params
                .iter()
                .map(|n| render_name(n))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn binders(bs: &[Binder]) -> String {
    let mut out = String::new();
    write_binders(&mut out, bs);
    out
}

fn write_binder(out: &mut String, b: &Binder) {
    let (open, close) = match b.kind {
        BinderKind::Explicit => ('(', ')'),
        BinderKind::Implicit => ('{', '}'),
        BinderKind::Instance => ('[', ']'),
    };
    out.push(open);
    if !(b.kind == BinderKind::Instance && b.name.is_empty()) {
        write_name(out, &b.name);
        out.push_str(" : ");
    }
    write_term(out, &b.ty, Ctx::Top);
    out.push(close);
}

fn deriving(names: &[Name]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("  deriving {}\n", names.join(", "))
    }
}

fn render_inductive(ind: &Inductive) -> String {
    let mut s = format!(
        "inductive {}{}{} : {} where\n",
        render_name(&ind.name),
        univ_suffix(&ind.univ_params),
        binders(&ind.params),
        term(&ind.sort, Ctx::Top)
    );
    for c in &ind.ctors {
        let result = c
            .result
            .as_ref()
            .map(|r| format!(" : {}", term(r, Ctx::Top)))
            .unwrap_or_default();
        s.push_str(&format!(
            "  | {}{}{result}\n",
            render_name(&c.name),
            binders(&c.args)
        ));
    }
    s.push_str(&deriving(&ind.deriving));
    s
}

fn render_structure(st: &Structure) -> String {
    let mut s = format!(
        "{} {}{} where\n",
        if st.class { "class" } else { "structure" },
        render_name(&st.name),
        binders(&st.params)
    );
    for (f, ty) in &st.fields {
        s.push_str(&format!("  {} : {}\n", render_name(f), term(ty, Ctx::Top)));
    }
    s.push_str(&deriving(&st.deriving));
    s
}

fn render_def(d: &Def) -> String {
    let mut s = String::new();
    if !d.attrs.is_empty() {
        let attrs: Vec<String> = d.attrs.iter().map(Attr::render).collect();
        s.push_str(&format!("@[{}] ", attrs.join(", ")));
    }
    s.push_str(d.kind.keyword());
    if !d.name.is_empty() {
        s.push(' ');
        s.push_str(&render_name(&d.name));
        s.push_str(&univ_suffix(&d.univ_params));
    }
    s.push_str(&binders(&d.binders));
    s.push_str(" : ");
    s.push_str(&term(&d.ty, Ctx::Top));
    match &d.body {
        Body::Empty => s.push('\n'),
        Body::Term(Term::By(tactics)) => {
            s.push_str(" := by\n");
            for t in tactics {
                s.push_str(&format!("  {}\n", tactic(t)));
            }
        }
        Body::Term(t) => s.push_str(&format!(" :=\n  {}\n", term(t, Ctx::Top))),
        Body::Arms(arms) => {
            s.push('\n');
            for a in arms {
                s.push_str(&format!("  {}\n", arm(a)));
            }
        }
    }
    s
}

fn arm(a: &Arm) -> String {
    let mut out = String::new();
    write_arm(&mut out, a);
    out
}

fn pattern(p: &Pattern, nested: bool) -> String {
    let s = match p {
        Pattern::Var(n) => return render_name(n),
        Pattern::Wild => return "_".into(),
        Pattern::Nat(n) => return n.to_string(),
        Pattern::Nil => return "[]".into(),
        Pattern::Ctor(c, args) if args.is_empty() => return render_name(c),
        Pattern::Ctor(c, args) => {
            let args: Vec<String> = args.iter().map(|a| pattern(a, true)).collect();
            format!("{} {}", render_name(c), args.join(" "))
        }
        Pattern::Succ(inner) => format!("{} + 1", pattern(inner, true)),
        Pattern::Cons(h, t) => format!("{} :: {}", pattern(h, true), pattern(t, true)),
    };
    if nested {
        format!("({s})")
    } else {
        s
    }
}

/// Where a term stands: `Top` may extend to the end of its context;
/// `Atom` must be self-delimiting and gets parentheses unless it is one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Top,
    Atom,
}

fn is_atom(t: &Term) -> bool {
    match t {
        Term::Ident(_)
        | Term::IdentLevels(..)
        | Term::NatLit(_)
        | Term::StrLit(_)
        | Term::CharLit(_)
        | Term::Anon(_)
        | Term::Tuple(_)
        | Term::List(_)
        | Term::Typed(..)
        | Term::Proj(..) => true,
        Term::Sort(l) => {
            matches!(l, Level::Zero) || matches!(l, Level::Succ(b) if **b == Level::Zero)
        }
        _ => false,
    }
}

/// Renders a term on one line.
pub fn render_term(t: &Term) -> String {
    term(t, Ctx::Top)
}

fn term(t: &Term, ctx: Ctx) -> String {
    let mut out = String::new();
    write_term(&mut out, t, ctx);
    out
}

/// Writes `t` into `out`; nested terms are written in place, so rendering
/// is linear in the output size.
fn write_term(out: &mut String, t: &Term, ctx: Ctx) {
    let paren = ctx == Ctx::Atom && !is_atom(t);
    if paren {
        out.push('(');
    }
    match t {
        Term::Ident(n) => write_name(out, n),
        Term::IdentLevels(n, ls) => {
            write_name(out, n);
            out.push_str(".{");
            for (i, l) in ls.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&level_top(l));
            }
            out.push('}');
        }
        Term::App(f, args) => {
            write_term(out, f, Ctx::Atom);
            for a in args {
                out.push(' ');
                write_term(out, a, Ctx::Atom);
            }
        }
        Term::Lam(bs, body) => {
            out.push_str("fun");
            write_binders(out, bs);
            out.push_str(" => ");
            write_term(out, body, Ctx::Top);
        }
        Term::Pi(bs, body) => {
            out.push('∀');
            write_binders(out, bs);
            out.push_str(", ");
            write_term(out, body, Ctx::Top);
        }
        Term::Arrow(a, b) => {
            write_term(out, a, Ctx::Atom);
            out.push_str(" → ");
            let rhs = if matches!(**b, Term::Arrow(..)) {
                Ctx::Top
            } else {
                Ctx::Atom
            };
            write_term(out, b, rhs);
        }
        Term::Let(x, ty, v, body) => {
            out.push_str("let ");
            write_name(out, x);
            out.push_str(" : ");
            write_term(out, ty, Ctx::Top);
            out.push_str(" := ");
            write_term(out, v, Ctx::Atom);
            out.push_str("; ");
            write_term(out, body, Ctx::Top);
        }
        Term::Match(scrut, arms) if scrut.is_empty() => {
            out.push_str("fun");
            for a in arms {
                out.push(' ');
                write_arm(out, a);
            }
        }
        Term::Match(scrut, arms) => {
            out.push_str("match ");
            write_list(out, scrut);
            out.push_str(" with");
            for a in arms {
                out.push(' ');
                write_arm(out, a);
            }
        }
        Term::Anon(xs) => {
            out.push('⟨');
            write_list(out, xs);
            out.push('⟩');
        }
        Term::Tuple(xs) => {
            out.push('(');
            write_list(out, xs);
            out.push(')');
        }
        Term::List(xs) => {
            out.push('[');
            write_list(out, xs);
            out.push(']');
        }
        Term::Proj(e, f) => {
            write_term(out, e, Ctx::Atom);
            out.push('.');
            out.push_str(f);
        }
        Term::NatLit(n) => out.push_str(n),
        Term::StrLit(s) => out.push_str(&string_lit(s)),
        Term::CharLit(c) => out.push_str(&char_lit(*c)),
        Term::Ite(c, a, b) => {
            out.push_str("if ");
            write_term(out, c, Ctx::Atom);
            out.push_str(" then ");
            write_term(out, a, Ctx::Atom);
            out.push_str(" else ");
            write_term(out, b, Ctx::Atom);
        }
        Term::BinOp(op, a, b) => {
            write_term(out, a, Ctx::Atom);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_term(out, b, Ctx::Atom);
        }
        Term::Not(p) => {
            out.push('¬');
            write_term(out, p, Ctx::Atom);
        }
        Term::BNot(b) => {
            out.push('!');
            write_term(out, b, Ctx::Atom);
        }
        Term::Sort(l) => out.push_str(&sort(l)),
        Term::Typed(e, ty) => {
            out.push('(');
            write_term(out, e, Ctx::Top);
            out.push_str(" : ");
            write_term(out, ty, Ctx::Top);
            out.push(')');
        }
        Term::By(tactics) => {
            out.push_str("by ");
            for (i, t) in tactics.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                out.push_str(&tactic(t));
            }
        }
    }
    if paren {
        out.push(')');
    }
}

fn write_binders(out: &mut String, bs: &[Binder]) {
    for b in bs {
        out.push(' ');
        write_binder(out, b);
    }
}

fn write_list(out: &mut String, xs: &[Term]) {
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_term(out, x, Ctx::Atom);
    }
}

fn write_arm(out: &mut String, a: &Arm) {
    out.push_str("| ");
    for (i, p) in a.pats.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&pattern(p, false));
    }
    out.push_str(" => ");
    write_term(out, &a.rhs, Ctx::Atom);
}

fn tactic(t: &Tactic) -> String {
    match t {
        Tactic::Rfl => "rfl".into(),
        Tactic::Decide => "decide".into(),
        Tactic::NativeDecide => "native_decide".into(),
        Tactic::Simp(lemmas) if lemmas.is_empty() => "simp".into(),
        Tactic::Simp(lemmas) => format!(
            "simp [{}]",
            lemmas
                .iter()
                .map(|n| render_name(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Tactic::SimpAll => "simp_all".into(),
        Tactic::Omega => "omega".into(),
        Tactic::Trivial => "trivial".into(),
        Tactic::Constructor => "constructor".into(),
        Tactic::Exact(e) => format!("exact {}", term(e, Ctx::Top)),
        Tactic::Intro(ns) => format!(
            "intro {}",
            ns.iter()
                .map(|n| render_name(n))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Tactic::CasesAll(x, t) => format!("cases {} <;> {}", render_name(x), tactic(t)),
        Tactic::InductionAll(x, t) => format!("induction {} <;> {}", render_name(x), tactic(t)),
    }
}

fn sort(l: &Level) -> String {
    match l {
        Level::Zero => "Prop".into(),
        Level::Succ(b) if **b == Level::Zero => "Type".into(),
        Level::Succ(b) => format!("Type {}", level_atom(b)),
        _ => format!("Sort {}", level_atom(l)),
    }
}

/// `u`, `0`, `3` stay bare; compound levels get parentheses.
fn level_atom(l: &Level) -> String {
    let s = level_top(l);
    if s.chars().all(|c| c.is_alphanumeric() || c == '_') {
        s
    } else {
        format!("({s})")
    }
}

fn level_top(l: &Level) -> String {
    let mut base = l;
    let mut n = 0u32;
    while let Level::Succ(inner) = base {
        base = inner;
        n += 1;
    }
    match (base, n) {
        (Level::Zero, n) => n.to_string(),
        (b, 0) => match b {
            Level::Param(p) => render_name(p),
            Level::Max(a, b) => format!("max {} {}", level_atom(a), level_atom(b)),
            Level::IMax(a, b) => format!("imax {} {}", level_atom(a), level_atom(b)),
            Level::Zero | Level::Succ(_) => unreachable!("peeled above"),
        },
        (b, n) => format!("{} + {n}", level_atom(b)),
    }
}

/// Lean's lexical rules for string and char literals, checked against
/// `quotedCharCoreFn`, `charLitFnAux` and `strLitFnAux` in
/// `src/Lean/Parser/Basic.lean` (an older stored version and the newest
/// stored one, which has string gaps and raw strings, agree on escapes)
/// and `decodeQuotedChar` in `src/Init/Meta.lean`:
///
/// - after a backslash come only the named escapes below, `x` with exactly
///   two hex digits, or `u` with exactly four; there is no `\u{…}` (and no
///   `\U…`: lean4 PR 5443 proposing it is unmerged). Inside strings a
///   backslash before a newline starts a gap, which we never write;
/// - any other character stands for itself, read code point by code point:
///   a string ends at an unescaped `"`, a char literal is one character (or
///   one escape) and then `'`.
///
/// So a control character is written `\xHH` (every control character is
/// below U+0100), and a character past U+FFFF, which four hex digits
/// cannot reach, is written as itself in UTF-8.
const NAMED_ESCAPES: [(char, char); 6] = [
    ('\\', '\\'),
    ('"', '"'),
    ('\'', '\''),
    ('\n', 'n'),
    ('\t', 't'),
    ('\r', 'r'),
];

/// A Lean string literal (see [`NAMED_ESCAPES`] for the rules).
pub fn string_lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        escape_into(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// A Lean char literal (see [`NAMED_ESCAPES`] for the rules).
pub fn char_lit(c: char) -> String {
    let mut out = String::from("'");
    escape_into(&mut out, c, '\'');
    out.push('\'');
    out
}

/// `c` inside a literal delimited by `quote`: the backslash, the delimiter
/// and the line-breaking controls by name, other controls as `\xHH`,
/// everything else as itself.
fn escape_into(out: &mut String, c: char, quote: char) {
    let named = NAMED_ESCAPES
        .iter()
        .find(|(ch, _)| *ch == c && (c == quote || !matches!(c, '"' | '\'')));
    match named {
        Some((_, name)) => {
            out.push('\\');
            out.push(*name);
        }
        None if c.is_control() => {
            debug_assert!((c as u32) < 0x100, "controls are below U+0100");
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        None => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Term {
        Term::Ident(s.into())
    }

    #[test]
    fn literals_are_escaped() {
        assert_eq!(string_lit("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(char_lit('\''), r"'\''");
        // Lean has no `\u{…}`: two hex digits after `\x`.
        assert_eq!(char_lit('\u{7}'), r"'\x07'");
        assert_eq!(string_lit("\u{0}\u{7f}\u{9f}"), r#""\x00\x7f\x9f""#);
        assert_eq!(char_lit('"'), "'\"'");
        assert_eq!(string_lit("'"), "\"'\"");
        // Past U+FFFF no escape fits: the character itself.
        assert_eq!(char_lit('𝔽'), "'𝔽'");
        assert_eq!(char_lit('λ'), "'λ'");
    }

    #[test]
    fn nested_terms_get_parentheses() {
        let t = Term::App(
            Box::new(id("f")),
            vec![
                Term::BinOp(
                    BinOp::Add,
                    Box::new(id("x")),
                    Box::new(Term::NatLit("1".into())),
                ),
                Term::Lam(
                    vec![Binder {
                        name: "y".into(),
                        ty: id("Nat"),
                        kind: BinderKind::Explicit,
                    }],
                    Box::new(id("y")),
                ),
            ],
        );
        assert_eq!(render_term(&t), "f (x + 1) (fun (y : Nat) => y)");
    }

    #[test]
    fn sorts_and_levels() {
        let u = || Box::new(Level::Param("u".into()));
        let v = || Box::new(Level::Param("v".into()));
        assert_eq!(render_term(&Term::Sort(Level::Zero)), "Prop");
        assert_eq!(
            render_term(&Term::Sort(Level::Succ(Box::new(Level::Zero)))),
            "Type"
        );
        assert_eq!(render_term(&Term::Sort(Level::Succ(u()))), "Type u");
        assert_eq!(
            render_term(&Term::Sort(Level::IMax(u(), v()))),
            "Sort (imax u v)"
        );
        assert_eq!(
            render_term(&Term::Sort(Level::Succ(Box::new(Level::Max(u(), v()))))),
            "Type (max u v)"
        );
        assert_eq!(
            render_term(&Term::Sort(Level::Succ(Box::new(Level::Succ(Box::new(
                Level::IMax(u(), v())
            )))))),
            "Type ((imax u v) + 1)"
        );
    }

    #[test]
    fn match_arms_do_not_swallow_each_other() {
        let inner = Term::Match(
            vec![id("y")],
            vec![Arm {
                pats: vec![Pattern::Wild],
                rhs: id("a"),
            }],
        );
        let outer = Term::Match(
            vec![id("x")],
            vec![
                Arm {
                    pats: vec![Pattern::Ctor("some".into(), vec![Pattern::Var("z".into())])],
                    rhs: inner,
                },
                Arm {
                    pats: vec![Pattern::Ctor("none".into(), vec![])],
                    rhs: id("b"),
                },
            ],
        );
        assert_eq!(
            render_term(&outer),
            "match x with | some z => (match y with | _ => a) | none => b"
        );
    }
}

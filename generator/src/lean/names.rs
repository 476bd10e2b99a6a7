//! Lean identifiers: keywords we must never use as names, and escaping of
//! components that are not plain identifiers with `«»`.

use crate::kernel::nat;

/// Tokens reserved by Lean 4's core grammar (commands, term and tactic
/// keywords): none may stand as a bare identifier.
pub const KEYWORDS: &[&str] = &[
    "abbrev",
    "at",
    "attribute",
    "axiom",
    "break",
    "by",
    "calc",
    "catch",
    "class",
    "continue",
    "decreasing_by",
    "def",
    "deriving",
    "do",
    "else",
    "end",
    "example",
    "export",
    "extends",
    "finally",
    "for",
    "forall",
    "from",
    "fun",
    "have",
    "hiding",
    "if",
    "import",
    "in",
    "include",
    "inductive",
    "infix",
    "infixl",
    "infixr",
    "initialize",
    "instance",
    "let",
    "local",
    "macro",
    "match",
    "mut",
    "mutual",
    "namespace",
    "nofun",
    "nomatch",
    "noncomputable",
    "notation",
    "omit",
    "opaque",
    "open",
    "partial",
    "postfix",
    "prefix",
    "prelude",
    "private",
    "protected",
    "renaming",
    "return",
    "scoped",
    "section",
    "set_option",
    "show",
    "sorry",
    "structure",
    "suffices",
    "syntax",
    "termination_by",
    "then",
    "theorem",
    "this",
    "try",
    "universe",
    "unless",
    "unsafe",
    "variable",
    "where",
    "with",
    "Prop",
    "Sort",
    "Type",
];

/// Lean's letter-like characters that may start an identifier: ASCII
/// letters, `_`, and Greek letters except `λ`, `Π` and `Σ` (which are
/// notation); Lean's `isLetterLike` admits a few more ranges we never emit.
fn is_id_first(c: char) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || (('α'..='ω').contains(&c) && c != 'λ')
        || (('Α'..='Ω').contains(&c) && c != 'Π' && c != 'Σ')
}

/// Characters allowed after the first: also digits, `'`, `!`, `?` and
/// subscripts.
fn is_id_rest(c: char) -> bool {
    is_id_first(c)
        || c.is_ascii_digit()
        || matches!(c, '\'' | '!' | '?')
        || ('\u{2080}'..='\u{208c}').contains(&c)
        || ('\u{2090}'..='\u{209c}').contains(&c)
}

/// Whether `s` can stand unescaped as one name component.
pub fn is_plain_ident(s: &str) -> bool {
    if s.is_empty() || s == "_" {
        return false;
    }
    if s.is_ascii() {
        // Fast path for the names the generator makes (one pass).
        let b = s.as_bytes();
        if !(b[0].is_ascii_alphabetic() || b[0] == b'_') {
            return false;
        }
        let mut digit = false;
        for &c in &b[1..] {
            if c.is_ascii_digit() {
                digit = true;
            } else if !(c.is_ascii_alphabetic() || matches!(c, b'_' | b'\'' | b'!' | b'?')) {
                return false;
            }
        }
        // No keyword contains a digit.
        return digit || !KEYWORDS.contains(&s);
    }
    let mut chars = s.chars();
    let first = chars.next().expect("non-empty");
    is_id_first(first) && chars.all(is_id_rest) && !KEYWORDS.contains(&s)
}

/// Renders a dotted name, escaping each component that needs it.
pub fn render_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    write_name(&mut out, name);
    out
}

/// Appends a rendered name to `out` (no allocation for plain names).
pub fn write_name(out: &mut String, name: &str) {
    if name == "_" {
        out.push('_');
        return;
    }
    for (i, part) in name.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if is_plain_ident(part) {
            out.push_str(part);
        } else {
            out.push('«');
            out.push_str(part);
            out.push('»');
        }
    }
}

/// Names a generated program may use without declaring them: `Init`
/// constants, types and constructors the generator refers to, besides the
/// `Nat` operations of the [`nat`] table (see [`is_init_name`]). The hygiene
/// tests check every other identifier is declared before use.
pub const INIT_NAMES: &[&str] = &[
    "Nat",
    "Bool",
    "String",
    "Char",
    "List",
    "Option",
    "Prod",
    "True",
    "False",
    "And",
    "Or",
    "Not",
    "Eq",
    "Iff",
    "Inhabited",
    "DecidableEq",
    "Repr",
    "BEq",
    "Hashable",
    "true",
    "false",
    "none",
    "some",
    "default",
    "id",
    "String.length",
    "String.push",
    "String.append",
    "Char.ofNat",
    "List.length",
    "List.reverse",
    "List.replicate",
    "List.isEmpty",
    "toString",
    "decide",
    "Or.inl",
    "Or.inr",
    "And.intro",
    "trivial",
    "rfl",
    "Iff.rfl",
    "PUnit",
    "Unit",
    "PLift",
    "Add",
    "Mul",
    // Constants kernel terms of the meta profile refer to (besides the
    // `Nat` operations).
    "Eq.refl",
    "Prod.mk",
    "Bool.true",
    "Bool.false",
];

/// Whether `name` is a kernel-accelerated `Nat` function (the kernel
/// computes it on literals by name) that `Init.Prelude` and `Init.Core`
/// leave undefined, so a `prelude` file may define it as it likes. Read off
/// the [`nat`] table; the names are the ones comparator's
/// `primitive_issue` test stubs out, each with two `Nat` arguments.
pub fn is_prelude_free(name: &str) -> bool {
    nat::op(name).is_some_and(is_free)
}

fn is_free(o: &nat::NatOp) -> bool {
    o.arity == 2 && o.kernel != nat::KernelRule::Unfolds && !o.in_prelude
}

/// The [`is_prelude_free`] names, in the table's order.
pub fn prelude_free() -> impl Iterator<Item = &'static str> {
    nat::NAT_OPS.iter().filter(|o| is_free(o)).map(|o| o.name)
}

/// The names a program may use without declaring them: [`INIT_NAMES`]
/// and every `Nat` operation of the table, or, in a `prelude` program,
/// [`PRELUDE_NAMES`] and the operations `Init.Prelude`/`Init.Core` define.
pub fn init_scope(prelude: bool) -> impl Iterator<Item = &'static str> {
    let listed = if prelude { PRELUDE_NAMES } else { INIT_NAMES };
    let ops = nat::NAT_OPS
        .iter()
        .filter(move |o| !prelude || o.in_prelude);
    listed.iter().copied().chain(ops.map(|o| o.name))
}

/// Whether a surface or meta program may use `name` without declaring it.
pub fn is_init_name(name: &str) -> bool {
    INIT_NAMES.contains(&name) || nat::op(name).is_some()
}

/// The names a program of the `prelude` profile may use without declaring
/// them: what `Init.Prelude` and `Init.Core` define among the names the
/// generator uses (checked against those files in leanprover/lean4),
/// besides the `Nat` operations (the [`nat`] table says which).
pub const PRELUDE_NAMES: &[&str] = &[
    "Nat",
    "Bool",
    "True",
    "False",
    "And",
    "Or",
    "Not",
    "Eq",
    "Iff",
    "Prod",
    "PUnit",
    "Unit",
    "PLift",
    "Inhabited",
    "true",
    "false",
    "id",
    "decide",
    "Or.inl",
    "Or.inr",
    "And.intro",
    "trivial",
    "rfl",
    "Iff.rfl",
    "Eq.refl",
    "default",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(render_name("foo.bar"), "foo.bar");
        assert_eq!(render_name("fun"), "«fun»");
        assert_eq!(render_name("T.end"), "T.«end»");
        assert_eq!(render_name("x y"), "«x y»");
        assert_eq!(render_name("1a"), "«1a»");
        assert_eq!(render_name("x'"), "x'");
        assert_eq!(render_name("α"), "α");
        assert_eq!(render_name("λ"), "«λ»");
        assert_eq!(render_name("x₁"), "x₁");
    }

    #[test]
    fn prelude_free_names_are_the_kernel_computed_ones_init_defines_later() {
        let free: Vec<&str> = prelude_free().collect();
        // The names comparator's `primitive_issue` test stubs out.
        assert_eq!(
            free,
            [
                "Nat.gcd",
                "Nat.land",
                "Nat.lor",
                "Nat.xor",
                "Nat.shiftLeft",
                "Nat.shiftRight"
            ]
        );
        assert!(is_prelude_free("Nat.gcd") && !is_prelude_free("Nat.add"));
        let prelude: Vec<&str> = init_scope(true).collect();
        assert!(prelude.contains(&"Nat.add") && !prelude.contains(&"Nat.gcd"));
        assert!(init_scope(false).any(|n| n == "Nat.gcd"));
        assert!(is_init_name("Nat.log2") && is_init_name("Nat"));
    }
}

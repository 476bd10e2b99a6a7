//! Lean identifiers: keywords we must never use as names, and escaping of
//! components that are not plain identifiers with `«»`.

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
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    is_id_first(first) && s != "_" && chars.all(is_id_rest) && !KEYWORDS.contains(&s)
}

/// Renders a dotted name, escaping each component that needs it.
pub fn render_name(name: &str) -> String {
    if name == "_" {
        return "_".into();
    }
    name.split('.')
        .map(|part| {
            if is_plain_ident(part) {
                part.to_string()
            } else {
                format!("«{part}»")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Names a generated program may use without declaring them: `Init`
/// constants, types and constructors the generator refers to. The hygiene
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
    "Nat.succ",
    "Nat.pred",
    "Nat.max",
    "Nat.min",
    "Nat.gcd",
    "Nat.land",
    "Nat.lor",
    "Nat.xor",
    "Nat.shiftLeft",
    "Nat.shiftRight",
    "Nat.beq",
    "Nat.ble",
    "Nat.log2",
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
}

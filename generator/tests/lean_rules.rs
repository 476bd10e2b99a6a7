//! Lean facts generated programs once tripped over (issue 13), each
//! checked over many seeds and every profile through the generator's
//! public API, against rules written here from Lean's own sources (not
//! from the generator's code):
//!
//! - string and char literals lex and decode the way Lean's parser does
//!   (`quotedCharCoreFn`, `charLitFnAux`, `strLitFnAux` in
//!   `src/Lean/Parser/Basic.lean`; `decodeQuotedChar`, `decodeStrLit`,
//!   `decodeCharLit` in `src/Init/Meta.lean`);
//! - `simp` is never asked to prove a closed fact that applies `Nat.land`,
//!   `Nat.lor`, `Nat.xor`, `Nat.shiftLeft`, `Nat.shiftRight` or `Nat.beq`
//!   as functions: in v4.24 the `Nat` simprocs match only `&&&`, `|||`,
//!   `^^^`, `<<<`, `>>>`, `==`
//!   (`src/Lean/Meta/Tactic/Simp/BuiltinSimprocs/Nat.lean`);
//! - nothing needs `Inhabited` at a `mutual` inductive type before an
//!   instance for it is declared (mutual types get none from Lean unless
//!   they derive it);
//! - no `set_option` lowers a limit below Lean's default.

use generator::lean::ast::{Body, Decl, DefKind, Profile, Program, Tactic, Term};
use std::collections::HashSet;

use generator::lean::depth::{children, trees};
use generator::lean::gen::{generate, GenConfig};
use generator::lean::render::{char_lit, render_program, string_lit};

const PROFILES: [Profile; 3] = [Profile::Surface, Profile::Meta, Profile::Prelude];

/// Programs of every profile at a few depths: `(profile, seed, program)`.
fn programs(per_profile: u64) -> impl Iterator<Item = (Profile, u64, Program)> {
    PROFILES.into_iter().flat_map(move |profile| {
        (0..per_profile).map(move |seed| {
            let cfg = GenConfig {
                depth: [4, 6, 8, 10, 12][(seed % 5) as usize],
                profile: Some(profile),
                ..GenConfig::default()
            };
            (profile, seed, generate(seed, &cfg).program)
        })
    })
}

/// Share of programs hit, per profile, for failure messages.
fn shares(hit: &[(Profile, u64)], per_profile: u64) -> String {
    PROFILES
        .iter()
        .map(|p| {
            let n = hit.iter().filter(|(q, _)| q == p).count();
            format!(
                "{p:?} {n}/{per_profile} ({:.1} %) e.g. seeds {:?}",
                100.0 * n as f64 / per_profile as f64,
                hit.iter()
                    .filter(|(q, _)| q == p)
                    .map(|(_, s)| s)
                    .take(5)
                    .collect::<Vec<_>>()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------
// String and char literals.
// ---------------------------------------------------------------------

/// A literal as Lean reads it: its source text and the value it decodes to.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Char(char),
}

/// `hexDigitFn`: `0-9`, `a-f`, `A-F`.
fn hex(c: Option<&char>) -> Result<u32, String> {
    match c {
        Some(c) if c.is_ascii_hexdigit() => Ok(c.to_digit(16).expect("hex digit")),
        other => Err(format!("invalid hexadecimal numeral at {other:?}")),
    }
}

/// What follows a backslash, as `quotedCharCoreFn` accepts it and
/// `decodeQuotedChar` decodes it: `\\ \" \' \r \n \t`, `\x` and exactly two
/// hex digits, `\u` and exactly four; in strings also a gap (backslash,
/// newline, whitespace), which stands for nothing. `*i` is just after the
/// backslash and ends after the escape.
fn escape(s: &[char], i: &mut usize, in_string: bool) -> Result<Option<char>, String> {
    let c = *s.get(*i).ok_or("end of input after a backslash")?;
    *i += 1;
    let digits = |i: &mut usize, n: usize| -> Result<u32, String> {
        let mut v = 0;
        for _ in 0..n {
            v = 16 * v + hex(s.get(*i))?;
            *i += 1;
        }
        Ok(v)
    };
    Ok(Some(match c {
        '\\' => '\\',
        '"' => '"',
        '\'' => '\'',
        'r' => '\r',
        'n' => '\n',
        't' => '\t',
        // `Char.ofNat` of a number that is no scalar value is `'\0'`.
        'x' => char::from_u32(digits(i, 2)?).unwrap_or('\0'),
        'u' => char::from_u32(digits(i, 4)?).unwrap_or('\0'),
        '\n' if in_string => {
            // `stringGapFn`: whitespace with exactly this one newline.
            while s.get(*i).is_some_and(|c| c.is_whitespace() && *c != '\n') {
                *i += 1;
            }
            return Ok(None);
        }
        other => return Err(format!("invalid escape sequence \\{other}")),
    }))
}

/// `strLitFnAux` from just after the opening quote.
fn string_at(s: &[char], i: &mut usize) -> Result<String, String> {
    let mut value = String::new();
    loop {
        let c = *s.get(*i).ok_or("unterminated string literal")?;
        *i += 1;
        match c {
            '"' => return Ok(value),
            '\\' => value.extend(escape(s, i, true)?),
            c => value.push(c),
        }
    }
}

/// `charLitFnAux` from just after the opening quote: one character or one
/// escape (no gap), then the closing quote.
fn char_at(s: &[char], i: &mut usize) -> Result<char, String> {
    let c = *s.get(*i).ok_or("end of input in a character literal")?;
    *i += 1;
    let value = if c == '\\' {
        escape(s, i, false)?.expect("no gaps outside strings")
    } else {
        c
    };
    if s.get(*i) != Some(&'\'') {
        return Err(format!("missing end of character literal after {value:?}"));
    }
    *i += 1;
    Ok(value)
}

/// Every string and char literal of a rendered program, in order, with its
/// source text; comments, identifiers (whose later characters may be `'`)
/// and `«…»` names are skipped the way Lean's tokenizer skips them.
fn literals(text: &str) -> Vec<Result<(String, Lit), String>> {
    let s: Vec<char> = text.chars().collect();
    let at = |i: usize, t: &str| t.chars().enumerate().all(|(k, c)| s.get(i + k) == Some(&c));
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_ident = false;
    while i < s.len() {
        let c = s[i];
        if at(i, "--") {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/-") {
            // `finishCommentBlock`: nested block comments.
            let mut nesting = 0;
            loop {
                if at(i, "/-") {
                    nesting += 1;
                    i += 2;
                } else if at(i, "-/") {
                    nesting -= 1;
                    i += 2;
                    if nesting == 0 {
                        break;
                    }
                } else if i >= s.len() {
                    break;
                } else {
                    i += 1;
                }
            }
        } else if c == '«' {
            while i < s.len() && s[i] != '»' {
                i += 1;
            }
            i += 1;
        } else if c == '"' {
            let start = i;
            i += 1;
            let lit = string_at(&s, &mut i).map(Lit::Str);
            let src: String = s[start..i.min(s.len())].iter().collect();
            out.push(
                lit.map(|l| (src.clone(), l))
                    .map_err(|e| format!("{src}: {e}")),
            );
        } else if c == '\'' && !in_ident && s.get(i + 1) != Some(&'\'') {
            // `tokenFnAux`: a quote starts a char literal unless another
            // quote follows.
            let start = i;
            i += 1;
            let lit = char_at(&s, &mut i).map(Lit::Char);
            let src: String = s[start..i.min(s.len())].iter().collect();
            out.push(
                lit.map(|l| (src.clone(), l))
                    .map_err(|e| format!("{src}: {e}")),
            );
        } else {
            in_ident =
                c.is_alphanumeric() || c == '_' || (in_ident && matches!(c, '\'' | '!' | '?'));
            i += 1;
            continue;
        }
        in_ident = false;
    }
    out
}

#[test]
fn the_literal_checker_follows_lean() {
    let ok = |t: &str| literals(t).into_iter().collect::<Result<Vec<_>, _>>();
    let values = |t: &str| {
        ok(t)
            .unwrap()
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        values(r#"def x' := "a\x41\u03bb\"\\\n\t\r'" ++ 'b' ++ '\'' ++ '"' -- 'c "d"#),
        vec![
            Lit::Str("aAλ\"\\\n\t\r'".into()),
            Lit::Char('b'),
            Lit::Char('\''),
            Lit::Char('"'),
        ]
    );
    assert_eq!(values("/- \"x /- 'y' -/ -/ 'z'"), vec![Lit::Char('z')]);
    assert_eq!(
        values("\"𝔽\" '𝔽'"),
        vec![Lit::Str("𝔽".into()), Lit::Char('𝔽')]
    );
    assert_eq!(values("\"a\\\n   b\""), vec![Lit::Str("ab".into())]);
    for bad in [
        r#""\u{0}""#,
        r#"'\u{7f}'"#,
        r#""\x7""#,
        r#""\u03b""#,
        r#""\U0001d53d""#,
        r#""\a""#,
        r"'ab'",
        r"'\
'",
        "\"open",
    ] {
        assert!(ok(bad).is_err(), "accepted {bad}");
    }
}

/// `string_lit` and `char_lit` give text the checker reads back as the
/// same value, for every kind of character: controls, quotes, the
/// backslash, non-ASCII, and code points past U+FFFF (which no escape can
/// write: four hex digits stop at U+FFFF, so they stay literal UTF-8).
#[test]
fn rendered_literals_read_back_as_the_same_value() {
    let mut chars: Vec<char> = (0u32..0x300).filter_map(char::from_u32).collect();
    chars.extend([
        'λ', '∀', '«', '»', '\u{2028}', '\u{feff}', '\u{fffd}', '\u{ffff}',
    ]);
    chars.extend(['𝔽', '😀', '\u{10000}', '\u{10ffff}', '\u{e0001}']);
    for &c in &chars {
        let src = char_lit(c);
        assert_eq!(
            literals(&src),
            vec![Ok((src.clone(), Lit::Char(c)))],
            "char {:?}",
            c
        );
    }
    let all: String = chars.iter().collect();
    for s in [all.as_str(), "", "\"", "\\", "'", "\\u{0}", "a\\\nb"] {
        let src = string_lit(s);
        assert_eq!(literals(&src), vec![Ok((src.clone(), Lit::Str(s.into())))]);
    }
}

#[test]
fn every_literal_in_generated_programs_is_one_lean_reads() {
    const N: u64 = 600;
    let (mut bad, mut seen, mut escaped) = (Vec::new(), 0usize, 0usize);
    let mut first = None;
    for (profile, seed, p) in programs(N) {
        let text = render_program(&p).text;
        let lits = literals(&text);
        seen += lits.len();
        escaped += lits
            .iter()
            .filter(|l| matches!(l, Ok((src, _)) if src.contains("\\x") || src.contains("\\u")))
            .count();
        if let Some(Err(e)) = lits.iter().find(|l| l.is_err()) {
            first.get_or_insert_with(|| format!("{profile:?} seed {seed}: {e}"));
            bad.push((profile, seed));
        }
    }
    assert!(
        bad.is_empty(),
        "programs with a literal Lean rejects: {}; first: {}",
        shares(&bad, N),
        first.unwrap_or_default()
    );
    // Not vacuous: literals, and hex escapes among them, do occur.
    assert!(
        seen > 1000 && escaped > 50,
        "{seen} literals, {escaped} escaped"
    );
}

// ---------------------------------------------------------------------
// `simp` and function-form bitwise facts.
// ---------------------------------------------------------------------

/// Functions applied by name that v4.24's `simp` cannot evaluate on
/// literals (its simprocs match the operator forms only; the lemmas
/// `Nat.land_eq` … came with lean4 PR 12950).
const SIMP_BLIND: [&str; 6] = [
    "Nat.land",
    "Nat.lor",
    "Nat.xor",
    "Nat.shiftLeft",
    "Nat.shiftRight",
    "Nat.beq",
];

fn applies(t: &Term, fs: &[&str]) -> bool {
    if let Term::App(f, _) = t {
        if matches!(&**f, Term::Ident(n) if fs.contains(&n.as_str())) {
            return true;
        }
    }
    children(t).into_iter().any(|c| applies(c, fs))
}

fn uses_simp(tactics: &[Tactic]) -> bool {
    tactics.iter().any(|t| match t {
        Tactic::Simp(_) | Tactic::SimpAll => true,
        Tactic::CasesAll(_, t) | Tactic::InductionAll(_, t) => uses_simp(std::slice::from_ref(t)),
        _ => false,
    })
}

#[test]
fn simp_never_meets_bitwise_functions_applied_by_name() {
    const N: u64 = 800;
    let (mut bad, mut simp_facts, mut named_facts) = (Vec::new(), 0, 0);
    for (profile, seed, p) in programs(N) {
        let mut hit = false;
        for d in &p.decls {
            let Decl::Def(def) = d else { continue };
            let Body::Term(Term::By(tactics)) = &def.body else {
                continue;
            };
            if def.kind != DefKind::Theorem {
                continue;
            }
            let named = applies(&def.ty, &SIMP_BLIND);
            named_facts += usize::from(named);
            if uses_simp(tactics) {
                simp_facts += 1;
                hit |= named;
            }
        }
        if hit {
            bad.push((profile, seed));
        }
    }
    assert!(
        bad.is_empty(),
        "programs with `simp` on a function-form fact: {}",
        shares(&bad, N)
    );
    // Both kinds of fact are still generated.
    assert!(
        simp_facts > 100 && named_facts > 100,
        "{simp_facts} simp proofs, {named_facts} function-form facts"
    );
}

// ---------------------------------------------------------------------
// `Inhabited` at mutual inductive types.
// ---------------------------------------------------------------------

fn mentions(t: &Term, names: &HashSet<String>) -> bool {
    matches!(t, Term::Ident(n) if names.contains(n))
        || children(t).into_iter().any(|c| mentions(c, names))
}

/// `(default : T)` anywhere in `t` with `T` mentioning one of `names`.
fn default_at(t: &Term, names: &HashSet<String>) -> bool {
    matches!(t, Term::Typed(e, ty) if **e == Term::Ident("default".into()) && mentions(ty, names))
        || children(t).into_iter().any(|c| default_at(c, names))
}

/// What in `p` needs an `Inhabited` instance of a type that has none: a
/// `mutual` type not deriving it before `instance : Inhabited T` (an
/// `opaque` without a value, `(default : T)`), or a structure deriving
/// `Inhabited` over one (whose deriving then fails, so it has none either).
fn uninhabited_uses(p: &Program) -> Vec<String> {
    let mut without: HashSet<String> = HashSet::new();
    let mut found = Vec::new();
    for d in &p.decls {
        match d {
            // A `mutual` block may derive `Inhabited` on its types
            // (`tests/lean/run/derivingInhabited.lean` does).
            Decl::Mutual(inds) => without.extend(
                inds.iter()
                    .filter(|i| !i.deriving.iter().any(|x| x == "Inhabited"))
                    .map(|i| i.name.clone()),
            ),
            Decl::Structure(st)
                if !st.class
                    && st.deriving.iter().any(|x| x == "Inhabited")
                    && st.fields.iter().any(|(_, t)| mentions(t, &without)) =>
            {
                found.push(format!("structure {} deriving Inhabited", st.name));
                without.insert(st.name.clone());
            }
            Decl::Def(def) if def.kind == DefKind::Instance => {
                if let Term::App(f, args) = &def.ty {
                    if let ([Term::Ident(t)], Term::Ident(class)) = (args.as_slice(), &**f) {
                        if class == "Inhabited" {
                            without.remove(t);
                        }
                    }
                }
            }
            Decl::Def(def)
                if def.kind == DefKind::Opaque
                    && matches!(def.body, Body::Empty)
                    && mentions(&def.ty, &without) =>
            {
                found.push(format!("opaque {} without a value", def.name));
            }
            _ => {}
        }
        if trees(d).into_iter().any(|t| default_at(t, &without)) {
            found.push("(default : T)".into());
        }
    }
    found
}

#[test]
fn nothing_needs_inhabited_at_a_type_without_an_instance() {
    const N: u64 = 1500;
    let (mut bad, mut first) = (Vec::new(), None);
    let (mut derived, mut plain) = (0, 0);
    for (profile, seed, p) in programs(N) {
        for d in &p.decls {
            if let Decl::Mutual(inds) = d {
                if inds[0].deriving.iter().any(|x| x == "Inhabited") {
                    derived += 1;
                } else {
                    plain += 1;
                }
            }
        }
        let uses = uninhabited_uses(&p);
        if let Some(u) = uses.first() {
            first.get_or_insert_with(|| format!("{profile:?} seed {seed}: {u}"));
            bad.push((profile, seed));
        }
    }
    assert!(
        bad.is_empty(),
        "programs needing Inhabited at a type without one: {}; first: {}",
        shares(&bad, N),
        first.unwrap_or_default()
    );
    // Both ways of giving them an instance occur.
    assert!(
        derived > 50 && plain > 50,
        "{derived} mutual blocks deriving Inhabited, {plain} not"
    );
}

// ---------------------------------------------------------------------
// Options.
// ---------------------------------------------------------------------

/// Lean's defaults for the limits the generator sets: lowering them only
/// makes programs fail. `defaultMaxRecDepth := 512` (`src/Init/Prelude.lean`,
/// the option in `src/Lean/Util/RecDepth.lean`); `maxHeartbeats` 200000,
/// 0 meaning no limit (`src/Lean/CoreM.lean`).
fn allowed(option: &str, v: u64) -> bool {
    match option {
        "maxRecDepth" => v >= 512,
        "maxHeartbeats" => v == 0 || v >= 200_000,
        _ => true,
    }
}

fn lowers_a_limit(p: &Program) -> (bool, usize) {
    use generator::lean::ast::OptionValue;
    let mut n = 0;
    let mut hit = false;
    for d in &p.decls {
        if let Decl::SetOption(name, OptionValue::Nat(v)) = d {
            n += 1;
            hit |= !allowed(name, *v);
        }
    }
    (hit, n)
}

/// Generated programs, and the same programs after the mutation that
/// inserts or changes options.
#[test]
fn no_option_lowers_a_limit_below_its_default() {
    use generator::lean::mutate::{mutate, Mutation};
    use rand::SeedableRng;
    const N: u64 = 1500;
    let (mut bad, mut bad_mutated, mut set) = (Vec::new(), Vec::new(), 0);
    for (profile, seed, mut p) in programs(N) {
        let (hit, n) = lowers_a_limit(&p);
        set += n;
        if hit {
            bad.push((profile, seed));
        }
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        for _ in 0..4 {
            mutate(&mut p, Mutation::ToggleOption, &mut rng, 8, None);
        }
        let (hit, n) = lowers_a_limit(&p);
        set += n;
        if hit {
            bad_mutated.push((profile, seed));
        }
    }
    assert!(
        bad.is_empty() && bad_mutated.is_empty(),
        "programs lowering a limit: {}; after option mutations: {}",
        shares(&bad, N),
        shares(&bad_mutated, N)
    );
    assert!(set > 1000, "only {set} numeric options");
}

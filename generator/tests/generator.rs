//! What can be proven about the generator without Lean: determinism, the
//! depth bound, scoping, syntax hygiene of the rendered text, the line map,
//! construct-family coverage, and golden snapshots checked by eye.

use generator::lean::ast::Profile;
use generator::lean::depth::{over_bound, program_height};
use generator::lean::gen::{generate, GenConfig};
use generator::lean::hygiene::check_program;
use generator::lean::render::{render_program, LineOwner, GOLDEN_SUFFIX};
use generator::lean::stats::{Family, Stats};

/// The weighted mix of all profiles.
fn cfg(depth: usize) -> GenConfig {
    GenConfig {
        depth,
        profile: None,
        ..GenConfig::default()
    }
}

#[test]
fn same_seed_same_program_byte_for_byte() {
    for seed in 0..200 {
        let a = render_program(&generate(seed, &cfg(10)).program).text;
        let b = render_program(&generate(seed, &cfg(10)).program).text;
        assert_eq!(a, b, "seed {seed}");
    }
    let distinct: std::collections::HashSet<String> = (0..50)
        .map(|s| render_program(&generate(s, &cfg(10)).program).text)
        .collect();
    assert!(distinct.len() >= 49, "seeds give the same programs");
}

#[test]
fn every_tree_respects_the_depth_bound() {
    for depth in [3, 4, 5, 7, 10, 15] {
        let mut tallest = 0;
        for seed in 0..300 {
            let p = generate(seed, &cfg(depth)).program;
            let h = program_height(&p);
            if let Some(tall) = over_bound(&p, depth) {
                panic!("seed {seed}: height {h} > depth {depth} in {tall}");
            }
            tallest = tallest.max(h);
        }
        // The bound is used, not just respected.
        assert!(
            tallest >= depth.min(8) - 1,
            "depth {depth}: tallest only {tallest}"
        );
    }
}

#[test]
fn names_are_declared_before_use_and_never_keywords() {
    for depth in [3, 6, 10] {
        for seed in 0..500 {
            let p = generate(seed, &cfg(depth)).program;
            if let Err(e) = check_program(&p) {
                panic!(
                    "seed {seed} depth {depth}: {e}\n{}",
                    render_program(&p).text
                );
            }
        }
    }
}

/// Strips comments and string/char literal contents so that brackets and
/// layout can be checked on the code alone.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '\'' if out.ends_with(|p: char| !p.is_alphanumeric() && p != '_') || out.is_empty() => {
                // A char literal: 'x', '\n', '\u{..}'.
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '\'' => break,
                        _ => {}
                    }
                }
                out.push_str("'c'");
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn brackets_balance_and_tactic_blocks_are_indented() {
    for seed in 0..500 {
        let text = render_program(&generate(seed, &cfg(10)).program).text;
        let code = code_only(&text);
        let mut stack = Vec::new();
        for c in code.chars() {
            match c {
                '(' | '[' | '{' | '⟨' => stack.push(c),
                ')' | ']' | '}' | '⟩' => {
                    let open = stack
                        .pop()
                        .unwrap_or_else(|| panic!("seed {seed}: unmatched {c}"));
                    let want = match c {
                        ')' => '(',
                        ']' => '[',
                        '}' => '{',
                        _ => '⟨',
                    };
                    assert_eq!(open, want, "seed {seed}: {open} closed by {c}\n{text}");
                }
                _ => {}
            }
        }
        assert!(stack.is_empty(), "seed {seed}: unclosed {stack:?}");
        assert!(
            !code.contains('«'),
            "seed {seed}: an escaped name was generated"
        );

        let lines: Vec<&str> = code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.ends_with(":= by") {
                let next = lines.get(i + 1).copied().unwrap_or("");
                assert!(
                    next.starts_with("  ") && !next.trim().is_empty(),
                    "seed {seed}: tactic block after line {} is not indented\n{text}",
                    i + 1
                );
            }
            // A declaration's continuation lines are indented.
            if i > 0 && !line.is_empty() && !lines[i - 1].is_empty() {
                let starts_decl = [
                    "inductive ",
                    "structure ",
                    "def ",
                    "theorem ",
                    "abbrev ",
                    "opaque ",
                    "instance ",
                    "@[",
                    "universe ",
                    "set_option ",
                ]
                .iter()
                .any(|k| line.starts_with(k));
                assert!(
                    line.starts_with(' ') || !starts_decl || lines[i - 1].starts_with("--"),
                    "seed {seed}: declaration at line {} runs into the previous one",
                    i + 1
                );
            }
        }
        assert!(
            text.ends_with(GOLDEN_SUFFIX),
            "seed {seed}: golden suffix missing"
        );
    }
}

#[test]
fn every_line_maps_back_to_its_declaration() {
    for seed in 0..100 {
        let p = generate(seed, &cfg(8)).program;
        let r = render_program(&p);
        let lines: Vec<&str> = r.text.lines().collect();
        assert_eq!(
            lines.len(),
            r.lines.len(),
            "seed {seed}: one owner per line"
        );
        assert_eq!(r.owner_of_line(1), Some(LineOwner::Header));
        assert_eq!(r.owner_of_line(lines.len()), Some(LineOwner::Suffix));
        let suffix_line = lines
            .iter()
            .position(|l| l.starts_with("theorem soundness_check"))
            .unwrap();
        assert_eq!(r.owner_of_line(suffix_line + 1), Some(LineOwner::Suffix));
        for (i, line) in lines.iter().enumerate() {
            if let Some(LineOwner::Decl(k)) = r.owner_of_line(i + 1) {
                let first = generator::lean::render::render_decl(&p.decls[k]);
                let first = first.lines().next().unwrap();
                // Unindented lines start a declaration, or close a
                // `mutual` block.
                if !line.is_empty() && !line.starts_with(' ') && *line != "end" {
                    assert_eq!(
                        *line,
                        first,
                        "seed {seed}: line {} owned by decl {k}",
                        i + 1
                    );
                }
            }
        }
    }
}

#[test]
fn every_construct_family_appears_in_2000_programs_at_depth_10() {
    let mut total = Stats::default();
    for seed in 0..2000 {
        total.merge(&generate(seed, &cfg(10)).stats);
    }
    let missing: Vec<&str> = Family::ALL
        .iter()
        .filter(|f| total.get(**f) == 0)
        .map(|f| f.name())
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
}

/// Golden snapshots: rendered programs kept as expected text, read by eye
/// against Lean 4 syntax when they were recorded. `UPDATE_SNAPSHOTS=1`
/// rewrites them (then read the diff!).
#[test]
fn snapshots() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for (profile, seed, depth) in [
        (Profile::Surface, 1u64, 5usize),
        (Profile::Surface, 7, 10),
        (Profile::Surface, 42, 4),
        (Profile::Meta, 4, 8),
        (Profile::Prelude, 3, 6),
        (Profile::Prelude, 11, 9),
    ] {
        let cfg = GenConfig {
            depth,
            profile: Some(profile),
            ..GenConfig::default()
        };
        let text = render_program(&generate(seed, &cfg).program).text;
        let name = match profile {
            Profile::Surface => "surface",
            Profile::Meta => "meta",
            Profile::Prelude => "prelude",
        };
        let path = dir.join(format!("{name}-seed{seed}-depth{depth}.lean"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (record with UPDATE_SNAPSHOTS=1)", path.display()));
        assert_eq!(text, want, "{} changed", path.display());
    }
}

/// Prelude programs: every literal fact about a redefined primitive states
/// what the kernel computes for it by name, every `badPrelude` one states
/// what the definition gives where that differs, and clashes (the two
/// disagree) really occur.
#[test]
fn prelude_facts_state_the_kernel_value_and_conflicts_the_definition() {
    use generator::kernel::nat::kernel_nat;
    use generator::lean::ast::{BinOp, Body, Decl, DefKind, Term};
    use generator::lean::eval::Evaluator;
    use generator::lean::names::is_prelude_free;
    let (mut facts, mut clashes, mut conflicts) = (0, 0, 0);
    for seed in 0..400 {
        let cfg = GenConfig {
            depth: 8,
            profile: Some(Profile::Prelude),
            ill_formed_rate: 0.5,
            ..GenConfig::default()
        };
        let p = generate(seed, &cfg).program;
        for (i, d) in p.decls.iter().enumerate() {
            let Decl::Def(def) = d else { continue };
            let Term::BinOp(BinOp::Eq, lhs, rhs) = &def.ty else {
                continue;
            };
            let (Term::App(f, args), Term::NatLit(v)) = (&**lhs, &**rhs) else {
                continue;
            };
            let Term::Ident(f) = &**f else { continue };
            let lits: Vec<u128> = args
                .iter()
                .filter_map(|a| match a {
                    Term::NatLit(n) => n.parse().ok(),
                    _ => None,
                })
                .collect();
            if def.kind != DefKind::Theorem || !is_prelude_free(f) || lits.len() != 2 {
                continue;
            }
            let v: u128 = v.parse().unwrap();
            let kernel = kernel_nat(f, &lits).unwrap();
            let by_def = Evaluator::new(&p.decls[..i]).call(f, &lits);
            assert!(matches!(def.body, Body::Term(_)));
            if def.name.starts_with("badPrelude") {
                conflicts += 1;
                assert_eq!(Some(v), by_def, "seed {seed}: {}", def.name);
                assert_ne!(v, kernel, "seed {seed}: {}", def.name);
            } else {
                facts += 1;
                assert_eq!(v, kernel, "seed {seed}: {}", def.name);
                clashes += usize::from(by_def.is_some_and(|d| d != kernel));
            }
        }
    }
    assert!(
        facts > 200 && clashes > 50 && conflicts > 50,
        "{facts} facts, {clashes} clashes, {conflicts} conflicts"
    );
}

/// Kernel declarations of the meta profile are the kernel model's own
/// `Decl`s, written by its one renderer (`kernel::lean_source`), with the
/// kernel check switched off around them when they ask for it.
#[test]
fn meta_kernel_declarations_render_through_the_kernel_renderer() {
    use generator::kernel::lean_source::declaration;
    use generator::lean::ast::Decl;
    use generator::lean::render::render_decl;
    let skip =
        "run_elab\n  withOptions (fun o => o.setBool `debug.skipKernelTC true) <|\n    addDecl <| ";
    let (mut checked, mut skipped) = (0, 0);
    for seed in 0..100 {
        let cfg = GenConfig {
            depth: 8,
            profile: Some(Profile::Meta),
            ill_formed_rate: 0.5,
            ..GenConfig::default()
        };
        for d in &generate(seed, &cfg).program.decls {
            let Decl::AddDecl { decl, skip_kernel } = d else {
                continue;
            };
            let want = if *skip_kernel {
                skipped += 1;
                format!("{skip}{}\n", declaration(decl))
            } else {
                format!("run_elab addDecl <| {}\n", declaration(decl))
            };
            assert_eq!(render_decl(d), want, "seed {seed}");
            checked += 1;
        }
    }
    assert!(
        checked > 100 && skipped > 10,
        "{checked} checked, {skipped} skipped"
    );
}

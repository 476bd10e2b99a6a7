//! Validity telemetry (Fuzzilli's "correctness rate"): is a built program
//! *prefix-valid* — every error, if any, lies in the suffix, so Lean
//! accepted everything the generator meant to be valid — and if not, which
//! declarations and construct families failed, with which error kinds.
//! Error lines are mapped back through the renderer's line map.

use serde::Serialize;
use std::collections::BTreeMap;

use super::ast::Program;
use super::families::{decl_families, is_ill_formed};
use super::render::{LineOwner, Rendered};

/// One error Lean reported in the generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// 1-based line number in the rendered file.
    pub line: usize,
    /// Normalized error kind (e.g. `unknown-identifier`).
    pub kind: String,
}

/// The verdict on one build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Validity {
    /// No error outside the suffix.
    PrefixValid,
    /// Errors in these declarations (indices), first error kind first.
    PrefixInvalid {
        decls: Vec<usize>,
        kinds: Vec<String>,
    },
}

/// Classifies one build of `program` from its errors. Errors in the golden
/// suffix and in deliberately ill-formed declarations are expected.
pub fn classify(program: &Program, rendered: &Rendered, errors: &[BuildError]) -> Validity {
    let mut decls = Vec::new();
    let mut kinds = Vec::new();
    for e in errors {
        match rendered.owner_of_line(e.line) {
            Some(LineOwner::Suffix) => {}
            Some(LineOwner::Decl(i)) if program.decls.get(i).is_some_and(is_ill_formed) => {}
            Some(LineOwner::Decl(i)) => {
                if !decls.contains(&i) {
                    decls.push(i);
                    kinds.push(e.kind.clone());
                }
            }
            // An error on the header or past the end still means the
            // prefix was not accepted.
            Some(LineOwner::Header) | None => kinds.push(e.kind.clone()),
        }
    }
    if kinds.is_empty() {
        Validity::PrefixValid
    } else {
        Validity::PrefixInvalid { decls, kinds }
    }
}

/// Per-family counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FamilyValidity {
    /// Builds whose program contained the family.
    pub programs: u64,
    /// Builds where a declaration with this family failed.
    pub failed: u64,
    /// Error kinds charged to this family, with counts.
    pub errors: BTreeMap<String, u64>,
}

/// Telemetry over many builds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ValidityStats {
    pub builds: u64,
    pub prefix_valid: u64,
    /// Deliberately ill-formed declarations built with no error reported
    /// on them: each is a red flag (Lean accepted what it must reject).
    pub ill_formed_accepted: u64,
    pub families: BTreeMap<&'static str, FamilyValidity>,
}

impl ValidityStats {
    /// Records one build of `program`.
    pub fn record(
        &mut self,
        program: &Program,
        rendered: &Rendered,
        errors: &[BuildError],
    ) -> Validity {
        let v = classify(program, rendered, errors);
        self.builds += 1;
        for (i, d) in program.decls.iter().enumerate() {
            let rejected = errors
                .iter()
                .any(|e| rendered.owner_of_line(e.line) == Some(LineOwner::Decl(i)));
            // With the kernel check skipped, acceptance here is expected
            // (comparator's replay is the check that must reject it).
            let unchecked = matches!(
                d,
                super::ast::Decl::AddDecl {
                    skip_kernel: true,
                    ..
                }
            );
            if is_ill_formed(d) && !rejected && !unchecked {
                self.ill_formed_accepted += 1;
            }
        }
        let mut present = std::collections::BTreeSet::new();
        for d in &program.decls {
            present.extend(decl_families(d));
        }
        for f in &present {
            self.families.entry(f.name()).or_default().programs += 1;
        }
        match &v {
            Validity::PrefixValid => self.prefix_valid += 1,
            Validity::PrefixInvalid { decls, kinds } => {
                let mut charged = std::collections::BTreeSet::new();
                for (i, kind) in decls.iter().zip(kinds) {
                    for f in decl_families(&program.decls[*i]) {
                        let e = self.families.entry(f.name()).or_default();
                        if charged.insert(f) {
                            e.failed += 1;
                        }
                        *e.errors.entry(kind.clone()).or_default() += 1;
                    }
                }
            }
        }
        v
    }

    /// Share of builds that were prefix-valid.
    pub fn rate(&self) -> f64 {
        if self.builds == 0 {
            0.0
        } else {
            self.prefix_valid as f64 / self.builds as f64
        }
    }

    /// A human report: the rate, then families by failure share with
    /// their top error kinds.
    pub fn report(&self, top: usize) -> String {
        let mut out = format!(
            "validity: {}/{} builds prefix-valid ({:.1} %)\n",
            self.prefix_valid,
            self.builds,
            100.0 * self.rate()
        );
        if self.ill_formed_accepted > 0 {
            out.push_str(&format!(
                "WARNING: {} deliberately ill-formed declaration(s) built without an error: run them with `main repro`\n",
                self.ill_formed_accepted
            ));
        }
        let mut fams: Vec<(&&str, &FamilyValidity)> = self.families.iter().collect();
        fams.sort_by(|a, b| {
            let share = |f: &FamilyValidity| f.failed as f64 / f.programs.max(1) as f64;
            share(b.1).total_cmp(&share(a.1)).then(a.0.cmp(b.0))
        });
        for (name, f) in fams {
            let mut errs: Vec<(&String, &u64)> = f.errors.iter().collect();
            errs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let errs: Vec<String> = errs
                .iter()
                .take(top)
                .map(|(k, n)| format!("{k} ×{n}"))
                .collect();
            out.push_str(&format!(
                "  {name:<28} failed {:>5}/{:<5} {}\n",
                f.failed,
                f.programs,
                errs.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lean::gen::{generate, GenConfig};
    use crate::lean::render::render_program;

    #[test]
    fn errors_in_the_suffix_only_are_prefix_valid() {
        let p = generate(3, &GenConfig::default()).program;
        let r = render_program(&p);
        let last = r.text.lines().count();
        let errs = [BuildError {
            line: last,
            kind: "simp-made-no-progress".into(),
        }];
        assert_eq!(classify(&p, &r, &errs), Validity::PrefixValid);
        assert_eq!(classify(&p, &r, &[]), Validity::PrefixValid);
    }

    #[test]
    fn an_error_is_charged_to_its_declaration_and_families() {
        let p = generate(3, &GenConfig::default()).program;
        let r = render_program(&p);
        // The first line of declaration 2.
        let line = r
            .lines
            .iter()
            .position(|o| *o == LineOwner::Decl(2))
            .unwrap()
            + 2;
        let errs = [BuildError {
            line,
            kind: "unknown-identifier".into(),
        }];
        assert_eq!(
            classify(&p, &r, &errs),
            Validity::PrefixInvalid {
                decls: vec![2],
                kinds: vec!["unknown-identifier".into()]
            }
        );
        let mut stats = ValidityStats::default();
        stats.record(&p, &r, &errs);
        stats.record(&p, &r, &[]);
        assert_eq!(stats.builds, 2);
        assert_eq!(stats.prefix_valid, 1);
        for f in decl_families(&p.decls[2]) {
            let fv = &stats.families[f.name()];
            assert_eq!(fv.failed, 1, "{}", f.name());
            assert_eq!(fv.errors["unknown-identifier"], 1);
        }
        let report = stats.report(3);
        assert!(
            report.starts_with("validity: 1/2 builds prefix-valid (50.0 %)"),
            "{report}"
        );
    }

    #[test]
    fn ill_formed_declarations_are_expected_to_fail() {
        let (p, idx) = (0..500)
            .find_map(|seed| {
                let p = generate(seed, &GenConfig::default()).program;
                let i = p.decls.iter().position(is_ill_formed)?;
                Some((p, i))
            })
            .expect("some program has an ill-formed declaration");
        let r = render_program(&p);
        let line = r
            .lines
            .iter()
            .position(|o| *o == LineOwner::Decl(idx))
            .unwrap()
            + 2;
        let rejected = [BuildError {
            line,
            kind: "kernel-invalid".into(),
        }];
        assert_eq!(classify(&p, &r, &rejected), Validity::PrefixValid);
        let mut stats = ValidityStats::default();
        stats.record(&p, &r, &rejected);
        assert_eq!(stats.ill_formed_accepted, 0);
        stats.record(&p, &r, &[]);
        assert_eq!(stats.ill_formed_accepted, 1);
        assert!(stats
            .report(3)
            .contains("WARNING: 1 deliberately ill-formed"));
    }
}

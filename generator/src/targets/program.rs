//! The Lean target: a generated program (its tree) rendered to
//! `Solution.lean` and checked by the pipeline (`lake build` + the judge);
//! findings go to the store with their program tree, and with
//! `--auto-reduce` the first of each signature is shrunk on the tree, then
//! on the text.

use std::path::{Path, PathBuf};

use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::{checked_time, Findings, MutationKind, Target, TestError, Tested};
use crate::harness::classify::build_errors;
use crate::harness::{Checker, Pipeline, Verdict};
use crate::lean::ast::Program;
use crate::lean::families::decl_families;
use crate::lean::gen::{generate, GenConfig};
use crate::lean::mutate::{mutate as mutate_program, Mutation};
use crate::lean::render::render_program;
use crate::lean::validity::{BuildError, Validity, ValidityStats};
use crate::triage::reduce::reduce_program;
use crate::triage::store::content_hash;
use crate::triage::{FindingMeta, Store};

/// The input: one generated program (its tree, not its text), so
/// mutations work on structure and every input renders to valid syntax.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgramInput {
    pub program: Program,
}

impl ProgramInput {
    /// The construct families of the program, sorted and without repeats
    /// (novelty is judged on them).
    pub fn families(&self) -> Vec<String> {
        let mut families: Vec<String> = self
            .program
            .decls
            .iter()
            .flat_map(decl_families)
            .map(|f| f.name().to_string())
            .collect();
        families.sort();
        families.dedup();
        families
    }
}

impl MutationKind for Mutation {
    type Input = ProgramInput;
    /// The depth bound.
    type Config = usize;
    const ALL: &'static [Self] = Mutation::ALL;
    const SPLICE: Self = Mutation::Splice;

    fn name(self) -> &'static str {
        Mutation::name(self)
    }

    fn apply(
        self,
        input: &mut ProgramInput,
        rng: &mut Xoshiro256PlusPlus,
        depth: &usize,
        donor: Option<&ProgramInput>,
    ) -> bool {
        mutate_program(
            &mut input.program,
            self,
            rng,
            *depth,
            donor.map(|d| &d.program),
        )
    }
}

/// Lean programs through `lake build` and the judge.
#[derive(Clone)]
pub struct ProgramTarget {
    pipeline: Pipeline,
    findings: Findings,
    meta: FindingMeta,
    gen: GenConfig,
    solution_file: String,
    validity: ValidityStats,
}

impl ProgramTarget {
    pub fn new(pipeline: Pipeline, store: Store, gen: GenConfig, auto_reduce: bool) -> Self {
        let solution_file = pipeline
            .config()
            .template
            .solution_file()
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        ProgramTarget {
            pipeline,
            findings: Findings::new(store, auto_reduce),
            meta: FindingMeta {
                origin: "fuzz".into(),
                depth: Some(gen.depth),
                ..Default::default()
            },
            gen,
            solution_file,
            validity: ValidityStats::default(),
        }
    }
}

impl Target for ProgramTarget {
    const CAMPAIGN: &'static str = "leanfuzz";
    type Input = ProgramInput;
    type Mutation = Mutation;

    fn generate(&self, seed: u64) -> ProgramInput {
        ProgramInput {
            program: generate(seed, &self.gen).program,
        }
    }

    fn mutation_config(&self) -> usize {
        self.gen.depth
    }

    fn features(input: &ProgramInput) -> Vec<String> {
        input.families()
    }

    fn input_name(input: &ProgramInput) -> String {
        content_hash(&render_program(&input.program).text)[..16].to_string()
    }

    fn test(&mut self, input: &ProgramInput) -> Result<Tested, TestError> {
        let rendered = render_program(&input.program);
        let report =
            crate::oracles::axioms::judge(&input.program, self.pipeline.check(&rendered.text)?);
        let verdict = report.verdict();
        // A stage that died says nothing about validity. Valid means the
        // program reached comparator's kernels; with the judge off, that
        // Lean accepted everything before the suffix.
        let valid = match verdict {
            Verdict::Crash | Verdict::Timeout => None,
            _ => {
                let errors: Vec<BuildError> = build_errors(&report, &self.solution_file)
                    .into_iter()
                    .map(|(line, kind)| BuildError { line, kind })
                    .collect();
                let v = self.validity.record(&input.program, &rendered, &errors);
                Some(
                    report
                        .reached_kernels()
                        .unwrap_or(v == Validity::PrefixValid),
                )
            }
        };
        let mut stored = false;
        if verdict.is_finding() {
            let mut meta = self.meta.clone();
            meta.profile = Some(format!("{:?}", input.program.profile).to_lowercase());
            meta.program = Some(input.program.clone());
            let depth = self.gen.depth;
            stored =
                self.findings
                    .keep(&rendered.text, &report, &meta, &self.pipeline, &|oracle| {
                        reduce_program(&input.program, depth, oracle, 1, &|_| {})
                    })?;
        }
        Ok(Tested {
            verdict,
            signature: report.signature().to_string(),
            valid,
            stored,
            checked: checked_time(&report),
            // `stage:outcome` per stage in run order (harness::judges).
            verifiers: report.verifiers(),
            finding: self.findings.take_stored(),
        })
    }

    fn work_root(&self) -> &Path {
        self.pipeline.work_root()
    }

    fn for_process(&self, instance: &str, work_root: PathBuf) -> Self {
        let mut target = self.clone();
        target.pipeline = self.pipeline.in_work_root(work_root);
        target.meta.instance = instance.to_string();
        target
    }
}

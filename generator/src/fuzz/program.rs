//! The Lean target: a generated program rendered to `Solution.lean` and
//! run through the isolated pipeline (`lake build` + comparator); findings
//! go to the store with their program tree, and with `--auto-reduce` the
//! first of each signature is shrunk on the spot.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::mutators::{self, AllMutators};
use super::target::{reduced_meta, store_finding, Target, TestError, Tested};
use super::ProgramInput;
use crate::harness::classify::build_errors;
use crate::harness::{interrupt, HarnessError, Pipeline, TestReport, Verdict};
use crate::lean::gen::{generate, GenConfig};
use crate::lean::render::render_program;
use crate::lean::validity::{BuildError, Validity, ValidityStats};
use crate::triage::reduce::{reduce_program, Reduced, SameSignature};
use crate::triage::{FindingMeta, Store};

/// Lean programs through `lake build` and the judge.
#[derive(Clone)]
pub struct ProgramTarget {
    pipeline: Pipeline,
    store: Store,
    meta: FindingMeta,
    gen: GenConfig,
    solution_file: String,
    /// With `--auto-reduce`: the signatures this process has reduced a
    /// finding of.
    auto_reduce: Option<HashSet<String>>,
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
            store,
            meta: FindingMeta {
                origin: "fuzz".into(),
                depth: Some(gen.depth),
                ..Default::default()
            },
            gen,
            solution_file,
            auto_reduce: auto_reduce.then(HashSet::new),
            validity: ValidityStats::default(),
        }
    }
}

impl Target for ProgramTarget {
    const CAMPAIGN: &'static str = "leanfuzz";
    type Input = ProgramInput;
    type Mutators = AllMutators;

    fn generate(&self, seed: u64) -> ProgramInput {
        ProgramInput {
            program: generate(seed, &self.gen).program,
        }
    }

    fn mutators(&self) -> AllMutators {
        mutators::all(self.gen.depth)
    }

    fn features(input: &ProgramInput) -> Vec<String> {
        input.families()
    }

    fn test(&mut self, input: &ProgramInput) -> Result<Tested, TestError> {
        let rendered = render_program(&input.program);
        let report = self.pipeline.run(&rendered.text).map_err(harness_error)?;
        let verdict = report.verdict();
        // A stage that died says nothing about validity.
        let valid = match verdict {
            Verdict::Crash | Verdict::Timeout => None,
            _ => {
                let errors: Vec<BuildError> = build_errors(&report, &self.solution_file)
                    .into_iter()
                    .map(|(line, kind)| BuildError { line, kind })
                    .collect();
                let v = self.validity.record(&input.program, &rendered, &errors);
                Some(v == Validity::PrefixValid)
            }
        };
        let mut stored = false;
        if verdict.is_finding() {
            let mut meta = self.meta.clone();
            meta.profile = Some(format!("{:?}", input.program.profile).to_lowercase());
            meta.program = Some(input.program.clone());
            if let Some(path) = store_finding(&self.store, &rendered.text, &report, &meta)? {
                stored = true;
                self.maybe_reduce(input, &report, &path)?;
            }
        }
        Ok(Tested {
            verdict,
            signature: report.signature().to_string(),
            valid,
            stored,
        })
    }

    fn work_root(&self) -> &Path {
        &self.pipeline.config().work_root
    }

    fn for_process(&self, instance: &str, work_root: PathBuf) -> Self {
        let mut target = self.clone();
        target.pipeline = pipeline_in(&self.pipeline, work_root);
        target.meta.instance = instance.to_string();
        target
    }
}

/// The same pipeline with its workspaces under `work_root`.
pub(super) fn pipeline_in(pipeline: &Pipeline, work_root: PathBuf) -> Pipeline {
    let mut config = pipeline.config().clone();
    config.work_root = work_root;
    Pipeline::new(config)
}

/// A pipeline failure as the loop sees it.
pub(super) fn harness_error(e: HarnessError) -> TestError {
    match e {
        HarnessError::Interrupted => TestError::Interrupted,
        e => TestError::Harness(e.to_string()),
    }
}

impl ProgramTarget {
    /// `--auto-reduce`: shrinks a finding of a signature not reduced yet
    /// and stores the result beside it. A failed reduction is reported and
    /// the campaign goes on; an interrupt ends it as usual.
    fn maybe_reduce(
        &mut self,
        input: &ProgramInput,
        report: &TestReport,
        path: &Path,
    ) -> Result<(), TestError> {
        let Some(done) = &mut self.auto_reduce else {
            return Ok(());
        };
        if !done.insert(report.signature().to_string()) {
            return Ok(());
        }
        let depth = self.gen.depth;
        reduce_and_store(
            &self.pipeline,
            &self.store,
            &self.meta,
            report,
            path,
            &|oracle| reduce_program(&input.program, depth, oracle, 1, &|_| {}),
        )
    }
}

/// `--auto-reduce` for a Lean finding at `path`: `reduce` shrinks it with
/// an oracle over `pipeline`; the result, run once more, is stored beside
/// it. A failed reduction is reported and the campaign goes on; an
/// interrupt ends it as usual.
pub(super) fn reduce_and_store(
    pipeline: &Pipeline,
    store: &Store,
    meta: &FindingMeta,
    report: &TestReport,
    path: &Path,
    reduce: &dyn Fn(&SameSignature) -> anyhow::Result<Reduced>,
) -> Result<(), TestError> {
    let oracle = SameSignature {
        pipeline: pipeline.clone(),
        signature: report.signature().to_string(),
    };
    let reduced = match reduce(&oracle) {
        Ok(r) => r,
        Err(_) if interrupt::requested() => return Err(TestError::Interrupted),
        Err(e) => {
            eprintln!("auto-reduce of {} failed: {e}", path.display());
            return Ok(());
        }
    };
    let last = match pipeline.run(&reduced.text) {
        Ok(r) if r.signature() == report.signature() => r,
        Ok(r) => {
            eprintln!(
                "auto-reduce of {}: the result gave {} on its last run; not stored",
                path.display(),
                r.signature()
            );
            return Ok(());
        }
        Err(HarnessError::Interrupted) => return Err(TestError::Interrupted),
        Err(e) => {
            eprintln!("auto-reduce of {} failed: {e}", path.display());
            return Ok(());
        }
    };
    match store.save(&reduced.text, &last, &reduced_meta(meta, path)) {
        Ok(Some(saved)) => println!(
            "[{}] reduced {} bytes -> {} bytes in {} tests: {}",
            meta.instance,
            std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            reduced.text.len(),
            reduced.tests + 1,
            saved.path.display()
        ),
        Ok(None) => {}
        Err(e) => return Err(TestError::Fatal(format!("findings store: {e}"))),
    }
    Ok(())
}

//! The executor: renders the input, runs it through the isolated test
//! pipeline, puts the verdict into the observer, stores findings, and
//! keeps the run's statistics. Tests budgets (`--max-tests`, `--max-time`)
//! and Ctrl-C end the campaign through LibAFL's `ShuttingDown` error.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use libafl::executors::{Executor, ExitKind, HasObservers};
use libafl::state::HasExecutions;
use libafl::Error;
use libafl_bolts::tuples::RefIndexable;

use super::observer::{Outcome, VerdictObserver};
use super::stats::RunStats;
use super::ProgramInput;
use crate::harness::classify::build_errors;
use crate::harness::{interrupt, HarnessError, Pipeline, TestReport, Verdict};
use crate::lean::render::render_program;
use crate::lean::validity::{BuildError, Validity};
use crate::triage::reduce::{reduce_program, SameSignature};
use crate::triage::{FindingMeta, Store};

/// Consecutive harness errors after which the campaign stops.
const MAX_HARNESS_ERRORS: u32 = 3;

/// When the campaign ends.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    pub max_tests: Option<u64>,
    pub deadline: Option<Instant>,
    /// A file whose appearance means "stop" (the LLMP launcher creates it
    /// when its broker stops for any reason but the clients' own exit).
    pub stop_file: Option<PathBuf>,
}

pub struct PipelineExecutor {
    pipeline: Pipeline,
    store: Store,
    meta: FindingMeta,
    solution_file: String,
    budget: Budget,
    observers: (VerdictObserver, ()),
    harness_errors: u32,
    /// With `--auto-reduce`: the depth bound for tree reduction, and the
    /// signatures this process has reduced a finding of.
    auto_reduce: Option<(usize, HashSet<String>)>,
    pub stats: RunStats,
}

impl PipelineExecutor {
    pub fn new(pipeline: Pipeline, store: Store, meta: FindingMeta, budget: Budget) -> Self {
        let solution_file = pipeline
            .config()
            .template
            .solution_file()
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        PipelineExecutor {
            pipeline,
            store,
            meta,
            solution_file,
            budget,
            observers: (VerdictObserver::new(), ()),
            harness_errors: 0,
            auto_reduce: None,
            stats: RunStats::default(),
        }
    }

    /// Reduce the first new finding of each signature right away (one
    /// candidate at a time, between tests), storing the result beside it.
    pub fn with_auto_reduce(mut self, depth: usize) -> Self {
        self.auto_reduce = Some((depth, HashSet::new()));
        self
    }

    /// Whether the budget is spent or the user asked to stop.
    pub fn should_stop(&self) -> bool {
        interrupt::requested()
            || self.budget.max_tests.is_some_and(|n| self.stats.tests >= n)
            || self.budget.deadline.is_some_and(|d| Instant::now() >= d)
            || self.budget.stop_file.as_ref().is_some_and(|f| f.exists())
    }

    /// Runs one program; `None` when the harness failed this time.
    fn test(&mut self, input: &ProgramInput) -> Result<Option<(Outcome, ExitKind)>, Error> {
        let rendered = render_program(&input.program);
        let report = match self.pipeline.run(&rendered.text) {
            Ok(r) => r,
            Err(HarnessError::Interrupted) => return Err(Error::shutting_down()),
            Err(e) => {
                self.harness_errors += 1;
                eprintln!("harness error: {e}");
                if self.harness_errors >= MAX_HARNESS_ERRORS {
                    return Err(Error::illegal_state(format!(
                        "{MAX_HARNESS_ERRORS} harness errors in a row, the last: {e}"
                    )));
                }
                return Ok(None);
            }
        };
        self.harness_errors = 0;
        let verdict = report.verdict();
        self.stats.record(verdict);
        let families = input.families();
        // A stage that died says nothing about validity.
        let prefix_valid = match verdict {
            Verdict::Crash | Verdict::Timeout => None,
            _ => {
                let errors: Vec<BuildError> = build_errors(&report, &self.solution_file)
                    .into_iter()
                    .map(|(line, kind)| BuildError { line, kind })
                    .collect();
                let v = self
                    .stats
                    .validity
                    .record(&input.program, &rendered, &errors);
                Some(v == Validity::PrefixValid)
            }
        };
        if verdict.is_finding() {
            let mut meta = self.meta.clone();
            meta.profile = Some(format!("{:?}", input.program.profile).to_lowercase());
            meta.program = Some(input.program.clone());
            match self.store.save(&rendered.text, &report, &meta) {
                Ok(Some(saved)) if saved.new => {
                    self.stats.stored += 1;
                    println!(
                        "[{}] {verdict}: {} -> {}",
                        self.meta.instance,
                        report.signature(),
                        saved.path.display()
                    );
                    self.maybe_reduce(input, &report, &saved.path)?;
                }
                Ok(_) => {}
                Err(e) => return Err(Error::illegal_state(format!("findings store: {e}"))),
            }
        }
        let exit = match verdict {
            Verdict::Crash => ExitKind::Crash,
            Verdict::Timeout => ExitKind::Timeout,
            // The observer tells the rest.
            Verdict::Soundness | Verdict::Disagreement | Verdict::Rejected => ExitKind::Ok,
        };
        Ok(Some((
            Outcome {
                verdict: Some(verdict),
                signature: report.signature().to_string(),
                families,
                prefix_valid,
            },
            exit,
        )))
    }
}

impl PipelineExecutor {
    /// `--auto-reduce`: shrinks a finding of a signature not reduced yet
    /// and stores the result beside it. A failed reduction is reported and
    /// the campaign goes on; an interrupt ends it as usual.
    fn maybe_reduce(
        &mut self,
        input: &ProgramInput,
        report: &TestReport,
        path: &Path,
    ) -> Result<(), Error> {
        let Some((depth, done)) = &mut self.auto_reduce else {
            return Ok(());
        };
        if !done.insert(report.signature().to_string()) {
            return Ok(());
        }
        let oracle = SameSignature {
            pipeline: self.pipeline.clone(),
            signature: report.signature().to_string(),
        };
        let reduced = match reduce_program(&input.program, *depth, &oracle, 1, &|_| {}) {
            Ok(r) => r,
            Err(_) if interrupt::requested() => return Err(Error::shutting_down()),
            Err(e) => {
                eprintln!("auto-reduce of {} failed: {e}", path.display());
                return Ok(());
            }
        };
        let last = match self.pipeline.run(&reduced.text) {
            Ok(r) if r.signature() == report.signature() => r,
            Ok(r) => {
                eprintln!(
                    "auto-reduce of {}: the result gave {} on its last run; not stored",
                    path.display(),
                    r.signature()
                );
                return Ok(());
            }
            Err(HarnessError::Interrupted) => return Err(Error::shutting_down()),
            Err(e) => {
                eprintln!("auto-reduce of {} failed: {e}", path.display());
                return Ok(());
            }
        };
        let mut meta = self.meta.clone();
        meta.origin = "reduce".into();
        meta.reduced_from = Some(path.display().to_string());
        match self.store.save(&reduced.text, &last, &meta) {
            Ok(Some(saved)) => println!(
                "[{}] reduced {} bytes -> {} bytes in {} tests: {}",
                self.meta.instance,
                std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
                reduced.text.len(),
                reduced.tests + 1,
                saved.path.display()
            ),
            Ok(None) => {}
            Err(e) => return Err(Error::illegal_state(format!("findings store: {e}"))),
        }
        Ok(())
    }
}

impl<EM, S, Z> Executor<EM, ProgramInput, S, Z> for PipelineExecutor
where
    S: HasExecutions,
{
    fn run_target(
        &mut self,
        _fuzzer: &mut Z,
        state: &mut S,
        _mgr: &mut EM,
        input: &ProgramInput,
    ) -> Result<ExitKind, Error> {
        if self.should_stop() {
            return Err(Error::shutting_down());
        }
        *state.executions_mut() += 1;
        match self.test(input)? {
            Some((outcome, exit)) => {
                self.observers.0.outcome = outcome;
                Ok(exit)
            }
            None => Ok(ExitKind::Ok),
        }
    }
}

impl HasObservers for PipelineExecutor {
    type Observers = (VerdictObserver, ());

    fn observers(&self) -> RefIndexable<&Self::Observers, Self::Observers> {
        RefIndexable::from(&self.observers)
    }

    fn observers_mut(&mut self) -> RefIndexable<&mut Self::Observers, Self::Observers> {
        RefIndexable::from(&mut self.observers)
    }
}

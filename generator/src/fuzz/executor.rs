//! The executor: tests the input with its target, puts the verdict into
//! the observer, and keeps the run's statistics. Test budgets
//! (`--max-tests`, `--max-time`), the launcher's stop file and Ctrl-C end
//! the campaign through LibAFL's `ShuttingDown` error; a few harness errors
//! in a row end it with that error.

use std::path::PathBuf;
use std::time::Instant;

use libafl::executors::{Executor, ExitKind, HasObservers};
use libafl::state::HasExecutions;
use libafl::Error;
use libafl_bolts::tuples::RefIndexable;

use super::observer::{Outcome, VerdictObserver};
use super::stats::RunStats;
use super::target::{FuzzTarget, TestError};
use crate::harness::{interrupt, Verdict};

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
    /// Where an LLMP client keeps its count of tests, written after each
    /// test: a client restarted after a kill reads it back, so its
    /// processes share one budget.
    pub count_file: Option<PathBuf>,
    /// The LLMP launcher: when it is gone (killed outright), its clients
    /// stop too.
    pub launcher: Option<u32>,
}

/// Runs inputs through a [`FuzzTarget`].
pub struct TargetExecutor<T: FuzzTarget> {
    target: T,
    budget: Budget,
    observers: (VerdictObserver, ()),
    harness_errors: u32,
    pub stats: RunStats,
    /// The open `count_file`.
    count: Option<std::fs::File>,
}

impl<T: FuzzTarget> TargetExecutor<T> {
    pub fn new(target: T, budget: Budget) -> Self {
        let mut stats = RunStats::default();
        let count = budget.count_file.as_ref().and_then(|path| {
            stats.earlier_tests = read_count(path);
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path);
            match file {
                Ok(f) => Some(f),
                Err(e) => {
                    eprintln!(
                        "warning: cannot keep the test count in {}: {e}",
                        path.display()
                    );
                    None
                }
            }
        });
        TargetExecutor {
            target,
            budget,
            observers: (VerdictObserver::new(), ()),
            harness_errors: 0,
            stats,
            count,
        }
    }

    /// Writes this client's test count to its count file.
    fn save_count(&mut self) {
        use std::os::unix::fs::FileExt;
        if let Some(f) = &self.count {
            // Fixed width, so a shorter number never leaves digits behind.
            let text = format!("{:020}\n", self.stats.client_tests());
            let _ = f.write_all_at(text.as_bytes(), 0);
        }
    }

    /// Whether the budget is spent or the user asked to stop.
    pub fn should_stop(&self) -> bool {
        interrupt::requested()
            || self
                .budget
                .max_tests
                .is_some_and(|n| self.stats.client_tests() >= n)
            || self.budget.deadline.is_some_and(|d| Instant::now() >= d)
            || self.budget.stop_file.as_ref().is_some_and(|f| f.exists())
            || self
                .budget
                .launcher
                .is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists())
    }

    /// Tests one input; `None` when the harness failed this time.
    fn test(&mut self, input: &T::Input) -> Result<Option<(Outcome, ExitKind)>, Error> {
        let tested = match self.target.test(input) {
            Ok(t) => t,
            Err(TestError::Interrupted) => return Err(Error::shutting_down()),
            Err(TestError::Fatal(e)) => return Err(Error::illegal_state(e)),
            Err(TestError::Harness(e)) => {
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
        self.stats.record(tested.verdict, tested.valid);
        self.save_count();
        self.stats.record_verifiers(tested.verifiers.as_deref());
        if tested.stored {
            self.stats.stored += 1;
        }
        if let Some(path) = &tested.finding {
            self.stats.last_finding =
                Some((tested.verdict.to_string(), path.display().to_string()));
        }
        self.stats.checked += tested.checked;
        let exit = match tested.verdict {
            Verdict::Crash => ExitKind::Crash,
            Verdict::Timeout => ExitKind::Timeout,
            // The observer tells the rest.
            _ => ExitKind::Ok,
        };
        Ok(Some((
            Outcome {
                verdict: Some(tested.verdict),
                signature: tested.signature,
                features: T::features(input),
                valid: tested.valid,
            },
            exit,
        )))
    }
}

/// The count in a count file (0 when there is none yet).
fn read_count(path: &std::path::Path) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0)
}

impl<EM, S, Z, T: FuzzTarget> Executor<EM, T::Input, S, Z> for TargetExecutor<T>
where
    S: HasExecutions,
{
    fn run_target(
        &mut self,
        _fuzzer: &mut Z,
        state: &mut S,
        _mgr: &mut EM,
        input: &T::Input,
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

impl<T: FuzzTarget> HasObservers for TargetExecutor<T> {
    type Observers = (VerdictObserver, ());

    fn observers(&self) -> RefIndexable<&Self::Observers, Self::Observers> {
        RefIndexable::from(&self.observers)
    }

    fn observers_mut(&mut self) -> RefIndexable<&mut Self::Observers, Self::Observers> {
        RefIndexable::from(&mut self.observers)
    }
}

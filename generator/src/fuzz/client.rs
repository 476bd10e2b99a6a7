//! One fuzzing process: its state, fuzzer, executor and loop. `--mode
//! simple` runs one in-process; the LLMP mode runs one per core under a
//! restarting event manager. The event manager is the only difference, so
//! the loop is written once, generic over it.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use libafl::corpus::{CachedOnDiskCorpus, Corpus, InMemoryCorpus, Testcase};
use libafl::events::{EventFirer, EventReceiver, ProgressReporter, SendExiting};
use libafl::fuzzer::NopInputFilter;
use libafl::inputs::BytesInputConverter;
use libafl::mutators::HavocScheduledMutator;
use libafl::schedulers::{QueueScheduler, Scheduler};
use libafl::stages::StdMutationalStage;
use libafl::state::{HasCorpus, HasExecutions, HasSolutions, StdState};
use libafl::HasScheduler;
use libafl::{Error, Evaluator, Fuzzer, StdFuzzer};
use libafl_bolts::rands::StdRand;
use libafl_bolts::tuples::tuple_list;

use super::executor::{Budget, TargetExecutor};
use super::feedback::{remember_features, FindingFeedback, NoveltyFeedback};
use super::generator::TargetGenerator;
use super::mutators::KindMutator;
use super::observer::VerdictObserver;
use super::resume::{read_entries, LoadReport};
use super::stats::append_line;
use super::status::{write_live, StatusBoard, SCREEN_EVERY};
use super::target::FuzzTarget;

/// The state of one fuzzing process; it travels through LLMP restarts.
/// Corpus entries live on disk; at most [`CORPUS_CACHE`] inputs are in
/// memory at a time (LibAFL's in-memory corpus kept every input it had
/// loaded once, ≈ 15 KB per entry for days).
pub type FuzzState<I> = StdState<CachedOnDiskCorpus<I>, I, StdRand, InMemoryCorpus<I>>;

/// Corpus inputs kept in memory at most (the rest are read from disk when
/// scheduled or spliced).
pub const CORPUS_CACHE: usize = 64;

type TargetFuzzer = StdFuzzer<
    QueueScheduler,
    NoveltyFeedback,
    BytesInputConverter,
    NopInputFilter,
    FindingFeedback,
>;

/// What a fuzzing process needs besides its target.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    pub seed: u64,
    /// Generated inputs the corpus starts from.
    pub initial: usize,
    pub timeouts_are_objectives: bool,
    /// Where this process writes its corpus entries.
    pub corpus_dir: PathBuf,
    /// Where a resumed or restarted process reads entries from (each
    /// directory and its subdirectories, one level deep).
    pub load_from: Vec<PathBuf>,
    /// Input files a fresh corpus starts from, before generated inputs.
    pub seeds: Vec<PathBuf>,
    pub stats_file: PathBuf,
    pub stats_interval: Duration,
    pub budget: Budget,
    /// Name of this process in logs, stats lines and finding metadata.
    pub instance: String,
}

/// How a fuzzing process ended.
#[derive(Debug)]
pub struct Summary {
    pub tests: u64,
    pub corpus: usize,
    pub objectives: usize,
    pub stored: u64,
    pub validity_rate: f64,
    pub elapsed: Duration,
    pub interrupted: bool,
    /// Tests per key of the judges' outcomes.
    pub verifiers: std::collections::BTreeMap<String, u64>,
}

/// Mutations stacked per fuzzing iteration at most (each test costs about
/// a second, so few and meaningful beats many).
const MAX_ITERATIONS: usize = 4;

/// Mutations stacked on one input: 2 or 4 (LibAFL's default stacks up to
/// 128, which for tree mutations leaves little of the parent).
const MAX_STACK_POW: usize = 2;

/// Where a fuzzing process shows its progress.
pub enum StatusOut {
    /// Nowhere but `stats.jsonl`.
    None,
    /// On its own board (the simple mode).
    Board(Box<StatusBoard>),
    /// In a live file the LLMP broker draws its board from.
    Live(PathBuf),
}

/// How a process fills its corpus before fuzzing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Generate `initial` programs and run them (their events share them).
    Generate,
    /// Read the entries on disk without running or broadcasting them;
    /// generate if there are none.
    Load,
}

/// One fuzzing process, ready to run.
pub struct Client<T: FuzzTarget> {
    opts: FuzzOptions,
    pub state: FuzzState<T::Input>,
    fuzzer: TargetFuzzer,
    pub executor: TargetExecutor<T>,
    /// A copy of the target for generating and mutating inputs.
    target: T,
    started: Instant,
    pub status: StatusOut,
}

impl<T: FuzzTarget> Client<T> {
    /// Builds the process around `restored` (a state an LLMP restart kept)
    /// or a new state.
    pub fn new(
        opts: FuzzOptions,
        restored: Option<FuzzState<T::Input>>,
        target: T,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&opts.corpus_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create corpus dir {}: {e}",
                opts.corpus_dir.display()
            )
        })?;
        let observer = VerdictObserver::new();
        let mut feedback = NoveltyFeedback::new(&observer);
        let mut objective = FindingFeedback::new(&observer, opts.timeouts_are_objectives);
        let state = match restored {
            Some(s) => s,
            None => {
                let corpus = CachedOnDiskCorpus::<T::Input>::new(&opts.corpus_dir, CORPUS_CACHE)
                    .map_err(|e| {
                        anyhow::anyhow!("corpus dir {}: {e}", opts.corpus_dir.display())
                    })?;
                StdState::new(
                    StdRand::with_seed(opts.seed),
                    corpus,
                    InMemoryCorpus::<T::Input>::new(),
                    &mut feedback,
                    &mut objective,
                )?
            }
        };
        let fuzzer = StdFuzzer::new(QueueScheduler::new(), feedback, objective);
        let executor = TargetExecutor::new(target.clone(), opts.budget.clone());
        Ok(Client {
            opts,
            state,
            fuzzer,
            executor,
            target,
            started: Instant::now(),
            status: StatusOut::None,
        })
    }

    /// Fills an empty corpus: from disk (`Start::Load`), or from the seed
    /// files and by generation.
    /// Returns how many entries were read from disk.
    pub fn fill_corpus<EM>(&mut self, start: Start, mgr: &mut EM) -> Result<LoadReport, Error>
    where
        EM: EventFirer<T::Input, FuzzState<T::Input>>
            + ProgressReporter<FuzzState<T::Input>>
            + SendExiting
            + EventReceiver<T::Input, FuzzState<T::Input>>,
    {
        let mut report = LoadReport::default();
        if self.state.corpus().count() > 0 {
            return Ok(report);
        }
        if start == Start::Load {
            report = self.load_corpus()?;
        }
        if self.state.corpus().count() == 0 {
            // Seed files first (each run once and kept), then generated
            // inputs.
            for path in &self.opts.seeds {
                let input = self
                    .target
                    .read_seed(path)
                    .map_err(|e| Error::illegal_argument(format!("{e:#}")))?;
                self.fuzzer
                    .add_input(&mut self.state, &mut self.executor, mgr, input)?;
            }
            let mut generator = TargetGenerator::new(self.target.clone());
            self.state.generate_initial_inputs_forced(
                &mut self.fuzzer,
                &mut self.executor,
                &mut generator,
                mgr,
                self.opts.initial.max(1),
            )?;
        }
        Ok(report)
    }

    /// Adds the entries on disk to the corpus without running them, and
    /// marks their family combinations as seen.
    fn load_corpus(&mut self) -> Result<LoadReport, Error> {
        let (inputs, report) = read_entries::<T::Input>(&self.opts.load_from);
        for input in inputs {
            remember_features(&mut self.state, &T::features(&input))?;
            let id = self.state.corpus_mut().add(Testcase::new(input))?;
            HasScheduler::<T::Input, FuzzState<T::Input>>::scheduler_mut(&mut self.fuzzer)
                .on_add(&mut self.state, id)?;
        }
        Ok(report)
    }

    /// Fuzzes until the budget is spent, the user stops it, or an error.
    /// Appends a stats line at every interval and a last one at the end.
    pub fn fuzz<EM>(&mut self, mgr: &mut EM) -> anyhow::Result<()>
    where
        EM: EventFirer<T::Input, FuzzState<T::Input>>
            + ProgressReporter<FuzzState<T::Input>>
            + SendExiting
            + EventReceiver<T::Input, FuzzState<T::Input>>,
    {
        let mutator = HavocScheduledMutator::with_max_stack_pow(
            tuple_list!(KindMutator::<T::Mutation>::new(
                self.target.mutation_config()
            )),
            MAX_STACK_POW,
        );
        let mut stages = tuple_list!(StdMutationalStage::with_max_iterations(
            mutator,
            NonZeroUsize::new(MAX_ITERATIONS).expect("non-zero"),
        ));
        let mut last_stats = Instant::now();
        let mut last_status = Instant::now();
        let status_every = match &self.status {
            StatusOut::Board(b) => b.every(),
            _ => SCREEN_EVERY,
        };
        self.show_status();
        let mut outcome = Ok(());
        while outcome.is_ok() && !self.executor.should_stop() {
            outcome = mgr
                .maybe_report_progress(&mut self.state, self.opts.stats_interval)
                .and_then(|()| {
                    self.fuzzer
                        .fuzz_one(&mut stages, &mut self.executor, &mut self.state, mgr)
                })
                .map(|_| ());
            if last_stats.elapsed() >= self.opts.stats_interval {
                self.write_stats(false, None)?;
                last_stats = Instant::now();
            }
            if last_status.elapsed() >= status_every {
                self.show_status();
                last_status = Instant::now();
            }
        }
        match outcome {
            Ok(()) | Err(Error::ShuttingDown) => Ok(()),
            Err(e) => Err(self.stopped(e)),
        }
    }

    /// One line for the error that stopped the campaign. LibAFL reports a
    /// failed corpus write or read as a bare OS error: name the directory.
    pub fn stopped(&self, e: Error) -> anyhow::Error {
        match e {
            Error::OsError(io, _, _) => anyhow::anyhow!(
                "fuzzing stopped: corpus dir {}: {io}",
                self.opts.corpus_dir.display()
            ),
            e => anyhow::anyhow!(
                "fuzzing stopped: {}",
                e.to_string().lines().next().unwrap_or_default()
            ),
        }
    }

    /// This process's statistics as a line.
    fn stats_line(&self) -> super::stats::StatsLine {
        let mut line = self.executor.stats.line(
            &self.opts.instance,
            self.state.corpus().count(),
            self.state.solutions().count(),
        );
        line.executions = *self.state.executions();
        line
    }

    /// Hands the current statistics to the status board or live file.
    pub fn show_status(&mut self) {
        let line = self.stats_line();
        match &mut self.status {
            StatusOut::None => {}
            StatusOut::Board(board) => {
                board.update(line);
                board.show();
            }
            StatusOut::Live(path) => {
                if let Err(e) = write_live(path, &line) {
                    eprintln!("warning: {e}");
                }
            }
        }
    }

    /// Appends this process's statistics line (`last`: its final one,
    /// with the error that ended it, if one did).
    pub fn write_stats(&mut self, last: bool, error: Option<String>) -> anyhow::Result<()> {
        let mut line = self.stats_line();
        line.last = last;
        if last {
            let mut shown = line.clone();
            shown.error = error.clone();
            match &mut self.status {
                StatusOut::Board(board) => {
                    board.update(shown);
                    board.finish();
                }
                StatusOut::Live(path) => {
                    let _ = write_live(path, &shown);
                }
                StatusOut::None => {}
            }
        }
        line.error = error;
        append_line(&self.opts.stats_file, &line)
    }

    /// The state, for a restart.
    pub fn into_state(self) -> FuzzState<T::Input> {
        self.state
    }

    pub fn summary(&self) -> Summary {
        Summary {
            tests: self.executor.stats.tests,
            corpus: self.state.corpus().count(),
            objectives: self.state.solutions().count(),
            stored: self.executor.stats.stored,
            validity_rate: self.executor.stats.validity_rate(),
            elapsed: self.started.elapsed(),
            interrupted: crate::harness::interrupt::requested(),
            verifiers: self.executor.stats.verifiers.clone(),
        }
    }
}

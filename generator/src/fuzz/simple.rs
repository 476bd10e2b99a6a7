//! `--mode simple`: one in-process fuzzer with LibAFL's simple event
//! manager (no broker, no restarts), for debugging and small runs.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use libafl::corpus::{Corpus, InMemoryCorpus, InMemoryOnDiskCorpus};
use libafl::events::SimpleEventManager;
use libafl::monitors::SimpleMonitor;
use libafl::mutators::HavocScheduledMutator;
use libafl::schedulers::QueueScheduler;
use libafl::stages::StdMutationalStage;
use libafl::state::{HasCorpus, HasSolutions, StdState};
use libafl::{Error, Fuzzer, StdFuzzer};
use libafl_bolts::rands::StdRand;
use libafl_bolts::tuples::tuple_list;

use super::executor::{Budget, PipelineExecutor};
use super::feedback::{FindingFeedback, NoveltyFeedback};
use super::generator::ProgramGenerator;
use super::observer::VerdictObserver;
use super::stats::append_line;
use super::{mutators, ProgramInput};
use crate::harness::Pipeline;
use crate::lean::gen::GenConfig;
use crate::triage::{FindingMeta, Store};

/// What a fuzzing process needs besides the pipeline and the store.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    pub gen: GenConfig,
    pub seed: u64,
    /// Generated programs the corpus starts from.
    pub initial: usize,
    pub timeouts_are_objectives: bool,
    pub corpus_dir: PathBuf,
    pub stats_file: PathBuf,
    pub stats_interval: Duration,
    pub budget: Budget,
    pub instance: String,
}

/// How a campaign ended.
#[derive(Debug)]
pub struct Summary {
    pub tests: u64,
    pub corpus: usize,
    pub objectives: usize,
    pub stored: u64,
    pub validity_rate: f64,
    pub elapsed: Duration,
    pub interrupted: bool,
}

/// Mutations stacked per fuzzing iteration at most (each test costs about
/// a second, so few and meaningful beats many).
const MAX_ITERATIONS: usize = 4;

pub fn run_simple(opts: &FuzzOptions, pipeline: Pipeline, store: Store) -> anyhow::Result<Summary> {
    std::fs::create_dir_all(&opts.corpus_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create corpus dir {}: {e}",
            opts.corpus_dir.display()
        )
    })?;
    let observer = VerdictObserver::new();
    let mut feedback = NoveltyFeedback::new(&observer);
    let mut objective = FindingFeedback::new(&observer, opts.timeouts_are_objectives);
    let corpus = InMemoryOnDiskCorpus::<ProgramInput>::new(&opts.corpus_dir)
        .map_err(|e| anyhow::anyhow!("corpus dir {}: {e}", opts.corpus_dir.display()))?;
    let mut state = StdState::new(
        StdRand::with_seed(opts.seed),
        corpus,
        InMemoryCorpus::<ProgramInput>::new(),
        &mut feedback,
        &mut objective,
    )?;
    let monitor = SimpleMonitor::new(|s| println!("{s}"));
    let mut mgr = SimpleEventManager::new(monitor);
    let mut fuzzer = StdFuzzer::new(QueueScheduler::new(), feedback, objective);
    let meta = FindingMeta {
        origin: "fuzz".into(),
        instance: opts.instance.clone(),
        depth: Some(opts.gen.depth),
        profile: None,
    };
    let mut executor = PipelineExecutor::new(pipeline, store, meta, opts.budget);
    let mut generator = ProgramGenerator::new(opts.gen);

    let started = Instant::now();
    let mut outcome = state.generate_initial_inputs_forced(
        &mut fuzzer,
        &mut executor,
        &mut generator,
        &mut mgr,
        opts.initial.max(1),
    );
    let mutator = HavocScheduledMutator::new(mutators::all(opts.gen.depth));
    let mut stages = tuple_list!(StdMutationalStage::with_max_iterations(
        mutator,
        NonZeroUsize::new(MAX_ITERATIONS).expect("non-zero"),
    ));
    let mut last_stats = Instant::now();
    while outcome.is_ok() && !executor.should_stop() {
        outcome = fuzzer
            .fuzz_one(&mut stages, &mut executor, &mut state, &mut mgr)
            .map(|_| ());
        if last_stats.elapsed() >= opts.stats_interval {
            let line = executor.stats.line(
                &opts.instance,
                state.corpus().count(),
                state.solutions().count(),
            );
            append_line(&opts.stats_file, &line)?;
            last_stats = Instant::now();
        }
    }
    let line = executor.stats.line(
        &opts.instance,
        state.corpus().count(),
        state.solutions().count(),
    );
    append_line(&opts.stats_file, &line)?;
    let interrupted = crate::harness::interrupt::requested();
    match outcome {
        Ok(()) | Err(Error::ShuttingDown) => {}
        Err(e) => anyhow::bail!("fuzzing stopped: {e}"),
    }
    Ok(Summary {
        tests: executor.stats.tests,
        corpus: state.corpus().count(),
        objectives: state.solutions().count(),
        stored: executor.stats.stored,
        validity_rate: executor.stats.validity.rate(),
        elapsed: started.elapsed(),
        interrupted,
    })
}

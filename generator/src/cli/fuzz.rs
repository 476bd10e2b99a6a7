//! Fuzzing, the default command of `main`: generated programs through the
//! pipeline under LibAFL, findings into the store, statistics on the
//! terminal and in `stats.jsonl`.

use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::args::{parse_seconds, PipelineArgs};
use super::generate::GenArgs;
use crate::fuzz::executor::Budget;
use crate::fuzz::simple::{run_simple, FuzzOptions};
use crate::harness::{interrupt, Pipeline};
use crate::triage::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// One in-process fuzzer, LibAFL's simple event manager (debugging, small runs).
    Simple,
}

#[derive(Debug, Args)]
pub struct FuzzArgs {
    #[command(flatten)]
    pub gen: GenArgs,
    /// How the fuzzer runs
    #[arg(long, value_enum, default_value = "simple")]
    pub mode: ModeArg,
    /// Stop after this many tests
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_tests: Option<u64>,
    /// Stop after this many seconds
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub max_time: Option<Duration>,
    /// The corpus directory [default: corpus/ beside the solutions directory]
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Generated programs the corpus starts from
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub initial: u64,
    /// Count timeouts as objectives (they are stored as findings either way)
    #[arg(long)]
    pub timeouts_are_objectives: bool,
    /// Where a JSON line of statistics is appended at every interval [default: stats.jsonl beside the corpus]
    #[arg(long, value_name = "FILE")]
    pub stats_file: Option<PathBuf>,
    /// Seconds between statistics lines
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_seconds)]
    pub stats_interval: Duration,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

pub fn run(args: FuzzArgs) -> anyhow::Result<ExitCode> {
    let config = args.pipeline.pipeline_config()?;
    let solutions = args.pipeline.solutions_dir(&config.template);
    let base = solutions
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let corpus_dir = args.corpus.clone().unwrap_or_else(|| base.join("corpus"));
    let stats_file = args.stats_file.clone().unwrap_or_else(|| {
        corpus_dir
            .parent()
            .map(|p| p.join("stats.jsonl"))
            .unwrap_or_else(|| PathBuf::from("stats.jsonl"))
    });
    interrupt::install_handler();
    let opts = FuzzOptions {
        gen: args.gen.config(),
        seed: args.gen.seed,
        initial: args.initial as usize,
        timeouts_are_objectives: args.timeouts_are_objectives,
        corpus_dir,
        stats_file,
        stats_interval: args.stats_interval,
        budget: Budget {
            max_tests: args.max_tests,
            deadline: args.max_time.map(|d| Instant::now() + d),
        },
        instance: format!("simple-{}", std::process::id()),
    };
    let store = Store::new(&solutions);
    let summary = match args.mode {
        ModeArg::Simple => run_simple(&opts, Pipeline::new(config), store)?,
    };
    println!(
        "{} after {:.1} s: {} tests, corpus {}, {} objective(s), {} finding file(s) stored in {}, validity {:.1} %",
        if summary.interrupted { "interrupted" } else { "done" },
        summary.elapsed.as_secs_f64(),
        summary.tests,
        summary.corpus,
        summary.objectives,
        summary.stored,
        solutions.display(),
        100.0 * summary.validity_rate,
    );
    Ok(if summary.interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

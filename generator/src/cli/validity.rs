//! `main validity`: builds generated programs with the real toolchain and
//! reports which share Lean accepts up to the suffix, and which
//! construct families fail with which errors — so a user with Lean sees at
//! once which generator parts need work.

use clap::Args;
use std::process::ExitCode;

use super::args::PipelineArgs;
use super::generate::GenArgs;
use crate::harness::classify::build_errors;
use crate::harness::{interrupt, ComparatorMode, HarnessError, Pipeline, Verdict};
use crate::lean::gen::generate;
use crate::lean::render::render_program;
use crate::lean::validity::{BuildError, Validity, ValidityStats};

#[derive(Debug, Args)]
pub struct ValidityArgs {
    /// How many programs to build
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: u64,
    #[command(flatten)]
    pub gen: GenArgs,
    /// How many error kinds to show per family
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

pub fn run(args: ValidityArgs) -> anyhow::Result<ExitCode> {
    // `--judge` (alone: comparator) also runs the judges and counts the
    // programs that reached comparator's kernels.
    let judge = !args.pipeline.judges.is_empty();
    let mode = if judge {
        ComparatorMode::OnSuccess
    } else {
        ComparatorMode::Never
    };
    let config = args.pipeline.pipeline_config_for(mode)?;
    let solution_file = config
        .template
        .solution_file()
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    interrupt::install_handler();
    let pipeline = Pipeline::new(config);
    args.gen.check_surface()?;
    let cfg = args.gen.config();
    let mut stats = ValidityStats::default();
    let mut findings = 0;
    let mut reached = 0;
    for i in 0..args.count {
        let seed = args.gen.seed.wrapping_add(i);
        let program = generate(seed, &cfg).program;
        let rendered = render_program(&program);
        let report = match pipeline.run(&rendered.text) {
            Ok(r) => r,
            Err(HarnessError::Interrupted) => {
                println!("interrupted after {i} program(s)");
                print!("{}", stats.report(args.top));
                return Ok(ExitCode::from(130));
            }
            Err(e) => return Err(e.into()),
        };
        let errors: Vec<BuildError> = build_errors(&report, &solution_file)
            .into_iter()
            .map(|(line, kind)| BuildError { line, kind })
            .collect();
        let v = stats.record(&program, &rendered, &errors);
        let what = match &v {
            Validity::PrefixValid => "prefix-valid".to_string(),
            Validity::PrefixInvalid { decls, kinds } => format!(
                "prefix-invalid (declarations {decls:?}: {})",
                kinds.join(", ")
            ),
        };
        if report.verdict() != Verdict::Rejected {
            findings += 1;
        }
        if report.reached_kernels() == Some(true) {
            reached += 1;
        }
        println!(
            "seed {seed}: {what}; verdict {} ({})",
            report.verdict(),
            report.signature()
        );
    }
    print!("{}", stats.report(args.top));
    if judge {
        println!(
            "valid: {reached}/{} programs reached comparator's kernels ({:.1} %)",
            stats.builds,
            100.0 * reached as f64 / stats.builds.max(1) as f64
        );
    }
    if findings > 0 {
        println!("{findings} program(s) were findings: run them with `main repro`");
    }
    Ok(ExitCode::SUCCESS)
}

//! One test end to end: workspace, `lake build <Solution>`, the comparator,
//! one verdict (README, "One test").

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

use super::classify::{classify_build, classify_comparator, StageOutput};
use super::error::HarnessError;
use super::isolation::IsolationMode;
use super::process::{self, Limits, ProcessOutcome, ProcessSpec};
use super::report::{Report, StageReport};
use super::template::{Template, CONFIG_FILE};
use super::verdict::{Classification, Verdict};
use super::workspace::Workspace;

/// When the comparator runs (`--comparator-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ComparatorMode {
    /// Only after a successful build: a failed build cannot be a proof.
    #[default]
    OnSuccess,
    /// After every build, to exercise the judge on broken projects too.
    Always,
    /// Never: build-only testing, no comparator needed.
    Never,
}

/// Variables LibAFL's launcher sets for its clients; they must not leak
/// into the target's environment.
const SCRUBBED_ENV: &[&str] = &["_AFL_ENV_FUZZER_SENDER", "_AFL_LAUNCHER_CLIENT"];

/// Everything the pipeline needs, resolved and validated up front.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    pub template: Template,
    pub lake: PathBuf,
    /// Required unless the mode is `Never`.
    pub comparator: Option<PathBuf>,
    pub work_root: PathBuf,
    pub limits: Limits,
    pub comparator_mode: ComparatorMode,
    pub isolation: IsolationMode,
}

/// Runs Lean files through the isolated pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline {
    config: PipelineConfig,
}

impl Pipeline {
    pub fn new(config: PipelineConfig) -> Self {
        Pipeline { config }
    }

    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// Tests `source` as the solution module. `Err` is our own failure
    /// (never a verdict about the file) or a user interrupt; the workspace is
    /// removed on every path out of this function.
    pub fn run(&self, source: &str) -> Result<Report, HarnessError> {
        let cfg = &self.config;
        let start = Instant::now();
        let ws = Workspace::create(&cfg.template, &cfg.work_root, cfg.isolation, source)?;
        let workspace_setup = start.elapsed();
        let solution_module = cfg.template.config.solution_module.as_str();

        let mut stages = Vec::new();
        let mut skipped = Vec::new();

        let build_spec = self
            .stage_spec(&ws, &cfg.lake)
            .arg("build")
            .arg(solution_module);
        let build = process::run(&build_spec)?;
        let build_class = classify_build(&output_of(&build), solution_module);
        let built = build.termination.success();
        stages.push(report("build", &build_spec, build));

        let run_judge = match cfg.comparator_mode {
            ComparatorMode::Never => {
                skipped.push("comparator: --comparator-mode never".to_string());
                false
            }
            ComparatorMode::OnSuccess if !built => {
                skipped.push("comparator: the build failed (--comparator-mode on-success)".into());
                false
            }
            _ => true,
        };
        let classification = if run_judge {
            let comparator = cfg
                .comparator
                .as_ref()
                .ok_or_else(|| HarnessError::ToolMissing {
                    tool: "comparator".into(),
                    hint: super::toolchain::COMPARATOR_HINT.into(),
                })?;
            let judge_spec = self
                .stage_spec(&ws, &cfg.lake)
                .arg("env")
                .arg(comparator)
                .arg(CONFIG_FILE);
            let judge = process::run(&judge_spec)?;
            let judge_class = classify_comparator(&output_of(&judge), solution_module);
            stages.push(report("comparator", &judge_spec, judge));
            if built {
                judge_class
            } else {
                most_severe(build_class, judge_class)
            }
        } else if built {
            Classification::new(
                Verdict::Rejected,
                "build-ok:judge-skipped",
                "build succeeded; the comparator did not run",
            )
        } else {
            build_class
        };
        drop(ws);
        Ok(Report {
            signature_hash: classification.signature_hash(),
            classification,
            stages,
            skipped,
            workspace_setup,
            total: start.elapsed(),
        })
    }

    /// A stage command in the workspace, with the limits, the overlay and
    /// the environment every stage gets.
    fn stage_spec(&self, ws: &Workspace, program: &PathBuf) -> ProcessSpec {
        let mut spec = ProcessSpec::new(program, ws.project_dir(), self.config.limits.clone());
        spec.env_set
            .push((OsString::from("LEAN_ABORT_ON_PANIC"), OsString::from("1")));
        spec.env_remove = SCRUBBED_ENV.iter().map(OsString::from).collect();
        spec.overlay = ws.overlay();
        spec
    }
}

/// The more severe of two classifications; the first on a tie.
fn most_severe(a: Classification, b: Classification) -> Classification {
    if b.verdict < a.verdict {
        b
    } else {
        a
    }
}

fn output_of(o: &ProcessOutcome) -> StageOutput<'_> {
    StageOutput {
        termination: &o.termination,
        stdout: &o.stdout.text,
        stderr: &o.stderr.text,
    }
}

fn report(name: &str, spec: &ProcessSpec, o: ProcessOutcome) -> StageReport {
    StageReport {
        name: name.into(),
        command: spec.command_line(),
        termination: o.termination,
        duration: o.duration,
        omitted_bytes: o.stdout.omitted + o.stderr.omitted,
        stdout: o.stdout.text,
        stderr: o.stderr.text,
        answer: None,
    }
}

//! One test end to end: workspace, `lake build <Solution>`, the comparator,
//! one verdict (README, "One test").

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

use super::classify::{
    classify_build, classify_comparator, classify_replay, judge_build_io, warned_sorry, BuildIo,
    StageOutput,
};
use super::error::HarnessError;
use super::isolation::IsolationMode;
use super::process::{self, Limits, ProcessOutcome, ProcessSpec};
use super::report::{Report, StageReport};
use super::sandbox::{Policy, SandboxMode, StageSandbox};
use super::template::{module_file, Template, CONFIG_FILE, REPLAY_CONFIG_FILE};
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
    /// Whether the build stage runs in the build sandbox.
    pub sandbox: SandboxMode,
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

        let mut build_spec = self
            .stage_spec(&ws, &cfg.lake)
            .arg("build")
            .arg(solution_module);
        if cfg.sandbox == SandboxMode::Build {
            let sandbox = StageSandbox::new(Policy::BUILD, ws.project_dir())
                .map_err(|why| HarnessError::Sandbox { why })?;
            build_spec.sandbox = Some(std::sync::Arc::new(sandbox));
        }
        let build = process::run(&build_spec)?;
        let build_class = classify_build(&output_of(&build), solution_module);
        let built = build.termination.success();
        // A full disk or a denied permission is ours, never a verdict; a
        // refused write outside the workspace is the program's attempt.
        let build_class = match (built, judge_build_io(&output_of(&build), ws.path())) {
            (false, BuildIo::Harness(what)) => {
                return Err(HarnessError::StageEnvironment {
                    stage: "build".into(),
                    what,
                })
            }
            (false, BuildIo::Refused(writes)) if build_class.verdict == Verdict::Rejected => {
                Classification::new(
                    Verdict::Rejected,
                    "build-error:sandbox-refused-write",
                    format!(
                        "a write outside the workspace was refused: {}",
                        writes.join("; ")
                    ),
                )
            }
            _ => build_class,
        };
        // The soundness config only when Lean found no `sorry` in the
        // checked theorem's proof: comparator checks axioms before any
        // kernel, so a `sorry` proof is rejected there, at a full
        // comparator run's cost, and tells nothing.
        let solution_name = module_file(solution_module)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sorry_in = if built {
            cfg.template.config.theorem_names.iter().find(|name| {
                decl_lines(source, name).is_some_and(|(first, end)| {
                    warned_sorry(&output_of(&build), &solution_name, first, end)
                })
            })
        } else {
            None
        };
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
        let run_soundness = run_judge && sorry_in.is_none();
        let run_replay = run_judge && built && cfg.template.replay.is_some();
        if let (true, Some(name)) = (run_judge, sorry_in) {
            skipped.push(format!(
                "comparator ({CONFIG_FILE}): Lean reported `sorry` in `{name}`'s proof"
            ));
        }
        if run_judge && built && cfg.template.replay.is_none() {
            skipped.push(format!("replay: the template has no {REPLAY_CONFIG_FILE}"));
        }
        let mut judged: Option<Classification> = None;
        if run_soundness || run_replay {
            let comparator = cfg
                .comparator
                .as_ref()
                .ok_or_else(|| HarnessError::ToolMissing {
                    tool: "comparator".into(),
                    hint: super::toolchain::COMPARATOR_HINT.into(),
                })?;
            let judge_spec = |config: &str| {
                self.stage_spec(&ws, &cfg.lake)
                    .arg("env")
                    .arg(comparator)
                    .arg(config)
            };
            if run_soundness {
                let spec = judge_spec(CONFIG_FILE);
                let judge = process::run(&spec)?;
                judged = Some(classify_comparator(&output_of(&judge), solution_module));
                stages.push(report("comparator", &spec, judge));
            }
            if run_replay {
                let spec = judge_spec(REPLAY_CONFIG_FILE);
                let judge = process::run(&spec)?;
                let replay = classify_replay(&output_of(&judge), solution_module);
                stages.push(report("replay", &spec, judge));
                // The soundness config's answer on a tie: it is the
                // challenge's.
                judged = Some(match judged {
                    Some(soundness) => most_severe(soundness, replay),
                    None => replay,
                });
            }
        }
        let classification = match judged {
            Some(judge_class) if built => judge_class,
            Some(judge_class) => most_severe(build_class, judge_class),
            None if built && run_judge => Classification::new(
                Verdict::Rejected,
                "build-ok:judge-skipped",
                "build succeeded; no comparator config applied",
            ),
            None if built => Classification::new(
                Verdict::Rejected,
                "build-ok:judge-skipped",
                "build succeeded; the comparator did not run",
            ),
            None => build_class,
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

/// The 1-based first line of the top-level `theorem NAME` in `source`
/// and the line after its end: the next line that starts in column 0 (the
/// generator indents every body line; Lean's layout ends a command there).
pub fn decl_lines(source: &str, name: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let first = lines.iter().position(|l| {
        l.strip_prefix("theorem ")
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', ':', '\t']))
    })?;
    let end = lines[first + 1..]
        .iter()
        .position(|l| l.starts_with(|c: char| !c.is_whitespace()))
        .map(|i| first + 1 + i)
        .unwrap_or(lines.len());
    Some((first + 1, end + 1))
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

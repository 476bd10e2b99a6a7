//! One test end to end: workspace, `lake build <Solution>`, the comparator,
//! one verdict (README, "One test").

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::classify::lean4checker::{self, judge_lean4checker};
use super::classify::safeverify::{self, judge_safeverify};
use super::classify::{
    classify_build, classify_comparator, classify_replay, judge_build_io, warned_sorry, BuildIo,
    StageOutput,
};
use super::error::HarnessError;
use super::isolation::IsolationMode;
use super::judges::{self, Judge, JudgeOutcome, Judges};
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
    /// The judges every build is checked by (`--judge`), with their tools.
    pub judges: Judges,
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

        let mut outcomes = vec![judges::build_outcome(&build_class, built)];
        let not_judged = match cfg.comparator_mode {
            ComparatorMode::Never => Some("--comparator-mode never"),
            ComparatorMode::OnSuccess if !built => {
                Some("the build failed (--comparator-mode on-success)")
            }
            _ => None,
        };
        let run_judge = not_judged.is_none();
        if let Some(why) = not_judged {
            for judge in &cfg.judges.list {
                skipped.push(format!("{judge}: {why}"));
            }
        }
        let comparator_on = cfg.judges.has(Judge::Comparator);
        let run_soundness = comparator_on && run_judge && sorry_in.is_none();
        let run_replay = comparator_on && run_judge && built && cfg.template.replay.is_some();
        if let (true, true, Some(name)) = (comparator_on, run_judge, sorry_in) {
            skipped.push(format!(
                "comparator ({CONFIG_FILE}): Lean reported `sorry` in `{name}`'s proof"
            ));
        }
        if comparator_on && run_judge && built && cfg.template.replay.is_none() {
            skipped.push(format!("replay: the template has no {REPLAY_CONFIG_FILE}"));
        }
        let mut judged: Option<Classification> = None;
        let mut merge = |c: Classification| {
            // The earlier stage's answer on a tie: the challenge's config
            // comes first.
            judged = Some(match judged.take() {
                Some(before) => most_severe(before, c),
                None => c,
            });
        };
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
                let class = classify_comparator(&output_of(&judge), solution_module);
                outcomes.push(judges::comparator_outcome("comparator", &class));
                merge(class);
                stages.push(report("comparator", &spec, judge));
            }
            if run_replay {
                let spec = judge_spec(REPLAY_CONFIG_FILE);
                let judge = process::run(&spec)?;
                let class = classify_replay(&output_of(&judge), solution_module);
                outcomes.push(judges::comparator_outcome("replay", &class));
                merge(class);
                stages.push(report("replay", &spec, judge));
            }
        }
        if comparator_on {
            if !run_soundness {
                let why = if run_judge { "sorry" } else { "no-judging" };
                outcomes.push(JudgeOutcome::skipped("comparator", "comparator", why));
            }
            if !run_replay && cfg.template.replay.is_some() {
                let why = if run_judge {
                    "build-failed"
                } else {
                    "no-judging"
                };
                outcomes.push(JudgeOutcome::skipped("replay", "comparator", why));
            }
        }
        // SafeVerify and lean4checker read the .olean files the build
        // wrote: after a successful build only.
        let olean_judges = [Judge::SafeVerify, Judge::Lean4checker]
            .into_iter()
            .filter(|j| cfg.judges.has(*j));
        for judge in olean_judges {
            if !(run_judge && built) {
                if run_judge {
                    skipped.push(format!("{judge}: the build failed (no .olean to check)"));
                }
                let why = if run_judge {
                    "build-failed"
                } else {
                    "no-judging"
                };
                outcomes.push(JudgeOutcome::skipped(judge.name(), judge.name(), why));
                continue;
            }
            let stage = match judge {
                Judge::SafeVerify => self.run_safeverify(&ws, &mut stages, &mut skipped)?,
                Judge::Lean4checker => Some(self.run_lean4checker(&ws, &mut stages)?),
                Judge::Comparator => None,
            };
            match stage {
                Some((class, outcome)) => {
                    outcomes.push(outcome);
                    merge(class);
                }
                None => outcomes.push(JudgeOutcome::skipped(
                    judge.name(),
                    judge.name(),
                    "challenge-unbuilt",
                )),
            }
        }
        outcomes.sort_by_key(|o| judges::stage_rank(&o.stage));
        // Across judges: one accepting the challenge is soundness; two
        // answering the replay question both ways disagree. On a tie the
        // judgement across judges wins (it names them all).
        let mut judge_split = None;
        if let Some((across, split)) = judges::across_judges(&outcomes, source) {
            judged = Some(match judged {
                // comparator alone accepting keeps its own evidence line.
                Some(own) if own.signature == across.signature => own,
                Some(own) => most_severe(across, own),
                None => across,
            });
            judge_split = Some(split);
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
        let judge_split = judge_split.filter(|_| {
            matches!(
                classification.verdict,
                Verdict::Soundness | Verdict::JudgeDisagreement
            )
        });
        drop(ws);
        Ok(Report {
            signature_hash: classification.signature_hash(),
            classification,
            stages,
            skipped,
            judges: outcomes,
            judge_split,
            workspace_setup,
            total: start.elapsed(),
        })
    }

    /// SafeVerify on the build: `lake env safe_verify <Challenge>.olean
    /// <Solution>.olean` in the workspace (its README, "Building an
    /// executable", and `Main.lean`'s `mainCmd`: the target first, then the
    /// submission; checked at /work/refs/GasStationManager+SafeVerify).
    /// `lake env` gives it the project's `LEAN_PATH`, as comparator gets
    /// it. The challenge's `.olean` normally comes with the template's
    /// `.lake` (`main doctor --build`); when the template has none, `lake build
    /// <Challenge>` runs first (stage `challenge`), and when that fails
    /// SafeVerify is skipped (`None`).
    fn run_safeverify(
        &self,
        ws: &Workspace,
        stages: &mut Vec<StageReport>,
        skipped: &mut Vec<String>,
    ) -> Result<Option<(Classification, JudgeOutcome)>, HarnessError> {
        let cfg = &self.config;
        let tool = cfg
            .judges
            .safeverify
            .as_ref()
            .ok_or_else(|| HarnessError::ToolMissing {
                tool: "safe_verify".into(),
                hint: super::toolchain::SAFEVERIFY_HINT.into(),
            })?;
        let challenge = cfg.template.config.challenge_module.as_str();
        let solution = cfg.template.config.solution_module.as_str();
        // The workspace's `.lake` is the template's (an overlay or a copy;
        // an overlay is only visible inside the stages), and building the
        // solution does not build the challenge.
        let challenge_built = cfg.template.root.join(olean_path(challenge)).is_file();
        if !challenge_built {
            let spec = self.stage_spec(ws, &cfg.lake).arg("build").arg(challenge);
            let out = process::run(&spec)?;
            let ok = out.termination.success();
            stages.push(report("challenge", &spec, out));
            if !ok {
                skipped.push(format!("safeverify: `lake build {challenge}` failed"));
                return Ok(None);
            }
        }
        let spec = self
            .stage_spec(ws, &cfg.lake)
            .arg("env")
            .arg(tool)
            .arg(olean_path(challenge))
            .arg(olean_path(solution));
        let out = process::run(&spec)?;
        let judged = judge_safeverify(&output_of(&out));
        stages.push(report(safeverify::NAME, &spec, out));
        Ok(Some(judged))
    }

    /// lean4checker on the build: `lake env lean4checker [--fresh]
    /// <Solution>` in the workspace, so that its search path (`LEAN_PATH`)
    /// finds the module's `.olean` (its README and `Main.lean`, checked at
    /// /work/refs/leanprover+lean4checker).
    fn run_lean4checker(
        &self,
        ws: &Workspace,
        stages: &mut Vec<StageReport>,
    ) -> Result<(Classification, JudgeOutcome), HarnessError> {
        let cfg = &self.config;
        let tool = cfg
            .judges
            .lean4checker
            .as_ref()
            .ok_or_else(|| HarnessError::ToolMissing {
                tool: "lean4checker".into(),
                hint: super::toolchain::LEAN4CHECKER_HINT.into(),
            })?;
        let mut spec = self.stage_spec(ws, &cfg.lake).arg("env").arg(tool);
        if cfg.judges.lean4checker_fresh {
            spec = spec.arg("--fresh");
        }
        let spec = spec.arg(&cfg.template.config.solution_module);
        let out = process::run(&spec)?;
        let judged = judge_lean4checker(&output_of(&out));
        stages.push(report(lean4checker::NAME, &spec, out));
        Ok(judged)
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

/// Where `lake build` writes a module's `.olean`, relative to the
/// project: `.lake/build/lib/lean/Foo/Bar.olean` (LEAN_TARGET.md).
fn olean_path(module: &str) -> PathBuf {
    Path::new(".lake/build/lib/lean").join(module_file(module).with_extension("olean"))
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

//! `main doctor`: is everything in place to fuzz? Prints each tool's path
//! and version, the template's state and the isolation mode, and with
//! `--build` builds the template's challenge once.

use clap::Args;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use super::args::{
    describe_isolation, describe_sandbox, parse_seconds, sandbox_unavailable, PipelineArgs,
};
use crate::harness::isolation;
use crate::harness::judges::Judge;
use crate::harness::process::{self, Limits, ProcessSpec, Termination};
use crate::harness::sandbox;
use crate::harness::template::Template;
use crate::harness::toolchain::{self, Tool, HELPERS};
use crate::harness::{interrupt, ComparatorMode};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Build the template's challenge (`lake build <challenge>`) when it is stale or unbuilt
    #[arg(long)]
    pub build: bool,
    /// Time limit for that build, in seconds
    #[arg(long, value_name = "SECS", default_value = "3600", value_parser = parse_seconds)]
    pub build_timeout: Duration,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// Collects problems while every check still prints.
#[derive(Default)]
struct Report {
    problems: Vec<String>,
}

impl Report {
    fn ok(&self, what: &str, detail: impl AsRef<str>) {
        println!("  ok       {what:<12} {}", detail.as_ref());
    }
    fn note(&self, what: &str, detail: impl AsRef<str>) {
        println!("  note     {what:<12} {}", detail.as_ref());
    }
    fn problem(&mut self, what: &str, detail: impl Into<String>) {
        let detail = detail.into();
        println!("  PROBLEM  {what:<12} {detail}");
        self.problems.push(format!("{what}: {detail}"));
    }
}

/// Freshness of the template's build, from `lake build --no-build`.
enum Freshness {
    Fresh,
    Stale,
    Unbuilt,
    Unknown(String),
}

pub fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    interrupt::install_handler();
    let mut r = Report::default();
    println!("toolchain:");
    let template_dir = args.pipeline.template_dir();
    let version_cwd = if template_dir.is_dir() {
        template_dir.clone()
    } else {
        std::env::current_dir()?
    };
    let lake = match toolchain::find_lake() {
        Ok(t) => {
            r.ok("lake", tool_line(&t, &version_cwd));
            Some(t)
        }
        Err(e) => {
            r.problem("lake", e.to_string());
            None
        }
    };
    // Lake finds its own `lean`; comparator needs one on PATH.
    let judging = args.pipeline.comparator_mode() != ComparatorMode::Never;
    let judge_needed = judging && args.pipeline.judge_list().contains(&Judge::Comparator);
    match toolchain::find_lean() {
        Ok(t) => r.ok("lean", tool_line(&t, &version_cwd)),
        Err(e) if judge_needed => r.problem("lean", e.to_string()),
        Err(e) => r.note("lean", format!("{e} (only comparator needs it)")),
    }
    let comparator = toolchain::find_comparator(args.pipeline.comparator.as_deref());
    match &comparator {
        Ok(t) => r.ok(
            "comparator",
            format!("{} (from {})", t.path.display(), t.source),
        ),
        Err(e) if judge_needed => r.problem("comparator", e.to_string()),
        Err(e) => r.note(
            "comparator",
            format!("{e} (not needed: --comparator-mode never, or not a --judge)"),
        ),
    }
    let mut helpers_found = Vec::new();
    for helper in HELPERS {
        match toolchain::find_helper(helper) {
            Ok(Some(t)) => {
                r.ok(
                    helper.name,
                    format!("{} (from {})", t.path.display(), t.source),
                );
                helpers_found.push((helper.name, t));
            }
            Ok(None) if helper.required && judge_needed => r.problem(
                helper.name,
                format!(
                    "not found on PATH and {} is not set; {}",
                    helper.env, helper.hint
                ),
            ),
            Ok(None) => r.note(helper.name, format!("not found; {}", helper.hint)),
            Err(e) => r.problem(helper.name, e.to_string()),
        }
    }

    println!("template:");
    let template = match Template::open(&template_dir) {
        Ok(t) => t,
        Err(e) => {
            r.problem("template", e.to_string());
            return Ok(finish(&r));
        }
    };
    r.ok("path", template.root.display().to_string());
    let pinned = template.lean_toolchain();
    match &pinned {
        Some(tc) => r.ok("toolchain", tc),
        None => r.note(
            "toolchain",
            "no lean-toolchain file: elan's default Lean is used",
        ),
    }
    // comparator, lean4export and the template must be on one Lean: the
    // judge's export reads the template's .olean files.
    let helper = |name: &str| {
        helpers_found
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.path.clone())
    };
    let built: Vec<(&str, Option<(String, std::path::PathBuf)>)> = vec![
        (
            "comparator",
            comparator
                .as_ref()
                .ok()
                .and_then(|c| toolchain::built_toolchain(&c.path)),
        ),
        (
            "lean4export",
            helper("lean4export").and_then(|p| toolchain::built_toolchain(&p)),
        ),
    ];
    let mut consistent = true;
    if let Some(tc) = &pinned {
        for (name, b) in &built {
            if let Some((btc, file)) = b {
                if btc != tc {
                    consistent = false;
                    r.problem(
                        "versions",
                        format!(
                            "{name} was built for {btc} ({}) but the template pins {tc}: they must match (README, Install)",
                            file.display()
                        ),
                    );
                }
            }
        }
    }
    if let [(_, Some((a, _))), (_, Some((b, _)))] = built.as_slice() {
        if a != b {
            consistent = false;
            r.problem(
                "versions",
                format!("comparator was built for {a} but lean4export for {b}"),
            );
        }
    }
    if consistent {
        let known: Vec<String> = built
            .iter()
            .filter_map(|(name, b)| b.as_ref().map(|(tc, _)| format!("{name} {tc}")))
            .collect();
        if !known.is_empty() {
            r.ok("versions", format!("template's Lean; {}", known.join(", ")));
        }
    }
    let cfg = &template.config;
    let configs =
        std::iter::once(("config", cfg)).chain(template.replay.iter().map(|c| ("replay", c)));
    for (what, c) in configs {
        r.ok(
            what,
            format!(
                "challenge {}, solution {}, theorems [{}], axioms [{}]{}",
                c.challenge_module,
                c.solution_module,
                c.theorem_names.join(", "),
                c.permitted_axioms.join(", "),
                if c.enable_nanoda { ", nanoda" } else { "" }
            ),
        );
    }
    // Every checked theorem must be in the challenge, or comparator stops
    // at "Const not found in challenge" on every test.
    let challenge_file = template
        .root
        .join(crate::harness::template::module_file(&cfg.challenge_module));
    let challenge_text = std::fs::read_to_string(&challenge_file).unwrap_or_default();
    for c in std::iter::once(cfg).chain(template.replay.iter()) {
        for name in &c.theorem_names {
            let declared = challenge_text.lines().any(|l| {
                l.strip_prefix("theorem ")
                    .and_then(|r| r.strip_prefix(name.as_str()))
                    .is_some_and(|r| r.starts_with([' ', ':']))
            });
            if !declared {
                r.problem(
                    "challenge",
                    format!(
                        "{} declares no `theorem {name}`, which a config checks",
                        challenge_file.display()
                    ),
                );
            }
        }
    }
    if template.replay.is_none() {
        r.note(
            "replay",
            "no replay.json: comparator's kernels see only what soundness_check depends on",
        );
    }
    let nanoda_needed = judge_needed
        && (cfg.enable_nanoda || template.replay.as_ref().is_some_and(|c| c.enable_nanoda));
    if nanoda_needed && helper("nanoda_bin").is_none() {
        r.problem(
            "nanoda_bin",
            "a config sets enable_nanoda but nanoda_bin is not on PATH and COMPARATOR_NANODA is not set; build https://github.com/ammkrn/nanoda_lib",
        );
    }
    check_judges(&mut r, &args.pipeline, pinned.as_deref(), judging);
    if let Some(lake) = &lake {
        let mut fresh = freshness(&lake.path, &template);
        if args.build && !matches!(fresh, Freshness::Fresh) {
            println!(
                "  building {} in {} ...",
                cfg.challenge_module,
                template.root.display()
            );
            match build_challenge(&lake.path, &template, args.build_timeout) {
                Ok(()) => fresh = freshness(&lake.path, &template),
                Err(e) => r.problem("build", e),
            }
        }
        match fresh {
            Freshness::Fresh => r.ok(
                ".lake",
                "fresh: the challenge is built and reused by every test",
            ),
            Freshness::Stale => r.problem(".lake", "stale: run `main doctor --build`"),
            Freshness::Unbuilt => r.problem(".lake", "not built yet: run `main doctor --build`"),
            Freshness::Unknown(why) => r.problem(".lake", why),
        }
    }

    println!("workspace:");
    match args.pipeline.work_root() {
        Ok(work) => {
            r.ok(
                "work dir",
                format!("{} ({})", work.display(), fs_type(&work)),
            );
            match isolation::resolve(
                args.pipeline.isolation_request(),
                &template.lake_dir(),
                &work,
            ) {
                Ok((mode, why)) => {
                    r.ok("isolation", describe_isolation(mode));
                    if let Some(why) = why {
                        r.note("isolation", format!("overlay refused: {why}"));
                    }
                }
                Err(e) => r.problem("isolation", e.to_string()),
            }
            match sandbox::resolve(args.pipeline.sandbox_request(), &work) {
                Ok((mode, why)) => {
                    r.ok("sandbox", describe_sandbox(mode));
                    if let Some(why) = why {
                        r.note("sandbox", sandbox_unavailable(&why));
                    }
                }
                Err(e) => r.problem("sandbox", e.to_string()),
            }
            if sandbox::containment().is_some() {
                r.ok(
                    "processes",
                    "each stage in its own PID namespace: its tree dies with the fuzzer",
                );
            } else {
                r.note(
                    "processes",
                    "PID namespaces refused: a killed fuzzer may leave stage processes",
                );
            }
        }
        Err(e) => r.problem("work dir", format!("{e:#}")),
    }
    let solutions = args.pipeline.solutions_dir(&template);
    if solutions.is_dir() {
        match tempfile::tempfile_in(&solutions) {
            Ok(_) => r.ok("solutions", solutions.display().to_string()),
            Err(e) => r.problem(
                "solutions",
                format!("{} is not writable: {e}", solutions.display()),
            ),
        }
    } else {
        r.note(
            "solutions",
            format!("{} (created at the first finding)", solutions.display()),
        );
    }
    Ok(finish(&r))
}

/// The judges beside comparator (`--judge`): each tool's path, where it
/// was found and the Lean it runs on, which must be the template's (both
/// read the `.olean` files the template's Lean writes). A configured judge
/// that is missing is a problem; an unconfigured one is a note.
fn check_judges(r: &mut Report, args: &PipelineArgs, pinned: Option<&str>, judging: bool) {
    let list = args.judge_list();
    println!("judges:    {}", {
        let names: Vec<&str> = list.iter().map(|j| j.name()).collect();
        names.join(", ")
    });
    let tools = [
        (
            Judge::SafeVerify,
            toolchain::find_safeverify(args.safeverify.as_deref()),
        ),
        (
            Judge::Lean4checker,
            toolchain::find_lean4checker(args.lean4checker.as_deref()),
        ),
    ];
    for (judge, found) in tools {
        let needed = judging && list.contains(&judge);
        match found {
            Ok(t) => {
                let built = toolchain::judge_toolchain(&t.path).or_else(|| {
                    (judge == Judge::SafeVerify)
                        .then(|| safeverify_lean(&t.path))
                        .flatten()
                });
                let line = format!(
                    "{} (from {}; {})",
                    t.path.display(),
                    t.source,
                    built
                        .as_deref()
                        .map(|tc| format!("Lean {tc}"))
                        .unwrap_or_else(|| "Lean version unknown: not a Lake or elan build".into())
                );
                match (built, pinned) {
                    (Some(tc), Some(p)) if tc != p && needed => r.problem(
                        judge.name(),
                        format!("{line}: built for {tc} but the template pins {p}; they must match to read its .olean files"),
                    ),
                    _ if needed => r.ok(judge.name(), line),
                    _ => r.note(judge.name(), format!("{line} (not a --judge)")),
                }
            }
            Err(e) if needed => r.problem(judge.name(), e.to_string()),
            Err(e) => r.note(judge.name(), format!("{e} (not a --judge)")),
        }
    }
}

/// The Lean SafeVerify runs on, from the line it prints first on every
/// run (`Currently running on Lean v<version>`, its `Main.lean`, `runMain`,
/// checked at /work/refs/GasStationManager+SafeVerify/Main.lean), asked
/// with two missing files so that it stops right after; as a toolchain
/// name (`leanprover/lean4:v<version>`).
fn safeverify_lean(path: &Path) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let missing = dir.path().join("missing.olean");
    let spec = ProcessSpec::new(path, dir.path(), quick_limits())
        .arg(&missing)
        .arg(&missing);
    let out = process::run(&spec).ok()?;
    out.stdout
        .text
        .lines()
        .chain(out.stderr.text.lines())
        .find_map(|l| l.trim().strip_prefix("Currently running on Lean v"))
        .map(|v| format!("leanprover/lean4:v{}", v.trim()))
}

fn finish(r: &Report) -> ExitCode {
    if r.problems.is_empty() {
        println!("doctor: all checks passed");
        ExitCode::SUCCESS
    } else {
        println!("doctor: {} problem(s)", r.problems.len());
        ExitCode::FAILURE
    }
}

/// Path, source and the first line of `--version`, run in the template so
/// that elan picks the template's toolchain.
fn tool_line(t: &Tool, cwd: &Path) -> String {
    let spec = ProcessSpec::new(&t.path, cwd, quick_limits()).arg("--version");
    let version = match process::run(&spec) {
        Ok(o) if o.termination.success() => o
            .stdout
            .text
            .lines()
            .next()
            .unwrap_or("(no version printed)")
            .trim()
            .to_string(),
        Ok(o) => format!("(--version: {})", o.termination),
        Err(e) => format!("(--version: {e})"),
    };
    format!("{}  {}", t.path.display(), version)
}

fn quick_limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(60),
        ..Limits::default()
    }
}

fn freshness(lake: &Path, template: &Template) -> Freshness {
    if !template.lake_dir().is_dir() {
        return Freshness::Unbuilt;
    }
    let spec = ProcessSpec::new(lake, &template.root, quick_limits())
        .arg("build")
        .arg("--no-build")
        .arg(&template.config.challenge_module);
    match process::run(&spec) {
        Ok(o) => match o.termination {
            Termination::Exited { code: 0 } => Freshness::Fresh,
            Termination::Exited { code: 3 } => Freshness::Stale,
            t => Freshness::Unknown(format!(
                "`lake build --no-build {}` ended with {t}: {}",
                template.config.challenge_module,
                last_line(&o.stdout.text, &o.stderr.text)
            )),
        },
        Err(e) => Freshness::Unknown(e.to_string()),
    }
}

fn build_challenge(lake: &Path, template: &Template, timeout: Duration) -> Result<(), String> {
    let limits = Limits {
        timeout,
        ..Limits::default()
    };
    let spec = ProcessSpec::new(lake, &template.root, limits)
        .arg("build")
        .arg(&template.config.challenge_module);
    let o = process::run(&spec).map_err(|e| e.to_string())?;
    if o.termination.success() {
        Ok(())
    } else {
        Err(format!(
            "`lake build {}` ended with {}: {}",
            template.config.challenge_module,
            o.termination,
            last_line(&o.stdout.text, &o.stderr.text)
        ))
    }
}

fn last_line(stdout: &str, stderr: &str) -> String {
    stderr
        .lines()
        .chain(stdout.lines())
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("(no output)")
        .trim()
        .to_string()
}

/// The filesystem type of `path` (`tmpfs`, `ext4`, ...), from /proc/mounts.
fn fs_type(path: &Path) -> String {
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return "filesystem unknown".into();
    };
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let _dev = f.next()?;
            let point = f.next()?;
            let kind = f.next()?;
            path.starts_with(point)
                .then(|| (point.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
        .unwrap_or_else(|| "filesystem unknown".into())
}

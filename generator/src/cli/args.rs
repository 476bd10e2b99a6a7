//! Flags shared by every command that runs the pipeline, and turning them
//! into a validated [`PipelineConfig`].

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::harness::isolation::{self, IsolationMode, IsolationRequest};
use crate::harness::judges::{Judge, Judges};
use crate::harness::process::Limits;
use crate::harness::sandbox::{self, SandboxMode, SandboxRequest};
use crate::harness::template::Template;
use crate::harness::toolchain;
use crate::harness::workdir;
use crate::harness::{ComparatorMode, PipelineConfig};
use crate::triage::FindingRecord;

/// The repository's `template/`, the default when `--template` is not given.
pub fn default_template() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("template")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ComparatorModeArg {
    /// Run the comparator only after a successful build.
    OnSuccess,
    /// Run it after every build.
    Always,
    /// Never run it (build-only testing).
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationArg {
    /// overlay where the kernel allows it, else copy.
    Auto,
    /// Copy-on-write overlayfs over the template's .lake (constant cost).
    Overlay,
    /// A full copy of .lake per test (cost grows with .lake).
    Copy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxArg {
    /// The build sandbox where the kernel allows namespaces, else a warning.
    Auto,
    /// The build sandbox, or stop with an error.
    On,
    /// Builds run with your rights (their trees still die with the fuzzer).
    Off,
}

/// Flags of every command that runs the pipeline.
#[derive(Debug, Clone, Args)]
pub struct PipelineArgs {
    /// The pristine Lake project each test is copied from [default: the repository's template/]
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
    /// Where findings are kept [default: solutions/ beside the template]
    #[arg(long, value_name = "DIR")]
    pub solutions: Option<PathBuf>,
    /// Wall-clock limit of each stage, in seconds; the stage's whole process group is killed past it
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// Resident memory limit of each stage's process group: bytes or a size like 512M, 8G; `none` for no limit
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = parse_size)]
    pub mem_limit: MemLimit,
    /// Where workspaces are made [default: the system temp dir; a tmpfs is fastest]
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// The comparator binary [default: $COMPARATOR_PATH, then PATH]
    #[arg(long, value_name = "PATH")]
    pub comparator: Option<PathBuf>,
    /// When the comparator runs
    #[arg(long, value_enum, default_value = "on-success")]
    pub comparator_mode: ComparatorModeArg,
    /// How a workspace gets the template's .lake without being able to change it
    #[arg(long, value_enum, default_value = "auto")]
    pub isolation: IsolationArg,
    /// A judge every build is checked by: comparator, safeverify or lean4checker; repeat for several; `--judge` alone is comparator [default: comparator]
    #[arg(long = "judge", value_name = "NAME", value_parser = parse_judge, num_args = 0..=1, default_missing_value = "comparator")]
    pub judges: Vec<Judge>,
    /// The SafeVerify binary, safe_verify [default: $SAFEVERIFY_PATH, then PATH]
    #[arg(long, value_name = "PATH")]
    pub safeverify: Option<PathBuf>,
    /// The lean4checker binary [default: $LEAN4CHECKER_PATH, then lean4checker or leanchecker on PATH]
    #[arg(long, value_name = "PATH")]
    pub lean4checker: Option<PathBuf>,
    /// Run lean4checker with --fresh: replay the Solution's imports too (slower)
    #[arg(long)]
    pub lean4checker_fresh: bool,
    /// Whether `lake build` runs sandboxed: read-only file system but its workspace, private /tmp, no network (README, Sandbox)
    #[arg(long, value_enum, default_value = "auto")]
    pub sandbox: SandboxArg,
}

/// A judge's name, for `--judge`.
pub fn parse_judge(s: &str) -> Result<Judge, String> {
    Judge::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Judge::ALL.iter().map(|j| j.name()).collect();
        format!("unknown judge {s:?} (known: {})", names.join(", "))
    })
}

/// Seconds as a positive decimal number.
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(secs > 0.0 && secs.is_finite()) {
        return Err(format!("{s:?} must be a positive number of seconds"));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{s:?}: {e}"))
}

/// A memory limit in bytes, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemLimit(pub Option<u64>);

/// `none`, bytes, or a number with K/M/G/T (binary units).
pub fn parse_size(s: &str) -> Result<MemLimit, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(MemLimit(None));
    }
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size (like 512M, 8G or none)"))?;
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("{s:?} has an unknown unit (use K, M, G or T)")),
    };
    let bytes = n
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{s:?} is too large"))?;
    if bytes == 0 {
        return Err(format!("{s:?}: the limit must be positive (or `none`)"));
    }
    Ok(MemLimit(Some(bytes)))
}

impl PipelineArgs {
    /// The template: `--template` or the repository's.
    pub fn template_dir(&self) -> PathBuf {
        self.template.clone().unwrap_or_else(default_template)
    }

    /// The configured judges (`--judge`, comparator when none), in their
    /// fixed order.
    pub fn judge_list(&self) -> Vec<Judge> {
        Judges::ordered(&self.judges)
    }

    /// `--solutions` or `solutions/` beside the template.
    pub fn solutions_dir(&self, template: &Template) -> PathBuf {
        self.solutions.clone().unwrap_or_else(|| {
            template
                .root
                .parent()
                .map(|p| p.join("solutions"))
                .unwrap_or_else(|| PathBuf::from("solutions"))
        })
    }

    /// `--solutions` or `solutions/` beside the template directory, without
    /// opening the template (for targets that do not use it).
    pub fn solutions_dir_default(&self) -> PathBuf {
        self.solutions.clone().unwrap_or_else(|| {
            let template = self.template_dir();
            let template = template.canonicalize().unwrap_or(template);
            template
                .parent()
                .map(|p| p.join("solutions"))
                .unwrap_or_else(|| PathBuf::from("solutions"))
        })
    }

    /// These flags, with the judges a stored finding was found with when
    /// no `--judge` is given (a judge's verdict, a judge disagreement above
    /// all, only reproduces with the same judges).
    pub fn with_recorded_judges(&self, record: Option<&FindingRecord>) -> PipelineArgs {
        let mut args = self.clone();
        if args.judges.is_empty() {
            if let Some(r) = record {
                args.judges = r
                    .judges
                    .iter()
                    .filter_map(|o| Judge::parse(&o.judge))
                    .collect();
            }
        }
        args
    }

    /// This process's own locked directory under `--work-dir` (created
    /// when missing) or the temp dir; directories of stopped runs there are
    /// swept first ([`workdir`]).
    pub fn work_root(&self) -> anyhow::Result<PathBuf> {
        let dir = self.work_dir.clone().unwrap_or_else(std::env::temp_dir);
        if dir.exists() && !dir.is_dir() {
            bail!("work dir {} is not a directory", dir.display());
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create work dir {}", dir.display()))?;
        let dir = dir
            .canonicalize()
            .with_context(|| format!("work dir {}", dir.display()))?;
        Ok(workdir::claim(&dir)?)
    }

    pub fn comparator_mode(&self) -> ComparatorMode {
        match self.comparator_mode {
            ComparatorModeArg::OnSuccess => ComparatorMode::OnSuccess,
            ComparatorModeArg::Always => ComparatorMode::Always,
            ComparatorModeArg::Never => ComparatorMode::Never,
        }
    }

    pub fn isolation_request(&self) -> IsolationRequest {
        match self.isolation {
            IsolationArg::Auto => IsolationRequest::Auto,
            IsolationArg::Overlay => IsolationRequest::Overlay,
            IsolationArg::Copy => IsolationRequest::Copy,
        }
    }

    pub fn sandbox_request(&self) -> SandboxRequest {
        match self.sandbox {
            SandboxArg::Auto => SandboxRequest::Auto,
            SandboxArg::On => SandboxRequest::On,
            SandboxArg::Off => SandboxRequest::Off,
        }
    }

    pub fn limits(&self) -> Limits {
        Limits {
            timeout: self.timeout,
            mem_limit: self.mem_limit.0,
            ..Limits::default()
        }
    }

    /// Validates everything the pipeline needs: template, tools, work dir,
    /// isolation. Warns on stderr when overlay isolation had to fall back.
    pub fn pipeline_config(&self) -> anyhow::Result<PipelineConfig> {
        self.pipeline_config_for(self.comparator_mode())
    }

    /// [`Self::pipeline_config`] with the comparator mode given by the
    /// command (e.g. build-only telemetry) instead of the flag.
    pub fn pipeline_config_for(&self, mode: ComparatorMode) -> anyhow::Result<PipelineConfig> {
        let template = Template::open(&self.template_dir())?;
        let lake = toolchain::find_lake()?.path;
        let list = self.judge_list();
        let judging = mode != ComparatorMode::Never;
        let comparator = match mode {
            _ if !list.contains(&Judge::Comparator) => None,
            ComparatorMode::Never => None,
            _ => {
                toolchain::check_helper_overrides()?;
                Some(toolchain::find_comparator(self.comparator.as_deref())?.path)
            }
        };
        let judges = Judges {
            safeverify: match judging && list.contains(&Judge::SafeVerify) {
                true => Some(toolchain::find_safeverify(self.safeverify.as_deref())?.path),
                false => None,
            },
            lean4checker: match judging && list.contains(&Judge::Lean4checker) {
                true => Some(toolchain::find_lean4checker(self.lean4checker.as_deref())?.path),
                false => None,
            },
            lean4checker_fresh: self.lean4checker_fresh,
            list,
        };
        let work_root = self.work_root()?;
        let (isolation, fallback) =
            isolation::resolve(self.isolation_request(), &template.lake_dir(), &work_root)?;
        if let Some(why) = fallback {
            eprintln!(
                "warning: overlay isolation unavailable ({why}); copying {} for every test",
                template.lake_dir().display()
            );
        }
        let (sandbox, sandbox_fallback) = sandbox::resolve(self.sandbox_request(), &work_root)?;
        if let Some(why) = sandbox_fallback {
            eprintln!("warning: {}", sandbox_unavailable(&why));
        }
        if !template.lake_dir().is_dir() {
            eprintln!(
                "warning: template {} has no .lake: every test rebuilds the challenge (run `main doctor --build`)",
                template.root.display()
            );
        }
        Ok(PipelineConfig {
            template,
            lake,
            comparator,
            work_root,
            limits: self.limits(),
            comparator_mode: mode,
            isolation,
            judges,
            sandbox,
        })
    }
}

/// The one line saying that builds are not sandboxed, and why.
pub fn sandbox_unavailable(why: &str) -> String {
    let trees = if crate::harness::sandbox::containment().is_some() {
        ""
    } else {
        " and a killed fuzzer may leave their processes"
    };
    format!("build sandbox unavailable ({why}); builds run with your rights{trees}")
}

/// Human name of a sandbox mode with what it guarantees.
pub fn describe_sandbox(mode: SandboxMode) -> &'static str {
    match mode {
        SandboxMode::Build => {
            "on (builds write only their workspace and a private /tmp; no network)"
        }
        SandboxMode::Off => "off (builds run with your rights)",
    }
}

/// Human name of an isolation mode with what it costs.
pub fn describe_isolation(mode: IsolationMode) -> &'static str {
    match mode {
        IsolationMode::Overlay => {
            "overlay (copy-on-write over the template's .lake; constant setup cost)"
        }
        IsolationMode::Copy => {
            "copy (full copy of the template's .lake per test; cost grows with .lake)"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let some = |n| Ok(MemLimit(Some(n)));
        assert_eq!(parse_size("none"), Ok(MemLimit(None)));
        assert_eq!(parse_size("1024"), some(1024));
        assert_eq!(parse_size("512M"), some(512 << 20));
        assert_eq!(parse_size("8G"), some(8 << 30));
        assert_eq!(parse_size("8GiB"), some(8 << 30));
        assert_eq!(parse_size("2k"), some(2048));
        assert!(parse_size("0").is_err());
        assert!(parse_size("8X").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999T").is_err());
    }

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-3").is_err());
        assert!(parse_seconds("inf").is_err());
        assert!(parse_seconds("soon").is_err());
    }
}

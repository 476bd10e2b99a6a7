//! Flags shared by every command that runs the pipeline, and turning them
//! into a validated [`PipelineConfig`].

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::harness::isolation::{self, IsolationMode, IsolationRequest};
use crate::harness::process::Limits;
use crate::harness::template::Template;
use crate::harness::toolchain;
use crate::harness::workdir;
use crate::harness::{ComparatorMode, PipelineConfig};

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
        let comparator = match mode {
            ComparatorMode::Never => None,
            _ => {
                toolchain::check_helper_overrides()?;
                Some(toolchain::find_comparator(self.comparator.as_deref())?.path)
            }
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
        })
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

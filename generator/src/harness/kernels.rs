//! The kernel target's runner: one export file (lean4export NDJSON) through
//! every configured external kernel, each in its own process group under
//! the stage limits, and one verdict for all of them.
//!
//! How each kernel is called follows comparator: a kernel whose name
//! contains `noda` gets a nanoda config file (nat and string extensions on)
//! as its only argument; any other gets the export file's path as its last
//! argument. nanoda answers 0 (accept), 101 (a Rust panic: its way to
//! reject an ill-typed declaration), 2 (declines the file) or 1 (config or
//! parse error); any other kernel accepts with 0 and rejects otherwise. A
//! signal is a crash for every kernel.

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use super::checker::Checker;
use super::process::{self, Limits, ProcessSpec, Termination};
use super::report::{KernelAnswer, Report, StageReport};
use super::verdict::{Classification, Verdict};
use super::HarnessError;

/// One configured kernel: `name=/path/to/binary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelSpec {
    pub name: String,
    pub program: PathBuf,
}

impl KernelSpec {
    /// Parses `name=path`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (name, path) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not NAME=PATH"))?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
        {
            return Err(format!(
                "kernel name {name:?} must be letters, digits, - or _"
            ));
        }
        if path.is_empty() {
            return Err(format!("kernel {name} has no path"));
        }
        Ok(KernelSpec {
            name: name.to_string(),
            program: PathBuf::from(path),
        })
    }

    /// The `NAME=PATH` form [`KernelSpec::parse`] reads.
    pub fn spec_string(&self) -> String {
        format!("{}={}", self.name, self.program.display())
    }

    fn nanoda_style(&self) -> bool {
        self.name.contains("noda")
    }
}

/// The external kernels as one [`Checker`]: each kernel in turn on the
/// same export file, one report with a stage per kernel.
#[derive(Debug, Clone)]
pub struct KernelChecker {
    pub kernels: Vec<KernelSpec>,
    pub limits: Limits,
    pub work_root: PathBuf,
}

impl KernelChecker {
    /// Checks an export file where it is; the kernels' own files go to a
    /// fresh directory under the work root.
    pub fn check_file(&self, export_file: &Path) -> Result<Report, HarnessError> {
        let dir = self.fresh_dir()?;
        self.check_in(export_file, dir.path())
    }

    fn fresh_dir(&self) -> Result<tempfile::TempDir, HarnessError> {
        tempfile::Builder::new()
            .prefix("kernels-")
            .tempdir_in(&self.work_root)
            .map_err(|error| HarnessError::WorkDir {
                path: self.work_root.clone(),
                error,
            })
    }

    fn check_in(&self, export_file: &Path, dir: &Path) -> Result<Report, HarnessError> {
        let start = Instant::now();
        let mut stages = Vec::new();
        for k in &self.kernels {
            stages.push(run_one(k, export_file, &self.limits, dir)?);
        }
        let classification = classify(&stages);
        Ok(Report {
            signature_hash: classification.signature_hash(),
            classification,
            stages,
            skipped: Vec::new(),
            judges: Vec::new(),
            judge_split: None,
            workspace_setup: Duration::ZERO,
            total: start.elapsed(),
        })
    }
}

impl Checker for KernelChecker {
    fn extension(&self) -> &'static str {
        "ndjson"
    }

    /// Writes `text` (an export file) into a fresh directory under the
    /// work root and checks it there.
    fn check(&self, text: &str) -> Result<Report, HarnessError> {
        let dir = self.fresh_dir()?;
        let file = dir.path().join("env.ndjson");
        std::fs::write(&file, text).map_err(|e| HarnessError::workspace(&file, e))?;
        self.check_in(&file, dir.path())
    }

    fn work_root(&self) -> &Path {
        &self.work_root
    }

    fn in_work_root(&self, root: PathBuf) -> Self {
        KernelChecker {
            work_root: root,
            ..self.clone()
        }
    }
}

fn run_one(
    k: &KernelSpec,
    export_file: &Path,
    limits: &Limits,
    work_dir: &Path,
) -> Result<StageReport, HarnessError> {
    let mut spec = ProcessSpec::new(&k.program, work_dir, limits.clone());
    if k.nanoda_style() {
        let config = work_dir.join(format!("{}-config.json", k.name));
        let body = serde_json::json!({
            "export_file_path": export_file,
            "permitted_axioms": ["propext", "Quot.sound", "Classical.choice"],
            "unpermitted_axiom_hard_error": false,
            "nat_extension": true,
            "string_extension": true,
            "print_success_message": true,
        });
        std::fs::write(&config, body.to_string()).map_err(|error| HarnessError::Workspace {
            path: config.clone(),
            error,
        })?;
        spec.args.push(config.into_os_string());
    } else {
        spec.args.push(export_file.as_os_str().to_owned());
    }
    let out = process::run(&spec)?;
    let answer = match &out.termination {
        Termination::Exited { code: 0 } => KernelAnswer::Accept,
        Termination::Exited { code } if k.nanoda_style() && (*code == 1 || *code == 2) => {
            KernelAnswer::Declined
        }
        // 134/139: a shell's report of SIGABRT/SIGSEGV in a wrapper.
        Termination::Exited { code: 134 | 139 } | Termination::Signaled { .. } => {
            KernelAnswer::Crash
        }
        Termination::Exited { .. } => KernelAnswer::Reject,
        Termination::TimedOut | Termination::MemoryLimit { .. } => KernelAnswer::Timeout,
    };
    Ok(StageReport {
        name: k.name.clone(),
        command: spec.command_line(),
        termination: out.termination,
        duration: out.duration,
        omitted_bytes: out.stdout.omitted + out.stderr.omitted,
        stdout: out.stdout.text,
        stderr: out.stderr.text,
        answer: Some(answer),
    })
}

/// The signal a crashed kernel died of.
fn crash_name(t: &Termination) -> String {
    match t {
        Termination::Signaled { name, .. } => name.clone(),
        Termination::Exited { code } if *code > 128 => process::signal_name(code - 128),
        _ => "abort".into(),
    }
}

/// A kernel's reason for its answer, normalized so that the same failure
/// gives the same text on every file: for a Rust kernel (nanoda) the panic
/// location (file and line) and the first line of its message, for any
/// other the last line it printed; numbers become `N`, and it is cut to a
/// signature's length.
pub fn reason(stage: &StageReport) -> String {
    let text = if stage.stderr.trim().is_empty() {
        &stage.stdout
    } else {
        &stage.stderr
    };
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let raw = match text.lines().position(|l| l.contains("panicked at ")) {
        Some(i) => {
            let line = text.lines().nth(i).unwrap_or_default();
            let after = &line[line.find("panicked at ").unwrap_or(0) + "panicked at ".len()..];
            // Before Rust 1.73: `panicked at 'msg', src/x.rs:L:C`.
            if let Some(old) = after.strip_prefix('\'') {
                let (message, place) = old
                    .rsplit_once("', ")
                    .unwrap_or((old.trim_end().trim_end_matches('\''), ""));
                let mut parts = place.splitn(3, ':');
                let file = parts.next().unwrap_or_default();
                let line_no = parts.next().unwrap_or_default();
                return format!("{file}:{line_no} {}", strip_numbers(message))
                    .trim_start_matches(':')
                    .trim()
                    .to_string();
            }
            // `src/x.rs:L:C:` (message on the next line) or `src/x.rs:L:C: msg`.
            let mut parts = after.splitn(4, ':');
            let file = parts.next().unwrap_or_default();
            let line_no = parts.next().unwrap_or_default();
            let _column = parts.next();
            let inline = parts.next().unwrap_or_default().trim();
            let message = if inline.is_empty() {
                text.lines()
                    .skip(i + 1)
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or_default()
            } else {
                inline
            };
            return format!("{file}:{line_no} {}", strip_numbers(message));
        }
        None => lines.next_back().unwrap_or("no output"),
    };
    strip_numbers(raw)
}

/// Digits runs as `N`, whitespace folded, at most 100 characters.
fn strip_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut in_digits = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('N');
            }
            in_digits = true;
            continue;
        }
        in_digits = false;
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().chars().take(100).collect()
}

/// The verdict table of the kernels' answers, most severe first: a crash,
/// a timeout, a disagreement; otherwise the kernels agree, which is no
/// finding by itself (the oracles judge it against what the input claims).
fn classify(stages: &[StageReport]) -> Classification {
    let with = |a: KernelAnswer| -> Vec<&StageReport> {
        stages.iter().filter(|r| r.answer == Some(a)).collect()
    };
    let names = |rs: &[&StageReport]| -> String {
        rs.iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join("+")
    };
    if let Some(first) = with(KernelAnswer::Crash).first() {
        return Classification::new(
            Verdict::Crash,
            format!(
                "crash:kernel-{}:{}",
                first.name,
                crash_name(&first.termination)
            ),
            format!("{} {}", first.name, first.termination),
        );
    }
    if let Some(first) = with(KernelAnswer::Timeout).first() {
        return Classification::new(
            Verdict::Timeout,
            format!("timeout:kernel-{}", first.name),
            format!("{} {}", first.name, first.termination),
        );
    }
    let accept = with(KernelAnswer::Accept);
    let reject = with(KernelAnswer::Reject);
    if !accept.is_empty() && !reject.is_empty() {
        return Classification::new(
            Verdict::Disagreement,
            format!("disagreement:{}-rejects", names(&reject)),
            format!(
                "{} accepts; {}: {}",
                names(&accept),
                reject[0].name,
                reason(reject[0])
            ),
        );
    }
    if !accept.is_empty() {
        return Classification::new(
            Verdict::Rejected,
            ALL_ACCEPT,
            format!("{} accept", names(&accept)),
        );
    }
    if let Some(first) = reject.first() {
        return Classification::new(
            Verdict::Rejected,
            ALL_REJECT,
            format!("{}: {}", first.name, reason(first)),
        );
    }
    Classification::new(
        Verdict::Rejected,
        ALL_DECLINED,
        stages
            .first()
            .map(|s| format!("{}: {}", s.name, reason(s)))
            .unwrap_or_default(),
    )
}

/// The kernels' verdict-table signatures when they agree.
pub const ALL_ACCEPT: &str = "kernels:all-accept";
pub const ALL_REJECT: &str = "kernels:all-reject";
pub const ALL_DECLINED: &str = "kernels:all-declined";

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(stderr: &str) -> StageReport {
        StageReport {
            name: "nanoda".into(),
            command: vec![],
            termination: Termination::Exited { code: 101 },
            duration: Duration::ZERO,
            stdout: String::new(),
            stderr: stderr.into(),
            omitted_bytes: 0,
            answer: Some(KernelAnswer::Reject),
        }
    }

    #[test]
    fn a_nanoda_panic_is_normalized_to_its_place_and_message() {
        let a = stage("\nthread 'main' panicked at src/inductive.rs:1238:9:\nassertion `left != right` failed\n  left: 12\n");
        assert_eq!(
            reason(&a),
            "src/inductive.rs:1238 assertion `left != right` failed"
        );
        let b =
            stage("thread 'main' panicked at src/tc.rs:77:5: declar 341 type mismatch at 0x7f12\n");
        assert_eq!(reason(&b), "src/tc.rs:77 declar N type mismatch at NxNfN");
        assert_eq!(reason(&stage("err 12 in decl 99\n\n")), "err N in decl N");
        let old = stage("thread 'main' panicked at 'bad decl 7', src/a.rs:3:9\n");
        assert_eq!(reason(&old), "src/a.rs:3 bad decl N");
        let bare = stage("thread 'main' panicked at 'declaration rejected'\n");
        assert_eq!(reason(&bare), "declaration rejected");
        let modern = stage("thread 'main' (18531) panicked at src/inductive.rs:1238:21:\nassertion `left != right` failed\n  left: R\n");
        assert_eq!(
            reason(&modern),
            "src/inductive.rs:1238 assertion `left != right` failed"
        );
        assert_eq!(reason(&stage("")), "no output");
    }
}

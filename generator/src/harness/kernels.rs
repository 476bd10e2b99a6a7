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

use serde::Serialize;

use super::process::{self, Limits, ProcessSpec, Termination};
use super::verdict::{signature_hash, Verdict};
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

    fn nanoda_style(&self) -> bool {
        self.name.contains("noda")
    }
}

/// What one kernel said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KernelAnswer {
    Accept,
    Reject,
    /// The kernel would not check the file (nanoda's exit 2 and 1).
    Declined,
    Crash,
    Timeout,
}

/// One kernel's run.
#[derive(Debug, Clone, Serialize)]
pub struct KernelRun {
    pub kernel: String,
    pub answer: KernelAnswer,
    /// The signal, when it crashed.
    pub crash: Option<String>,
    pub termination: String,
    pub duration_ms: u128,
    pub stdout_tail: String,
    pub stderr_tail: String,
}

/// Every kernel's run and the verdict on them.
#[derive(Debug, Clone, Serialize)]
pub struct KernelReport {
    pub verdict: Verdict,
    pub signature: String,
    pub signature_hash: String,
    pub runs: Vec<KernelRun>,
}

/// Checks `export_file` with every kernel. `false_theorem` names a theorem
/// of type `False` in an environment without axioms, if the file has one:
/// every kernel accepting it is a soundness finding.
pub fn check(
    export_file: &Path,
    kernels: &[KernelSpec],
    limits: &Limits,
    work_dir: &Path,
    false_theorem: Option<&str>,
) -> Result<KernelReport, HarnessError> {
    let mut runs = Vec::new();
    for k in kernels {
        runs.push(run_one(k, export_file, limits, work_dir)?);
    }
    let (verdict, signature) = classify(&runs, false_theorem);
    Ok(KernelReport {
        verdict,
        signature_hash: signature_hash(&signature),
        signature,
        runs,
    })
}

/// Writes `text` (an export file) into a fresh directory under
/// `work_root` and checks it there like [`check`]; the directory is
/// removed afterwards, also after an interrupt.
pub fn check_text(
    text: &str,
    kernels: &[KernelSpec],
    limits: &Limits,
    work_root: &Path,
    false_theorem: Option<&str>,
) -> Result<KernelReport, HarnessError> {
    let dir = tempfile::Builder::new()
        .prefix("kernels-")
        .tempdir_in(work_root)
        .map_err(|error| HarnessError::WorkDir {
            path: work_root.to_path_buf(),
            error,
        })?;
    let file = dir.path().join("env.ndjson");
    std::fs::write(&file, text).map_err(|e| HarnessError::workspace(&file, e))?;
    check(&file, kernels, limits, dir.path(), false_theorem)
}

fn run_one(
    k: &KernelSpec,
    export_file: &Path,
    limits: &Limits,
    work_dir: &Path,
) -> Result<KernelRun, HarnessError> {
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
    let mut crash = None;
    let answer = match &out.termination {
        Termination::Exited { code: 0 } => KernelAnswer::Accept,
        Termination::Exited { code } if k.nanoda_style() && (*code == 1 || *code == 2) => {
            KernelAnswer::Declined
        }
        // 134/139: a shell's report of SIGABRT/SIGSEGV in a wrapper.
        Termination::Exited {
            code: code @ (134 | 139),
        } => {
            crash = Some(process::signal_name(code - 128));
            KernelAnswer::Crash
        }
        Termination::Exited { .. } => KernelAnswer::Reject,
        Termination::Signaled { name, .. } => {
            crash = Some(name.clone());
            KernelAnswer::Crash
        }
        Termination::TimedOut | Termination::MemoryLimit { .. } => KernelAnswer::Timeout,
    };
    Ok(KernelRun {
        kernel: k.name.clone(),
        answer,
        crash,
        termination: out.termination.to_string(),
        duration_ms: out.duration.as_millis(),
        stdout_tail: tail(&out.stdout.text),
        stderr_tail: tail(&out.stderr.text),
    })
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(10)..].join("\n")
}

/// The verdict on all kernels' answers, most severe first: a crash, a
/// timeout, acceptance of `False`, a disagreement; otherwise the kernels
/// agree (not a finding).
fn classify(runs: &[KernelRun], false_theorem: Option<&str>) -> (Verdict, String) {
    let with = |a: KernelAnswer| -> Vec<&str> {
        runs.iter()
            .filter(|r| r.answer == a)
            .map(|r| r.kernel.as_str())
            .collect()
    };
    let crashed = with(KernelAnswer::Crash);
    if let Some(first) = crashed.first() {
        let run = runs.iter().find(|r| r.kernel == *first).expect("listed");
        let what = run.crash.as_deref().unwrap_or("abort");
        return (Verdict::Crash, format!("crash:kernel-{first}:{what}"));
    }
    let timed_out = with(KernelAnswer::Timeout);
    if let Some(first) = timed_out.first() {
        return (Verdict::Timeout, format!("timeout:kernel-{first}"));
    }
    let accept = with(KernelAnswer::Accept);
    let reject = with(KernelAnswer::Reject);
    if !accept.is_empty() && !reject.is_empty() {
        return (
            Verdict::Disagreement,
            format!("disagreement:{}-rejects", reject.join("+")),
        );
    }
    if !accept.is_empty() && reject.is_empty() {
        if false_theorem.is_some() {
            return (
                Verdict::Soundness,
                "soundness:kernels-accept-false".to_string(),
            );
        }
        return (Verdict::Rejected, "kernels:all-accept".to_string());
    }
    if !reject.is_empty() {
        return (Verdict::Rejected, "kernels:all-reject".to_string());
    }
    (Verdict::Rejected, "kernels:all-declined".to_string())
}

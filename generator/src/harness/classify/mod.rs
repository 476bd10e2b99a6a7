//! Turning what a stage printed and how it ended into one verdict with a
//! normalized signature. All knowledge of Lake, Lean and comparator output
//! lives here (the message shapes are Lake's and Lean's own, and the judge's
//! were checked against comparator's `Main.lean`).
//!
//! Signatures are built to be stable across runs of one bug: no paths, line
//! numbers, generated names or numbers. Shapes:
//! - `crash:<who>:<SIGNAME>`, `crash:lean:panic:<decl>`,
//!   `crash:lean:internal-panic:<what>`, `crash:lean:stack-overflow`
//! - `timeout:<stage>:wall`, `timeout:<stage>:memory`
//! - `soundness:judge-accepted`
//! - `disagreement:<kernel>-rejects`
//! - `build-ok`, `build-error:<kind>`, `judge-reject:<kind>`
//! - for the replay config (`replay_check`): `replay-ok`,
//!   `replay-reject:<kind>`, `timeout:replay:<limit>`

mod io_fault;

pub use io_fault::{io_faults, judge_build_io, BuildIo, IoErrno, IoFault};

use super::process::{signal_name, Termination};
use super::verdict::{Classification, Verdict};

pub mod lean4checker;
pub mod safeverify;

/// What the classifier reads of one stage.
#[derive(Debug, Clone, Copy)]
pub struct StageOutput<'a> {
    pub termination: &'a Termination,
    pub stdout: &'a str,
    pub stderr: &'a str,
}

impl<'a> StageOutput<'a> {
    fn lines(&self) -> impl Iterator<Item = &'a str> {
        self.stdout
            .lines()
            .chain(self.stderr.lines())
            .map(str::trim)
    }
}

/// The signal behind a shell-style exit code `128 + n` (so 134 is SIGABRT,
/// 139 SIGSEGV, 137 SIGKILL).
pub fn signal_of_exit_code(code: i32) -> Option<i32> {
    (129..=128 + 64).contains(&code).then_some(code - 128)
}

/// `build` stage: `lake build <Solution>`.
pub fn classify_build(out: &StageOutput, solution_module: &str) -> Classification {
    if let Some(c) = crash_from_text(out, solution_module) {
        return c;
    }
    if let Some(c) = limit_hit(out.termination, "build") {
        return c;
    }
    match out.termination {
        Termination::Signaled { name, .. } => crash("lake", name, format!("lake killed by {name}")),
        Termination::Exited { code } => {
            if let Some(sig) = signal_of_exit_code(*code) {
                let name = signal_name(sig);
                return crash("lake", &name, format!("lake exited with {code} ({name})"));
            }
            if *code == 0 {
                return Classification::new(Verdict::Rejected, "build-ok", "build succeeded");
            }
            match first_build_error(out) {
                Some(msg) => Classification::new(
                    Verdict::Rejected,
                    format!("build-error:{}", error_kind(&msg)),
                    msg,
                ),
                None => Classification::new(
                    Verdict::Rejected,
                    format!("build-error:exit-{code}"),
                    format!("lake exited with {code} and printed no error line"),
                ),
            }
        }
        Termination::TimedOut | Termination::MemoryLimit { .. } => unreachable!("handled above"),
    }
}

/// `comparator` stage: `lake env comparator config.json`.
pub fn classify_comparator(out: &StageOutput, solution_module: &str) -> Classification {
    if let Some(c) = crash_from_text(out, solution_module) {
        return c;
    }
    if let Some(c) = limit_hit(out.termination, "comparator") {
        return c;
    }
    let kernels = KernelRuns::parse(out);
    let exception = exception_message(out);
    let child_exit = exception.as_deref().and_then(child_exit_code);

    // A child that comparator reported as dead by a signal.
    if let Some(code) = child_exit {
        if let Some(sig) = signal_of_exit_code(code) {
            let who = kernels
                .failed_first()
                .map(|k| format!("kernel-{}", slug(&k)))
                .unwrap_or_else(|| format!("judge-{}", last_progress(out)));
            let name = signal_name(sig);
            return crash(&who, &name, format!("{who} exited with {code} ({name})"));
        }
    }
    // An external kernel that comparator reported as `<k> exited with N`
    // for a signal's code (comparator `Main.lean`, `runExternalKernel`).
    if let Some((k, sig)) = kernels
        .rejected
        .iter()
        .find_map(|(k, c)| c.and_then(signal_of_exit_code).map(|s| (k, s)))
    {
        let who = format!("kernel-{}", slug(k));
        let name = signal_name(sig);
        return crash(
            &who,
            &name,
            format!("{k} exited with {} ({name})", sig + 128),
        );
    }
    match out.termination {
        Termination::Signaled { name, .. } => {
            return crash("comparator", name, format!("comparator killed by {name}"));
        }
        Termination::Exited { code } => {
            if let Some(sig) = signal_of_exit_code(*code) {
                let name = signal_name(sig);
                return crash(
                    "comparator",
                    &name,
                    format!("comparator exited with {code} ({name})"),
                );
            }
            if *code == 0 {
                let evidence = out
                    .lines()
                    .find(|l| l.contains("Your solution is okay!"))
                    .unwrap_or("comparator exited 0")
                    .to_string();
                return Classification::new(
                    Verdict::Soundness,
                    "soundness:judge-accepted",
                    evidence,
                );
            }
        }
        Termination::TimedOut | Termination::MemoryLimit { .. } => unreachable!("handled above"),
    }
    if let Some(c) = kernels.disagreement(child_exit) {
        return c;
    }
    let code = match out.termination {
        Termination::Exited { code } => *code,
        _ => -1,
    };
    match exception {
        Some(msg) => Classification::new(
            Verdict::Rejected,
            format!("judge-reject:{}", judge_reject_kind(&msg, out)),
            msg,
        ),
        None => Classification::new(
            Verdict::Rejected,
            format!("judge-reject:exit-{code}"),
            format!("comparator exited with {code} and printed no exception"),
        ),
    }
}

/// `replay` stage: `lake env comparator replay.json`, whose checked theorem
/// (`replay_check : True`) is meant to be accepted. Its acceptance is the
/// normal case, not a finding (`replay-ok`); its rejections are
/// `replay-reject:<kind>`; crashes, disagreements between kernels and
/// limits read as for the soundness config.
pub fn classify_replay(out: &StageOutput, solution_module: &str) -> Classification {
    let c = classify_comparator(out, solution_module);
    let renamed = |prefix: &str, with: &str| {
        c.signature
            .strip_prefix(prefix)
            .map(|rest| format!("{with}{rest}"))
    };
    match c.verdict {
        Verdict::Soundness => Classification::new(Verdict::Rejected, "replay-ok", c.evidence),
        Verdict::Rejected => match renamed("judge-reject:", "replay-reject:") {
            Some(sig) => Classification::new(Verdict::Rejected, sig, c.evidence),
            None => c,
        },
        Verdict::Timeout => match renamed("timeout:comparator:", "timeout:replay:") {
            Some(sig) => Classification::new(Verdict::Timeout, sig, c.evidence),
            None => c,
        },
        _ => c,
    }
}

/// Whether comparator got past its statement and axiom checks to the
/// kernels: it prints `Running <k> kernel on solution` before each external
/// kernel and the builtin replay (comparator `Main.lean`,
/// `runExternalKernel` and `runBuiltinKernel`, at 19e111e).
pub fn reached_kernels(out: &StageOutput) -> bool {
    out.lines()
        .any(|l| l.starts_with("Running ") && l.trim_end_matches('.').ends_with(" on solution"))
}

/// Whether Lean reported `declaration uses 'sorry'` for the declaration
/// that starts on 1-based line `decl_line` of `file_name` and ends before
/// `decl_end` (exclusive; `usize::MAX` for the rest of the file). Lean
/// logs the warning when it adds a declaration whose value mentions
/// `sorryAx` (lean4 `src/Lean/AddDecl.lean`, `addDecl`), at the
/// declaration's reference: the name after the keyword, on the keyword's
/// line; any line of the declaration is accepted here. Both of Lake's
/// shapes are read: `warning: F.lean:L:C: msg` and `F.lean:L:C: warning: msg`.
pub fn warned_sorry(out: &StageOutput, file_name: &str, decl_line: usize, decl_end: usize) -> bool {
    out.lines().any(|line| {
        let Some(lean) = line.find(".lean:") else {
            return false;
        };
        let head = &line[..lean];
        let start = head.rfind([' ', '/']).map(|i| i + 1).unwrap_or(0);
        if &line[start..lean + ".lean".len()] != file_name {
            return false;
        }
        let rest = &line[lean + ".lean:".len()..];
        let Some((num, rest)) = rest.split_once(':') else {
            return false;
        };
        let Ok(n) = num.parse::<usize>() else {
            return false;
        };
        (decl_line..decl_end).contains(&n)
            && line.contains("warning:")
            && rest.contains("declaration uses 'sorry'")
    })
}

fn crash(who: &str, what: &str, evidence: String) -> Classification {
    Classification::new(Verdict::Crash, format!("crash:{who}:{what}"), evidence)
}

fn limit_hit(t: &Termination, stage: &str) -> Option<Classification> {
    match t {
        Termination::TimedOut => Some(Classification::new(
            Verdict::Timeout,
            format!("timeout:{stage}:wall"),
            format!("{stage} ran past the time limit"),
        )),
        Termination::MemoryLimit { peak_bytes } => Some(Classification::new(
            Verdict::Timeout,
            format!("timeout:{stage}:memory"),
            format!(
                "{stage} passed the memory limit ({} MiB resident)",
                peak_bytes / (1024 * 1024)
            ),
        )),
        _ => None,
    }
}

/// Crash texts of the Lean runtime, in any stage's output: a panic (which
/// aborts under `LEAN_ABORT_ON_PANIC=1`), an internal panic, a stack
/// overflow, or Lake reporting that Lean died of a signal.
fn crash_from_text(out: &StageOutput, solution_module: &str) -> Option<Classification> {
    let mut lean_signal = None;
    for line in out.lines() {
        if let Some(rest) = after(line, "INTERNAL PANIC:") {
            let what = slug_words(rest, 4);
            return Some(crash(
                "lean",
                &format!("internal-panic:{what}"),
                line.into(),
            ));
        }
        if let Some(rest) = after(line, "PANIC at ") {
            let mut parts = rest.split_whitespace();
            let decl = parts.next().unwrap_or("");
            let module = parts.next().unwrap_or("").split(':').next().unwrap_or("");
            let place = if module == solution_module {
                "in-solution".to_string()
            } else {
                decl.chars()
                    .filter(|c| c.is_alphanumeric() || "._!?'".contains(*c))
                    .take(80)
                    .collect()
            };
            return Some(crash("lean", &format!("panic:{place}"), line.into()));
        }
        if line.contains("Stack overflow detected") {
            return Some(crash("lean", "stack-overflow", line.into()));
        }
        if lean_signal.is_none() {
            if let Some(rest) = after(line, "Lean exited with code ") {
                let code = rest.trim_end_matches(|c: char| !c.is_ascii_digit());
                if let Some(sig) = code.parse().ok().and_then(signal_of_exit_code) {
                    lean_signal = Some((signal_name(sig), line.to_string()));
                }
            }
        }
    }
    lean_signal.map(|(name, line)| crash("lean", &name, line))
}

/// The text after the first occurrence of `marker` in `line`.
fn after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|i| line[i + marker.len()..].trim())
}

/// The first error message with a source location, else the first
/// `error:` line that is not Lake's summary.
fn first_build_error(out: &StageOutput) -> Option<String> {
    let mut fallback = None;
    for line in out.lines() {
        if let Some(msg) = located_error(line) {
            return Some(msg.to_string());
        }
        if fallback.is_none() {
            if let Some(rest) = line.strip_prefix("error:") {
                let rest = rest.trim();
                let summary = rest.starts_with("build failed")
                    || rest.starts_with("Lean exited with code")
                    || rest.is_empty();
                if !summary {
                    fallback = Some(rest.to_string());
                }
            }
        }
    }
    fallback
}

/// The message of `error: F.lean:L:C: msg` or `F.lean:L:C: error: msg`.
fn located_error(line: &str) -> Option<&str> {
    locate_error(line).map(|(_, _, msg)| msg)
}

/// File, line number and message of a located error line.
fn locate_error(line: &str) -> Option<(&str, usize, &str)> {
    let lean = line.find(".lean:")?;
    let head = &line[..lean];
    let file_start = head.rfind([' ', '/']).map(|i| i + 1).unwrap_or(0);
    let file = &line[file_start..lean + ".lean".len()];
    let mut rest = &line[lean + ".lean:".len()..];
    let mut numbers = [0usize; 2];
    for n in &mut numbers {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 || !rest[digits..].starts_with(':') {
            return None;
        }
        *n = rest[..digits].parse().ok()?;
        rest = &rest[digits + 1..];
    }
    let rest = rest.trim_start();
    if let Some(msg) = rest.strip_prefix("error:") {
        return Some((file, numbers[0], msg.trim()));
    }
    head.trim_start()
        .starts_with("error:")
        .then_some((file, numbers[0], rest.trim()))
}

/// Every error Lean reported in the file named `file_name` (for example
/// `Solution.lean`): its 1-based line and its message's first line.
pub fn error_locations(out: &StageOutput, file_name: &str) -> Vec<(usize, String)> {
    out.lines()
        .filter_map(locate_error)
        .filter(|(file, _, _)| *file == file_name)
        .map(|(_, line, msg)| (line, msg.to_string()))
        .collect()
}

/// A stable kind for an error message: `(kernel) X` → `kernel-x`,
/// heartbeat timeouts → `heartbeats`, else the first clause's words without
/// quoted names or numbers (`unknown identifier 'x'` → `unknown-identifier`).
/// The located errors of a test's build stage in `file_name`, each with its
/// line and its [`error_kind`] (what validity telemetry charges to the
/// declaration on that line).
pub fn build_errors(report: &crate::harness::Report, file_name: &str) -> Vec<(usize, String)> {
    let Some(build) = report.stages.first() else {
        return Vec::new();
    };
    let out = StageOutput {
        termination: &build.termination,
        stdout: &build.stdout,
        stderr: &build.stderr,
    };
    error_locations(&out, file_name)
        .into_iter()
        .map(|(line, msg)| (line, error_kind(&msg)))
        .collect()
}

pub fn error_kind(msg: &str) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("(kernel)") {
        return format!("kernel-{}", slug_words(rest, 6));
    }
    if msg.starts_with("(deterministic) timeout") || msg.contains("maxHeartbeats") {
        return "heartbeats".into();
    }
    slug_words(msg, 6)
}

/// Lowercase words of the first clause of `text`, quoted parts and digits
/// removed, joined by `-`; `unknown` when nothing is left.
pub fn slug_words(text: &str, max_words: usize) -> String {
    let mut plain = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        if let Some(close) = closing {
            if c == close {
                closing = None;
            }
            continue;
        }
        match c {
            '\'' => closing = Some('\''),
            '`' => closing = Some('`'),
            '"' => closing = Some('"'),
            '«' => closing = Some('»'),
            '‘' => closing = Some('’'),
            ':' | ';' | ',' | '\n' => break,
            _ => plain.push(c),
        }
    }
    let words: Vec<String> = plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .take(max_words)
        .map(|w| w.to_lowercase())
        .collect();
    if words.is_empty() {
        "unknown".into()
    } else {
        words.join("-")
    }
}

/// Lowercase, `-` for anything not alphanumeric.
fn slug(name: &str) -> String {
    slug_words(name, 8)
}

/// comparator's uncaught exception; for "Some targets failed:" the first
/// target's message.
fn exception_message(out: &StageOutput) -> Option<String> {
    let mut lines = out.lines();
    while let Some(line) = lines.next() {
        if let Some(msg) = after(line, "uncaught exception:") {
            if msg.starts_with("Some targets failed") {
                if let Some(first) = lines.next() {
                    let first = first.trim_start_matches('-').trim();
                    let text = first.split_once(": ").map(|(_, m)| m).unwrap_or(first);
                    return Some(text.to_string());
                }
            }
            return Some(msg.to_string());
        }
    }
    None
}

/// `N` from `Child exited with N`.
fn child_exit_code(msg: &str) -> Option<i32> {
    after(msg, "Child exited with ")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// What comparator was doing last, from its progress lines on stdout.
fn last_progress(out: &StageOutput) -> &'static str {
    let mut last = "child";
    for line in out.stdout.lines() {
        if line.starts_with("Building ") {
            last = "lake-build";
        } else if line.starts_with("Exporting ") {
            last = "lean4export";
        }
    }
    last
}

fn judge_reject_kind(msg: &str, out: &StageOutput) -> String {
    let lower = msg.to_lowercase();
    if lower.contains("axiom") {
        let class = ["sorryAx", "Lean.ofReduceBool", "Lean.trustCompiler"]
            .into_iter()
            .find(|a| msg.contains(a))
            .map(slug)
            .unwrap_or_else(|| "other".into());
        return format!("illegal-axiom:{class}");
    }
    if lower.contains("do not match") || lower.contains("does not match") {
        return "mismatch".into();
    }
    if lower.contains("not found") {
        return "const-not-found".into();
    }
    if let Some(i) = msg.find("(kernel)") {
        return error_kind(&msg[i..]);
    }
    if child_exit_code(msg).is_some() {
        return format!("{}-failed", last_progress(out));
    }
    slug_words(msg, 6)
}

/// Which kernels comparator ran on the solution and which accepted it.
#[derive(Debug, Default)]
struct KernelRuns {
    ran: Vec<String>,
    accepted: Vec<String>,
    /// `<k> exited with N` / `<k> rejects the solution`, with N when given.
    rejected: Vec<(String, Option<i32>)>,
}

impl KernelRuns {
    fn parse(out: &StageOutput) -> Self {
        let mut k = KernelRuns::default();
        for line in out.lines() {
            let line = line.trim_end_matches('.');
            if let Some(name) = line
                .strip_prefix("Running ")
                .and_then(|r| r.strip_suffix(" on solution"))
            {
                k.ran.push(kernel_name(name));
            } else if let Some(name) = line.strip_suffix(" accepts the solution") {
                k.accepted.push(kernel_name(name));
            } else if let Some(name) = line.strip_suffix(" rejects the solution") {
                k.rejected.push((kernel_name(name), None));
            } else if let Some((name, code)) = line.rsplit_once(" exited with ") {
                let name = name.rsplit(':').next().unwrap_or(name).trim();
                if !name.ends_with("Child") && !name.contains("Lean") {
                    k.rejected
                        .push((kernel_name(name), code.trim().parse().ok()));
                }
            }
        }
        k
    }

    /// Kernels that ran but did not accept, in order.
    fn failing(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .ran
            .iter()
            .filter(|k| !self.accepted.contains(k))
            .cloned()
            .collect();
        for (k, _) in &self.rejected {
            if !v.contains(k) && !self.accepted.contains(k) {
                v.push(k.clone());
            }
        }
        v
    }

    fn failed_first(&self) -> Option<String> {
        self.failing().into_iter().next()
    }

    /// Some kernel accepted the solution and another rejected it. For
    /// nanoda, only a type error (exit 101, a Rust panic) is a rejection;
    /// its other exits (1 config/parse, 2 declined) are not a judgment.
    fn disagreement(&self, child_exit: Option<i32>) -> Option<Classification> {
        if self.accepted.is_empty() {
            return None;
        }
        let failing = self.failing();
        let first = failing.first()?;
        let code = self
            .rejected
            .iter()
            .find(|(k, _)| k == first)
            .and_then(|(_, c)| *c)
            .or(child_exit);
        if first.contains("noda") && code.is_some_and(|c| c != 101) {
            let code = code.unwrap_or_default();
            return Some(Classification::new(
                Verdict::Rejected,
                format!("judge-reject:kernel-error:{first}:exit-{code}"),
                format!("{first} exited with {code} without a judgment"),
            ));
        }
        let accepted = self.accepted.join(", ");
        Some(Classification::new(
            Verdict::Disagreement,
            format!("disagreement:{first}-rejects"),
            format!(
                "{first} rejected the solution (exit {}) while {accepted} accepted it",
                code.map(|c| c.to_string()).unwrap_or_else(|| "?".into())
            ),
        ))
    }
}

/// `Lean default kernel` → `lean-default`, `nanoda kernel` → `nanoda`.
fn kernel_name(text: &str) -> String {
    let text = text.trim();
    let text = text.strip_suffix(" kernel").unwrap_or(text);
    slug(text)
}

#[cfg(test)]
mod tests;

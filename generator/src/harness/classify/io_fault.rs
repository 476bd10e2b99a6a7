//! I/O errors in a failed build's output that are not about the program:
//! a full disk or a denied permission in the workspace is this machine's
//! problem (a harness error, never a verdict), and a write outside the
//! workspace that the file system refused is the program's attempt to
//! leave its sandbox (recorded in the verdict's evidence).
//!
//! Texts read: Lean's `IO.Error.toString` (lean4
//! `src/Init/System/IOError.lean`: `permissionDenied` — EACCES, EROFS —
//! prints the error's own text, `read-only file system (error code: 30)`,
//! `resourceExhausted` — ENOSPC — prints `resource exhausted (error code:
//! 28, no space left on device)`, each followed by a line `  file: PATH`),
//! and the C library's `strerror` texts any tool prints (`No space left on
//! device`, `Permission denied`, `Read-only file system`). How real Lake
//! words a failed `.olean` write was not checked against the tool; any of
//! its shapes holds one of these texts.

use std::path::Path;

use super::StageOutput;

/// The error numbers that matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoErrno {
    /// ENOSPC (28).
    NoSpace,
    /// EDQUOT (122).
    Quota,
    /// EACCES (13).
    Denied,
    /// EROFS (30): the sandbox's read-only file system.
    ReadOnly,
}

/// One I/O error a stage reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoFault {
    pub errno: IoErrno,
    /// The file it names, when it names one.
    pub path: Option<String>,
    /// The line it was read from.
    pub line: String,
}

/// What a failed build's I/O errors mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildIo {
    /// None that matters.
    Clean,
    /// The machine's fault (full disk, denied permission in the workspace).
    Harness(String),
    /// Writes outside the workspace that were refused: path and error.
    Refused(Vec<String>),
}

/// Every I/O error of interest in the stage's output.
pub fn io_faults(out: &StageOutput) -> Vec<IoFault> {
    let lines: Vec<&str> = out.lines().collect();
    let mut faults = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(errno) = errno_of(line) else {
            continue;
        };
        let path = lines
            .get(i + 1)
            .and_then(|next| next.strip_prefix("file: "))
            .map(str::to_string)
            .or_else(|| path_in(line));
        faults.push(IoFault {
            errno,
            path,
            line: line.to_string(),
        });
    }
    faults
}

/// Judges the I/O errors of a failed build run in the workspace at
/// `workspace` (the directory holding its project).
pub fn judge_build_io(out: &StageOutput, workspace: &Path) -> BuildIo {
    let mut refused = Vec::new();
    for fault in io_faults(out) {
        // Relative paths are the project's (the build's working
        // directory); `None`: the error names no file.
        let inside = fault
            .path
            .as_deref()
            .map(|p| !p.starts_with('/') || Path::new(p).starts_with(workspace));
        let what = match &fault.path {
            Some(p) if !fault.line.contains(p.as_str()) => format!("{} (file: {p})", fault.line),
            _ => fault.line.clone(),
        };
        match fault.errno {
            // A full disk is ours unless the file is known to be outside.
            IoErrno::NoSpace | IoErrno::Quota if inside != Some(false) => {
                return BuildIo::Harness(what);
            }
            // A denied write is ours only in the workspace: without a file
            // it may be the program's own text (an `#eval` can print one).
            IoErrno::Denied | IoErrno::ReadOnly if inside == Some(true) => {
                return BuildIo::Harness(what);
            }
            IoErrno::Denied | IoErrno::ReadOnly => refused.push(what),
            // A full device outside the workspace (`/dev/full`, the
            // stage's private /tmp) is the program's own doing.
            IoErrno::NoSpace | IoErrno::Quota => {}
        }
    }
    if refused.is_empty() {
        BuildIo::Clean
    } else {
        BuildIo::Refused(refused)
    }
}

fn errno_of(line: &str) -> Option<IoErrno> {
    let lower = line.to_lowercase();
    let code = |n: &str| {
        lower.contains(&format!("(error code: {n})"))
            || lower.contains(&format!("(error code: {n},"))
    };
    if lower.contains("no space left on device") || code("28") {
        Some(IoErrno::NoSpace)
    } else if lower.contains("disk quota exceeded") || code("122") {
        Some(IoErrno::Quota)
    } else if lower.contains("read-only file system") || code("30") {
        Some(IoErrno::ReadOnly)
    } else if lower.contains("permission denied") || code("13") {
        Some(IoErrno::Denied)
    } else {
        None
    }
}

/// A path named in the line itself: quoted (`'P'`, `` `P` ``) or one of
/// its `: `-separated parts (`tool: line 3: P: No space left on device`),
/// never a Lean source location (`F.lean:3:0`).
fn path_in(line: &str) -> Option<String> {
    for quote in ['\'', '`'] {
        let mut parts = line.split(quote);
        parts.next();
        if let Some(inner) = parts.next().filter(|p| p.contains('/')) {
            return Some(inner.to_string());
        }
    }
    // The last such part: a shell names itself first (`/bin/x: line 3: P`).
    line.rsplit(": ")
        .map(str::trim)
        .find(|p| p.contains('/') && !p.contains(char::is_whitespace) && !p.contains(".lean:"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::process::Termination;

    fn out(text: &str) -> BuildIo {
        let t = Termination::Exited { code: 1 };
        let o = StageOutput {
            termination: &t,
            stdout: text,
            stderr: "",
        };
        judge_build_io(&o, Path::new("/work/leanfuzz-ws-1"))
    }

    #[test]
    fn lean_read_only_outside_is_a_refused_write() {
        let r = out("error: ./././Solution.lean:3:0: read-only file system (error code: 30)\n  file: /root/pwned\nerror: build failed\n");
        match r {
            BuildIo::Refused(v) => assert!(v[0].contains("/root/pwned"), "{v:?}"),
            r => panic!("{r:?}"),
        }
    }

    #[test]
    fn full_disk_in_the_workspace_is_the_harness() {
        let r = out("error: resource exhausted (error code: 28, no space left on device)\n  file: .lake/build/lib/lean/Solution.olean\n");
        assert!(matches!(r, BuildIo::Harness(w) if w.contains("Solution.olean")));
        let r = out("lake: line 9: /work/leanfuzz-ws-1/project/x: No space left on device\n");
        assert!(matches!(r, BuildIo::Harness(_)));
        // No file named: ours too.
        assert!(matches!(
            out("error: No space left on device\n"),
            BuildIo::Harness(_)
        ));
    }

    #[test]
    fn permission_denied_in_the_workspace_is_the_harness() {
        let r = out("error: /opt/standin/lake: line 80: ./.lake/standin-lean: Permission denied\n");
        assert!(matches!(r, BuildIo::Harness(w) if w.contains("standin-lean")));
        let r = out(
            "error: Solution.lean:2:0: permission denied (error code: 13)\n  file: /etc/shadow\n",
        );
        assert!(matches!(r, BuildIo::Refused(_)), "{r:?}");
        // Naming no file, it may be the program's own text: not ours.
        let r = out("error: Solution.lean:2:0: permission denied (error code: 13)\n");
        assert!(matches!(r, BuildIo::Refused(_)), "{r:?}");
    }

    #[test]
    fn a_full_device_outside_is_the_programs_own() {
        let r = out("error: Solution.lean:2:0: resource exhausted (error code: 28, no space left on device)\n  file: /dev/full\n");
        assert_eq!(r, BuildIo::Clean);
        assert_eq!(
            out("error: Solution.lean:2:0: unknown identifier 'x'\n"),
            BuildIo::Clean
        );
    }

    #[test]
    fn error_codes_are_matched_whole() {
        assert_eq!(errno_of("x (error code: 280)"), None);
        assert_eq!(errno_of("x (error code: 30)"), Some(IoErrno::ReadOnly));
    }
}

//! Errors of our own (never a finding): each is one line that names the path
//! or value at fault and, where it helps, what to do about it.

use std::path::PathBuf;

/// A failure of the harness itself: bad input, a missing tool, a broken
/// template, a full disk. Distinct from a verdict about the Lean file.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("template directory {0} does not exist (pass --template DIR)")]
    TemplateMissing(PathBuf),
    #[error("template {0} has no lakefile.toml or lakefile.lean: it is not a Lake project")]
    TemplateNoLakefile(PathBuf),
    #[error("template {path}: {what}")]
    TemplateBroken { path: PathBuf, what: String },
    #[error("comparator config {path} is malformed: {what}")]
    ConfigMalformed { path: PathBuf, what: String },
    #[error("{tool} not found: {hint}")]
    ToolMissing { tool: String, hint: String },
    #[error("{tool} at {path} is not an executable file")]
    ToolNotExecutable { tool: String, path: PathBuf },
    // The I/O errors below are part of the message, not a `source`: the
    // CLI prints the whole chain, and each error must read as one line.
    #[error("work dir {path} is not usable: {error}")]
    WorkDir {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot write workspace file {path}: {error}")]
    Workspace {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot start {program}: {error}")]
    Spawn {
        program: String,
        error: std::io::Error,
    },
    #[error("isolation {mode} is not available here: {why}")]
    Isolation { mode: String, why: String },
    #[error("the build sandbox is not available here: {why} (--sandbox off builds unsandboxed)")]
    Sandbox { why: String },
    #[error("the {stage} stage failed for a reason of this machine, not of the program: {what}")]
    StageEnvironment { stage: String, what: String },
    #[error("the input cannot be checked: {0}")]
    Input(String),
    #[error("interrupted")]
    Interrupted,
}

impl HarnessError {
    /// Wraps an I/O error while writing the workspace, naming the path.
    pub fn workspace(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        HarnessError::Workspace {
            path: path.into(),
            error,
        }
    }
}

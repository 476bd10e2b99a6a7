//! The one interface over every back-end that checks a file: the Lake +
//! comparator pipeline ([`super::Pipeline`]) and the external kernels
//! ([`super::kernels::KernelChecker`]). A checker takes the text of a file,
//! runs it in a fresh place under its work root, and returns one
//! [`Report`], classified by the verdict table of its back-end. What the
//! input claims about itself (a generator's label) is judged afterwards,
//! by the oracles, never by the checker.

use std::path::{Path, PathBuf};

use super::{HarnessError, Report};

/// Checks one file's text.
pub trait Checker: Clone + Send + Sync + 'static {
    /// The extension of the files it checks (`lean`, `ndjson`): a finding's
    /// file in the store carries it.
    fn extension(&self) -> &'static str;

    /// Checks `text`; the files it needs are removed afterwards, also after
    /// an interrupt ([`HarnessError::Interrupted`]).
    fn check(&self, text: &str) -> Result<Report, HarnessError>;

    /// Where its per-check files go.
    fn work_root(&self) -> &Path;

    /// The same checker with its per-check files under `root` (one per
    /// fuzzing process).
    fn in_work_root(&self, root: PathBuf) -> Self;
}

impl Checker for super::Pipeline {
    fn extension(&self) -> &'static str {
        "lean"
    }

    fn check(&self, text: &str) -> Result<Report, HarnessError> {
        self.run(text)
    }

    fn work_root(&self) -> &Path {
        &self.config().work_root
    }

    fn in_work_root(&self, root: PathBuf) -> Self {
        let mut config = self.config().clone();
        config.work_root = root;
        super::Pipeline::new(config)
    }
}

//! A finding the store could not take (disk full, permissions changed under
//! a running campaign) is never lost: it is written to a fallback store,
//! and failing that printed whole on stderr, and the campaign stops saying
//! where it went.

use std::path::PathBuf;

use super::store::{FindingMeta, Store};
use crate::harness::Report;

/// Where rescued findings go, in order: the user's state directory, then
/// the temp dir. Each is a store of the usual layout.
pub fn fallback_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        roots.push(PathBuf::from(state).join("leanfuzz/rescued"));
    } else if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        roots.push(PathBuf::from(home).join(".local/state/leanfuzz/rescued"));
    }
    roots.push(std::env::temp_dir().join("leanfuzz-rescued"));
    roots
}

/// Keeps a finding that `store` failed to write (`error`); returns the one
/// line that ends the campaign, naming where the finding is.
pub fn rescue(
    store: &Store,
    error: &anyhow::Error,
    text: &str,
    ext: &str,
    report: &Report,
    meta: &FindingMeta,
) -> String {
    let failed = format!(
        "findings store {} cannot take a {} finding ({error:#})",
        store.root().display(),
        report.verdict()
    );
    let roots = fallback_roots();
    for root in &roots {
        if let Ok(Some(saved)) = Store::new(root).save(text, ext, report, meta) {
            return format!("{failed}; it was saved to {} instead", saved.path.display());
        }
    }
    eprintln!(
        "----- BEGIN unsaved finding ({}: {}) -----\n{text}\n----- END unsaved finding -----",
        report.verdict(),
        report.signature()
    );
    format!(
        "{failed}, nor could any fallback ({}); it is printed above on stderr",
        roots
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

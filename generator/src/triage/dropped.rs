//! How many findings of one signature were seen but not kept (the store
//! keeps at most N files per signature: the first seen and the smallest,
//! [`super::store::Store::with_cap`]). The count lives beside the files, in
//! `<signature dir>/.dropped.json`, so the index can say how often a
//! signature really came up.
//!
//! Several processes share one store, so the file is updated under an
//! exclusive `flock`. Counts are kept per origin: `local` for this store's
//! own drops, and one entry per store merged in, set (not added) on each
//! merge, so merging the same store twice counts its drops once; files a
//! merge removes to keep the cap are remembered by content hash.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The file in a signature directory (hidden: merge and the index skip it
/// as a finding).
pub const DROPPED_FILE: &str = ".dropped.json";
/// The origin of a store's own drops.
const LOCAL: &str = "local";

/// The counts of one signature directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dropped {
    /// Origin (`local`, or a merged store's path) → findings not kept.
    #[serde(default)]
    pub by_origin: BTreeMap<String, u64>,
    /// When the last of them was seen.
    #[serde(default)]
    pub last_seen_unix_secs: Option<u64>,
    /// Content hashes of the files `main merge` removed to keep the cap:
    /// a later merge of the same source neither takes them again nor
    /// counts them twice.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pruned: BTreeSet<String>,
}

impl Dropped {
    /// Findings not kept, from every origin.
    pub fn total(&self) -> u64 {
        self.by_origin.values().sum::<u64>() + self.pruned.len() as u64
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The counts of `sig_dir` (empty when it has none, or they are unreadable).
pub fn read(sig_dir: &Path) -> Dropped {
    std::fs::read(sig_dir.join(DROPPED_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Counts one more finding of `sig_dir` not kept.
pub fn count_one(sig_dir: &Path) -> anyhow::Result<()> {
    update(sig_dir, |d| {
        *d.by_origin.entry(LOCAL.into()).or_default() += 1;
        d.last_seen_unix_secs = Some(now());
    })
}

/// Records the content hashes of files of `sig_dir` that a merge removed.
pub fn count_pruned(sig_dir: &Path, shas: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    update(sig_dir, |d| d.pruned.extend(shas))
}

/// Records in `into_dir` what `from_dir` (a signature directory of the
/// store `origin`) did not keep: its total replaces the earlier merge's.
pub fn merge_from(from_dir: &Path, origin: &str, into_dir: &Path) -> anyhow::Result<()> {
    let from = read(from_dir);
    if from.total() == 0 {
        return Ok(());
    }
    update(into_dir, |d| {
        d.by_origin.insert(origin.to_string(), from.total());
        d.last_seen_unix_secs = d.last_seen_unix_secs.max(from.last_seen_unix_secs);
    })
}

/// Read-modify-write of the counts under an exclusive lock.
fn update(sig_dir: &Path, change: impl FnOnce(&mut Dropped)) -> anyhow::Result<()> {
    let path = sig_dir.join(DROPPED_FILE);
    let fail = |e: std::io::Error| anyhow::anyhow!("cannot update {}: {e}", path.display());
    let mut file: File = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(fail)?;
    let mut counts: Dropped = serde_json::from_str(&text).unwrap_or_default();
    change(&mut counts);
    let bytes = serde_json::to_vec(&counts)?;
    file.set_len(0).map_err(fail)?;
    file.seek(SeekFrom::Start(0)).map_err(fail)?;
    file.write_all(&bytes).map_err(fail)?;
    // The lock goes with the file.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_merges_replace_not_add() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_eq!(read(a.path()).total(), 0);
        for _ in 0..3 {
            count_one(a.path()).unwrap();
        }
        assert_eq!(read(a.path()).total(), 3);
        count_one(b.path()).unwrap();
        merge_from(a.path(), "/stores/a", b.path()).unwrap();
        merge_from(a.path(), "/stores/a", b.path()).unwrap();
        let merged = read(b.path());
        assert_eq!(merged.total(), 4, "{merged:?}");
        assert!(merged.last_seen_unix_secs.is_some());
    }
}

//! How many findings of one signature were seen but not kept (the store
//! keeps at most N files per signature: the first seen and the smallest,
//! [`super::store::Store::with_cap`]). The count lives beside the files, in
//! `<signature dir>/.dropped.json`, so the index can say how often a
//! signature really came up.
//!
//! Stores are merged into each other in any direction and any number of
//! times (PARALLEL.md's periodic merges run on every machine), so counts
//! are kept per store that dropped them, under that store's id
//! ([`store_id`]): a store only ever raises its own count, and a merge
//! takes the larger of two counts for the same store — never a sum, so a
//! count that travels A → B → A comes back unchanged. Files a merge removed
//! to keep the cap are remembered by content hash, a set, merged by union.
//! Several processes share one store, so the file is updated under an
//! exclusive `flock`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The file in a signature directory (hidden: merge and the index skip it
/// as a finding).
pub const DROPPED_FILE: &str = ".dropped.json";
/// The file in a store's root naming the store.
const STORE_ID_FILE: &str = ".store-id";

/// The counts of one signature directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dropped {
    /// Store id → findings that store saw and did not keep.
    #[serde(default)]
    pub by_store: BTreeMap<String, u64>,
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
    /// Findings not kept: every store's count, and the pruned files that
    /// are not (again) among `kept`, the content hashes of the files there.
    pub fn total(&self, kept: &BTreeSet<String>) -> u64 {
        self.by_store.values().sum::<u64>() + self.pruned.difference(kept).count() as u64
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The id of the store rooted at `root`, made (random, once) on first use.
pub fn store_id(root: &Path) -> anyhow::Result<String> {
    let path = root.join(STORE_ID_FILE);
    if let Ok(id) = std::fs::read_to_string(&path) {
        if !id.trim().is_empty() {
            return Ok(id.trim().to_string());
        }
    }
    let fresh: String = {
        let seed = format!(
            "{}-{}-{:?}",
            std::process::id(),
            now(),
            SystemTime::now().duration_since(UNIX_EPOCH).ok()
        );
        super::store::content_hash(&seed)[..16].to_string()
    };
    let fail = |e: std::io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-store-id-")
        .tempfile_in(root)
        .map_err(fail)?;
    tmp.write_all(fresh.as_bytes()).map_err(fail)?;
    // The first writer wins; everyone reads its id.
    if tmp.persist_noclobber(&path).is_err() {
        return Ok(std::fs::read_to_string(&path)
            .map_err(fail)?
            .trim()
            .to_string());
    }
    Ok(fresh)
}

/// The counts of `sig_dir` (empty when it has none, or they are unreadable).
pub fn read(sig_dir: &Path) -> Dropped {
    std::fs::read(sig_dir.join(DROPPED_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Counts one more finding of `sig_dir` that the store `store` (its id)
/// did not keep.
pub fn count_one(sig_dir: &Path, store: &str) -> anyhow::Result<()> {
    update(sig_dir, |d| {
        *d.by_store.entry(store.to_string()).or_default() += 1;
        d.last_seen_unix_secs = Some(now());
    })
}

/// Records the content hashes of files of `sig_dir` that a merge removed.
pub fn count_pruned(sig_dir: &Path, shas: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    update(sig_dir, |d| d.pruned.extend(shas))
}

/// Takes into `into_dir` what `from_dir` (the same signature in another
/// store) knows of findings not kept: per store the larger count, the
/// union of pruned files. Merging twice, or back and forth, counts once.
pub fn merge_from(from_dir: &Path, into_dir: &Path) -> anyhow::Result<()> {
    let from = read(from_dir);
    if from.by_store.is_empty() && from.pruned.is_empty() {
        return Ok(());
    }
    update(into_dir, |d| {
        for (store, n) in &from.by_store {
            let mine = d.by_store.entry(store.clone()).or_default();
            *mine = (*mine).max(*n);
        }
        d.pruned.extend(from.pruned.iter().cloned());
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
    fn counts_travel_between_stores_without_growing() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let (ida, idb) = (store_id(a.path()).unwrap(), store_id(b.path()).unwrap());
        assert_ne!(ida, idb);
        assert_eq!(store_id(a.path()).unwrap(), ida, "an id is made once");
        let none = BTreeSet::new();
        assert_eq!(read(a.path()).total(&none), 0);
        for _ in 0..3 {
            count_one(a.path(), &ida).unwrap();
        }
        count_one(b.path(), &idb).unwrap();
        // Back and forth, several times: 3 + 1, always.
        for _ in 0..3 {
            merge_from(a.path(), b.path()).unwrap();
            merge_from(b.path(), a.path()).unwrap();
        }
        assert_eq!(read(a.path()).total(&none), 4);
        assert_eq!(read(b.path()).total(&none), 4);
        // A pruned file kept again elsewhere is not counted as dropped.
        count_pruned(b.path(), ["f00".to_string()]).unwrap();
        assert_eq!(read(b.path()).total(&none), 5);
        assert_eq!(
            read(b.path()).total(&BTreeSet::from(["f00".to_string()])),
            4
        );
        assert!(read(b.path()).last_seen_unix_secs.is_some());
    }
}

//! The findings store: `solutions/<verdict>/<signature-hash>/
//! <sha256>.lean` (or `.ndjson`, for the kernel target) with
//! `<sha256>.json` beside it. Writes go to a temporary file in the target
//! directory and are renamed into place, metadata first and the finding
//! last, so a reader that sees a finding also sees its metadata, and a writer killed half-way leaves only a temporary file.
//! The name is the content's SHA-256, so writing the same finding twice (by
//! any number of instances) is a no-op.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::merge::finding_files;
use super::record::FindingRecord;
use super::{dropped, recovery};
use crate::harness::{Report, Verdict};
use crate::oracles::metamorphic::Metamorphic;
use crate::oracles::Label;

/// Where a finding came from, recorded beside it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FindingMeta {
    /// `fuzz`, `repro`, `reduce`, …
    #[serde(default)]
    pub origin: String,
    /// Which fuzzing instance or client found it.
    #[serde(default)]
    pub instance: String,
    #[serde(default)]
    pub depth: Option<usize>,
    #[serde(default)]
    pub profile: Option<String>,
    /// For `main repro --times N`: how the runs came out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repro: Option<ReproRuns>,
    /// For `main reduce`: the file this one was shrunk from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduced_from: Option<String>,
    /// The generated program's tree, so `main reduce` can shrink it as a
    /// tree before it shrinks its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<crate::lean::ast::Program>,
    /// For an export file: the kernels that judged it (`NAME=PATH`), so
    /// `main reduce` and `main kernels` can run them again.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub kernels: Vec<String>,
    /// For an export file the generator built: what it claimed, so the
    /// label oracle judges it again in `main kernels` and `main reduce`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// For a metamorphic finding: the variant it was compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metamorphic: Option<Metamorphic>,
}

/// The outcomes of running one file several times: a finding that does not
/// come back every time is flaky, and says so in its metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReproRuns {
    pub runs: u32,
    /// Signature → how many runs gave it.
    pub outcomes: std::collections::BTreeMap<String, u32>,
    pub stable: bool,
}

/// Where a finding is, and whether this call wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    pub new: bool,
}

/// A findings store rooted at one directory (usually `solutions/`).
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// At most this many files per signature (campaigns); `None`: all.
    cap: Option<usize>,
    /// The store's id ([`dropped::store_id`]), read once.
    id: std::sync::OnceLock<String>,
}

/// The hex SHA-256 of a finding's text: its file name.
pub fn content_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store {
            root: root.into(),
            cap: None,
            id: std::sync::OnceLock::new(),
        }
    }

    /// The id its counts of findings not kept go under.
    fn id(&self) -> anyhow::Result<&str> {
        if let Some(id) = self.id.get() {
            return Ok(id);
        }
        let id = dropped::store_id(&self.root)?;
        Ok(self.id.get_or_init(|| id))
    }

    /// The same store keeping at most `cap` files per signature (at least
    /// 2: the first seen and the smallest); the others are counted in the
    /// signature's [`dropped`] file. Campaigns use it: one signature must
    /// not fill the disk.
    pub fn with_cap(mut self, cap: usize) -> Self {
        self.cap = Some(cap.max(2));
        self
    }

    /// The store a campaign writes to: created, checked writable (so a
    /// finding is never the first thing to learn it is not), and cleared
    /// of what writers killed half-way left ([`recovery`]).
    pub fn open_for_campaign(root: &Path, cap: usize) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root)
            .map_err(|e| anyhow::anyhow!("cannot create findings store {}: {e}", root.display()))?;
        tempfile::Builder::new()
            .prefix(".tmp-probe-")
            .tempfile_in(root)
            .and_then(|mut f| f.write_all(b"probe").map(|()| f))
            .map_err(|e| {
                anyhow::anyhow!("findings store {} is not writable: {e}", root.display())
            })?;
        let cleaned = recovery::recover(root);
        if cleaned.recovered + cleaned.removed > 0 {
            eprintln!(
                "findings store {}: {} finding(s) a stopped writer had not put in place recovered, {} half-written file(s) removed",
                root.display(),
                cleaned.recovered,
                cleaned.removed
            );
        }
        Ok(Store::new(root).with_cap(cap))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of findings of `verdict` with this signature hash.
    pub fn signature_dir(&self, verdict: Verdict, signature_hash: &str) -> PathBuf {
        self.root.join(verdict.as_str()).join(signature_hash)
    }

    /// Stores `text` (a file with extension `ext`) as a finding of
    /// `report` (a no-op when it is already there). Returns where it is,
    /// or `None` when the verdict is not a finding or the signature already
    /// has its capped number of files and this one is not smaller than
    /// them all (it is then counted as dropped).
    pub fn save(
        &self,
        text: &str,
        ext: &str,
        report: &Report,
        meta: &FindingMeta,
    ) -> anyhow::Result<Option<Saved>> {
        let verdict = report.verdict();
        if !verdict.is_finding() {
            return Ok(None);
        }
        let dir = self.signature_dir(verdict, &report.signature_hash);
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let sha = content_hash(text);
        let file = dir.join(format!("{sha}.{ext}"));
        if file.exists() {
            return Ok(Some(Saved {
                path: file,
                new: false,
            }));
        }
        // Under the cap, admission, write and eviction are one step for
        // every process sharing the store: the lock is held to the end.
        let (_held, victim) = match self.cap {
            None => (None, None),
            Some(cap) => {
                let held = lock_signature(&dir)?;
                match cap_victim(&dir, cap, text.len())? {
                    Admission::Keep(victim) => (Some(held), victim),
                    Admission::Drop => {
                        dropped::count_one(&dir, self.id()?)?;
                        return Ok(None);
                    }
                }
            }
        };
        FindingRecord::new(text, report, meta).write(&file)?;
        write_atomic(&dir, &file, text.as_bytes())?;
        if let Some(victim) = victim {
            if std::fs::remove_file(&victim).is_ok() {
                let _ = std::fs::remove_file(victim.with_extension("json"));
                dropped::count_one(&dir, self.id()?)?;
            }
        }
        Ok(Some(Saved {
            path: file,
            new: true,
        }))
    }
}

/// Brings `sig_dir` down to `cap` files (at least 2): the first found (by
/// its record) and the smallest stay, the others go and are counted as
/// dropped. `main merge` uses it, since merging N stores of `cap` files
/// each would hold N × `cap`. Returns how many files were removed.
pub fn prune(sig_dir: &Path, cap: usize) -> anyhow::Result<usize> {
    let cap = cap.max(2);
    let _held = lock_signature(sig_dir)?;
    let files = finding_files(sig_dir);
    if files.len() <= cap {
        return Ok(0);
    }
    let mut kept = sized_and_found(files);
    // The first found stays; of the others, the `cap - 1` smallest.
    if let Some(first) = first_found(&kept) {
        kept.remove(first);
    }
    kept.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let gone: Vec<PathBuf> = kept
        .split_off(cap - 1)
        .into_iter()
        .map(|k| k.0)
        .filter(|file| std::fs::remove_file(file).is_ok())
        .collect();
    for file in &gone {
        let _ = std::fs::remove_file(file.with_extension("json"));
    }
    dropped::count_pruned(
        sig_dir,
        gone.iter()
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())),
    )?;
    Ok(gone.len())
}

/// Whether a new finding of `bytes` joins a signature folder capped at
/// `cap` files, and which file it replaces.
enum Admission {
    Keep(Option<PathBuf>),
    Drop,
}

/// Below the cap every finding is kept. At the cap, one smaller than all
/// kept replaces the largest file that is not the first seen; any other is
/// dropped.
fn cap_victim(dir: &Path, cap: usize, bytes: usize) -> anyhow::Result<Admission> {
    let files = finding_files(dir);
    if files.len() < cap {
        return Ok(Admission::Keep(None));
    }
    // Most findings of a full signature are dropped: decided from the
    // files' sizes alone, without reading their records.
    let not_smaller = files
        .iter()
        .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= bytes as u64));
    if not_smaller {
        return Ok(Admission::Drop);
    }
    let kept = sized_and_found(files);
    let first = first_found(&kept);
    let victim = kept
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != first)
        .max_by_key(|(_, (p, len, _))| (*len, p.clone()))
        .map(|(_, (p, _, _))| p.clone());
    Ok(Admission::Keep(victim))
}

/// Each finding file with its size and when its record says it was found
/// (a file's mtime would not do: a merge rewrites it).
fn sized_and_found(files: Vec<PathBuf>) -> Vec<(PathBuf, u64, u64)> {
    files
        .into_iter()
        .map(|p| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(u64::MAX);
            let found = super::record::RecordHead::read(&p.with_extension("json"))
                .ok()
                .and_then(|h| h.found_unix_secs)
                .unwrap_or(u64::MAX);
            (p, len, found)
        })
        .collect()
}

/// The index of the first found of `files`.
fn first_found(files: &[(PathBuf, u64, u64)]) -> Option<usize> {
    files
        .iter()
        .enumerate()
        .min_by_key(|(_, (p, _, found))| (*found, p.clone()))
        .map(|(i, _)| i)
}

/// An exclusive lock on a signature folder's cap, held while it lives.
fn lock_signature(dir: &Path) -> anyhow::Result<std::fs::File> {
    let path = dir.join(".cap.lock");
    let fail = |e: std::io::Error| anyhow::anyhow!("cannot lock {}: {e}", path.display());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    Ok(file)
}

/// Writes `bytes` to `path` through a temporary file in `dir` and a rename.
/// The temporary file is named `.tmp-<final name>-XXXXXX`, so a start-up
/// recovery knows what a writer killed half-way meant to write.
pub(crate) fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let fail = |e: std::io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{}{name}-", recovery::TMP_PREFIX))
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{Classification, Verdict};
    use std::time::Duration;

    fn crash() -> Report {
        let c = Classification::new(Verdict::Crash, "crash:lean:SIGSEGV", "");
        Report {
            signature_hash: c.signature_hash(),
            classification: c,
            stages: vec![],
            skipped: vec![],
            judges: vec![],
            judge_split: None,
            workspace_setup: Duration::ZERO,
            total: Duration::ZERO,
        }
    }

    /// A finding of `n` bytes, distinct per `tag`.
    fn finding(tag: char, n: usize) -> String {
        std::iter::once(tag)
            .chain(std::iter::repeat_n('x', n - 1))
            .collect()
    }

    #[test]
    fn the_cap_keeps_the_first_seen_and_the_smallest_and_counts_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::new(root.path()).with_cap(3);
        let report = crash();
        let meta = FindingMeta::default();
        let save = |tag, n| {
            let saved = store
                .save(&finding(tag, n), "lean", &report, &meta)
                .unwrap();
            // One second apart: the records' found times order them.
            std::thread::sleep(Duration::from_millis(1010));
            saved.is_some()
        };
        let dir = store.signature_dir(Verdict::Crash, &report.signature_hash);
        let sizes = || {
            let mut v: Vec<u64> = finding_files(&dir)
                .iter()
                .map(|p| std::fs::metadata(p).unwrap().len())
                .collect();
            v.sort();
            v
        };
        let dropped = || {
            let kept = std::collections::BTreeSet::new();
            dropped::read(&dir).total(&kept)
        };
        // The first seen is the largest, so it is the one a size rule
        // alone would evict.
        assert!(save('a', 50) && save('b', 40) && save('c', 45));
        assert_eq!(sizes(), [40, 45, 50]);
        // Not smaller than every kept file: dropped, counted.
        assert!(!save('d', 60));
        assert!(!save('e', 40));
        assert_eq!((sizes(), dropped()), (vec![40, 45, 50], 2));
        // Smaller than all: replaces the largest that is not the first seen.
        assert!(save('f', 30));
        assert_eq!((sizes(), dropped()), (vec![30, 40, 50], 3));
        assert!(save('g', 20));
        assert_eq!((sizes(), dropped()), (vec![20, 30, 50], 4));
        // Every kept file has its record; no lone record is left.
        for f in finding_files(&dir) {
            assert!(f.with_extension("json").is_file());
        }
        let records = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count();
        assert_eq!(records, 3);
    }
}

//! `main merge`: findings from other instances' or machines' stores copied
//! into one, de-duplicated by content, never overwriting, with an index per
//! signature. Also imports the old tool's flat layout
//! (`type1_lake_only/`, `type2_both/`, `type3_comparator_only/`), whose
//! files carry no verdict of ours: they go to `unclassified/` until
//! `main repro --save` classifies them.
//!
//! Every step can be interrupted and run again: files are written through a
//! temporary file and a rename (metadata first), a file already in place is
//! never touched, and the index is rebuilt from what the destination holds.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dropped;
use super::record::RecordHead;
use super::store::{content_hash, prune, write_atomic};
use crate::harness::Verdict;

/// The store's verdict folders, most severe first: one per verdict that
/// is a finding.
pub fn verdict_dirs() -> impl Iterator<Item = &'static str> {
    Verdict::ALL
        .into_iter()
        .filter(|v| v.is_finding())
        .map(Verdict::as_str)
}

/// The record merge writes beside an unclassified file (no verdict of
/// ours yet).
#[derive(Serialize, Deserialize)]
struct UnclassifiedRecord {
    #[serde(default)]
    sha256: String,
    #[serde(default)]
    bytes: usize,
    origin: Option<String>,
    #[serde(default)]
    source: String,
}

fn origin_of(json: &Path) -> String {
    std::fs::read(json)
        .ok()
        .and_then(|b| serde_json::from_slice::<UnclassifiedRecord>(&b).ok())
        .and_then(|o| o.origin)
        .unwrap_or_else(|| "no-metadata".into())
}
/// The old tool's folders.
pub const LEGACY_DIRS: [&str; 3] = ["type1_lake_only", "type2_both", "type3_comparator_only"];
/// The extensions of finding files: Lean programs and kernel export files.
pub const FINDING_EXTENSIONS: [&str; 2] = ["lean", "ndjson"];
/// Where findings without our metadata go.
pub const UNCLASSIFIED: &str = "unclassified";
/// The index file in a merged store.
pub const INDEX: &str = "index.json";

/// One finding file found in a source.
#[derive(Debug, Clone)]
struct Candidate {
    file: PathBuf,
    /// `<verdict>/<signature-hash>` when it has our metadata.
    place: Option<(String, String)>,
    json: Option<PathBuf>,
    /// Where an unclassified file came from (`legacy:type2_both`, …).
    origin: String,
    /// Our layout names files by their content's hash; the old one does not.
    named_by_content: bool,
}

/// A candidate's content and its hash, or why it could not be read.
type Read = Result<(String, Vec<u8>), String>;

/// What a merge did.
#[derive(Debug, Default)]
pub struct MergeReport {
    pub copied: usize,
    pub already_there: usize,
    pub unclassified: usize,
    /// Files not taken, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    pub signatures: usize,
    pub index: PathBuf,
    /// Files removed to keep the cap per signature (counted as dropped).
    pub pruned: usize,
}

/// Merges `sources` into `into`, then keeps at most `cap` files per
/// signature there (the first found and the smallest; the others counted
/// as dropped), when a cap is given.
pub fn merge(sources: &[PathBuf], into: &Path, cap: Option<usize>) -> anyhow::Result<MergeReport> {
    check_paths(sources, into)?;
    let mut report = MergeReport::default();
    let mut candidates = Vec::new();
    for src in sources {
        collect(src, &mut candidates, &mut report.skipped);
    }
    // Hash every file (in parallel: a merge may read thousands).
    let hashed: Vec<(Candidate, Read)> = candidates
        .into_par_iter()
        .map(|c| {
            let r = std::fs::read(&c.file)
                .map(|bytes| (content_hash_bytes(&bytes), bytes))
                .map_err(|e| format!("cannot read it: {e}"));
            (c, r)
        })
        .collect();
    let present = shas_in(into);
    let mut chosen: BTreeMap<String, (Candidate, Vec<u8>)> = BTreeMap::new();
    for (c, r) in hashed {
        let (sha, bytes) = match r {
            Ok(x) => x,
            Err(e) => {
                report.skipped.push((c.file, e));
                continue;
            }
        };
        let c = match check_candidate(c, &sha) {
            Ok(c) => c,
            Err((path, why)) => {
                report.skipped.push((path, why));
                continue;
            }
        };
        if present.contains(&sha) {
            report.already_there += 1;
            continue;
        }
        // The same content from two sources: one copy, with metadata if
        // either has it.
        match chosen.get(&sha) {
            Some((old, _)) if old.place.is_some() || c.place.is_none() => {
                report.already_there += 1;
            }
            _ => {
                chosen.insert(sha, (c, bytes));
            }
        }
    }
    for (sha, (c, bytes)) in chosen {
        let dir = match &c.place {
            Some((verdict, sighash)) => into.join(verdict).join(sighash),
            None => into.join(UNCLASSIFIED),
        };
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let json = match &c.json {
            Some(j) => {
                std::fs::read(j).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", j.display()))?
            }
            None => serde_json::to_vec_pretty(&UnclassifiedRecord {
                sha256: sha.clone(),
                bytes: bytes.len(),
                origin: Some(c.origin.clone()),
                source: c.file.display().to_string(),
            })?,
        };
        write_atomic(&dir, &dir.join(format!("{sha}.json")), &json)?;
        let ext = c
            .file
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_else(|| "lean".into());
        write_atomic(&dir, &dir.join(format!("{sha}.{ext}")), &bytes)?;
        report.copied += 1;
        if c.place.is_none() {
            report.unclassified += 1;
        }
    }
    std::fs::create_dir_all(into)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", into.display()))?;
    for src in sources {
        merge_dropped(src, into)?;
    }
    if let Some(cap) = cap {
        for verdict in verdict_dirs() {
            for sigdir in subdirs(&into.join(verdict)) {
                report.pruned += prune(&sigdir, cap)?;
            }
        }
    }
    report.signatures = write_index(into)?;
    report.index = into.join(INDEX);
    Ok(report)
}

/// Carries each signature's counts of findings not kept from `src` into
/// `into` ([`dropped::merge_from`]: merging twice, or back and forth,
/// counts once).
fn merge_dropped(src: &Path, into: &Path) -> anyhow::Result<()> {
    for verdict in verdict_dirs() {
        for sigdir in subdirs(&src.join(verdict)) {
            if !sigdir.join(dropped::DROPPED_FILE).is_file() {
                continue;
            }
            let Some(name) = sigdir.file_name() else {
                continue;
            };
            let dest = into.join(verdict).join(name);
            std::fs::create_dir_all(&dest)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dest.display()))?;
            dropped::merge_from(&sigdir, &dest)?;
        }
    }
    Ok(())
}

/// Rebuilds `root/index.json` from the files; returns the number of
/// signatures.
pub fn write_index(root: &Path) -> anyhow::Result<usize> {
    let index = build_index(root);
    write_atomic(root, &root.join(INDEX), &serde_json::to_vec_pretty(&index)?)?;
    Ok(index.signatures.len())
}

fn content_hash_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => content_hash(text),
        // Not UTF-8: the store never writes such a file, but hash it the
        // same way (SHA-256 of the bytes) so it is reported by name.
        Err(_) => {
            use sha2::{Digest, Sha256};
            Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        }
    }
}

/// Sources must be directories; the destination must not be one of them,
/// inside one, or contain one.
fn check_paths(sources: &[PathBuf], into: &Path) -> anyhow::Result<()> {
    if sources.is_empty() {
        anyhow::bail!("nothing to merge: give at least one source directory");
    }
    let dst = absolute(into);
    for src in sources {
        if !src.exists() {
            anyhow::bail!("source {} does not exist", src.display());
        }
        if !src.is_dir() {
            anyhow::bail!("source {} is not a directory", src.display());
        }
        let s = absolute(src);
        if dst.starts_with(&s) {
            anyhow::bail!(
                "destination {} is inside source {}: choose a destination outside every source",
                into.display(),
                src.display()
            );
        }
        if s.starts_with(&dst) {
            anyhow::bail!(
                "source {} is inside destination {}: choose a destination outside every source",
                src.display(),
                into.display()
            );
        }
    }
    if into.exists() && !into.is_dir() {
        anyhow::bail!("destination {} is not a directory", into.display());
    }
    Ok(())
}

/// The path made absolute and, as far as it exists, free of symlinks.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => abs,
    }
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// The finding files (`.lean`, `.ndjson`) directly in `dir`, sorted.
pub(crate) fn finding_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.is_file()
            && !is_hidden(p)
            && p.extension()
                .is_some_and(|e| FINDING_EXTENSIONS.iter().any(|x| e == *x))
    });
    files.sort();
    files
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.retain(|p| p.is_dir() && !is_hidden(p));
    dirs.sort();
    dirs
}

/// The finding files of one source: our layout, earlier merges'
/// `unclassified/`, and the old flat layout. Hidden files (temporary files
/// of a writer, possibly cut short) are never candidates.
fn collect(src: &Path, out: &mut Vec<Candidate>, skipped: &mut Vec<(PathBuf, String)>) {
    if std::fs::read_dir(src).is_err() {
        skipped.push((src.to_path_buf(), "cannot list it".into()));
        return;
    }
    for verdict in verdict_dirs() {
        for sigdir in subdirs(&src.join(verdict)) {
            let sighash = sigdir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for file in finding_files(&sigdir) {
                let json = file.with_extension("json");
                let (place, json) = if json.is_file() {
                    (Some((verdict.to_string(), sighash.clone())), Some(json))
                } else {
                    (None, None)
                };
                out.push(Candidate {
                    file,
                    place,
                    json,
                    origin: "no-metadata".into(),
                    named_by_content: true,
                });
            }
        }
    }
    for file in finding_files(&src.join(UNCLASSIFIED)) {
        let json = file.with_extension("json");
        let origin = origin_of(&json);
        out.push(Candidate {
            file,
            place: None,
            json: json.is_file().then_some(json),
            origin,
            named_by_content: true,
        });
    }
    for legacy in LEGACY_DIRS {
        for file in finding_files(&src.join(legacy)) {
            out.push(Candidate {
                file,
                place: None,
                json: None,
                origin: format!("legacy:{legacy}"),
                named_by_content: false,
            });
        }
    }
}

/// A file of our layout must be named by its content, and its metadata
/// must say what its place says; otherwise it was cut short or edited.
/// A file without usable metadata becomes unclassified.
fn check_candidate(mut c: Candidate, sha: &str) -> Result<Candidate, (PathBuf, String)> {
    let named = c
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if c.named_by_content && named != sha {
        return Err((
            c.file,
            format!("its content hashes to {sha}, not to its name (cut short or edited?)"),
        ));
    }
    if let (Some((verdict, sighash)), Some(json)) = (&c.place, &c.json) {
        let agrees = RecordHead::read(json)
            .is_ok_and(|h| h.verdict.as_str() == verdict && h.signature_hash == *sighash);
        if !agrees {
            c.place = None;
            c.json = None;
            c.origin = "unreadable-metadata".into();
        }
    }
    Ok(c)
}

/// The content hashes a store already holds (any folder).
fn shas_in(root: &Path) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut dirs = vec![root.join(UNCLASSIFIED)];
    for verdict in verdict_dirs() {
        dirs.extend(subdirs(&root.join(verdict)));
    }
    for dir in dirs {
        for file in finding_files(&dir) {
            if let Some(stem) = file.file_stem() {
                out.insert(stem.to_string_lossy().into_owned());
            }
        }
        // Pruned by an earlier merge: counted there, not to be taken again.
        out.extend(dropped::read(&dir).pruned);
    }
    out
}

/// `index.json`: per signature, how many files, first and last seen, and
/// the smallest reproducer; then the unclassified files.
#[derive(Debug, Serialize)]
pub struct Index {
    pub signatures: Vec<SignatureEntry>,
    pub unclassified: Vec<UnclassifiedEntry>,
}

#[derive(Debug, Serialize)]
pub struct SignatureEntry {
    pub verdict: String,
    pub signature: String,
    pub signature_hash: String,
    pub count: usize,
    pub first_seen_unix_secs: Option<u64>,
    pub last_seen_unix_secs: Option<u64>,
    /// Relative to the store's root.
    pub smallest: String,
    pub smallest_bytes: u64,
    /// Findings of this signature seen but not kept (the store keeps at
    /// most N files per signature): `count + dropped` is how often it came up.
    pub dropped: u64,
    /// The judges' outcome keys its files were found with (the verifier
    /// table's combinations), each once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub verifiers: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct UnclassifiedEntry {
    pub file: String,
    pub origin: String,
    pub bytes: u64,
}

/// Builds the index of `root` from its files.
pub fn build_index(root: &Path) -> Index {
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let mut signatures = Vec::new();
    for verdict in verdict_dirs() {
        for sigdir in subdirs(&root.join(verdict)) {
            let mut entry: Option<SignatureEntry> = None;
            for file in finding_files(&sigdir) {
                let Ok(head) = RecordHead::read(&file.with_extension("json")) else {
                    continue;
                };
                let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
                let found = head.found_unix_secs;
                let e = entry.get_or_insert_with(|| SignatureEntry {
                    verdict: verdict.to_string(),
                    signature: head.signature.clone(),
                    signature_hash: head.signature_hash.clone(),
                    count: 0,
                    first_seen_unix_secs: found,
                    last_seen_unix_secs: found,
                    smallest: rel(&file),
                    smallest_bytes: bytes,
                    dropped: 0,
                    verifiers: Vec::new(),
                });
                e.count += 1;
                if let Some(v) = head.verifiers.filter(|v| !e.verifiers.contains(v)) {
                    e.verifiers.push(v);
                }
                e.first_seen_unix_secs = min_opt(e.first_seen_unix_secs, found);
                e.last_seen_unix_secs = e.last_seen_unix_secs.max(found);
                if bytes < e.smallest_bytes {
                    e.smallest = rel(&file);
                    e.smallest_bytes = bytes;
                }
            }
            if let Some(e) = entry.as_mut() {
                let dropped = dropped::read(&sigdir);
                let kept = finding_files(&sigdir)
                    .iter()
                    .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .collect();
                e.dropped = dropped.total(&kept);
                e.last_seen_unix_secs = e.last_seen_unix_secs.max(dropped.last_seen_unix_secs);
            }
            signatures.extend(entry);
        }
    }
    let unclassified = finding_files(&root.join(UNCLASSIFIED))
        .into_iter()
        .map(|file| {
            let origin = origin_of(&file.with_extension("json"));
            UnclassifiedEntry {
                bytes: std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0),
                file: rel(&file),
                origin,
            }
        })
        .collect();
    Index {
        signatures,
        unclassified,
    }
}

fn min_opt(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

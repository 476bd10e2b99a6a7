//! What a writer killed half-way leaves in the store, put right at start.
//!
//! A finding is written as its record first, then its file, each through a
//! temporary file `.tmp-<final name>-XXXXXX` and a rename
//! ([`super::store::write_atomic`]). A kill can leave: a temporary file,
//! whole or cut short; or a record whose finding never arrived. At start a
//! campaign puts a whole finding in place (its content hash is its name and
//! its record is there) and removes the rest. Only files older than a
//! minute are touched: other processes may be writing into the same store
//! right now, and a write takes milliseconds.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::merge::{finding_files, verdict_dirs};
use super::store::content_hash;

/// Prefix of every temporary file in the store.
pub const TMP_PREFIX: &str = ".tmp-";
/// Younger files may belong to a living writer.
const SETTLED: Duration = Duration::from_secs(60);

/// What a recovery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
    /// Whole findings put in place.
    pub recovered: usize,
    /// Cut-short temporary files and records without a finding removed.
    pub removed: usize,
}

/// Recovers or removes what killed writers left under `root`.
pub fn recover(root: &Path) -> Recovery {
    recover_older_than(root, SETTLED)
}

fn recover_older_than(root: &Path, settled: Duration) -> Recovery {
    let mut done = Recovery::default();
    for verdict in verdict_dirs() {
        let Ok(sigdirs) = std::fs::read_dir(root.join(verdict)) else {
            continue;
        };
        for sigdir in sigdirs.flatten().map(|e| e.path()) {
            if sigdir.is_dir() {
                recover_dir(&sigdir, settled, &mut done);
            }
        }
    }
    done
}

fn older_than(path: &Path, settled: Duration) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age >= settled)
}

fn recover_dir(dir: &Path, settled: Duration, done: &mut Recovery) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(meant) = name.strip_prefix(TMP_PREFIX) else {
            continue;
        };
        if !older_than(&path, settled) {
            continue;
        }
        // `<final name>-XXXXXX`: the final name is all but the last part.
        let meant = meant.rsplit_once('-').map_or(meant, |(m, _)| m);
        let target = dir.join(meant);
        if whole_finding(&path, &target) && std::fs::rename(&path, &target).is_ok() {
            done.recovered += 1;
        } else if std::fs::remove_file(&path).is_ok() {
            done.removed += 1;
        }
    }
    // Records whose finding never arrived.
    let findings: Vec<String> = finding_files(dir)
        .iter()
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        let is_record = path.extension().is_some_and(|e| e == "json")
            && !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_record
            && !findings.contains(&stem)
            && older_than(&path, settled)
            && std::fs::remove_file(&path).is_ok()
        {
            done.removed += 1;
        }
    }
}

/// A temporary file that is a whole finding: meant for `<sha>.<ext>` (not
/// a record), its content hashes to `<sha>`, its record is in place and
/// the finding is not.
fn whole_finding(tmp: &Path, target: &Path) -> bool {
    let is_finding = target.extension().is_some_and(|e| e != "json");
    let Some(sha) = target.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
        return false;
    };
    is_finding
        && !target.exists()
        && target.with_extension("json").is_file()
        && std::fs::read_to_string(tmp).is_ok_and(|text| content_hash(&text) == sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_findings_are_put_in_place_and_the_rest_removed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("crash/abc");
        std::fs::create_dir_all(&dir).unwrap();
        let text = "theorem x : True := trivial\n";
        let sha = content_hash(text);
        // Killed between the finding's write and its rename.
        std::fs::write(dir.join(format!("{sha}.json")), "{}").unwrap();
        std::fs::write(dir.join(format!(".tmp-{sha}.lean-Ab12Cd")), text).unwrap();
        // Killed while writing another finding (cut short), and its record.
        let other = content_hash("other");
        std::fs::write(dir.join(format!("{other}.json")), "{}").unwrap();
        std::fs::write(dir.join(format!(".tmp-{other}.lean-Zz99Yy")), "oth").unwrap();
        // Killed while writing a record.
        std::fs::write(dir.join(".tmp-ffff.json-Qq11Ww"), "{\"ver").unwrap();

        assert_eq!(
            recover_older_than(root.path(), Duration::from_secs(3600)),
            Recovery::default(),
            "young files may be a living writer's"
        );
        let done = recover_older_than(root.path(), Duration::ZERO);
        assert_eq!(done.recovered, 1);
        assert_eq!(done.removed, 3, "two temporary files and one lone record");
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec![format!("{sha}.json"), format!("{sha}.lean")]);
    }
}

//! The findings store read for the report: one group per verdict and
//! signature (the store's own index, `triage::merge::build_index`), with
//! its smallest file, the command that reproduces it, how its stages ended,
//! and the programs its records ran.

use std::path::{Path, PathBuf};

use crate::triage::merge::build_index;
use crate::triage::FindingRecord;

/// The findings of one verdict and signature.
#[derive(Debug, Clone)]
pub struct FindingGroup {
    pub verdict: String,
    pub signature: String,
    pub signature_hash: String,
    /// Files kept in the store.
    pub count: usize,
    /// Findings seen but not kept (the store's cap per signature).
    pub dropped: u64,
    pub first_seen_unix: Option<u64>,
    pub last_seen_unix: Option<u64>,
    /// The smallest file of the group (absolute when the store's root is).
    pub smallest: PathBuf,
    pub smallest_bytes: u64,
    /// The command line that runs the smallest file again.
    pub repro: String,
    /// How each stage of the smallest file's recorded check ended
    /// (`build: exit 1 in 0.25 s`).
    pub stages: Vec<String>,
}

/// A file in the store without a verdict of ours yet.
#[derive(Debug, Clone)]
pub struct Unclassified {
    pub file: PathBuf,
    pub origin: String,
    pub bytes: u64,
}

/// What the store holds.
#[derive(Debug, Default)]
pub struct Findings {
    pub root: PathBuf,
    pub exists: bool,
    pub groups: Vec<FindingGroup>,
    pub unclassified: Vec<Unclassified>,
    /// Programs the records ran: stage name and program path.
    pub programs: Vec<(String, PathBuf)>,
}

impl Findings {
    /// Finding files in all groups.
    pub fn files(&self) -> usize {
        self.groups.iter().map(|g| g.count).sum()
    }
}

/// Reads the store at `root` (a missing store holds nothing). The repro
/// line of a Lean program gets `repro_flags` (the campaign's template,
/// comparator, judges' binaries, timeout and sandbox, when they are not
/// the defaults; `main repro` takes which judges ran from the record).
pub fn read(root: &Path, repro_flags: &[String]) -> Findings {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut out = Findings {
        exists: root.is_dir(),
        ..Findings::default()
    };
    let index = build_index(&root);
    for e in index.signatures {
        let smallest = root.join(&e.smallest);
        let record = FindingRecord::read(&smallest).ok();
        let mut stages = Vec::new();
        if let Some(r) = &record {
            for s in &r.report.stages {
                let answer = s
                    .answer
                    .and_then(|a| serde_json::to_value(a).ok())
                    .and_then(|v| v.as_str().map(|a| format!(", {a}")))
                    .unwrap_or_default();
                stages.push(format!(
                    "{}: {}{answer} in {:.2} s",
                    s.name,
                    s.termination,
                    s.duration.as_secs_f64()
                ));
                if let Some(program) = s.command.first() {
                    add_program(&mut out.programs, &s.name, Path::new(program));
                }
            }
            for k in &r.meta.kernels {
                if let Some((name, path)) = k.split_once('=') {
                    add_program(&mut out.programs, name, Path::new(path));
                }
            }
        }
        out.groups.push(FindingGroup {
            repro: repro_command(&smallest, repro_flags),
            verdict: e.verdict,
            signature: e.signature,
            signature_hash: e.signature_hash,
            count: e.count,
            dropped: e.dropped,
            first_seen_unix: e.first_seen_unix_secs,
            last_seen_unix: e.last_seen_unix_secs,
            smallest,
            smallest_bytes: e.smallest_bytes,
            stages,
        });
    }
    out.unclassified = index
        .unclassified
        .into_iter()
        .map(|u| Unclassified {
            file: root.join(u.file),
            origin: u.origin,
            bytes: u.bytes,
        })
        .collect();
    out.root = root;
    out
}

fn add_program(programs: &mut Vec<(String, PathBuf)>, stage: &str, path: &Path) {
    if !programs.iter().any(|(_, p)| p == path) {
        programs.push((stage.to_string(), path.to_path_buf()));
    }
}

/// The command that checks `file` again as the campaign did: an export
/// file through `main kernels` (with the kernels its record names), a Lean
/// file through `main repro`.
pub fn repro_command(file: &Path, flags: &[String]) -> String {
    let kernel_file = file.extension().is_some_and(|e| e == "ndjson");
    let mut words = vec![
        "cargo".to_string(),
        // The channel the README's commands use.
        "+nightly".into(),
        "run".into(),
        "--release".into(),
        "--bin".into(),
        "main".into(),
        "--".into(),
        if kernel_file { "kernels" } else { "repro" }.into(),
        shell_quote(&file.to_string_lossy()),
    ];
    if !kernel_file {
        words.extend(flags.iter().map(|f| shell_quote(f)));
    }
    words.join(" ")
}

/// `word` as one shell word.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repro_lines_pick_the_command_by_file_kind() {
        let flags = vec!["--template".to_string(), "/t p/x".to_string()];
        assert_eq!(
            repro_command(Path::new("/s/crash/ab/cd.lean"), &flags),
            "cargo +nightly run --release --bin main -- repro /s/crash/ab/cd.lean --template '/t p/x'"
        );
        assert_eq!(
            repro_command(Path::new("/s/crash/ab/cd.ndjson"), &flags),
            "cargo +nightly run --release --bin main -- kernels /s/crash/ab/cd.ndjson"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn a_missing_store_holds_nothing() {
        let f = read(Path::new("/nonexistent/solutions"), &[]);
        assert!(!f.exists);
        assert!(f.groups.is_empty() && f.unclassified.is_empty());
    }
}

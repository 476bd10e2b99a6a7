//! Reading a stopped campaign's corpus back from disk (`--resume`, and a
//! client the restarting manager brings back without its state). Entries
//! are read, not run: every client reads the directories itself, so nothing
//! is re-broadcast. An entry that does not decode (a file cut short by a
//! killed writer, a file from another version) is skipped with a warning;
//! it never stops the campaign.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use libafl::inputs::Input;

/// What a load found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadReport {
    pub loaded: usize,
    pub skipped: usize,
}

/// The corpus files in `dirs` and their direct subdirectories (one per
/// LLMP client), by file name: the name is a content hash, so a name seen
/// twice is the same entry. Hidden files (LibAFL's lock and metadata
/// files) are not entries.
pub fn entry_files(dirs: &[PathBuf]) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in dirs {
        collect(dir, 1, &mut files);
    }
    files
}

fn collect(dir: &Path, depth: usize, files: &mut BTreeMap<String, PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            if depth > 0 {
                collect(&path, depth - 1, files);
            }
        } else {
            files.entry(name).or_insert(path);
        }
    }
}

/// Decodes the entries of [`entry_files`]; warns about and skips those
/// that do not decode.
pub fn read_entries<I: Input>(dirs: &[PathBuf]) -> (Vec<I>, LoadReport) {
    let mut inputs = Vec::new();
    let mut report = LoadReport::default();
    for path in entry_files(dirs).values() {
        match I::from_file(path) {
            Ok(input) => {
                inputs.push(input);
                report.loaded += 1;
            }
            Err(e) => {
                eprintln!(
                    "warning: skipping corpus entry {} (cannot decode it: {e})",
                    path.display()
                );
                report.skipped += 1;
            }
        }
    }
    (inputs, report)
}

//! The tool versions a report names: leanfuzz's own, the Lean the template
//! pins, and each program the findings' records ran or the campaign
//! configured — asked for its version the way `main doctor` does (`lake`
//! and `lean` by `--version` in the template, so elan picks the template's
//! Lean; a binary built in a Lake project by that project's
//! `lean-toolchain`), else identified by its content's hash.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::harness::process::{self, Limits, ProcessSpec};
use crate::harness::toolchain::built_toolchain;

/// One row of the tools table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolRow {
    pub name: String,
    pub path: String,
    pub version: String,
    /// Where the report learnt of it.
    pub source: String,
}

/// The tools table: leanfuzz, the template's Lean, then `programs` (name,
/// path, source) in order, each path once.
pub fn rows(template: Option<&Path>, programs: &[(String, PathBuf, String)]) -> Vec<ToolRow> {
    let mut out = vec![ToolRow {
        name: "leanfuzz".into(),
        path: std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        version: env!("CARGO_PKG_VERSION").into(),
        source: "this binary".into(),
    }];
    let version_cwd = template
        .filter(|t| t.is_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    if let Some(t) = template {
        let file = t.join("lean-toolchain");
        let file = file.canonicalize().unwrap_or(file);
        if let Ok(tc) = std::fs::read_to_string(&file) {
            out.push(ToolRow {
                name: "Lean (template)".into(),
                path: file.display().to_string(),
                version: tc.trim().to_string(),
                source: "template's lean-toolchain".into(),
            });
        }
    }
    let mut seen: Vec<&Path> = Vec::new();
    for (name, path, source) in programs {
        if seen.contains(&path.as_path()) {
            continue;
        }
        seen.push(path);
        out.push(ToolRow {
            name: name.clone(),
            path: path.display().to_string(),
            version: version_of(path, &version_cwd),
            source: source.clone(),
        });
    }
    out
}

/// What identifies the version of the program at `path`.
fn version_of(path: &Path, cwd: &Path) -> String {
    if !path.is_file() {
        return "(not found now)".into();
    }
    if let Some((tc, file)) = built_toolchain(path) {
        return format!("built for {tc} ({})", file.display());
    }
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if base == "lake" || base == "lean" {
        if let Some(v) = version_flag(path, cwd) {
            return v;
        }
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let hex: String = Sha256::digest(&bytes)
                .iter()
                .take(8)
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("sha256 {hex}… (no version flag)")
        }
        Err(e) => format!("(cannot read it: {e})"),
    }
}

/// The first line `--version` prints, run in `cwd`.
fn version_flag(path: &Path, cwd: &Path) -> Option<String> {
    let limits = Limits {
        timeout: Duration::from_secs(20),
        ..Limits::default()
    };
    let out = process::run(&ProcessSpec::new(path, cwd, limits).arg("--version")).ok()?;
    if !out.termination.success() {
        return None;
    }
    out.stdout
        .text
        .lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_name_each_program_once_with_what_identifies_it() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("kernel");
        std::fs::write(&bin, b"#!/bin/sh\nexit 0\n").unwrap();
        std::fs::write(dir.path().join("lean-toolchain"), "leanprover/lean4:v9\n").unwrap();
        let programs = vec![
            ("nanoda".to_string(), bin.clone(), "findings".to_string()),
            ("other".to_string(), bin.clone(), "findings".to_string()),
            (
                "gone".to_string(),
                dir.path().join("missing"),
                "campaign".to_string(),
            ),
        ];
        let rows = rows(Some(dir.path()), &programs);
        assert_eq!(rows[0].name, "leanfuzz");
        assert_eq!(rows[1].version, "leanprover/lean4:v9");
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert!(rows[2].version.starts_with("sha256 "), "{rows:?}");
        assert_eq!(rows[3].version, "(not found now)");
    }
}

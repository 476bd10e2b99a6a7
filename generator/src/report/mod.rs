//! The campaign report: one self-contained HTML page made from a
//! campaign's `stats.jsonl` and its findings store — tests per second,
//! corpus and validity over time as charts, the verdict and verifier
//! tables, each finding group with its smallest file and the command that
//! reproduces it, and the tool versions. `main report` writes it, and so
//! does every campaign when it ends. No LibAFL here: the stats lines are
//! read with this module's own view of them.

pub mod findings;
pub mod html;
pub mod plot;
pub mod stats;
pub mod tools;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// What a report is made from.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The campaign's `stats.jsonl`.
    pub stats: PathBuf,
    /// The findings store.
    pub solutions: PathBuf,
    /// The template, for the Lean it pins (and the directory `lake
    /// --version` runs in).
    pub template: Option<PathBuf>,
    /// Flags the repro line of a Lean finding needs (`--template DIR` of a
    /// campaign that did not use the default one, …).
    pub repro_flags: Vec<String>,
    /// Programs the campaign was configured with (name, path), named in
    /// the tools table beside those the findings' records ran.
    pub programs: Vec<(String, PathBuf)>,
}

/// A written report.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    /// What was wrong with the inputs (each names its file or line).
    pub warnings: Vec<String>,
}

/// The report's HTML and the warnings about its inputs; an unreadable
/// stats file is an error naming it.
pub fn render(inputs: &Inputs) -> anyhow::Result<(String, Vec<String>)> {
    let file = stats::read(&inputs.stats)?;
    let campaign = stats::Campaign::new(&file.rows);
    let found = findings::read(&inputs.solutions, &inputs.repro_flags);
    let mut programs: Vec<(String, PathBuf, String)> = found
        .programs
        .iter()
        .map(|(stage, p)| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| stage.clone());
            let source = if *stage == name {
                "findings' records".to_string()
            } else {
                format!("findings' records (stage {stage})")
            };
            (name, p.clone(), source)
        })
        .collect();
    programs.extend(
        inputs
            .programs
            .iter()
            .map(|(n, p)| (n.clone(), p.clone(), "campaign".to_string())),
    );
    let tool_rows = tools::rows(inputs.template.as_deref(), &programs);
    let written = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let stats_path = inputs.stats.display().to_string();
    let html = html::render(&html::Page {
        stats_path: &stats_path,
        written_unix: written,
        campaign: &campaign,
        findings: &found,
        tools: &tool_rows,
        warnings: &file.warnings,
    })?;
    Ok((html, file.warnings))
}

/// Renders the report and writes it to `out` (atomically: a reader never
/// sees half a page).
pub fn write(inputs: &Inputs, out: &Path) -> anyhow::Result<Written> {
    let (html, warnings) = render(inputs)?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        anyhow::bail!(
            "cannot write report {}: {} is not a directory",
            out.display(),
            dir.display()
        );
    }
    let fail =
        |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot write report {}: {e}", out.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".report-")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    std::io::Write::write_all(&mut tmp, html.as_bytes()).map_err(|e| fail(&e))?;
    // A page to share: readable by all, as a file written plainly would be.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
        .map_err(|e| fail(&e))?;
    tmp.persist(out).map_err(|e| fail(&e.error))?;
    Ok(Written {
        path: out.to_path_buf(),
        warnings,
    })
}

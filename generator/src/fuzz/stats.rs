//! Campaign statistics of one fuzzing process: what its executor saw, and
//! the machine-readable line appended to `stats.jsonl` at each interval
//! (a plot can be made from it).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::harness::Verdict;

/// Counters kept by the executor.
#[derive(Debug)]
pub struct RunStats {
    pub started: Instant,
    pub tests: u64,
    pub verdicts: BTreeMap<&'static str, u64>,
    /// Findings written to the store (new files).
    pub stored: u64,
    /// Tests that said whether the input came out as meant, and how many
    /// did (the target decides what "as meant" is).
    pub judged: u64,
    pub valid: u64,
    /// The checked files' own stage time, summed (the target's cost run
    /// by hand).
    pub checked: std::time::Duration,
}

impl Default for RunStats {
    fn default() -> Self {
        RunStats {
            started: Instant::now(),
            tests: 0,
            verdicts: BTreeMap::new(),
            stored: 0,
            judged: 0,
            valid: 0,
            checked: std::time::Duration::ZERO,
        }
    }
}

/// One line of `stats.jsonl`, written and read with this type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatsLine {
    pub client: String,
    /// The process (a restarted client has a new one).
    pub pid: u32,
    pub unix_secs: u64,
    pub elapsed_secs: f64,
    pub tests: u64,
    pub tests_per_sec: f64,
    pub corpus: usize,
    pub objectives: usize,
    pub verdicts: BTreeMap<String, u64>,
    pub stored_findings: u64,
    pub validity_rate: f64,
    /// Seconds the checked files' own stages took: `tests / checked_secs`
    /// is the target's rate run by hand on the same files, the ceiling of
    /// `tests_per_sec`.
    #[serde(default)]
    pub checked_secs: f64,
    pub timeouts: u64,
    /// LibAFL's execution counter (kept across restarts with the state).
    pub executions: u64,
    /// The process's final line.
    pub last: bool,
    /// What stopped the process, when an error did.
    pub error: Option<String>,
}

impl RunStats {
    pub fn record(&mut self, verdict: Verdict, valid: Option<bool>) {
        self.tests += 1;
        *self.verdicts.entry(verdict.as_str()).or_default() += 1;
        if let Some(v) = valid {
            self.judged += 1;
            self.valid += u64::from(v);
        }
    }

    /// The share of judged tests whose input came out as meant.
    pub fn validity_rate(&self) -> f64 {
        if self.judged == 0 {
            0.0
        } else {
            self.valid as f64 / self.judged as f64
        }
    }

    pub fn line(&self, client: &str, corpus: usize, objectives: usize) -> StatsLine {
        let elapsed = self.started.elapsed().as_secs_f64();
        StatsLine {
            client: client.to_string(),
            pid: std::process::id(),
            unix_secs: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            elapsed_secs: elapsed,
            tests: self.tests,
            tests_per_sec: if elapsed > 0.0 {
                self.tests as f64 / elapsed
            } else {
                0.0
            },
            corpus,
            objectives,
            verdicts: self
                .verdicts
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            stored_findings: self.stored,
            validity_rate: self.validity_rate(),
            checked_secs: self.checked.as_secs_f64(),
            timeouts: self
                .verdicts
                .get(Verdict::Timeout.as_str())
                .copied()
                .unwrap_or(0),
            executions: self.tests,
            last: false,
            error: None,
        }
    }
}

/// Appends one JSON line to `path`.
pub fn append_line(path: &Path, line: &StatsLine) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot append to {}: {e}", path.display()))?;
    let mut text = serde_json::to_string(line)?;
    text.push('\n');
    f.write_all(text.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot append to {}: {e}", path.display()))?;
    Ok(())
}

/// The lines of a `stats.jsonl` file that read as [`StatsLine`]s (a line
/// cut short by a killed writer is passed over); a missing file has none.
pub fn read_lines(path: &Path) -> Vec<StatsLine> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

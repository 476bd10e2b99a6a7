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
    /// Tests per key of the judges' outcomes (`Tested::verifiers`), for
    /// the verifier table.
    pub verifiers: BTreeMap<String, u64>,
    /// The last finding file this process wrote, with its verdict.
    pub last_finding: Option<(String, String)>,
    /// Tests this client's earlier processes ran (a restarted LLMP
    /// client continues its predecessor's budget).
    pub earlier_tests: u64,
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
            verifiers: BTreeMap::new(),
            last_finding: None,
            earlier_tests: 0,
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
    /// Tests per key of the judges' outcomes (e.g. "lake:pass
    /// comparator:fail"); empty when the target has no judges.
    #[serde(default)]
    pub verifiers: BTreeMap<String, u64>,
    /// The client's tests in all its processes so far (a restarted LLMP
    /// client's `tests` count only its own process's).
    #[serde(default)]
    pub client_tests: u64,
    /// The last finding file this process wrote: "verdict path".
    #[serde(default)]
    pub last_finding: Option<String>,
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

    /// Counts one test's key of the judges' outcomes (none: the target
    /// has no judges).
    pub fn record_verifiers(&mut self, key: Option<&str>) {
        if let Some(k) = key {
            *self.verifiers.entry(k.to_string()).or_default() += 1;
        }
    }

    /// This client's tests in all its processes.
    pub fn client_tests(&self) -> u64 {
        self.earlier_tests + self.tests
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
            verifiers: self.verifiers.clone(),
            client_tests: self.client_tests(),
            last_finding: self
                .last_finding
                .as_ref()
                .map(|(verdict, path)| format!("{verdict} {path}")),
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

/// Tests per verifier key, summed over stats lines (one per process).
pub fn sum_verifiers<'a>(lines: impl IntoIterator<Item = &'a StatsLine>) -> BTreeMap<String, u64> {
    let mut sum = BTreeMap::new();
    for line in lines {
        for (k, n) in &line.verifiers {
            *sum.entry(k.clone()).or_default() += n;
        }
    }
    sum
}

/// The verifier table: one row per key of the judges' outcomes with its
/// tests and share, most frequent first; empty when there is no key.
pub fn verifier_table(verifiers: &BTreeMap<String, u64>) -> Vec<String> {
    let total: u64 = verifiers.values().sum();
    let mut rows: Vec<(&String, &u64)> = verifiers.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.into_iter()
        .map(|(k, n)| {
            format!(
                "{k:<width$}  {n:>8} tests  {:>5.1} %",
                100.0 * *n as f64 / total.max(1) as f64
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_keys_are_counted_per_test_and_summed_over_processes() {
        let mut a = RunStats::default();
        a.record_verifiers(Some("lake:pass comparator:fail"));
        a.record_verifiers(Some("lake:pass comparator:fail"));
        a.record_verifiers(Some("lake:pass comparator:pass"));
        a.record_verifiers(None);
        let mut b = RunStats::default();
        b.record_verifiers(Some("lake:pass comparator:pass"));
        let lines = [a.line("c1", 0, 0), b.line("c2", 0, 0)];
        assert_eq!(lines[0].verifiers["lake:pass comparator:fail"], 2);
        let sum = sum_verifiers(&lines);
        assert_eq!(sum.len(), 2);
        assert_eq!(sum["lake:pass comparator:fail"], 2);
        assert_eq!(sum["lake:pass comparator:pass"], 2);
        let table = verifier_table(&sum);
        assert_eq!(table.len(), 2);
        assert!(table[0].contains("50.0 %"), "{table:?}");
        // A line written before the field existed reads with no keys.
        let mut json = serde_json::to_value(&lines[0]).unwrap();
        json.as_object_mut().unwrap().remove("verifiers");
        let old: StatsLine = serde_json::from_value(json).unwrap();
        assert!(old.verifiers.is_empty());
        assert!(verifier_table(&old.verifiers).is_empty());
    }
}

//! A campaign's `stats.jsonl` read for the report: the fields of each line
//! the report needs (its own view of the lines `fuzz::stats` writes, so the
//! report stays free of LibAFL), the campaign's totals, and its series
//! over time.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// One line of `stats.jsonl`: a fuzzing process's cumulative counts at one
/// interval. Fields a writer may not have had default to nothing.
#[derive(Debug, Clone, Deserialize)]
pub struct StatsRow {
    pub client: String,
    pub pid: u32,
    pub unix_secs: u64,
    pub elapsed_secs: f64,
    pub tests: u64,
    #[serde(default)]
    pub corpus: usize,
    #[serde(default)]
    pub objectives: usize,
    #[serde(default)]
    pub verdicts: BTreeMap<String, u64>,
    #[serde(default)]
    pub stored_findings: u64,
    #[serde(default)]
    pub validity_rate: f64,
    #[serde(default)]
    pub timeouts: u64,
    /// Tests per combination of judge outcomes
    /// (`lake:pass comparator:fail safeverify:pass`).
    #[serde(default)]
    pub verifiers: BTreeMap<String, u64>,
    #[serde(default)]
    pub last: bool,
    #[serde(default)]
    pub error: Option<String>,
    /// The client's tests across its processes (a process killed after
    /// its last line left its count to its successor), as the launcher's
    /// summary counts them.
    #[serde(default)]
    pub client_tests: u64,
}

/// The rows of a stats file, and a warning for each line that is not one.
#[derive(Debug, Default)]
pub struct StatsFile {
    pub rows: Vec<StatsRow>,
    pub warnings: Vec<String>,
}

/// Reads `path`; an unreadable file is an error naming it, a line that
/// does not read as a stats line (one cut short by a killed writer, say) a
/// warning naming the line.
pub fn read(path: &Path) -> anyhow::Result<StatsFile> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("cannot read statistics file {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut out = StatsFile::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<StatsRow>(line) {
            Ok(row) => out.rows.push(row),
            Err(e) => out.warnings.push(format!(
                "{}:{}: not a statistics line ({e}); skipped",
                path.display(),
                n + 1
            )),
        }
    }
    if out.rows.is_empty() {
        out.warnings.push(format!(
            "{} holds no statistics lines: the report has no rates or plots",
            path.display()
        ));
    }
    Ok(out)
}

/// One fuzzing process's rows, in order, with its start time.
#[derive(Debug)]
struct Process {
    client: String,
    /// Unix time the process started (seconds, fractional).
    start: f64,
    rows: Vec<StatsRow>,
}

impl Process {
    fn time(&self, row: &StatsRow) -> f64 {
        self.start + row.elapsed_secs
    }

    fn end(&self) -> f64 {
        self.rows.last().map_or(self.start, |r| self.time(r))
    }

    fn final_row(&self) -> &StatsRow {
        self.rows.last().expect("a process has at least one row")
    }

    /// A counter at time `t`, linear between rows, 0 at the start.
    fn interpolate(&self, t: f64, value: impl Fn(&StatsRow) -> f64) -> f64 {
        if t < self.start {
            return 0.0;
        }
        let (mut t0, mut v0) = (self.start, 0.0);
        for row in &self.rows {
            let (t1, v1) = (self.time(row), value(row));
            if t <= t1 {
                return if t1 > t0 {
                    v0 + (v1 - v0) * (t - t0) / (t1 - t0)
                } else {
                    v1
                };
            }
            (t0, v0) = (t1, v1);
        }
        v0
    }

    /// The last row at or before `t`.
    fn at(&self, t: f64) -> Option<&StatsRow> {
        self.rows.iter().rev().find(|r| self.time(r) <= t)
    }
}

/// The campaign as its stats file tells it.
#[derive(Debug, Default)]
pub struct Campaign {
    processes: Vec<Process>,
}

/// A campaign's totals: the sums of each process's final line.
#[derive(Debug, Default, PartialEq)]
pub struct Totals {
    pub clients: usize,
    pub processes: usize,
    pub first_unix: f64,
    pub last_unix: f64,
    /// Seconds in which at least one process ran.
    pub active_secs: f64,
    pub tests: u64,
    pub corpus: usize,
    pub objectives: usize,
    pub stored_findings: u64,
    pub timeouts: u64,
    /// The share of tests whose input came out as meant (each process's
    /// rate weighted by its tests).
    pub validity_rate: f64,
    pub verdicts: BTreeMap<String, u64>,
    pub verifiers: BTreeMap<String, u64>,
    /// Processes stopped by an error: client and error.
    pub errors: Vec<(String, String)>,
}

impl Totals {
    /// Tests per second of running time.
    pub fn tests_per_sec(&self) -> f64 {
        if self.active_secs > 0.0 {
            self.tests as f64 / self.active_secs
        } else {
            0.0
        }
    }
}

/// The campaign over time: seconds since its start, and per point the
/// tests per second in the interval before it, the corpus, and the
/// validity of the interval's tests and of all tests so far.
#[derive(Debug, Default)]
pub struct Series {
    pub secs: Vec<f64>,
    pub tests_per_sec: Vec<f64>,
    pub tests: Vec<f64>,
    pub corpus: Vec<f64>,
    pub validity_interval: Vec<Option<f64>>,
    pub validity_total: Vec<Option<f64>>,
}

/// How many points a series has at most.
const POINTS: usize = 60;

impl Campaign {
    /// Groups rows by process (client and pid).
    pub fn new(rows: &[StatsRow]) -> Self {
        let mut by_process: BTreeMap<(String, u32), Vec<StatsRow>> = BTreeMap::new();
        for r in rows {
            by_process
                .entry((r.client.clone(), r.pid))
                .or_default()
                .push(r.clone());
        }
        let processes = by_process
            .into_iter()
            .map(|((client, _), mut rows)| {
                rows.sort_by(|a, b| a.elapsed_secs.total_cmp(&b.elapsed_secs));
                // A line's Unix time is whole seconds, cut down: the
                // latest `unix - elapsed` is the closest start.
                let start = rows
                    .iter()
                    .map(|r| r.unix_secs as f64 - r.elapsed_secs)
                    .fold(f64::MIN, f64::max);
                Process {
                    client,
                    start,
                    rows,
                }
            })
            .collect();
        Campaign { processes }
    }

    pub fn is_empty(&self) -> bool {
        self.processes.is_empty()
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            processes: self.processes.len(),
            first_unix: self
                .processes
                .iter()
                .map(|p| p.start)
                .fold(f64::INFINITY, f64::min),
            last_unix: self
                .processes
                .iter()
                .map(Process::end)
                .fold(f64::NEG_INFINITY, f64::max),
            active_secs: self.active_secs(),
            ..Totals::default()
        };
        if self.processes.is_empty() {
            t.first_unix = 0.0;
            t.last_unix = 0.0;
        }
        let mut clients = std::collections::BTreeSet::new();
        let mut valid = 0.0;
        // Per client, as the launcher's summary: tests are its processes'
        // own summed, or the count a successor continued from when a
        // process was killed after its last line; objectives travel with a
        // restored state, so the largest process's count is the client's.
        let mut per_client: BTreeMap<&str, (u64, u64, usize)> = BTreeMap::new();
        for p in &self.processes {
            let r = p.final_row();
            let (sum, latest, objectives) = per_client.entry(p.client.as_str()).or_default();
            *sum += r.tests;
            *latest = (*latest).max(r.client_tests);
            *objectives = (*objectives).max(r.objectives);
        }
        t.tests = per_client.values().map(|(s, l, _)| *s.max(l)).sum();
        t.objectives = per_client.values().map(|(_, _, o)| o).sum();
        for p in &self.processes {
            clients.insert(p.client.as_str());
            let r = p.final_row();
            t.corpus = t.corpus.max(r.corpus);
            t.stored_findings += r.stored_findings;
            t.timeouts += r.timeouts;
            valid += r.validity_rate * r.tests as f64;
            for (k, v) in &r.verdicts {
                *t.verdicts.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &r.verifiers {
                *t.verifiers.entry(k.clone()).or_default() += v;
            }
            if let Some(e) = &r.error {
                t.errors.push((p.client.clone(), e.clone()));
            }
        }
        t.clients = clients.len();
        if t.tests > 0 {
            t.validity_rate = valid / t.tests as f64;
        }
        t
    }

    /// The length of the union of the processes' running intervals.
    fn active_secs(&self) -> f64 {
        let mut spans: Vec<(f64, f64)> =
            self.processes.iter().map(|p| (p.start, p.end())).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut total = 0.0;
        let mut current: Option<(f64, f64)> = None;
        for (s, e) in spans {
            current = match current {
                Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
                Some((cs, ce)) => {
                    total += ce - cs;
                    Some((s, e))
                }
                None => Some((s, e)),
            };
        }
        if let Some((cs, ce)) = current {
            total += ce - cs;
        }
        total
    }

    /// The campaign sampled at up to [`POINTS`] evenly spaced times; empty
    /// when it lasted no time.
    pub fn series(&self) -> Series {
        let totals = self.totals();
        let (t0, t1) = (totals.first_unix, totals.last_unix);
        let mut s = Series::default();
        if self.processes.is_empty() || t1 <= t0 {
            return s;
        }
        let n = POINTS.min(self.rows_in_longest_process().max(2));
        let step = (t1 - t0) / n as f64;
        let sum = |t: f64, value: &dyn Fn(&StatsRow) -> f64| -> f64 {
            self.processes.iter().map(|p| p.interpolate(t, value)).sum()
        };
        let tests_at = |t: f64| sum(t, &|r| r.tests as f64);
        let valid_at = |t: f64| sum(t, &|r| r.validity_rate * r.tests as f64);
        let (mut prev_tests, mut prev_valid) = (0.0, 0.0);
        for i in 1..=n {
            let t = t0 + step * i as f64;
            let (tests, valid) = (tests_at(t), valid_at(t));
            s.secs.push(t - t0);
            s.tests.push(tests);
            s.tests_per_sec.push((tests - prev_tests) / step);
            s.corpus.push(
                self.processes
                    .iter()
                    .filter_map(|p| p.at(t))
                    .map(|r| r.corpus as f64)
                    .fold(0.0, f64::max),
            );
            let dt = tests - prev_tests;
            s.validity_interval
                .push((dt > 1e-9).then(|| ((valid - prev_valid) / dt).clamp(0.0, 1.0)));
            s.validity_total
                .push((tests > 1e-9).then(|| (valid / tests).clamp(0.0, 1.0)));
            (prev_tests, prev_valid) = (tests, valid);
        }
        s
    }

    fn rows_in_longest_process(&self) -> usize {
        self.processes
            .iter()
            .map(|p| p.rows.len())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(client: &str, pid: u32, unix: u64, elapsed: f64, tests: u64) -> StatsRow {
        serde_json::from_value(serde_json::json!({
            "client": client, "pid": pid, "unix_secs": unix,
            "elapsed_secs": elapsed, "tests": tests, "corpus": tests / 2,
            "validity_rate": 0.5, "verdicts": {"rejected": tests},
        }))
        .unwrap()
    }

    #[test]
    fn totals_count_a_killed_processs_tests_and_objectives_once() {
        let mut killed = row("h/1/client-1", 2, 1020, 20.0, 30);
        killed.objectives = 2;
        // Killed at 45 tests after its last line (30); its successor went
        // on from 45 and carried the restored state's 2 objectives.
        let mut successor = row("h/1/client-1", 3, 1030, 5.0, 10);
        successor.client_tests = 55;
        successor.objectives = 2;
        let t = Campaign::new(&[killed, successor]).totals();
        assert_eq!(t.tests, 55);
        assert_eq!(t.objectives, 2);
    }

    #[test]
    fn totals_sum_each_process_final_line() {
        let rows = vec![
            row("h/1/client-0", 1, 1010, 10.0, 100),
            row("h/1/client-0", 1, 1020, 20.0, 200),
            row("h/1/client-1", 2, 1020, 20.0, 300),
            // The same client restarted: a new process counting from 0.
            row("h/1/client-1", 3, 1030, 5.0, 50),
        ];
        let t = Campaign::new(&rows).totals();
        assert_eq!(t.clients, 2);
        assert_eq!(t.processes, 3);
        assert_eq!(t.tests, 550);
        assert_eq!(t.corpus, 150);
        assert_eq!(t.verdicts["rejected"], 550);
        assert!((t.validity_rate - 0.5).abs() < 1e-9);
        assert_eq!(t.first_unix, 1000.0);
        assert_eq!(t.last_unix, 1030.0);
        // 1000..1020 and 1025..1030.
        assert!((t.active_secs - 25.0).abs() < 1e-9, "{}", t.active_secs);
        assert!((t.tests_per_sec() - 22.0).abs() < 1e-9);
    }

    #[test]
    fn the_series_rate_follows_the_tests() {
        // 10 tests/s for 10 s, then 30 tests/s for 10 s.
        let rows: Vec<StatsRow> = (1..=20)
            .map(|i| {
                let tests = if i <= 10 { 10 * i } else { 100 + 30 * (i - 10) };
                row("h/1/simple", 1, 1000 + i, i as f64, tests)
            })
            .collect();
        let s = Campaign::new(&rows).series();
        assert_eq!(s.secs.len(), 20);
        assert!(
            (s.tests_per_sec[0] - 10.0).abs() < 1e-6,
            "{:?}",
            s.tests_per_sec
        );
        assert!(
            (s.tests_per_sec[19] - 30.0).abs() < 1e-6,
            "{:?}",
            s.tests_per_sec
        );
        assert_eq!(*s.tests.last().unwrap(), 400.0);
        assert_eq!(*s.corpus.last().unwrap(), 200.0);
        assert_eq!(s.validity_total[19], Some(0.5));
    }

    #[test]
    fn one_line_has_totals_but_no_series() {
        let c = Campaign::new(&[row("h/1/simple", 1, 1000, 0.0, 0)]);
        assert_eq!(c.totals().tests, 0);
        assert!(c.series().secs.is_empty());
    }

    #[test]
    fn bad_lines_are_warnings_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("stats.jsonl");
        let good = serde_json::to_string(&serde_json::json!({
            "client": "c", "pid": 1, "unix_secs": 5, "elapsed_secs": 1.0, "tests": 3,
        }))
        .unwrap();
        std::fs::write(&f, format!("{good}\n\nnot json\n{{\"client\":\"c\"")).unwrap();
        let read = read(&f).unwrap();
        assert_eq!(read.rows.len(), 1);
        assert_eq!(read.warnings.len(), 2, "{:?}", read.warnings);
        assert!(
            read.warnings[0].contains("stats.jsonl:3:"),
            "{:?}",
            read.warnings
        );
        assert!(
            read.warnings[1].contains("stats.jsonl:4:"),
            "{:?}",
            read.warnings
        );
        assert!(super::read(&dir.path().join("none"))
            .unwrap_err()
            .to_string()
            .contains("none"));
    }
}

//! What the user watches: on a terminal an AFL-style screen redrawn every
//! second (run time, tests per second now and on average, corpus,
//! findings by verdict with the last path, validity, timeouts, one row per
//! LLMP client, the verifier table); when stdout is not a terminal, one
//! compact line per statistics interval and one line per new finding. It
//! replaces LibAFL's monitors, which print one or two lines per corpus
//! event and add up the clients' corpora (a shared entry counted once per
//! client). The screen is drawn from the clients' [`StatsLine`]s: the
//! simple mode hands its own, the LLMP broker reads the live files its
//! clients keep ([`write_live`]).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::resume::entry_files;
use super::stats::{sum_verifiers, verifier_table, StatsLine};
use crate::harness::Verdict;

/// How often the terminal screen is redrawn.
pub const SCREEN_EVERY: Duration = Duration::from_secs(1);

/// Findings listed on the screen.
const RECENT_FINDINGS: usize = 5;

/// The status output of one campaign.
pub struct StatusBoard {
    title: String,
    corpus_dir: PathBuf,
    started: Instant,
    tty: bool,
    /// Compact lines' interval (without a terminal).
    line_every: Duration,
    last_out: Option<Instant>,
    /// Tests at the previous output, for the rate "now".
    prev: Option<(Instant, u64)>,
    rate_now: f64,
    /// Each client's latest line.
    clients: BTreeMap<String, StatsLine>,
    /// The last line of each earlier process of a client (one restarted
    /// after a kill or a crash counts its own verdicts and findings anew).
    ended: Vec<StatsLine>,
    recent: Vec<String>,
    corpus_on_disk: usize,
    corpus_counted: Option<Instant>,
    /// Whether a new finding gets a line of its own without a terminal
    /// (LLMP's launcher: the clients' own announcements go to their logs).
    announce: bool,
}

impl StatusBoard {
    /// A board for the campaign `title` with its corpus in `corpus_dir`;
    /// a screen when stdout is a terminal, else a line every `line_every`.
    pub fn new(title: &str, corpus_dir: &Path, line_every: Duration) -> Self {
        StatusBoard {
            title: title.to_string(),
            corpus_dir: corpus_dir.to_path_buf(),
            started: Instant::now(),
            tty: std::io::stdout().is_terminal() && std::env::var_os("TERM").is_some(),
            line_every,
            last_out: None,
            prev: None,
            rate_now: 0.0,
            clients: BTreeMap::new(),
            ended: Vec::new(),
            recent: Vec::new(),
            corpus_on_disk: 0,
            corpus_counted: None,
            announce: true,
        }
    }

    /// No line per new finding: the process's own output already names
    /// every finding file (the simple mode's, on the same terminal).
    pub fn without_announcements(mut self) -> Self {
        self.announce = false;
        self
    }

    /// How often [`StatusBoard::tick`] wants fresh lines.
    pub fn every(&self) -> Duration {
        if self.tty {
            SCREEN_EVERY
        } else {
            self.line_every
        }
    }

    /// Takes a client's latest line; a new finding in it is listed (and
    /// printed at once without a terminal).
    pub fn update(&mut self, line: StatsLine) {
        let before = self
            .clients
            .get(&line.client)
            .and_then(|l| l.last_finding.clone());
        if let Some(f) = &line.last_finding {
            if before.as_ref() != Some(f) {
                let entry = format!("{}: {f}", short_client(&line.client));
                if !self.tty && self.announce {
                    println!("finding {entry}");
                }
                self.recent.push(entry);
                if self.recent.len() > RECENT_FINDINGS {
                    self.recent.remove(0);
                }
            }
        }
        if let Some(earlier) = self.clients.insert(line.client.clone(), line) {
            let latest = &self.clients[&earlier.client];
            if earlier.pid != latest.pid {
                self.ended.push(earlier);
            }
        }
    }

    /// Every process's latest line: the clients' own and their earlier
    /// processes' last ones.
    fn lines(&self) -> impl Iterator<Item = &StatsLine> {
        self.clients.values().chain(self.ended.iter())
    }

    /// Draws the screen or prints a line when it is time.
    pub fn tick(&mut self) {
        if self.last_out.is_some_and(|t| t.elapsed() < self.every()) {
            return;
        }
        self.show();
    }

    /// Draws the screen or prints a line now.
    pub fn show(&mut self) {
        let now = Instant::now();
        let tests = self.tests();
        if let Some((t, n)) = self.prev {
            let secs = now.duration_since(t).as_secs_f64();
            if secs > 0.0 {
                self.rate_now = tests.saturating_sub(n) as f64 / secs;
            }
        }
        self.prev = Some((now, tests));
        self.last_out = Some(now);
        // Listing the corpus costs a directory read: on a terminal every
        // few seconds, else at every line.
        if !self.tty
            || self
                .corpus_counted
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(5))
        {
            self.corpus_on_disk = entry_files(std::slice::from_ref(&self.corpus_dir)).len();
            self.corpus_counted = Some(now);
        }
        let mut out = std::io::stdout().lock();
        let text = if self.tty {
            // Home, draw, clear what is left of the previous screen.
            format!("\x1b[H\x1b[2J{}", self.screen().join("\n"))
        } else {
            self.line()
        };
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    /// Leaves the screen (the summary follows below it).
    pub fn finish(&mut self) {
        self.corpus_counted = None;
        if self.tty {
            self.show();
        }
    }

    fn tests(&self) -> u64 {
        self.clients.values().map(|l| self.client_tests(l)).sum()
    }

    /// A client's tests: its processes' own summed, or the count its
    /// latest process continued from (a killed one's after its last line).
    fn client_tests(&self, latest: &StatsLine) -> u64 {
        let earlier: u64 = self
            .ended
            .iter()
            .filter(|l| l.client == latest.client)
            .map(|l| l.tests)
            .sum();
        latest.client_tests.max(latest.tests + earlier)
    }

    fn sum(&self, f: impl Fn(&StatsLine) -> u64) -> u64 {
        self.lines().map(f).sum()
    }

    fn validity(&self) -> f64 {
        let tests = self.sum(|l| l.tests);
        if tests == 0 {
            return 0.0;
        }
        self.lines()
            .map(|l| l.validity_rate * l.tests as f64)
            .sum::<f64>()
            / tests as f64
    }

    /// Tests per finding verdict, most severe first.
    fn findings(&self) -> Vec<(String, u64)> {
        let mut by: BTreeMap<Verdict, u64> = BTreeMap::new();
        for l in self.lines() {
            for (v, n) in &l.verdicts {
                if let Some(v) = Verdict::parse(v).filter(|v| v.is_finding()) {
                    *by.entry(v).or_default() += n;
                }
            }
        }
        by.into_iter()
            .map(|(v, n)| (v.as_str().to_string(), n))
            .collect()
    }

    fn average(&self) -> f64 {
        let secs = self.started.elapsed().as_secs_f64();
        if secs > 0.0 {
            self.tests() as f64 / secs
        } else {
            0.0
        }
    }

    /// The compact line.
    pub fn line(&self) -> String {
        let findings: Vec<String> = self
            .findings()
            .iter()
            .map(|(v, n)| format!("{v} {n}"))
            .collect();
        format!(
            "[{}] tests {} ({:.1}/s now, {:.1}/s avg), corpus {}, findings {} stored{}, validity {:.1} %, timeouts {}, clients {}",
            clock(self.started.elapsed()),
            self.tests(),
            self.rate_now,
            self.average(),
            self.corpus_on_disk,
            self.sum(|l| l.stored_findings),
            if findings.is_empty() {
                String::new()
            } else {
                format!(" (tests: {})", findings.join(", "))
            },
            100.0 * self.validity(),
            self.sum(|l| l.timeouts),
            self.clients.len(),
        )
    }

    /// The screen's lines.
    pub fn screen(&self) -> Vec<String> {
        let tests = self.tests();
        let mut s = vec![
            format!("  leanfuzz: {}", self.title),
            String::new(),
            format!("        run time : {}", clock(self.started.elapsed())),
            format!(
                "           tests : {tests}  ({:.1}/s now, {:.1}/s average)",
                self.rate_now,
                self.average()
            ),
            format!(
                "          corpus : {} entries on disk{}",
                self.corpus_on_disk,
                if tests > 0 {
                    format!(
                        " (kept {:.0} % of tests)",
                        100.0 * self.corpus_on_disk as f64 / tests as f64
                    )
                } else {
                    String::new()
                }
            ),
            format!(
                "        findings : {} files stored",
                self.sum(|l| l.stored_findings)
            ),
        ];
        for (v, n) in self.findings() {
            s.push(format!("                   {v:<18} {n} tests"));
        }
        for f in &self.recent {
            s.push(format!("            last : {f}"));
        }
        s.push(format!(
            "        validity : {:.1} %      timeouts : {}",
            100.0 * self.validity(),
            self.sum(|l| l.timeouts)
        ));
        if self.clients.len() > 1 || self.clients.keys().any(|c| c.contains("client-")) {
            s.push(String::new());
            s.push("  client          pid      tests    tests/s  corpus  stored".into());
            for l in self.clients.values() {
                s.push(format!(
                    "  {:<12} {:>7} {:>10} {:>10.1} {:>7} {:>7}{}",
                    short_client(&l.client),
                    l.pid,
                    self.client_tests(l),
                    l.tests_per_sec,
                    l.corpus,
                    self.lines()
                        .filter(|e| e.client == l.client)
                        .map(|e| e.stored_findings)
                        .sum::<u64>(),
                    if l.last { "  done" } else { "" }
                ));
            }
        }
        let table = verifier_table(&sum_verifiers(self.lines()));
        if !table.is_empty() {
            s.push(String::new());
            s.push("  verifiers".into());
            s.extend(table.into_iter().map(|r| format!("    {r}")));
        }
        s
    }
}

/// `client-2` of `host/pid/client-2`.
fn short_client(client: &str) -> &str {
    client.rsplit('/').next().unwrap_or(client)
}

/// `1 h 02 m 03 s`.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{} h {:02} m {:02} s", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{} m {:02} s", s / 60, s % 60)
    }
}

/// Replaces the live file `path` with `line` (written aside and renamed,
/// so a reader never sees half of it).
pub fn write_live(path: &Path, line: &StatsLine) -> anyhow::Result<()> {
    let tmp = path.with_extension("status.tmp");
    let text = serde_json::to_vec(line)?;
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// The line in the live file `path`, if there is a whole one.
pub fn read_live(path: &Path) -> Option<StatsLine> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(client: &str, pid: u32, tests: u64, client_tests: u64, stored: u64) -> StatsLine {
        serde_json::from_value(serde_json::json!({
            "client": client, "pid": pid, "unix_secs": 0, "elapsed_secs": 1.0,
            "tests": tests, "tests_per_sec": 1.0, "corpus": 1, "objectives": 0,
            "verdicts": {"crash": stored}, "stored_findings": stored, "validity_rate": 1.0,
            "timeouts": 0, "executions": tests, "last": false, "error": null,
            "client_tests": client_tests,
        }))
        .unwrap()
    }

    #[test]
    fn a_restarted_client_adds_to_its_predecessors_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut board = StatusBoard::new("t", dir.path(), Duration::from_secs(1));
        board.update(line("h/1/client-1", 10, 20, 20, 3));
        board.update(line("h/1/client-1", 10, 30, 30, 4));
        // Killed at 35 tests; the successor goes on from there.
        board.update(line("h/1/client-1", 11, 5, 40, 1));
        board.update(line("h/1/client-2", 12, 7, 7, 0));
        assert_eq!(board.tests(), 47);
        assert_eq!(board.sum(|l| l.stored_findings), 5);
        assert_eq!(board.findings(), vec![("crash".to_string(), 5)]);
        let screen = board.screen().join("\n");
        assert!(screen.contains("client-1"), "{screen}");
        assert!(screen.contains("findings : 5 files stored"), "{screen}");
    }
}

//! The campaign report: a campaign through the stand-in toolchain ends with
//! `report.html` beside its `stats.jsonl`, whose numbers are the stats
//! file's and the store's, with its charts, and whose repro line
//! reproduces the finding; `main report` renders the same from a campaign's
//! directory, shows the verifier table when the stats lines carry one, and
//! names every bad input.

mod common;
use common::kernel_campaign::{self, Campaign, NANODA_REJECTS_BAD};
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn main_cmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_main"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    kernel_campaign::text(out)
}

/// HTML text back to plain text.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The report's repro lines, as words.
fn repro_lines(html: &str) -> Vec<Vec<String>> {
    html.split("<pre class=\"repro\">")
        .skip(1)
        .map(|rest| {
            unescape(rest.split("</pre>").next().unwrap())
                .split_whitespace()
                .map(String::from)
                .collect()
        })
        .collect()
}

/// The words after `--` of a `cargo +nightly run … --` line.
fn main_args(line: &[String]) -> Vec<&str> {
    assert_eq!(
        line[..7],
        [
            "cargo",
            "+nightly",
            "run",
            "--release",
            "--bin",
            "main",
            "--"
        ],
        "{line:?}"
    );
    line[7..].iter().map(String::as_str).collect()
}

/// The final stats line of the only process in `stats`.
fn last_stats(stats: &Path) -> Value {
    let text = std::fs::read_to_string(stats).unwrap();
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

fn row(key: &str, value: &str) -> String {
    format!("<tr><th>{key}</th><td>{value}</td></tr>")
}

#[test]
fn a_campaign_ends_with_a_report_of_its_stats_and_findings() {
    let sb = Sandbox::new(true);
    let crash_env = ("STANDIN_LEAN_CRASH_ON", "theorem");
    let out = sb
        .main(&[
            "--mode",
            "simple",
            "--max-tests",
            "16",
            "--depth",
            "5",
            "--seed",
            "3",
            "--stats-interval",
            "0.05",
            "--keep-per-signature",
            "3",
        ])
        .env(crash_env.0, crash_env.1)
        .env("STANDIN_LEAN_COST_MS", "30")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let dir = sb.dir.path();
    let report = dir.join("report.html");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("report: {}", report.display())),
        "{stdout}"
    );
    let html = std::fs::read_to_string(&report).unwrap();

    // The numbers are the stats file's.
    let last = last_stats(&dir.join("stats.jsonl"));
    assert_eq!(last["tests"], 16);
    assert!(html.contains(&row("tests", "16")), "{html}");
    assert!(html.contains(&row("objectives", &last["objectives"].to_string())));
    assert!(html.contains(&row(
        "corpus",
        &format!("{} entries (largest client)", last["corpus"])
    )));
    let crashes = last["verdicts"]["crash"].as_u64().unwrap();
    assert!(
        html.contains(&format!(
            "v-crash\">crash</span></td><td class=\"n\">{crashes}</td>"
        )),
        "{html}"
    );
    // Three charts drawn from the lines.
    assert_eq!(html.matches("<svg").count(), 3, "{html}");
    // Each chart draws its data (the axes are black).
    for color in ["#1F77B4", "#2CA02C", "#E67814"] {
        let drawn = format!("stroke=\"{color}\" stroke-width=\"2\" points=");
        assert!(html.contains(&drawn), "no line of {color}: {html}");
    }
    assert!(html.contains("Tests per second") && html.contains("seconds since start"));
    // The verifier table: the stats' own counts per combination of judge
    // outcomes, one row each.
    let verifiers = last["verifiers"].as_object().expect("verifier counts");
    assert!(!verifiers.is_empty());
    for (key, n) in verifiers {
        let row = format!("<tr><td><code>{key}</code></td><td class=\"n\">{n}</td>");
        assert!(html.contains(&row), "no row {row}: {html}");
    }

    // The findings are the store's: one group, its files, its smallest.
    let leans = files_with_ext(&dir.join("solutions/crash"), "lean");
    assert!(!leans.is_empty());
    let smallest = leans
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .min()
        .unwrap();
    let record: Value =
        serde_json::from_slice(&std::fs::read(leans[0].with_extension("json")).unwrap()).unwrap();
    let hash = record["signature_hash"].as_str().unwrap();
    // The store keeps 3 files per signature and counts the others.
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.join("solutions/index.json")).unwrap()).unwrap();
    let dropped = index["signatures"][0]["dropped"].as_u64().unwrap();
    assert_eq!(leans.len(), 3);
    assert!(dropped > 0, "{index}");
    assert!(
        html.contains(&format!(
            "<a href=\"#sig-{hash}\"><code>crash:lean:SIGSEGV</code></a></td><td class=\"n\">3 (+{dropped} not kept)</td>"
        )),
        "{html}"
    );
    assert!(html.contains(&format!("({smallest} bytes)")), "{html}");
    assert!(html.contains("build: exit 1"), "{html}");
    // Tool versions: the template's Lean and the stand-in lake's answer.
    assert!(html.contains("leanprover/lean4:"));
    assert!(html.contains("Lake version 5.0.0-standin"), "{html}");

    // The repro line runs the smallest file again, to the same crash.
    let lines = repro_lines(&html);
    assert_eq!(lines.len(), 1, "{html}");
    let args = main_args(&lines[0]);
    assert_eq!(args[0], "repro");
    assert_eq!(std::fs::metadata(args[1]).unwrap().len(), smallest);
    let mut args = args.clone();
    args.push("--json");
    let out = sb
        .main(&args)
        .env(crash_env.0, crash_env.1)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["signature"], "crash:lean:SIGSEGV");

    // `main report` renders the same campaign again; a line cut short is a
    // warning naming it, the other lines still count.
    let mut stats = std::fs::read_to_string(dir.join("stats.jsonl")).unwrap();
    let lines_before = stats.lines().count();
    stats.push_str("{\"client\":\"cut");
    std::fs::write(dir.join("stats.jsonl"), stats).unwrap();
    let again = dir.join("again.html");
    let out = main_cmd(&[
        "report",
        "--campaign",
        dir.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("stats.jsonl:{}:", lines_before + 1)),
        "{stderr}"
    );
    let html = std::fs::read_to_string(&again).unwrap();
    assert!(html.contains(&row("tests", "16")));
    assert!(html.contains(&format!("stats.jsonl:{}:", lines_before + 1)));
    assert_eq!(repro_lines(&html).len(), 1);
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

#[test]
fn a_kernel_campaign_report_reproduces_through_main_kernels() {
    let c = Campaign::new();
    let out = c.fuzz(20, &[], &[NANODA_REJECTS_BAD]);
    assert!(out.status.success(), "{}", text(&out));
    let html = std::fs::read_to_string(c.path("report.html")).unwrap();
    assert!(html.contains("disagreement:nanoda-rejects"), "{html}");
    // The kernels the campaign ran are named (the stand-in has no version
    // flag: its content's hash stands for it).
    assert!(html.contains(&c.path("nanoda").display().to_string()));
    assert!(html.contains("sha256 "));
    let lines = repro_lines(&html);
    let line = lines
        .iter()
        .find(|l| l[8].contains("/disagreement/"))
        .expect("a disagreement's repro line");
    let mut args = main_args(line);
    assert_eq!(args[0], "kernels");
    assert!(args[1].ends_with(".ndjson"));
    args.push("--json");
    let out = c.main(&args, &[NANODA_REJECTS_BAD]);
    assert!(out.status.success(), "{}", text(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["signature"], "disagreement:nanoda-rejects");
}

/// A stats line of process `pid` of `client`.
fn stats_line(
    client: &str,
    pid: u32,
    unix: u64,
    elapsed: f64,
    tests: u64,
    verifiers: Value,
) -> String {
    serde_json::json!({
        "client": client, "pid": pid, "unix_secs": unix, "elapsed_secs": elapsed,
        "tests": tests, "tests_per_sec": tests as f64 / elapsed, "corpus": 3,
        "objectives": 0, "verdicts": {"rejected": tests}, "stored_findings": 0,
        "validity_rate": 0.5, "timeouts": 0, "executions": tests, "last": false,
        "error": null, "verifiers": verifiers,
    })
    .to_string()
}

#[test]
fn the_verifier_table_sums_each_combination_over_the_processes() {
    let dir = tempfile::tempdir().unwrap();
    let stats = dir.path().join("stats.jsonl");
    let pass = "lake:pass comparator:pass safeverify:pass";
    let split = "lake:pass comparator:fail safeverify:pass";
    let lines = [
        stats_line(
            "h/1/client-0",
            10,
            1000,
            10.0,
            40,
            serde_json::json!({pass: 30, split: 10}),
        ),
        stats_line(
            "h/1/client-0",
            10,
            1010,
            20.0,
            80,
            serde_json::json!({pass: 60, split: 20}),
        ),
        stats_line(
            "h/1/client-1",
            11,
            1010,
            20.0,
            20,
            serde_json::json!({pass: 20, "odd:<x>": 0}),
        ),
    ];
    std::fs::write(&stats, lines.join("\n") + "\n").unwrap();
    let out_file = dir.path().join("r.html");
    let out = main_cmd(&[
        "report",
        "--stats",
        stats.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let html = std::fs::read_to_string(&out_file).unwrap();
    // Each process's final counts: 60 + 20 and 20, of 100 judged tests.
    assert!(
        html.contains(&format!(
        "<tr><td><code>{pass}</code></td><td class=\"n\">80</td><td class=\"n\">80.0 %</td></tr>"
    )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<tr><td><code>{split}</code></td><td class=\"n\">20</td><td class=\"n\">20.0 %</td></tr>"
    )));
    assert!(!html.contains("No judges recorded"));
    // Text from the files is escaped.
    assert!(html.contains("<code>odd:&lt;x&gt;</code>") && !html.contains("<x>"));
    assert!(html.contains(&row("tests", "100")));
    assert!(html.contains(&row("clients", "2 (2 process(es))")));
    // No store beside the stats file: said so, not an error.
    assert!(html.contains("No findings: the store"), "{html}");

    // A store holding only a file without our metadata lists it.
    let store = dir.path().join("solutions/unclassified");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::write(store.join("old.lean"), "theorem x : False := sorry\n").unwrap();
    let out = main_cmd(&[
        "report",
        "--stats",
        stats.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let html = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        html.contains("0 file(s) in 0 signature(s), 1 unclassified"),
        "{html}"
    );
    assert!(
        html.contains(
            "unclassified/old.lean</code></td><td>no-metadata</td><td class=\"n\">27</td>"
        ),
        "{html}"
    );
}

/// Asserts a one-line error on stderr naming `needle`.
fn one_line_error(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "expected failure: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains(needle),
        "{needle:?}: {err}"
    );
}

#[test]
fn bad_report_inputs_are_one_clear_line_and_an_empty_stats_file_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = |s: &str| -> PathBuf { dir.path().join(s) };
    let missing = p("nothing/stats.jsonl");
    one_line_error(
        &main_cmd(&["report", "--stats", missing.to_str().unwrap()]),
        missing.to_str().unwrap(),
    );
    one_line_error(
        &main_cmd(&["report", "--campaign", p("no-campaign").to_str().unwrap()]),
        "no-campaign",
    );
    std::fs::write(p("stats.jsonl"), "").unwrap();
    let stats = p("stats.jsonl");
    one_line_error(
        &main_cmd(&[
            "report",
            "--stats",
            stats.to_str().unwrap(),
            "--solutions",
            p("no-store").to_str().unwrap(),
        ]),
        "no-store",
    );
    let unwritable = p("no-dir/r.html");
    one_line_error(
        &main_cmd(&[
            "report",
            "--stats",
            stats.to_str().unwrap(),
            "--out",
            unwritable.to_str().unwrap(),
        ]),
        unwritable.to_str().unwrap(),
    );
    // An empty stats file still gives a report, with a warning naming it.
    let out = main_cmd(&["report", "--stats", stats.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "warning: {} holds no statistics lines",
            stats.display()
        )),
        "{stderr}"
    );
    let html = std::fs::read_to_string(p("report.html")).unwrap();
    assert!(html.contains(&row("statistics", "none recorded")));
    assert!(html.contains("Too few statistics lines to plot"));
}

#[test]
fn the_llmp_launcher_writes_the_report_of_its_clients() {
    let sb = Sandbox::new(true);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let out = sb
        .main(&[
            "--cores",
            "0",
            "--broker-port",
            &port,
            "--max-tests",
            "6",
            "--depth",
            "4",
            "--stats-interval",
            "0.05",
        ])
        .env("STANDIN_LEAN_CRASH_ON", "theorem")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let report = sb.dir.path().join("report.html");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Once, by the launcher (not by the client it forked).
    assert_eq!(
        stdout
            .matches(&format!("report: {}", report.display()))
            .count(),
        1,
        "{stdout}"
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains(&row("tests", "6")), "{html}");
    assert!(html.contains("<code>crash:lean:SIGSEGV</code>"));
    assert!(sb.work_leftovers().is_empty(), "{:?}", sb.work_leftovers());
}

//! The report as one self-contained HTML page: styles inline, charts as
//! inline SVG, no script and no external asset, so the file can be mailed,
//! attached to an issue or opened offline.

use std::fmt::Write;

use super::findings::{FindingGroup, Findings};
use super::plot::{self, Chart, Line};
use super::stats::{Campaign, Totals};
use super::tools::ToolRow;

/// Everything the page shows.
pub struct Page<'a> {
    pub stats_path: &'a str,
    pub written_unix: u64,
    pub campaign: &'a Campaign,
    pub findings: &'a Findings,
    pub tools: &'a [ToolRow],
    pub warnings: &'a [String],
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.meta{color:#666}.warn{background:#fff4e0;border:1px solid #e0b060;padding:.5rem 1rem}
.finding{border:1px solid #ddd;border-radius:4px;padding:.2rem 1rem;margin:1rem 0}
.v{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;background:#777;font-size:.9em}
.v-soundness,.v-unexpected-accept{background:#b00020}.v-disagreement,.v-metamorphic,.v-unexpected-reject{background:#c05000}.v-crash{background:#7030a0}.v-timeout{background:#406080}
td code{word-break:break-all}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}";

/// The page's HTML.
pub fn render(page: &Page) -> anyhow::Result<String> {
    let totals = page.campaign.totals();
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<title>leanfuzz campaign report</title>\n<style>\n");
    h.push_str(STYLE);
    h.push_str("\n</style>\n</head>\n<body>\n<h1>leanfuzz campaign report</h1>\n");
    let _ = writeln!(
        h,
        "<p class=\"meta\">Written {} from <code>{}</code> and the findings store <code>{}</code>.</p>",
        utc(page.written_unix as f64),
        esc(page.stats_path),
        esc(&page.findings.root.display().to_string())
    );
    if !page.warnings.is_empty() {
        h.push_str("<div class=\"warn\" id=\"warnings\"><strong>Warnings</strong><ul>\n");
        for w in page.warnings {
            let _ = writeln!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul></div>\n");
    }
    summary(&mut h, &totals, page.findings);
    plots(&mut h, page.campaign)?;
    verdicts(&mut h, &totals);
    verifiers(&mut h, &totals);
    findings(&mut h, page.findings);
    tools(&mut h, page.tools);
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

fn summary(h: &mut String, t: &Totals, f: &Findings) {
    h.push_str("<h2 id=\"summary\">Summary</h2>\n<table>\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), v);
    };
    if t.processes == 0 {
        row("statistics", "none recorded".into());
    } else {
        row(
            "time",
            format!(
                "{} to {} ({} running)",
                utc(t.first_unix),
                utc(t.last_unix),
                duration(t.active_secs)
            ),
        );
        row(
            "clients",
            format!("{} ({} process(es))", t.clients, t.processes),
        );
        row("tests", t.tests.to_string());
        row("tests per second", format!("{:.2}", t.tests_per_sec()));
        row("corpus", format!("{} entries (largest client)", t.corpus));
        row("objectives", t.objectives.to_string());
        row(
            "validity",
            format!(
                "{:.1} % (share of tests whose input came out as meant)",
                100.0 * t.validity_rate
            ),
        );
        row("timeouts", t.timeouts.to_string());
        row(
            "findings stored by the campaign",
            t.stored_findings.to_string(),
        );
    }
    row(
        "findings in the store",
        format!(
            "{} file(s) in {} signature(s), {} unclassified",
            f.files(),
            f.groups.len(),
            f.unclassified.len()
        ),
    );
    for (client, error) in &t.errors {
        row(
            "stopped by an error",
            format!("{}: {}", esc(client), esc(error)),
        );
    }
    h.push_str("</table>\n");
}

fn plots(h: &mut String, campaign: &Campaign) -> anyhow::Result<()> {
    h.push_str("<h2 id=\"plots\">Over time</h2>\n");
    let s = campaign.series();
    if s.secs.is_empty() {
        h.push_str("<p>Too few statistics lines to plot (a campaign needs lines at two or more times; see <code>--stats-interval</code>).</p>\n");
        return Ok(());
    }
    let pts = |v: &[f64]| -> Vec<(f64, Option<f64>)> {
        s.secs.iter().zip(v).map(|(x, y)| (*x, Some(*y))).collect()
    };
    let pct = |v: &[Option<f64>]| -> Vec<(f64, Option<f64>)> {
        s.secs
            .iter()
            .zip(v)
            .map(|(x, y)| (*x, y.map(|y| 100.0 * y)))
            .collect()
    };
    let charts = [
        (
            Chart {
                title: "Tests per second",
                y_label: "tests/s",
                y_max: None,
                lines: vec![Line {
                    label: "all clients",
                    color: plot::BLUE,
                    points: pts(&s.tests_per_sec),
                }],
            },
            "Tests per second over the interval before each point, summed over the clients.",
        ),
        (
            Chart {
                title: "Corpus",
                y_label: "entries",
                y_max: None,
                lines: vec![Line {
                    label: "corpus (largest client)",
                    color: plot::GREEN,
                    points: pts(&s.corpus),
                }],
            },
            "Corpus entries of the client holding the most (LLMP clients share their entries).",
        ),
        (
            Chart {
                title: "Validity",
                y_label: "% of tests",
                y_max: Some(100.0),
                lines: vec![
                    Line {
                        label: "in the interval",
                        color: plot::ORANGE,
                        points: pct(&s.validity_interval),
                    },
                    Line {
                        label: "all tests so far",
                        color: plot::BLUE,
                        points: pct(&s.validity_total),
                    },
                ],
            },
            "Share of tests whose input came out as meant: for Lean programs, reached comparator's kernels; for kernel environments, answered as labelled.",
        ),
    ];
    for (chart, caption) in &charts {
        let legend: Vec<String> = chart
            .lines
            .iter()
            .map(|l| {
                format!(
                    "<span style=\"color:{}\">&#9632;</span> {}",
                    plot::css(l.color),
                    esc(l.label)
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<figure>\n{}\n<figcaption>{}. {}</figcaption>\n</figure>",
            plot::svg(chart)?,
            legend.join(", "),
            esc(caption)
        );
    }
    Ok(())
}

fn verdicts(h: &mut String, t: &Totals) {
    h.push_str("<h2 id=\"verdicts\">Verdicts</h2>\n");
    if t.verdicts.is_empty() {
        h.push_str("<p>No tests recorded.</p>\n");
        return;
    }
    h.push_str("<table>\n<tr><th>verdict</th><th>tests</th><th>share</th></tr>\n");
    let mut rows: Vec<_> = t.verdicts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (verdict, n) in rows {
        let _ = writeln!(
            h,
            "<tr><td><span class=\"v v-{0}\">{0}</span></td><td class=\"n\">{1}</td><td class=\"n\">{2}</td></tr>",
            esc(verdict),
            n,
            share(*n, t.tests)
        );
    }
    h.push_str("</table>\n");
}

fn verifiers(h: &mut String, t: &Totals) {
    h.push_str("<h2 id=\"verifiers\">Verifiers</h2>\n");
    if t.verifiers.is_empty() {
        h.push_str("<p>No judges recorded: the statistics lines carry no <code>verifiers</code> counts.</p>\n");
        return;
    }
    let judged: u64 = t.verifiers.values().sum();
    h.push_str("<p>Tests per combination of judge outcomes.</p>\n<table>\n<tr><th>outcomes</th><th>tests</th><th>share</th></tr>\n");
    let mut rows: Vec<_> = t.verifiers.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (combination, n) in rows {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(combination),
            n,
            share(*n, judged)
        );
    }
    h.push_str("</table>\n");
}

fn findings(h: &mut String, f: &Findings) {
    h.push_str("<h2 id=\"findings\">Findings</h2>\n");
    if !f.exists {
        let _ = writeln!(
            h,
            "<p>No findings: the store <code>{}</code> does not exist (it is made at the first finding).</p>",
            esc(&f.root.display().to_string())
        );
    } else if f.groups.is_empty() {
        h.push_str("<p>No findings in the store.</p>\n");
    }
    if !f.groups.is_empty() {
        h.push_str("<table>\n<tr><th>verdict</th><th>signature</th><th>files</th><th>first seen</th><th>last seen</th></tr>\n");
        for g in &f.groups {
            let _ = writeln!(
                h,
                "<tr><td><span class=\"v v-{0}\">{0}</span></td><td><a href=\"#sig-{1}\"><code>{2}</code></a></td><td class=\"n\">{3}</td><td>{4}</td><td>{5}</td></tr>",
                esc(&g.verdict),
                esc(&g.signature_hash),
                esc(&g.signature),
                files(g),
                seen(g.first_seen_unix),
                seen(g.last_seen_unix)
            );
        }
        h.push_str("</table>\n");
    }
    for g in &f.groups {
        let _ = writeln!(
            h,
            "<section class=\"finding\" id=\"sig-{}\">\n<h3><span class=\"v v-{}\">{}</span> <code>{}</code></h3>",
            esc(&g.signature_hash),
            esc(&g.verdict),
            esc(&g.verdict),
            esc(&g.signature)
        );
        h.push_str("<table>\n");
        let _ = writeln!(
            h,
            "<tr><th>signature hash</th><td><code>{}</code></td></tr>",
            esc(&g.signature_hash)
        );
        let _ = writeln!(h, "<tr><th>files</th><td>{}</td></tr>", files(g));
        let _ = writeln!(
            h,
            "<tr><th>first seen</th><td>{}</td></tr>\n<tr><th>last seen</th><td>{}</td></tr>",
            seen(g.first_seen_unix),
            seen(g.last_seen_unix)
        );
        let _ = writeln!(
            h,
            "<tr><th>smallest</th><td><code>{}</code> ({} bytes)</td></tr>",
            esc(&g.smallest.display().to_string()),
            g.smallest_bytes
        );
        if !g.stages.is_empty() {
            let _ = writeln!(
                h,
                "<tr><th>stages</th><td>{}</td></tr>",
                g.stages
                    .iter()
                    .map(|s| esc(s))
                    .collect::<Vec<_>>()
                    .join("<br>")
            );
        }
        h.push_str("</table>\n<p>Reproduce:</p>\n");
        let _ = writeln!(
            h,
            "<pre class=\"repro\">{}</pre>\n</section>",
            esc(&g.repro)
        );
    }
    if !f.unclassified.is_empty() {
        h.push_str("<h3>Unclassified</h3>\n<p>Files without a verdict of ours yet (<code>main repro --save FILE</code> classifies one).</p>\n<table>\n<tr><th>file</th><th>origin</th><th>bytes</th></tr>\n");
        for u in &f.unclassified {
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&u.file.display().to_string()),
                esc(&u.origin),
                u.bytes
            );
        }
        h.push_str("</table>\n");
    }
}

/// A group's files, and those the store's cap did not keep.
fn files(g: &FindingGroup) -> String {
    if g.dropped == 0 {
        g.count.to_string()
    } else {
        format!("{} (+{} not kept)", g.count, g.dropped)
    }
}

fn tools(h: &mut String, rows: &[ToolRow]) {
    h.push_str("<h2 id=\"tools\">Tools</h2>\n<table>\n<tr><th>tool</th><th>version</th><th>path</th><th>from</th></tr>\n");
    for r in rows {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&r.name),
            esc(&r.version),
            esc(&r.path),
            esc(&r.source)
        );
    }
    h.push_str(
        "</table>\n<p class=\"meta\">Versions are asked for when the report is written.</p>\n",
    );
}

/// `text` safe inside HTML elements and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn share(n: u64, of: u64) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1} %", 100.0 * n as f64 / of as f64)
    }
}

fn seen(unix: Option<u64>) -> String {
    unix.map_or_else(|| "unknown".into(), |t| utc(t as f64))
}

/// A Unix time as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn utc(unix: f64) -> String {
    let secs = unix.max(0.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Seconds as `2 h 05 min`, `3 min 20 s` or `4.2 s`.
pub fn duration(secs: f64) -> String {
    let whole = secs.round() as u64;
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else if whole < 3600 {
        format!("{} min {:02} s", whole / 60, whole % 60)
    } else {
        format!("{} h {:02} min", whole / 3600, whole % 3600 / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_durations_read_as_people_write_them() {
        assert_eq!(utc(0.0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400.0), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_796_051_561.9), "2026-11-30 15:12:41 UTC");
        assert_eq!(duration(4.23), "4.2 s");
        assert_eq!(duration(200.0), "3 min 20 s");
        assert_eq!(duration(7500.0), "2 h 05 min");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}

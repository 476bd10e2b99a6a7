//! Line charts of a campaign over time, drawn with `plotters` into SVG
//! text that the HTML report embeds as it is.

use plotters::prelude::*;

/// One line of a chart.
pub struct Line<'a> {
    pub label: &'a str,
    pub color: RGBColor,
    /// (seconds since the campaign's start, value); `None` breaks the line.
    pub points: Vec<(f64, Option<f64>)>,
}

/// A chart's text and scale.
pub struct Chart<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    /// The y axis's upper end; `None` to fit the data.
    pub y_max: Option<f64>,
    pub lines: Vec<Line<'a>>,
}

/// A colour as CSS writes it.
pub fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The report's palette.
pub const BLUE: RGBColor = RGBColor(31, 119, 180);
pub const ORANGE: RGBColor = RGBColor(230, 120, 20);
pub const GREEN: RGBColor = RGBColor(44, 160, 44);

const SIZE: (u32, u32) = (760, 300);

/// The unit the time axis counts in, for a campaign of `secs` seconds.
fn time_unit(secs: f64) -> (f64, &'static str) {
    if secs <= 180.0 {
        (1.0, "seconds since start")
    } else if secs <= 3.0 * 3600.0 {
        (60.0, "minutes since start")
    } else {
        (3600.0, "hours since start")
    }
}

/// An axis label: whole numbers without a fraction.
fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else if v.abs() < 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

/// The chart as one `<svg>` element, without a legend: the page shows
/// each line's colour in the caption, where it never hides a line.
pub fn svg(chart: &Chart) -> anyhow::Result<String> {
    let x_end = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .fold(0.0, f64::max);
    let (unit, x_label) = time_unit(x_end);
    let y_data = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().filter_map(|p| p.1))
        .fold(0.0, f64::max);
    let y_max = chart
        .y_max
        .unwrap_or(if y_data > 0.0 { y_data * 1.15 } else { 1.0 });
    let x_max = if x_end > 0.0 { x_end / unit } else { 1.0 };
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot draw {}: {e}", chart.title);
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut c = ChartBuilder::on(&root)
            .caption(chart.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .map_err(|e| fail(&e))?;
        c.configure_mesh()
            .x_desc(x_label)
            .y_desc(chart.y_label)
            .light_line_style(RGBColor(245, 245, 245))
            .y_label_formatter(&|v| number(*v))
            .x_label_formatter(&|v| number(*v))
            .draw()
            .map_err(|e| fail(&e))?;
        for line in &chart.lines {
            let color = line.color;
            // Each unbroken run of points is one path.
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for &(x, y) in &line.points {
                match y {
                    Some(y) => runs.last_mut().expect("one run").push((x / unit, y)),
                    None => runs.push(Vec::new()),
                }
            }
            for run in runs {
                match run.as_slice() {
                    [] => {}
                    // A lone point draws no line: a dot shows it.
                    [p] => {
                        c.draw_series(std::iter::once(Circle::new(*p, 3, color.filled())))
                            .map_err(|e| fail(&e))?;
                    }
                    _ => {
                        c.draw_series(LineSeries::new(run, color.stroke_width(2)))
                            .map_err(|e| fail(&e))?;
                    }
                }
            }
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_one_svg_element_with_its_title_and_lines() {
        let svg = svg(&Chart {
            title: "Tests per second",
            y_label: "tests/s",
            y_max: None,
            lines: vec![Line {
                label: "all clients",
                color: BLUE,
                points: vec![
                    (1.0, Some(2.0)),
                    (2.0, Some(3.0)),
                    (3.0, None),
                    (4.0, Some(4.0)),
                ],
            }],
        })
        .unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("Tests per second"));
        assert!(svg.contains("seconds since start"));
        // The gap breaks the line: a line, then a lone point as a dot.
        let line = format!("stroke=\"{}\"", css(BLUE).to_uppercase());
        let dot = line.replace("stroke", "fill");
        let lines = svg
            .lines()
            .filter(|l| l.starts_with("<polyline") && l.contains(&line));
        assert_eq!(lines.count(), 1, "{svg}");
        let dots = svg
            .lines()
            .filter(|l| l.starts_with("<circle") && l.contains(&dot));
        assert_eq!(dots.count(), 1, "{svg}");
    }
}

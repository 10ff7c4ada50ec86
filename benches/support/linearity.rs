//! Lint time against file size: the trend, the specs far above it, and a scatter plot (SVG,
//! written by hand: log-log axes, one dot per spec, the trend as a line).

use std::fmt::Write as _;

/// One spec: its size and what linting it took.
pub struct Point {
    pub name: String,
    pub bytes: u64,
    pub ms: f64,
}

/// The trend of lint time in size: `ms = fixed + per_mb * MB`, fitted by least squares (the
/// fixed cost kept at or above zero), plus two simpler summaries of the same data.
pub struct Trend {
    pub fixed_ms: f64,
    pub per_mb: f64,
    /// Least squares through the origin (the largest specs decide it).
    pub origin_per_mb: f64,
    /// The median of each spec's ms per MB (small specs decide it: it includes the fixed cost).
    pub median_per_mb: f64,
    /// The slope of log time against log size: 1 when time grows in proportion to size, more
    /// when it grows faster.
    pub exponent: f64,
}

impl Trend {
    pub fn at(&self, bytes: u64) -> f64 {
        self.fixed_ms + self.per_mb * mb(bytes)
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

pub fn fit(points: &[Point]) -> Trend {
    let n = points.len().max(1) as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), p| (sx + mb(p.bytes), sy + p.ms));
    let (mx, my) = (sx / n, sy / n);
    let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(sxy, sxx), p| {
        let dx = mb(p.bytes) - mx;
        (sxy + dx * (p.ms - my), sxx + dx * dx)
    });
    let origin_per_mb = {
        let (xy, xx) = points.iter().fold((0.0, 0.0), |(xy, xx), p| {
            (xy + mb(p.bytes) * p.ms, xx + mb(p.bytes) * mb(p.bytes))
        });
        if xx > 0.0 { xy / xx } else { 0.0 }
    };
    let mut slope = if sxx > 0.0 { sxy / sxx } else { origin_per_mb };
    let mut fixed = my - slope * mx;
    if fixed < 0.0 {
        fixed = 0.0;
        slope = origin_per_mb;
    }
    let mut ratios: Vec<f64> = points
        .iter()
        .filter(|p| p.bytes > 0)
        .map(|p| p.ms / mb(p.bytes))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.bytes > 0 && p.ms > 0.0)
        .map(|p| (mb(p.bytes).ln(), p.ms.ln()))
        .collect();
    let ln = logs.len().max(1) as f64;
    let (lmx, lmy) = logs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / ln, b + y / ln));
    let (lxy, lxx) = logs.iter().fold((0.0, 0.0), |(xy, xx), (x, y)| {
        (xy + (x - lmx) * (y - lmy), xx + (x - lmx) * (x - lmx))
    });
    Trend {
        exponent: if lxx > 0.0 { lxy / lxx } else { 0.0 },
        fixed_ms: fixed,
        per_mb: slope,
        origin_per_mb,
        median_per_mb: ratios.get(ratios.len() / 2).copied().unwrap_or(0.0),
    }
}

/// The specs that took more than `factor` times the trend, slowest (relative to it) first.
pub fn outliers<'a>(points: &'a [Point], trend: &Trend, factor: f64) -> Vec<&'a Point> {
    let mut out: Vec<&Point> = points
        .iter()
        .filter(|p| p.ms > factor * trend.at(p.bytes))
        .collect();
    out.sort_by(|a, b| (b.ms / trend.at(b.bytes)).total_cmp(&(a.ms / trend.at(a.bytes))));
    out
}

/// A log-log scatter of the points with the trend line; outliers in red.
pub fn svg(points: &[Point], trend: &Trend, factor: f64, title: &str) -> String {
    const W: f64 = 900.0;
    const H: f64 = 560.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 50.0;
    let positive = |v: f64| v.max(1e-6);
    let lx: Vec<f64> = points
        .iter()
        .map(|p| positive(mb(p.bytes)).log10())
        .collect();
    let ly: Vec<f64> = points.iter().map(|p| positive(p.ms).log10()).collect();
    let lo = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min).floor();
    let hi = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max).ceil();
    let (x0, x1) = (lo(&lx).min(-3.0), hi(&lx).max(1.0));
    let (y0, y1) = (lo(&ly).min(-1.0), hi(&ly).max(2.0));
    let sx = |l: f64| LEFT + (l - x0) / (x1 - x0) * (W - LEFT - RIGHT);
    let sy = |l: f64| H - BOTTOM - (l - y0) / (y1 - y0) * (H - TOP - BOTTOM);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{}</text>"#,
        W / 2.0,
        escape(title)
    );
    // Decade grid and labels.
    for d in (x0 as i32)..=(x1 as i32) {
        let x = sx(d as f64);
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            H - BOTTOM,
            H - BOTTOM + 16.0,
            size_label(d)
        );
    }
    for d in (y0 as i32)..=(y1 as i32) {
        let y = sy(d as f64);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            time_label(d)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">file size</text>"#,
        (LEFT + W - RIGHT) / 2.0,
        H - 12.0
    );
    let _ = writeln!(
        s,
        r#"<text x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">lint time</text>"#,
        (TOP + H - BOTTOM) / 2.0,
        (TOP + H - BOTTOM) / 2.0
    );
    // The trend and `factor` times it, sampled along the x axis.
    for (k, colour, dash) in [(1.0, "#1f6feb", ""), (factor, "#d1242f", "6 4")] {
        let mut path = String::new();
        let steps = 200;
        for i in 0..=steps {
            let l = x0 + (x1 - x0) * i as f64 / steps as f64;
            let v = k * (trend.fixed_ms + trend.per_mb * 10f64.powf(l));
            let y = sy(positive(v).log10()).clamp(TOP, H - BOTTOM);
            let _ = write!(
                path,
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { " L" },
                sx(l),
                y
            );
        }
        let _ = writeln!(
            s,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>"#
        );
    }
    for (i, p) in points.iter().enumerate() {
        let out = p.ms > factor * trend.at(p.bytes);
        let _ = writeln!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{}" fill="{}" fill-opacity="0.6"><title>{} ({:.2} MB, {:.2} ms)</title></circle>"##,
            sx(lx[i]),
            sy(ly[i]),
            if out { 3.5 } else { 2.0 },
            if out { "#d1242f" } else { "#444" },
            escape(&p.name),
            mb(p.bytes),
            p.ms
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" fill="#1f6feb">trend: {:.2} ms + {:.1} ms/MB</text><text x="{:.1}" y="{:.1}" fill="#d1242f">dashed: {factor}× the trend; time grows as size^{:.2}</text>"##,
        LEFT + 10.0,
        TOP + 16.0,
        trend.fixed_ms,
        trend.per_mb,
        LEFT + 10.0,
        TOP + 32.0,
        trend.exponent
    );
    s.push_str("</svg>\n");
    s
}

fn size_label(decade: i32) -> String {
    match decade {
        d if d < -3 => format!("{} B", 10f64.powi(d + 6)),
        d if d < 0 => format!("{} KB", 10f64.powi(d + 3)),
        d => format!("{} MB", 10f64.powi(d)),
    }
}

fn time_label(decade: i32) -> String {
    match decade {
        d if d < 0 => format!("{} µs", 10f64.powi(d + 3)),
        d if d < 3 => format!("{} ms", 10f64.powi(d)),
        d => format!("{} s", 10f64.powi(d - 3)),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

//! Real specs in every output format: no panic, output bounded per finding, and every file either
//! has findings or is reported clean.
//!
//! Needs the real-world corpus (never committed): `../shared/corpus/fetch.sh DIR`, then
//! `RAMPART_CORPUS=DIR cargo test --test sweep`. CI fetches it and sweeps a sample of about 100
//! specs; `RAMPART_SWEEP=all` sweeps the whole corpus (use `--release`).

use std::path::{Path, PathBuf};

use rampart::output::{self, RenderOptions};
use rampart::{LintRequest, Report};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("RAMPART_CORPUS")?);
    dir.join("all").is_dir().then_some(dir)
}

/// Specs larger than this are left out of the sample (the big ones have their own benchmark).
const SAMPLE_MAX_BYTES: u64 = 2 * 1024 * 1024;
/// About this many specs in the sample, spread evenly over the sorted corpus.
const SAMPLE_SIZE: usize = 100;
/// Output per finding, at most, in bytes: the human format shows a window of long lines; JSON
/// lists up to 50 related locations per finding, each with its pointer.
const MAX_BYTES_PER_FINDING: usize = 4096;
const MAX_JSON_BYTES_PER_FINDING: usize = 48 * 1024;

fn sample(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir.join("all"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    all.sort();
    if std::env::var("RAMPART_SWEEP").as_deref() == Ok("all") {
        return all;
    }
    let small: Vec<PathBuf> = all
        .into_iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= SAMPLE_MAX_BYTES))
        .collect();
    let step = (small.len() / SAMPLE_SIZE).max(1);
    small.into_iter().step_by(step).collect()
}

fn render(report: &Report, format: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let opts = RenderOptions::default();
    let written = match format {
        "human" => output::human::render(report, &mut out, &opts),
        "concise" => output::concise::render(report, &mut out, &opts),
        "sarif" => output::sarif::render(report, &mut out, &opts),
        "github" => output::github::render(report, &mut out, &opts),
        "lsp" => output::lsp::render(report, &mut out, &opts),
        "junit" => output::junit::render(report, &mut out, &opts),
        _ => output::json::render(report, &mut out, &opts),
    };
    written.expect("rendering to memory cannot fail");
    out
}

#[test]
fn real_specs_render_in_every_format() {
    let Some(dir) = corpus() else {
        eprintln!("RAMPART_CORPUS is not set: the sweep over real specs is skipped");
        return;
    };
    let specs = sample(&dir);
    assert!(!specs.is_empty(), "no specs under {}", dir.display());
    let mut problems = Vec::new();
    const FORMATS: [&str; 7] = [
        "human", "concise", "json", "sarif", "github", "lsp", "junit",
    ];
    let (mut findings, mut clean, mut bytes) = (0usize, 0usize, [0usize; 7]);
    for path in &specs {
        let shown = path.display().to_string();
        let report = rampart::lint(&LintRequest {
            paths: vec![shown.clone()],
            ..LintRequest::default()
        });
        if report.documents() != 1 {
            problems.push(format!("{shown}: {} documents linted", report.documents()));
        }
        if report.diagnostics.is_empty() {
            clean += 1;
        }
        findings += report.diagnostics.len();
        for (i, format) in FORMATS.into_iter().enumerate() {
            let out = render(&report, format);
            bytes[i] += out.len();
            // A fixed allowance for the summary, then a bounded amount per finding.
            // JSON-like formats list up to 50 related locations per finding.
            let per = if matches!(format, "json" | "sarif" | "lsp") {
                MAX_JSON_BYTES_PER_FINDING
            } else {
                MAX_BYTES_PER_FINDING
            };
            // SARIF describes every rule once, with its page, whatever was found.
            let fixed = if format == "sarif" {
                1024 * 1024
            } else {
                64 * 1024
            };
            let limit = fixed + per * report.diagnostics.len();
            if out.len() > limit {
                problems.push(format!(
                    "{shown}: {format} output is {} bytes for {} findings",
                    out.len(),
                    report.diagnostics.len()
                ));
            }
            if matches!(format, "human" | "concise" | "github") && out.contains(&0x1b) {
                problems.push(format!("{shown}: {format} output has a raw escape"));
            }
            let text = String::from_utf8_lossy(&out);
            let said = if report.diagnostics.is_empty() {
                // JSON says so with an empty list, concise with no lines (its summary goes to
                // standard error), human with its summary line.
                format != "human" || text.contains("no problems")
            } else if format == "github" {
                // Annotations are capped by what GitHub shows, most severe first.
                text.contains("::")
            } else {
                report
                    .diagnostics
                    .iter()
                    .take(3)
                    .all(|d| text.contains(d.rule))
            };
            if !said {
                problems.push(format!(
                    "{shown}: {format} output says neither its findings nor that it is clean"
                ));
            }
        }
    }
    let sizes: Vec<String> = FORMATS
        .iter()
        .zip(bytes)
        .map(|(f, b)| format!("{f} {b}"))
        .collect();
    eprintln!(
        "{} specs: {findings} findings, {clean} clean; output bytes: {}",
        specs.len(),
        sizes.join(", ")
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

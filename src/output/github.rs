//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, which the
//! runner turns into annotations on the pull request; and a Markdown step summary. The page
//! `docs/github-output.md` says what goes where.
//!
//! GitHub shows at most 10 annotations of each kind per step and 50 per job, so findings are printed
//! the most severe first, and the step summary (when `GITHUB_STEP_SUMMARY` names a file) counts them
//! all and lists the first [`SUMMARY_FINDINGS`], so nothing is silently lost.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{RenderOptions, most_severe_first, root_relative, rule_counts, rule_url};
use crate::Report;
use crate::diagnostic::{Diagnostic, Location, Severity};

/// GitHub shows at most this many annotations of one kind (error, warning, notice) per step.
pub const ANNOTATIONS_PER_KIND: usize = 10;
/// How many findings the step summary lists.
pub const SUMMARY_FINDINGS: usize = 50;

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

/// Escapes a command's message (its data) as the runner requires: `%`, `\r`, `\n`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value: as data, and `:` and `,` too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The path GitHub knows a file by: relative to the repository (project) root, with `/`.
fn repo_path(report: &Report, l: &Location) -> String {
    root_relative(&report.root, &l.abs).unwrap_or_else(|| l.path.to_string())
}

/// Writes one workflow command per finding, the most severe first. `opts` is not used.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    for d in most_severe_first(report) {
        writeln!(out, "{}", annotation(report, d))?;
    }
    Ok(())
}

/// One finding as a workflow command. Columns are in characters; a file that could not be read has
/// no line.
pub fn annotation(report: &Report, d: &Diagnostic) -> String {
    let l = &d.location;
    let path = repo_path(report, l);
    let mut properties = format!("file={}", escape_property(&super::escape(&path)));
    if !super::unreadable(report, d) {
        let _ = write!(
            properties,
            ",line={},col={},endLine={},endColumn={}",
            l.start.line.max(1),
            l.start.column,
            l.end.line.max(l.start.line.max(1)),
            l.end.column
        );
    }
    let _ = write!(properties, ",title={}", escape_property(d.rule));
    // Control characters of input origin would reach the log as written: make them visible.
    let mut message = super::escape(&d.message).into_owned();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(&super::escape(help));
    }
    format!(
        "::{} {properties}::{}",
        command(d.severity),
        escape_data(&message)
    )
}

/// A Markdown summary of the run for `GITHUB_STEP_SUMMARY`: the counts per rule and severity, then the
/// first [`SUMMARY_FINDINGS`] findings, most severe first. `blob` is the URL prefix of the repository's
/// files at the linted commit (`https://github.com/OWNER/REPO/blob/SHA`); without it, links are
/// relative to the repository root.
pub fn summary(report: &Report, blob: Option<&str>) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "### rampart: {}\n", super::summary(report));
    let counts = rule_counts(report);
    if counts.is_empty() {
        return md;
    }
    let _ = writeln!(md, "| rule | severity | findings |\n| --- | --- | ---: |");
    for c in &counts {
        let _ = writeln!(
            md,
            "| [`{}`]({}) | {} | {} |",
            c.rule,
            rule_url(c.rule),
            c.severity,
            c.count
        );
    }
    let total = report.diagnostics.len();
    let shown = total.min(SUMMARY_FINDINGS);
    let _ = writeln!(
        md,
        "\n#### {}\n",
        if shown < total {
            format!("The {shown} most severe of {total} findings")
        } else {
            "Findings".to_string()
        }
    );
    let _ = writeln!(
        md,
        "| severity | rule | where | finding |\n| --- | --- | --- | --- |"
    );
    for d in most_severe_first(report).into_iter().take(SUMMARY_FINDINGS) {
        let path = repo_path(report, &d.location);
        let line = d.location.start.line.max(1);
        let target = format!("{}#L{line}", super::encode_uri_path(&path));
        let link = match blob {
            Some(blob) => format!("{}/{target}", blob.trim_end_matches('/')),
            None => target,
        };
        let _ = writeln!(
            md,
            "| {} | `{}` | [{}:{line}]({link}) | {} |",
            d.severity,
            d.rule,
            markdown_text(&path),
            markdown_text(&d.message)
        );
    }
    md
}

/// Text of input origin made safe inside a Markdown table cell: one line, no raw HTML, no cell breaks.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c if super::needs_escape(c) => super::push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::report;

    #[test]
    fn escapes_data_and_properties_as_the_runner_requires() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("dir,x/a:b%\n.yaml"),
            "dir%2Cx/a%3Ab%25%0A.yaml"
        );
    }

    #[test]
    fn one_command_per_finding_most_severe_first() {
        let mut report = report();
        report.diagnostics[1].severity = Severity::Error;
        let mut out = Vec::new();
        render(&report, &mut out, &RenderOptions::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=api.yaml,line=1,col=1,endLine=1,endColumn=8,title=info-contact::the document names no contact",
                "::warning file=api.yaml,line=6,col=9,endLine=6,endColumn=13,title=string-unbounded::string property `name` of `Pet` has no maxLength%0Ahelp: add `maxLength` to the property",
            ]
        );
    }

    #[test]
    fn summary_counts_and_links() {
        let md = summary(&report(), Some("https://github.com/o/r/blob/abc"));
        assert!(md.starts_with("### rampart: 1 warning, 1 info"), "{md}");
        assert!(md.contains("| [`string-unbounded`]("), "{md}");
        assert!(
            md.contains("[api.yaml:6](https://github.com/o/r/blob/abc/api.yaml#L6)"),
            "{md}"
        );
        assert_eq!(markdown_text("a|b<i>[x]\n"), "a\\|b&lt;i&gt;\\[x\\]\\n");
    }
}

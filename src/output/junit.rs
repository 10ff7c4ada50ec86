//! JUnit XML, the report format most CI dashboards read (Jenkins, GitLab, Azure Pipelines, CircleCI...).
//! The page `docs/junit-output.md` says what goes where.
//!
//! One `<testsuite>` per file, one `<testcase>` per rule (every rule that ran, on each linted document;
//! the built-in checks where they found something), one `<failure>` per finding. A rule without
//! findings in a file is a passing test case.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::RenderOptions;
use crate::Report;
use crate::diagnostic::Diagnostic;

/// Writes the report as a JUnit XML document. `opts` is not used.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    let suites = suites(report);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failing).sum();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"rampart\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">",
        report.elapsed.as_secs_f64()
    )?;
    // The document as a list of parts, each written on its own (the failures on several threads).
    let mut parts = Vec::new();
    for suite in &suites {
        parts.push(Part::Suite(suite));
        for (rule, found) in &suite.cases {
            parts.push(Part::Case(suite, rule, found.is_empty()));
            if !found.is_empty() {
                parts.extend(found.iter().map(|d| Part::Failure(d)));
                parts.push(Part::End("    </testcase>\n"));
            }
        }
        parts.push(Part::End("  </testsuite>\n"));
    }
    super::write_in_windows(out, &parts, &|_, part: &Part<'_>, buf| part.write(buf))?;
    writeln!(out, "</testsuites>")
}

/// The whole XML document.
#[cfg(test)]
fn document(report: &Report) -> String {
    let mut out = Vec::new();
    render(report, &mut out, &RenderOptions::default()).expect("writing to memory");
    String::from_utf8(out).expect("XML is written as UTF-8")
}

/// A file's test suite: its path and, per rule, the findings in it.
struct Suite<'a> {
    path: &'a str,
    /// The path, escaped as an attribute.
    name: String,
    cases: Vec<(&'a str, Vec<&'a Diagnostic>)>,
}

impl Suite<'_> {
    fn failing(&self) -> usize {
        self.cases.iter().filter(|(_, f)| !f.is_empty()).count()
    }
}

fn suites(report: &Report) -> Vec<Suite<'_>> {
    let suite = |path| Suite {
        path,
        name: String::new(),
        cases: Vec::new(),
    };
    let mut suites: Vec<Suite<'_>> = report
        .files
        .iter()
        .map(|f| Suite {
            cases: if f.root {
                report.rules.iter().map(|&r| (r, Vec::new())).collect()
            } else {
                Vec::new()
            },
            ..suite(&f.path)
        })
        .collect();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, s) in suites.iter().enumerate().rev() {
        index.insert(s.path, i);
    }
    for d in &report.diagnostics {
        let path: &str = &d.location.path;
        let i = *index.entry(path).or_insert_with(|| {
            // An input that could not be read has no entry among the files.
            suites.push(suite(path));
            suites.len() - 1
        });
        let cases = &mut suites[i].cases;
        match cases.iter_mut().find(|(rule, _)| *rule == d.rule) {
            Some((_, found)) => found.push(d),
            None => cases.push((d.rule, vec![d])),
        }
    }
    // Files read only for a `$ref` with nothing found in them are not worth a suite.
    suites.retain(|s| !s.cases.is_empty());
    for s in &mut suites {
        s.name = attribute(s.path);
    }
    suites
}

/// A piece of the XML document.
enum Part<'a> {
    /// A suite's opening tag.
    Suite(&'a Suite<'a>),
    /// A test case of a suite: its rule, and whether it passed (then the tag is closed at once).
    Case(&'a Suite<'a>, &'a str, bool),
    Failure(&'a Diagnostic),
    /// A closing tag.
    End(&'static str),
}

impl Part<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        // Writing to memory does not fail.
        match self {
            Part::Suite(suite) => {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
                    suite.name,
                    suite.cases.len(),
                    suite.failing()
                );
            }
            Part::Case(suite, rule, passed) => {
                let name = &suite.name;
                let _ = writeln!(
                    out,
                    "    <testcase name=\"{rule}\" classname=\"{name}\" file=\"{name}\"{}",
                    if *passed { "/>" } else { ">" }
                );
            }
            Part::Failure(d) => failure(out, d),
            Part::End(tag) => out.extend_from_slice(tag.as_bytes()),
        }
    }
}

/// One finding as a `<failure>`.
fn failure(out: &mut Vec<u8>, d: &Diagnostic) {
    let l = &d.location;
    let place = format!("{}:{}:{}", l.path, l.start.line, l.start.column);
    let mut body = format!("{}[{}] at {place}", d.severity, d.rule);
    if !l.pointer.is_empty() {
        let _ = write!(body, " ({})", l.pointer);
    }
    let _ = write!(body, "\n{}", d.message);
    if let Some(help) = &d.help {
        let _ = write!(body, "\nhelp: {help}");
    }
    for r in &d.related {
        let rl = &r.location;
        let _ = write!(
            body,
            "\n  {}:{}:{}: {}",
            rl.path, rl.start.line, rl.start.column, r.message
        );
    }
    if d.related_more > 0 {
        let _ = write!(body, "\n  ... and {} more", d.related_more);
    }
    let _ = writeln!(
        out,
        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
        d.severity,
        attribute(&format!("{place}: {}", d.message)),
        text(&body)
    );
}

/// Escapes XML character data: `&`, `<`, `>`; characters XML 1.0 cannot carry at all (C0 controls
/// other than tab and line breaks, U+FFFE, U+FFFF) and other invisible controls become visible
/// escapes (`\e`, `\u{202e}`...).
pub fn text(s: &str) -> String {
    escape_xml(s, false)
}

/// Escapes an attribute value: as [`text`], and quotes, tabs and line breaks as character references.
pub fn attribute(s: &str) -> String {
    escape_xml(s, true)
}

fn escape_xml(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            // A raw carriage return would be read back as a line feed.
            '\r' => out.push_str("&#13;"),
            '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
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
    fn a_suite_per_file_a_case_per_rule_a_failure_per_finding() {
        let xml = document(&report());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rampart\" tests=\"2\" failures=\"2\""), "{xml}");
        assert!(
            xml.contains("<testsuite name=\"api.yaml\" tests=\"2\" failures=\"2\""),
            "{xml}"
        );
        assert!(xml.contains("<testcase name=\"string-unbounded\" classname=\"api.yaml\" file=\"api.yaml\">\n      <failure type=\"warning\" message=\"api.yaml:6:9: string property `name` of `Pet` has no maxLength\">warning[string-unbounded] at api.yaml:6:9 (/components/schemas/Pet/properties/name)\nstring property"), "{xml}");
        assert!(xml.contains("\n  common.yaml:"), "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 2);
    }

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(text("a<b & c>d \"q\" 'a'"), "a&lt;b &amp; c&gt;d \"q\" 'a'");
        assert_eq!(
            attribute("\"q\" 'a'\n\t<"),
            "&quot;q&quot; &apos;a&apos;&#10;&#9;&lt;"
        );
        assert_eq!(
            text("\x1b[2J\x07\0\u{202e}\u{ffff}\r\n"),
            "\\e[2J\\a\\0\\u{202e}\\u{ffff}&#13;\n"
        );
    }
}

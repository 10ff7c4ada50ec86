//! Renderers: one file per format. Each takes a [`Report`] and a writer, and knows nothing upstream.
//!
//! - [`human`]: every finding with its source snippet (miette), then a summary line.
//! - [`concise`]: one line per finding, `path:line:col: severity[rule] message`.
//! - [`json`]: a versioned document for machines (schema in `docs/json-output.md`).
//! - [`sarif`]: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).
//! - [`github`]: GitHub Actions workflow commands (annotations on pull requests) and a step summary.
//! - [`lsp`]: Language Server Protocol `PublishDiagnosticsParams`, for editor plugins that run rampart.
//! - [`junit`]: JUnit XML, for CI dashboards.
//!
//! Every string of input origin (file names, messages that quote keys, snippets of source) goes through
//! [`escape`] before it reaches a terminal in the text formats, so a spec cannot move the cursor, retitle
//! the window or reorder what is shown.

pub mod concise;
pub mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod lsp;
pub mod sarif;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::RuleMeta;
use crate::{Report, rules};

/// How many findings are made at a time by [`write_in_windows`]: one window is written out while
/// the next is made.
const WINDOW: usize = 256;

/// How many findings one thread makes into one buffer.
const CHUNK: usize = 64;

/// Writes each of `items` as `make` makes it (given the item's index), in order. A window of items
/// is made on the worker threads while the window before it is written out on this one, and each
/// window's buffers are used again for the next: a long report costs its text once, in a few
/// buffers, on every core.
pub(crate) fn write_in_windows<T: Sync>(
    out: &mut dyn io::Write,
    items: &[T],
    make: &(dyn Fn(usize, &T, &mut Vec<u8>) + Sync),
) -> io::Result<()> {
    use rayon::prelude::*;
    let render = |at: usize, window: &[T], mut spare: Vec<Vec<u8>>| -> Vec<Vec<u8>> {
        spare.resize_with(window.len().div_ceil(CHUNK), Vec::new);
        window
            .par_chunks(CHUNK)
            .zip(spare)
            .enumerate()
            .map(|(c, (part, mut buf))| {
                buf.clear();
                for (i, item) in part.iter().enumerate() {
                    make(at + c * CHUNK + i, item, &mut buf);
                }
                buf
            })
            .collect()
    };
    let mut windows = items.chunks(WINDOW).enumerate();
    let mut ready = match windows.next() {
        Some((_, window)) => render(0, window, Vec::new()),
        None => return Ok(()),
    };
    let mut spare = Vec::new();
    loop {
        let next = windows.next();
        let mut made = None;
        // The writer stays on this thread; the next window is made on the others.
        let written = rayon::in_place_scope(|scope| {
            if let Some((w, window)) = next {
                let spare = std::mem::take(&mut spare);
                let (render, made) = (&render, &mut made);
                scope.spawn(move |_| *made = Some(render(w * WINDOW, window, spare)));
            }
            ready.iter().try_for_each(|b| out.write_all(b))
        });
        written?;
        match made {
            Some(made) => spare = std::mem::replace(&mut ready, made),
            None => return Ok(()),
        }
    }
}

/// Where rampart lives: the `repository` of Cargo.toml.
pub const REPOSITORY: &str = if env!("CARGO_PKG_REPOSITORY").is_empty() {
    "https://github.com/rampart-lint/rampart"
} else {
    env!("CARGO_PKG_REPOSITORY")
};

/// Every check rampart has, each once: the rules, then the built-in checks of the input.
pub fn all_checks() -> impl Iterator<Item = &'static RuleMeta> {
    rules::ALL
        .iter()
        .map(|r| r.meta())
        .chain(crate::engine::builtin::ALL.iter().copied())
}

/// The published page of a rule or built-in check (`rules/<id>.md` in the repository).
pub fn rule_url(id: &str) -> String {
    format!("{REPOSITORY}/blob/main/rules/{id}.md")
}

/// The text under a `## heading` of a rule's page, trimmed; `None` when the page has no such heading.
pub fn page_section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("## {heading}\n");
    let start = if docs.starts_with(&marker) {
        marker.len()
    } else {
        docs.find(&format!("\n{marker}"))? + marker.len() + 1
    };
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The first paragraph of a section of a rule's page, joined onto one line.
pub fn page_paragraph(docs: &str, heading: &str) -> Option<String> {
    let section = page_section(docs, heading)?;
    let paragraph = section.split("\n\n").next()?.trim();
    (!paragraph.is_empty()).then(|| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The findings, most severe first (a stable sort: within a severity, the report's order by file and
/// position). For outputs that may be cut short: what is kept is what matters most.
pub fn most_severe_first(report: &Report) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.severity));
    sorted
}

/// `abs` relative to the project root with `/` separators, or `None` when it lies outside the root.
pub fn root_relative(root: &Path, abs: &Path) -> Option<String> {
    let rel = abs.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Percent-encodes a `/`-separated path for use in a URI: everything but unreserved characters and `/`.
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A `file://` URI of an absolute path (`file:///C:/...` on Windows).
pub fn file_uri(abs: &Path) -> String {
    let text = abs.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("//?/").unwrap_or(&text);
    let slash = if text.starts_with('/') { "" } else { "/" };
    let encoded = encode_uri_path(text);
    // A drive letter's colon stays as written.
    let encoded = if slash.is_empty() {
        encoded
    } else {
        encoded.replacen("%3A", ":", 1)
    };
    format!("file://{slash}{encoded}")
}

/// How to render.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Draw snippets with Unicode box characters rather than ASCII.
    pub unicode: bool,
    /// Column at which the human format wraps text.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// An input that could not be read at all: it has no text to show a snippet of.
pub fn unreadable(report: &Report, d: &crate::Diagnostic) -> bool {
    crate::INPUT_ERRORS.contains(&d.rule) && report.source(&d.location.path).is_none()
}

/// One line counting the findings, e.g. `3 errors, 2 warnings in 4 files (2 documents) in 0.12s`.
pub fn summary(report: &Report) -> String {
    let counts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
        (Severity::Hint, "hint", "hints"),
    ]
    .into_iter()
    .filter_map(|(severity, one, many)| match report.count(severity) {
        0 => None,
        n => Some(plural(n, one, many)),
    })
    .collect();
    let found = if counts.is_empty() {
        "no problems".to_string()
    } else {
        counts.join(", ")
    };
    let mut baseline = String::new();
    if !report.suppressed.is_empty() {
        baseline.push_str(&format!(
            "; {} suppressed in the spec",
            report.suppressed.len()
        ));
    }
    if report.baselined > 0 {
        baseline.push_str(&format!("; {} in the baseline", report.baselined));
    }
    if report.baseline_stale > 0 {
        baseline.push_str(&format!(
            "; {} no longer found (drop them with --prune-baseline)",
            plural(report.baseline_stale, "baseline entry", "baseline entries")
        ));
    }
    format!(
        "{found} in {} ({}) in {:.2}s{baseline}",
        plural(report.files.len(), "file", "files"),
        plural(report.documents(), "document", "documents"),
        report.elapsed.as_secs_f64(),
    )
}

/// How often one rule fired at one severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: &'static str,
    pub severity: Severity,
    pub count: usize,
}

/// Findings per rule and severity (a rule may report at more than one), most frequent first, then the
/// more severe, then by id.
pub fn rule_counts(report: &Report) -> Vec<RuleCount> {
    let mut counts: Vec<RuleCount> = Vec::new();
    for d in &report.diagnostics {
        match counts
            .iter_mut()
            .find(|c| c.rule == d.rule && c.severity == d.severity)
        {
            Some(c) => c.count += 1,
            None => counts.push(RuleCount {
                rule: d.rule,
                severity: d.severity,
                count: 1,
            }),
        }
    }
    counts.sort_by(|a, b| (b.count, b.severity, a.rule).cmp(&(a.count, a.severity, b.rule)));
    counts
}

/// The per-rule counts as aligned rows, `rule  severity  count`, each line led by `indent`; with `header`,
/// a `RULE SEVERITY COUNT` line first. Empty when there are no findings.
pub fn rule_table(report: &Report, header: bool, indent: &str, color: bool) -> String {
    let counts = rule_counts(report);
    let mut table = String::new();
    if counts.is_empty() {
        return table;
    }
    let rule_width = counts
        .iter()
        .map(|c| c.rule.len())
        .chain(header.then_some("RULE".len()))
        .max()
        .unwrap_or(0);
    let count_width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .chain(header.then_some("COUNT".len()))
        .max()
        .unwrap_or(0);
    // The longest severity name, `warning`.
    let severity_width = 8;
    if header {
        let _ = writeln!(
            table,
            "{indent}{:rule_width$}  {:severity_width$}  {:>count_width$}",
            "RULE", "SEVERITY", "COUNT"
        );
    }
    for c in counts {
        let severity = format!("{:severity_width$}", c.severity.as_str());
        let _ = writeln!(
            table,
            "{indent}{:rule_width$}  {}  {:>count_width$}",
            c.rule,
            paint(&severity, severity_style(c.severity), color),
            c.count,
        );
    }
    table
}

/// Text of input origin made safe to print on a terminal: control characters (C0, DEL, C1), bidirectional
/// overrides and isolates, and line or paragraph separators become visible escapes (`\e`, `\r`, `\n`,
/// `\t`, `\u{202e}`...). Everything else, backslashes included, is kept as written.
pub fn escape(text: &str) -> Cow<'_, str> {
    if printable(text.as_bytes(), false) || !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Whether every byte is printable ASCII (or a tab, when `tab`), which [`escape`] keeps as it is: a
/// block of bytes at a time, with no branch per byte, so that it is done in vector registers.
pub(crate) fn printable(bytes: &[u8], tab: bool) -> bool {
    bytes.chunks(64).all(|block| {
        block.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (tab & (b == b'\t')))
        })
    })
}

/// Whether [`escape`] rewrites this character.
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Appends `c`, escaped if it needs to be.
pub(crate) fn push_escaped(out: &mut String, c: char) {
    if !needs_escape(c) {
        out.push(c);
        return;
    }
    let _ = match c {
        '\x1b' => write!(out, "\\e"),
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        '\0' => write!(out, "\\0"),
        '\x07' => write!(out, "\\a"),
        '\x08' => write!(out, "\\b"),
        _ => write!(out, "\\u{{{:x}}}", u32::from(c)),
    };
}

/// How many characters `c` takes once escaped.
pub(crate) fn escaped_len(c: char) -> usize {
    if !needs_escape(c) {
        return 1;
    }
    match c {
        '\x1b' | '\n' | '\r' | '\t' | '\0' | '\x07' | '\x08' => 2,
        // `\u{` + hex digits + `}`
        _ => 4 + format!("{:x}", u32::from(c)).len(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Each document's security score and its top contributors, one line each.
pub fn score_table(report: &Report) -> String {
    let mut out = String::new();
    for s in &report.scores {
        let top: Vec<String> = s
            .top
            .iter()
            .map(|(rule, cost)| format!("{rule} {cost:.0}"))
            .collect();
        out.push_str(&format!(
            "score {:>3}/100  {}  ({} operations, {} schemas{}{})\n",
            s.score,
            escape(&s.path),
            s.operations,
            s.schemas,
            if top.is_empty() {
                ""
            } else {
                "; most costly: "
            },
            top.join(", ")
        ));
    }
    out
}

/// ANSI colouring, applied only when asked for.
pub(crate) fn paint(text: &str, style: &str, color: bool) -> String {
    if color {
        format!("\x1b[{style}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The ANSI style for a severity (the same hues miette uses).
pub(crate) fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
        Severity::Hint => "1;2",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::diagnostic::{Diagnostic, Location, Owasp, Related};
    use crate::source::{LineCol, Span};
    use crate::{FileReport, Report};

    pub(crate) const TEXT: &str = "openapi: 3.0.3\ncomponents:\n  schemas:\n    Pet:\n      properties:\n        name:\n          type: string\n";

    pub(crate) fn location(path: &str, start: u32, end: u32) -> Location {
        let line_col = |offset: u32| {
            let before = &TEXT[..offset as usize];
            let line = before.matches('\n').count() as u32 + 1;
            let column = (offset as usize - before.rfind('\n').map_or(0, |i| i + 1)) as u32 + 1;
            LineCol {
                line,
                column,
                utf16_column: column - 1,
            }
        };
        Location {
            path: Arc::from(path),
            abs: Arc::from(std::path::Path::new("/project").join(path)),
            span: Span { start, end },
            start: line_col(start),
            end: line_col(end),
            pointer: "/components/schemas/Pet/properties/name".into(),
        }
    }

    /// A report with one warning on `name` (line 6) and one info without OWASP category.
    pub(crate) fn report() -> Report {
        let name = TEXT.find("name:").unwrap() as u32;
        let pet = TEXT.find("Pet:").unwrap() as u32;
        Report {
            diagnostics: vec![
                Diagnostic {
                    rule: "string-unbounded",
                    severity: Severity::Warning,
                    message: "string property `name` of `Pet` has no maxLength".to_string(),
                    help: Some("add `maxLength` to the property".into()),
                    location: location("api.yaml", name, name + 4),
                    related: vec![
                        Related {
                            location: location("api.yaml", pet, pet + 3),
                            message: "in this schema".into(),
                        },
                        Related {
                            location: location("common.yaml", 40, 44),
                            message: "referenced here".into(),
                        },
                    ],
                    related_more: 0,
                    suppressed: None,
                    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
                    fingerprint: "0123456789abcdef".to_string(),
                },
                Diagnostic {
                    rule: "info-contact",
                    severity: Severity::Info,
                    message: "the document names no contact".to_string(),
                    help: None,
                    location: location("api.yaml", 0, 7),
                    related: vec![],
                    related_more: 0,
                    suppressed: None,
                    owasp: None,
                    fingerprint: "fedcba9876543210".to_string(),
                },
            ],
            files: vec![FileReport {
                path: Arc::from("api.yaml"),
                text: Arc::from(TEXT),
                excerpt: None,
                reread: None,
                root: true,
                version: Some("3.0.3".to_string()),
            }],
            elapsed: Duration::from_millis(120),
            rules: vec!["string-unbounded"],
            root: std::path::PathBuf::from("/project"),
            ..Report::default()
        }
    }

    #[test]
    fn printable_is_printable_ascii_wherever_a_byte_is() {
        for b in 0..=255u8 {
            let plain = (0x20..0x7f).contains(&b);
            for at in [0, 1, 63, 64, 65, 130] {
                let mut bytes = vec![b'a'; 131];
                bytes[at] = b;
                assert_eq!(printable(&bytes, false), plain, "{b} at {at}");
                assert_eq!(printable(&bytes, true), plain || b == b'\t', "{b} at {at}");
            }
        }
        assert!(printable(b"", false));
    }

    #[test]
    fn escapes_controls_and_bidi_overrides() {
        assert!(matches!(escape("plain `name` é 名"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\x1b]0;pwned\x07b\r\n\t\0\x08"),
            "a\\e]0;pwned\\ab\\r\\n\\t\\0\\b"
        );
        assert_eq!(escape("\u{202e}evil\u{2066}"), "\\u{202e}evil\\u{2066}");
        assert_eq!(escape("\x7f\u{9b}\u{1}"), "\\u{7f}\\u{9b}\\u{1}");
        assert_eq!(escape("\u{2028}"), "\\u{2028}");
        for c in ['\x1b', '\n', 'x', '\u{202e}', '\u{9b}', '\u{1}'] {
            assert_eq!(
                escaped_len(c),
                escape(&c.to_string()).chars().count(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn rule_counts_most_frequent_first() {
        let mut report = report();
        let mut extra = report.diagnostics[1].clone();
        extra.severity = Severity::Error;
        report.diagnostics.push(extra.clone());
        report.diagnostics.push(extra);
        let counts = rule_counts(&report);
        assert_eq!(counts.len(), 3);
        assert_eq!(
            counts[0],
            RuleCount {
                rule: "info-contact",
                severity: Severity::Error,
                count: 2
            }
        );
        assert_eq!(
            rule_table(&report, true, "", false),
            "RULE              SEVERITY  COUNT\n\
             info-contact      error         2\n\
             string-unbounded  warning       1\n\
             info-contact      info          1\n"
        );
        assert_eq!(rule_table(&Report::default(), true, "", false), "");
    }

    #[test]
    fn summary_counts_findings_files_and_documents() {
        assert_eq!(
            summary(&report()),
            "1 warning, 1 info in 1 file (1 document) in 0.12s"
        );
        assert_eq!(
            summary(&Report::default()),
            "no problems in 0 files (0 documents) in 0.00s"
        );
    }
}

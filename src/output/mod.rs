//! Renderers: one file per format. Each takes a [`Report`] and a writer, and knows nothing upstream.
//!
//! - [`human`]: every finding with its source snippet (miette), then a summary line.
//! - [`concise`]: one line per finding, `path:line:col: severity[rule] message`.
//! - [`json`]: a versioned document for machines (schema in `docs/json-output.md`).

pub mod concise;
pub mod human;
pub mod json;

use crate::Report;
use crate::diagnostic::Severity;

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

/// One line counting the findings, e.g. `3 errors, 2 warnings in 4 files (2 documents) in 0.12s`.
/// An input that could not be read at all: it has no text to show a snippet of.
pub fn unreadable(report: &Report, d: &crate::Diagnostic) -> bool {
    crate::INPUT_ERRORS.contains(&d.rule) && report.source(&d.location.path).is_none()
}

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
    format!(
        "{found} in {} ({}) in {:.2}s",
        plural(report.files.len(), "file", "files"),
        plural(report.documents(), "document", "documents"),
        report.elapsed.as_secs_f64(),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
            pointer: "/components/schemas/Pet/properties/name".to_string(),
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
                    help: Some("add `maxLength` to the property".to_string()),
                    location: location("api.yaml", name, name + 4),
                    related: vec![
                        Related {
                            location: location("api.yaml", pet, pet + 3),
                            message: "in this schema".to_string(),
                        },
                        Related {
                            location: location("common.yaml", 40, 44),
                            message: "referenced here".to_string(),
                        },
                    ],
                    related_more: 0,
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
                    owasp: None,
                    fingerprint: "fedcba9876543210".to_string(),
                },
            ],
            files: vec![FileReport {
                path: Arc::from("api.yaml"),
                text: Arc::from(TEXT),
                root: true,
                version: Some("3.0.3".to_string()),
            }],
            elapsed: Duration::from_millis(120),
            rules: vec!["string-unbounded"],
            root: std::path::PathBuf::from("/project"),
        }
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

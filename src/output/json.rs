//! A versioned JSON document for machines; the schema is documented in `docs/json-output.md`.
//!
//! Within one `version`, fields are only ever added, never renamed, removed or retyped.

use std::io::{self, Write};

use serde::Serialize;

use super::RenderOptions;
use crate::Report;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::source::LineCol;

/// The schema version written in the `version` field.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: &'static str,
    tool_version: &'static str,
    summary: Summary,
    /// Ids of the rules that ran.
    rules: &'a [&'static str],
    diagnostics: Each<'a>,
    /// Findings silenced by an inline suppression, with its reason.
    suppressed: Each<'a>,
    /// The security score of each document.
    scores: &'a [crate::score::Score],
}

/// Diagnostics written one by one as they are serialised (a run may have hundreds of thousands).
struct Each<'a>(&'a [Diagnostic]);

impl Serialize for Each<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(JsonDiagnostic::from))
    }
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
    files: usize,
    documents: usize,
    elapsed_ms: u64,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    owasp: Option<JsonOwasp>,
    location: JsonLocation<'a>,
    related: Vec<JsonRelated<'a>>,
    related_more: usize,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression<'a>>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
struct JsonOwasp {
    code: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    path: &'a str,
    pointer: &'a str,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
    offset: u32,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    location: JsonLocation<'a>,
}

impl<'a> From<&'a Location> for JsonLocation<'a> {
    fn from(l: &'a Location) -> JsonLocation<'a> {
        let position = |lc: LineCol, offset: u32| Position {
            line: lc.line,
            column: lc.column,
            offset,
        };
        JsonLocation {
            path: &l.path,
            pointer: &l.pointer,
            start: position(l.start, l.span.start),
            end: position(l.end, l.span.end),
        }
    }
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> JsonDiagnostic<'a> {
        JsonDiagnostic {
            rule: d.rule,
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            owasp: d.owasp.map(|o| JsonOwasp {
                code: o.code(),
                title: o.title(),
            }),
            location: (&d.location).into(),
            related: d
                .related
                .iter()
                .map(|r| JsonRelated {
                    message: &r.message,
                    location: (&r.location).into(),
                })
                .collect(),
            related_more: d.related_more,
            fingerprint: &d.fingerprint,
            suppression: d.suppressed.as_deref().map(|j| JsonSuppression {
                kind: "inSource",
                justification: j,
            }),
        }
    }
}

/// Writes the whole report as one pretty-printed JSON document and a newline. `opts` is not used: JSON
/// is never coloured.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    let output = Output {
        version: VERSION,
        tool: "rampart",
        tool_version: env!("CARGO_PKG_VERSION"),
        summary: Summary {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            hints: report.count(Severity::Hint),
            files: report.files.len(),
            documents: report.documents(),
            elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
        },
        rules: &report.rules,
        diagnostics: Each(&report.diagnostics),
        suppressed: Each(&report.suppressed),
        scores: &report.scores,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::report;

    #[test]
    fn writes_the_documented_schema() {
        let mut out = Vec::new();
        render(&report(), &mut out, &RenderOptions::default()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"], "rampart");
        assert_eq!(
            v["summary"],
            serde_json::json!({
                "errors": 0, "warnings": 1, "infos": 1, "hints": 0,
                "files": 1, "documents": 1, "elapsed_ms": 120
            })
        );
        let d = &v["diagnostics"][0];
        assert_eq!(d["rule"], "string-unbounded");
        assert_eq!(d["severity"], "warning");
        assert_eq!(d["help"], "add `maxLength` to the property");
        assert_eq!(
            d["owasp"],
            serde_json::json!({"code": "API4:2023", "title": "Unrestricted Resource Consumption"})
        );
        assert_eq!(d["location"]["path"], "api.yaml");
        assert_eq!(
            d["location"]["pointer"],
            "/components/schemas/Pet/properties/name"
        );
        assert_eq!(
            d["location"]["start"],
            serde_json::json!({"line": 6, "column": 9, "offset": 73})
        );
        assert_eq!(d["location"]["end"]["offset"], 77);
        assert_eq!(d["related"][1]["message"], "referenced here");
        assert_eq!(d["related"][1]["location"]["path"], "common.yaml");
        assert_eq!(d["fingerprint"], "0123456789abcdef");
        assert_eq!(v["diagnostics"][1]["owasp"], serde_json::Value::Null);
        assert_eq!(v["diagnostics"][1]["help"], serde_json::Value::Null);
        assert!(out.ends_with(b"}\n"));
    }
}

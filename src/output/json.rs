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
        if self.0.len() < PARALLEL_FROM {
            return serializer.collect_seq(self.0.iter().map(JsonDiagnostic::from));
        }
        // Many findings: a batch at a time, each written on the threads, already indented as the
        // array's items are (a JSON text holds no raw new line: every new line is the formatter's).
        serializer.collect_seq(Batches {
            rest: self.0,
            batch: Vec::new().into_iter(),
        })
    }
}

/// The findings written as pretty JSON, one batch (a bounded amount of text) at a time.
struct Batches<'a> {
    rest: &'a [Diagnostic],
    batch: std::vec::IntoIter<Box<serde_json::value::RawValue>>,
}

impl Iterator for Batches<'_> {
    type Item = Box<serde_json::value::RawValue>;

    fn next(&mut self) -> Option<Self::Item> {
        use rayon::prelude::*;
        if let Some(item) = self.batch.next() {
            return Some(item);
        }
        if self.rest.is_empty() {
            return None;
        }
        let (now, later) = self.rest.split_at(self.rest.len().min(PARALLEL_FROM * 4));
        self.rest = later;
        // Serialising these plain structs cannot fail, and the text is JSON by construction.
        self.batch = now
            .par_iter()
            .filter_map(|d| {
                let text = serde_json::to_string_pretty(&JsonDiagnostic::from(d)).ok()?;
                serde_json::value::RawValue::from_string(text.replace('\n', "\n    ")).ok()
            })
            .collect::<Vec<_>>()
            .into_iter();
        self.batch.next()
    }
}

/// From how many findings the array is written on several threads.
const PARALLEL_FROM: usize = 4096;

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
    fn many_findings_are_written_as_few_are_byte_for_byte() {
        let mut big = report();
        let one = big.diagnostics.clone();
        while big.diagnostics.len() < PARALLEL_FROM * 9 + 7 {
            big.diagnostics.extend(one.iter().cloned());
        }
        let mut out = Vec::new();
        render(&big, &mut out, &RenderOptions::default()).unwrap();
        // The same findings through the one-by-one path.
        #[derive(Serialize)]
        struct Wrapped<'a> {
            diagnostics: Vec<JsonDiagnostic<'a>>,
        }
        let output = Wrapped {
            diagnostics: big.diagnostics.iter().map(JsonDiagnostic::from).collect(),
        };
        let one_by_one = serde_json::to_string_pretty(&output).unwrap();
        let text = String::from_utf8(out).unwrap();
        let array = |t: &str| {
            let start = t.find("\"diagnostics\": [").unwrap();
            let end = start + t[start..].find("\n  ]").unwrap();
            t[start..end].to_string()
        };
        let (ours, reference) = (array(&text), array(&one_by_one));
        assert!(ours.len() > 1_000_000);
        assert!(
            ours == reference,
            "the batched array differs from the one-by-one one"
        );
    }

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

//! Language Server Protocol diagnostics, for editor plugins that run `rampart lint` rather than the
//! language server: a JSON array of `PublishDiagnosticsParams`, one per file with findings, each as a
//! server would send it in `textDocument/publishDiagnostics`. The page `docs/lsp-output.md` says what
//! goes where.
//!
//! Positions are 0-based lines and UTF-16 code units (the protocol's default position encoding);
//! `uri` is the `file://` URL of the absolute path.

use std::io::{self, Write};
use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position,
    PublishDiagnosticsParams, Range, Uri,
};
use serde_json::json;

use super::{RenderOptions, file_uri, rule_url};
use crate::Report;
use crate::diagnostic::{Diagnostic, Location, Severity};

/// The protocol's severity for a rampart severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Writes the report as a JSON array of `PublishDiagnosticsParams` and a newline. `opts` is not used.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    serde_json::to_writer_pretty(&mut *out, &params(report))?;
    writeln!(out)
}

/// One `PublishDiagnosticsParams` per file with findings, in the report's order of files.
pub fn params(report: &Report) -> Vec<PublishDiagnosticsParams> {
    let mut files: Vec<PublishDiagnosticsParams> = Vec::new();
    for d in &report.diagnostics {
        let Some(uri) = uri(&d.location) else {
            continue;
        };
        let diagnostic = diagnostic(d);
        // Findings come sorted by file: the file is almost always the last one.
        match files.iter_mut().rev().find(|f| f.uri == uri) {
            Some(file) => file.diagnostics.push(diagnostic),
            None => files.push(PublishDiagnosticsParams::new(uri, vec![diagnostic], None)),
        }
    }
    files
}

fn uri(l: &Location) -> Option<Uri> {
    Uri::from_str(&file_uri(&l.abs)).ok()
}

fn range(l: &Location) -> Range {
    let position = |line: u32, utf16: u32| Position::new(line.saturating_sub(1), utf16);
    Range::new(
        position(l.start.line, l.start.utf16_column),
        position(l.end.line, l.end.utf16_column),
    )
}

/// One finding as the protocol's diagnostic: the help follows the message; `data` carries the
/// fingerprint and the JSON pointer.
pub fn diagnostic(d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: lsp_types::Location::new(uri(&r.location)?, range(&r.location)),
                message: r.message.to_string(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(&d.location),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.to_string())),
        code_description: Uri::from_str(&rule_url(d.rule))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("rampart".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "fingerprint": d.fingerprint,
            "pointer": &*d.location.pointer,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::report;

    #[test]
    fn one_entry_per_file_with_zero_based_positions() {
        let v = serde_json::to_value(params(&report())).unwrap();
        let files = v.as_array().unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0]["uri"], "file:///project/api.yaml");
        let d = &files[0]["diagnostics"][0];
        assert_eq!(
            d["range"],
            json!({"start": {"line": 5, "character": 8}, "end": {"line": 5, "character": 12}})
        );
        assert_eq!(d["severity"], 2);
        assert_eq!(d["code"], "string-unbounded");
        assert_eq!(d["source"], "rampart");
        assert!(
            d["codeDescription"]["href"]
                .as_str()
                .unwrap()
                .ends_with("/rules/string-unbounded.md")
        );
        assert_eq!(
            d["relatedInformation"][1]["location"]["uri"],
            "file:///project/common.yaml"
        );
        assert_eq!(files[0]["diagnostics"][1]["severity"], 3);
    }
}

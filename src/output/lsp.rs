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
///
/// The array is written as `serde_json` writes [`params`], but each file's findings are made and
/// written a window at a time on every core, so that a large report is never held whole.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    let files = files(report);
    if files.is_empty() {
        return writeln!(out, "[]");
    }
    // Each file as `serde_json` writes it with no findings, cut where they go.
    const EMPTY: &str = "\"diagnostics\": []";
    let mut frames = Vec::with_capacity(files.len());
    for (uri, _) in &files {
        let mut text = Vec::new();
        let empty = PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None);
        super::json::pretty(&mut text, &empty, 1)?;
        let text = String::from_utf8(text).map_err(io::Error::other)?;
        // No string holds a raw `"`, so this is the field itself.
        let at = text
            .find(EMPTY)
            .ok_or_else(|| io::Error::other("no diagnostics field"))?;
        let cut = at + EMPTY.len() - 1;
        frames.push((text[..cut].to_string(), text[cut + 1..].to_string()));
    }
    let mut parts = Vec::new();
    for (i, (_, found)) in files.iter().enumerate() {
        parts.push(Part::Open(i));
        parts.extend(
            found
                .iter()
                .enumerate()
                .map(|(j, d)| Part::Finding(d, j == 0)),
        );
        parts.push(Part::Close(i));
    }
    out.write_all(b"[")?;
    super::write_in_windows(out, &parts, &|_, part: &Part<'_>, buf| match *part {
        Part::Open(i) => {
            buf.extend_from_slice(if i == 0 { b"\n  " } else { b",\n  " });
            buf.extend_from_slice(frames[i].0.as_bytes());
        }
        Part::Finding(d, first) => {
            buf.extend_from_slice(if first { b"\n      " } else { b",\n      " });
            // Writing to memory does not fail, and a diagnostic always serialises.
            let _ = super::json::pretty(&mut *buf, &diagnostic(d), 3);
        }
        Part::Close(i) => {
            buf.extend_from_slice(b"\n    ]");
            buf.extend_from_slice(frames[i].1.as_bytes());
        }
    })?;
    out.write_all(b"\n]\n")
}

/// A piece of the array: a file's opening up to its findings, a finding (and whether it is the
/// file's first), the file's closing.
enum Part<'a> {
    Open(usize),
    Finding(&'a Diagnostic, bool),
    Close(usize),
}

/// One `PublishDiagnosticsParams` per file with findings, in the report's order of files.
pub fn params(report: &Report) -> Vec<PublishDiagnosticsParams> {
    files(report)
        .into_iter()
        .map(|(uri, found)| {
            PublishDiagnosticsParams::new(uri, found.into_iter().map(diagnostic).collect(), None)
        })
        .collect()
}

/// The files with findings, in the order of their first finding, each with its findings.
fn files(report: &Report) -> Vec<(Uri, Vec<&Diagnostic>)> {
    let mut files: Vec<(Uri, Vec<&Diagnostic>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // Findings come sorted by file: most have the file of the one before.
    let mut last: Option<(&std::path::Path, usize)> = None;
    for d in &report.diagnostics {
        if let Some((abs, i)) = last
            && abs == &*d.location.abs
        {
            files[i].1.push(d);
            continue;
        }
        let Some(uri) = uri(&d.location) else {
            last = None;
            continue;
        };
        let i = *index.entry(uri.as_str().to_string()).or_insert_with(|| {
            files.push((uri, Vec::new()));
            files.len() - 1
        });
        files[i].1.push(d);
        last = Some((&d.location.abs, i));
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

    /// The rendered array is [`params`] as `serde_json` writes it.
    fn rendered_is_serde_json(report: &Report) {
        let mut ours = Vec::new();
        render(report, &mut ours, &RenderOptions::default()).unwrap();
        let mut expected = serde_json::to_vec_pretty(&params(report)).unwrap();
        expected.push(b'\n');
        assert!(
            ours == expected,
            "differs at byte {}",
            ours.iter()
                .zip(&expected)
                .take_while(|(a, b)| a == b)
                .count()
        );
    }

    #[test]
    fn written_as_serde_json_writes_the_whole_array() {
        let one = report();
        rendered_is_serde_json(&one);
        rendered_is_serde_json(&Report::default());
        // Several windows and files, findings of one file apart from each other.
        let mut big = report();
        while big.diagnostics.len() < 2_000 {
            big.diagnostics.extend(one.diagnostics.iter().cloned());
            let mut other = one.diagnostics[0].clone();
            other.location.abs = std::sync::Arc::from(std::path::Path::new("/project/other.yaml"));
            big.diagnostics.push(other);
        }
        rendered_is_serde_json(&big);
        let v: serde_json::Value = serde_json::to_value(params(&big)).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
    }

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

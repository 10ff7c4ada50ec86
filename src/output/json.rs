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

/// Pretty JSON as `serde_json::to_writer_pretty` writes it (two spaces a level), starting at a
/// given depth: the items of the top-level arrays are written on their own, on several threads,
/// and then put in place as they are.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own after what it holds.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    /// An item or a key starts a line.
    fn line<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON whose first line is already indented `depth` levels.
pub(super) fn pretty<W: Write, T: Serialize + ?Sized>(
    w: W,
    value: &T,
    depth: usize,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(w, Pretty::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// One top-level field: `  "name": value` (the separator before it is the caller's).
fn field<T: Serialize + ?Sized>(out: &mut dyn Write, name: &str, value: &T) -> io::Result<()> {
    write!(out, "  \"{name}\": ")?;
    pretty(out, value, 1)
}

/// A top-level array of findings, written as `serde_json` would write it. Many findings are
/// written a chunk per thread while the text before them is being written out.
fn findings(out: &mut dyn Write, all: &[Diagnostic]) -> io::Result<()> {
    if all.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    super::write_in_windows(out, all, &|i, d: &Diagnostic, buf| {
        buf.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        finding(buf, d);
    })?;
    out.write_all(b"\n  ]")
}

/// Writes the whole report as one pretty-printed JSON document and a newline, as
/// `serde_json::to_writer_pretty` would. `opts` is not used: JSON is never coloured.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let _ = opts;
    let summary = Summary {
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        infos: report.count(Severity::Info),
        hints: report.count(Severity::Hint),
        files: report.files.len(),
        documents: report.documents(),
        elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
    };
    out.write_all(b"{\n")?;
    field(out, "version", &VERSION)?;
    out.write_all(b",\n")?;
    field(out, "tool", "rampart")?;
    out.write_all(b",\n")?;
    field(out, "tool_version", env!("CARGO_PKG_VERSION"))?;
    out.write_all(b",\n")?;
    field(out, "summary", &summary)?;
    out.write_all(b",\n")?;
    // Ids of the rules that ran.
    field(out, "rules", &report.rules)?;
    out.write_all(b",\n  \"diagnostics\": ")?;
    findings(out, &report.diagnostics)?;
    // Findings silenced by an inline suppression, with its reason.
    out.write_all(b",\n  \"suppressed\": ")?;
    findings(out, &report.suppressed)?;
    out.write_all(b",\n")?;
    // The security score of each document.
    field(out, "scores", &report.scores)?;
    out.write_all(b"\n}\n")
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

/// One finding as an item of a top-level array, byte for byte as `serde_json` writes
/// [`JsonDiagnostic`] at that depth (the tests hold the two together). Written by hand: a large
/// report is mostly these, and most of their cost was `serde_json`'s escaping, byte by byte.
fn finding(out: &mut Vec<u8>, d: &Diagnostic) {
    out.extend_from_slice(b"{\n      \"rule\": ");
    string(out, d.rule);
    out.extend_from_slice(b",\n      \"severity\": ");
    string(out, d.severity.as_str());
    out.extend_from_slice(b",\n      \"message\": ");
    string(out, &d.message);
    out.extend_from_slice(b",\n      \"help\": ");
    match &d.help {
        Some(help) => string(out, help),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n      \"owasp\": ");
    match d.owasp {
        Some(o) => {
            out.extend_from_slice(b"{\n        \"code\": ");
            string(out, o.code());
            out.extend_from_slice(b",\n        \"title\": ");
            string(out, o.title());
            out.extend_from_slice(b"\n      }");
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n      \"location\": ");
    location(out, &d.location, 4);
    out.extend_from_slice(b",\n      \"related\": ");
    if d.related.is_empty() {
        out.extend_from_slice(b"[]");
    } else {
        out.push(b'[');
        for (i, r) in d.related.iter().enumerate() {
            out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(b"        {\n          \"message\": ");
            string(out, &r.message);
            out.extend_from_slice(b",\n          \"location\": ");
            location(out, &r.location, 6);
            out.extend_from_slice(b"\n        }");
        }
        out.extend_from_slice(b"\n      ]");
    }
    out.extend_from_slice(b",\n      \"related_more\": ");
    number(out, d.related_more as u64);
    out.extend_from_slice(b",\n      \"fingerprint\": ");
    string(out, &d.fingerprint);
    if let Some(justification) = &d.suppressed {
        out.extend_from_slice(b",\n      \"suppression\": {\n        \"kind\": \"inSource\",\n        \"justification\": ");
        string(out, justification);
        out.extend_from_slice(b"\n      }");
    }
    out.extend_from_slice(b"\n    }");
}

/// A location object whose fields are `depth` levels deep (its braces one less).
fn location(out: &mut Vec<u8>, l: &Location, depth: usize) {
    // Locations are 4 or 6 levels deep: their indentation is cut from one run of spaces.
    const SPACES: &[u8; 32] = b"                                ";
    let indent = |out: &mut Vec<u8>, depth: usize| {
        out.extend_from_slice(&SPACES[..(2 * depth).min(SPACES.len())]);
    };
    let position = |out: &mut Vec<u8>, lc: LineCol, offset: u32| {
        out.extend_from_slice(b"{\n");
        indent(out, depth + 1);
        out.extend_from_slice(b"\"line\": ");
        number(out, u64::from(lc.line));
        out.extend_from_slice(b",\n");
        indent(out, depth + 1);
        out.extend_from_slice(b"\"column\": ");
        number(out, u64::from(lc.column));
        out.extend_from_slice(b",\n");
        indent(out, depth + 1);
        out.extend_from_slice(b"\"offset\": ");
        number(out, u64::from(offset));
        out.push(b'\n');
        indent(out, depth);
        out.push(b'}');
    };
    out.extend_from_slice(b"{\n");
    indent(out, depth);
    out.extend_from_slice(b"\"path\": ");
    string(out, &l.path);
    out.extend_from_slice(b",\n");
    indent(out, depth);
    out.extend_from_slice(b"\"pointer\": ");
    string(out, &l.pointer);
    out.extend_from_slice(b",\n");
    indent(out, depth);
    out.extend_from_slice(b"\"start\": ");
    position(out, l.start, l.span.start);
    out.extend_from_slice(b",\n");
    indent(out, depth);
    out.extend_from_slice(b"\"end\": ");
    position(out, l.end, l.span.end);
    out.push(b'\n');
    indent(out, depth - 1);
    out.push(b'}');
}

fn number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A JSON string, escaped as `serde_json` escapes it: `"` and `\\`, the control characters (the
/// usual ones by letter, the others as `\u00XX`), nothing else. Eight bytes are checked at a time.
fn string(out: &mut Vec<u8>, s: &str) {
    use crate::source::{special_in_word, word_at};
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Most texts need no escape: found a block of bytes at a time, without a branch per byte, and
    // copied at once.
    if plain(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = word_at(bytes, i)
            && !special_in_word(word)
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            0x0C => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            0..0x20 => None,
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[from..i]);
        match short {
            Some(c) => out.extend_from_slice(&[b'\\', c]),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
            }
        }
        i += 1;
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
    out.push(b'"');
}

/// True when no byte of the text needs an escape in a JSON string (a quote, a backslash, a control
/// character).
fn plain(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|block| {
        block
            .iter()
            .fold(true, |ok, &b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'))
    })
}

/// The schema of one finding as serde types: what [`finding`] writes by hand.
#[cfg(test)]
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

#[cfg(test)]
#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonOwasp {
    code: &'static str,
    title: &'static str,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonLocation<'a> {
    path: &'a str,
    pointer: &'a str,
    start: Position,
    end: Position,
}

#[cfg(test)]
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
    offset: u32,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    location: JsonLocation<'a>,
}

#[cfg(test)]
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

#[cfg(test)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::report;

    /// The whole document as `serde_json::to_string_pretty` writes it, with a newline.
    fn reference(report: &Report) -> String {
        #[derive(Serialize)]
        struct Whole<'a> {
            version: u32,
            tool: &'static str,
            tool_version: &'static str,
            summary: Summary,
            rules: &'a [&'static str],
            diagnostics: Vec<JsonDiagnostic<'a>>,
            suppressed: Vec<JsonDiagnostic<'a>>,
            scores: &'a [crate::score::Score],
        }
        let whole = Whole {
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
                elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap(),
            },
            rules: &report.rules,
            diagnostics: report
                .diagnostics
                .iter()
                .map(JsonDiagnostic::from)
                .collect(),
            suppressed: report.suppressed.iter().map(JsonDiagnostic::from).collect(),
            scores: &report.scores,
        };
        serde_json::to_string_pretty(&whole).unwrap() + "\n"
    }

    fn rendered(report: &Report) -> String {
        let mut out = Vec::new();
        render(report, &mut out, &RenderOptions::default()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_serde_json_writes_byte_for_byte() {
        let mut few = report();
        assert!(few.suppressed.is_empty());
        assert_eq!(rendered(&few), reference(&few));
        few.suppressed = few.diagnostics.clone();
        few.suppressed[0].suppressed = Some("reviewed \"twice\"\n".into());
        let odd = "quote \" backslash \\ tab \t nul \u{0} \u{1f} del \u{7f} é 😀 </script>";
        few.diagnostics[0].message = odd.into();
        few.diagnostics[0].help = None;
        few.diagnostics[0].owasp = None;
        few.diagnostics[0].related[0].message = odd.into();
        few.diagnostics[0].location.path = "dir with \"quotes\"/api.yaml".into();
        few.rules = vec!["string-unbounded", "server-http"];
        assert_eq!(rendered(&few), reference(&few));
        // A real run: scores, several documents and files.
        let real = crate::lint(&crate::LintRequest {
            paths: vec!["testdata/multi-file".into(), "testdata/demo".into()],
            ..crate::LintRequest::default()
        });
        assert!(!real.scores.is_empty() && !real.diagnostics.is_empty());
        assert_eq!(rendered(&real), reference(&real));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut samples: Vec<String> = vec![String::new(), "plain".into(), "é ü 😀 \u{7f}".into()];
        // Every ASCII character at every place of two eight-byte words, and on either side of the
        // 64-byte blocks that are checked at once.
        for c in (0u8..0x80).map(char::from) {
            for pad in 0..17 {
                samples.push(format!("{}{c}{}", "a".repeat(pad), "b".repeat(16 - pad)));
            }
            for pad in [62, 63, 64, 65, 127, 128] {
                samples.push(format!("{}{c}{}", "a".repeat(pad), "é".repeat(40)));
            }
        }
        for s in samples {
            let mut ours = Vec::new();
            string(&mut ours, &s);
            let ours = String::from_utf8(ours).unwrap();
            assert_eq!(ours, serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn many_findings_are_written_as_few_are_byte_for_byte() {
        let mut big = report();
        let one = big.diagnostics.clone();
        // Several windows, the last one partly filled and not a whole number of chunks.
        while big.diagnostics.len() < super::super::WINDOW * 9 + 7 {
            big.diagnostics.extend(one.iter().cloned());
        }
        let ours = rendered(&big);
        assert!(ours.len() > 1_000_000);
        assert!(
            ours == reference(&big),
            "the report written on several threads differs from serde_json's"
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

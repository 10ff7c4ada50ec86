//! What the fuzz targets run and check, with no dependency but rampart and serde_json, so that
//! `tests/fuzz_regressions.rs` replays the committed inputs through exactly the same code.
//!
//! A finding is any panic, an `internal-error` diagnostic (a panic the linter caught), a location
//! outside its file's text, or JSON output that does not parse.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rampart::diagnostic::{Diagnostic, Location, Owasp, Related, Severity};
use rampart::engine::{Policy, Preset};
use rampart::output::{RenderOptions, concise, human, json};
use rampart::source::{LineCol, Span};
use rampart::{FileReport, LintRequest, Report, lint};

/// The file names a target may lint. They exist on disk (empty) so that discovery finds them; their
/// text always comes from the in-memory overlay.
pub const FILES: [&str; 5] = [
    "doc.json",
    "doc.yaml",
    "openapi.json",
    "openapi.yaml",
    "common.yaml",
];

/// A folder of this process holding the placeholder files.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rampart-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        for name in FILES {
            std::fs::write(dir.join(name), "").expect("write a placeholder file");
        }
        dir
    })
}

/// Lints `files` (name and text; the first is the document, the others only reached by `$ref`)
/// with every rule, as `rampart lint` would with the files on disk.
pub fn lint_texts(files: &[(&str, &str)]) -> Report {
    let dir = scratch();
    let request = LintRequest {
        paths: vec![dir.join(files[0].0).to_string_lossy().into_owned()],
        overlays: files
            .iter()
            .map(|(name, text)| (dir.join(name), Arc::from(*text)))
            .collect(),
        policy: Policy {
            preset: Preset::All,
            ..Policy::default()
        },
        project_root: Some(dir.to_path_buf()),
        ..LintRequest::default()
    };
    lint(&request)
}

/// The `load_json` and `load_yaml` targets: arbitrary bytes as a file named `name`.
pub fn load(name: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    // The parser on its own: every node's span lies in the text, on character boundaries.
    let limits = rampart::source::Limits::default();
    if let Ok((tree, _)) = rampart::source::parse_file(name, Arc::from(&*text), &limits) {
        for i in 0..tree.len() {
            let span = tree.span(rampart::source::NodeId(i as u32));
            assert!(
                span_fits(&text, span),
                "node {i} has span {span:?} outside the text ({} bytes)",
                text.len()
            );
        }
    }
    let report = lint_texts(&[(name, &text)]);
    check_report(&report);
    render_all(&report);
}

/// The `yaml_regions` target: arbitrary bytes as a YAML text, parsed in regions cut at every line
/// that can start one, must give the tree of one stream (or be parsed as one stream).
pub fn yaml_regions(bytes: &[u8]) {
    rampart::source::check_yaml_regions(&String::from_utf8_lossy(bytes));
}

/// The `lint_structured` target, once its document is written out.
pub fn lint_document(files: &[(&str, &str)]) {
    let report = lint_texts(files);
    check_report(&report);
    render_all(&report);
}

/// What the pipeline promises about its report.
pub fn check_report(report: &Report) {
    for d in &report.diagnostics {
        assert_ne!(
            d.rule, "internal-error",
            "the linter panicked: {}",
            d.message
        );
        check_location(report, &d.location);
        for r in &d.related {
            check_location(report, &r.location);
        }
    }
}

fn check_location(report: &Report, l: &Location) {
    if let Some(text) = report.source(&l.path) {
        assert!(
            span_fits(text, l.span),
            "{}: span {:?} outside the text ({} bytes)",
            l.path,
            l.span,
            text.len()
        );
    }
}

fn span_fits(text: &str, span: Span) -> bool {
    span.start <= span.end
        && text.is_char_boundary(span.start as usize)
        && text.is_char_boundary(span.end as usize)
}

/// Every renderer with every option that changes its code path.
pub fn render_all(report: &Report) {
    render_with(report, &[(false, true, 100), (true, false, 40)]);
}

fn render_with(report: &Report, options: &[(bool, bool, usize)]) {
    for &(color, unicode, width) in options {
        let opts = RenderOptions {
            color,
            unicode,
            width,
        };
        let mut out = Vec::new();
        human::render(report, &mut out, &opts).expect("human output");
        out.clear();
        concise::render(report, &mut out, &opts).expect("concise output");
        out.clear();
        json::render(report, &mut out, &opts).expect("json output");
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!("the JSON output does not parse: {e}");
        }
    }
}

/// The `render` target: a report decoded from arbitrary bytes, rendered in every format.
pub fn render(bytes: &[u8]) {
    let mut input = Bytes(bytes);
    let report = input.report();
    let width = usize::from(input.u16()) % 400;
    let (color, unicode) = (input.bool(), input.bool());
    render_with(&report, &[(color, unicode, width)]);
}

/// Rule ids a decoded diagnostic may carry: rules, and input problems (some are shown without a
/// snippet when their file has no text).
const RULES: [&str; 6] = [
    "string-unbounded",
    "parse-error",
    "io-error",
    "input-limit",
    "internal-error",
    "x",
];

const SEVERITIES: [Severity; 4] = [
    Severity::Hint,
    Severity::Info,
    Severity::Warning,
    Severity::Error,
];

/// Reads values off the front of the input; past its end every value is zero or empty.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    /// A length-prefixed string (lossy UTF-8).
    fn string(&mut self) -> String {
        let len = usize::from(self.u16()).min(self.0.len());
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8_lossy(taken).into_owned()
    }

    /// A number that is small, near a bound of the text, or anything.
    fn offset(&mut self, len: usize) -> u32 {
        match self.u8() % 4 {
            0 => u32::from(self.u8()),
            1 => (len as u32)
                .wrapping_add(u32::from(self.u8()))
                .wrapping_sub(128),
            2 => self.u32() % (len as u32 + 2),
            _ => self.u32(),
        }
    }

    fn line_col(&mut self) -> LineCol {
        let small = self.bool();
        let mut n = || {
            if small {
                u32::from(self.u8())
            } else {
                self.u32()
            }
        };
        LineCol {
            line: n(),
            column: n(),
            utf16_column: n(),
        }
    }

    fn location(&mut self, files: &[FileReport]) -> Location {
        let pick = usize::from(self.u8());
        let (path, len): (Arc<str>, usize) = match files.get(pick % (files.len() + 2)) {
            Some(f) => (f.path.clone(), f.text.len()),
            None if pick % 2 == 0 => (Arc::from(""), 0),
            None => (Arc::from(self.string()), 0),
        };
        let (start, end) = (self.offset(len), self.offset(len));
        let (start_lc, end_lc) = (self.line_col(), self.line_col());
        Location {
            abs: Arc::from(Path::new("/project").join(&*path)),
            path,
            span: Span { start, end },
            start: start_lc,
            end: end_lc,
            pointer: self.string().into(),
        }
    }

    fn diagnostic(&mut self, files: &[FileReport]) -> Diagnostic {
        let rule = RULES[usize::from(self.u8()) % RULES.len()];
        let severity = SEVERITIES[usize::from(self.u8()) % SEVERITIES.len()];
        let message = self.string();
        let help = self.bool().then(|| self.string());
        let location = self.location(files);
        let related = (0..self.u8() % 8)
            .map(|_| Related {
                location: self.location(files),
                message: self.string().into(),
            })
            .collect();
        let related_more = usize::from(self.u8());
        let owasp = self
            .bool()
            .then_some(Owasp::Api4UnrestrictedResourceConsumption);
        Diagnostic {
            rule,
            severity,
            message,
            help: help.map(Into::into),
            location,
            related,
            related_more,
            suppressed: self.bool().then(|| self.string()),
            owasp,
            fingerprint: self.string(),
        }
    }

    fn report(&mut self) -> Report {
        let files: Vec<FileReport> = (0..self.u8() % 3)
            .map(|i| FileReport {
                path: Arc::from(if self.bool() {
                    format!("f{i}.yaml")
                } else {
                    self.string()
                }),
                text: Arc::from(self.string()),
                excerpt: None,
                reread: None,
                root: self.bool(),
                version: self.bool().then(|| self.string()),
            })
            .collect();
        let diagnostics = (0..self.u8() % 6)
            .map(|_| self.diagnostic(&files))
            .collect();
        Report {
            diagnostics,
            files,
            elapsed: std::time::Duration::from_millis(u64::from(self.u32())),
            rules: vec!["string-unbounded"],
            root: PathBuf::from("/project"),
            ..Report::default()
        }
    }
}

//! For people: each finding with its source snippet (miette's graphical handler), then a summary line.
//!
//! ```text
//! string-unbounded
//!
//!   ⚠ string property `name` of `Pet` has no maxLength
//!    ╭─[api.yaml:6:9]
//!  5 │       properties:
//!  6 │         name:
//!    ·         ────
//!  7 │           type: string
//!    ╰────
//!   help: add `maxLength` to the property
//!   owasp: API4:2023 Unrestricted Resource Consumption
//! ```
//!
//! Related locations in the same file are extra labels on the snippet; those in other files are listed in a
//! note as `path:line:col message`, at most [`MAX_RELATED`] of each kind.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};

use super::{RenderOptions, paint, summary};
use crate::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

/// Related locations shown per finding (as labels, and again as note lines); the rest are counted.
pub const MAX_RELATED: usize = 5;

/// Writes every finding, then the summary line.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let theme = match (opts.color, opts.unicode) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::ascii(),
        (false, true) => GraphicalTheme::unicode_nocolor(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(opts.width.max(20));

    // Inputs that could not be read have no text to show; the command line prints them on their own.
    for d in report
        .diagnostics
        .iter()
        .filter(|d| !super::unreadable(report, d))
    {
        let finding = Finding::new(d, report.source(&d.location.path));
        let mut text = String::new();
        handler
            .render_report(&mut text, &finding)
            .map_err(|fmt::Error| io::Error::other("could not format a diagnostic"))?;
        out.write_all(text.as_bytes())?;
        write_notes(d, out, opts)?;
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(report))
}

/// The lines under miette's `help:`: the OWASP category and related locations in other files.
fn write_notes(d: &Diagnostic, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    if let Some(owasp) = d.owasp {
        writeln!(out, "  {} {owasp}", paint("owasp:", "36", opts.color))?;
    }
    let elsewhere: Vec<_> = d
        .related
        .iter()
        .filter(|r| r.location.path != d.location.path)
        .collect();
    let hidden_here = d
        .related
        .iter()
        .filter(|r| r.location.path == d.location.path)
        .count()
        .saturating_sub(MAX_RELATED);
    if elsewhere.is_empty() && hidden_here == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "  {} related locations",
        paint("note:", "36", opts.color)
    )?;
    for r in elsewhere.iter().take(MAX_RELATED) {
        let l = &r.location;
        writeln!(
            out,
            "        {}:{}:{} {}",
            l.path, l.start.line, l.start.column, r.message
        )?;
    }
    let more = elsewhere.len().saturating_sub(MAX_RELATED) + hidden_here;
    if more > 0 {
        writeln!(out, "        and {more} more")?;
    }
    Ok(())
}

/// A [`Diagnostic`] as miette sees it.
#[derive(Debug)]
struct Finding<'a> {
    diagnostic: &'a Diagnostic,
    /// The message, led by the path when there is no snippet to show where it is.
    message: String,
    source: Option<Source>,
    labels: Vec<LabeledSpan>,
}

/// The file's text under its name, reporting columns in characters (as every other output does)
/// where miette would count bytes.
#[derive(Debug)]
struct Source {
    named: NamedSource<Arc<str>>,
    text: Arc<str>,
}

impl SourceCode for Source {
    fn read_span<'s>(
        &'s self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'s> + 's>, miette::MietteError> {
        let inner = self.named.read_span(span, before, after)?;
        if before != 0 || after != 0 {
            return Ok(inner);
        }
        // A span read without context starts at the span: its column, in characters.
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(0, |s| s.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            inner.name().unwrap_or_default().to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl<'a> Finding<'a> {
    fn new(d: &'a Diagnostic, text: Option<&Arc<str>>) -> Finding<'a> {
        let Some(text) = text else {
            let message = if d.location.path.is_empty() {
                d.message.clone()
            } else {
                format!("{}: {}", d.location.path, d.message)
            };
            return Finding {
                diagnostic: d,
                message,
                source: None,
                labels: Vec::new(),
            };
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            None,
            clamp(text, d.location.span),
        )];
        labels.extend(
            d.related
                .iter()
                .filter(|r| r.location.path == d.location.path)
                .take(MAX_RELATED)
                .map(|r| {
                    LabeledSpan::new_with_span(
                        Some(r.message.clone()),
                        clamp(text, r.location.span),
                    )
                }),
        );
        Finding {
            diagnostic: d,
            message: d.message.clone(),
            source: Some(Source {
                named: NamedSource::new(&*d.location.path, Arc::clone(text)),
                text: Arc::clone(text),
            }),
            labels,
        }
    }
}

/// A span that lies inside `text` and on character boundaries, whatever the diagnostic said.
fn clamp(text: &str, span: Span) -> SourceSpan {
    let mut start = (span.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    SourceSpan::new(start.into(), end - start)
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Hint => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Related;
    use crate::output::tests::{TEXT, location, report};

    fn rendered(report: &Report, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        render(report, &mut out, opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn shows_rule_message_help_snippet_and_summary() {
        let text = rendered(&report(), &RenderOptions::default());
        assert!(!text.contains('\x1b'), "{text}");
        assert!(text.contains("string-unbounded"), "{text}");
        assert!(
            text.contains("string property `name` of `Pet` has no maxLength"),
            "{text}"
        );
        assert!(
            text.contains("help: add `maxLength` to the property"),
            "{text}"
        );
        assert!(text.contains("        name:"), "{text}");
        assert!(text.contains("[api.yaml:6:9]"), "{text}");
        assert!(text.contains("in this schema"), "{text}");
        assert!(
            text.contains("owasp: API4:2023 Unrestricted Resource Consumption"),
            "{text}"
        );
        assert!(
            text.contains("note: related locations\n        common.yaml:4:3 referenced here\n"),
            "{text}"
        );
        assert!(
            text.ends_with("1 warning, 1 info in 1 file (1 document) in 0.12s\n"),
            "{text}"
        );
    }

    #[test]
    fn ascii_without_unicode_and_colour_with_it() {
        let ascii = rendered(
            &report(),
            &RenderOptions {
                unicode: false,
                ..RenderOptions::default()
            },
        );
        assert!(ascii.is_ascii(), "{ascii}");
        let coloured = rendered(
            &report(),
            &RenderOptions {
                color: true,
                ..RenderOptions::default()
            },
        );
        assert!(coloured.contains('\x1b'));
    }

    #[test]
    fn many_related_locations_are_capped() {
        let mut report = report();
        let d = &mut report.diagnostics[0];
        d.related = (0..8)
            .map(|i| Related {
                location: location("other.yaml", 0, 1),
                message: format!("use {i}"),
            })
            .chain((0..7).map(|i| Related {
                location: location("api.yaml", 0, 7),
                message: format!("here {i}"),
            }))
            .collect();
        let text = rendered(&report, &RenderOptions::default());
        assert!(text.contains("use 4"), "{text}");
        assert!(!text.contains("use 5"), "{text}");
        assert!(text.contains("and 5 more"), "{text}");
    }

    #[test]
    fn a_finding_without_source_text_names_its_file() {
        let mut report = report();
        report.files.clear();
        let text = rendered(&report, &RenderOptions::default());
        assert!(text.contains("api.yaml: string property `name`"), "{text}");
    }

    #[test]
    fn spans_outside_the_text_or_inside_a_character_are_clamped() {
        let text = "a: é\n";
        let s = clamp(text, Span { start: 4, end: 99 });
        assert_eq!((s.offset(), s.len()), (3, 3));
        let s = clamp(TEXT, Span { start: 999, end: 5 });
        assert_eq!((s.offset(), s.len()), (TEXT.len(), 0));
    }
}

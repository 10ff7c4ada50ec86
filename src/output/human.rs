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
//! The snippet is a window on the source: the finding's lines and one line of context on each side, each cut
//! to the terminal's width around the finding (`…` marks what is left out), so a finding in a minified
//! one-line JSON file prints a few hundred bytes, not the file. The header keeps the true
//! `path:line:column` (columns in characters). Source text is escaped for the terminal like every other
//! string of input origin.
//!
//! Related locations in the same file are extra labels on the snippet when they fall inside the window;
//! the others (and those in other files) are listed in a note as `path:line:col message`, at most
//! [`MAX_RELATED`] of them. Should the snippet renderer fail on a finding, that finding is printed in the
//! concise one-line form and the run goes on.

use std::fmt;
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};

use super::excerpt::{Excerpt, Reread};
use super::{
    RenderOptions, escape, escaped_len, needs_escape, paint, printable, rule_table, summary,
};
use crate::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Span;

/// Related locations shown per finding (as labels, and as note lines); the rest are counted.
pub const MAX_RELATED: usize = 5;

/// A finding spanning more lines than this is marked on its first line only.
pub(super) const MAX_SPAN_LINES: usize = 8;

/// Writes every finding, then the findings per rule and the summary line.
pub fn render(report: &Report, out: &mut dyn Write, opts: &RenderOptions) -> io::Result<()> {
    let theme = match (opts.color, opts.unicode) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::ascii(),
        (false, true) => GraphicalTheme::unicode_nocolor(),
        (false, false) => GraphicalTheme::none(),
    };
    // Lines are wrapped at spaces only: messages name paths, pointers and `X-RateLimit-Limit`
    // headers, which Unicode line breaking and hyphenation would split at their `/` and `-`, and
    // which are searched for and copied whole (finding Unicode breaks was also a tenth of the time
    // of this output). A word longer than a line is still cut.
    let width = opts.width.max(20);
    let prefixes = Prefixes::of(&theme, width);
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(width)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    // Findings whose message and help `wrap_ascii` breaks into lines itself, as miette would.
    let prewrapped = handler.clone().with_wrap_lines(false);

    // Inputs that could not be read have no text to show; the command line prints them on their own.
    let shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !super::unreadable(report, d))
        .collect();
    let mut texts: std::collections::HashMap<&str, Text<'_>> = report
        .files
        .iter()
        .rev()
        .map(|f| {
            let text = match (&f.excerpt, &f.reread) {
                (Some(excerpt), _) => Text::Kept(Source::Excerpt(excerpt)),
                (None, Some(reread)) => Text::Again(Again {
                    reread,
                    slot: Mutex::default(),
                }),
                (None, None) => Text::Kept(Source::Whole(&f.text)),
            };
            (&*f.path, text)
        })
        .collect();
    for d in &shown {
        if let Some(Text::Again(again)) = texts.get_mut(&*d.location.path) {
            again
                .slot
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .left += 1;
        }
    }
    super::write_in_windows(out, &shown, &|_, d: &&Diagnostic, buf| {
        let d = *d;
        let read;
        let source = match texts.get(&*d.location.path) {
            Some(Text::Kept(source)) => Some(*source),
            Some(Text::Again(again)) => {
                read = again.text();
                read.as_deref().map(Source::Whole)
            }
            None => None,
        };
        let mut finding = Finding::new(d, source, opts);
        let handler = match prefixes.wrap(&finding) {
            Some((message, help)) => {
                finding.message = message;
                finding.help = help;
                &prewrapped
            }
            None => &handler,
        };
        // About what a finding takes, so that it is not grown a few bytes at a time.
        let mut text = String::with_capacity(2048);
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            handler.render_report(&mut text, &finding)
        }));
        match rendered {
            Ok(Ok(())) => buf.extend_from_slice(text.as_bytes()),
            // The renderer failed on this finding: fall back to its one-line form.
            Ok(Err(fmt::Error)) | Err(_) => {
                buf.extend_from_slice(super::concise::line(d, opts).as_bytes());
                buf.push(b'\n');
            }
        }
        write_notes(d, &finding.shown, buf, opts);
        buf.push(b'\n');
    })?;
    write!(out, "{}", rule_table(report, false, "", opts.color))?;
    writeln!(out, "{}", summary(report))
}

/// What miette writes before each line of a message and of its help, in columns, and how wide the
/// lines are: what its wrapping is given.
struct Prefixes {
    width: usize,
    /// `  × ` (or the icon of the severity) before a message's first line.
    error: usize,
    warning: usize,
    advice: usize,
    /// `  │ ` before its other lines.
    bar: usize,
}

impl Prefixes {
    fn of(theme: &GraphicalTheme, termwidth: usize) -> Prefixes {
        let icon = |icon: &str| 3 + textwrap::core::display_width(icon);
        let c = &theme.characters;
        Prefixes {
            width: termwidth.saturating_sub(2),
            error: icon(&c.error),
            warning: icon(&c.warning),
            advice: icon(&c.advice),
            bar: icon(&c.vbar.to_string()),
        }
    }

    /// A finding's message and help broken into lines as miette would break them (`None` when
    /// [`wrap_ascii`] leaves either to miette).
    fn wrap(&self, finding: &Finding<'_>) -> Option<(String, Option<String>)> {
        let first = match miette::Diagnostic::severity(finding) {
            Some(miette::Severity::Error) | None => self.error,
            Some(miette::Severity::Warning) => self.warning,
            Some(miette::Severity::Advice) => self.advice,
        };
        let message = wrap_ascii(&finding.message, self.width, first, self.bar)?;
        let help = match &finding.help {
            // `  help: `, then as many spaces.
            Some(help) => Some(wrap_ascii(help, self.width, 8, 8)?),
            None => None,
        };
        Some((message, help))
    }
}

/// `text` broken into lines the way miette's wrapping breaks it (textwrap's first fit, at ASCII
/// spaces, without hyphens, cutting words longer than a line) after prefixes `first` and `rest`
/// columns wide in lines of `width` columns, without the prefixes; miette then only puts the
/// prefixes in front. It takes about a tenth of the time, and the human format spent a fifth of
/// its time wrapping. `None` for what it does not cover: anything but printable ASCII, a leading
/// space, a line left empty (textwrap would leave its prefix's trailing space, miette would not).
fn wrap_ascii(text: &str, width: usize, first: usize, rest: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let widths = [width.saturating_sub(first), width.saturating_sub(rest)];
    if bytes.first().is_none_or(|&b| b == b' ') || !printable(bytes, false) || widths[1] == 0 {
        return None;
    }
    // Words as (start, end of the word, end of the spaces after it), after the empty word that
    // textwrap puts first (the line starts with it); a word longer than the lines after the first
    // is cut into pieces of that width, the spaces after it going with the last.
    let mut fit = Fit {
        text,
        widths,
        out: String::with_capacity(text.len() + text.len() / 32),
        line: 0,
        from: 0,
        to: 0,
        used: 0,
    };
    let mut i = 0;
    while i < bytes.len() {
        let mut start = i;
        while i < bytes.len() && bytes[i] != b' ' {
            i += 1;
        }
        let end = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        while end - start > widths[1] {
            fit.place(start, start + widths[1], start + widths[1])?;
            start += widths[1];
        }
        fit.place(start, end, i)?;
    }
    if fit.to == fit.from {
        return None;
    }
    fit.out.push_str(&text[fit.from..fit.to]);
    Some(fit.out)
}

/// Words placed on lines first fit, as [`wrap_ascii`] goes.
struct Fit<'t> {
    text: &'t str,
    widths: [usize; 2],
    out: String,
    /// The line being filled, where its text starts and ends, and its width with the spaces after.
    line: usize,
    from: usize,
    to: usize,
    used: usize,
}

impl Fit<'_> {
    /// Places a word on the line if it fits, else on the next (the line has at least one word, if
    /// only the empty first one); `None` when that leaves a line empty.
    fn place(&mut self, start: usize, end: usize, spaces: usize) -> Option<()> {
        if self.used + (end - start) > self.widths[self.line.min(1)] {
            if self.to == self.from {
                return None;
            }
            self.out.push_str(&self.text[self.from..self.to]);
            self.out.push('\n');
            self.line += 1;
            self.from = start;
            self.used = 0;
        }
        self.used += spaces - start;
        self.to = end;
        Some(())
    }
}

/// The lines under miette's `help:`: the OWASP category and the related locations not shown as labels.
fn write_notes(d: &Diagnostic, shown: &[usize], out: &mut Vec<u8>, opts: &RenderOptions) {
    // Writing to memory does not fail.
    if let Some(owasp) = d.owasp {
        let _ = writeln!(out, "  {} {owasp}", paint("owasp:", "36", opts.color));
    }
    let listed: Vec<_> = d
        .related
        .iter()
        .enumerate()
        .filter(|(i, _)| !shown.contains(i))
        .map(|(_, r)| r)
        .collect();
    if listed.is_empty() && d.related_more == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "  {} related locations",
        paint("note:", "36", opts.color)
    );
    for r in listed.iter().take(MAX_RELATED) {
        let l = &r.location;
        let _ = writeln!(
            out,
            "        {}:{}:{} {}",
            escape(&l.path),
            l.start.line,
            l.start.column,
            escape(&r.message)
        );
    }
    let more = listed.len().saturating_sub(MAX_RELATED) + d.related_more;
    if more > 0 {
        let _ = writeln!(out, "        and {more} more");
    }
}

/// A [`Diagnostic`] as miette sees it.
#[derive(Debug)]
struct Finding<'a> {
    diagnostic: &'a Diagnostic,
    /// The message, escaped, led by the path when there is no snippet to show where it is.
    message: String,
    help: Option<String>,
    source: Option<Window>,
    labels: Vec<LabeledSpan>,
    /// Indices of the related locations drawn as labels.
    shown: Vec<usize>,
}

impl<'a> Finding<'a> {
    fn new(d: &'a Diagnostic, source: Option<Source<'_>>, opts: &RenderOptions) -> Finding<'a> {
        let help = d.help.as_deref().map(|h| escape(h).into_owned());
        let Some((source, span)) = source.and_then(|s| Some((s, s.primary(d.location.span)?)))
        else {
            let message = if d.location.path.is_empty() {
                escape(&d.message).into_owned()
            } else {
                format!("{}: {}", escape(&d.location.path), escape(&d.message))
            };
            return Finding {
                diagnostic: d,
                message,
                help,
                source: None,
                labels: Vec::new(),
                shown: Vec::new(),
            };
        };
        // Room for the text of a line: the width less the gutter (line number, bars) and the `…` marks.
        let digits = (d.location.start.line as usize + MAX_SPAN_LINES + 1)
            .to_string()
            .len();
        let budget = opts.width.saturating_sub(digits + 10).max(20);
        let window = Window::new(source, span, d, budget);
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, window.primary)];
        let mut shown = Vec::new();
        for (i, r) in d.related.iter().enumerate() {
            if shown.len() == MAX_RELATED {
                break;
            }
            if r.location.path != d.location.path {
                continue;
            }
            if let Some(span) = source
                .related(r.location.span)
                .and_then(|span| window.translate(span))
            {
                labels.push(LabeledSpan::new_with_span(
                    Some(escape(&r.message).into_owned()),
                    span,
                ));
                shown.push(i);
            }
        }
        Finding {
            diagnostic: d,
            message: escape(&d.message).into_owned(),
            help,
            source: Some(window),
            labels,
            shown,
        }
    }
}

/// A byte range of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    start: usize,
    end: usize,
}

/// One line of the window: where it is in the file and what is shown of it.
#[derive(Debug)]
struct WindowLine {
    /// The line in the file, without its line break.
    file: Range,
    /// Where its shown text starts in the window's text.
    offset: usize,
    /// File offset and window offset of each shown character, and of the end of the shown text.
    marks: Vec<(usize, usize)>,
}

/// The few lines of a file around a finding, each cut to a window of columns and escaped: the text miette
/// is given, with the true line numbers and the true position of the finding for its header.
#[derive(Debug)]
struct Window {
    /// The file name, escaped.
    name: String,
    text: String,
    lines: Vec<WindowLine>,
    /// 0-based line number of the first line.
    first_line: usize,
    /// The finding, in the window's text.
    primary: SourceSpan,
    /// 0-based line and character column of the finding in the file.
    position: (usize, usize),
}

/// The nearest character boundary at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The nearest character boundary at or after `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl Window {
    /// The window on `source` around `span` (the finding, in its text).
    fn new(source: Source<'_>, span: SourceSpan, d: &Diagnostic, budget: usize) -> Window {
        let text = source.text();
        let (start, mut end) = (span.offset(), span.offset() + span.len());
        // A line of a minified file may be megabytes long: look at most `reach` bytes either side of
        // the finding (enough for the window's width in any characters), so each finding costs the
        // window, not the line. A line cut here shows `…` like one cut for width.
        let reach = 4 * budget + 64;
        let line_of = |offset: usize| {
            let lo = floor_boundary(text, offset.saturating_sub(reach));
            let start = text[lo..offset].rfind('\n').map_or(lo, |i| lo + i + 1);
            let hi = ceil_boundary(text, offset.saturating_add(reach).min(text.len()));
            let end = text[offset..hi].find('\n').map_or(hi, |i| offset + i);
            let shown_end = if text[start..end].ends_with('\r') {
                end - 1
            } else {
                end
            };
            Range {
                start,
                end: shown_end,
            }
        };
        // The lines of the finding, at most MAX_SPAN_LINES of them.
        let first = line_of(start);
        let mut spanned = vec![first];
        let last_offset = end.saturating_sub(1).max(start);
        while let Some(&last) = spanned.last() {
            let hi = ceil_boundary(text, last.end.saturating_add(reach).min(text.len()));
            let next = text[last.end..hi].find('\n').map(|i| last.end + i + 1);
            match next {
                Some(next) if next <= last_offset => {
                    if spanned.len() == MAX_SPAN_LINES {
                        end = first.end.max(start);
                        spanned.truncate(1);
                        break;
                    }
                    spanned.push(line_of(next));
                }
                _ => break,
            }
        }
        // Context lines only next to lines seen whole (a cut line's neighbours are not next to it).
        let before = (first.start > 0 && text.as_bytes()[first.start - 1] == b'\n').then(|| {
            // The line above is shown from its start, so that its columns line up.
            let end = first.start - 1;
            let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
            let mut line = line_of(end);
            line.start = start;
            line
        });
        let after = spanned
            .last()
            .filter(|l| text[l.end..].starts_with('\n') || text[l.end..].starts_with("\r\n"))
            .and_then(|l| {
                let hi = ceil_boundary(text, l.end.saturating_add(reach).min(text.len()));
                text[l.end..hi].find('\n').map(|i| l.end + i + 1)
            })
            .filter(|&next| next < text.len())
            .map(line_of);
        let file_lines: Vec<Range> = before
            .into_iter()
            .chain(spanned.iter().copied())
            .chain(after)
            .collect();

        // The columns to show, in escaped characters: everything if it fits, else a window of `budget`
        // around the finding's start (and as much of the finding as fits).
        // Printable ASCII (and tabs) is a column a byte, with nothing to escape: most specs are, and
        // a window of a minified line is hundreds of characters.
        let plain = |from: usize, to: usize| printable(&text.as_bytes()[from..to], true);
        let width = |from: usize, to: usize| -> usize {
            if plain(from, to) {
                to - from
            } else {
                text[from..to].chars().map(snippet_len).sum()
            }
        };
        let column = width(first.start, start);
        let span_width = if spanned.len() == 1 {
            width(start, end)
        } else {
            1
        };
        // Stops counting past the budget: a line of a minified file may be megabytes long.
        let fits = |l: &Range| {
            if plain(l.start, l.end) {
                return l.end - l.start <= budget;
            }
            text[l.start..l.end]
                .chars()
                .scan(0, |w, c| {
                    *w += snippet_len(c);
                    Some(*w)
                })
                .all(|w| w <= budget)
        };
        let (from, to) = if file_lines.iter().all(fits) {
            (0, usize::MAX)
        } else {
            let margin = budget.saturating_sub(span_width.min(budget)) / 2;
            let from = column.saturating_sub(margin);
            (from, from + budget)
        };

        let mut window = String::new();
        let mut lines = Vec::with_capacity(file_lines.len());
        for (i, line) in file_lines.iter().enumerate() {
            if i > 0 {
                window.push('\n');
            }
            let mut marks = Vec::new();
            let mut position = 0;
            let mut offset = None;
            let mut cut_after = false;
            let ascii = plain(line.start, line.end);
            if ascii {
                // What the loop below does, a byte a column.
                let n = line.end - line.start;
                let (shown_from, shown_to) = (from.min(n), to.min(n));
                if shown_from < shown_to {
                    if from > 0 {
                        window.push('…');
                    }
                    offset = Some(window.len());
                    let at = window.len();
                    marks.extend(
                        (shown_from..shown_to).map(|k| (line.start + k, at + (k - shown_from))),
                    );
                    window.push_str(&text[line.start + shown_from..line.start + shown_to]);
                }
                position = n;
                cut_after = n > to;
            }
            let chars = if ascii {
                ""
            } else {
                &text[line.start..line.end]
            };
            for (at, c) in chars.char_indices() {
                let w = snippet_len(c);
                if position < from {
                    position += w;
                    continue;
                }
                if position + w > to {
                    cut_after = true;
                    break;
                }
                if offset.is_none() {
                    if from > 0 {
                        window.push('…');
                    }
                    offset = Some(window.len());
                }
                marks.push((line.start + at, window.len()));
                if c != '\t' && needs_escape(c) {
                    super::push_escaped(&mut window, c);
                } else {
                    window.push(c);
                }
                position += w;
            }
            if offset.is_none() && position > 0 {
                // The whole line lies left of the window.
                window.push('…');
            }
            let offset = offset.unwrap_or(window.len());
            let shown_end = marks.last().map_or(line.start, |&(at, _)| {
                at + text[at..].chars().next().map_or(0, char::len_utf8)
            });
            marks.push((if cut_after { shown_end } else { line.end }, window.len()));
            if cut_after {
                window.push('…');
            }
            lines.push(WindowLine {
                file: *line,
                offset,
                marks,
            });
        }

        let first_line = match d.location.start.line {
            0 => source.line_at(first.start),
            n => n as usize - 1,
        }
        .saturating_sub(usize::from(before.is_some()));
        let position = (
            first_line + usize::from(before.is_some()),
            match d.location.start.column {
                0 => text[first.start..start].chars().count(),
                n => n as usize - 1,
            },
        );
        let mut window = Window {
            name: escape(&d.location.path).into_owned(),
            text: window,
            lines,
            first_line,
            primary: SourceSpan::new(0.into(), 0),
            position,
        };
        // The finding, cut to what is shown of it.
        let primary_line = usize::from(before.is_some());
        let last_line = primary_line + spanned.len() - 1;
        let shown_start = window.lines[primary_line]
            .marks
            .iter()
            .find(|&&(at, _)| at >= start)
            .map_or(window.lines[primary_line].offset, |&(_, o)| o);
        let shown_end = window.lines[last_line]
            .marks
            .iter()
            .rev()
            .find(|&&(at, _)| at <= end)
            .map_or(shown_start, |&(_, o)| o)
            .max(shown_start);
        window.primary = SourceSpan::new(shown_start.into(), shown_end - shown_start);
        window
    }

    /// Where a span of the file is in the window, if all of it is shown.
    fn translate(&self, span: SourceSpan) -> Option<SourceSpan> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let find = |offset: usize| {
            self.lines
                .iter()
                .filter(|l| l.file.start <= offset && offset <= l.file.end)
                .find_map(|l| {
                    l.marks
                        .binary_search_by_key(&offset, |&(at, _)| at)
                        .ok()
                        .map(|i| l.marks[i].1)
                })
        };
        let (start, end) = (find(start)?, find(end)?);
        (start <= end).then(|| SourceSpan::new(start.into(), end - start))
    }
}

/// The characters a source character takes in a snippet (tabs are left to miette, which expands them).
fn snippet_len(c: char) -> usize {
    if c == '\t' { 1 } else { escaped_len(c) }
}

impl SourceCode for Window {
    fn read_span<'s>(
        &'s self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'s> + 's>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // The header reads the finding without context: give it the true position in the file.
        let (line, column) = if before == 0 && after == 0 && *span == self.primary {
            self.position
        } else {
            (self.first_line + inner.line(), inner.column())
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
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

/// A file's text as the renderer gets it: kept in the report, or read again from disk.
enum Text<'a> {
    Kept(Source<'a>),
    Again(Again<'a>),
}

/// A file read again for its findings' snippets, held from the first of them made to the last.
struct Again<'a> {
    reread: &'a Reread,
    slot: Mutex<Slot>,
}

#[derive(Default)]
struct Slot {
    text: Option<Arc<str>>,
    /// Its findings not made yet.
    left: usize,
    /// It could not be read, or it changed since it was linted: no snippets.
    failed: bool,
}

impl Again<'_> {
    /// The text for one of the file's findings (they are made a few at a time on several threads).
    fn text(&self) -> Option<Arc<str>> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        slot.left = slot.left.saturating_sub(1);
        if slot.failed {
            return None;
        }
        let text = slot.text.clone().or_else(|| self.reread.read());
        slot.failed = text.is_none();
        slot.text = if slot.left == 0 { None } else { text.clone() };
        text
    }
}

/// What the report has of a file's text: all of it, or the lines its findings show.
#[derive(Clone, Copy)]
enum Source<'a> {
    Whole(&'a str),
    Excerpt(&'a Excerpt),
}

impl<'a> Source<'a> {
    fn text(self) -> &'a str {
        match self {
            Source::Whole(text) => text,
            Source::Excerpt(e) => e.text(),
        }
    }

    /// A finding's span in the text (clamped to it and to character boundaries), if the text has
    /// its start. An excerpt that has the start has the lines a snippet shows; of a span longer
    /// than those, the excerpt has its first lines, which is all a snippet shows of it.
    fn primary(self, span: Span) -> Option<SourceSpan> {
        let e = match self {
            Source::Whole(text) => return Some(clamp(text, span)),
            Source::Excerpt(e) => e,
        };
        let (start, end) = e.clamp(span);
        let from = e.map(start)?;
        let to = e
            .map(end)
            .or_else(|| Some(e.map(end.checked_sub(1)?)? + 1))
            .unwrap_or_else(|| e.run_end(from))
            .max(from);
        Some(clamp(e.text(), Span::new(from, to)))
    }

    /// A related site's span in the text, if the text has both its ends (a snippet shows a related
    /// site only when all of it is in the window).
    fn related(self, span: Span) -> Option<SourceSpan> {
        let e = match self {
            Source::Whole(text) => return Some(clamp(text, span)),
            Source::Excerpt(e) => e,
        };
        let (start, end) = e.clamp(span);
        Some(clamp(e.text(), Span::new(e.map(start)?, e.map(end)?)))
    }

    /// The 0-based line of the file at an offset of the text.
    fn line_at(self, at: usize) -> usize {
        match self {
            Source::Whole(text) => text[..at].matches('\n').count(),
            Source::Excerpt(e) => e.line_at(at),
        }
    }
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
        self.help
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
    use std::sync::Arc;

    use super::*;
    use crate::output::tests::{TEXT, location, report};
    use crate::source::LineCol;
    use crate::{Location, Related};

    /// A finding rendered from a source, with the related sites drawn as labels.
    fn snippet(d: &Diagnostic, source: Source<'_>, width: usize) -> String {
        let opts = RenderOptions {
            width,
            ..RenderOptions::default()
        };
        let finding = Finding::new(d, Some(source), &opts);
        let mut out = String::new();
        let handler =
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(width);
        let result = handler.render_report(&mut out, &finding);
        format!("{result:?} {:?}\n{out}", finding.shown)
    }

    #[test]
    fn an_excerpt_shows_what_the_whole_text_shows() {
        let long = format!("  long: \"{}\"\n", "é".repeat(300) + &"x".repeat(600));
        let pretty = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: limit\n          in: query\n\n          schema:\n            type: integer\n";
        let texts = [
            pretty.to_string(),
            pretty.replace('\n', "\r\n"),
            pretty.trim_end().to_string(),
            format!("{pretty}{long}  after: 1\n  last: 2"),
            format!("{long}{long}{pretty}"),
            "{\"openapi\":\"3.0.3\",\"paths\":{}}".repeat(40),
            "a\n\n\nb\n".to_string(),
            String::new(),
        ];
        for text in &texts {
            let len = text.len();
            let line_col = |offset: usize| {
                let offset = offset.min(len);
                let before = &text[..floor_boundary(text, offset)];
                let start = before.rfind('\n').map_or(0, |i| i + 1);
                LineCol {
                    line: before.matches('\n').count() as u32 + 1,
                    column: before[start..].chars().count() as u32 + 1,
                    utf16_column: 0,
                }
            };
            let location = |start: usize, end: usize, known: bool| Location {
                path: Arc::from("api.yaml"),
                abs: Arc::from(std::path::Path::new("/project/api.yaml")),
                span: Span::new(start, end),
                start: if known {
                    line_col(start)
                } else {
                    LineCol {
                        line: 0,
                        column: 0,
                        utf16_column: 0,
                    }
                },
                end: line_col(end),
                pointer: Arc::from(""),
            };
            // Offsets all over the text: every line start and end, inside lines and characters,
            // and past the end.
            let mut offsets: Vec<usize> = (0..=len + 3).step_by(7).collect();
            offsets.extend(text.match_indices('\n').flat_map(|(i, _)| [i, i + 1]));
            offsets.extend([0, len, len + 1]);
            offsets.sort_unstable();
            offsets.dedup();
            let pairs: Vec<(usize, usize)> = offsets
                .iter()
                .flat_map(|&a| {
                    [0, 1, 5, 40, 400, 2000]
                        .into_iter()
                        .map(move |n| (a, a + n))
                })
                .collect();
            let related: Vec<Related> = pairs
                .iter()
                .step_by(5)
                .map(|&(a, b)| Related {
                    location: location(a, b, true),
                    message: Arc::from("here"),
                })
                .collect();
            for (i, &(start, end)) in pairs.iter().enumerate() {
                let mut d = report().diagnostics[0].clone();
                d.location = location(start, end, i % 3 != 0);
                d.related = related[i % related.len().max(1)..]
                    .iter()
                    .take(6)
                    .cloned()
                    .collect();
                // This finding and one other of the file, somewhere else.
                let other = pairs[i * 7919 % pairs.len()];
                let spans = [(start, end), other].map(|(a, b)| Span::new(a, b));
                // Every line kept: the whole text, which the comparison below needs no excerpt for.
                let Some(excerpt) = Excerpt::new(text, spans) else {
                    continue;
                };
                for width in [40, 100] {
                    assert_eq!(
                        snippet(&d, Source::Excerpt(&excerpt), width),
                        snippet(&d, Source::Whole(text), width),
                        "{start}..{end} of {text:?}"
                    );
                }
            }
        }
    }

    fn rendered(report: &Report, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        render(report, &mut out, opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// What miette writes for `text` after prefixes `first` and `rest`: wrapped by textwrap, or
    /// (when `wrap_ascii` wrapped it) with each line put after its prefix as it is.
    fn miette_wraps(
        text: &str,
        width: usize,
        first: &str,
        rest: &str,
        own: bool,
    ) -> Option<String> {
        let opts = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        if !own {
            return Some(textwrap::fill(text, opts));
        }
        let dw = textwrap::core::display_width;
        let lines = wrap_ascii(text, width, dw(first), dw(rest))?;
        let mut out = String::new();
        for (i, line) in lines.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(if i == 0 { first } else { rest });
            out.push_str(line);
        }
        Some(out)
    }

    #[test]
    fn messages_are_wrapped_as_miette_wraps_them() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces = [
            " ",
            " ",
            "  ",
            "a",
            "word",
            "`X-RateLimit-Limit`",
            "/pets/{petId}",
            ",",
            "(x)",
            "averyveryverylongwordwithoutanyspacesinitatallthatgoesonandon",
        ];
        let prefixes = [
            ("  × ", "  │ "),
            ("  help: ", "        "),
            ("  x ", "  | "),
            ("  ☞ ", "  │ "),
        ];
        let mut own = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next(40) {
                text.push_str(pieces[next(pieces.len())]);
            }
            // Now and then what only textwrap wraps.
            if next(20) == 0 {
                text.insert_str(next(text.len() + 1) & !1, ["é", "\t", "\n"][next(3)]);
            }
            let width = 14 + next(110);
            let (first, rest) = prefixes[next(prefixes.len())];
            let Some(ours) = miette_wraps(&text, width, first, rest, true) else {
                continue;
            };
            own += 1;
            assert_eq!(
                ours,
                miette_wraps(&text, width, first, rest, false).unwrap(),
                "{text:?} in {width} after {first:?}"
            );
        }
        // Most texts are wrapped here, not by textwrap.
        assert!(own > 10_000, "{own}");
        // What it leaves to miette.
        for text in ["", " leading", "tab\there", "é", "line\nbreak"] {
            assert_eq!(wrap_ascii(text, 80, 4, 4), None, "{text:?}");
        }
        // A first word longer than the first line: textwrap leaves that line empty.
        assert_eq!(wrap_ascii(&"x".repeat(30), 24, 10, 4), None);
        assert_eq!(
            wrap_ascii(&"x".repeat(30), 24, 4, 4).as_deref(),
            Some("xxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxx")
        );
    }

    #[test]
    fn a_file_read_again_shows_what_its_kept_text_shows() {
        use crate::output::excerpt::Reread;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api.yaml");
        std::fs::write(&path, super::super::tests::TEXT).unwrap();
        // Findings of two files, interleaved in sorted order, many windows of them: they are made
        // on several threads, and each file is read again only while its findings are made.
        let mut report = report();
        let base = report.diagnostics[0].clone();
        report.diagnostics = (0..1500)
            .map(|i| {
                let mut d = base.clone();
                d.location.path = Arc::from(if i < 700 { "api.yaml" } else { "other.yaml" });
                d.message = format!("finding {i}");
                d
            })
            .collect();
        let mut other = report.files[0].clone();
        other.path = Arc::from("other.yaml");
        report.files.push(other);
        let whole = rendered(&report, &RenderOptions::default());
        for f in &mut report.files {
            f.reread = Some(Reread::of(Arc::from(path.as_path()), &f.text));
            f.text = Arc::from("");
        }
        assert_eq!(rendered(&report, &RenderOptions::default()), whole);
        // Changed since it was linted (the same length): the findings are shown without snippets.
        std::fs::write(&path, super::super::tests::TEXT.replace("name:", "nome:")).unwrap();
        let changed = rendered(&report, &RenderOptions::default());
        assert!(changed.contains("api.yaml: finding 0"), "{changed}");
        assert!(!changed.contains("nome:") && !changed.contains("name:"));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(rendered(&report, &RenderOptions::default()), changed);
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
        assert!(
            text.contains("owasp: API4:2023 Unrestricted Resource Consumption"),
            "{text}"
        );
        // `Pet` (line 4) is outside the snippet (lines 5 to 7): it is listed instead.
        assert!(
            text.contains(
                "note: related locations\n        api.yaml:4:5 in this schema\n        \
                 common.yaml:4:3 referenced here\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(
                "string-unbounded  warning   1\n\
                 info-contact      info      1\n\
                 1 warning, 1 info in 1 file (1 document) in 0.12s\n"
            ),
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
                message: format!("use {i}").into(),
            })
            .chain((0..7).map(|i| Related {
                location: location("api.yaml", 0, 7),
                message: format!("here {i}").into(),
            }))
            .collect();
        let text = rendered(&report, &RenderOptions::default());
        assert!(text.contains("use 4"), "{text}");
        assert!(!text.contains("use 5"), "{text}");
        assert!(text.contains("and 10 more"), "{text}");
    }

    /// A report of one warning at `start..end` of `text`, in `path`.
    fn one_finding(path: &str, text: &str, start: usize, end: usize) -> Report {
        let line_col = |offset: usize| {
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[line_start..].chars().count() as u32 + 1;
            LineCol {
                line: before.matches('\n').count() as u32 + 1,
                column,
                utf16_column: column - 1,
            }
        };
        let mut report = report();
        report.files[0].path = Arc::from(path);
        report.files[0].text = Arc::from(text);
        report.diagnostics.truncate(1);
        let d = &mut report.diagnostics[0];
        d.related.clear();
        d.location = Location {
            path: Arc::from(path),
            abs: Arc::from(std::path::Path::new("/project").join(path)),
            span: Span {
                start: start as u32,
                end: end as u32,
            },
            start: line_col(start),
            end: line_col(end),
            pointer: "".into(),
        };
        report
    }

    #[test]
    fn a_finding_far_into_a_long_line_shows_a_window_of_it() {
        let head = format!("{{\"openapi\":\"3.0.3\",\"x\":\"{}\",", "é".repeat(70_000));
        let text = format!(
            "{head}\"name\":{{\"type\":\"string\"}},\"tail\":\"{}\"}}",
            "z".repeat(5_000)
        );
        let start = head.len() + 1;
        let report = one_finding("min.json", &text, start, start + 4);
        let out = rendered(&report, &RenderOptions::default());
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        // The true column, in characters.
        let column = head.chars().count() + 2;
        assert!(out.contains(&format!("[min.json:1:{column}]")), "{out}");
        assert!(out.contains("…éé"), "{out}");
        assert!(
            out.contains("\"name\":{\"type\":\"string\"},\"tail\":\"zz"),
            "{out}"
        );
        assert!(out.contains("zz…\n"), "{out}");
        let marked = out.lines().find(|l| l.contains("────")).unwrap();
        let line = out.lines().find(|l| l.contains("\"name\"")).unwrap();
        assert_eq!(
            marked.chars().position(|c| c == '─'),
            line.chars().position(|c| c == 'n'),
            "{out}"
        );
    }

    #[test]
    fn long_context_lines_are_cut_and_short_ones_kept() {
        let text = format!(
            "paths:\n  /pets:\n    description: {}\n    name: x\n    get: {{}}\n",
            "long ".repeat(200)
        );
        let start = text.find("name").unwrap();
        let out = rendered(
            &one_finding("api.yaml", &text, start, start + 4),
            &RenderOptions::default(),
        );
        assert!(out.contains("[api.yaml:4:5]"), "{out}");
        assert!(out.contains(" 3 │     description: long long"), "{out}");
        assert!(out.contains(" long l…\n"), "{out}");
        assert!(out.contains(" 4 │     name: x\n"), "{out}");
        assert!(out.contains(" 5 │     get: {}\n"), "{out}");
        assert!(out.len() < 1_000, "{out}");
    }

    #[test]
    fn related_locations_inside_the_snippet_are_labels() {
        let mut report = report();
        let properties = TEXT.find("properties").unwrap() as u32;
        report.diagnostics[0].related[0].location =
            location("api.yaml", properties, properties + 10);
        let text = rendered(&report, &RenderOptions::default());
        assert!(
            text.contains("────┬─────\n") || text.contains("in this schema\n"),
            "{text}"
        );
        assert!(!text.contains("api.yaml:5:7 in this schema"), "{text}");
        assert!(
            text.contains("note: related locations\n        common.yaml:4:3"),
            "{text}"
        );
    }

    #[test]
    fn source_text_is_escaped_and_crlf_is_a_line_break() {
        let text = "openapi: 3.0.3\r\nx\x1b]0;pwned\x07: \u{202e}cba\u{9b}\r\nname: y\r\n";
        let start = text.find("name").unwrap();
        let out = rendered(
            &one_finding("a\x1bb.yaml", text, start, start + 4),
            &RenderOptions::default(),
        );
        assert!(
            !out.chars().any(|c| c != '\n' && super::needs_escape(c)),
            "{out:?}"
        );
        assert!(
            out.contains("x\\e]0;pwned\\a: \\u{202e}cba\\u{9b}\n"),
            "{out}"
        );
        assert!(out.contains("[a\\eb.yaml:3:1]"), "{out}");
        assert!(out.contains(" 3 │ name: y\n"), "{out}");
    }

    #[test]
    fn a_span_over_many_lines_is_marked_on_its_first() {
        let text = format!("a:\n{}end: 1\n", "  b: 1\n".repeat(30));
        let out = rendered(
            &one_finding("api.yaml", &text, 3, text.len() - 1),
            &RenderOptions::default(),
        );
        assert!(out.contains("[api.yaml:2:1]"), "{out}");
        assert!(out.lines().count() < 30, "{out}");
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

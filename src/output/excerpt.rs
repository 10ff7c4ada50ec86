//! The lines of a file that the human format shows, kept instead of the whole text.
//!
//! A snippet shows a finding's lines and one line either side of them (see [`super::human`]). A run
//! in that format used to keep the text of every document it read until the end, when the report
//! is written. An [`Excerpt`] keeps the lines of each finding (at most [`MAX_SPAN_LINES`] of them)
//! and the line before and after them; whole lines, so that a snippet cut from the excerpt is the
//! snippet cut from the file. When that is every line (a minified JSON file is one line), there is
//! no excerpt: the file is read again from disk when its findings are written ([`Reread`]), and its
//! text is held only while they are.

use std::path::Path;
use std::sync::Arc;

use crate::source::Span;

use super::human::MAX_SPAN_LINES;

/// A file whose snippets show all of it, to be read again when they are written: its text is not
/// held from when it is linted to the end of the run. What is read must be what was linted (its
/// length and digest); a file changed since shows its findings without snippets.
#[derive(Clone, Debug)]
pub struct Reread {
    pub abs: Arc<Path>,
    len: usize,
    digest: u64,
}

impl Reread {
    pub fn of(abs: Arc<Path>, text: &str) -> Reread {
        Reread {
            abs,
            len: text.len(),
            digest: digest(text),
        }
    }

    /// The text again, if it is what was linted.
    pub fn read(&self) -> Option<Arc<str>> {
        crate::document::read_again(&self.abs)
            .filter(|t| t.len() == self.len && digest(t) == self.digest)
    }
}

/// A 64-bit digest of a text, eight bytes at a time: it tells whether a file changed between two
/// reads of it (nobody chooses its input to collide), at a small part of the cost of reading it.
fn digest(text: &str) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes = text.as_bytes();
    let mut words = bytes.chunks_exact(8);
    let mut h = bytes.len() as u64;
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        h = (h.rotate_left(23) ^ w).wrapping_mul(K);
    }
    for &b in words.remainder() {
        h = (h.rotate_left(23) ^ u64::from(b)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

/// Whole lines of a file, in runs, with where each run lies in the file.
#[derive(Clone, Debug, Default)]
pub struct Excerpt {
    /// The runs, one after another.
    text: String,
    /// Ordered by place; runs that touch are one run.
    runs: Vec<Run>,
    /// The length of the whole file.
    len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    /// Byte range in the file: from the start of a line to the start of the line after the last
    /// (or the end of the file).
    start: usize,
    end: usize,
    /// Where the run starts in the excerpt's text.
    at: usize,
    /// 0-based line of the file where the run starts.
    line: usize,
}

impl Excerpt {
    /// The lines of `text` that snippets of findings at `spans` show; `None` when that is all of
    /// them.
    pub fn new(text: &str, spans: impl IntoIterator<Item = Span>) -> Option<Excerpt> {
        let len = text.len();
        let mut excerpt = Excerpt {
            len,
            ..Excerpt::default()
        };
        let mut spans: Vec<(usize, usize)> = spans.into_iter().map(|s| excerpt.clamp(s)).collect();
        if spans.is_empty() {
            return Some(excerpt);
        }
        spans.sort_unstable();
        // Line breaks as snippets see them: `\n` only.
        let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let line_of = |offset: usize| breaks.partition_point(|&b| b < offset);
        let last_line = breaks.len();
        // Kept lines, as inclusive ranges of 0-based line numbers, merged when they touch.
        let mut lines: Vec<(usize, usize)> = Vec::new();
        for (start, end) in spans {
            let first = line_of(start);
            let last = line_of(end.saturating_sub(1).max(start));
            let from = first.saturating_sub(1);
            // A finding over more than MAX_SPAN_LINES lines is shown on its first line: the snippet
            // looks no further than the line after the first MAX_SPAN_LINES.
            let to = (last.min(first + MAX_SPAN_LINES - 1) + 1).min(last_line);
            match lines.last_mut() {
                Some(kept) if from <= kept.1 + 1 => kept.1 = kept.1.max(to),
                _ => lines.push((from, to)),
            }
        }
        if lines == [(0, last_line)] {
            return None;
        }
        let line_start = |line: usize| if line == 0 { 0 } else { breaks[line - 1] + 1 };
        let line_end = |line: usize| breaks.get(line).map_or(len, |&b| b + 1);
        excerpt.runs.reserve_exact(lines.len());
        excerpt.text.reserve(
            lines
                .iter()
                .map(|&(a, b)| line_end(b) - line_start(a))
                .sum(),
        );
        for (a, b) in lines {
            let (start, end) = (line_start(a), line_end(b));
            excerpt.runs.push(Run {
                start,
                end,
                at: excerpt.text.len(),
                line: a,
            });
            excerpt.text.push_str(&text[start..end]);
        }
        Some(excerpt)
    }

    /// The kept lines, one run after another.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The ends of a span of the file, within the file.
    pub fn clamp(&self, span: Span) -> (usize, usize) {
        let start = (span.start as usize).min(self.len);
        (start, (span.end as usize).clamp(start, self.len))
    }

    /// Where a byte of the file is in the excerpt, if it was kept. The end of the file counts
    /// when its last line was kept; the end of a run inside the file does not (it is the start of a
    /// line left out).
    pub fn map(&self, offset: usize) -> Option<usize> {
        let i = self
            .runs
            .partition_point(|r| r.start <= offset)
            .checked_sub(1)?;
        let run = self.runs[i];
        (offset < run.end || (offset == run.end && run.end == self.len))
            .then(|| run.at + offset - run.start)
    }

    /// The end, in the excerpt, of the run that holds an excerpt offset.
    pub fn run_end(&self, at: usize) -> usize {
        let i = self.run_at(at);
        self.runs
            .get(i)
            .map_or(self.text.len(), |r| r.at + r.end - r.start)
    }

    /// The 0-based line of the file at an excerpt offset.
    pub fn line_at(&self, at: usize) -> usize {
        let Some(run) = self.runs.get(self.run_at(at)) else {
            return 0;
        };
        let at = at.min(self.text.len());
        run.line
            + self.text.as_bytes()[run.at..at.max(run.at)]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
    }

    fn run_at(&self, at: usize) -> usize {
        self.runs.partition_point(|r| r.at <= at).saturating_sub(1)
    }

    /// The lines of both excerpts (of the same file).
    pub fn merge(&self, other: &Excerpt) -> Excerpt {
        let mut parts: Vec<(Run, &str)> = self
            .runs
            .iter()
            .map(|r| (*r, self.run_text(r)))
            .chain(other.runs.iter().map(|r| (*r, other.run_text(r))))
            .collect();
        parts.sort_by_key(|(r, _)| r.start);
        let mut merged = Excerpt {
            text: String::new(),
            runs: Vec::with_capacity(parts.len()),
            len: self.len.max(other.len),
        };
        for (run, text) in parts {
            match merged.runs.last_mut() {
                Some(last) if run.start <= last.end => {
                    if run.end > last.end {
                        merged.text.push_str(&text[last.end - run.start..]);
                        last.end = run.end;
                    }
                }
                _ => {
                    merged.runs.push(Run {
                        at: merged.text.len(),
                        ..run
                    });
                    merged.text.push_str(text);
                }
            }
        }
        merged
    }

    fn run_text(&self, run: &Run) -> &str {
        &self.text[run.at..run.at + run.end - run.start]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span::new(start, end)
    }

    #[test]
    fn keeps_whole_lines_around_each_finding() {
        let text = "a\nb\nc\nd\ne\nf\ng\nh\n";
        // `d` (line 3): lines 2 to 4.
        let e = Excerpt::new(text, [span(6, 7)]).unwrap();
        assert_eq!(e.text(), "c\nd\ne\n");
        assert_eq!(e.map(6), Some(2));
        assert_eq!(e.map(4), Some(0));
        assert_eq!(e.map(3), None);
        // The start of the line after the run is a line left out.
        assert_eq!(e.map(10), None);
        assert_eq!(e.line_at(2), 3);
        // Two findings apart: two runs; touching ones: one.
        let e = Excerpt::new(text, [span(0, 1), span(14, 15)]).unwrap();
        assert_eq!(e.text(), "a\nb\ng\nh\n");
        assert_eq!(e.map(14), Some(6));
        assert_eq!(e.line_at(6), 7);
        assert_eq!(e.run_end(0), 4);
        let e = Excerpt::new(text, [span(2, 3), span(8, 9)]).unwrap();
        assert_eq!(e.text(), "a\nb\nc\nd\ne\nf\n");
        // Every line: no excerpt (the text is kept as it is).
        assert!(Excerpt::new("a\nb\nc", [span(2, 3)]).is_none());
        assert!(Excerpt::new("{\"a\": 1}", [span(2, 3)]).is_none());
    }

    #[test]
    fn the_end_of_the_file_is_kept_with_its_last_line() {
        let text = "a\nb\nc";
        let e = Excerpt::new(text, [span(4, 5)]).unwrap();
        assert_eq!(e.text(), "b\nc");
        assert_eq!(e.map(5), Some(3));
        // A span past the end is the end.
        let e = Excerpt::new(text, [span(9, 12)]).unwrap();
        assert_eq!(e.text(), "b\nc");
        let text = "a\nb\n";
        let e = Excerpt::new(text, [span(4, 4)]).unwrap();
        assert_eq!(e.text(), "b\n");
        assert_eq!(e.map(4), Some(2));
    }

    #[test]
    fn a_long_finding_keeps_its_first_lines() {
        let text: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let start = text.find("line 10").unwrap();
        let e = Excerpt::new(&text, [span(start, text.len() - 1)]).unwrap();
        let kept: Vec<&str> = e.text().lines().collect();
        assert_eq!(kept.first(), Some(&"line 9"));
        assert_eq!(kept.len(), MAX_SPAN_LINES + 2);
    }

    #[test]
    fn merged_excerpts_keep_the_lines_of_both() {
        let text: String = (0..30).map(|i| format!("{i}\n")).collect();
        let at = |n: usize| text.find(&format!("\n{n}\n")).unwrap() + 1;
        let one = Excerpt::new(&text, [span(at(5), at(5) + 1), span(at(20), at(20) + 1)]).unwrap();
        let two = Excerpt::new(&text, [span(at(7), at(7) + 1), span(at(25), at(25) + 1)]).unwrap();
        let both = Excerpt::new(&text, [5, 20, 7, 25].map(|n| span(at(n), at(n) + 1))).unwrap();
        for merged in [one.merge(&two), two.merge(&one)] {
            assert_eq!(merged.text(), both.text());
            assert_eq!(merged.runs, both.runs);
        }
        assert_eq!(
            one.merge(&Excerpt::new(&text, []).unwrap()).text(),
            one.text()
        );
    }
}

//! A large YAML text parsed a share per core. saphyr parses one stream from start to end, and for
//! a big spec that was most of a run. Here the text is cut into regions at lines that start an
//! entry of a block mapping; each region is parsed on its own, as a document whose root is that
//! mapping, on the worker threads; and their events are joined, in order, into the events of the
//! whole text, which build the tree on this thread while the next regions are parsed.
//!
//! Nothing is taken on trust from the cut: the events say which mappings are open where a region
//! starts. A region that does not parse, that has an anchor or an alias (which may refer across
//! regions), or whose mapping is not the one left open at its first line gives up, and the whole
//! text is parsed again as one stream, which also gives the exact error of a broken file.

use std::borrow::Cow;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::{Build, Offsets};
use crate::source::tree::Tree;
use crate::source::{Limits, LoadProblem};

/// How big a text is cut, and into what.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sizes {
    /// Smaller texts are parsed as one stream: cutting them gains less than it costs.
    pub at_least: usize,
    /// A region grows to about this many bytes before the next mapping entry starts another.
    pub region: usize,
    /// A text with a larger region (a long stretch with no mapping entry to start one at: a flow
    /// collection, a sequence) is parsed as one stream: a region's events are held until it is
    /// joined, where the stream builds its tree as it goes.
    pub largest: usize,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            at_least: 256 * 1024,
            region: 32 * 1024,
            largest: 1024 * 1024,
        }
    }
}

/// A region may start at a mapping entry indented by this much at most (where the entries of
/// `paths`, of `components` and of its sections are): the regions that a deeper one would force
/// at each line less indented than its own start would be many and small.
const DEEPEST_CUT: usize = 4;

/// A region this many times the size asked for may start at any indentation: a single huge entry
/// is cut too, so that the events held at once stay few.
const DEEP_CUT: usize = 8;

/// Regions parsed together per thread, while the ones before are joined: fewer make the threads
/// wait for each other at every batch, more hold more events at once. (On two cores, two per
/// thread made the parse of Microsoft Graph YAML barely faster than one stream; four, a quarter
/// faster.)
const REGIONS_PER_THREAD: usize = 4;

/// Lines `start..end` of the text, whose first line is an entry (indented by `indent`) of a block
/// mapping.
#[derive(Clone, Copy, Debug)]
struct Region {
    start: usize,
    end: usize,
    indent: usize,
}

/// An event of a region with its byte range in the whole text.
type Located<'t> = (Part<'t>, u32, u32);

/// An event of a region in less room than saphyr's (a region has no anchors, and tags are rare):
/// the events of the regions being parsed and joined are all held at once.
enum Part<'t> {
    StreamStart,
    StreamEnd,
    DocumentStart(bool),
    DocumentEnd,
    Scalar(Cow<'t, str>, ScalarStyle, Option<Box<Cow<'t, Tag>>>),
    SequenceStart(Option<Box<Cow<'t, Tag>>>),
    SequenceEnd,
    MappingStart(Option<Box<Cow<'t, Tag>>>),
    MappingEnd,
}

impl<'t> Part<'t> {
    /// The part of an event, `None` for an alias or an anchor.
    fn of(event: Event<'t>) -> Option<Part<'t>> {
        Some(match event {
            Event::StreamStart => Part::StreamStart,
            Event::StreamEnd => Part::StreamEnd,
            Event::DocumentStart(explicit) => Part::DocumentStart(explicit),
            Event::DocumentEnd => Part::DocumentEnd,
            Event::Nothing | Event::Alias(_) => return None,
            Event::Scalar(value, style, 0, tag) => Part::Scalar(value, style, tag.map(Box::new)),
            Event::SequenceStart(0, tag) => Part::SequenceStart(tag.map(Box::new)),
            Event::MappingStart(0, tag) => Part::MappingStart(tag.map(Box::new)),
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) => return None,
            Event::SequenceEnd => Part::SequenceEnd,
            Event::MappingEnd => Part::MappingEnd,
        })
    }

    fn event(self) -> Event<'t> {
        match self {
            Part::StreamStart => Event::StreamStart,
            Part::StreamEnd => Event::StreamEnd,
            Part::DocumentStart(explicit) => Event::DocumentStart(explicit),
            Part::DocumentEnd => Event::DocumentEnd,
            Part::Scalar(value, style, tag) => Event::Scalar(value, style, 0, tag.map(|t| *t)),
            Part::SequenceStart(tag) => Event::SequenceStart(0, tag.map(|t| *t)),
            Part::SequenceEnd => Event::SequenceEnd,
            Part::MappingStart(tag) => Event::MappingStart(0, tag.map(|t| *t)),
            Part::MappingEnd => Event::MappingEnd,
        }
    }

    fn ends(&self) -> bool {
        matches!(self, Part::MappingEnd | Part::SequenceEnd)
    }
}

/// Parses the text a region per task, or `None` when it is not cut (too small, one core, no
/// block mapping at its root) or a region gives up; then it is to be parsed as one stream.
pub(super) fn parse(
    source: &std::sync::Arc<str>,
    limits: &Limits,
    sizes: Sizes,
) -> Option<(Tree, Vec<LoadProblem>)> {
    // Positions are held in 32 bits, as in the tree.
    let worth_it = (sizes.at_least..=u32::MAX as usize).contains(&source.len());
    if !worth_it || rayon::current_num_threads() < 2 {
        return None;
    }
    let text: &str = source;
    let regions = cut(text, sizes.region, sizes.largest)?;
    let gave_up = AtomicBool::new(false);
    // The event vectors, used again once joined: new ones, freed on another thread than the one
    // that made them, were memory the allocator kept until the end of the run.
    let spare: Mutex<Vec<Vec<Located<'_>>>> = Mutex::new(Vec::new());
    let parse_batch = |batch: &[Region]| -> Vec<Option<Vec<Located<'_>>>> {
        use rayon::prelude::*;
        if gave_up.load(Ordering::Relaxed) {
            return Vec::new();
        }
        batch
            .par_iter()
            .map(|r| {
                let events = lock(&spare).pop().unwrap_or_default();
                parse_region(text, r, events)
            })
            .collect()
    };
    let mut join = Join {
        text,
        build: Build::new(source, limits),
        open: Vec::new(),
    };
    let mut joined = 0;
    crate::pipeline::pipelined(
        regions.chunks(REGIONS_PER_THREAD * rayon::current_num_threads()),
        &parse_batch,
        |parsed| {
            for events in parsed {
                if gave_up.load(Ordering::Relaxed) {
                    return;
                }
                let region = &regions[joined];
                let ok = events.and_then(|mut e| {
                    join.region(&mut e, joined == 0, region.indent)?;
                    lock(&spare).push(e);
                    Some(())
                });
                if ok.is_none() {
                    gave_up.store(true, Ordering::Relaxed);
                    return;
                }
                joined += 1;
            }
        },
    );
    if joined < regions.len() {
        return None;
    }
    join.finish()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Cuts the text into regions, or `None` when it cannot be (its root is not a block mapping, it
/// has several documents, or a region would be larger than `largest`).
///
/// A region starts at a line that is `key: ...` or `key:` at an indentation where an earlier line
/// of the same mapping is (so that the mapping is open, with an entry, where the region starts),
/// under a chain of such entries (no sequence item above it). A region starts there once the one
/// before has `region` bytes, at an indentation of [`DEEPEST_CUT`] at most (at any, once it has
/// [`DEEP_CUT`] times that); and must start at a line less indented than the region's first line,
/// which a document parsed alone cannot have (when that line cannot start one, the regions it
/// would end are joined with the one before them). Lines inside block scalars are passed over;
/// lines inside multi-line quoted or flow scalars are not recognised, and a cut among them makes a
/// region fail to parse.
fn cut(text: &str, region: usize, largest: usize) -> Option<Vec<Region>> {
    /// The latest line seen at one indentation, of those the lines after it are under.
    struct Level {
        indent: usize,
        /// The line from its first non-blank character.
        rest: std::ops::Range<usize>,
        /// Whether it is a mapping entry, found when asked.
        entry: std::cell::OnceCell<bool>,
    }
    let bytes = text.as_bytes();
    let is = |level: &Level| {
        *level
            .entry
            .get_or_init(|| is_entry(&bytes[level.rest.clone()]))
    };
    let mut regions = Vec::new();
    let mut current: Option<Region> = None;
    let mut levels: Vec<Level> = Vec::new();
    // The indentation of the line a block scalar (`|`, `>`) starts on: more indented lines are its
    // text.
    let mut block_scalar: Option<usize> = None;
    let mut newlines = memchr::memchr_iter(b'\n', bytes);
    let mut pos = 0;
    while pos < bytes.len() {
        let here = pos;
        let mut end = newlines.next().unwrap_or(bytes.len());
        pos = end + 1;
        if end > here && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &bytes[here..end];
        let indent = line.iter().take_while(|&&c| c == b' ').count();
        let rest = &line[indent..];
        if rest.is_empty() || rest[0] == b'#' {
            continue;
        }
        // A line right after a block scalar starts no region: where the scalar ends (and, when it
        // is empty, where it starts) is at the next token for one stream but at the end of the
        // text for a region parsed alone.
        let mut after_block_scalar = false;
        if let Some(at) = block_scalar {
            if indent > at {
                continue;
            }
            block_scalar = None;
            after_block_scalar = true;
        }
        // A line deeper than a region may start at, in a region not large enough to start at any
        // depth, neither starts one nor must (most lines of a spec): only a block scalar it
        // starts matters.
        if indent > DEEPEST_CUT
            && current
                .is_some_and(|open| indent >= open.indent && here - open.start < DEEP_CUT * region)
        {
            if opens_block_scalar(rest) {
                block_scalar = Some(indent);
            }
            continue;
        }
        if rest[0] == b'\t' {
            return None;
        }
        let marker = |m: &[u8]| rest.starts_with(m) && matches!(rest.get(3), None | Some(b' '));
        if indent == 0 && (marker(b"---") || marker(b"...") || rest[0] == b'%') {
            // Before the content: the start of the only document. After it: another document.
            if current.is_some() {
                return None;
            }
            continue;
        }
        if opens_block_scalar(rest) {
            block_scalar = Some(indent);
        }
        let level = Level {
            indent,
            rest: here + indent..end,
            entry: std::cell::OnceCell::new(),
        };
        let Some(mut open) = current else {
            // The root must be a block mapping.
            if !is(&level) {
                return None;
            }
            current = Some(Region {
                start: 0,
                end: 0,
                indent,
            });
            levels.push(level);
            continue;
        };
        while levels.last().is_some_and(|l| l.indent > indent) {
            levels.pop();
        }
        let sibling = levels.last().is_some_and(|l| l.indent == indent);
        if sibling {
            levels.pop();
        }
        let must_start = indent < open.indent;
        let grown = here - open.start;
        let may_start = grown >= region && (indent <= DEEPEST_CUT || grown >= DEEP_CUT * region);
        if must_start || may_start {
            // A region starts at an entry of a mapping that already has one, under entries only.
            let can_start = sibling && !after_block_scalar && is(&level) && levels.iter().all(is);
            if can_start {
                open.end = here;
                regions.push(open);
                open = Region {
                    start: here,
                    end: 0,
                    indent,
                };
                current = Some(open);
            } else if must_start {
                // No region can start here (an explicit `? key`, a sequence item): the regions
                // since the last that starts no deeper than this line are taken back into it.
                while indent < open.indent {
                    let before = regions.pop()?;
                    open = Region { end: 0, ..before };
                }
                current = Some(open);
            }
        }
        levels.push(level);
    }
    let mut last = current?;
    last.end = bytes.len();
    regions.push(last);
    let fits = regions.iter().all(|r| r.end - r.start <= largest);
    (regions.len() > 1 && fits).then_some(regions)
}

/// True for a line (from its first non-blank character) that is a mapping entry: a plain or quoted
/// key, then `:` and a space or the end of the line.
fn is_entry(rest: &[u8]) -> bool {
    let colon_at =
        |i: usize| rest.get(i) == Some(&b':') && matches!(rest.get(i + 1), None | Some(b' '));
    match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            // The closing quote (`\"` escapes in double quotes, `''` in single ones).
            let mut i = 1;
            while i < rest.len() {
                match rest[i] {
                    b'\\' if q == b'"' => i += 2,
                    b'\'' if q == b'\'' && rest.get(i + 1) == Some(&b'\'') => i += 2,
                    c if c == q => return colon_at(i + 1),
                    _ => i += 1,
                }
            }
            false
        }
        Some(
            b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
            | b'|' | b'>' | b'%' | b'@' | b'`',
        )
        | None => false,
        Some(_) => {
            for i in 0..rest.len() {
                if colon_at(i) {
                    return true;
                }
                if rest[i] == b'#' && i > 0 && rest[i - 1] == b' ' {
                    return false;
                }
            }
            false
        }
    }
}

/// True for a line whose value is a block scalar: it ends with `|` or `>` and their indicators.
fn opens_block_scalar(rest: &[u8]) -> bool {
    let line = rest.trim_ascii_end();
    let indicators = line
        .iter()
        .rev()
        .take_while(|c| matches!(c, b'+' | b'-' | b'0'..=b'9'))
        .count();
    let head = &line[..line.len() - indicators];
    matches!(head.last(), Some(b'|' | b'>'))
        && (head.len() == 1 || matches!(head.get(head.len() - 2), Some(b' ')))
}

/// The events of one region parsed alone, at their places in the whole text; `None` when it does
/// not parse or has an anchor or an alias.
fn parse_region<'t>(
    text: &'t str,
    region: &Region,
    mut events: Vec<Located<'t>>,
) -> Option<Vec<Located<'t>>> {
    let part = &text[region.start..region.end];
    let mut offsets = Offsets::new(part);
    let mut parser = Parser::new_from_str(part);
    // Where the region's text ends, a parse of the whole text is at the next region's first key,
    // past that line's indentation: what ends at the end of the region (a block scalar, an empty
    // value, the open containers) ends there.
    let next_key = region.end
        + text.as_bytes()[region.end..]
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
    let at = |byte: usize| if byte == region.end { next_key } else { byte };
    while let Some(next) = parser.next_event() {
        let (event, span) = next.ok()?;
        let over = matches!(event, Event::StreamEnd);
        let start = at(region.start + offsets.byte(span.start.index()));
        let end = at(region.start + offsets.byte(span.end.index()));
        let part = match Part::of(event)? {
            // A scalar the parser copied but that reads as written is borrowed from the text, and
            // its copy freed here, on the thread that made it.
            Part::Scalar(Cow::Owned(value), style, tag) if text.get(start..end) == Some(&value) => {
                Part::Scalar(Cow::Borrowed(&text[start..end]), style, tag)
            }
            part => part,
        };
        events.push((part, start as u32, end as u32));
        if over {
            break;
        }
    }
    Some(events)
}

/// A container open in the joined events.
struct Open {
    mapping: bool,
    flow: bool,
    /// The column it starts at (a block mapping's first key, a block sequence's first `-`).
    indent: usize,
    /// Where the region it was last seen in ended it (that region's end of text): kept until the
    /// next region shows whether it goes on there.
    end: Option<(u32, u32)>,
}

/// Joins the events of the regions into those of the whole text, building the tree from them.
struct Join<'t> {
    text: &'t str,
    build: Build<'t>,
    open: Vec<Open>,
}

impl<'t> Join<'t> {
    /// Takes one event of the whole text.
    fn take(&mut self, part: Part<'t>, start: u32, end: u32) -> Option<()> {
        let (start, end) = (start as usize, end as usize);
        match part {
            Part::MappingStart(_) | Part::SequenceStart(_) => {
                let line = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
                self.open.push(Open {
                    mapping: matches!(part, Part::MappingStart(_)),
                    flow: matches!(self.text.as_bytes().get(start), Some(b'{' | b'[')),
                    indent: start - line,
                    end: None,
                });
            }
            Part::MappingEnd | Part::SequenceEnd => {
                self.open.pop()?;
            }
            _ => {}
        }
        self.build
            .event(part.event(), start, end)
            .ok()?
            .then_some(())
    }

    /// Ends the innermost open container where its region ended it.
    fn close(&mut self) -> Option<()> {
        let open = self.open.pop()?;
        let (start, end) = open.end?;
        let event = if open.mapping {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.build
            .event(event, start as usize, end as usize)
            .ok()?
            .then_some(())
    }

    /// Takes the events of the next region (leaving the vector empty), whose root mapping is
    /// indented by `indent`.
    fn region(&mut self, events: &mut Vec<Located<'t>>, first: bool, indent: usize) -> Option<()> {
        let n = events.len();
        // Alone, a region is a stream of one document whose root is a mapping with no anchor or
        // tag.
        let shape = n >= 6
            && matches!(events[0].0, Part::StreamStart)
            && matches!(events[1].0, Part::DocumentStart(_))
            && matches!(events[2].0, Part::MappingStart(None))
            && events[n - 3].0.ends()
            && matches!(events[n - 2].0, Part::DocumentEnd)
            && matches!(events[n - 1].0, Part::StreamEnd);
        if !shape {
            return None;
        }
        // The events that end the region's open containers where its text ends, the root's last.
        let mut body_end = n - 3;
        while body_end > 3 && events[body_end - 1].0.ends() {
            body_end -= 1;
        }
        let mut events = events.drain(..);
        let head: Vec<Located<'t>> = events.by_ref().take(3).collect();
        if first {
            for (event, start, end) in head {
                self.take(event, start, end)?;
            }
        } else {
            // What is more indented than this region's first line ends where it starts; the mapping
            // it continues must be open there, with an entry already.
            while let Some(top) = self.open.last() {
                let ends_here =
                    top.flow || top.indent > indent || (!top.mapping && top.indent == indent);
                if !ends_here {
                    break;
                }
                self.close()?;
            }
            let top = self.open.last_mut()?;
            let root_start = head[2].1 as usize;
            let root_line = self.text[..root_start].rfind('\n').map_or(0, |i| i + 1);
            if !top.mapping || top.indent != indent || root_start - root_line != indent {
                return None;
            }
            top.end.take()?;
        }
        for (event, start, end) in events.by_ref().take(body_end - 3) {
            self.take(event, start, end)?;
        }
        // The ends of the containers still open at the region's end, innermost first: kept.
        let ends: Vec<Located<'t>> = events.take(n - 2 - body_end).collect();
        let open = self.open.len();
        // The outermost of them is the region's root: the mapping it continues.
        let root = open.checked_sub(ends.len())?;
        if !self.open[root].mapping || self.open[root].indent != indent {
            return None;
        }
        let mut at = None;
        for (k, (event, start, end)) in ends.into_iter().enumerate() {
            let container = &mut self.open[open - 1 - k];
            if container.mapping != matches!(event, Part::MappingEnd) {
                return None;
            }
            container.end = Some((start, end));
            at = Some((start, end));
        }
        // The containers it is in end there too, if the next region does not go on in them.
        for container in &mut self.open[..root] {
            container.end = at;
        }
        Some(())
    }

    /// Ends what is still open and hands on the tree.
    fn finish(mut self) -> Option<(Tree, Vec<LoadProblem>)> {
        while !self.open.is_empty() {
            self.close()?;
        }
        self.build.finish().ok()
    }
}

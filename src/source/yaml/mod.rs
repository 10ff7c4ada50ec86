//! YAML 1.2 to span tree through `saphyr-parser`'s event stream. Aliases share the anchored node
//! (no expansion, so alias bombs cost nothing); plain scalars are typed by the core schema.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::tree::{Builder, Kind, NodeId, Span, Tree};
use super::{Limits, LoadProblem, ParseError};

mod regions;

/// saphyr reports positions in characters; this maps them to bytes. The text is counted once, as
/// the parser's positions move forward through it, keeping the byte offset of every
/// [`Offsets::STEP`]th character; a position behind is counted on from the one before or from
/// such a mark. (A table of every character's offset would take four bytes a character: four times
/// a non-ASCII file, as most YAML specs are.)
struct Offsets<'t> {
    text: &'t [u8],
    ascii: bool,
    /// `marks[k]` is the byte offset of character `k * STEP`, for the text counted so far.
    marks: Vec<u32>,
    /// How far the text is counted: (character index, byte offset).
    counted: (usize, usize),
    /// The last position found.
    last: (usize, usize),
}

impl<'t> Offsets<'t> {
    const STEP: usize = 64;

    fn new(text: &'t str) -> Offsets<'t> {
        Offsets {
            text: text.as_bytes(),
            ascii: text.is_ascii(),
            marks: vec![0],
            counted: (0, 0),
            last: (0, 0),
        }
    }

    /// The byte length of the character that starts with `lead`.
    fn char_len(lead: u8) -> usize {
        match lead {
            0..0x80 => 1,
            0x80..0xE0 => 2,
            0xE0..0xF0 => 3,
            _ => 4,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let at = if char_index >= self.counted.0 {
            self.count_to(char_index)
        } else {
            let (last_char, last_byte) = self.last;
            let (mut c, mut b) = if char_index >= last_char && char_index - last_char < Self::STEP {
                (last_char, last_byte)
            } else {
                let k = char_index / Self::STEP;
                (k * Self::STEP, self.marks[k] as usize)
            };
            while c < char_index {
                b += Self::char_len(self.text[b]);
                c += 1;
            }
            b
        };
        self.last = (char_index, at);
        at
    }

    /// Counts the text on to character `target`, marking every `STEP`th character on the way; its
    /// byte offset, or the text's length when the text ends first.
    fn count_to(&mut self, target: usize) -> usize {
        let text = self.text;
        let (mut c, mut b) = self.counted;
        while c < target && b < text.len() {
            let next_mark = self.marks.len() * Self::STEP;
            // ASCII bytes are a character each: a run of them is counted at once.
            let room = (target.min(next_mark) - c).min(text.len() - b);
            let ahead = &text[b..b + room];
            let words = ahead
                .chunks_exact(8)
                .take_while(|w| {
                    <[u8; 8]>::try_from(*w)
                        .is_ok_and(|w| u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0)
                })
                .count();
            let run = 8 * words
                + ahead[8 * words..]
                    .iter()
                    .take_while(|x| x.is_ascii())
                    .count();
            if run > 0 {
                c += run;
                b += run;
            } else {
                b += Self::char_len(text[b]);
                c += 1;
            }
            if c == next_mark {
                self.marks.push(b as u32);
            }
        }
        self.counted = (c, b);
        b.min(text.len())
    }
}

/// Parses a YAML text: a large one a region per core when it can be (see [`regions`]), else as
/// one stream.
pub fn parse(source: Arc<str>, limits: &Limits) -> Result<(Tree, Vec<LoadProblem>), ParseError> {
    if let Some(parsed) = regions::parse(&source, limits, regions::Sizes::default()) {
        return Ok(parsed);
    }
    parse_whole(source, limits)
}

/// See [`super::check_yaml_regions`].
pub(super) fn check_regions(text: &str) {
    // Two threads at least, whatever the machine: one core parses no text in regions.
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let Some(pool) =
        POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(2).build().ok())
    else {
        return;
    };
    let source: Arc<str> = Arc::from(text);
    let limits = Limits::default();
    let sizes = regions::Sizes {
        at_least: 0,
        region: 1,
        largest: usize::MAX,
    };
    let split = pool.install(|| regions::parse(&source, &limits, sizes));
    match (parse_whole(source.clone(), &limits), split) {
        (_, None) => {}
        (Err(e), Some(_)) => panic!("a text that does not parse did in regions: {e:?}"),
        (Ok((whole, problems)), Some((tree, p))) => {
            if let Some(diff) = whole.differs_from(&tree) {
                panic!("parsed in regions: {diff}");
            }
            assert_eq!(problems, p, "the problems of the text parsed in regions");
        }
    }
}

/// Parses the text as one stream of events, on this thread.
fn parse_whole(source: Arc<str>, limits: &Limits) -> Result<(Tree, Vec<LoadProblem>), ParseError> {
    let mut offsets = Offsets::new(&source);
    let mut build = Build::new(&source, limits);
    let mut parser = Parser::new_from_str(&source);
    while let Some(event) = parser.next_event() {
        let (event, span) = event
            .map_err(|e| ParseError::new(offsets.byte(e.marker().index()), e.info().to_string()))?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index());
        if !build.event(event, start, end)? {
            break;
        }
    }
    build.finish()
}

/// Builds the tree from saphyr's events, each with its byte range in the text.
struct Build<'t> {
    text: &'t str,
    limits: &'t Limits,
    b: Builder,
    problems: Vec<LoadProblem>,
    anchors: HashMap<usize, NodeId>,
    /// Anchor ids of open containers, registered when they close.
    open_anchors: Vec<usize>,
    documents: usize,
    saw_content: bool,
}

impl<'t> Build<'t> {
    fn new(source: &'t Arc<str>, limits: &'t Limits) -> Build<'t> {
        Build {
            text: source,
            limits,
            b: Builder::with_capacity_hint(source.clone()),
            problems: Vec::new(),
            anchors: HashMap::new(),
            open_anchors: Vec::new(),
            documents: 0,
            saw_content: false,
        }
    }

    /// Takes one event; false when the stream is over (its end, or a second document).
    fn event(&mut self, event: Event<'_>, start: usize, end: usize) -> Result<bool, ParseError> {
        let (text, b) = (self.text, &mut self.b);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.problems
                        .push(LoadProblem::ExtraDocument { offset: start });
                    return Ok(false);
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.saw_content = true;
                let kind = scalar_kind(&value, style, tag.as_deref());
                let span = scalar_span(text, start, end, style);
                let merge_key = value == "<<" && style == ScalarStyle::Plain;
                let id = match value {
                    Cow::Borrowed(s) => match slice_offset(text, s) {
                        Some(at) => b.scalar_slice(kind, span, at, at + s.len()),
                        None => b.scalar_owned(kind, span, s.to_string()),
                    },
                    // A scalar the parser copied but that reads as written (a plain or quoted
                    // scalar without escapes or folding) is borrowed: no allocation per scalar.
                    Cow::Owned(s) if text.get(start..end) == Some(s.as_str()) => {
                        b.scalar_slice(kind, span, start, end)
                    }
                    Cow::Owned(s) => b.scalar_owned(kind, span, s),
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, id);
                }
                if merge_key && in_key_position(b) {
                    self.problems.push(LoadProblem::MergeKey { key: id });
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.saw_content = true;
                if b.depth() >= self.limits.max_depth {
                    return Err(ParseError::limit(
                        start,
                        format!("nesting deeper than {} levels", self.limits.max_depth),
                    ));
                }
                let kind = if matches!(event, Event::MappingStart(..)) {
                    Kind::Mapping
                } else {
                    Kind::Sequence
                };
                b.open(kind, start);
                self.open_anchors.push(anchor);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let anchor = self.open_anchors.pop().unwrap_or(0);
                let id = current_open(b);
                let end_at = container_end(text, start.max(end));
                b.close(end_at);
                if let (Some(id), true) = (id, anchor != 0) {
                    self.anchors.insert(anchor, id);
                }
            }
            Event::Alias(anchor) => match self.anchors.get(&anchor) {
                Some(&id) => b.reuse(id),
                None => {
                    return Err(ParseError::new(
                        start,
                        "alias to an anchor that is not defined",
                    ));
                }
            },
            Event::DocumentEnd | Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => return Ok(false),
        }
        if b.node_count() > self.limits.max_nodes {
            return Err(ParseError::limit(start, "the document has too many nodes"));
        }
        Ok(true)
    }

    fn finish(self) -> Result<(Tree, Vec<LoadProblem>), ParseError> {
        if !self.saw_content {
            return Err(ParseError::new(0, "the file is empty"));
        }
        let mut problems = self.problems;
        let (tree, duplicates) = self.b.finish_with_duplicates();
        problems.extend(duplicates);
        Ok((tree, problems))
    }
}

fn current_open(b: &Builder) -> Option<NodeId> {
    b.current_container()
}

fn in_key_position(b: &Builder) -> bool {
    b.pending_in_current() % 2 == 1 && b.current_kind() == Some(Kind::Mapping)
}

/// The end of a block container: saphyr places it at the next token, so trim back over blank
/// lines and comments to the last content character.
fn container_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = at.min(bytes.len());
    if end > 0 && matches!(bytes[end - 1], b']' | b'}') {
        return end;
    }
    loop {
        // Walk back over whitespace.
        while end > 0 && bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        // If the line we are on is a comment-only tail, skip it.
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..end];
        if line.trim_start().starts_with('#') && end > 0 {
            end = line_start;
            continue;
        }
        return end;
    }
}

/// Where a borrowed scalar value sits in the source, if it is a slice of it.
fn slice_offset(text: &str, s: &str) -> Option<usize> {
    let base = text.as_ptr() as usize;
    let p = s.as_ptr() as usize;
    (p >= base && p + s.len() <= base + text.len()).then(|| p - base)
}

/// saphyr's scalar spans cover the value; extend quoted scalars to their quotes when they are in the text.
fn scalar_span(text: &str, start: usize, end: usize, style: ScalarStyle) -> Span {
    let bytes = text.as_bytes();
    let (mut s, mut e) = (start, end.max(start));
    if matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted) {
        let q = if style == ScalarStyle::DoubleQuoted {
            b'"'
        } else {
            b'\''
        };
        if s > 0 && bytes.get(s) != Some(&q) && bytes[s - 1] == q {
            s -= 1;
        }
        if e < bytes.len() && e > 0 && bytes[e - 1] != q && bytes[e] == q {
            e += 1;
        }
    }
    Span::new(s, e.min(text.len()))
}

fn scalar_kind(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> Kind {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            return match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => Kind::Str,
                "int" => Kind::Int,
                "float" => Kind::Float,
                "bool" => Kind::Bool,
                "null" => Kind::Null,
                _ => Kind::Str,
            };
        }
        return Kind::Str;
    }
    if style != ScalarStyle::Plain {
        return Kind::Str;
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Kind::Bool,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Kind::Float,
        _ => {}
    }
    let bytes = value.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let unsigned = bytes
        .strip_prefix(b"-")
        .or_else(|| bytes.strip_prefix(b"+"))
        .unwrap_or(bytes);
    if digits(unsigned) {
        return Kind::Int;
    }
    if let Some(h) = value.strip_prefix("0x")
        && !h.is_empty()
        && h.bytes().all(|c| c.is_ascii_hexdigit())
    {
        return Kind::Int;
    }
    if let Some(o) = value.strip_prefix("0o")
        && !o.is_empty()
        && o.bytes().all(|c| (b'0'..=b'7').contains(&c))
    {
        return Kind::Int;
    }
    if is_float(unsigned) {
        return Kind::Float;
    }
    Kind::Str
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(s: &[u8]) -> bool {
    let mut i = 0;
    let int = s.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int;
    let mut frac = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        frac = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac;
    }
    if int == 0 && frac == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(src: &str) -> Tree {
        parse(Arc::from(src), &Limits::default()).unwrap().0
    }

    fn at<'a>(src: &'a str, t: &Tree, id: NodeId) -> &'a str {
        let s = t.span(id);
        &src[s.start as usize..s.end as usize]
    }

    #[test]
    fn keys_and_values_have_spans() {
        let src = "openapi: 3.0.3\ninfo:\n  title: \"Pet store\"\n  version: '1'\npaths: {}\nlist:\n  - 1\n  - x\n";
        let t = tree(src);
        let root = t.root().unwrap();
        let (k, v) = t.get_entry(root, "openapi").unwrap();
        assert_eq!(at(src, &t, k), "openapi");
        assert_eq!(at(src, &t, v), "3.0.3");
        assert_eq!(t.kind(v), Kind::Str);
        let info = t.get(root, "info").unwrap();
        let title = t.get(info, "title").unwrap();
        assert_eq!(at(src, &t, title), "\"Pet store\"");
        assert_eq!(t.str(title), Some("Pet store"));
        assert_eq!(t.kind(t.get(info, "version").unwrap()), Kind::Str);
        let list = t.get(root, "list").unwrap();
        assert_eq!(t.kind(t.items(list)[0]), Kind::Int);
        assert_eq!(t.pointer_of(t.items(list)[1]), "/list/1");
        assert_eq!(at(src, &t, info), "title: \"Pet store\"\n  version: '1'");
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let src = "a: é\nb: ü\n";
        let t = tree(src);
        let b = t.get(NodeId::ROOT, "b").unwrap();
        assert_eq!(at(src, &t, b), "ü");
    }

    #[test]
    fn offsets_match_a_table_of_every_character() {
        // Characters of one to four bytes, more than a few steps of them.
        let text: String = "aé€😀\n".repeat(100);
        let table: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let chars = table.len();
        let mut offsets = Offsets::new(&text);
        // Forward one by one, then back, in jumps, and past the end.
        let mut order: Vec<usize> = (0..chars).collect();
        order.extend((0..chars).rev());
        order.extend((0..chars).step_by(97).chain((0..chars).step_by(13).rev()));
        order.extend([chars, chars + 5, 3, chars * 2]);
        for c in order {
            let want = table.get(c).copied().unwrap_or(text.len());
            assert_eq!(offsets.byte(c), want, "character {c}");
        }
        // A fresh count asked in a scattered order: far ahead first, then behind.
        let mut offsets = Offsets::new(&text);
        let mut c = 7usize;
        for _ in 0..2 * chars {
            c = (c * 7919 + 13) % (chars + 3);
            let want = table.get(c).copied().unwrap_or(text.len());
            assert_eq!(offsets.byte(c), want, "character {c}");
        }
        let mut ascii = Offsets::new("abc");
        assert_eq!((ascii.byte(2), ascii.byte(9)), (2, 3));
    }

    #[test]
    fn alias_bomb_is_cheap() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            src.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let t = tree(&src);
        assert!(t.len() < 200);
    }

    #[test]
    fn syntax_error_location() {
        let src = "a: 1\nb: [1, 2\nc: 3\n";
        let e = parse(Arc::from(src), &Limits::default()).unwrap_err();
        assert!(e.offset > 5, "{e:?}");
    }

    #[test]
    fn an_alias_keeps_the_anchor_in_its_first_place() {
        let src = "properties:\n  name: &s {type: string}\n  other: *s\n";
        let t = tree(src);
        let props = t.get(NodeId::ROOT, "properties").unwrap();
        let shared = t.get(props, "name").unwrap();
        assert_eq!(t.get(props, "other"), Some(shared));
        assert_eq!(t.pointer_of(shared), "/properties/name");
        assert_eq!(t.text(t.key_of(shared).unwrap()), Some("name"));
    }

    #[test]
    fn a_merge_key_is_reported_where_it_is_a_key() {
        let src = "base: &b {x: 1}\nuse:\n  <<: *b\n  y: '<<'\nz: <<\n";
        let (t, problems) = parse(Arc::from(src), &Limits::default()).unwrap();
        let [LoadProblem::MergeKey { key }] = problems[..] else {
            panic!("{problems:?}");
        };
        assert_eq!(t.text(key), Some("<<"));
        assert_eq!(t.parent(key), t.get(NodeId::ROOT, "use"));
    }

    #[test]
    fn duplicate_keys() {
        let (_, p) = parse(Arc::from("a: 1\nb: 2\na: 3\n"), &Limits::default()).unwrap();
        assert!(matches!(p[0], LoadProblem::DuplicateKey { .. }));
    }

    #[test]
    fn scalar_typing() {
        for (v, k) in [
            ("1", Kind::Int),
            ("-2", Kind::Int),
            ("1.5", Kind::Float),
            ("1e3", Kind::Float),
            ("yes", Kind::Str),
            ("3.0.3", Kind::Str),
            ("true", Kind::Bool),
            ("~", Kind::Null),
            ("'1'", Kind::Str),
        ] {
            let t = tree(&format!("x: {v}\n"));
            assert_eq!(t.kind(t.get(NodeId::ROOT, "x").unwrap()), k, "{v}");
        }
    }

    /// A spec-like text with what could mislead a cut: block scalars that hold lines like mapping
    /// entries, comments at the margin, sequences of mappings and sequences at their key's
    /// indentation, empty values, flow collections and quoted scalars over several lines, quoted
    /// and non-ASCII keys, and a key repeated far from its first place.
    fn spec_like(paths: usize) -> String {
        let mut s = String::from(
            "# header\nopenapi: 3.0.3\ninfo:\n  title: \"Pets — ünïcode\"\n  description: |\n    paths:\n    /x: y\n  version: '1'\npaths:\n",
        );
        for i in 0..paths {
            s.push_str(&format!(
                "  /items{i}/{{id}}:\n    get:\n      tags:\n      - t{i}\n      - 'é'\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {{type: string,\n            maxLength: 5}}\n      description: >-\n        folded: text\n        more: text\n# a comment at the margin\n      responses:\n        '200':\n          description: \"two\n            lines\"\n        \"404\":\n          description: plain\n            continued\n        default:\n    post:\n      summary: |2\n          indented: by two\n      x-list: [a,\n        b]\n      x-empty:\n"
            ));
        }
        s.push_str("components:\n  schemas:\n");
        for i in 0..paths {
            s.push_str(&format!(
                "    S{i}:\n      type: object\n      properties:\n        a: {{type: string}}\n        \"q:k\": {{type: integer}}\n    'T{i}':\n      description: |\n        S{i}:\n          type: bogus\n      type: string\n"
            ));
        }
        s.push_str("  responses: {}\nsecurity:\n- key: []\ntags:\n- name: a\n  description: b\n  x-c: d\n- name: e\npaths:\n  /again: {}\n");
        s
    }

    /// The tree (and problems) of a text parsed in regions, if it was, after checking that it is
    /// the one parsing it as one stream gives.
    fn in_regions(text: &str, sizes: regions::Sizes) -> Option<Tree> {
        let region = sizes.region;
        let source: Arc<str> = Arc::from(text);
        let limits = Limits::default();
        let split = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("a thread pool")
            .install(|| regions::parse(&source, &limits, sizes));
        match parse_whole(source.clone(), &limits) {
            Err(e) => {
                assert!(
                    split.is_none(),
                    "a text that does not parse did in regions: {e:?}"
                );
                None
            }
            Ok((whole, problems)) => {
                let (tree, p) = split?;
                if let Some(diff) = whole.differs_from(&tree) {
                    panic!("regions of {region} bytes: {diff}");
                }
                assert_eq!(problems, p, "regions of {region} bytes");
                Some(tree)
            }
        }
    }

    /// Regions of `region` bytes, however large they must grow.
    fn sized(region: usize) -> regions::Sizes {
        regions::Sizes {
            at_least: 0,
            region,
            largest: usize::MAX,
        }
    }

    #[test]
    fn a_text_parsed_in_regions_gives_the_tree_of_one_stream() {
        let spec = spec_like(40);
        for region in [1, 50, 700, 10_000] {
            assert!(in_regions(&spec, sized(region)).is_some(), "{region}");
            let crlf = spec.replace('\n', "\r\n");
            assert!(in_regions(&crlf, sized(region)).is_some(), "CRLF, {region}");
        }
        // The duplicate `paths` is found across regions.
        let (_, problems) = parse(Arc::from(spec.as_str()), &Limits::default()).unwrap();
        assert!(matches!(problems[..], [LoadProblem::DuplicateKey { .. }]));
        // A start marker and directives before the content are part of the first region.
        let marked = format!("%YAML 1.2\n---\n{spec}");
        assert!(in_regions(&marked, sized(1)).is_some());
        // Texts that are parsed as one stream, each for its own reason (checked the same either
        // way): anchors and aliases, a second document, a root that is a sequence, a tab, broken
        // syntax, a cut where the mapping it continues is not open (a key with no value yet).
        let anchored = spec.replace(
            "      x-empty:\n",
            "      x-empty: &e {a: 1}\n      x-again: *e\n",
        );
        let two_documents = format!("{spec}---\na: 1\n");
        let sequence = format!("- a\n{spec}");
        let tab = spec.replace("    post:\n", "    post:\n\t\n      x-t: 1\n");
        let broken = spec.replace("maxLength: 5}", "maxLength: 5");
        let unopened = "a:\n  b: 1\n  c:\n  d: 2\ne:\n".repeat(3);
        for (what, text) in [
            ("anchored", anchored),
            ("two documents", two_documents),
            ("sequence", sequence),
            ("tab", tab),
            ("broken", broken),
        ] {
            for region in [1, 300] {
                assert!(
                    in_regions(&text, sized(region)).is_none(),
                    "{what}, {region}"
                );
            }
        }
        // Given up or not, the same tree (a duplicate key makes it a mapping of one entry).
        let _ = in_regions(&unopened, sized(1));
        // A small text is not cut.
        let source: Arc<str> = Arc::from(spec.as_str());
        let small = regions::Sizes {
            at_least: spec.len() + 1,
            region: 1,
            largest: usize::MAX,
        };
        assert!(regions::parse(&source, &Limits::default(), small).is_none());
        // Nor one with a region larger than the largest (a long flow sequence).
        let long = spec.replace(
            "      x-empty:\n",
            &format!("      x-long: [{}]\n", "1, ".repeat(500)),
        );
        let cut = |largest| regions::Sizes {
            at_least: 0,
            region: 1,
            largest,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a thread pool");
        let limits = Limits::default();
        let long: Arc<str> = Arc::from(long.as_str());
        assert!(
            pool.install(|| regions::parse(&long, &limits, cut(1000)))
                .is_none()
        );
        assert!(
            pool.install(|| regions::parse(&long, &limits, cut(usize::MAX)))
                .is_some()
        );
    }

    /// Texts near a spec-like one (lines dropped, repeated, indented or dedented, characters put
    /// in or taken out), parsed in regions at every line that can start one: the same tree as one
    /// stream, or parsed as one stream.
    #[test]
    fn texts_near_a_spec_parsed_in_regions_give_the_tree_of_one_stream() {
        let spec = spec_like(4);
        let lines: Vec<&str> = spec.lines().collect();
        // A fixed pseudo-random sequence (xorshift), so that a failure can be replayed.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut cut, mut whole) = (0, 0);
        for _ in 0..2000 {
            let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            for _ in 0..1 + next(3) {
                let at = next(lines.len());
                match next(6) {
                    0 => {
                        lines.remove(at);
                    }
                    1 => {
                        let copy = lines[at].clone();
                        lines.insert(at, copy);
                    }
                    2 => lines[at].insert_str(0, "  "),
                    3 => {
                        let trimmed = lines[at].strip_prefix("  ").map(str::to_string);
                        if let Some(t) = trimmed {
                            lines[at] = t;
                        }
                    }
                    4 => {
                        let c = [
                            ':', '"', '\'', '|', '>', '-', '#', '&', '*', '{', '[', ' ', 'é',
                        ][next(13)];
                        let len = lines[at].chars().count();
                        let i = lines[at]
                            .char_indices()
                            .nth(next(len + 1))
                            .map_or(lines[at].len(), |(i, _)| i);
                        lines[at].insert(i, c);
                    }
                    _ => {
                        let len = lines[at].chars().count();
                        if len > 0 {
                            let (i, _) =
                                lines[at].char_indices().nth(next(len)).unwrap_or((0, ' '));
                            lines[at].remove(i);
                        }
                    }
                }
            }
            let text = lines.join("\n") + "\n";
            if in_regions(&text, sized(1)).is_some() {
                cut += 1;
            } else {
                whole += 1;
            }
        }
        // Most of them still parse, and most of those are cut.
        assert!(cut > 500, "{cut} cut, {whole} not");
    }

    /// The YAML specs of the real-world corpus (`RAMPART_CORPUS`, when set): cut at the sizes a
    /// run uses, and at small ones.
    #[test]
    fn real_specs_parsed_in_regions_give_the_tree_of_one_stream() {
        let Some(dir) = std::env::var_os("RAMPART_CORPUS") else {
            return;
        };
        let big = std::path::Path::new(&dir).join("big");
        let Ok(entries) = std::fs::read_dir(&big) else {
            return;
        };
        let mut cut = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a readable spec");
            let run = regions::Sizes {
                at_least: 0,
                ..regions::Sizes::default()
            };
            // Each is cut at the sizes of a run (a spec written from JSON has no anchors, and
            // one document); with small regions, some cut lands in a quoted text of several
            // lines, and the text is parsed as one stream.
            assert!(in_regions(&text, run).is_some(), "{}", path.display());
            cut += 1;
            if in_regions(&text, sized(500)).is_none() {
                eprintln!(
                    "{}: parsed as one stream with small regions",
                    path.display()
                );
            }
        }
        eprintln!("{cut} specs cut");
    }

    /// A JSON value written as block YAML the way YAML writers do: plain keys and scalars where
    /// they read the same, quoted ones elsewhere, texts of several lines as block scalars, and a
    /// mapping's sequences at the mapping's own indentation.
    fn block_yaml(v: &serde_json::Value, indent: usize, out: &mut String) {
        use serde_json::Value;
        let pad = " ".repeat(indent);
        match v {
            Value::Object(map) => {
                for (i, (k, val)) in map.iter().enumerate() {
                    // In a sequence item, the first key follows the `- `.
                    if i > 0 || !out.ends_with("- ") {
                        out.push_str(&pad);
                    }
                    out.push_str(&scalar_yaml(k));
                    out.push(':');
                    value_yaml(val, indent, out, true);
                }
            }
            Value::Array(items) => {
                for item in items {
                    out.push_str(&pad);
                    out.push_str("- ");
                    match item {
                        Value::Object(m) if !m.is_empty() => block_yaml(item, indent + 2, out),
                        _ => {
                            out.pop();
                            value_yaml(item, indent + 2, out, false);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A value after `key:` (or `-`): on the same line, or on the lines below.
    fn value_yaml(v: &serde_json::Value, indent: usize, out: &mut String, keyed: bool) {
        use serde_json::Value;
        match v {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                block_yaml(v, indent + 2, out);
            }
            Value::Array(a) if !a.is_empty() && keyed => {
                out.push('\n');
                block_yaml(v, indent, out);
            }
            Value::Array(_) | Value::Object(_) => {
                out.push(' ');
                out.push_str(&v.to_string());
                out.push('\n');
            }
            Value::String(text) if block_text(text) => {
                out.push_str(if text.ends_with('\n') {
                    " |\n"
                } else {
                    " |-\n"
                });
                for line in text.trim_end_matches('\n').split('\n') {
                    if !line.is_empty() {
                        out.push_str(&" ".repeat(indent + 2));
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
            Value::String(text) => {
                out.push(' ');
                out.push_str(&scalar_yaml(text));
                out.push('\n');
            }
            _ => {
                out.push(' ');
                out.push_str(&v.to_string());
                out.push('\n');
            }
        }
    }

    /// A text of several lines that a block scalar keeps as it is.
    fn block_text(text: &str) -> bool {
        text.contains('\n')
            && !text.starts_with([' ', '\t', '\n'])
            && !text.ends_with("\n\n")
            && text.split('\n').all(|l| l.trim_end() == l)
            && !text.contains(['\r', '\u{feff}', '\u{85}', '\u{2028}', '\u{2029}'])
            && !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
    }

    /// A string as a plain scalar when it reads back as the same string, else double-quoted.
    fn scalar_yaml(text: &str) -> String {
        let plain = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" _./{}$-".contains(&b))
            && text.as_bytes()[0].is_ascii_alphabetic()
            && !text.ends_with(' ')
            && !text.contains(" #")
            && scalar_kind(text, ScalarStyle::Plain, None) == Kind::Str
            && !matches!(
                text.to_ascii_lowercase().as_str(),
                "yes" | "no" | "on" | "off" | "y" | "n"
            );
        if plain {
            text.to_string()
        } else {
            serde_json::Value::String(text.to_string()).to_string()
        }
    }

    /// Real specs of the corpus (`RAMPART_CORPUS`, when set), written as block YAML, cut into small
    /// regions.
    #[test]
    fn real_specs_written_as_yaml_parsed_in_regions_give_the_tree_of_one_stream() {
        let Some(dir) = std::env::var_os("RAMPART_CORPUS") else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join("all")) else {
            return;
        };
        let mut specs: Vec<std::path::PathBuf> = entries
            .flatten()
            .filter(|e| {
                e.metadata()
                    .is_ok_and(|m| (150_000..300_000).contains(&m.len()))
            })
            .map(|e| e.path())
            .collect();
        specs.sort();
        // A spread of them: every 40th, by name.
        let mut cut = 0;
        for path in specs.iter().step_by(40).take(8) {
            let json = std::fs::read_to_string(path).expect("a readable spec");
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&json) else {
                continue;
            };
            let mut text = String::new();
            block_yaml(&value, 0, &mut text);
            let whole = parse_whole(Arc::from(text.as_str()), &Limits::default());
            assert!(whole.is_ok(), "{}: {:?}", path.display(), whole.err());
            for region in [300, 4000] {
                if in_regions(&text, sized(region)).is_some() {
                    cut += 1;
                } else {
                    eprintln!(
                        "{}: parsed as one stream (regions of {region})",
                        path.display()
                    );
                }
            }
        }
        assert!(cut >= 8, "{cut} cut");
        eprintln!("{cut} cut");
    }
}

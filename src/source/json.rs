//! A small JSON parser that builds the span tree directly: no intermediate values, strings without
//! escapes borrowed from the source, iterative (deep nesting cannot overflow the stack).

use std::sync::Arc;

use super::tree::{Builder, Kind, Span, Tree};
use super::{Limits, LoadProblem, ParseError};

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// A value (document root, after `:` or after `,` in an array).
    Value,
    /// A value or `]` right after `[`.
    FirstItem,
    /// A key or `}` right after `{`.
    FirstKey,
    /// A key after `,` in an object.
    Key,
    /// `,` or the closing bracket.
    Separator,
}

pub fn parse(source: Arc<str>, limits: &Limits) -> Result<(Tree, Vec<LoadProblem>), ParseError> {
    let mut b = Builder::with_capacity_hint(source.clone());
    let bytes = source.as_bytes();
    let mut i = if source.starts_with('\u{feff}') { 3 } else { 0 };
    // Kind of each open container, innermost last: true for an object.
    let mut stack: Vec<bool> = Vec::new();
    let mut expect = Expect::Value;
    let mut done = false;

    loop {
        i = skip_ws(bytes, i);
        if done {
            if i < bytes.len() {
                return Err(ParseError::new(
                    i,
                    "unexpected content after the JSON value",
                ));
            }
            break;
        }
        let Some(&c) = bytes.get(i) else {
            let msg = if stack.is_empty() {
                "the file is empty"
            } else {
                "unexpected end of file: a `}` or `]` is missing"
            };
            return Err(ParseError::new(i, msg));
        };
        match expect {
            Expect::Separator => {
                let in_object = *stack.last().unwrap_or(&false);
                match c {
                    b',' => {
                        i += 1;
                        expect = if in_object {
                            Expect::Key
                        } else {
                            Expect::Value
                        };
                    }
                    b'}' if in_object => {
                        i += 1;
                        close(&mut b, &mut stack, i, &mut done);
                    }
                    b']' if !in_object => {
                        i += 1;
                        close(&mut b, &mut stack, i, &mut done);
                    }
                    _ => {
                        let want = if in_object {
                            "`,` or `}`"
                        } else {
                            "`,` or `]`"
                        };
                        return Err(ParseError::new(i, format!("expected {want}")));
                    }
                }
            }
            Expect::FirstKey | Expect::Key => {
                if c == b'}' && expect == Expect::FirstKey {
                    i += 1;
                    close(&mut b, &mut stack, i, &mut done);
                    expect = Expect::Separator;
                    continue;
                }
                if c != b'"' {
                    return Err(ParseError::new(i, "expected a string key in double quotes"));
                }
                i = string(&mut b, &source, i)?;
                i = skip_ws(bytes, i);
                if bytes.get(i) != Some(&b':') {
                    return Err(ParseError::new(i, "expected `:` after the key"));
                }
                i += 1;
                expect = Expect::Value;
            }
            Expect::Value | Expect::FirstItem => {
                if c == b']' && expect == Expect::FirstItem {
                    i += 1;
                    close(&mut b, &mut stack, i, &mut done);
                    expect = Expect::Separator;
                    continue;
                }
                match c {
                    b'{' | b'[' => {
                        if stack.len() >= limits.max_depth {
                            return Err(ParseError::limit(
                                i,
                                format!("nesting deeper than {} levels", limits.max_depth),
                            ));
                        }
                        let object = c == b'{';
                        b.open(
                            if object {
                                Kind::Mapping
                            } else {
                                Kind::Sequence
                            },
                            i,
                        );
                        stack.push(object);
                        i += 1;
                        expect = if object {
                            Expect::FirstKey
                        } else {
                            Expect::FirstItem
                        };
                        continue;
                    }
                    b'"' => i = string(&mut b, &source, i)?,
                    b't' => i = literal(&mut b, bytes, i, "true", Kind::Bool)?,
                    b'f' => i = literal(&mut b, bytes, i, "false", Kind::Bool)?,
                    b'n' => i = literal(&mut b, bytes, i, "null", Kind::Null)?,
                    b'-' | b'0'..=b'9' => i = number(&mut b, bytes, i)?,
                    _ => return Err(ParseError::new(i, "expected a JSON value")),
                }
                if b.node_count() > limits.max_nodes {
                    return Err(ParseError::limit(i, "the document has too many nodes"));
                }
                if stack.is_empty() {
                    done = true;
                } else {
                    expect = Expect::Separator;
                }
            }
        }
    }
    Ok(b.finish_with_duplicates())
}

fn close(b: &mut Builder, stack: &mut Vec<bool>, end: usize, done: &mut bool) {
    stack.pop();
    b.close(end);
    if stack.is_empty() {
        *done = true;
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&c) = bytes.get(i) {
        if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            i += 1;
        } else {
            break;
        }
    }
    i
}

fn literal(
    b: &mut Builder,
    bytes: &[u8],
    i: usize,
    word: &str,
    kind: Kind,
) -> Result<usize, ParseError> {
    let end = i + word.len();
    if bytes.get(i..end) != Some(word.as_bytes()) {
        return Err(ParseError::new(i, "expected a JSON value"));
    }
    b.scalar_slice(kind, Span::new(i, end), i, end);
    Ok(end)
}

fn number(b: &mut Builder, bytes: &[u8], start: usize) -> Result<usize, ParseError> {
    let mut i = start;
    let mut float = false;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let after = digits(i);
    if after == i {
        return Err(ParseError::new(i, "expected a digit"));
    }
    i = after;
    if bytes.get(i) == Some(&b'.') {
        float = true;
        let after = digits(i + 1);
        if after == i + 1 {
            return Err(ParseError::new(i + 1, "expected a digit after `.`"));
        }
        i = after;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        float = true;
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let after = digits(i);
        if after == i {
            return Err(ParseError::new(i, "expected a digit in the exponent"));
        }
        i = after;
    }
    let kind = if float { Kind::Float } else { Kind::Int };
    b.scalar_slice(kind, Span::new(start, i), start, i);
    Ok(i)
}

/// Parses the string starting at the quote at `start`; returns the offset after the closing quote.
/// True when one of the eight bytes of a word (read little-endian) is below 0x20, a quote or a
/// backslash: what ends the plain run of a JSON string, read or written. Exact for "any byte".
pub(crate) fn special_in_word(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    (word.wrapping_sub(ONES * 0x20) & !word & HIGH)
        | zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\')))
        != 0
}

/// The eight bytes at `i` as a word, when there are eight.
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let word: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(word))
}

fn string(b: &mut Builder, source: &str, start: usize) -> Result<usize, ParseError> {
    let bytes = source.as_bytes();
    let mut i = start + 1;
    loop {
        // Eight plain bytes at a time.
        while let Some(word) = word_at(bytes, i)
            && !special_in_word(word)
        {
            i += 8;
        }
        match bytes.get(i) {
            None => return Err(ParseError::new(start, "unterminated string")),
            Some(b'"') => {
                b.scalar_slice(Kind::Str, Span::new(start, i + 1), start + 1, i);
                return Ok(i + 1);
            }
            Some(b'\\') => break,
            Some(&c) if c < 0x20 => {
                return Err(ParseError::new(
                    i,
                    "control character inside a string (escape it)",
                ));
            }
            Some(_) => i += 1,
        }
    }
    // Slow path: the string has escapes.
    let mut out = String::with_capacity(i - start + 16);
    out.push_str(&source[start + 1..i]);
    loop {
        match bytes.get(i) {
            None => return Err(ParseError::new(start, "unterminated string")),
            Some(b'"') => {
                b.scalar_owned(Kind::Str, Span::new(start, i + 1), out);
                return Ok(i + 1);
            }
            Some(b'\\') => {
                let esc = bytes.get(i + 1).copied();
                i += 2;
                match esc {
                    Some(b'"') => out.push('"'),
                    Some(b'\\') => out.push('\\'),
                    Some(b'/') => out.push('/'),
                    Some(b'b') => out.push('\u{8}'),
                    Some(b'f') => out.push('\u{c}'),
                    Some(b'n') => out.push('\n'),
                    Some(b'r') => out.push('\r'),
                    Some(b't') => out.push('\t'),
                    Some(b'u') => {
                        let hi = hex4(bytes, i)
                            .ok_or_else(|| ParseError::new(i - 2, "invalid \\u escape"))?;
                        i += 4;
                        let ch = if (0xD800..0xDC00).contains(&hi) {
                            let lo = (bytes.get(i) == Some(&b'\\')
                                && bytes.get(i + 1) == Some(&b'u'))
                            .then(|| hex4(bytes, i + 2))
                            .flatten()
                            .filter(|lo| (0xDC00..0xE000).contains(lo));
                            match lo {
                                Some(lo) => {
                                    i += 6;
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                }
                                None => None,
                            }
                        } else {
                            char::from_u32(hi)
                        };
                        out.push(ch.unwrap_or('\u{fffd}'));
                    }
                    _ => return Err(ParseError::new(i - 2, "invalid escape in string")),
                }
            }
            Some(&c) if c < 0x20 => {
                return Err(ParseError::new(
                    i,
                    "control character inside a string (escape it)",
                ));
            }
            Some(_) => {
                let run = i;
                while bytes
                    .get(i)
                    .is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20)
                {
                    i += 1;
                }
                out.push_str(&source[run..i]);
            }
        }
    }
}

fn hex4(bytes: &[u8], i: usize) -> Option<u32> {
    let s = std::str::from_utf8(bytes.get(i..i + 4)?).ok()?;
    u32::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::tree::NodeId;

    fn tree(src: &str) -> Tree {
        parse(Arc::from(src), &Limits::default()).unwrap().0
    }

    #[test]
    fn spans_of_keys_and_values() {
        let src = r#"{"a": {"b": [1, "x\"y", true, null, 2.5e3]}, "c": "é"}"#;
        let t = tree(src);
        let root = t.root().unwrap();
        let (k, a) = t.get_entry(root, "a").unwrap();
        assert_eq!(
            &src[t.span(k).start as usize..t.span(k).end as usize],
            "\"a\""
        );
        let arr = t.get(a, "b").unwrap();
        let items = t.items(arr);
        assert_eq!(items.len(), 5);
        assert_eq!(t.kind(items[0]), Kind::Int);
        assert_eq!(t.str(items[1]), Some("x\"y"));
        assert_eq!(t.kind(items[2]), Kind::Bool);
        assert_eq!(t.kind(items[3]), Kind::Null);
        assert_eq!(t.as_f64(items[4]), Some(2500.0));
        assert_eq!(t.str(t.get(root, "c").unwrap()), Some("é"));
        assert_eq!(t.pointer_of(items[1]), "/a/b/1");
        assert_eq!(t.pointer(root, "/a/b/1"), Some(items[1]));
        assert_eq!(t.key_of(a), Some(k));
    }

    #[test]
    fn nearest_pointer_stops_at_the_last_existing_node() {
        let t = tree(r#"{"a": {"b": [10, 20]}}"#);
        let a = t.get(NodeId::ROOT, "a").unwrap();
        let b = t.get(a, "b").unwrap();
        assert_eq!(
            t.pointer_nearest(NodeId::ROOT, "/a/b/1"),
            (t.items(b)[1], true)
        );
        assert_eq!(t.pointer_nearest(NodeId::ROOT, "/a/missing/x"), (a, false));
        assert_eq!(t.pointer_nearest(NodeId::ROOT, "/a/b/7"), (b, false));
        assert_eq!(t.pointer_nearest(NodeId::ROOT, ""), (NodeId::ROOT, true));
    }

    #[test]
    fn every_value_is_found_again_by_its_pointer() {
        let src = r#"{"a/b": {"~x": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, {"": "e", "é ~/": null}]}, "p": {"q": true}}"#;
        let t = parse(Arc::from(src), &Limits::default()).unwrap().0;
        assert_eq!(t.pointer_of(NodeId::ROOT), "");
        let mut seen = 0;
        for i in 0..t.len() as u32 {
            let n = NodeId(i);
            if t.is_key(n) {
                continue;
            }
            let p = t.pointer_of(n);
            assert_eq!(t.pointer(NodeId::ROOT, &p), Some(n), "{p}");
            seen += 1;
        }
        assert!(seen > 15);
        let deep = t.pointer(NodeId::ROOT, "/a~1b/~0x/11/é ~0~1").unwrap();
        assert_eq!(t.pointer_of(deep), "/a~1b/~0x/11/é ~0~1");
    }

    #[test]
    fn strings_end_and_escape_at_any_place_of_a_word() {
        for pad in 0..20 {
            let a = "a".repeat(pad);
            // An escape, then the end, at every offset within and across eight-byte words.
            let src = format!("[\"{a}\\\"{a}\", \"{a}\"]");
            let t = parse(Arc::from(src.as_str()), &Limits::default())
                .unwrap()
                .0;
            let items = t.items(NodeId::ROOT);
            assert_eq!(t.str(items[0]), Some(format!("{a}\"{a}").as_str()));
            assert_eq!(t.str(items[1]), Some(a.as_str()));
            // A raw control character is an error exactly where it is.
            let bad = format!("[\"{a}\u{1}b\"]");
            let e = parse(Arc::from(bad.as_str()), &Limits::default()).unwrap_err();
            assert_eq!(e.offset, 2 + pad, "{bad:?}");
        }
    }

    #[test]
    fn errors_have_offsets() {
        for (src, at) in [
            ("{\"a\": }", 6),
            ("[1, 2", 5),
            ("{\"a\" 1}", 5),
            ("", 0),
            ("[1] x", 4),
        ] {
            let e = parse(Arc::from(src), &Limits::default()).unwrap_err();
            assert_eq!(e.offset, at, "{src}: {}", e.message);
        }
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let (_, problems) =
            parse(Arc::from(r#"{"a": 1, "b": 2, "a": 3}"#), &Limits::default()).unwrap();
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn empty_containers_then_more() {
        let t = tree(r#"{"a": {}, "b": [], "c": [[], {}], "d": 1}"#);
        assert_eq!(
            t.pointer(NodeId::ROOT, "/d").map(|d| t.kind(d)),
            Some(Kind::Int)
        );
    }

    #[test]
    fn surrogate_pairs_decode() {
        let t = tree(r#"["\ud83d\ude00"]"#);
        assert_eq!(t.str(t.items(NodeId::ROOT)[0]), Some("😀"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "[".repeat(100_000);
        assert!(parse(Arc::from(src.as_str()), &Limits::default()).is_err());
    }
}

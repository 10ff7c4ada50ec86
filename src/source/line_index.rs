//! Byte offsets to lines and columns: 1-based characters for people, 0-based UTF-16 for LSP/SARIF.

/// A position in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// 0-based column, counted in UTF-16 code units (LSP, SARIF).
    pub utf16_column: u32,
}

#[derive(Debug)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<u32>,
    ascii: bool,
    /// For non-ASCII text: every `CHECKPOINT` bytes (at a character start), the byte offset and the
    /// number of characters and UTF-16 units before it. Keeps lookups on very long lines (minified
    /// JSON) from counting from the start of the line. Built on the first such lookup.
    checkpoints: std::sync::OnceLock<Vec<(u32, u32, u32)>>,
}

const CHECKPOINT: usize = 256;

/// Characters and UTF-16 units in a run of whole UTF-8 characters, counted on the bytes.
fn count(bytes: &[u8]) -> (u32, u32) {
    // Most runs are ASCII even in a file that is not (one accented word in a minified spec).
    if bytes.is_ascii() {
        let n = bytes.len() as u32;
        return (n, n);
    }
    let (mut chars, mut pairs) = (0u32, 0u32);
    for &b in bytes {
        chars += u32::from(b & 0xC0 != 0x80);
        // A four-byte sequence is a surrogate pair in UTF-16.
        pairs += u32::from(b >= 0xF0);
    }
    (chars, chars + pairs)
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        let bytes = text.as_bytes();
        // A line ends at `\n`, at `\r\n` (after the `\n`) and at a lone `\r`. The line ends are
        // found a vector of bytes at a time: a large YAML spec has a line every 35 bytes or so.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex {
            starts,
            ascii: text.is_ascii(),
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    fn checkpoints(&self, text: &str) -> &[(u32, u32, u32)] {
        self.checkpoints.get_or_init(|| {
            let bytes = text.as_bytes();
            let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
            let (mut chars, mut utf16) = (0u32, 0u32);
            let mut i = 0;
            while i < bytes.len() {
                checkpoints.push((i as u32, chars, utf16));
                let mut end = (i + CHECKPOINT).min(bytes.len());
                while end < bytes.len() && bytes[end] & 0xC0 == 0x80 {
                    end += 1;
                }
                let (c, u) = count(&bytes[i..end]);
                chars += c;
                utf16 += u;
                i = end;
            }
            checkpoints
        })
    }

    /// Characters and UTF-16 units in `text[..offset]` (`offset` on a character boundary).
    fn counts_before(&self, text: &str, offset: usize) -> (u32, u32) {
        let checkpoints = self.checkpoints(text);
        let i = match checkpoints.binary_search_by_key(&(offset as u32), |c| c.0) {
            Ok(i) => i,
            Err(0) => return (0, 0),
            Err(i) => i - 1,
        };
        let (at, chars, utf16) = checkpoints[i];
        let (c, u) = count(&text.as_bytes()[at as usize..offset]);
        (chars + c, utf16 + u)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The position of a byte offset (clamped to the text).
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(text.len() as u32);
        let line = match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        // A byte order mark is not a column.
        let bom = if line == 0 && text.starts_with('\u{feff}') && offset >= 3 {
            3
        } else {
            0
        };
        let start = self.starts[line] + bom;
        let (chars, utf16) = if self.ascii {
            let n = offset - start;
            (n, n)
        } else {
            let mut end = offset as usize;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if end - start as usize <= CHECKPOINT {
                count(&text.as_bytes()[start as usize..end])
            } else {
                let (c1, u1) = self.counts_before(text, end);
                let (c0, u0) = self.counts_before(text, start as usize);
                (c1 - c0, u1 - u0)
            }
        };
        LineCol {
            line: line as u32 + 1,
            column: chars + 1,
            utf16_column: utf16,
        }
    }

    /// The byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.starts.get(line.checked_sub(1)? as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}openapi: 3.1.0\n";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.line_col(text, 3),
            LineCol {
                line: 1,
                column: 1,
                utf16_column: 0
            }
        );
        assert_eq!(idx.line_col(text, 10).column, 8);
    }

    #[test]
    fn long_non_ascii_lines() {
        let text = format!("{}é{}x", "a".repeat(10_000), "b".repeat(9_000));
        let idx = LineIndex::new(&text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(
            idx.line_col(&text, x),
            LineCol {
                line: 1,
                column: 19_002,
                utf16_column: 19_001
            }
        );
    }

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncé𝄞x\r\nz";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.line_col(text, 0),
            LineCol {
                line: 1,
                column: 1,
                utf16_column: 0
            }
        );
        assert_eq!(idx.line_col(text, 3).line, 2);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(
            idx.line_col(text, x),
            LineCol {
                line: 2,
                column: 4,
                utf16_column: 4
            }
        );
        let z = text.find('z').unwrap() as u32;
        assert_eq!(
            idx.line_col(text, z),
            LineCol {
                line: 3,
                column: 1,
                utf16_column: 0
            }
        );
    }

    /// Every line of a text with `\n`, `\r\n` and lone `\r` endings, longer than one vector of
    /// bytes, starts where a byte-by-byte reading says.
    #[test]
    fn every_kind_of_line_end() {
        let pieces = ["a", "\n", "\r", "\r\n", "é", "bb", "\n\n", "\r\r"];
        let mut text = String::new();
        let mut seed = 7u64;
        for _ in 0..2_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i as u32 + 1);
            }
        }
        let idx = LineIndex::new(&text);
        assert_eq!(idx.starts, starts);
        assert!(idx.line_count() > 1_000);
    }
}

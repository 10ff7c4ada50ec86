//! Editor coordinates: `file://` URIs and paths, LSP positions (0-based line, UTF-16 column) and byte
//! offsets, incremental edits.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

/// The path a `file://` URI names; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///c:/x` on Windows, `file:///x` elsewhere; a host part (`file://host/x`) is not local.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(rest)?;
    #[cfg(windows)]
    let decoded = decoded
        .strip_prefix('/')
        .filter(|d| d.as_bytes().get(1) == Some(&b':'))
        .map(str::to_string)
        .unwrap_or(decoded);
    Some(PathBuf::from(decoded))
}

/// A `file://` URI for an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The byte offset of an LSP position; a column past the end of its line means the end of the line, a
/// line past the end of the text the end of the text.
pub fn offset_of(text: &str, position: Position) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    start + line.len()
}

/// The LSP position of a byte offset (clamped to the text, and back to a character boundary).
pub fn position_of(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() as u32,
        character: text[line_start..offset]
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum(),
    }
}

/// The position of a 1-based line and 1-based character column (as configuration errors give them).
pub fn position_of_line_column(text: &str, line: u32, column: u32) -> Position {
    let line = line.saturating_sub(1);
    let start = offset_of(text, Position { line, character: 0 });
    let rest = &text[start..];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let character = rest
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(|c| c.len_utf16() as u32)
        .sum();
    Position { line, character }
}

/// Applies one change of `textDocument/didChange`: a range replaced, or the whole text.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text.clone(),
        Some(Range { start, end }) => {
            let start = offset_of(text, start);
            let end = offset_of(text, end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "a: é😀x\nb: 1\n";
        assert_eq!(offset_of(text, pos(0, 3)), 3);
        assert_eq!(offset_of(text, pos(0, 4)), 5);
        assert_eq!(offset_of(text, pos(0, 6)), 9);
        assert_eq!(offset_of(text, pos(0, 99)), 10);
        assert_eq!(offset_of(text, pos(1, 1)), 12);
        assert_eq!(offset_of(text, pos(9, 0)), text.len());
        assert_eq!(position_of(text, 9), pos(0, 6));
        assert_eq!(position_of(text, 12), pos(1, 1));
        assert_eq!(position_of_line_column(text, 1, 5), pos(0, 4));
    }

    #[test]
    fn incremental_changes_replace_ranges() {
        let mut text = "openapi: 3.0.3\r\npaths: {}\n".to_string();
        let change = |start, end, new: &str| TextDocumentContentChangeEvent {
            range: Some(Range { start, end }),
            range_length: None,
            text: new.to_string(),
        };
        apply_change(&mut text, &change(pos(0, 9), pos(0, 14), "3.1.0"));
        assert_eq!(text, "openapi: 3.1.0\r\npaths: {}\n");
        apply_change(&mut text, &change(pos(0, 99), pos(1, 0), "\n"));
        assert_eq!(text, "openapi: 3.1.0\npaths: {}\n");
        apply_change(&mut text, &change(pos(2, 0), pos(2, 0), "x: 1\n"));
        assert_eq!(text, "openapi: 3.1.0\npaths: {}\nx: 1\n");
    }

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/tmp/my specs/api #1.yaml");
        let uri = path_to_uri(path).expect("uri");
        assert_eq!(uri.as_str(), "file:///tmp/my%20specs/api%20%231.yaml");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        let other = Uri::from_str("untitled:Untitled-1").expect("uri");
        assert_eq!(uri_to_path(&other), None);
    }
}

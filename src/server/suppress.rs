//! The "suppress here" quick fix: an `x-rampart-ignore` entry on the mapping that holds a finding.

use std::sync::Arc;

use crate::source::{self, Kind, NodeId, Tree};

/// What the suppression says until the user writes the reason.
pub const REASON: &str = "TODO: say why this is acceptable here";

/// The byte offset and the text to insert so that `rule` is suppressed at `pointer` (the JSON pointer
/// of the finding in `text`); `None` when the text does not parse or holds the finding in no mapping.
pub fn edit(path: &str, text: &str, pointer: &str, rule: &str) -> Option<(usize, String)> {
    let (tree, _) = source::parse_file(path, Arc::from(text), &source::Limits::default()).ok()?;
    edit_tree(&tree, text, pointer, rule)
}

/// [`edit`] on a file already parsed.
pub fn edit_tree(tree: &Tree, text: &str, pointer: &str, rule: &str) -> Option<(usize, String)> {
    let (mut at, _) = tree.pointer_nearest(tree.root()?, pointer);
    while tree.kind(at) != Kind::Mapping {
        at = tree.parent(at)?;
    }
    let json = text[tree.span(at).start as usize..].starts_with('{');
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let reason = quote(REASON);
    // An existing suppression mapping takes one more entry; anything else gets a new one.
    let (target, entry) = match tree.get(at, "x-rampart-ignore") {
        Some(existing) if tree.kind(existing) == Kind::Mapping => {
            let flow = text[tree.span(existing).start as usize..].starts_with('{');
            let key = if flow { quote(rule) } else { rule.to_string() };
            (existing, format!("{key}: {reason}"))
        }
        Some(_) => return None,
        None if json => (
            at,
            format!("\"x-rampart-ignore\": {{{}: {reason}}}", quote(rule)),
        ),
        None => (
            at,
            format!("x-rampart-ignore: {{{}: {reason}}}", quote(rule)),
        ),
    };
    let (offset, mut insert) = insert_entry(tree, text, target, &entry);
    // A file with Windows line ends gets them in what is added too.
    if text.contains("\r\n") {
        insert = insert.replace('\n', "\r\n");
    }
    Some((offset, insert))
}

/// Inserts `entry` as the first entry of `mapping`, on a line of its own at the indentation of the
/// first key when the mapping spans lines.
fn insert_entry(tree: &Tree, text: &str, mapping: NodeId, entry: &str) -> (usize, String) {
    let start = tree.span(mapping).start as usize;
    let flow = text[start..].starts_with('{');
    let Some((key, _)) = tree.entries(mapping).next() else {
        // `{}`: right after the brace.
        return (start + 1, entry.to_string());
    };
    let key_start = tree.span(key).start as usize;
    let key_start = match text[..key_start].chars().next_back() {
        // A quoted key's span may start inside its quotes.
        Some(q @ ('"' | '\'')) => key_start - q.len_utf8(),
        _ => key_start,
    };
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..key_start];
    let separator = if flow { "," } else { "" };
    if flow && line_start <= start {
        // `{"a": 1}` on one line: keep it on one line.
        return (key_start, format!("{entry}{separator} "));
    }
    // `- key: value` (a sequence item) keeps its dash: the new line is indented by its width.
    let indent: String = before
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    (key_start, format!("{entry}{separator}\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(path: &str, text: &str, pointer: &str, rule: &str) -> String {
        let (at, insert) = edit(path, text, pointer, rule).expect("an edit");
        format!("{}{insert}{}", &text[..at], &text[at..])
    }

    #[test]
    fn yaml_block_mapping_gets_a_line_at_its_indentation() {
        let text = "paths:\n  /a:\n    get:\n      responses: {}\n";
        assert_eq!(
            apply("a.yaml", text, "/paths/~1a/get", "rate-limit-429-missing"),
            "paths:\n  /a:\n    get:\n      x-rampart-ignore: {\"rate-limit-429-missing\": \
             \"TODO: say why this is acceptable here\"}\n      responses: {}\n"
        );
    }

    #[test]
    fn a_scalar_finding_is_suppressed_on_the_mapping_holding_it() {
        let text = "items:\n  - name: id\n    type: string\n";
        assert_eq!(
            apply("a.yaml", text, "/items/0/type", "r"),
            "items:\n  - x-rampart-ignore: {\"r\": \"TODO: say why this is acceptable here\"}\n    \
             name: id\n    type: string\n"
        );
    }

    #[test]
    fn an_existing_suppression_takes_one_more_entry() {
        let text = "a:\n  x-rampart-ignore:\n    other: because\n  b: 1\n";
        assert_eq!(
            apply("a.yaml", text, "/a/b", "r"),
            "a:\n  x-rampart-ignore:\n    r: \"TODO: say why this is acceptable here\"\n    \
             other: because\n  b: 1\n"
        );
        let text = "a: {x-rampart-ignore: {other: because}, b: 1}\n";
        assert_eq!(
            apply("a.yaml", text, "/a", "r"),
            "a: {x-rampart-ignore: {\"r\": \"TODO: say why this is acceptable here\", other: \
             because}, b: 1}\n"
        );
    }

    #[test]
    fn json_gets_the_json_equivalent() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {}\n}\n";
        assert_eq!(
            apply("a.json", text, "", "r"),
            "{\n  \"x-rampart-ignore\": {\"r\": \"TODO: say why this is acceptable here\"},\n  \
             \"openapi\": \"3.0.3\",\n  \"paths\": {}\n}\n"
        );
        let text = "{\"a\": {}, \"b\": {\"c\": 1}}";
        assert_eq!(
            apply("a.json", text, "/a", "r"),
            "{\"a\": {\"x-rampart-ignore\": {\"r\": \"TODO: say why this is acceptable here\"}}, \
             \"b\": {\"c\": 1}}"
        );
        assert_eq!(
            apply("a.json", text, "/b/c", "r"),
            "{\"a\": {}, \"b\": {\"x-rampart-ignore\": {\"r\": \"TODO: say why this is acceptable \
             here\"}, \"c\": 1}}"
        );
    }
}

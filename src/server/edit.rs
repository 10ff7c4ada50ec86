//! Entries added to a mapping the way the file around them is written: YAML block or flow style, the
//! indentation of the siblings and the file's indentation step, the quoting of neighbouring keys and
//! strings; JSON with its indentation and commas, on one line when the object is on one line.

use std::sync::Arc;

use crate::source::{self, Kind, NodeId, Tree};

/// A value to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Str(String),
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    pub fn str(text: &str) -> Value {
        Value::Str(text.to_string())
    }
}

/// Where the new entries go.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// Right after the entry of this key.
    After(NodeId),
    /// Right before the entry of this key.
    Before(NodeId),
    /// After the last entry (first in an empty mapping).
    End,
}

/// One insertion: the text goes in at the byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insert {
    pub offset: usize,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    Plain,
    Double,
    Single,
}

/// A parsed file, ready to be edited.
pub struct Doc {
    tree: Tree,
    json: bool,
    /// One level of indentation, as the file writes it.
    unit: String,
    /// `"a":1,"b":2` rather than `"a": 1, "b": 2`.
    tight: bool,
}

impl Doc {
    /// Parses a file's text; `None` when it does not parse.
    pub fn parse(path: &str, text: Arc<str>) -> Option<Doc> {
        let limits = source::Limits::default();
        // JSON when the JSON parser takes it (YAML flow text may also open with `{`).
        if source::Syntax::guess(path, &text) == source::Syntax::Json {
            match source::parse(text.clone(), source::Syntax::Json, &limits) {
                Ok((tree, _)) => return Some(Doc::new(tree, true)),
                Err(_) if path.ends_with(".json") => return None,
                Err(_) => {}
            }
        }
        let (tree, _) = source::parse(text, source::Syntax::Yaml, &limits).ok()?;
        Some(Doc::new(tree, false))
    }

    fn new(tree: Tree, json: bool) -> Doc {
        let text = tree.source();
        let unit = indent_unit(text, json);
        // Minified JSON has no space after its colons and commas; new entries have none either.
        let head = &text[..text.len().min(1 << 16)];
        let tight = json && !head.contains("\": ") && !head.contains("\":\t");
        Doc {
            tree,
            json,
            unit,
            tight,
        }
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    pub fn text(&self) -> &str {
        self.tree.source()
    }

    /// Whether a mapping is written in flow style (`{...}`, and every JSON object).
    fn is_flow(&self, mapping: NodeId) -> bool {
        self.text()[self.tree.span(mapping).start as usize..].starts_with('{')
    }

    /// The start of a key as written (its opening quote included).
    fn key_start(&self, key: NodeId) -> usize {
        let start = self.tree.span(key).start as usize;
        match self.text()[..start].chars().next_back() {
            Some(q @ ('"' | '\''))
                if !self.text()[start..].starts_with(q) && self.quoted_at(start - 1) =>
            {
                start - 1
            }
            _ => start,
        }
    }

    /// Whether the quote at `at` opens a quoted key (it is the first thing on its line or follows
    /// `{`, `,` or `- `), rather than closing something before it.
    fn quoted_at(&self, at: usize) -> bool {
        let before = self.text()[..at].trim_end_matches([' ', '\t']);
        before.is_empty() || before.ends_with(['\n', '{', ',', '-', '['])
    }

    /// The end of a value as written, its closing quote included.
    fn value_end(&self, value: NodeId) -> usize {
        let span = self.tree.span(value);
        let end = span.end as usize;
        let text = self.text();
        if self.tree.kind(value).is_scalar()
            && let Some(q @ ('"' | '\'')) = text[span.start as usize..].chars().next()
            && !text[..end].ends_with(q)
            && text[end..].starts_with(q)
        {
            return end + 1;
        }
        end
    }

    /// The indentation of the line a key is on, up to the key (a sequence dash counts as a space).
    fn indent_of(&self, key: NodeId) -> String {
        let start = self.key_start(key);
        let line_start = self.text()[..start].rfind('\n').map_or(0, |i| i + 1);
        self.text()[line_start..start]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect()
    }

    /// The indentation of the line a node starts on (its leading whitespace only).
    fn line_indent(&self, at: usize) -> String {
        let line_start = self.text()[..at].rfind('\n').map_or(0, |i| i + 1);
        self.text()[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect()
    }

    fn key_quote(&self, key: NodeId) -> Quote {
        match self.text()[self.key_start(key)..].chars().next() {
            Some('"') => Quote::Double,
            Some('\'') => Quote::Single,
            _ => Quote::Plain,
        }
    }

    /// How new keys are quoted: a status code like the sibling status codes (double quotes when
    /// there are none, since a plain `429` is a number in YAML), other keys like the keys around.
    fn key_styles(&self, mapping: NodeId) -> (Quote, Quote) {
        let numeric = |k: NodeId| {
            self.tree
                .text(k)
                .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        };
        let codes = self
            .tree
            .entries(mapping)
            .filter(|(k, _)| numeric(*k))
            .map(|(k, _)| self.key_quote(k));
        let mut words = Vec::new();
        let mut stack = vec![(mapping, 0)];
        while let Some((node, depth)) = stack.pop() {
            for (k, v) in self.tree.entries(node) {
                if !numeric(k) {
                    words.push(self.key_quote(k));
                }
                if depth < 2 && self.tree.kind(v) == Kind::Mapping {
                    stack.push((v, depth + 1));
                }
            }
        }
        (
            majority(words.into_iter()).unwrap_or(Quote::Plain),
            majority(codes).unwrap_or(Quote::Double),
        )
    }

    /// How the strings around a mapping are quoted (its values and their values).
    fn string_style(&self, mapping: NodeId) -> Quote {
        let mut styles = Vec::new();
        let mut stack = vec![(mapping, 0)];
        while let Some((node, depth)) = stack.pop() {
            for (_, v) in self.tree.entries(node) {
                match self.tree.kind(v) {
                    Kind::Str => {
                        let start = self.tree.span(v).start as usize;
                        styles.push(match self.text()[start..].chars().next() {
                            Some('"') => Quote::Double,
                            Some('\'') => Quote::Single,
                            Some('|' | '>') => continue,
                            _ => Quote::Plain,
                        });
                    }
                    Kind::Mapping if depth < 2 => stack.push((v, depth + 1)),
                    _ => {}
                }
            }
        }
        majority(styles.into_iter()).unwrap_or(Quote::Plain)
    }

    /// The text that inserts `entries` into `mapping` at `place`; `None` for a node that is not a
    /// mapping or a place that is not one of its keys.
    pub fn insert(
        &self,
        mapping: NodeId,
        place: Place,
        entries: &[(String, Value)],
    ) -> Option<Insert> {
        let mut insert = self.insert_lf(mapping, place, entries)?;
        // A file with Windows line ends gets them in what is added too.
        if self.text().contains("\r\n") {
            insert.text = insert.text.replace('\n', "\r\n");
        }
        Some(insert)
    }

    fn insert_lf(
        &self,
        mapping: NodeId,
        place: Place,
        entries: &[(String, Value)],
    ) -> Option<Insert> {
        if self.tree.kind(mapping) != Kind::Mapping || entries.is_empty() {
            return None;
        }
        let keys: Vec<(NodeId, NodeId)> = self.tree.entries(mapping).collect();
        let place = match place {
            Place::End => match keys.last() {
                Some(&(k, _)) => Place::After(k),
                None => return Some(self.insert_empty(mapping, entries)),
            },
            p => p,
        };
        let (Place::After(key) | Place::Before(key)) = place else {
            return None;
        };
        let value = keys.iter().find(|(k, _)| *k == key)?.1;
        let (word_keys, code_keys) = if self.json {
            (Quote::Double, Quote::Double)
        } else {
            self.key_styles(mapping)
        };
        let style = Style {
            keys: word_keys,
            codes: code_keys,
            strings: if self.json {
                Quote::Double
            } else {
                self.string_style(mapping)
            },
            json: self.json,
            colon: if self.tight { ":" } else { ": " },
            comma: if self.tight { "," } else { ", " },
        };
        let flow = self.is_flow(mapping);
        let first_key = keys.first().map(|(k, _)| *k)?;
        let start = self.tree.span(mapping).start as usize;
        let one_line = flow && !self.text()[start..self.key_start(first_key)].contains('\n');
        if flow {
            if one_line {
                let separator = style.comma;
                let rendered = style.flow_entries(entries);
                return Some(match place {
                    Place::Before(k) => Insert {
                        offset: self.key_start(k),
                        text: format!("{rendered}{separator}"),
                    },
                    _ => Insert {
                        offset: self.value_end(value),
                        text: format!("{separator}{rendered}"),
                    },
                });
            }
            // A flow mapping over several lines: one entry a line, at the indentation of the keys.
            let indent = self.line_indent(self.key_start(first_key));
            let rendered = style.pretty_entries(entries, &indent, &self.unit, ",\n");
            return Some(match place {
                Place::Before(k) => Insert {
                    offset: self.key_start(k),
                    text: format!("{rendered},\n{indent}"),
                },
                _ => Insert {
                    offset: self.value_end(value),
                    text: format!(",\n{indent}{rendered}"),
                },
            });
        }
        let indent = self.indent_of(key);
        let rendered = style.block_entries(entries, &indent, &self.unit);
        Some(match place {
            Place::Before(k) => Insert {
                offset: self.key_start(k),
                text: format!("{rendered}\n{}", self.indent_of(k)),
            },
            _ => {
                let text = self.text();
                // A block scalar's span may stop at the indentation of the line after it.
                let end = text[..self.block_end(value)]
                    .trim_end_matches([' ', '\t'])
                    .len();
                if end > 0 && text[..end].ends_with('\n') {
                    // A block scalar's span runs over the blank lines after it: stay above them.
                    let content = text[..end].trim_end_matches([' ', '\t', '\r', '\n']).len();
                    let line_end = text[content..].find('\n').map_or(end, |i| content + i + 1);
                    Insert {
                        offset: line_end.min(end),
                        text: format!("{indent}{rendered}\n"),
                    }
                } else {
                    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
                    let line_end = if text[..line_end].ends_with('\r') {
                        line_end - 1
                    } else {
                        line_end
                    };
                    Insert {
                        offset: line_end,
                        text: format!("\n{indent}{rendered}"),
                    }
                }
            }
        })
    }

    /// The end of the last thing a block value holds (the deepest last child: container spans of
    /// block collections stop at their last content already, but a block scalar may run on).
    fn block_end(&self, value: NodeId) -> usize {
        let mut at = value;
        loop {
            let last = match self.tree.kind(at) {
                Kind::Mapping if !self.is_flow(at) => self.tree.entries(at).last().map(|(_, v)| v),
                Kind::Sequence
                    if !self.text()[self.tree.span(at).start as usize..].starts_with('[') =>
                {
                    self.tree.items(at).last().copied()
                }
                _ => None,
            };
            match last {
                Some(next) => at = next,
                None => return self.value_end(at).max(self.tree.span(value).end as usize),
            }
        }
    }

    /// Entries in a mapping that has none: `{}` becomes `{entries}`.
    fn insert_empty(&self, mapping: NodeId, entries: &[(String, Value)]) -> Insert {
        let style = Style {
            keys: if self.json {
                Quote::Double
            } else {
                Quote::Plain
            },
            codes: Quote::Double,
            strings: if self.json {
                Quote::Double
            } else {
                Quote::Plain
            },
            json: self.json,
            colon: if self.tight { ":" } else { ": " },
            comma: if self.tight { "," } else { ", " },
        };
        let start = self.tree.span(mapping).start as usize;
        Insert {
            offset: start + 1,
            text: style.flow_entries(entries),
        }
    }
}

fn majority(styles: impl Iterator<Item = Quote>) -> Option<Quote> {
    let mut counts = [0usize; 3];
    for s in styles {
        counts[s as usize] += 1;
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i))?;
    (counts[best] > 0).then_some([Quote::Plain, Quote::Double, Quote::Single][best])
}

/// How new keys and strings are written.
struct Style {
    keys: Quote,
    /// Keys that are numbers (status codes).
    codes: Quote,
    strings: Quote,
    json: bool,
    /// What follows a key and an entry on one line.
    colon: &'static str,
    comma: &'static str,
}

impl Style {
    fn key(&self, key: &str) -> String {
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_digit()) {
            match self.codes {
                // A status code written as a plain number, like its siblings.
                Quote::Plain if !self.json => key.to_string(),
                q => self.scalar(key, q),
            }
        } else {
            self.scalar(key, self.keys)
        }
    }

    fn string(&self, s: &str) -> String {
        self.scalar(s, self.strings)
    }

    fn scalar(&self, s: &str, quote: Quote) -> String {
        match quote {
            _ if self.json => serde_json::to_string(s).unwrap_or_default(),
            Quote::Plain if plain_safe(s) => s.to_string(),
            Quote::Single if !s.contains('\n') => format!("'{}'", s.replace('\'', "''")),
            _ => serde_json::to_string(s).unwrap_or_default(),
        }
    }

    fn value_inline(&self, v: &Value) -> String {
        match v {
            Value::Int(i) => i.to_string(),
            Value::Str(s) => self.string(s),
            Value::Map(entries) => format!("{{{}}}", self.flow_entries(entries)),
        }
    }

    /// `k: v, k2: v2` (JSON or YAML flow).
    fn flow_entries(&self, entries: &[(String, Value)]) -> String {
        entries
            .iter()
            .map(|(k, v)| format!("{}{}{}", self.key(k), self.colon, self.value_inline(v)))
            .collect::<Vec<_>>()
            .join(self.comma)
    }

    /// Entries one a line in flow style (JSON pretty-printed): nested objects open on the key's
    /// line and close at its indentation.
    fn pretty_entries(
        &self,
        entries: &[(String, Value)],
        indent: &str,
        unit: &str,
        separator: &str,
    ) -> String {
        entries
            .iter()
            .map(|(k, v)| match v {
                Value::Map(inner) if !inner.is_empty() => {
                    let deeper = format!("{indent}{unit}");
                    format!(
                        "{}: {{\n{deeper}{}\n{indent}}}",
                        self.key(k),
                        self.pretty_entries(inner, &deeper, unit, separator)
                    )
                }
                _ => format!("{}: {}", self.key(k), self.value_inline(v)),
            })
            .collect::<Vec<_>>()
            .join(&format!("{separator}{indent}"))
    }

    /// Entries one a line in YAML block style; lines after the first start with `indent`.
    fn block_entries(&self, entries: &[(String, Value)], indent: &str, unit: &str) -> String {
        entries
            .iter()
            .map(|(k, v)| match v {
                Value::Map(inner) if !inner.is_empty() => {
                    let deeper = format!("{indent}{unit}");
                    format!(
                        "{}:\n{deeper}{}",
                        self.key(k),
                        self.block_entries(inner, &deeper, unit)
                    )
                }
                _ => format!("{}: {}", self.key(k), self.value_inline(v)),
            })
            .collect::<Vec<_>>()
            .join(&format!("\n{indent}"))
    }
}

/// Whether a string can be written as a YAML plain scalar, in block and flow context alike, and
/// reads back as the same string.
fn plain_safe(s: &str) -> bool {
    let first_ok = s.chars().next().is_some_and(|c| c.is_alphabetic());
    let lower = s.to_ascii_lowercase();
    first_ok
        && !s.ends_with(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_.;()/".contains(c))
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(&lower.as_str())
}

/// The file's indentation step: the most common increase of indentation after a line that opens a
/// block (`key:` in YAML, `{` or `[` in JSON); two spaces when nothing says otherwise.
fn indent_unit(text: &str, json: bool) -> String {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut previous: Option<(usize, bool)> = None;
    for line in text.lines().take(5000) {
        let content = line.trim_start_matches([' ', '\t']);
        let trimmed = content.trim_end();
        if trimmed.is_empty() || (!json && trimmed.starts_with('#')) {
            continue;
        }
        let width = line.len() - content.len();
        if let Some((prev_width, opens)) = previous
            && opens
            && width > prev_width
        {
            let step = &line[prev_width..width];
            *counts.entry(step.to_string()).or_default() += 1;
        }
        let opens = if json {
            trimmed.ends_with(['{', '['])
        } else {
            trimmed.ends_with(':')
        };
        previous = Some((width, opens));
    }
    counts
        .into_iter()
        .filter(|(step, _)| !step.is_empty() && step.len() <= 8)
        .max_by_key(|(step, n)| (*n, std::cmp::Reverse(step.len())))
        .map(|(step, _)| step)
        .unwrap_or_else(|| "  ".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(
        path: &str,
        text: &str,
        pointer: &str,
        place: &str,
        entries: Vec<(String, Value)>,
    ) -> String {
        let doc = Doc::parse(path, Arc::from(text)).expect("parses");
        let tree = doc.tree();
        let mapping = tree
            .pointer(tree.root().expect("root"), pointer)
            .expect("mapping");
        let place = match place {
            "" => Place::End,
            p if p.starts_with('<') => {
                Place::Before(tree.get_entry(mapping, &p[1..]).expect("key").0)
            }
            p => Place::After(tree.get_entry(mapping, p).expect("key").0),
        };
        let insert = doc.insert(mapping, place, &entries).expect("insert");
        let out = format!(
            "{}{}{}",
            &text[..insert.offset],
            insert.text,
            &text[insert.offset..]
        );
        // Whatever was inserted parses, in the syntax of the file.
        assert!(Doc::parse(path, Arc::from(out.as_str())).is_some(), "{out}");
        out
    }

    fn max_length() -> Vec<(String, Value)> {
        vec![("maxLength".to_string(), Value::Int(256))]
    }

    fn response() -> Vec<(String, Value)> {
        vec![(
            "429".to_string(),
            Value::map([
                ("description", Value::str("Too many requests.")),
                (
                    "headers",
                    Value::map([(
                        "Retry-After",
                        Value::map([("schema", Value::map([("type", Value::str("integer"))]))]),
                    )]),
                ),
            ]),
        )]
    }

    #[test]
    fn yaml_block_entries_take_the_indentation_of_their_siblings() {
        let text = "a:\n    type: string   # a name\n    format: email\n\n# next\nb: 1\n";
        assert_eq!(
            apply("a.yaml", text, "/a", "format", max_length()),
            "a:\n    type: string   # a name\n    format: email\n    maxLength: 256\n\n# next\nb: 1\n"
        );
        assert_eq!(
            apply("a.yaml", text, "/a", "type", max_length()),
            "a:\n    type: string   # a name\n    maxLength: 256\n    format: email\n\n# next\nb: 1\n"
        );
        assert_eq!(
            apply("a.yaml", text, "/a", "<format", max_length()),
            "a:\n    type: string   # a name\n    maxLength: 256\n    format: email\n\n# next\nb: 1\n"
        );
    }

    #[test]
    fn yaml_nested_values_use_the_files_indentation_step_and_key_quotes() {
        let text = "responses:\n    '200':\n        description: 'ok'\n    default:\n        description: 'no'\n";
        assert_eq!(
            apply("a.yaml", text, "/responses", "<default", response()),
            "responses:\n    '200':\n        description: 'ok'\n    '429':\n        description: \
             'Too many requests.'\n        headers:\n            Retry-After:\n                \
             schema:\n                    type: 'integer'\n    default:\n        description: 'no'\n"
        );
        let text = "responses:\n  200:\n    description: ok\n";
        assert_eq!(
            apply("a.yaml", text, "/responses", "", response()),
            "responses:\n  200:\n    description: ok\n  429:\n    description: Too many requests.\n    \
             headers:\n      Retry-After:\n        schema:\n          type: integer\n"
        );
    }

    #[test]
    fn sequence_items_keep_their_dash() {
        let text = "parameters:\n- name: q\n  type: string\n- name: r\n";
        assert_eq!(
            apply("a.yaml", text, "/parameters/0", "type", max_length()),
            "parameters:\n- name: q\n  type: string\n  maxLength: 256\n- name: r\n"
        );
        assert_eq!(
            apply("a.yaml", text, "/parameters/0", "<name", max_length()),
            "parameters:\n- maxLength: 256\n  name: q\n  type: string\n- name: r\n"
        );
    }

    #[test]
    fn a_block_scalar_is_not_cut() {
        let text = "a:\n  description: |\n    one\n    two\n\nb: 1\n";
        assert_eq!(
            apply("a.yaml", text, "/a", "", max_length()),
            "a:\n  description: |\n    one\n    two\n  maxLength: 256\n\nb: 1\n"
        );
        let text = "a:\n  description: >-\n    one\n  type: string\n";
        assert_eq!(
            apply("a.yaml", text, "/a", "description", max_length()),
            "a:\n  description: >-\n    one\n  maxLength: 256\n  type: string\n"
        );
    }

    #[test]
    fn windows_line_ends_are_kept() {
        let text = "a:\r\n  type: string\r\n  format: email\r\nb: 1\r\n";
        assert_eq!(
            apply("a.yaml", text, "/a", "type", max_length()),
            "a:\r\n  type: string\r\n  maxLength: 256\r\n  format: email\r\nb: 1\r\n"
        );
        assert_eq!(
            apply("a.yaml", text, "/a", "<format", response()),
            "a:\r\n  type: string\r\n  \"429\":\r\n    description: Too many requests.\r\n    \
             headers:\r\n      Retry-After:\r\n        schema:\r\n          type: integer\r\n  \
             format: email\r\nb: 1\r\n"
        );
    }

    #[test]
    fn yaml_flow_mappings_stay_flow() {
        let text = "a: {type: string, format: email}\n";
        assert_eq!(
            apply("a.yaml", text, "/a", "format", max_length()),
            "a: {type: string, format: email, maxLength: 256}\n"
        );
        let text = "r: {\"200\": {description: ok}}\n";
        assert_eq!(
            apply("a.yaml", text, "/r", "", response()),
            "r: {\"200\": {description: ok}, \"429\": {description: Too many requests., headers: \
             {Retry-After: {schema: {type: integer}}}}}\n"
        );
    }

    #[test]
    fn json_keeps_its_indentation_and_commas() {
        let text = "{\n\t\"a\": {\n\t\t\"type\": \"string\",\n\t\t\"format\": \"email\"\n\t}\n}\n";
        assert_eq!(
            apply("a.json", text, "/a", "type", max_length()),
            "{\n\t\"a\": {\n\t\t\"type\": \"string\",\n\t\t\"maxLength\": 256,\n\t\t\"format\": \"email\"\n\t}\n}\n"
        );
        assert_eq!(
            apply("a.json", text, "/a", "", max_length()),
            "{\n\t\"a\": {\n\t\t\"type\": \"string\",\n\t\t\"format\": \"email\",\n\t\t\"maxLength\": 256\n\t}\n}\n"
        );
        let text = "{\n  \"r\": {\n    \"200\": {\n      \"description\": \"ok\"\n    }\n  }\n}\n";
        assert_eq!(
            apply("a.json", text, "/r", "", response()),
            "{\n  \"r\": {\n    \"200\": {\n      \"description\": \"ok\"\n    },\n    \"429\": {\n      \
             \"description\": \"Too many requests.\",\n      \"headers\": {\n        \"Retry-After\": {\n          \
             \"schema\": {\n            \"type\": \"integer\"\n          }\n        }\n      }\n    }\n  }\n}\n"
        );
        let text = "{\"a\":{\"type\":\"string\"},\"b\":{}}";
        assert_eq!(
            apply("a.json", text, "/a", "type", max_length()),
            "{\"a\":{\"type\":\"string\",\"maxLength\":256},\"b\":{}}"
        );
        assert_eq!(
            apply("a.json", text, "/b", "", max_length()),
            "{\"a\":{\"type\":\"string\"},\"b\":{\"maxLength\":256}}"
        );
    }
}

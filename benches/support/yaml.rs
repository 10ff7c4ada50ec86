//! YAML for the benchmark: a bare parse into a generic value (the baseline rampart's own YAML
//! loading is held to), and a block-style rendering of JSON documents (to make YAML twins of the
//! largest specs when the corpus has none).

use saphyr_parser::{Event, Parser, ScanError};
use serde_json::{Map, Value};

/// Parses YAML into a `serde_json::Value` straight from `saphyr-parser`'s events: every scalar a
/// string (no type resolution), aliases as null. The least a YAML tree can cost with this parser.
pub fn parse_value(text: &str) -> Result<Value, ScanError> {
    let mut parser = Parser::new_from_str(text);
    let mut root = Value::Null;
    while let Some(next) = parser.next_event() {
        match next?.0 {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd | Event::Nothing => {}
            event => root = node(event, &mut parser)?,
        }
    }
    Ok(root)
}

fn next<'a>(parser: &mut Parser<'a, saphyr_parser::StrInput<'a>>) -> Result<Event<'a>, ScanError> {
    match parser.next_event() {
        Some(event) => Ok(event?.0),
        None => Ok(Event::StreamEnd),
    }
}

fn node<'a>(
    event: Event<'a>,
    parser: &mut Parser<'a, saphyr_parser::StrInput<'a>>,
) -> Result<Value, ScanError> {
    Ok(match event {
        Event::Scalar(text, ..) => Value::String(text.into_owned()),
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            loop {
                match next(parser)? {
                    Event::SequenceEnd | Event::StreamEnd => break,
                    event => items.push(node(event, parser)?),
                }
            }
            Value::Array(items)
        }
        Event::MappingStart(..) => {
            let mut map = Map::new();
            loop {
                let key = match next(parser)? {
                    Event::MappingEnd | Event::StreamEnd => break,
                    Event::Scalar(text, ..) => text.into_owned(),
                    event => node(event, parser)?.to_string(),
                };
                let value = next(parser)?;
                map.insert(key, node(value, parser)?);
            }
            Value::Object(map)
        }
        _ => Value::Null,
    })
}

/// Renders a JSON value as block-style YAML: plain scalars where they read back as the same
/// string, double-quoted (JSON escapes, which YAML shares) elsewhere.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    block(value, 0, &mut out);
    out
}

fn block(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (i, (key, v)) in map.iter().enumerate() {
                if i > 0 || !out.ends_with("- ") {
                    pad(indent, out);
                }
                scalar(key, out);
                out.push(':');
                child(v, indent, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                if i > 0 || !out.ends_with("- ") {
                    pad(indent, out);
                }
                out.push_str("- ");
                match v {
                    Value::Object(m) if !m.is_empty() => block(v, indent + 2, out),
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        block(v, indent + 2, out);
                    }
                    _ => {
                        inline(v, out);
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            inline(value, out);
            out.push('\n');
        }
    }
}

fn child(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            block(value, indent + 2, out);
        }
        // Sequences under a key sit at the key's own indentation, as most YAML writers put them.
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            block(value, indent, out);
        }
        _ => {
            out.push(' ');
            inline(value, out);
            out.push('\n');
        }
    }
}

fn pad(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn inline(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => scalar(s, out),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        other => out.push_str(&other.to_string()),
    }
}

fn scalar(s: &str, out: &mut String) {
    if plain(s) {
        out.push_str(s);
    } else {
        out.push_str(&Value::String(s.to_owned()).to_string());
    }
}

/// True when `s` can be written unquoted and reads back as this string (conservatively).
fn plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    (first.is_ascii_alphabetic() || first == '/' || first == '_')
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars()
            .all(|c| c.is_alphanumeric() || " _-./()',;+=$&?@^<>[]{}|*%!:#".contains(c))
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
        && !s.ends_with(':')
}

/// Every scalar as a string, as [`parse_value`] reads them: to check a rendering reads back.
pub fn as_strings(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), as_strings(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(as_strings).collect()),
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    }
}

//! Quick fixes that write what a finding says is missing: a bound on a string, array or number, a
//! `429` response with `Retry-After`, a `Retry-After` header on a `429` response. Each value is a
//! placeholder to adjust, written in the file's own style (see [`super::edit`]).

use crate::source::{Kind, NodeId, Tree};

use super::edit::{Doc, Insert, Place, Value};

/// A fix: a title and the insertions, all in the same file.
#[derive(Debug)]
pub struct Fix {
    pub title: String,
    pub inserts: Vec<Insert>,
}

/// The methods whose operations must define a `429` (CORS preflights are answered before any limit).
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "trace"];

/// What rampart can write for a finding of `rule` at `pointer` (the finding's JSON pointer in the
/// document) with `message`; empty when it knows no fix or the pointer no longer leads anywhere.
pub fn for_finding(doc: &Doc, rule: &str, pointer: &str, message: &str) -> Vec<Fix> {
    let tree = doc.tree();
    let Some(root) = tree.root() else {
        return Vec::new();
    };
    let Some(node) = tree.pointer(root, pointer) else {
        return Vec::new();
    };
    let fix = match rule {
        "string-unbounded" => schema_of(tree, node).and_then(|s| max_length(doc, s)),
        "array-unbounded" => schema_of(tree, node)
            .and_then(|s| bound(doc, s, &["minItems", "type"], vec![("maxItems", 100)])),
        "integer-unbounded" => schema_of(tree, node).and_then(|s| numeric_bounds(doc, s, message)),
        "retry-after-missing" => retry_after(doc, node),
        "rate-limit-429-missing" => {
            return match operation_at(doc, node) {
                Some(op) => add_429(doc, &[op]).into_iter().collect(),
                None if pointer == "/paths" => add_429(doc, &operations_without_429(doc))
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            };
        }
        _ => None,
    };
    fix.into_iter().collect()
}

/// "add a 429 response to `<METHOD> <path>`" for the operation whose method key or `responses`
/// the byte range `from..to` touches, if it lacks one.
pub fn add_429_at(doc: &Doc, from: usize, to: usize) -> Option<Fix> {
    let tree = doc.tree();
    let touches = |start: u32, end: u32| (start as usize) <= to && from <= end as usize;
    let op = operations_without_429(doc).into_iter().find(|op| {
        touches(tree.span(op.key).start, tree.span(op.key).end)
            || tree
                .get_entry(op.node, "responses")
                .is_some_and(|(k, v)| touches(tree.span(k).start, tree.span(v).end))
    })?;
    add_429(doc, &[op])
}

/// Whether the lines of an LSP range may hold an operation's method key or its `responses` (a
/// quick look at the text, before anything is parsed).
pub fn may_name_an_operation(text: &str, range: lsp_types::Range) -> bool {
    let start = super::text::offset_of(text, lsp_types::Position::new(range.start.line, 0));
    let end = super::text::offset_of(text, lsp_types::Position::new(range.end.line + 1, 0));
    let lines = &text[start..end.max(start)];
    // A minified file is one line: anything may be on it.
    lines.len() > 10_000
        || std::iter::once("responses")
            .chain(METHODS)
            .any(|word| lines.contains(word))
}

/// The schema a finding is about: the node itself when it is a mapping (a property or a named
/// schema), else the mapping that holds it (the `type` of a parameter's schema).
fn schema_of(tree: &Tree, node: NodeId) -> Option<NodeId> {
    let mut at = node;
    while tree.kind(at) != Kind::Mapping {
        at = tree.parent(at)?;
    }
    // Keywords beside a `$ref` are ignored before OpenAPI 3.1: the fix belongs to the definition.
    tree.get(at, "$ref").is_none().then_some(at)
}

/// The name a schema goes by: a property's name, a parameter's name.
fn name_of(tree: &Tree, schema: NodeId) -> Option<&str> {
    if let Some(name) = tree.get(schema, "name").and_then(|n| tree.str(n)) {
        return Some(name);
    }
    let key = tree.key_of(schema)?;
    let holder = tree.parent(schema)?;
    match tree.text(key)? {
        "schema" => tree.get(holder, "name").and_then(|n| tree.str(n)),
        name => {
            let properties = tree.key_of(holder).and_then(|k| tree.text(k));
            (properties == Some("properties")).then_some(name)
        }
    }
}

/// Inserts `key: value` entries after the first of `after` the schema has (else at its end).
fn bound(doc: &Doc, schema: NodeId, after: &[&str], entries: Vec<(&str, i64)>) -> Option<Fix> {
    let tree = doc.tree();
    let place = after
        .iter()
        .find_map(|k| tree.get_entry(schema, k))
        .map_or(Place::End, |(k, _)| Place::After(k));
    let title = entries
        .iter()
        .map(|(k, v)| format!("`{k}: {v}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let entries: Vec<(String, Value)> = entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::Int(v)))
        .collect();
    Some(Fix {
        title: format!("add {title}"),
        inserts: vec![doc.insert(schema, place, &entries)?],
    })
}

/// `maxLength`, with a placeholder that suits the format (an e-mail address is at most 254
/// characters, a URL is rarely more than 2048).
fn max_length(doc: &Doc, schema: NodeId) -> Option<Fix> {
    let tree = doc.tree();
    let format = tree.get(schema, "format").and_then(|f| tree.str(f));
    let limit = match format.unwrap_or("") {
        "email" | "idn-email" => 254,
        "hostname" | "idn-hostname" => 253,
        "uri" | "url" | "uri-reference" | "iri" | "iri-reference" | "uri-template" => 2048,
        "password" => 128,
        // Uploads and encoded data: one megabyte.
        "binary" | "byte" | "base64" | "base64url" => 1_048_576,
        _ => 256,
    };
    bound(
        doc,
        schema,
        &["minLength", "format", "type"],
        vec![("maxLength", limit)],
    )
}

/// `minimum` and/or `maximum`, as the finding's message says is missing.
fn numeric_bounds(doc: &Doc, schema: NodeId, message: &str) -> Option<Fix> {
    let tree = doc.tree();
    let (lower, upper) = match message {
        m if m.contains("without `minimum` and `maximum`") => (true, true),
        m if m.contains("without `maximum`") => (false, true),
        m if m.contains("without `minimum`") => (true, false),
        _ => return None,
    };
    // Page sizes get the bounds of a page.
    let page = name_of(tree, schema).is_some_and(|n| {
        let n = n.to_ascii_lowercase().replace(['_', '-', '$'], "");
        [
            "limit",
            "perpage",
            "pagesize",
            "size",
            "count",
            "top",
            "first",
            "last",
            "maxresults",
        ]
        .contains(&n.as_str())
    });
    let (min, max) = if page { (1, 100) } else { (0, 1000) };
    let mut entries = Vec::new();
    if lower {
        entries.push(("minimum", min));
    }
    if upper {
        entries.push(("maximum", max));
    }
    let after: &[&str] = if lower {
        &["format", "type"]
    } else {
        &["minimum", "exclusiveMinimum", "format", "type"]
    };
    bound(doc, schema, after, entries)
}

fn swagger2(tree: &Tree) -> bool {
    tree.root()
        .is_some_and(|r| tree.get(r, "swagger").is_some())
}

/// The `Retry-After` header as the document's version writes a header.
fn retry_after_header(swagger2: bool) -> Value {
    let description = (
        "description",
        Value::str("Seconds to wait before retrying."),
    );
    if swagger2 {
        Value::map([description, ("type", Value::str("integer"))])
    } else {
        Value::map([
            description,
            ("schema", Value::map([("type", Value::str("integer"))])),
        ])
    }
}

/// A `Retry-After` header on a `429` response.
fn retry_after(doc: &Doc, response: NodeId) -> Option<Fix> {
    let tree = doc.tree();
    if tree.kind(response) != Kind::Mapping || tree.get(response, "$ref").is_some() {
        return None;
    }
    let header = retry_after_header(swagger2(tree));
    let insert = match tree.get(response, "headers") {
        Some(headers) => doc.insert(headers, Place::End, &[("Retry-After".to_string(), header)])?,
        None => {
            let place = tree
                .get_entry(response, "description")
                .map_or(Place::End, |(k, _)| Place::After(k));
            let headers = Value::Map(vec![("Retry-After".to_string(), header)]);
            doc.insert(response, place, &[("headers".to_string(), headers)])?
        }
    };
    Some(Fix {
        title: "add a `Retry-After` header".to_string(),
        inserts: vec![insert],
    })
}

/// An operation under `paths`.
#[derive(Clone, Copy, Debug)]
struct Operation<'t> {
    path: &'t str,
    method: &'t str,
    /// The method key and the operation mapping.
    key: NodeId,
    node: NodeId,
}

/// The operations of the document's `paths` (written in this file) that define no `429`.
fn operations_without_429(doc: &Doc) -> Vec<Operation<'_>> {
    let tree = doc.tree();
    let Some(paths) = tree.root().and_then(|r| tree.get(r, "paths")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, _, item) in tree.fields(paths) {
        if !path.starts_with('/') {
            continue;
        }
        for (method, key, node) in tree.fields(item) {
            if !METHODS.contains(&method) || tree.kind(node) != Kind::Mapping {
                continue;
            }
            let has = tree
                .get(node, "responses")
                .is_some_and(|r| tree.get(r, "429").is_some());
            if !has {
                out.push(Operation {
                    path,
                    method,
                    key,
                    node,
                });
            }
        }
    }
    out
}

/// The operation lacking a `429` that a finding's node is (or whose `responses` it is).
fn operation_at(doc: &Doc, node: NodeId) -> Option<Operation<'_>> {
    let tree = doc.tree();
    let op = match tree.key_of(node).and_then(|k| tree.text(k)) {
        Some("responses") => tree.parent(node)?,
        _ => node,
    };
    operations_without_429(doc)
        .into_iter()
        .find(|o| o.node == op)
}

/// Where a status code sorts among the keys of `responses`: codes by number, ranges (`4XX`) after
/// their codes, `default` and extensions last.
fn rank(key: &str) -> u32 {
    let upper = key.to_ascii_uppercase();
    match upper.as_bytes() {
        [d @ b'1'..=b'5', b'X', b'X'] => u32::from(d - b'0') * 100 + 99,
        _ if key.len() == 3 && key.chars().all(|c| c.is_ascii_digit()) => key.parse().unwrap_or(0),
        _ if key == "default" => 1000,
        _ => 2000,
    }
}

/// A `429` response with `Retry-After` for each operation, in one fix.
fn add_429(doc: &Doc, ops: &[Operation<'_>]) -> Option<Fix> {
    let tree = doc.tree();
    let description = "Too many requests; retry after the time the Retry-After header gives.";
    let response = Value::map([
        ("description", Value::str(description)),
        (
            "headers",
            Value::Map(vec![(
                "Retry-After".to_string(),
                retry_after_header(swagger2(tree)),
            )]),
        ),
    ]);
    let entry = ("429".to_string(), response);
    let mut inserts = Vec::new();
    for op in ops {
        let insert = match tree.get(op.node, "responses") {
            Some(responses) => {
                let place = tree
                    .fields(responses)
                    .find(|(k, _, _)| rank(k) > 429)
                    .map_or(Place::End, |(_, k, _)| Place::Before(k));
                doc.insert(responses, place, std::slice::from_ref(&entry))
            }
            None => doc.insert(
                op.node,
                Place::End,
                &[("responses".to_string(), Value::Map(vec![entry.clone()]))],
            ),
        };
        inserts.extend(insert);
    }
    let title = match ops {
        [] => return None,
        [op] => format!(
            "add a 429 response to `{} {}`",
            op.method.to_ascii_uppercase(),
            op.path
        ),
        _ => format!("add a 429 response to all {} operations", ops.len()),
    };
    (!inserts.is_empty()).then_some(Fix { title, inserts })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn apply(text: &str, fix: &Fix) -> String {
        let mut out = text.to_string();
        let mut inserts = fix.inserts.clone();
        inserts.sort_by_key(|i| std::cmp::Reverse(i.offset));
        for i in inserts {
            out.insert_str(i.offset, &i.text);
        }
        out
    }

    fn fixed(path: &str, text: &str, rule: &str, pointer: &str, message: &str) -> String {
        let doc = Doc::parse(path, Arc::from(text)).expect("parses");
        let fixes = for_finding(&doc, rule, pointer, message);
        assert_eq!(fixes.len(), 1, "{fixes:?}");
        apply(text, &fixes[0])
    }

    #[test]
    fn string_bounds_follow_the_format_and_keep_it() {
        let text = "paths:\n  /a:\n    get:\n      parameters:\n        - name: to\n          in: query\n          schema:\n            type: string\n            format: email\n            description: x\n";
        assert_eq!(
            fixed(
                "a.yaml",
                text,
                "string-unbounded",
                "/paths/~1a/get/parameters/0/schema/type",
                ""
            ),
            text.replace(
                "format: email\n",
                "format: email\n            maxLength: 254\n"
            )
        );
        // Swagger 2.0 parameters carry their schema inline.
        let text =
            "swagger: \"2.0\"\nparameters:\n  q:\n    name: q\n    in: query\n    type: string\n";
        assert_eq!(
            fixed("a.yaml", text, "string-unbounded", "/parameters/q/type", ""),
            format!("{text}    maxLength: 256\n")
        );
    }

    #[test]
    fn integer_bounds_are_the_ones_the_message_names() {
        let text = "p:\n  properties:\n    limit:\n      type: integer\n      minimum: 1\n    n:\n      type: number\n";
        assert_eq!(
            fixed(
                "a.yaml",
                text,
                "integer-unbounded",
                "/p/properties/limit",
                "x is an integer without `maximum`, so"
            ),
            text.replace("minimum: 1\n", "minimum: 1\n      maximum: 100\n")
        );
        assert_eq!(
            fixed(
                "a.yaml",
                text,
                "integer-unbounded",
                "/p/properties/n",
                "x is a number without `minimum` and `maximum`, so"
            ),
            text.replace(
                "type: number\n",
                "type: number\n      minimum: 0\n      maximum: 1000\n"
            )
        );
    }

    #[test]
    fn a_429_goes_before_the_larger_codes() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          description: ok\n        \"500\":\n          description: no\n    options:\n      responses: {}\n  /b:\n    post:\n      responses:\n        \"201\":\n          description: ok\n";
        let out = fixed("a.yaml", text, "rate-limit-429-missing", "/paths", "");
        assert!(
            out.contains(
                "        \"200\":\n          description: ok\n        \"429\":\n          description: Too many \
                 requests; retry after the time the Retry-After header gives.\n          headers:\n            \
                 Retry-After:\n              description: Seconds to wait before retrying.\n              \
                 schema:\n                type: integer\n        \"500\":"
            ),
            "{out}"
        );
        assert_eq!(out.matches("\"429\"").count(), 2, "{out}");
        let doc = Doc::parse("a.yaml", Arc::from(text)).expect("parses");
        let at = text.find("post").expect("post");
        let fix = add_429_at(&doc, at, at).expect("a fix");
        assert_eq!(fix.title, "add a 429 response to `POST /b`");
        let at = text.find("\"500\"").expect("500");
        let fix = add_429_at(&doc, at, at).expect("a fix");
        assert_eq!(fix.title, "add a 429 response to `GET /a`");
        assert!(add_429_at(&doc, 0, 0).is_none());
    }

    #[test]
    fn only_lines_that_may_name_an_operation_are_parsed_for_a_429() {
        let text = "paths:\n  /a:\n    get:\n      responses: {}\ninfo:\n  title: t\n";
        let line = |n| {
            lsp_types::Range::new(
                lsp_types::Position::new(n, 0),
                lsp_types::Position::new(n, 0),
            )
        };
        assert!(may_name_an_operation(text, line(2)));
        assert!(may_name_an_operation(text, line(3)));
        assert!(!may_name_an_operation(text, line(5)));
    }

    #[test]
    fn retry_after_is_added_to_the_429_response() {
        let text = "swagger: \"2.0\"\npaths:\n  /a:\n    get:\n      responses:\n        429:\n          description: slow\n          schema:\n            type: object\n";
        assert_eq!(
            fixed("a.yaml", text, "retry-after-missing", "/paths/~1a/get/responses/429", ""),
            text.replace(
                "description: slow\n",
                "description: slow\n          headers:\n            Retry-After:\n              description: \
                 Seconds to wait before retrying.\n              type: integer\n"
            )
        );
    }
}

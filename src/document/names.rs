//! Human names for nodes, derived from where they sit: "property `name` of schema `User`",
//! "query parameter `limit` of `GET /items`", "`404` response of `GET /items/{id}`".

use super::{DocumentSet, NodeRef};
use crate::source::Kind;

/// Describes a node from its position in its file (parents and keys).
pub fn describe(set: &DocumentSet, n: NodeRef) -> String {
    let tree = set.tree(n.file);
    let mut segs: Vec<String> = Vec::new();
    let mut at = n.node;
    while let Some(parent) = tree.parent(at) {
        let seg = match tree.kind(parent) {
            Kind::Mapping => tree
                .key_of(at)
                .and_then(|k| tree.text(k))
                .unwrap_or("")
                .to_string(),
            _ => tree.index_in_parent(at).unwrap_or(0).to_string(),
        };
        segs.push(seg);
        at = parent;
        if segs.len() > 64 {
            break;
        }
    }
    segs.reverse();
    let file_stem = set
        .file(n.file)
        .path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .to_string();
    describe_segments(&segs, set.file(n.file).root, &file_stem, set, n)
}

fn operation_name(method: &str, path: &str) -> String {
    format!("`{} {}`", method.to_ascii_uppercase(), path)
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn describe_segments(
    segs: &[String],
    root: bool,
    file: &str,
    set: &DocumentSet,
    n: NodeRef,
) -> String {
    // Schema-internal suffixes first: walk from the end while the segments are schema keywords.
    let mut i = segs.len();
    let mut parts: Vec<String> = Vec::new();
    while i > 0 {
        let s = &segs[i - 1];
        let prev = if i >= 2 {
            Some(segs[i - 2].as_str())
        } else {
            None
        };
        match prev {
            Some("properties") | Some("patternProperties") => {
                parts.push(format!("property `{s}`"));
                i -= 2;
            }
            Some("allOf" | "oneOf" | "anyOf" | "prefixItems") => {
                parts.push(format!("{}[{s}]", prev.unwrap_or_default()));
                i -= 2;
            }
            _ => match s.as_str() {
                "items" | "additionalProperties" | "not" | "unevaluatedProperties" | "contains" => {
                    let word = match s.as_str() {
                        "items" => "items",
                        "additionalProperties" => "additional properties",
                        "unevaluatedProperties" => "unevaluated properties",
                        "contains" => "contains",
                        _ => "not",
                    };
                    parts.push(word.to_string());
                    i -= 1;
                }
                _ => break,
            },
        }
    }
    let base = describe_container(&segs[..i], root, file, set, n);
    let mut out = String::new();
    for p in &parts {
        out.push_str(p);
        out.push_str(" of ");
    }
    out.push_str(&base);
    out
}

fn describe_container(
    segs: &[String],
    root: bool,
    file: &str,
    set: &DocumentSet,
    n: NodeRef,
) -> String {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    match s.as_slice() {
        [] if root => "the document".to_string(),
        [] => format!("`{file}`"),
        ["components", "schemas", name, ..] | ["definitions", name, ..] => {
            format!("schema `{name}`")
        }
        ["components", kind, name, ..] => format!("`{name}` in components/{kind}"),
        ["paths" | "webhooks", path, rest @ ..] => {
            let path = if s[0] == "webhooks" {
                format!("webhook {path}")
            } else {
                path.to_string()
            };
            describe_in_path(&path, rest, set, n)
        }
        ["servers", i, ..] => format!("server {}", i.parse::<usize>().map_or(0, |v| v + 1)),
        [.., last] if !root => format!("`{last}` in `{file}`"),
        _ => format!("`#/{}`", segs.join("/")),
    }
}

fn describe_in_path(path: &str, rest: &[&str], set: &DocumentSet, n: NodeRef) -> String {
    match rest {
        [] => format!("path `{path}`"),
        [method, tail @ ..] if METHODS.contains(method) => {
            let op = operation_name(method, path);
            match tail {
                [] => op,
                ["parameters", i, ..] => format!("parameter {} of {op}", param(set, n, i)),
                ["requestBody", "content", mt, ..] => format!("request body ({mt}) of {op}"),
                ["requestBody", ..] => format!("request body of {op}"),
                ["responses", code, "headers", h, ..] => {
                    format!("header `{h}` of the `{code}` response of {op}")
                }
                ["responses", code, "content", mt, ..] => {
                    format!("`{code}` response ({mt}) of {op}")
                }
                ["responses", code, ..] => format!("`{code}` response of {op}"),
                ["responses"] => format!("responses of {op}"),
                ["security", ..] => format!("security of {op}"),
                _ => op,
            }
        }
        ["parameters", i, ..] => format!("parameter {} of path `{path}`", param(set, n, i)),
        _ => format!("path `{path}`"),
    }
}

/// Names the parameter that `n` sits in (its `name`), falling back to its position.
fn param(set: &DocumentSet, n: NodeRef, i: &str) -> String {
    let tree = set.tree(n.file);
    let mut at = n.node;
    // Climb to the node whose parent is the `parameters` list.
    while let Some(parent) = tree.parent(at) {
        if tree.kind(parent) == Kind::Sequence
            && tree.key_of(parent).and_then(|k| tree.text(k)) == Some("parameters")
        {
            if let Some(name) = tree.get(at, "name").and_then(|v| tree.str(v)) {
                return format!("`{name}`");
            }
            break;
        }
        at = parent;
    }
    idx(i)
}

fn idx(i: &str) -> String {
    i.parse::<usize>()
        .map_or_else(|_| format!("`{i}`"), |v| format!("#{}", v + 1))
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::describe;
use crate::document::model::{Edge, Schema, Types};
use crate::engine::{Context, Finding, Rule, RuleMeta, SchemaUsage};
use crate::names::squash;

#[doc = include_str!("../../rules/error-schema-leaks-internals.md")]
pub struct ErrorSchemaLeaksInternals;

static META: RuleMeta = RuleMeta {
    id: "error-schema-leaks-internals",
    aliases: &[],
    summary: "an error response schema has properties that expose internals (stack traces, SQL, debug data)",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/error-schema-leaks-internals.md"),
};

/// Property names (squashed: lower case, no `_`, `-`, `.`) that expose implementation details.
pub const LEAKY_NAMES: &[&str] = &[
    "stack",
    "stacktrace",
    "trace",
    "traceback",
    "backtrace",
    "exception",
    "innerexception",
    "debug",
    "debuginfo",
    "sql",
    "sqlstate",
    "sqlquery",
    "query",
    "file",
    "filename",
    "line",
    "linenumber",
    "internalmessage",
    "internalerror",
];

/// Names that leak only sometimes: as the server's values, not as the client's.
const AMBIGUOUS_NAMES: &[&str] = &["query", "file", "filename", "line", "linenumber"];

/// Names of stack traces: a leak as text or as frames, not as a number or a tracing context.
const STACK_NAMES: &[&str] = &["stack", "stacktrace", "trace", "traceback", "backtrace"];

/// Fields of a stack frame: a structure with one of them under a stack name is a list of frames.
const FRAME_FIELDS: &[&str] = &[
    "file",
    "filename",
    "line",
    "linenumber",
    "lineno",
    "method",
    "methodname",
    "function",
    "functionname",
    "class",
    "classname",
    "module",
];

/// Fields that place code: a `file` or `line` beside one of them is where the server threw.
const CODE_FIELDS: &[&str] = &[
    "method",
    "methodname",
    "function",
    "functionname",
    "class",
    "classname",
];

/// Fields that make a `line` or `file` a position in the client's own input (a parse error).
const POSITION_FIELDS: &[&str] = &[
    "column",
    "col",
    "columnnumber",
    "character",
    "characterposition",
    "offset",
    "startoffset",
    "endoffset",
    "startindex",
    "endindex",
    "position",
    "row",
];

/// Fields that make a `file` the client's upload.
const UPLOAD_FIELDS: &[&str] = &[
    "size",
    "filesize",
    "contenttype",
    "mimetype",
    "mediatype",
    "checksum",
    "md5",
    "sha256",
];

/// What a property with a leaky name is, judged from its schema and its siblings.
enum Verdict {
    /// Exposes implementation details.
    Leak,
    /// May or may not; the reason completes "is returned in error responses and ...".
    Maybe(&'static str),
    /// The API's own data under a leaky name.
    Innocent,
}

/// Fields of a schema, squashed.
fn field_names(schema: &Schema<'_>) -> Vec<String> {
    schema
        .properties()
        .iter()
        .map(|(n, _, _)| squash(n))
        .collect()
}

fn any_of(names: &[String], wanted: &[&str]) -> bool {
    names.iter().any(|n| wanted.contains(&n.as_str()))
}

fn is_structured(p: &Schema<'_>) -> bool {
    let t = p.types();
    t.contains(Types::OBJECT) || t.contains(Types::ARRAY) || !p.properties().is_empty()
}

/// The schema of a list's items.
fn items<'a>(p: &Schema<'a>) -> Option<Schema<'a>> {
    p.subschemas()
        .into_iter()
        .find(|(e, _)| *e == Edge::Items)
        .and_then(|(_, n)| Schema::at(p.cx, n))
}

/// A list of plain strings (no properties, no structure).
fn is_string_list(p: &Schema<'_>) -> bool {
    p.types().contains(Types::ARRAY)
        && items(p).is_some_and(|i| i.is_string() && !is_structured(&i))
}

/// A map from the client's field names to their validation messages (`{"name": ["is too long"]}`):
/// at least three properties, each a list of strings. A field of the client's named `stacktrace`
/// is not the server's stack.
fn is_field_error_map(schema: &Schema<'_>) -> bool {
    let props = schema.properties();
    props.len() >= 3
        && props
            .iter()
            .all(|(_, _, p)| p.as_ref().is_some_and(is_string_list))
}

/// True when `schema` is a frame of a stack trace: the value (or the items) of a property with a
/// stack name, written there or reached through `$ref`. The stack is reported; its frame's
/// `file` and `line` are not reported again.
fn is_frame_of_stack(schema: &Schema<'_>) -> bool {
    let set = schema.set();
    let key = |n: NodeRef| set.key_of(n).and_then(|k| set.text(k));
    let held_by_stack = |site: NodeRef| {
        let mut at = site;
        if key(at) == Some("items") {
            let Some(list) = set.parent(at) else {
                return false;
            };
            at = list;
        }
        let Some(name) = key(at) else { return false };
        if !STACK_NAMES.contains(&squash(name).as_str()) {
            return false;
        }
        // `at` is a property: its mapping is the `properties` of a schema.
        set.parent(at).is_some_and(|map| {
            set.parent(map)
                .is_some_and(|owner| set.get(owner, "properties") == Some(map))
        })
    };
    std::iter::once(schema.node)
        .chain(set.referrers(schema.node).iter().copied())
        .any(held_by_stack)
}

/// Judges a stack-named property: text or frames leak; a structure without frame fields may be
/// a tracing context; a number is not a stack.
fn judge_stack(p: &Schema<'_>) -> Verdict {
    let t = p.types();
    let structure = |s: &Schema<'_>| {
        if any_of(&field_names(s), FRAME_FIELDS) {
            Verdict::Leak
        } else {
            Verdict::Maybe(
                "is a structure without stack-frame fields (`file`, `line`, `method`), so it may be a stack trace or a tracing context",
            )
        }
    };
    if t.contains(Types::ARRAY) {
        return match items(p) {
            Some(i) if is_structured(&i) => structure(&i),
            _ => Verdict::Leak,
        };
    }
    if t.contains(Types::OBJECT) || !p.properties().is_empty() {
        return structure(p);
    }
    if t.contains(Types::STRING) || t.is_empty() {
        return Verdict::Leak;
    }
    Verdict::Innocent
}

/// Judges `query`, `file`, `line` and their variants, which name the client's own data as often
/// as the server's internals.
fn judge_ambiguous(
    name: &str,
    p: Option<&Schema<'_>>,
    siblings: &[String],
    frame: bool,
) -> Verdict {
    if p.is_some_and(is_structured) {
        // An object or a list is a structure of the API's own (errors grouped by query parameter).
        return Verdict::Innocent;
    }
    let position = any_of(siblings, POSITION_FIELDS);
    match name {
        "query" => Verdict::Maybe(
            "may carry the query the server ran or the client's own search, so it is a warning",
        ),
        "file" | "filename" => {
            let upload = p.is_some_and(|p| matches!(p.format(), Some("binary" | "byte")))
                || any_of(siblings, UPLOAD_FIELDS);
            if upload || position || frame {
                Verdict::Innocent
            } else if any_of(siblings, CODE_FIELDS) {
                Verdict::Leak
            } else {
                Verdict::Maybe(
                    "may name a source file of the server or a file of the client's, so it is a warning",
                )
            }
        }
        _ => {
            if position || frame {
                Verdict::Innocent
            } else if any_of(siblings, CODE_FIELDS) {
                Verdict::Leak
            } else {
                Verdict::Maybe(
                    "may be a line of the server's source code or of the client's input, so it is a warning",
                )
            }
        }
    }
}

impl Rule for ErrorSchemaLeaksInternals {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        // A schema that successful responses return too is business data that an error happens to
        // embed (a `file` object with its `filename`), not the error's own shape.
        if !usage.is_error_response() || usage.is_success_response() {
            return;
        }
        let properties = schema.properties();
        if !properties
            .iter()
            .any(|(name, _, _)| LEAKY_NAMES.contains(&squash(name).as_str()))
        {
            return;
        }
        if is_field_error_map(schema) {
            return;
        }
        let siblings = field_names(schema);
        let frame = is_frame_of_stack(schema);
        for (name, key, property) in properties {
            let squashed = squash(name);
            if !LEAKY_NAMES.contains(&squashed.as_str()) {
                continue;
            }
            if property.is_some_and(|p| p.write_only()) {
                // Never returned.
                continue;
            }
            let verdict = if STACK_NAMES.contains(&squashed.as_str()) {
                property.as_ref().map_or(Verdict::Leak, judge_stack)
            } else if AMBIGUOUS_NAMES.contains(&squashed.as_str()) {
                judge_ambiguous(&squashed, property.as_ref(), &siblings, frame)
            } else {
                Verdict::Leak
            };
            if matches!(verdict, Verdict::Innocent) {
                continue;
            }
            let owner = describe(schema.set(), schema.node);
            let related = usage.related_for(crate::engine::Usage::ERROR);
            match verdict {
                Verdict::Innocent => {}
                Verdict::Leak => cx.report(
                    Finding::new(
                        key,
                        format!("property `{name}` of {owner} is returned in error responses and exposes implementation details"),
                        "remove the property from the error schema; log internals on the server and return an error code or correlation id instead",
                    )
                    .uses(related),
                ),
                Verdict::Maybe(reason) => cx.report(
                    Finding::new(
                        key,
                        format!("property `{name}` of {owner} is returned in error responses and {reason}"),
                        "if it is the server's, remove it from the error schema and log it instead; if it is the client's, name it so (`searchQuery`, `inputLine`) or give a line its `column`",
                    )
                    .uses(related)
                    .severity(Severity::Warning),
                ),
            }
        }
    }
}

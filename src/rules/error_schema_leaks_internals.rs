use crate::diagnostic::{Owasp, Severity};
use crate::document::describe;
use crate::document::model::{Schema, Types};
use crate::engine::{Context, Finding, Rule, RuleMeta, SchemaUsage};
use crate::names::squash;

#[doc = include_str!("../../rules/error-schema-leaks-internals.md")]
pub struct ErrorSchemaLeaksInternals;

static META: RuleMeta = RuleMeta {
    id: "error-schema-leaks-internals",
    aliases: &[],
    summary: "an error response schema has properties that expose internals (stack traces, SQL, debug data)",
    severity: Severity::Error,
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

/// Names that leak only as plain values.
const AMBIGUOUS_NAMES: &[&str] = &["query", "file", "filename", "line", "linenumber"];

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
        for (name, key, property) in schema.properties() {
            if !LEAKY_NAMES.contains(&squash(name).as_str()) {
                continue;
            }
            if property.is_some_and(|p| p.write_only()) {
                // Never returned.
                continue;
            }
            // `query`, `file` and `line` leak as values (the SQL text, the source file, the line
            // number); an object or a list under such a name is a structure of the API's own
            // (validation errors grouped by `query` parameter, say).
            let structured = property.is_some_and(|p| {
                let t = p.types();
                t.contains(Types::OBJECT) || t.contains(Types::ARRAY) || !p.properties().is_empty()
            });
            if AMBIGUOUS_NAMES.contains(&squash(name).as_str()) && structured {
                continue;
            }
            let owner = describe(schema.set(), schema.node);
            cx.report(
                Finding::new(
                    key,
                    format!("property `{name}` of {owner} is returned in error responses and exposes implementation details"),
                    "remove the property from the error schema; log internals on the server and return an error code or correlation id instead",
                )
                .related(usage.related_for(crate::engine::Usage::ERROR)),
            );
        }
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::describe;
use crate::document::model::Schema;
use crate::engine::{Context, Finding, Rule, RuleMeta, SchemaUsage};

#[doc = include_str!("../../rules/string-unbounded.md")]
pub struct StringUnbounded;

static META: RuleMeta = RuleMeta {
    id: "string-unbounded",
    aliases: &[
        "owasp:api4:2023-string-limit",
        "owasp:api4:2019-string-limit",
        "owasp-string-limit",
    ],
    summary: "a string in a request has no maxLength, enum or const",
    severity: Severity::Warning,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/string-unbounded.md"),
};

/// Formats whose values cannot be long.
const BOUNDED_FORMATS: &[&str] = &["date", "date-time", "time", "uuid", "ipv4", "ipv6"];

impl Rule for StringUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !schema.is_string() {
            return;
        }
        if schema.max_length().is_some() || schema.has_enum() || schema.has_const() {
            return;
        }
        if schema
            .format()
            .is_some_and(|f| BOUNDED_FORMATS.contains(&f))
        {
            return;
        }
        let set = schema.set();
        let what = describe(set, schema.node);
        // A property is named by its key; a parameter or item schema by its `type`.
        let key = set.key_of(schema.node).and_then(|k| set.text(k));
        let structural = matches!(
            key,
            None | Some("schema" | "items" | "additionalProperties")
        );
        let finding = match (structural, schema.type_node()) {
            (true, Some(ty)) => Finding::new(ty, String::new(), String::new()),
            _ => Finding::new(schema.node, String::new(), String::new()).on_key(),
        };
        cx.report(Finding {
            message: format!("{what} is a string without `maxLength`, so requests may carry unbounded data"),
            help: "add a `maxLength` that fits the data (or an `enum`, or a bounded `format` such as `uuid` or `date-time`)".into(),
            ..finding
        }
        .related(usage.related_for(crate::engine::Usage::REQUEST)));
    }
}

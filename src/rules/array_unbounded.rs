use super::common::request_limits::{holds, report_request};
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Schema, Types};
use crate::engine::{Context, Rule, RuleMeta, SchemaUsage};

#[doc = include_str!("../../rules/array-unbounded.md")]
pub struct ArrayUnbounded;

static META: RuleMeta = RuleMeta {
    id: "array-unbounded",
    aliases: &[
        "owasp:api4:2023-array-limit",
        "owasp:api4:2019-array-limit",
        "owasp-array-limit",
    ],
    summary: "an array in a request has no maxItems",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/array-unbounded.md"),
};

/// True when the schema's own keywords bound the number of items: `maxItems`, `enum` or `const`,
/// or 3.1 `prefixItems` closed with `items: false`.
fn limited(s: &Schema<'_>) -> bool {
    let closed_tuple = s.keyword("prefixItems").is_some()
        && s.keyword("items")
            .is_some_and(|i| s.set().tree(i.file).as_bool(i.node) == Some(false));
    s.max_items().is_some() || s.has_enum() || s.has_const() || closed_tuple
}

fn bounded(s: &Schema<'_>) -> bool {
    holds(s, &|t| t.contains(Types::ARRAY), &limited)
}

impl Rule for ArrayUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !schema.types().contains(Types::ARRAY) || bounded(schema) {
            return;
        }
        report_request(
            schema,
            usage,
            cx,
            &bounded,
            &|what| {
                format!(
                    "{what} is an array without `maxItems`, so requests may carry any number of items"
                )
            },
            "add a `maxItems` that fits the data (the most items one request may carry)",
        );
    }
}

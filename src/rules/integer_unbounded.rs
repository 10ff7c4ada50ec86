use super::common::request_limits::{holds, report_request};
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Schema, Types};
use crate::engine::{Context, Rule, RuleMeta, SchemaUsage};

#[doc = include_str!("../../rules/integer-unbounded.md")]
pub struct IntegerUnbounded;

static META: RuleMeta = RuleMeta {
    id: "integer-unbounded",
    aliases: &[
        "owasp:api4:2023-integer-limit",
        "owasp:api4:2023-integer-limit-legacy",
        "owasp:api4:2019-integer-limit",
        "owasp:api4:2019-integer-limit-legacy",
        "owasp-integer-limit",
        "owasp-integer-limit-legacy",
    ],
    summary: "an integer or number in a request lacks a minimum or a maximum",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/integer-unbounded.md"),
};

fn numeric(t: Types) -> bool {
    t.contains(Types::INTEGER) || t.contains(Types::NUMBER)
}

/// `minimum`, a numeric `exclusiveMinimum` (3.1), or a value list.
fn has_lower(s: &Schema<'_>) -> bool {
    s.minimum().is_some() || s.has_enum() || s.has_const()
}

/// `maximum`, a numeric `exclusiveMaximum` (3.1), or a value list.
fn has_upper(s: &Schema<'_>) -> bool {
    s.maximum().is_some() || s.has_enum() || s.has_const()
}

fn lower(s: &Schema<'_>) -> bool {
    holds(s, &numeric, &has_lower)
}

fn upper(s: &Schema<'_>) -> bool {
    holds(s, &numeric, &has_upper)
}

fn bounded(s: &Schema<'_>) -> bool {
    lower(s) && upper(s)
}

impl Rule for IntegerUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !numeric(schema.types()) || bounded(schema) {
            return;
        }
        let noun = if schema.types().contains(Types::INTEGER) {
            "an integer"
        } else {
            "a number"
        };
        let missing = match (lower(schema), upper(schema)) {
            (true, _) => "`maximum`",
            (_, true) => "`minimum`",
            _ => "`minimum` and `maximum`",
        };
        report_request(
            schema,
            usage,
            cx,
            &bounded,
            &|what| format!("{what} is {noun} without {missing}, so requests may carry any value"),
            "add the `minimum` and `maximum` the API accepts (a page size of 1 to 100, a quantity of 1 to 10)",
        );
    }
}

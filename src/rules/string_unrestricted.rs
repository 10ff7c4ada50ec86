use super::common::request_limits::{holds, report_request};
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Schema, Types};
use crate::engine::{Context, Rule, RuleMeta, SchemaUsage};

#[doc = include_str!("../../rules/string-unrestricted.md")]
pub struct StringUnrestricted;

static META: RuleMeta = RuleMeta {
    id: "string-unrestricted",
    aliases: &[
        "owasp:api4:2023-string-restricted",
        "owasp:api4:2019-string-restricted",
        "owasp-string-restricted",
    ],
    summary: "a string in a request has no format, pattern, enum or const",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/string-unrestricted.md"),
};

fn string(t: Types) -> bool {
    t.contains(Types::STRING)
}

fn limited(s: &Schema<'_>) -> bool {
    s.format().is_some() || s.pattern().is_some() || s.has_enum() || s.has_const()
}

fn restricted(s: &Schema<'_>) -> bool {
    holds(s, &string, &limited)
}

impl Rule for StringUnrestricted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !schema.is_string() || restricted(schema) {
            return;
        }
        report_request(
            schema,
            usage,
            cx,
            &restricted,
            &|what| {
                format!(
                    "{what} is a string without `format`, `pattern`, `enum` or `const`, so any text is accepted"
                )
            },
            "describe the accepted values: a `format` (`email`, `uuid`, `date`), a `pattern`, or an `enum`",
        );
    }
}

use super::common::request_limits::{holds, report_request};
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Schema, Types};
use crate::engine::{Context, Rule, RuleMeta, SchemaUsage};

#[doc = include_str!("../../rules/integer-format.md")]
pub struct IntegerFormat;

static META: RuleMeta = RuleMeta {
    id: "integer-format",
    aliases: &[
        "owasp:api4:2023-integer-format",
        "owasp:api4:2019-integer-format",
        "owasp-integer-format",
    ],
    summary: "an integer in a request has no int32 or int64 format",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/integer-format.md"),
};

/// Formats that give an integer a fixed size.
const SIZED_FORMATS: &[&str] = &[
    "int32", "int64", "int8", "int16", "uint8", "uint16", "uint32", "uint64",
];

fn integer(t: Types) -> bool {
    t.contains(Types::INTEGER)
}

fn limited(s: &Schema<'_>) -> bool {
    s.format().is_some_and(|f| SIZED_FORMATS.contains(&f)) || s.has_enum() || s.has_const()
}

fn sized(s: &Schema<'_>) -> bool {
    holds(s, &integer, &limited)
}

impl Rule for IntegerFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !integer(schema.types()) || sized(schema) {
            return;
        }
        report_request(
            schema,
            usage,
            cx,
            &sized,
            &|what| {
                format!(
                    "{what} is an integer without `format: int32` or `int64`, so its size is left to each implementation"
                )
            },
            "add `format: int32` or `format: int64`, whichever the server stores",
        );
    }
}

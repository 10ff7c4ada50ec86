use super::additional_properties_open::open_keywords;
use crate::diagnostic::{Owasp, Severity};
use crate::document::describe;
use crate::document::model::Schema;
use crate::engine::{ContentKey, Context, Finding, Rule, RuleMeta, SchemaUsage, Usage};
use crate::source::Kind;

#[doc = include_str!("../../rules/additional-properties-unbounded.md")]
pub struct AdditionalPropertiesUnbounded;

static META: RuleMeta = RuleMeta {
    id: "additional-properties-unbounded",
    aliases: &[
        "owasp:api3:2023-constrained-additionalProperties",
        "owasp:api3:2023-constrained-unevaluatedProperties",
        "owasp:api6:2019-constrained-additionalProperties",
        "owasp-constrained-additionalProperties",
        "owasp-constrained-unevaluatedProperties",
    ],
    summary: "a request object accepts any number of additional properties (no maxProperties)",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api3BrokenObjectPropertyLevelAuthorization),
    docs: include_str!("../../rules/additional-properties-unbounded.md"),
};

impl Rule for AdditionalPropertiesUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || schema.keyword("maxProperties").is_some() {
            return;
        }
        let set = schema.set();
        // One finding per schema: at the first keyword that lets properties in.
        let Some((key, v)) = open_keywords(schema).into_iter().next() else {
            return;
        };
        let what = describe(set, schema.node);
        let how = if set.kind(v) == Kind::Mapping {
            "a schema"
        } else {
            "`true`"
        };
        cx.report(
            Finding::new(
                v,
                format!("{what} accepts any number of additional properties (`{key}` is {how} and there is no `maxProperties`)"),
                "add a `maxProperties` that fits the data (the most entries one request may carry)",
            )
            .on_key()
            .uses(usage.related_for(Usage::REQUEST))
            .key(ContentKey::Node(v)),
        );
    }
}

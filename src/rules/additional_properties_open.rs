use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Schema;
use crate::document::{NodeRef, Version, describe};
use crate::engine::{ContentKey, Context, Finding, Rule, RuleMeta, SchemaUsage, Usage};
use crate::source::Kind;

#[doc = include_str!("../../rules/additional-properties-open.md")]
pub struct AdditionalPropertiesOpen;

static META: RuleMeta = RuleMeta {
    id: "additional-properties-open",
    aliases: &[
        "owasp:api3:2023-no-additionalProperties",
        "owasp:api3:2023-no-unevaluatedProperties",
        "owasp:api6:2019-no-additionalProperties",
        "owasp-no-additionalProperties",
        "owasp-no-unevaluatedProperties",
    ],
    summary: "a request object with declared properties also accepts undeclared ones",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api3BrokenObjectPropertyLevelAuthorization),
    docs: include_str!("../../rules/additional-properties-open.md"),
};

/// The keywords that admit undeclared properties: `additionalProperties`, and in 3.1
/// `unevaluatedProperties`.
pub(super) fn open_keywords(schema: &Schema<'_>) -> Vec<(&'static str, NodeRef)> {
    let mut out = Vec::new();
    let mut keys = vec!["additionalProperties"];
    if schema.version() == Version::V31 {
        keys.push("unevaluatedProperties");
    }
    let set = schema.set();
    for key in keys {
        let Some(v) = schema.keyword(key) else {
            continue;
        };
        let open = match set.kind(v) {
            Kind::Mapping => true,
            _ => set.tree(v.file).as_bool(v.node) == Some(true),
        };
        if open {
            out.push((key, v));
        }
    }
    out
}

impl Rule for AdditionalPropertiesOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        // A schema with no declared properties is a map: accepting any key is what it is for.
        if !usage.is_request() || schema.properties().is_empty() {
            return;
        }
        let set = schema.set();
        for (key, v) in open_keywords(schema) {
            let what = describe(set, schema.node);
            let how = if set.kind(v) == Kind::Mapping {
                "a schema"
            } else {
                "`true`"
            };
            cx.report(
                Finding::new(
                    v,
                    format!("{what} declares its properties but accepts others too (`{key}` is {how}), so clients can send fields the API never described"),
                    format!("set `{key}: false` so that only the declared properties are accepted"),
                )
                .on_key()
                .uses(usage.related_for(Usage::REQUEST))
                .key(ContentKey::Node(v)),
            );
        }
    }
}

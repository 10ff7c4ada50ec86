use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ParamLocation, Parameter, Types};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};
use crate::names::words;

use super::credentials_in_url::subject;

#[doc = include_str!("../../rules/numeric-id.md")]
pub struct NumericId;

static META: RuleMeta = RuleMeta {
    id: "numeric-id",
    aliases: &[
        "owasp:api1:2023-no-numeric-ids",
        "owasp:api1:2019-no-numeric-ids",
        "owasp-no-numeric-ids",
    ],
    summary: "a path or query parameter that identifies an object is an integer",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api1BrokenObjectLevelAuthorization),
    docs: include_str!("../../rules/numeric-id.md"),
};

/// True for `id` and names whose last word is `id`: `user_id`, `userId`, `order-id`, `orderID`.
/// `paid`, `valid`, `uuid` and `UUID` end in the letters but are other words.
pub fn is_id(name: &str) -> bool {
    words(name).last() == Some("id")
}

impl Rule for NumericId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_parameter(&self, param: &Parameter<'_>, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if !matches!(param.location(), ParamLocation::Path | ParamLocation::Query) {
            return;
        }
        let Some(name) = param.name() else {
            return;
        };
        if !is_id(name) {
            return;
        }
        let Some(schema) = param.schema() else {
            return;
        };
        if !schema.types().contains(Types::INTEGER) {
            return;
        }
        // The `type` when it is written in the parameter; the `$ref` to a shared schema otherwise.
        let at = if schema.via_ref() {
            schema.site
        } else {
            schema.type_node().unwrap_or(schema.site)
        };
        let (what, related) = subject(param, op);
        cx.report(
            Finding::new(
                at,
                format!("{what} is an integer id, which clients can guess by counting"),
                "identify objects with random, unguessable ids (a UUID: `type: string`, `format: uuid`), and check access to each object on every request",
            )
            .related(related),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_id;

    #[test]
    fn ids_are_words() {
        for name in [
            "id", "ID", "Id", "user_id", "userId", "order-id", "orderID", "ORDER_ID",
        ] {
            assert!(is_id(name), "{name} is an id");
        }
        for name in [
            "paid", "valid", "uuid", "UUID", "userUUID", "guid", "ids", "identity", "idx", "",
        ] {
            assert!(!is_id(name), "{name} is not an id");
        }
    }
}

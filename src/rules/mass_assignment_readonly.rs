use crate::diagnostic::{Owasp, Severity};
use crate::document::describe;
use crate::document::model::Schema;
use crate::engine::{ContentKey, Context, Finding, Rule, RuleMeta, SchemaUsage, Usage};

#[doc = include_str!("../../rules/mass-assignment-readonly.md")]
pub struct MassAssignmentReadonly;

static META: RuleMeta = RuleMeta {
    id: "mass-assignment-readonly",
    aliases: &[],
    summary: "a schema shared by requests and responses lets clients write server-owned fields",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api3BrokenObjectPropertyLevelAuthorization),
    docs: include_str!("../../rules/mass-assignment-readonly.md"),
};

/// Names of fields the server owns, lower-case without `_` and `-` (`createdAt`, `created_at`).
const SERVER_OWNED: &[&str] = &[
    "id",
    "createdat",
    "createdon",
    "createddate",
    "creationdate",
    "updatedat",
    "updatedon",
    "modifiedat",
    "lastmodified",
    "deletedat",
    "createdby",
    "updatedby",
    "ownerid",
    "role",
    "roles",
    "isadmin",
    "admin",
    "issuperuser",
    "isstaff",
    "permissions",
    "isverified",
    "emailverified",
];

fn server_owned(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SERVER_OWNED.contains(&n.as_str())
}

impl Rule for MassAssignmentReadonly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !usage.is_response() || schema.read_only() {
            return;
        }
        let set = schema.set();
        for (name, key, prop) in schema.properties() {
            if !server_owned(name) || prop.as_ref().is_some_and(|p| p.read_only()) {
                continue;
            }
            let owner = describe(set, schema.node);
            cx.report(
                Finding::new(
                    key,
                    format!(
                        "property `{name}` of {owner} is sent in requests and returned in responses without `readOnly`, so clients may set a value the server owns"
                    ),
                    format!(
                        "mark `{name}` `readOnly: true`, or give requests a schema without it"
                    ),
                )
                .uses(usage.related_for(Usage::REQUEST))
                .key(ContentKey::Node(key)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::server_owned;

    #[test]
    fn server_owned_names_in_any_spelling() {
        assert!(server_owned("id"));
        assert!(server_owned("createdAt"));
        assert!(server_owned("is_admin"));
        assert!(server_owned("Owner-Id"));
        assert!(!server_owned("name"));
        assert!(!server_owned("ids"));
    }
}

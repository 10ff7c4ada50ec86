use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{ContentKey, Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/servers-missing.md")]
pub struct ServersMissing;

static META: RuleMeta = RuleMeta {
    id: "servers-missing",
    aliases: &["oas3-api-servers", "oas2-api-host"],
    summary: "the document declares no servers (2.0: no host)",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api9ImproperInventoryManagement),
    docs: include_str!("../../rules/servers-missing.md"),
};

impl Rule for ServersMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let set = doc.set();
        let v2 = doc.version().is_v2();
        let present = if v2 {
            let host = set.get(doc.node, "host");
            host.and_then(|h| set.str(h))
                .is_some_and(|h| !h.trim().is_empty())
        } else {
            !doc.servers().is_empty()
        };
        if present {
            return;
        }
        let at = set
            .get(doc.node, if v2 { "swagger" } else { "openapi" })
            .unwrap_or(doc.node);
        let (message, help) = if v2 {
            (
                "the document declares no `host`, so clients call whatever host served the document and the API's deployments are not on record",
                "add the `host` (and `schemes: [https]`) of the deployed API",
            )
        } else {
            (
                "the document declares no `servers`, so clients call whatever host served the document and the API's deployments are not on record",
                "list each deployment of the API under `servers`, with a `description` that names its environment",
            )
        };
        cx.report(
            Finding::new(at, message, help)
                .on_key()
                .key(ContentKey::None),
        );
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ComponentKind, Document, EffectiveSecurity, SecurityRequirements};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta, walk::OperationKind};

#[doc = include_str!("../../rules/security-scheme-missing.md")]
pub struct SecuritySchemeMissing;

static META: RuleMeta = RuleMeta {
    id: "security-scheme-missing",
    aliases: &[
        "owasp:api2:2023-write-restricted",
        "owasp:api2:2023-read-restricted",
        "owasp:api2:2019-protection-global-unsafe",
        "owasp:api2:2019-protection-global-unsafe-strict",
        "owasp:api2:2019-protection-global-safe",
        "owasp-protection-global-unsafe",
        "owasp-protection-global-unsafe-strict",
        "owasp-protection-global-safe",
    ],
    summary: "the document defines no security scheme, or an operation has no security requirement",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/security-scheme-missing.md"),
};

/// `security: []`, `security: [{}]`, `security: [{}, {}]`: a list that requires nothing, as written.
fn written(reqs: SecurityRequirements<'_>) -> String {
    let alternatives = vec!["{}"; reqs.len()].join(", ");
    format!("`security: [{alternatives}]`")
}

/// How many operations are under `paths`, for the document-level message.
impl Rule for SecuritySchemeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if !doc.security_schemes().is_empty() {
            return;
        }
        let set = doc.set();
        let (at, where_) = match doc.security_schemes_node() {
            Some(n) => (n, "is empty"),
            None => {
                let version_key = set
                    .get(doc.node, "openapi")
                    .or_else(|| set.get(doc.node, "swagger"));
                (version_key.unwrap_or(doc.node), "is missing")
            }
        };
        let field = doc.components_field(ComponentKind::SecuritySchemes);
        // Operations are not reported one by one in such a document: this finding says it for all.
        let consequence = match doc.operation_count() {
            0 => String::new(),
            1 => ", so its one operation requires no authentication".to_string(),
            n => format!(", so none of the {n} operations requires authentication"),
        };
        cx.report(
            Finding::new(at, format!("the document defines no security schemes: `{field}` {where_}{consequence}"), format!(
                "define how clients authenticate under `{field}` (OAuth 2, OpenID Connect, HTTP bearer...) and require it with `security`"
            ))
            .on_key(),
        );
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        // CORS preflight requests carry no credentials.
        if op.kind != OperationKind::Path || op.method == "options" {
            return;
        }
        let message = match op.security {
            // The operation's own `security: []` or `[{}]`: deliberately public.
            EffectiveSecurity::Declared(_) => return,
            EffectiveSecurity::Inherited(s) if !s.requires_nothing() => return,
            EffectiveSecurity::Inherited(s) if s.is_empty() => format!(
                "{} has no security requirement: it inherits the document's empty `security: []`",
                op.label()
            ),
            EffectiveSecurity::Inherited(s) => format!(
                "{} has no security requirement: it inherits the document's {}, which allows anonymous access",
                op.label(),
                written(s)
            ),
            EffectiveSecurity::Absent => format!(
                "{} has no security requirement: neither the operation nor the document declares `security`",
                op.label()
            ),
        };
        // Without any scheme the document-level finding covers every operation.
        if op.doc.security_schemes().is_empty() {
            return;
        }
        let severity = if op.is_write() {
            Severity::Error
        } else {
            Severity::Warning
        };
        cx.report(
            Finding::new(op.key, message, "add a `security` requirement (or `security: []` on the operation if it is deliberately public)")
                .on_key()
                .severity(severity),
        );
    }
}

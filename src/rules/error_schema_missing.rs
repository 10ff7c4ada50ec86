use crate::diagnostic::{Owasp, Severity};
use crate::engine::{Context, ResponseInfo, Rule, RuleMeta, walk::OperationKind};

#[doc = include_str!("../../rules/error-schema-missing.md")]
pub struct ErrorSchemaMissing;

static META: RuleMeta = RuleMeta {
    id: "error-schema-missing",
    aliases: &[],
    summary: "a 4xx, 5xx or default response has no content schema",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/error-schema-missing.md"),
};

impl Rule for ErrorSchemaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_response(&self, r: &ResponseInfo<'_, '_>, cx: &mut Context<'_>) {
        // Webhook and callback responses are defined by their receivers; a response to HEAD has no body.
        if !r.is_error() || r.op.kind != OperationKind::Path || r.op.method == "head" {
            return;
        }
        // A schema that cannot be followed (remote, broken) is still a declared schema.
        if r.response
            .content(&r.op.op)
            .iter()
            .any(|mt| mt.schema_site.is_some())
        {
            return;
        }
        let field = r.response.body_field();
        cx.report(r.finding(
            format!(
                "{} has no body schema, so clients and gateways cannot rely on the error's shape",
                r.label()
            ),
            format!("give the response {field}, for example a shared `Error` schema or `application/problem+json`"),
        ));
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::engine::{Context, ResponseInfo, Rule, RuleMeta, walk::OperationKind};

#[doc = include_str!("../../rules/retry-after-missing.md")]
pub struct RetryAfterMissing;

static META: RuleMeta = RuleMeta {
    id: "retry-after-missing",
    aliases: &[
        "owasp:api4:2023-rate-limit-retry-after",
        "owasp:api4:2019-rate-limit-retry-after",
        "owasp-rate-limit-retry-after",
    ],
    summary: "a 429 response has no Retry-After header",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/retry-after-missing.md"),
};

impl Rule for RetryAfterMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_response(&self, r: &ResponseInfo<'_, '_>, cx: &mut Context<'_>) {
        if r.op.kind != OperationKind::Path
            || r.code != "429"
            || r.response.has_header("Retry-After")
        {
            return;
        }
        cx.report(r.finding(
            format!(
                "{} has no `Retry-After` header, so clients cannot tell when to retry",
                r.label()
            ),
            "declare a `Retry-After` header (seconds or an HTTP date) in the `429` response",
        ));
    }
}

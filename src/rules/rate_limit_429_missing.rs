use crate::diagnostic::{Owasp, Severity};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta, walk::OperationKind};

#[doc = include_str!("../../rules/rate-limit-429-missing.md")]
pub struct RateLimit429Missing;

static META: RuleMeta = RuleMeta {
    id: "rate-limit-429-missing",
    aliases: &[
        "owasp:api4:2023-rate-limit-responses-429",
        "owasp:api4:2019-rate-limit-responses-429",
        "owasp-define-error-responses-429",
    ],
    summary: "an operation defines no 429 (Too Many Requests) response",
    severity: Severity::Warning,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/rate-limit-429-missing.md"),
};

impl Rule for RateLimit429Missing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if op.kind != OperationKind::Path {
            return;
        }
        if op.op.responses().iter().any(|(code, _, _)| *code == "429") {
            return;
        }
        let (at, on_key) = match op.op.responses_node() {
            Some(r) => (r, true),
            None => (op.key, true),
        };
        let mut f = Finding::new(
            at,
            format!(
                "{} defines no `429` response, so clients are not told how rate limiting is signalled",
                op.label()
            ),
            "add a `429` (Too Many Requests) response with a `Retry-After` header",
        );
        f.on_key = on_key;
        cx.report(f);
    }
}

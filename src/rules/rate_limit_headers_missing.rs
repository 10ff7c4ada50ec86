use crate::diagnostic::{Owasp, Severity};
use crate::engine::{Context, ResponseInfo, Rule, RuleMeta, walk::OperationKind};

#[doc = include_str!("../../rules/rate-limit-headers-missing.md")]
pub struct RateLimitHeadersMissing;

static META: RuleMeta = RuleMeta {
    id: "rate-limit-headers-missing",
    aliases: &[
        "owasp:api4:2023-rate-limit",
        "owasp:api4:2019-rate-limit",
        "owasp-rate-limit",
    ],
    summary: "a 2xx or 4xx response declares no rate-limit headers",
    severity: Severity::Warning,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/rate-limit-headers-missing.md"),
};

/// Header names (lower case) of the rate-limit families; any one of them is enough.
pub const RATE_LIMIT_HEADERS: &[&str] = &[
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
];

impl Rule for RateLimitHeadersMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_response(&self, r: &ResponseInfo<'_, '_>, cx: &mut Context<'_>) {
        if r.op.kind != OperationKind::Path {
            return;
        }
        if !(r.is_success() || r.is_client_error() || r.code == "default") {
            return;
        }
        let has = r.response.headers().iter().any(|(name, _, _)| {
            RATE_LIMIT_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
        });
        if has {
            return;
        }
        // A shared response is reported once, at its definition, naming its first use; the other
        // uses become related locations.
        cx.report(r.finding(
            format!(
                "{} declares no rate-limit headers, so clients cannot see or respect the limit",
                r.label()
            ),
            "declare `RateLimit` and `RateLimit-Policy` (or `X-RateLimit-Limit` and `X-RateLimit-Remaining`) in the response's `headers`",
        ));
    }
}

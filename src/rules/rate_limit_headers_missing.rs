use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{
    Context, OptionKind, OptionSpec, ResponseInfo, Rule, RuleMeta, walk::OperationKind,
    whole_document,
};

#[doc = include_str!("../../rules/rate-limit-headers-missing.md")]
pub struct RateLimitHeadersMissing;

static META: RuleMeta = RuleMeta {
    id: "rate-limit-headers-missing",
    aliases: &[
        "owasp:api4:2023-rate-limit",
        "owasp:api4:2019-rate-limit",
        "owasp-rate-limit",
    ],
    summary: "the API declares no rate-limit headers, or a 2xx or 4xx response lacks them",
    severity: Severity::Warning,
    default_enabled: true,
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

    fn options(&self) -> &'static [OptionSpec] {
        &[OptionSpec {
            name: "headers",
            kind: OptionKind::Strings,
            doc: "more header names that announce the rate limit (case-insensitive), besides the standard and common ones",
        }]
    }

    fn check_response<'a>(&self, r: &ResponseInfo<'_, 'a>, cx: &mut Context<'a>) {
        // Rate-limit headers are expected where a client is answered normally or told off; a
        // `default` response says nothing about which.
        if r.op.kind != OperationKind::Path || !(r.is_success() || r.is_client_error()) {
            return;
        }
        let own = cx.option_strings("headers").unwrap_or_default();
        let has = r.response.headers().iter().any(|(name, _, _)| {
            RATE_LIMIT_HEADERS
                .iter()
                .chain(own.iter())
                .any(|h| h.eq_ignore_ascii_case(name))
        });
        if has {
            cx.mark();
            return;
        }
        // Held back: when no response of the document declares rate-limit headers, one finding
        // says so for the whole API.
        let site = r.site();
        cx.defer(site.at(), move || {
            site.finding(
                format!(
                    "{} declares no rate-limit headers, so clients cannot see or respect the limit",
                    site.label()
                ),
                HELP,
            )
        });
    }

    fn check_document_end(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let missing = cx.take_deferred();
        if cx.marked() {
            // The API declares rate-limit headers: each response without them is an exception.
            for f in missing {
                cx.report(f.finding());
            }
            return;
        }
        if missing.is_empty() {
            return;
        }
        cx.report(
            whole_document(
                doc,
                format!(
                    "no response of the API declares rate-limit headers (none of its {} {} with a 2xx or 4xx status), so clients cannot see or respect the limit",
                    missing.len(),
                    if missing.len() == 1 { "response" } else { "responses" }
                ),
                HELP,
                &missing,
            ),
        );
    }
}

const HELP: &str = "declare `RateLimit` and `RateLimit-Policy` (or `X-RateLimit-Limit` and `X-RateLimit-Remaining`) in the `headers` of 2xx and 4xx responses";

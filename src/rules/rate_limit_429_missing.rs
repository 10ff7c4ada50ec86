use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{
    ContentKey, Context, Finding, OperationInfo, Rule, RuleMeta, walk::OperationKind,
    whole_document,
};

#[doc = include_str!("../../rules/rate-limit-429-missing.md")]
pub struct RateLimit429Missing;

static META: RuleMeta = RuleMeta {
    id: "rate-limit-429-missing",
    aliases: &[
        "owasp:api4:2023-rate-limit-responses-429",
        "owasp:api4:2019-rate-limit-responses-429",
        "owasp-define-error-responses-429",
    ],
    summary: "the API defines no 429 (Too Many Requests) response, or an operation lacks it",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/rate-limit-429-missing.md"),
};

impl Rule for RateLimit429Missing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation<'a>(&self, op: &OperationInfo<'a>, cx: &mut Context<'a>) {
        // CORS preflights are answered by the server or gateway before any limit applies.
        if op.kind != OperationKind::Path || op.method == "options" {
            return;
        }
        if op.op.responses().iter().any(|(code, _, _)| *code == "429") {
            cx.mark();
            return;
        }
        let at = op.op.responses_node().unwrap_or(op.key);
        // Held back: when no operation of the document has a `429`, one finding says so.
        let site = op.site();
        cx.defer(at, move || {
            Finding::new(
                at,
                format!(
                    "{} defines no `429` response, so clients are not told how rate limiting is signalled",
                    site.label()
                ),
                HELP,
            )
            .on_key()
            .key(ContentKey::None)
        });
    }

    fn check_document_end(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let missing = cx.take_deferred();
        if cx.marked() {
            for f in missing {
                cx.report(f.finding());
            }
            return;
        }
        if missing.is_empty() {
            return;
        }
        cx.report(whole_document(
            doc,
            format!(
                "no operation of the API defines a `429` response (none of its {} {}), so clients are not told how rate limiting is signalled",
                missing.len(),
                if missing.len() == 1 { "operation" } else { "operations" }
            ),
            HELP,
            &missing,
        ));
    }
}

const HELP: &str = "add a `429` (Too Many Requests) response with a `Retry-After` header, for example once under the shared responses and referenced by each operation";

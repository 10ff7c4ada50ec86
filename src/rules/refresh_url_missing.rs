use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{FlowKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/refresh-url-missing.md")]
pub struct RefreshUrlMissing;

static META: RuleMeta = RuleMeta {
    id: "refresh-url-missing",
    aliases: &["owasp:api2:2023-short-lived-access-tokens"],
    summary: "an OAuth 2 flow that can issue refresh tokens declares no `refreshUrl`",
    severity: Severity::Warning,
    default_enabled: false,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/refresh-url-missing.md"),
};

impl Rule for RefreshUrlMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_security_scheme(
        &self,
        name: &str,
        _key: NodeRef,
        scheme: &SecurityScheme<'_>,
        cx: &mut Context<'_>,
    ) {
        // Swagger 2.0 has no `refreshUrl` to write.
        if scheme.version().is_v2() {
            return;
        }
        for flow in scheme.flows() {
            // Client credentials need no refresh (the client asks again); the implicit flow must
            // not issue refresh tokens (RFC 6749, 4.2.2).
            if !matches!(flow.kind, FlowKind::AuthorizationCode | FlowKind::Password)
                || flow.url_node("refreshUrl").is_some()
            {
                continue;
            }
            let flow_name = cx.set().text(flow.key).unwrap_or("?").to_string();
            cx.report(
                Finding::new(
                    flow.key,
                    format!(
                        "the `{flow_name}` flow of security scheme `{name}` declares no `refreshUrl`, so clients are not told how to renew short-lived access tokens"
                    ),
                    "issue short-lived access tokens with refresh tokens, and write the endpoint that renews them as `refreshUrl` (often the token endpoint)",
                )
                .on_key(),
            );
        }
    }
}

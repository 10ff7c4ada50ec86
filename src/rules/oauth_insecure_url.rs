use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::SecurityScheme;
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/oauth-insecure-url.md")]
pub struct OAuthInsecureUrl;

static META: RuleMeta = RuleMeta {
    id: "oauth-insecure-url",
    aliases: &[],
    summary: "an OAuth 2 or OpenID Connect endpoint URL uses plain http",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/oauth-insecure-url.md"),
};

/// The host of an `http://` URL (lower case, without user info or port); `None` for any other URL.
fn http_host(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.get(..7)?;
    if !scheme.eq_ignore_ascii_case("http://") {
        return None;
    }
    let rest = &url[7..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    Some(host.to_ascii_lowercase())
}

/// `localhost`, a name under `.localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|r| {
            r.split('.').count() == 3 && r.split('.').all(|o| o.parse::<u8>().is_ok())
        })
}

fn check(node: NodeRef, what: String, cx: &mut Context<'_>) {
    let Some(host) = cx.set().str(node).and_then(http_host) else {
        return;
    };
    let finding = if is_loopback(&host) {
        Finding::new(
            node,
            format!("{what} uses plain http on the loopback host `{host}`"),
            "use https for every deployed server; plain http is acceptable only on a developer's own machine",
        )
        .severity(Severity::Info)
    } else {
        Finding::new(
            node,
            format!(
                "{what} uses plain http, so credentials and tokens cross the network unencrypted"
            ),
            "serve the endpoint over https and write the `https://` URL",
        )
    };
    cx.report(finding);
}

impl Rule for OAuthInsecureUrl {
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
        let set = cx.set();
        for flow in scheme.flows() {
            let flow_name = set.text(flow.key).unwrap_or("?");
            for field in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                if let Some(node) = flow.url_node(field) {
                    let what =
                        format!("`{field}` of the `{flow_name}` flow of security scheme `{name}`");
                    check(node, what, cx);
                }
            }
        }
        if let Some(node) = scheme.open_id_connect_url_node() {
            check(
                node,
                format!("`openIdConnectUrl` of security scheme `{name}`"),
                cx,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{http_host, is_loopback};

    #[test]
    fn hosts_of_http_urls() {
        assert_eq!(
            http_host("http://a.example.com/x").as_deref(),
            Some("a.example.com")
        );
        assert_eq!(
            http_host("HTTP://User:pw@Host:8080?x").as_deref(),
            Some("host")
        );
        assert_eq!(http_host("http://[::1]:8080/token").as_deref(), Some("::1"));
        assert_eq!(http_host("https://a.example.com"), None);
        assert_eq!(http_host("/oauth/token"), None);
        assert_eq!(http_host("http"), None);
        assert!(is_loopback("localhost"));
        assert!(is_loopback("auth.localhost"));
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("::1"));
        assert!(!is_loopback("127.example.com"));
        assert!(!is_loopback("localhost.example.com"));
    }
}

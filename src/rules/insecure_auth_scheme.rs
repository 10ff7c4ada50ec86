use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{SchemeKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/insecure-auth-scheme.md")]
pub struct InsecureAuthScheme;

static META: RuleMeta = RuleMeta {
    id: "insecure-auth-scheme",
    aliases: &[
        "owasp:api2:2023-auth-insecure-schemes",
        "owasp:api2:2019-auth-insecure-schemes",
        "owasp-auth-insecure-schemes",
    ],
    summary: "a security scheme uses HTTP Negotiate, OAuth 1.0 or Digest authentication",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/insecure-auth-scheme.md"),
};

/// What is wrong with an HTTP authentication scheme (lower case), if anything.
fn weakness(http_scheme: &str) -> Option<&'static str> {
    match http_scheme {
        "negotiate" => {
            Some("HTTP Negotiate (SPNEGO), an intranet sign-in that may fall back to NTLM")
        }
        "oauth" => Some("OAuth 1.0, which is obsolete and superseded by OAuth 2"),
        "digest" => {
            Some("HTTP Digest, which relies on MD5 and makes the server keep password equivalents")
        }
        _ => None,
    }
}

impl Rule for InsecureAuthScheme {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_security_scheme(
        &self,
        name: &str,
        key: NodeRef,
        scheme: &SecurityScheme<'_>,
        cx: &mut Context<'_>,
    ) {
        let SchemeKind::Http {
            scheme: Some(http_scheme),
        } = scheme.kind()
        else {
            return;
        };
        let Some(weakness) = weakness(&http_scheme.to_ascii_lowercase()) else {
            return;
        };
        cx.report(Finding::new(
            scheme.http_scheme_node().unwrap_or(key),
            format!("security scheme `{name}` uses {weakness}"),
            "authenticate with OAuth 2 or OpenID Connect (or HTTP bearer tokens) over TLS instead",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::InsecureAuthScheme;
    use crate::LintRequest;

    fn lint(yaml: &str) -> Vec<(u32, String)> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, yaml).expect("write");
        let report = crate::lint_with(
            &LintRequest {
                paths: vec![path.to_string_lossy().into_owned()],
                ..Default::default()
            },
            &[&InsecureAuthScheme],
        );
        report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn negotiate_oauth_and_digest_in_any_case() {
        let doc = "openapi: 3.0.3
info: {title: t, version: \"1\"}
paths: {}
components:
  securitySchemes:
    a: {type: http, scheme: Negotiate}
    b: {type: http, scheme: OAuth}
    c: {type: http, scheme: digest}
    d: {type: http, scheme: bearer}
    e: {type: http, scheme: basic}
    f: {type: oauth2, flows: {}}
";
        let found = lint(doc);
        assert_eq!(
            found.iter().map(|f| f.0).collect::<Vec<_>>(),
            [6, 7, 8],
            "{found:?}"
        );
        assert!(found[1].1.contains("OAuth 1.0"));
    }
}

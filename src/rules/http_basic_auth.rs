use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{SchemeKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/http-basic-auth.md")]
pub struct HttpBasicAuth;

static META: RuleMeta = RuleMeta {
    id: "http-basic-auth",
    aliases: &[
        "owasp:api2:2023-no-http-basic",
        "owasp:api2:2019-no-http-basic",
        "owasp-no-http-basic",
    ],
    summary: "a security scheme uses HTTP Basic authentication",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/http-basic-auth.md"),
};

impl Rule for HttpBasicAuth {
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
        if !http_scheme.eq_ignore_ascii_case("basic") {
            return;
        }
        cx.report(Finding::new(
            scheme.http_scheme_node().unwrap_or(key),
            format!(
                "security scheme `{name}` uses HTTP Basic, which sends a reusable user name and password with every request"
            ),
            "authenticate with short-lived tokens instead: OAuth 2 or OpenID Connect, or HTTP bearer tokens",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::HttpBasicAuth;
    use crate::LintRequest;

    /// `(line, message)` of every finding of the rule in `yaml`.
    fn lint(yaml: &str) -> Vec<(u32, String)> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, yaml).expect("write");
        let report = crate::lint_with(
            &LintRequest {
                paths: vec![path.to_string_lossy().into_owned()],
                ..Default::default()
            },
            &[&HttpBasicAuth],
        );
        report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn basic_is_found_in_any_case_and_in_swagger_2() {
        let v3 = "openapi: 3.1.0
info: {title: t, version: \"1\"}
components:
  securitySchemes:
    a:
      type: http
      scheme: Basic
    b:
      type: http
      scheme: bearer
";
        let found = lint(v3);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 7);
        assert!(found[0].1.contains("`a`"), "{}", found[0].1);
        let v2 = "swagger: \"2.0\"
info: {title: t, version: \"1\"}
paths: {}
securityDefinitions:
  basic:
    type: basic
  key:
    type: apiKey
    in: header
    name: X-Key
";
        assert_eq!(lint(v2).iter().map(|f| f.0).collect::<Vec<_>>(), [6]);
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{FlowKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/oauth-implicit-flow.md")]
pub struct OAuthImplicitFlow;

static META: RuleMeta = RuleMeta {
    id: "oauth-implicit-flow",
    aliases: &[],
    summary: "an OAuth 2 security scheme offers the implicit flow",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/oauth-implicit-flow.md"),
};

impl Rule for OAuthImplicitFlow {
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
        for flow in scheme.flows() {
            if flow.kind == FlowKind::Implicit {
                cx.report(Finding::new(
                    flow.key,
                    format!(
                        "security scheme `{name}` offers the OAuth 2 implicit flow, which returns access tokens in the redirect URL"
                    ),
                    "use the authorization code flow with PKCE instead (3.x `authorizationCode`, 2.0 `accessCode`)",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OAuthImplicitFlow;
    use crate::LintRequest;

    fn lint(yaml: &str) -> Vec<u32> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, yaml).expect("write");
        let report = crate::lint_with(
            &LintRequest {
                paths: vec![path.to_string_lossy().into_owned()],
                ..Default::default()
            },
            &[&OAuthImplicitFlow],
        );
        report
            .diagnostics
            .iter()
            .map(|d| d.location.start.line)
            .collect()
    }

    #[test]
    fn the_implicit_flow_in_swagger_2_and_3() {
        let v2 = "swagger: \"2.0\"
info: {title: t, version: \"1\"}
paths: {}
securityDefinitions:
  a:
    type: oauth2
    flow: implicit
    authorizationUrl: https://a.example.com/authorize
    scopes: {}
  b:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://a.example.com/authorize
    tokenUrl: https://a.example.com/token
    scopes: {}
";
        assert_eq!(lint(v2), [7]);
        let v3 = "openapi: 3.0.3
info: {title: t, version: \"1\"}
paths: {}
components:
  securitySchemes:
    a:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://a.example.com/authorize
          tokenUrl: https://a.example.com/token
          scopes: {}
        implicit:
          authorizationUrl: https://a.example.com/authorize
          scopes: {}
";
        assert_eq!(lint(v3), [13]);
    }
}

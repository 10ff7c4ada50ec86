use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{FlowKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/oauth-password-flow.md")]
pub struct OAuthPasswordFlow;

static META: RuleMeta = RuleMeta {
    id: "oauth-password-flow",
    aliases: &[],
    summary: "an OAuth 2 security scheme offers the resource owner password credentials flow",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/oauth-password-flow.md"),
};

impl Rule for OAuthPasswordFlow {
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
            if flow.kind == FlowKind::Password {
                cx.report(Finding::new(
                    flow.key,
                    format!(
                        "security scheme `{name}` offers the OAuth 2 password flow, which gives the user's password to the client"
                    ),
                    "use the authorization code flow with PKCE for users, and client credentials between services",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OAuthPasswordFlow;
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
            &[&OAuthPasswordFlow],
        );
        report
            .diagnostics
            .iter()
            .map(|d| d.location.start.line)
            .collect()
    }

    #[test]
    fn the_password_flow_in_swagger_2_and_3() {
        let v2 = "swagger: \"2.0\"
info: {title: t, version: \"1\"}
paths: {}
securityDefinitions:
  a:
    type: oauth2
    flow: password
    tokenUrl: https://a.example.com/token
    scopes: {}
  b:
    type: oauth2
    flow: application
    tokenUrl: https://a.example.com/token
    scopes: {}
";
        assert_eq!(lint(v2), [7]);
        let v3 = "openapi: 3.1.0
info: {title: t, version: \"1\"}
components:
  securitySchemes:
    a:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://a.example.com/token
          scopes: {}
        password:
          tokenUrl: https://a.example.com/token
          scopes: {}
";
        assert_eq!(lint(v3), [11]);
    }
}

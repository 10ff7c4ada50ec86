use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Document, SchemeKind, SecurityRequirements};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};
use crate::names::{distance, similar};

#[doc = include_str!("../../rules/oauth-scope-undefined.md")]
pub struct OAuthScopeUndefined;

static META: RuleMeta = RuleMeta {
    id: "oauth-scope-undefined",
    aliases: &[],
    summary: "a security requirement asks for an OAuth 2 scope that the scheme does not declare",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/oauth-scope-undefined.md"),
};

fn check(doc: &Document<'_>, reqs: SecurityRequirements<'_>, whose: &str, cx: &mut Context<'_>) {
    let set = cx.set();
    for (name, key) in reqs.schemes() {
        let Some(scheme) = doc.security_scheme(name) else {
            continue;
        };
        if scheme.kind() != SchemeKind::OAuth2 {
            continue;
        }
        let flows = scheme.flows();
        if flows.is_empty() {
            continue;
        }
        let declared: Vec<&str> = flows
            .iter()
            .flat_map(|f| f.scopes())
            .map(|(s, _)| s)
            .collect();
        let Some(list) = set.value_of(key) else {
            continue;
        };
        for item in set.items(list) {
            let Some(scope) = set.str(item) else {
                continue;
            };
            if declared.contains(&scope) {
                continue;
            }
            let near = declared
                .iter()
                .filter(|d| similar(d, scope))
                .min_by_key(|d| distance(d, scope));
            let help = match near {
                Some(n) => format!(
                    "did you mean `{n}`? Otherwise declare `{scope}` under `scopes` of the flows of `{name}` that grant it"
                ),
                None => format!(
                    "declare `{scope}` under `scopes` of the flows of `{name}` that grant it, or ask for a scope that exists"
                ),
            };
            cx.report(Finding::new(
                item,
                format!(
                    "{whose} requires scope `{scope}` of security scheme `{name}`, which none of its flows declares"
                ),
                help,
            ));
        }
    }
}

impl Rule for OAuthScopeUndefined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if let Some(reqs) = doc.security() {
            check(doc, reqs, "the document", cx);
        }
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if let Some(reqs) = op.op.security() {
            check(&op.doc, reqs, op.label(), cx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OAuthScopeUndefined;
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
            &[&OAuthScopeUndefined],
        );
        report
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.location.start.line,
                    d.help.as_deref().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn scopes_of_any_flow_count_and_other_schemes_are_left_alone() {
        let doc = "openapi: 3.0.3
info: {title: t, version: \"1\"}
security:
  - oauth: [pets:raed]
paths:
  /pets:
    get:
      security:
        - oauth: [pets:read, admin]
          oidc: [openid, profile]
          key: [anything]
      responses:
        \"200\": {description: ok}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://a.example.com/token
          scopes:
            admin: Everything.
        authorizationCode:
          authorizationUrl: https://a.example.com/authorize
          tokenUrl: https://a.example.com/token
          scopes:
            pets:read: Read pets.
    oidc:
      type: openIdConnect
      openIdConnectUrl: https://a.example.com/.well-known/openid-configuration
    key: {type: apiKey, in: header, name: X-Key}
";
        let found = lint(doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 4);
        assert!(
            found[0].1.starts_with("did you mean `pets:read`?"),
            "{found:?}"
        );
    }

    #[test]
    fn swagger_2_scopes_sit_on_the_scheme() {
        let doc = "swagger: \"2.0\"
info: {title: t, version: \"1\"}
paths:
  /pets:
    get:
      security:
        - oauth: [read, write]
      responses:
        \"200\": {description: ok}
securityDefinitions:
  oauth:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://a.example.com/authorize
    tokenUrl: https://a.example.com/token
    scopes:
      read: Read.
";
        let found = lint(doc);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [7]);
    }
}

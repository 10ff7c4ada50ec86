use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{SchemeKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/api-key-in-url.md")]
pub struct ApiKeyInUrl;

static META: RuleMeta = RuleMeta {
    id: "api-key-in-url",
    aliases: &[
        "owasp:api2:2023-no-api-keys-in-url",
        "owasp:api2:2019-no-api-keys-in-url",
        "owasp-no-api-keys-in-url",
    ],
    summary: "an API key security scheme sends the key in the query string or the path",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/api-key-in-url.md"),
};

impl Rule for ApiKeyInUrl {
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
        let SchemeKind::ApiKey {
            location: Some(location),
            name: param,
        } = scheme.kind()
        else {
            return;
        };
        let part = match location {
            "query" => "the query string",
            "path" => "the URL path",
            _ => return,
        };
        let key_name = param.map(|p| format!(" `{p}`")).unwrap_or_default();
        cx.report(Finding::new(
            scheme.location_node().unwrap_or(key),
            format!(
                "security scheme `{name}` sends the API key{key_name} in {part}, where URLs are logged, cached and leaked in `Referer` headers"
            ),
            "send the key in a header (`in: header`, for example `X-API-Key`) and stop accepting it in the URL",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::ApiKeyInUrl;
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
            &[&ApiKeyInUrl],
        );
        report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn query_and_path_keys_in_every_version() {
        for (head, field) in [
            (
                "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
                "securityDefinitions:\n",
            ),
            (
                "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\n",
                "components:\n  securitySchemes:\n",
            ),
            (
                "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\n",
                "components:\n  securitySchemes:\n",
            ),
        ] {
            let indent = if field.starts_with("components") {
                "    "
            } else {
                "  "
            };
            let doc = format!(
                "{head}{field}{indent}q: {{type: apiKey, in: query, name: api_key}}\n{indent}p: {{type: apiKey, in: path, name: key}}\n{indent}h: {{type: apiKey, in: header, name: X-Key}}\n{indent}c: {{type: apiKey, in: cookie, name: k}}\n"
            );
            let found = lint(&doc);
            assert_eq!(found.len(), 2, "{doc}\n{found:?}");
            assert!(
                found[0].1.contains("`api_key` in the query string"),
                "{found:?}"
            );
            assert!(found[1].1.contains("in the URL path"), "{found:?}");
        }
    }
}

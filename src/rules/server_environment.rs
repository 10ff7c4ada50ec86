use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{PathItem, Server};
use crate::engine::{Context, Finding, Label, OperationInfo, Rule, RuleMeta};
use crate::names::words;

#[doc = include_str!("../../rules/server-environment.md")]
pub struct ServerEnvironment;

static META: RuleMeta = RuleMeta {
    id: "server-environment",
    aliases: &["owasp:api9:2023-inventory-environment"],
    summary: "a server's description names no environment (production, staging, sandbox...)",
    severity: Severity::Warning,
    default_enabled: false,
    owasp: Some(Owasp::Api9ImproperInventoryManagement),
    docs: include_str!("../../rules/server-environment.md"),
};

/// Words that name a deployment environment.
const ENVIRONMENTS: &[&str] = &[
    "production",
    "prod",
    "live",
    "staging",
    "stage",
    "preprod",
    "preproduction",
    "sandbox",
    "development",
    "dev",
    "test",
    "testing",
    "qa",
    "uat",
    "integration",
    "local",
    "localhost",
    "mock",
    "demo",
    "preview",
    "beta",
    "alpha",
    "canary",
];

/// True when some word of the text names an environment (`Production`, `pre-prod`, `Staging API`).
fn names_environment(text: &str) -> bool {
    let w = words(text);
    w.iter().any(|w| ENVIRONMENTS.contains(&w))
        || w.iter().zip(w.iter().skip(1)).any(|(a, b)| {
            let joined = format!("{a}{b}");
            ENVIRONMENTS.contains(&joined.as_str())
        })
}

fn check(server: &Server<'_>, whose: Option<&str>, cx: &mut Context<'_>) {
    // Swagger 2.0 servers have no description.
    if server.version().is_v2() {
        return;
    }
    let description = server.description();
    if description.is_some_and(names_environment) {
        return;
    }
    let of = whose.map(|w| format!(" of {w}")).unwrap_or_default();
    let url = server.url();
    let message = match description {
        Some(_) => format!(
            "the description of server `{url}`{of} names no environment (production, staging, sandbox, development, test...)"
        ),
        None => format!(
            "server `{url}`{of} has no description naming its environment (production, staging, sandbox, development, test...)"
        ),
    };
    let mut f = Finding::new(
        server.url_node(),
        message,
        "describe the server with the environment it serves, such as `description: Production` or `description: Staging (test data only)`",
    );
    if server.via_ref() {
        f = f.related([(server.site, Label::ReferencedBy)]);
    }
    cx.report(f);
}

impl Rule for ServerEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_server(&self, server: &Server<'_>, cx: &mut Context<'_>) {
        check(server, None, cx);
    }

    fn check_path_item(
        &self,
        path: &str,
        _key: NodeRef,
        item: &PathItem<'_>,
        cx: &mut Context<'_>,
    ) {
        for server in item.servers() {
            check(&server, Some(&format!("path `{path}`")), cx);
        }
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        for server in op.op.servers() {
            check(&server, Some(op.label()), cx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ServerEnvironment, names_environment};
    use crate::LintRequest;

    #[test]
    fn environment_words_are_found_whole() {
        for d in [
            "Production",
            "Staging API",
            "pre-prod",
            "Sandbox server (test data)",
            "DEV",
            "The live server",
        ] {
            assert!(names_environment(d), "{d}");
        }
        for d in [
            "Main API server",
            "Europe",
            "Products API",
            "Developer portal",
            "Latest",
        ] {
            assert!(!names_environment(d), "{d}");
        }
    }

    #[test]
    fn the_fixture_reports_servers_whose_description_names_no_environment() {
        let mut request = LintRequest {
            paths: vec!["testdata/rules/server-environment.yaml".into()],
            ..Default::default()
        };
        request.policy.preset = crate::engine::Preset::All;
        let report = crate::lint_with(&request, &[&ServerEnvironment]);
        let found: Vec<(u32, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.as_str()))
            .collect();
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [10, 12, 17], "{found:#?}");
        assert!(
            found[0]
                .1
                .starts_with("the description of server `https://eu.acme.io/v1` names no")
        );
        assert!(
            found[1]
                .1
                .starts_with("server `https://us.acme.io/v1` has no description")
        );
    }
}

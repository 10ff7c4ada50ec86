use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{PathItem, Server};
use crate::engine::{Context, Finding, Label, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/server-inventory.md")]
pub struct ServerInventory;

static META: RuleMeta = RuleMeta {
    id: "server-inventory",
    aliases: &["owasp:api9:2023-inventory-access"],
    summary: "a server does not say whether it is internal or public (no x-internal)",
    severity: Severity::Warning,
    default_enabled: false,
    owasp: Some(Owasp::Api9ImproperInventoryManagement),
    docs: include_str!("../../rules/server-inventory.md"),
};

fn check(server: &Server<'_>, whose: Option<&str>, cx: &mut Context<'_>) {
    // Swagger 2.0 servers are `schemes` entries: there is no object to carry the extension.
    if server.version().is_v2() || server.extension("x-internal").is_some() {
        return;
    }
    let of = whose.map(|w| format!(" of {w}")).unwrap_or_default();
    let mut f = Finding::new(
        server.url_node(),
        format!(
            "server `{}`{of} does not say whether it is internal or public (no `x-internal`)",
            server.url()
        ),
        "add `x-internal: true` to a server reached only from inside the organisation, `x-internal: false` to a public one",
    );
    if server.via_ref() {
        f = f.related([(server.site, Label::ReferencedBy)]);
    }
    cx.report(f);
}

impl Rule for ServerInventory {
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
    use super::ServerInventory;
    use crate::LintRequest;

    #[test]
    fn the_fixture_reports_servers_without_x_internal() {
        let mut request = LintRequest {
            paths: vec!["testdata/rules/server-inventory.yaml".into()],
            ..Default::default()
        };
        request.policy.preset = crate::engine::Preset::All;
        let report = crate::lint_with(&request, &[&ServerInventory]);
        let found: Vec<(u32, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.as_str()))
            .collect();
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [8, 15], "{found:#?}");
        assert!(
            found[1]
                .1
                .starts_with("server `https://reports.acme.io` of `GET /reports` does not say")
        );
    }
}

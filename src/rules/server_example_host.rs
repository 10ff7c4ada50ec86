use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Document, PathItem, Server};
use crate::engine::{Context, Finding, Label, OperationInfo, Rule, RuleMeta};

use super::server_http::{host, resolved_url};

#[doc = include_str!("../../rules/server-example-host.md")]
pub struct ServerExampleHost;

static META: RuleMeta = RuleMeta {
    id: "server-example-host",
    aliases: &[],
    summary: "a server is on a reserved example domain (example.com, example.org, example.net)",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api9ImproperInventoryManagement),
    docs: include_str!("../../rules/server-example-host.md"),
};

/// The second-level domains reserved for documentation (RFC 2606, RFC 6761).
const EXAMPLE_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

/// True for `example.com`, `example.org` and `example.net`, and any name under them, written with
/// or without a final dot.
fn is_example_host(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    EXAMPLE_DOMAINS
        .iter()
        .any(|d| host == *d || host.strip_suffix(d).is_some_and(|rest| rest.ends_with('.')))
}

fn diagnostic(node: crate::document::NodeRef, url: &str, whose: Option<&str>) -> Finding {
    let of = whose.map(|w| format!(" of {w}")).unwrap_or_default();
    Finding::new(
        node,
        format!(
            "server `{url}`{of} is on a reserved example domain, so the contract names no real deployment"
        ),
        "replace it with the URL where the API actually runs, or a relative URL if the host is not known",
    )
}

fn check(server: &Server<'_>, whose: Option<&str>, cx: &mut Context<'_>) {
    // Swagger 2.0 has one `host` for every scheme: it is checked once, on the document.
    if server.version().is_v2() {
        return;
    }
    let url = resolved_url(server);
    if !host(&url).is_some_and(|h| is_example_host(&h)) {
        return;
    }
    let mut f = diagnostic(server.url_node(), &server.url(), whose);
    if server.via_ref() {
        f = f.related([(server.site, Label::ReferencedBy)]);
    }
    cx.report(f);
}

impl Rule for ServerExampleHost {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if !doc.version().is_v2() {
            return;
        }
        let set = doc.set();
        let Some(node) = set.get(doc.node, "host") else {
            return;
        };
        let Some(written) = set.str(node) else {
            return;
        };
        if host(&format!("//{written}")).is_some_and(|h| is_example_host(&h)) {
            // Named as clients resolve it (`https://api.example.com/v1`, the first scheme).
            let url = doc
                .servers()
                .first()
                .map(|s| s.url().into_owned())
                .unwrap_or_else(|| written.to_string());
            cx.report(diagnostic(node, &url, None));
        }
    }

    fn check_server(&self, server: &Server<'_>, cx: &mut Context<'_>) {
        check(server, None, cx);
    }

    fn check_path_item(
        &self,
        path: &str,
        _key: crate::document::NodeRef,
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
    use super::{ServerExampleHost, is_example_host};
    use crate::LintRequest;

    fn lint(path: &str) -> Vec<(u32, String)> {
        let report = crate::lint_with(
            &LintRequest {
                paths: vec![path.to_string()],
                ..Default::default()
            },
            &[&ServerExampleHost],
        );
        assert_eq!(report.documents(), 1);
        report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn the_fixture_reports_each_example_server_once() {
        let found = lint("testdata/rules/server-example-host.yaml");
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [6, 7, 17], "{found:#?}");
        assert!(
            found[1]
                .1
                .starts_with("server `https://{region}.example.net` is on a reserved")
        );
        assert!(found[2].1.contains(" of path `/reports` "));
    }

    #[test]
    fn swagger_2_host_is_reported_once_for_all_schemes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("openapi.yaml");
        std::fs::write(
            &path,
            "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\nhost: petstore.example.com\nschemes: [http, https]\npaths: {}\n",
        )
        .expect("write");
        let found = lint(&path.to_string_lossy());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].0, 3);
        assert!(
            found[0]
                .1
                .starts_with("server `http://petstore.example.com` is on")
        );
    }

    #[test]
    fn example_domains_and_their_subdomains_are_told_apart_from_lookalikes() {
        for h in [
            "example.com",
            "api.example.com",
            "a.b.example.org",
            "example.net",
            "example.com.",
        ] {
            assert!(is_example_host(h), "{h}");
        }
        for h in [
            "myexample.com",
            "example.co",
            "example.com.evil.io",
            "api.example.io",
            "localhost",
        ] {
            assert!(!is_example_host(h), "{h}");
        }
    }
}

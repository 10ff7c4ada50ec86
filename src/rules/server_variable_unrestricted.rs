use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{PathItem, Server};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/server-variable-unrestricted.md")]
pub struct ServerVariableUnrestricted;

static META: RuleMeta = RuleMeta {
    id: "server-variable-unrestricted",
    aliases: &[],
    summary: "a server variable sets the host with no enum of allowed values",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/server-variable-unrestricted.md"),
};

/// The names of the variables written in the host part of a URL template: after `scheme://` up to
/// the first `/`, `?` or `#`; a template that starts with a variable (`{base}/v1`) sets the host
/// with it too. A relative URL has no host, and a variable after `:` is the port.
fn host_variables(url: &str, default_of: impl Fn(&str) -> Option<String>) -> Vec<&str> {
    let authority = match url.split_once("://") {
        Some((_, after)) => after,
        None if url.starts_with('{') || url.starts_with("//") => url.trim_start_matches('/'),
        None => return Vec::new(),
    };
    // Braces may hold `/` in no valid name, so the first `/` outside a variable ends the host.
    // A variable whose default starts with `/` (`https://api.example.com{basePath}`) is the path.
    let mut end = authority.len();
    let mut depth = 0;
    for (i, c) in authority.char_indices() {
        match c {
            '{' if depth == 0 => {
                let name = authority[i + 1..].split('}').next().unwrap_or("");
                if default_of(name).is_some_and(|d| d.starts_with(['/', '?', '#'])) {
                    end = i;
                    break;
                }
                depth += 1;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            '/' | '?' | '#' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut rest = &authority[..end];
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        // `host:{port}` sets the port, not the host.
        if !rest[..open].ends_with(':') {
            out.push(&rest[open + 1..open + close]);
        }
        rest = &rest[open + close + 1..];
    }
    out
}

fn check(server: &Server<'_>, whose: Option<&str>, cx: &mut Context<'_>) {
    let url = server.url();
    let set = server.set();
    let vars = server.variables();
    let default_of = |name: &str| {
        vars.iter()
            .find(|(n, _, _)| *n == name)
            .and_then(|(_, _, v)| set.get(*v, "default"))
            .and_then(|d| set.str(d))
            .map(str::to_string)
    };
    let names = host_variables(&url, default_of);
    if names.is_empty() {
        return;
    }
    let of = whose.map(|w| format!(" of {w}")).unwrap_or_default();
    for name in names {
        let Some((_, key, var)) = vars.iter().find(|(n, _, _)| *n == name) else {
            continue;
        };
        let restricted = set
            .get(*var, "enum")
            .is_some_and(|e| set.items(e).next().is_some());
        if restricted {
            continue;
        }
        let at: NodeRef = *key;
        cx.report(
            Finding::new(
                at,
                format!(
                    "server variable `{name}` sets the host of `{url}`{of} and has no `enum`, so any host can be filled in"
                ),
                format!(
                    "list the hosts clients may use in an `enum` of `{name}` (with one of them as the `default`)"
                ),
            )
            .on_key(),
        );
    }
}

impl Rule for ServerVariableUnrestricted {
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
    use super::host_variables;

    #[test]
    fn variables_in_the_host_part() {
        let none = |_: &str| None;
        let path = |name: &str| (name == "basePath").then(|| "/v1".to_string());
        assert_eq!(
            host_variables("https://api.example.com{basePath}", path),
            Vec::<&str>::new()
        );
        assert_eq!(host_variables("https://{host}{basePath}", path), ["host"]);
        assert_eq!(
            host_variables("https://{tenant}.example.com/{version}", none),
            ["tenant"]
        );
        assert_eq!(
            host_variables("{scheme}://{host}:{port}/v1", none),
            ["host"]
        );
        assert_eq!(host_variables("{baseUrl}/v1", none), ["baseUrl"]);
        assert_eq!(host_variables("/api/{version}", none), Vec::<&str>::new());
        assert_eq!(
            host_variables("https://api.example.com/{basePath}", none),
            Vec::<&str>::new()
        );
    }
}

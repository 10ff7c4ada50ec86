use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{PathItem, Server};
use crate::engine::{Context, Finding, OperationInfo, OptionKind, OptionSpec, Rule, RuleMeta};

#[doc = include_str!("../../rules/server-http.md")]
pub struct ServerHttp;

static META: RuleMeta = RuleMeta {
    id: "server-http",
    aliases: &[
        "owasp:api8:2023-no-server-http",
        "owasp:api8:2023-no-scheme-http",
        "owasp:api7:2019-security-hosts-https-oas3",
        "owasp:api7:2019-security-hosts-https-oas2",
        "owasp-security-hosts-https-oas3",
    ],
    summary: "a server is reached over plain http:// or ws://",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/server-http.md"),
};

/// The server's URL with each `{variable}` replaced by its `default` (as clients resolve it); a
/// variable without a default stays as written.
pub(super) fn resolved_url(server: &Server<'_>) -> String {
    let url = server.url();
    if !url.contains('{') {
        return url.into_owned();
    }
    let set = server.set();
    let vars = server.variables();
    let mut out = String::with_capacity(url.len());
    let mut rest: &str = &url;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &rest[open + 1..open + close];
        let default = vars
            .iter()
            .find(|(n, _, _)| *n == name)
            .and_then(|(_, _, v)| set.get(*v, "default"))
            .and_then(|d| set.str(d));
        match default {
            Some(d) => out.push_str(d),
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The lower-case scheme of an absolute URL (`http` of `HTTP://x`); `None` for a relative one.
pub(super) fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once("://")?;
    let ok = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// The host of an absolute or scheme-relative URL, lower-cased, without user info or port
/// (`[::1]` keeps its brackets); `None` for a relative URL.
pub(super) fn host(url: &str) -> Option<String> {
    let after = match url.split_once("://") {
        Some((_, after)) => after,
        None => url.strip_prefix("//")?,
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let host = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => &authority[..=end],
            None => authority,
        }
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    Some(host.to_ascii_lowercase())
}

/// `localhost` (and `*.localhost`), `127.0.0.0/8`, `[::1]` and `0.0.0.0`: only the machine itself.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "[::1]"
        || host == "0.0.0.0"
}

fn check(server: &Server<'_>, whose: Option<&str>, cx: &mut Context<'_>) {
    let url = resolved_url(server);
    let (what, secure) = match scheme(&url).as_deref() {
        Some("http") => ("plain HTTP", "https://"),
        Some("ws") => ("an unencrypted WebSocket", "wss://"),
        _ => return,
    };
    let written = server.url();
    let of = whose.map(|w| format!(" of {w}")).unwrap_or_default();
    let own = cx.option_strings("local-hosts").unwrap_or_default();
    let local = host(&url)
        .is_some_and(|h| is_loopback(&h) || own.iter().any(|o| o.eq_ignore_ascii_case(&h)));
    let mut f = if local {
        Finding::new(
            server.url_node(),
            format!(
                "server `{written}`{of} is {what} on a loopback address, so only traffic on that machine travels unencrypted"
            ),
            format!("use `{secure}` if the server is ever reached from another machine"),
        )
        .severity(Severity::Info)
    } else {
        Finding::new(
            server.url_node(),
            format!(
                "server `{written}`{of} is {what}, so requests, credentials and responses travel unencrypted"
            ),
            format!("serve the API over TLS only and write the URL with `{secure}`"),
        )
    };
    if server.via_ref() {
        f = f.related([(server.site, crate::engine::Label::ReferencedBy)]);
    }
    cx.report(f);
}

impl Rule for ServerHttp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn options(&self) -> &'static [OptionSpec] {
        &[OptionSpec {
            name: "local-hosts",
            kind: OptionKind::Strings,
            doc: "more host names that only reach the developer's machine or network (reported as info, like `localhost`)",
        }]
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
    use super::{host, scheme};

    #[test]
    fn urls_are_split_into_scheme_and_host() {
        assert_eq!(scheme("HTTP://x.com").as_deref(), Some("http"));
        assert_eq!(scheme("/v1"), None);
        assert_eq!(scheme("{scheme}://x.com"), None);
        assert_eq!(
            host("http://user@API.x.com:8080/v1").as_deref(),
            Some("api.x.com")
        );
        assert_eq!(host("http://[::1]:80/").as_deref(), Some("[::1]"));
        assert_eq!(host("//x.com/v1").as_deref(), Some("x.com"));
        assert_eq!(host("/v1"), None);
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::describe;
use crate::document::model::{ParamLocation, Parameter, Schema, Types};
use crate::engine::{
    ContentKey, Context, Finding, OperationInfo, Rule, RuleMeta, SchemaUsage, Usage,
};
use crate::names::words;

use super::credentials_in_url::subject;

#[doc = include_str!("../../rules/url-parameter.md")]
pub struct UrlParameter;

static META: RuleMeta = RuleMeta {
    id: "url-parameter",
    aliases: &[],
    summary: "a request parameter or property takes a URL with no pattern or enum restricting it",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api7ServerSideRequestForgery),
    docs: include_str!("../../rules/url-parameter.md"),
};

/// Formats whose values are URLs.
const URL_FORMATS: &[&str] = &["uri", "url", "iri", "uri-reference", "iri-reference"];

/// Last words that name a URL (`redirect_uri`, `imageUrl`, `href`).
const URL_WORDS: &[&str] = &["url", "uri", "iri", "href"];

/// Words after `webhook` that still name where it is sent (`webhook_endpoint`).
const TARGET_WORDS: &[&str] = &["url", "uri", "endpoint", "target", "address"];

/// True when a parameter or property name says it takes a URL: a last word `url`, `uri` or
/// `href` (also glued: `imageurl`), a name starting with `redirect` that ends in a target
/// (`redirect`, `redirect_to`), `webhook` and `webhook_endpoint`, `return_to`. `callback` is not
/// one: many APIs take a JSONP function name under it.
fn is_url_name(name: &str) -> bool {
    let w = words(name);
    let (Some(first), Some(last)) = (w.first(), w.last()) else {
        return false;
    };
    if URL_WORDS.contains(&last) {
        return true;
    }
    if last.len() >= 6 && (last.ends_with("url") || last.ends_with("uri")) {
        return true;
    }
    if matches!(first, "redirect" | "redirectto")
        && (w.len() == 1 || matches!(last, "to" | "target" | "location"))
    {
        return true;
    }
    if first == "webhook" && (w.len() == 1 || TARGET_WORDS.contains(&last)) {
        return true;
    }
    w.are(&["return", "to"]) || first == "returnto"
}

fn is_url_format(schema: &Schema<'_>) -> bool {
    schema.format().is_some_and(|f| URL_FORMATS.contains(&f))
}

/// True when the schema takes a URL: a URL format, or a string under a URL name.
fn takes_url(schema: &Schema<'_>, name: &str) -> bool {
    let types = schema.types();
    if !types.is_empty() && !types.contains(Types::STRING) {
        return false;
    }
    is_url_format(schema) || (schema.is_string() && is_url_name(name))
}

/// True when the schema limits where the URL may point.
fn restricted(schema: &Schema<'_>) -> bool {
    schema.pattern().is_some() || schema.has_enum() || schema.has_const()
}

const HELP: &str = "restrict it with a `pattern` anchored on the hosts it may name (or an `enum` of them), and check it against that allow-list before the server fetches it or redirects to it";

impl Rule for UrlParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_parameter(&self, param: &Parameter<'_>, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if !matches!(
            param.location(),
            ParamLocation::Query
                | ParamLocation::Path
                | ParamLocation::Header
                | ParamLocation::Cookie
        ) {
            return;
        }
        let (Some(name), Some(schema)) = (param.name(), param.schema()) else {
            return;
        };
        if !takes_url(&schema, name) || restricted(&schema) {
            return;
        }
        let (what, related) = subject(param, op);
        cx.report(
            Finding::new(
                param.name_node().unwrap_or(param.node),
                format!(
                    "{what} takes a URL with no `pattern` or `enum` restricting where it may point"
                ),
                HELP,
            )
            .related(related),
        );
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || schema.read_only() {
            return;
        }
        let set = schema.set();
        // A property (its name), or a named schema (`CallbackUrl`); the schema of a parameter
        // is the parameter's, and is checked with it.
        let Some(key) = set.key_of(schema.node) else {
            return;
        };
        let Some(owner) = set.parent(schema.node).and_then(|p| set.key_of(p)) else {
            return;
        };
        let property = match set.text(owner) {
            Some("properties") => true,
            Some("schemas" | "definitions") => false,
            _ => return,
        };
        let Some(name) = set.text(key) else {
            return;
        };
        if !takes_url(schema, name) || restricted(schema) {
            return;
        }
        let what = describe(set, schema.node);
        let mut finding = Finding::new(
            schema.node,
            format!("{what} takes a URL in requests with no `pattern` or `enum` restricting where it may point"),
            HELP,
        )
        .on_key()
        .key(ContentKey::Node(schema.node));
        if !property {
            finding = finding.uses(usage.related_for(Usage::REQUEST));
        }
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::{UrlParameter, is_url_name};
    use crate::LintRequest;

    #[test]
    fn url_names_are_told_from_other_names() {
        for n in [
            "url",
            "redirect_uri",
            "redirectUri",
            "imageUrl",
            "image_url",
            "avatar-url",
            "callback_url",
            "redirect",
            "redirect_to",
            "redirectTo",
            "webhook",
            "webhook_endpoint",
            "return_to",
            "returnTo",
            "href",
            "imageurl",
            "RedirectURL",
        ] {
            assert!(is_url_name(n), "{n} takes a URL");
        }
        for n in [
            "callback",
            "url_id",
            "urlCount",
            "webhook_id",
            "redirects",
            "redirect_count",
            "uri_prefix_length",
            "curl",
            "security",
            "return_type",
            "name",
        ] {
            assert!(!is_url_name(n), "{n} does not take a URL");
        }
    }

    #[test]
    fn the_fixture_reports_unrestricted_urls_in_requests() {
        let report = crate::lint_with(
            &LintRequest {
                paths: vec!["testdata/rules/url-parameter.yaml".into()],
                ..Default::default()
            },
            &[&UrlParameter],
        );
        let found: Vec<(u32, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.as_str()))
            .collect();
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [9, 13, 58, 74], "{found:#?}");
        assert!(
            found[0]
                .1
                .starts_with("query parameter `redirect_uri` of `GET /login` takes a URL")
        );
    }
}

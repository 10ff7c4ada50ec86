use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ParamLocation, Parameter, Schema, Types};
use crate::engine::walk::OperationKind;
use crate::engine::{ContentKey, Context, Finding, Label, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/pagination-unbounded.md")]
pub struct PaginationUnbounded;

static META: RuleMeta = RuleMeta {
    id: "pagination-unbounded",
    aliases: &[],
    summary: "a GET returning a list has no page-size parameter, or one without `maximum`",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/pagination-unbounded.md"),
};

/// Page-size parameter names, lower-case without `$`, `_`, `-` or `.`.
const PAGE_SIZE: &[&str] = &[
    "limit",
    "pagesize",
    "perpage",
    "top",
    "maxresults",
    "maxpagesize",
    "pagelimit",
    "resultsperpage",
    "maxitems",
    "pagelength",
];

/// Property names of a list wrapper (`{"data": [...], "next": ...}`).
const WRAPPERS: &[&str] = &[
    "data", "items", "results", "values", "records", "entries", "list", "content", "elements",
    "hits", "rows", "value", "objects",
];

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '$' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_array(schema: &Schema<'_>) -> bool {
    schema.types().contains(Types::ARRAY) || schema.keyword("items").is_some()
}

/// True when the response schema is a list: an array, or an object with a wrapper property that is.
fn is_list(schema: &Schema<'_>) -> bool {
    is_array(schema)
        || schema.properties().iter().any(|(name, _, prop)| {
            WRAPPERS.contains(&name.to_ascii_lowercase().as_str())
                && prop.as_ref().is_some_and(is_array)
        })
}

/// True when the page-size parameter has an upper bound (`maximum` or `enum`).
fn bounded(param: &Parameter<'_>) -> bool {
    param
        .schema()
        .is_some_and(|s| s.maximum().is_some() || s.has_enum() || s.has_const())
}

impl Rule for PaginationUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if op.method != "get" || op.kind != OperationKind::Path {
            return;
        }
        let returns_list = op.op.responses().iter().any(|(code, _, response)| {
            code.starts_with('2')
                && response
                    .content(&op.op)
                    .iter()
                    .any(|m| m.schema.as_ref().is_some_and(is_list))
        });
        if !returns_list {
            return;
        }
        let sizes: Vec<Parameter<'_>> = op
            .op
            .parameters(&op.item)
            .into_iter()
            .filter(|p| {
                p.location() == ParamLocation::Query
                    && p.name()
                        .is_some_and(|n| PAGE_SIZE.contains(&normalise(n).as_str()))
            })
            .collect();
        if sizes.is_empty() {
            cx.report(
                Finding::new(
                    op.key,
                    format!(
                        "{} returns a list but takes no page-size query parameter (`limit`, `page_size`, `per_page`, `top`)",
                        op.label()
                    ),
                    "add a `limit` query parameter with a `maximum`, and page the results",
                )
                .on_key()
                .severity(Severity::Info),
            );
            return;
        }
        for p in sizes.iter().filter(|p| !bounded(p)) {
            let name = p.name().unwrap_or("");
            let at = p.name_node().unwrap_or(p.node);
            let mut f = Finding::new(
                at,
                format!(
                    "query parameter `{name}` of {} has no `maximum`, so one request may ask for the whole list",
                    op.label()
                ),
                format!("add a `maximum` to the schema of `{name}` (for example `maximum: 100`)"),
            )
            .key(ContentKey::Node(p.node));
            if p.via_ref() {
                f = f.related([(p.site, Label::ReferencedBy)]);
            }
            cx.report(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise("$top"), "top");
        assert_eq!(normalise("page_size"), "pagesize");
        assert_eq!(normalise("per-page"), "perpage");
        assert_eq!(normalise("maxResults"), "maxresults");
    }
}

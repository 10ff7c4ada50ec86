use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Header;
use crate::document::{DocumentSet, NodeRef};
use crate::engine::walk::OperationKind;
use crate::engine::{Context, Finding, ResponseInfo, Rule, RuleMeta};
use crate::source::Kind;

#[doc = include_str!("../../rules/cors-wildcard.md")]
pub struct CorsWildcard;

static META: RuleMeta = RuleMeta {
    id: "cors-wildcard",
    aliases: &[],
    summary: "a response allows any origin (`*`) together with credentials",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/cors-wildcard.md"),
};

/// The scalar values a header is documented to take: its schema's `enum`, `const`, `default` and
/// `example`, and the header's own `example` and `examples` (3.x).
fn values(set: &DocumentSet, header: &Header<'_>) -> Vec<NodeRef> {
    let mut holders = vec![header.node];
    if let Some(schema) = header.schema() {
        holders.push(schema.node);
    }
    let mut out = Vec::new();
    for h in holders {
        for key in ["const", "default", "example", "x-example"] {
            out.extend(set.get(h, key));
        }
        if let Some(list) = set.get(h, "enum") {
            out.extend(set.items(list));
        }
        if let Some(examples) = set.get(h, "examples") {
            match set.kind(examples) {
                Kind::Sequence => out.extend(set.items(examples)),
                Kind::Mapping => {
                    for (_, _, ex) in set.fields(examples) {
                        let ex = set.deref(ex).unwrap_or(ex);
                        out.extend(set.get(ex, "value"));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// True when the header is documented to carry `*`.
fn allows_any_origin(set: &DocumentSet, header: &Header<'_>) -> bool {
    values(set, header)
        .into_iter()
        .any(|v| set.str(v).is_some_and(|s| s.trim() == "*"))
}

/// True unless every documented value of the header is `false` (credentials refused).
fn allows_credentials(set: &DocumentSet, header: &Header<'_>) -> bool {
    let vals = values(set, header);
    vals.is_empty()
        || vals.into_iter().any(|v| {
            let tree = set.tree(v.file);
            tree.as_bool(v.node) != Some(false)
                && !set
                    .str(v)
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("false"))
        })
}

impl Rule for CorsWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_response(&self, response: &ResponseInfo<'_, '_>, cx: &mut Context<'_>) {
        if response.op.kind != OperationKind::Path {
            return;
        }
        let set = cx.set();
        let headers = response.response.headers();
        let find = |name: &str| {
            headers
                .iter()
                .find(|(h, _, _)| h.eq_ignore_ascii_case(name))
        };
        let Some((origin_name, origin_key, origin)) = find("Access-Control-Allow-Origin") else {
            return;
        };
        let Some((creds_name, creds_key, creds)) = find("Access-Control-Allow-Credentials") else {
            return;
        };
        if !allows_any_origin(set, origin) || !allows_credentials(set, creds) {
            return;
        }
        let mut related = vec![(*creds_key, "the credentials header".to_string())];
        if response.response.via_ref() {
            related.push((response.key, format!("returned by {}", response.op.label())));
        }
        cx.report(
            Finding::new(
                *origin_key,
                format!(
                    "{} allows any origin (`{origin_name}: *`) together with `{creds_name}`, so any website may call the API with its users' credentials",
                    response.label()
                ),
                "answer with the requesting origin only when it is on an allow-list (and `Vary: Origin`), or drop `Access-Control-Allow-Credentials`",
            )
            .on_key()
            .related(related),
        );
    }
}

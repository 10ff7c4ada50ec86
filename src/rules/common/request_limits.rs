//! What the rules about request data without a limit share (`array-unbounded`, `integer-unbounded`,
//! `integer-format`, `string-unrestricted`): whether a limit holds for a schema through its `allOf`,
//! `anyOf` and `oneOf`, whether a use of a shared schema is limited where it is written, and where a
//! finding about a request schema belongs.

use crate::document::NodeRef;
use crate::document::model::{Cx, Edge, Schema, Types};
use crate::engine::{ContentKey, Context, Finding, SchemaUsage, Usage};
use crate::source::Kind;

/// How deep limits are looked for through `allOf`/`anyOf`/`oneOf` (cycles stop here too).
const MAX_DEPTH: usize = 8;

/// True when `limited` holds for the schema's own keywords, for any member of its `allOf`, or for
/// every branch of its `anyOf` or `oneOf` (a branch whose declared types `admits` rejects counts).
pub(crate) fn holds(
    schema: &Schema<'_>,
    admits: &dyn Fn(Types) -> bool,
    limited: &dyn Fn(&Schema<'_>) -> bool,
) -> bool {
    holds_deep(schema, admits, limited, 0)
}

fn holds_deep(
    schema: &Schema<'_>,
    admits: &dyn Fn(Types) -> bool,
    limited: &dyn Fn(&Schema<'_>) -> bool,
    depth: usize,
) -> bool {
    if limited(schema) {
        return true;
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    let cx = schema.cx;
    let mut any_of = Vec::new();
    let mut one_of = Vec::new();
    for (edge, site) in schema.members() {
        let Some(sub) = Schema::at(cx, site) else {
            continue;
        };
        match edge {
            Edge::AllOf(_) if holds_deep(&sub, admits, limited, depth + 1) => return true,
            Edge::AnyOf(_) => any_of.push(sub),
            Edge::OneOf(_) => one_of.push(sub),
            _ => {}
        }
    }
    let all = |branches: &[Schema<'_>]| {
        !branches.is_empty()
            && branches.iter().all(|b| {
                let t = b.types();
                (!t.is_empty() && !admits(t)) || holds_deep(b, admits, limited, depth + 1)
            })
    };
    all(&any_of) || all(&one_of)
}

/// True when the schema written at `site` is limited where it is written: it is a member of an
/// `allOf`, `anyOf` or `oneOf` whose owner is limited (the owner's keywords and every other `allOf`
/// member apply to the same value), or whose owner is itself limited where it is written.
fn limited_at(
    cx: Cx<'_>,
    site: NodeRef,
    bounded: &dyn Fn(&Schema<'_>) -> bool,
    depth: usize,
) -> bool {
    if depth >= MAX_DEPTH {
        return false;
    }
    let set = cx.set;
    let Some(list) = set.parent(site) else {
        return false;
    };
    let in_combinator = set.kind(list) == Kind::Sequence
        && set
            .key_of(list)
            .and_then(|k| set.text(k))
            .is_some_and(|k| matches!(k, "allOf" | "anyOf" | "oneOf"));
    if !in_combinator {
        return false;
    }
    let Some(owner_node) = set.parent(list) else {
        return false;
    };
    let Some(owner) = Schema::at(cx, owner_node) else {
        return false;
    };
    bounded(&owner) || limited_at(cx, owner_node, bounded, depth + 1)
}

/// Reports a request schema that `bounded` rejects, once, where it is defined: a property at its
/// name, the schema of a parameter, of `items` or of `additionalProperties` at its `type`. Only the
/// uses in requests that leave it unlimited are attached; when every use is limited where it is
/// written (`allOf: [{$ref: Count}, {maximum: 10}]`), nothing is reported.
pub(crate) fn report_request(
    schema: &Schema<'_>,
    usage: &SchemaUsage<'_>,
    cx: &mut Context<'_>,
    bounded: &dyn Fn(&Schema<'_>) -> bool,
    message: &dyn Fn(&str) -> String,
    help: &'static str,
) {
    let set = schema.set();
    let mut own_sites = Vec::new();
    let mut inline = false;
    for (site, u) in usage.sites_with_usage() {
        if !u.contains(Usage::REQUEST) {
            continue;
        }
        if site != schema.node && set.deref(site) == Some(schema.node) {
            own_sites.push(site);
        } else {
            inline = true;
        }
    }
    inline |= own_sites.is_empty();
    let limited_sites: Vec<NodeRef> = own_sites
        .iter()
        .copied()
        .filter(|&site| limited_at(schema.cx, site, bounded, 0))
        .collect();
    let inline_unlimited = inline && !limited_at(schema.cx, schema.node, bounded, 0);
    if !inline_unlimited && limited_sites.len() == own_sites.len() {
        return;
    }
    let what = set.name(schema.node);
    let key = set.key_of(schema.node).and_then(|k| set.text(k));
    let structural = matches!(
        key,
        None | Some("schema" | "items" | "additionalProperties" | "unevaluatedProperties")
    );
    let finding = match (structural, schema.type_node()) {
        (true, Some(ty)) => Finding::new(ty, message(&what), help),
        _ => Finding::new(schema.node, message(&what), help).on_key(),
    };
    let mut related = usage.related_for(Usage::REQUEST);
    related
        .list
        .retain(|(site, _)| !limited_sites.contains(site));
    cx.report(finding.uses(related).key(ContentKey::Node(schema.node)));
}

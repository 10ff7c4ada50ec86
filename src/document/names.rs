//! Human names for nodes, derived from where they sit: "property `name` of schema `User`",
//! "query parameter `limit` of `GET /items`", "`404` response of `GET /items/{id}`".
//!
//! A name is derived from the node's *logical* position: the place it would have in the same API
//! written as one bundled OpenAPI 3.x document. So a 2.0 `definitions` entry is a schema, a 2.0
//! `in: body` parameter is the request body, a node of a file reached through `$ref` (a split spec)
//! is named after the reference that brings it in, and an operation of a 3.1 `components/pathItems`
//! entry after the path that uses it. The same API gets the same names in every version and layout.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{DocumentSet, NodeRef};
use crate::source::Kind;

/// Describes a node from its logical position in the document (parents, keys, and the `$ref`s that
/// bring it in).
pub fn describe(set: &DocumentSet, n: NodeRef) -> String {
    let mut budget = MAX_CHAINS;
    let chain = logical_chain(set, n, 0, &mut Vec::new(), &mut budget);
    let file_stem = set
        .file(n.file)
        .path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    describe_segments(&chain, file_stem, set)
}

/// A position: the segments from a document root (or, when nothing refers to a fragment, from the
/// fragment's root), each with the node it leads to.
struct Chain<'a> {
    /// Keys borrowed from the tree; indices written out.
    segs: Vec<Cow<'a, str>>,
    nodes: Vec<NodeRef>,
    /// The chain starts at the root of an OpenAPI document (not at an unreferenced fragment).
    from_root: bool,
}

impl Chain<'_> {
    fn strs(&self) -> Vec<&str> {
        self.segs.iter().map(|s| s.as_ref()).collect()
    }
}

/// Deeper than this, `$ref`s are not followed back to their sites.
const MAX_HOPS: usize = 8;

/// Chains worked out for one name, at most: a web of references between fragments cannot make
/// naming a finding expensive.
const MAX_CHAINS: usize = 64;

/// The segments from `n`'s file root down to `n`, each with the node it leads to.
fn local_chain(set: &DocumentSet, n: NodeRef) -> Chain<'_> {
    let tree = set.tree(n.file);
    // Room for the depth of most nodes of a spec without growing.
    let mut segs: Vec<Cow<'_, str>> = Vec::with_capacity(16);
    let mut nodes: Vec<NodeRef> = Vec::with_capacity(16);
    let mut at = n.node;
    while let Some(parent) = tree.parent(at) {
        let seg = match tree.kind(parent) {
            Kind::Mapping => {
                Cow::Borrowed(tree.key_of(at).and_then(|k| tree.text(k)).unwrap_or(""))
            }
            _ => Cow::Owned(tree.index_in_parent(at).unwrap_or(0).to_string()),
        };
        segs.push(seg);
        nodes.push(NodeRef {
            file: n.file,
            node: at,
        });
        at = parent;
    }
    segs.reverse();
    nodes.reverse();
    Chain {
        segs,
        nodes,
        from_root: set.file(n.file).root,
    }
}

/// True when the segments name a reusable definition of a root document: `components/<kind>/<name>`
/// (3.x) or `definitions|parameters|responses|securityDefinitions/<name>` (2.0). 3.1 `pathItems`
/// are left out: a path item is named after the path that uses it.
fn is_named_definition(segs: &[&str]) -> bool {
    match segs {
        ["components", kind, _] => *kind != "pathItems",
        [
            "definitions" | "parameters" | "responses" | "securityDefinitions",
            _,
        ] => true,
        _ => false,
    }
}

/// The logical position of `n`: its own position when it sits in a root document (outside
/// `components/pathItems`); otherwise the position of the `$ref` that brings it in (preferring a
/// named definition, then a path), followed by the rest of its own position.
fn logical_chain<'a>(
    set: &'a DocumentSet,
    n: NodeRef,
    hops: usize,
    visiting: &mut Vec<NodeRef>,
    budget: &mut usize,
) -> Chain<'a> {
    let local = local_chain(set, n);
    if *budget == 0 {
        return local;
    }
    *budget -= 1;
    let in_path_items = local.from_root
        && local.segs.len() > 2
        && local.segs[0] == "components"
        && local.segs[1] == "pathItems";
    if (local.from_root && !in_path_items) || hops >= MAX_HOPS {
        return local;
    }
    // A fragment laid out like a document (`common.yaml#/components/schemas/Name`) names its own
    // definitions.
    let laid_out = match local.segs.first().map(|s| s.as_ref()) {
        Some("components") => local.segs.len() >= 3,
        Some("definitions") => local.segs.len() >= 2,
        _ => false,
    };
    if !local.from_root && laid_out {
        return Chain {
            from_root: true,
            ..local
        };
    }
    // The ancestors of `n` in its file (root first), any of which a `$ref` may point to.
    let file_root = set.root_node(n.file);
    let mut ancestors: Vec<NodeRef> = file_root.into_iter().collect();
    ancestors.extend(local.nodes.iter().copied());
    // `$ref` sites pointing at one of the ancestors, from outside it: (depth of the target, site).
    let mut sites: Vec<(usize, NodeRef)> = ancestors
        .iter()
        .enumerate()
        .flat_map(|(depth, &target)| {
            set.referrers(target)
                .iter()
                .map(move |&site| (depth, site, target))
        })
        .filter_map(|(depth, site, target)| {
            // A reference from inside the target (a recursive schema) cannot name it.
            let inside = site.file == target.file
                && std::iter::successors(Some(site), |s| set.parent(*s)).any(|a| a == target);
            (!inside).then_some((depth, site))
        })
        .collect();
    if in_path_items {
        // Only the path item itself (`components/pathItems/<name>`, depth 3) is named after its users.
        sites.retain(|(depth, _)| *depth == 3);
    }
    // Sites in root documents first (they are ranked from their own position), then by position.
    sites.sort_by_key(|&(depth, site)| (std::cmp::Reverse(depth), !set.file(site.file).root, site));
    // The innermost target with a usable site wins; among its sites, a named definition, then a
    // path, then any other.
    let mut at = 0;
    while at < sites.len() {
        let depth = sites[at].0;
        let group: Vec<NodeRef> = sites[at..]
            .iter()
            .take_while(|(d, _)| *d == depth)
            .map(|(_, s)| *s)
            .collect();
        at += group.len();
        if let Some(mut chain) = best_site(set, &group, hops, visiting, budget) {
            // The part of `n`'s own position below the target, which is reached after `depth`
            // segments of `local`.
            chain.segs.extend(local.segs[depth..].iter().cloned());
            chain.nodes.extend(local.nodes[depth..].iter().copied());
            return chain;
        }
    }
    local
}

/// Fragment sites followed per target, at most: enough for a fragment referenced from another
/// fragment, without letting a web of references cost more than a few walks.
const FRAGMENT_TRIES: usize = 2;

/// The logical chain of the best `$ref` site among `sites` (all pointing at the same target).
fn best_site<'a>(
    set: &'a DocumentSet,
    sites: &[NodeRef],
    hops: usize,
    visiting: &mut Vec<NodeRef>,
    budget: &mut usize,
) -> Option<Chain<'a>> {
    let mut best: Option<(u8, usize, NodeRef, Chain<'a>)> = None;
    let mut tries = 0;
    for &site in sites {
        let site_local = local_chain(set, site);
        let chain = if site_local.from_root {
            site_local
        } else if best.is_none() && tries < FRAGMENT_TRIES && !visiting.contains(&site) {
            // A site in a fragment is followed further only when nothing better has been found.
            tries += 1;
            visiting.push(site);
            let chain = logical_chain(set, site, hops + 1, visiting, budget);
            visiting.pop();
            chain
        } else {
            continue;
        };
        if !chain.from_root {
            continue;
        }
        let segs = chain.strs();
        let rank = if is_named_definition(&segs) {
            0
        } else if matches!(segs.as_slice(), ["paths" | "webhooks", ..]) {
            1
        } else {
            2
        };
        let better = match &best {
            None => true,
            Some((r, len, s, _)) => (rank, chain.segs.len(), site) < (*r, *len, *s),
        };
        if better {
            best = Some((rank, chain.segs.len(), site, chain));
        }
    }
    best.map(|(_, _, _, chain)| chain)
}

fn operation_name(method: &str, path: &str) -> String {
    format!("`{} {}`", method.to_ascii_uppercase(), path)
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn describe_segments(chain: &Chain, file: &str, set: &DocumentSet) -> String {
    let segs = &chain.segs;
    // Schema-internal suffixes first: walk from the end while the segments are schema keywords.
    let mut i = segs.len();
    // The schema-internal parts, innermost first, each followed by " of ".
    let mut out = String::new();
    while i > 0 {
        let s = &segs[i - 1];
        let prev = if i >= 2 {
            Some(segs[i - 2].as_ref())
        } else {
            None
        };
        match prev {
            Some("properties") | Some("patternProperties") => {
                let _ = write!(out, "property `{s}` of ");
                i -= 2;
            }
            Some("$defs") => {
                let _ = write!(out, "`$defs/{s}` of ");
                i -= 2;
            }
            Some("dependentSchemas") => {
                let _ = write!(out, "dependent schema `{s}` of ");
                i -= 2;
            }
            Some("allOf" | "oneOf" | "anyOf" | "prefixItems") => {
                let _ = write!(out, "{}[{s}] of ", prev.unwrap_or_default());
                i -= 2;
            }
            _ => match s.as_ref() {
                "items"
                | "additionalProperties"
                | "not"
                | "unevaluatedProperties"
                | "contains"
                | "unevaluatedItems"
                | "if"
                | "then"
                | "else" => {
                    let word = match s.as_ref() {
                        "items" => "items",
                        "additionalProperties" => "additional properties",
                        "unevaluatedProperties" => "unevaluated properties",
                        "unevaluatedItems" => "unevaluated items",
                        "contains" => "contains",
                        "if" => "`if`",
                        "then" => "`then`",
                        "else" => "`else`",
                        _ => "not",
                    };
                    out.push_str(word);
                    out.push_str(" of ");
                    i -= 1;
                }
                _ => break,
            },
        }
    }
    out.push_str(&describe_container(chain, i, file, set));
    out
}

/// Names the container made of the first `len` segments of the chain.
fn describe_container(chain: &Chain, len: usize, file: &str, set: &DocumentSet) -> String {
    let all = chain.strs();
    let s = &all[..len];
    let root = chain.from_root;
    match s {
        [] if root => "the document".to_string(),
        [] => format!("`{file}`"),
        ["components", "schemas", name, ..] | ["definitions", name, ..] if root => {
            format!("schema `{name}`")
        }
        // A shared parameter is known by its `name` and `in`, as where it is used.
        ["components", "parameters", name, ..] if root => shared_param(set, chain.nodes[2], name),
        ["components", kind, name, ..] if root => format!("`{name}` in components/{kind}"),
        // Swagger 2.0 reusable parameters, responses and security schemes, in 3.x words.
        ["parameters", name, ..] if root => shared_param(set, chain.nodes[1], name),
        ["responses", name, ..] if root => format!("`{name}` in components/responses"),
        ["securityDefinitions", name, ..] if root => {
            format!("`{name}` in components/securitySchemes")
        }
        ["paths" | "webhooks", path, ..] if root => {
            let path = if s[0] == "webhooks" {
                format!("webhook {path}")
            } else {
                path.to_string()
            };
            describe_in_path(&path, chain, 2, len, set)
        }
        ["servers", i, ..] | ["schemes", i, ..] if root => {
            format!("server {}", i.parse::<usize>().map_or(0, |v| v + 1))
        }
        ["host" | "basePath", ..] if root => "the servers".to_string(),
        [.., last] if !root => format!("`{last}` in `{file}`"),
        _ => format!("`#/{}`", s.join("/")),
    }
}

/// Names a position under a path item: `chain.segs[at..len]` is what follows the path.
fn describe_in_path(path: &str, chain: &Chain, at: usize, len: usize, set: &DocumentSet) -> String {
    let all = chain.strs();
    let rest = &all[at..len];
    match rest {
        [] => format!("path `{path}`"),
        [method, tail @ ..] if METHODS.contains(method) => {
            let op = operation_name(method, path);
            let op_node = chain.nodes[at];
            // Index in the chain of the first segment of `tail`.
            let t = at + 1;
            match tail {
                [] => op,
                ["parameters", i, more @ ..] => {
                    let p = chain.nodes[t + 1];
                    match param_location(set, p) {
                        // Swagger 2.0: the body parameter is the request body, form parameters are
                        // the properties of a form request body.
                        Some("body") if matches!(more, ["schema", ..]) => {
                            match single_media_type(set, chain, op_node, "consumes", false) {
                                Some(mt) => format!("request body ({mt}) of {op}"),
                                None => format!("request body of {op}"),
                            }
                        }
                        Some("formData") if is_v2(set, chain) => {
                            let name = param_name(set, p).unwrap_or_else(|| idx(i));
                            match single_media_type(set, chain, op_node, "consumes", true) {
                                Some(mt) => {
                                    format!("property {name} of request body ({mt}) of {op}")
                                }
                                None => format!("property {name} of request body of {op}"),
                            }
                        }
                        _ => format!("parameter {} of {op}", param(set, p, i)),
                    }
                }
                ["requestBody", "content", mt, ..] => format!("request body ({mt}) of {op}"),
                ["requestBody", ..] => format!("request body of {op}"),
                ["responses", code, "headers", h, ..] => {
                    format!("header `{h}` of the `{code}` response of {op}")
                }
                ["responses", code, "content", mt, ..] => {
                    format!("`{code}` response ({mt}) of {op}")
                }
                // Swagger 2.0: the response `schema` is its content, in each `produces` type.
                ["responses", code, "schema", ..] if is_v2(set, chain) => {
                    match single_media_type(set, chain, op_node, "produces", false) {
                        Some(mt) => format!("`{code}` response ({mt}) of {op}"),
                        None => format!("`{code}` response of {op}"),
                    }
                }
                ["responses", code, ..] => format!("`{code}` response of {op}"),
                ["responses"] => format!("responses of {op}"),
                ["security", ..] => format!("security of {op}"),
                _ => op,
            }
        }
        ["parameters", i, ..] => {
            let p = chain.nodes[at + 1];
            format!("parameter {} of path `{path}`", param(set, p, i))
        }
        _ => format!("path `{path}`"),
    }
}

/// True when the chain starts in a Swagger 2.0 document.
fn is_v2(set: &DocumentSet, chain: &Chain) -> bool {
    chain
        .nodes
        .first()
        .and_then(|n| set.version(n.file))
        .is_some_and(|v| v.is_v2())
}

/// `in` of the parameter written at `p` (following a `$ref`).
fn param_location(set: &DocumentSet, p: NodeRef) -> Option<&str> {
    let p = set.deref(p)?;
    set.get(p, "in").and_then(|v| set.str(v))
}

fn param_name(set: &DocumentSet, p: NodeRef) -> Option<String> {
    let p = set.deref(p)?;
    set.get(p, "name")
        .and_then(|v| set.str(v))
        .map(|name| format!("`{name}`"))
}

/// The one media type a 2.0 operation consumes or produces (its own list, else the document's);
/// `None` when there are none or several. With `form`, only form media types count.
fn single_media_type<'s>(
    set: &'s DocumentSet,
    chain: &Chain,
    op: NodeRef,
    field: &str,
    form: bool,
) -> Option<&'s str> {
    let list = set.get(op, field).or_else(|| {
        let root = set.root_node(chain.nodes.first()?.file)?;
        set.get(root, field)
    })?;
    let types: Vec<&str> = set
        .items(list)
        .filter_map(|n| set.str(n))
        .filter(|t| {
            !form
                || t.starts_with("multipart/form-data")
                || *t == "application/x-www-form-urlencoded"
        })
        .collect();
    match types.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// "query parameter `limit` (`Limit` in components/parameters)".
fn shared_param(set: &DocumentSet, p: NodeRef, key: &str) -> String {
    let shared = format!("`{key}` in components/parameters");
    match (param_location(set, p), param_name(set, p)) {
        (Some(location), Some(name)) => format!("{location} parameter {name} ({shared})"),
        (None, Some(name)) => format!("parameter {name} ({shared})"),
        _ => shared,
    }
}

/// Names the parameter written at `p` (its `name`), falling back to its position.
fn param(set: &DocumentSet, p: NodeRef, i: &str) -> String {
    param_name(set, p).unwrap_or_else(|| idx(i))
}

fn idx(i: &str) -> String {
    i.parse::<usize>()
        .map_or_else(|_| format!("`{i}`"), |v| format!("#{}", v + 1))
}

#[cfg(test)]
mod tests {
    use super::describe;
    use crate::document::model::tests::{load_texts, node};

    #[test]
    fn swagger_2_positions_are_named_in_3x_words() {
        let set = load_texts(&[(
            "api.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
schemes: [https]
consumes: [application/json]
produces: [application/json]
paths:
  /pets:
    post:
      parameters:
        - name: pet
          in: body
          schema:
            type: object
            properties:
              name: {type: string}
        - $ref: "#/parameters/Trace"
      responses:
        "200":
          description: ok
          schema:
            type: object
            properties:
              id: {type: string}
  /pets/{id}/photo:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: photo, in: formData, type: file, items: {type: string}}
      responses:
        default: {$ref: "#/responses/Problem"}
parameters:
  Trace: {name: X-Trace, in: header, type: string}
responses:
  Problem:
    description: problem
    schema: {$ref: "#/definitions/Problem"}
definitions:
  Problem:
    type: object
    properties:
      detail: {type: string}
securityDefinitions:
  basic: {type: basic}
"##,
        )]);
        let cases = [
            (
                "/paths/~1pets/post/parameters/0/schema/properties/name",
                "property `name` of request body (application/json) of `POST /pets`",
            ),
            (
                "/paths/~1pets/post/parameters/0/schema",
                "request body (application/json) of `POST /pets`",
            ),
            (
                "/paths/~1pets/post/responses/200/schema/properties/id",
                "property `id` of `200` response (application/json) of `POST /pets`",
            ),
            (
                "/paths/~1pets~1{id}~1photo/post/parameters/0",
                "property `photo` of request body (multipart/form-data) of `POST /pets/{id}/photo`",
            ),
            (
                "/paths/~1pets~1{id}~1photo/post/parameters/0/items",
                "items of property `photo` of request body (multipart/form-data) of `POST /pets/{id}/photo`",
            ),
            (
                "/parameters/Trace",
                "header parameter `X-Trace` (`Trace` in components/parameters)",
            ),
            (
                "/responses/Problem/schema",
                "`Problem` in components/responses",
            ),
            (
                "/definitions/Problem/properties/detail",
                "property `detail` of schema `Problem`",
            ),
            (
                "/securityDefinitions/basic",
                "`basic` in components/securitySchemes",
            ),
            ("/schemes/0", "server 1"),
        ];
        for (pointer, want) in cases {
            assert_eq!(describe(&set, node(&set, 0, pointer)), want, "{pointer}");
        }
    }

    #[test]
    fn a_3_1_path_item_component_is_named_after_the_path_that_uses_it() {
        let set = load_texts(&[(
            "api.yaml",
            r##"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items/{id}:
    $ref: "#/components/pathItems/Item"
components:
  pathItems:
    Item:
      get:
        parameters:
          - {name: q, in: query, schema: {type: string}}
        responses:
          "200": {description: ok}
    Unused:
      get:
        responses:
          "200": {description: ok}
  schemas:
    Tree:
      $defs:
        Node:
          properties:
            label: {type: string}
"##,
        )]);
        let cases = [
            (
                "/components/pathItems/Item/get/parameters/0/schema",
                "parameter `q` of `GET /items/{id}`",
            ),
            (
                "/components/pathItems/Item/get/responses/200",
                "`200` response of `GET /items/{id}`",
            ),
            (
                "/components/pathItems/Unused/get",
                "`Unused` in components/pathItems",
            ),
            (
                "/components/schemas/Tree/$defs/Node/properties/label",
                "property `label` of `$defs/Node` of schema `Tree`",
            ),
        ];
        for (pointer, want) in cases {
            assert_eq!(describe(&set, node(&set, 0, pointer)), want, "{pointer}");
        }
    }

    #[test]
    fn split_files_are_named_as_in_the_bundled_document() {
        let set = load_texts(&[
            (
                "api/openapi.yaml",
                r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    $ref: "./paths/items.yaml"
components:
  schemas:
    Item:
      $ref: "./schemas/item.yaml"
"##,
            ),
            (
                "api/paths/items.yaml",
                r##"post:
  requestBody:
    content:
      application/json:
        schema:
          $ref: "../schemas/item.yaml"
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema:
            $ref: "../schemas/common.yaml#/components/schemas/Page"
    "400":
      $ref: "../schemas/direct.yaml"
put:
  requestBody:
    content:
      application/json:
        schema:
          $ref: "../schemas/tree.yaml"
  responses:
    "204":
      description: ok
"##,
            ),
            (
                "api/schemas/tree.yaml",
                "type: object\nproperties:\n  label: {type: string}\n  children:\n    type: array\n    items: {$ref: \"#\"}\n",
            ),
            (
                "api/schemas/item.yaml",
                "type: object\nproperties:\n  name: {type: string}\n",
            ),
            (
                "api/schemas/common.yaml",
                "components:\n  schemas:\n    Page:\n      properties:\n        next: {type: string}\n",
            ),
            ("api/schemas/direct.yaml", "description: bad\n"),
        ]);
        let file = |name: &str| {
            set.files
                .iter()
                .position(|f| f.path.ends_with(&format!("/{name}")))
                .unwrap_or_else(|| panic!("{name} was loaded"))
        };
        let cases = [
            (
                file("items.yaml"),
                "/post/requestBody/content/application~1json/schema",
                "request body (application/json) of `POST /items`",
            ),
            (
                file("item.yaml"),
                "/properties/name",
                "property `name` of schema `Item`",
            ),
            (
                file("common.yaml"),
                "/components/schemas/Page/properties/next",
                "property `next` of schema `Page`",
            ),
            (file("direct.yaml"), "", "`400` response of `POST /items`"),
            // Recursive: the reference from inside does not name it, the one from the path does.
            (
                file("tree.yaml"),
                "/properties/children/items",
                "items of property `children` of request body (application/json) of `PUT /items`",
            ),
            (
                file("tree.yaml"),
                "/properties/label",
                "property `label` of request body (application/json) of `PUT /items`",
            ),
        ];
        for (f, pointer, want) in cases {
            assert_eq!(describe(&set, node(&set, f, pointer)), want, "{pointer}");
        }
    }
}

//! Typed views over the span tree: small `Copy` handles (document set + node) whose accessors read
//! the tree on demand, follow `$ref`s (remembering where the reference was written), and hide the
//! differences between Swagger 2.0, OpenAPI 3.0 and 3.1. A node of the wrong shape reads as absent.

use std::borrow::Cow;

use super::{DocumentSet, FileId, NodeRef, Version};
use crate::source::Kind;

/// What every view carries: the set, the version of the document being linted, and its root file.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    pub set: &'a DocumentSet,
    pub version: Version,
    pub root: FileId,
}

impl<'a> Cx<'a> {
    /// Follows references from `site`: `(definition, site)`; `None` when the reference is broken.
    pub fn resolve(self, site: NodeRef) -> Option<(NodeRef, NodeRef)> {
        self.set.deref(site).map(|node| (node, site))
    }

    fn field(self, n: NodeRef, key: &str) -> Option<NodeRef> {
        self.set.get(n, key)
    }

    fn field_str(self, n: NodeRef, key: &str) -> Option<&'a str> {
        self.set.get(n, key).and_then(|v| self.set.str(v))
    }

    fn mapping(self, n: NodeRef) -> Option<NodeRef> {
        (self.set.kind(n) == Kind::Mapping).then_some(n)
    }

    /// `(key text, key, value)` of a mapping field.
    fn entries(self, n: Option<NodeRef>) -> Vec<(&'a str, NodeRef, NodeRef)> {
        match n {
            Some(n) => self.set.fields(n).collect(),
            None => Vec::new(),
        }
    }
}

macro_rules! view {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            pub cx: Cx<'a>,
            /// The definition (after following `$ref`s).
            pub node: NodeRef,
            /// Where it is used: the `$ref` mapping, or the definition itself when written inline.
            pub site: NodeRef,
        }

        impl<'a> $name<'a> {
            /// Views the node at `site`, following `$ref`s. `None` when the reference is broken.
            pub fn at(cx: Cx<'a>, site: NodeRef) -> Option<Self> {
                let (node, site) = cx.resolve(site)?;
                Some($name { cx, node, site })
            }

            /// True when the view was reached through a `$ref`.
            pub fn via_ref(&self) -> bool {
                self.node != self.site
            }

            pub fn set(&self) -> &'a DocumentSet {
                self.cx.set
            }

            pub fn version(&self) -> Version {
                self.cx.version
            }

            /// An `x-` extension written on the object (on its definition, not on a `$ref` to it).
            pub fn extension(&self, name: &str) -> Option<NodeRef> {
                if name.starts_with("x-") {
                    self.get(name)
                } else {
                    None
                }
            }

            #[allow(dead_code)]
            fn get(&self, key: &str) -> Option<NodeRef> {
                self.cx.field(self.node, key)
            }

            #[allow(dead_code)]
            fn get_str(&self, key: &str) -> Option<&'a str> {
                self.cx.field_str(self.node, key)
            }
        }
    };
}

view!(
    /// The root of an OpenAPI or Swagger document.
    Document
);
view!(PathItem);
view!(Operation);
view!(Parameter);
view!(RequestBody);
view!(Response);
view!(Header);
view!(Schema);
view!(SecurityScheme);
view!(Server);

impl<'a> Document<'a> {
    pub fn new(set: &'a DocumentSet, root: FileId) -> Option<Document<'a>> {
        let version = set.version(root)?;
        let node = set.root_node(root)?;
        let cx = Cx { set, version, root };
        cx.mapping(node)?;
        Some(Document {
            cx,
            node,
            site: node,
        })
    }

    /// `(path template, key, item)` for every entry of `paths`.
    pub fn paths(&self) -> Vec<(&'a str, NodeRef, PathItem<'a>)> {
        self.path_items(self.get("paths"))
    }

    /// OpenAPI 3.1 `webhooks`: `(name, key, item)`.
    pub fn webhooks(&self) -> Vec<(&'a str, NodeRef, PathItem<'a>)> {
        if self.version() != Version::V31 {
            return Vec::new();
        }
        self.path_items(self.get("webhooks"))
    }

    fn path_items(&self, map: Option<NodeRef>) -> Vec<(&'a str, NodeRef, PathItem<'a>)> {
        self.each_path_item(map).collect()
    }

    /// How many operations the path items under `paths` hold (counted once per document).
    pub fn operation_count(&self) -> usize {
        self.cx.set.operations_under(self.node, || {
            self.each_path()
                .map(|(_, _, item)| item.each_operation().count())
                .sum()
        })
    }

    /// [`paths`](Self::paths), one at a time.
    pub fn each_path(&self) -> impl Iterator<Item = (&'a str, NodeRef, PathItem<'a>)> + 'a {
        self.each_path_item(self.get("paths"))
    }

    fn each_path_item(
        &self,
        map: Option<NodeRef>,
    ) -> impl Iterator<Item = (&'a str, NodeRef, PathItem<'a>)> + 'a {
        let cx = self.cx;
        map.into_iter()
            .flat_map(move |n| cx.set.fields(n))
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(move |(k, key, v)| Some((k, key, PathItem::at(cx, v)?)))
            .filter(move |(_, _, item)| cx.mapping(item.node).is_some())
    }

    /// The mapping that holds security schemes (`components/securitySchemes`, 2.0 `securityDefinitions`).
    pub fn security_schemes_node(&self) -> Option<NodeRef> {
        self.components_node(ComponentKind::SecuritySchemes)
    }

    /// `(name, key, scheme)` of every defined security scheme.
    pub fn security_schemes(&self) -> Vec<(&'a str, NodeRef, SecurityScheme<'a>)> {
        self.cx
            .entries(self.security_schemes_node())
            .into_iter()
            .filter_map(|(k, key, v)| Some((k, key, SecurityScheme::at(self.cx, v)?)))
            .collect()
    }

    pub fn security_scheme(&self, name: &str) -> Option<SecurityScheme<'a>> {
        let map = self.security_schemes_node()?;
        SecurityScheme::at(self.cx, self.cx.field(map, name)?)
    }

    /// The root `security` field.
    pub fn security(&self) -> Option<SecurityRequirements<'a>> {
        SecurityRequirements::at(self.cx, self.get("security")?)
    }

    /// Servers: 3.x `servers` entries; 2.0 one per `schemes` entry (with `host` and `basePath`).
    pub fn servers(&self) -> Vec<Server<'a>> {
        match self.version() {
            Version::V2 => match self.get("schemes") {
                Some(schemes) => self
                    .cx
                    .set
                    .items(schemes)
                    .filter(|&s| self.cx.set.kind(s) == Kind::Str)
                    .filter_map(|s| Server::at(self.cx, s))
                    .collect(),
                // No `schemes`: the scheme is the one the document was fetched with, so the
                // server is the scheme-relative `//host/basePath` (or just `basePath`).
                None => self
                    .get("host")
                    .or_else(|| self.get("basePath"))
                    .filter(|&n| self.cx.set.kind(n) == Kind::Str)
                    .and_then(|n| Server::at(self.cx, n))
                    .into_iter()
                    .collect(),
            },
            _ => match self.get("servers") {
                Some(list) => self
                    .cx
                    .set
                    .items(list)
                    .filter_map(|s| Server::at(self.cx, s))
                    .collect(),
                None => Vec::new(),
            },
        }
    }

    /// The mapping of named schemas (`components/schemas`, 2.0 `definitions`).
    pub fn schemas_node(&self) -> Option<NodeRef> {
        self.components_node(ComponentKind::Schemas)
    }

    /// The mapping of one kind of reusable definition, in 3.x words: `components/<kind>`; in 2.0
    /// `definitions`, `parameters`, `responses` and `securityDefinitions` (the other kinds do not
    /// exist there); `pathItems` only in 3.1.
    pub fn components_node(&self, kind: ComponentKind) -> Option<NodeRef> {
        match self.version() {
            Version::V2 => match kind {
                ComponentKind::Schemas => self.get("definitions"),
                ComponentKind::Parameters => self.get("parameters"),
                ComponentKind::Responses => self.get("responses"),
                ComponentKind::SecuritySchemes => self.get("securityDefinitions"),
                _ => None,
            },
            Version::V30 if kind == ComponentKind::PathItems => None,
            _ => self
                .get("components")
                .and_then(|c| self.cx.mapping(c))
                .and_then(|c| self.cx.field(c, kind.key())),
        }
    }

    /// Where definitions of a kind are written, as the author of this document would name the
    /// field in a message: `components.schemas` (3.x); `definitions`, `parameters`, `responses`,
    /// `securityDefinitions` (2.0).
    pub fn components_field(&self, kind: ComponentKind) -> &'static str {
        match (self.version(), kind) {
            (Version::V2, ComponentKind::Schemas) => "definitions",
            (Version::V2, ComponentKind::Parameters) => "parameters",
            (Version::V2, ComponentKind::Responses) => "responses",
            (Version::V2, ComponentKind::SecuritySchemes) => "securityDefinitions",
            (_, kind) => kind.field(),
        }
    }

    /// `(name, key, definition)` of one kind of reusable definition (`$ref`s followed; `x-` entries
    /// left out).
    pub fn components(&self, kind: ComponentKind) -> Vec<(&'a str, NodeRef, NodeRef)> {
        self.cx
            .entries(self.components_node(kind).and_then(|m| self.cx.mapping(m)))
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(|(k, key, v)| Some((k, key, self.cx.resolve(v)?.0)))
            .collect()
    }

    /// Reusable parameters (`components/parameters`, 2.0 `parameters`).
    pub fn component_parameters(&self) -> Vec<(&'a str, NodeRef, Parameter<'a>)> {
        self.component_views(ComponentKind::Parameters, Parameter::at)
    }

    /// Reusable responses (`components/responses`, 2.0 `responses`).
    pub fn component_responses(&self) -> Vec<(&'a str, NodeRef, Response<'a>)> {
        self.component_views(ComponentKind::Responses, Response::at)
    }

    fn component_views<T>(
        &self,
        kind: ComponentKind,
        view: fn(Cx<'a>, NodeRef) -> Option<T>,
    ) -> Vec<(&'a str, NodeRef, T)> {
        self.cx
            .entries(self.components_node(kind))
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(|(k, key, v)| Some((k, key, view(self.cx, v)?)))
            .collect()
    }

    /// 3.1 `components/pathItems`: `(name, key, item)`.
    pub fn component_path_items(&self) -> Vec<(&'a str, NodeRef, PathItem<'a>)> {
        self.path_items(self.components_node(ComponentKind::PathItems))
    }

    /// `(name, key, schema)` of every named schema.
    pub fn schemas(&self) -> Vec<(&'a str, NodeRef, Schema<'a>)> {
        self.cx
            .entries(self.schemas_node())
            .into_iter()
            .filter_map(|(k, key, v)| Some((k, key, Schema::at(self.cx, v)?)))
            .collect()
    }

    /// The document-wide `consumes`/`produces` (2.0).
    pub fn media_types(&self, field: &str) -> Vec<&'a str> {
        self.get(field)
            .map(|l| {
                self.cx
                    .set
                    .items(l)
                    .filter_map(|n| self.cx.set.str(n))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The kinds of reusable definitions, named as under 3.x `components`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ComponentKind {
    Schemas,
    Responses,
    Parameters,
    Examples,
    RequestBodies,
    Headers,
    SecuritySchemes,
    Links,
    Callbacks,
    /// 3.1 only.
    PathItems,
}

impl ComponentKind {
    /// The 3.x field, dotted: `components.schemas`.
    pub fn field(self) -> &'static str {
        match self {
            ComponentKind::Schemas => "components.schemas",
            ComponentKind::Responses => "components.responses",
            ComponentKind::Parameters => "components.parameters",
            ComponentKind::Examples => "components.examples",
            ComponentKind::RequestBodies => "components.requestBodies",
            ComponentKind::Headers => "components.headers",
            ComponentKind::SecuritySchemes => "components.securitySchemes",
            ComponentKind::Links => "components.links",
            ComponentKind::Callbacks => "components.callbacks",
            ComponentKind::PathItems => "components.pathItems",
        }
    }

    /// The key under `components`.
    pub fn key(self) -> &'static str {
        match self {
            ComponentKind::Schemas => "schemas",
            ComponentKind::Responses => "responses",
            ComponentKind::Parameters => "parameters",
            ComponentKind::Examples => "examples",
            ComponentKind::RequestBodies => "requestBodies",
            ComponentKind::Headers => "headers",
            ComponentKind::SecuritySchemes => "securitySchemes",
            ComponentKind::Links => "links",
            ComponentKind::Callbacks => "callbacks",
            ComponentKind::PathItems => "pathItems",
        }
    }
}

/// HTTP methods that an operation can be written under.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> PathItem<'a> {
    /// `(method, key, operation)` in source order.
    pub fn operations(&self) -> Vec<(&'a str, NodeRef, Operation<'a>)> {
        self.each_operation().collect()
    }

    /// [`operations`](Self::operations), one at a time.
    pub fn each_operation(&self) -> impl Iterator<Item = (&'a str, NodeRef, Operation<'a>)> + 'a {
        let cx = self.cx;
        self.cx
            .mapping(self.node)
            .into_iter()
            .flat_map(move |n| cx.set.fields(n))
            .filter(|(k, _, _)| METHODS.contains(k))
            .filter_map(move |(k, key, v)| Some((k, key, Operation::at(cx, v)?)))
            .filter(move |(_, _, op)| cx.mapping(op.node).is_some())
    }

    /// Path-level parameters.
    /// In 2.0 an `in: body` parameter is the request body, not a parameter, so it is left out
    /// (see [`Operation::request_body`]).
    pub fn parameters(&self) -> Vec<Parameter<'a>> {
        without_body(parameters(self.cx, self.get("parameters")))
    }

    /// 3.x path-level `servers` entries (they replace the document's for this path); empty for 2.0.
    pub fn servers(&self) -> Vec<Server<'a>> {
        server_list(self.cx, self.get("servers"))
    }
}

/// The entries of a 3.x `servers` list (none in 2.0, whose servers come from `schemes`).
fn server_list(cx: Cx<'_>, list: Option<NodeRef>) -> Vec<Server<'_>> {
    match list {
        Some(l) if !cx.version.is_v2() => cx
            .set
            .items(l)
            .filter_map(|s| Server::at(cx, s))
            .filter(|s| cx.mapping(s.node).is_some())
            .collect(),
        _ => Vec::new(),
    }
}

/// Leaves out 2.0 `in: body` parameters, which the views present as request bodies.
/// Leaves out what 3.x calls the request body: 2.0 `in: body` and `in: formData` parameters.
fn without_body(list: Vec<Parameter<'_>>) -> Vec<Parameter<'_>> {
    list.into_iter()
        .filter(|p| {
            !(p.version().is_v2()
                && matches!(p.location(), ParamLocation::Body | ParamLocation::FormData))
        })
        .collect()
}

fn parameters(cx: Cx<'_>, list: Option<NodeRef>) -> Vec<Parameter<'_>> {
    match list {
        Some(l) => cx
            .set
            .items(l)
            .filter_map(|p| Parameter::at(cx, p))
            .filter(|p| cx.mapping(p.node).is_some())
            .collect(),
        None => Vec::new(),
    }
}

impl<'a> Operation<'a> {
    pub fn operation_id(&self) -> Option<&'a str> {
        self.get_str("operationId")
    }

    /// The operation's own `security` (not inherited).
    pub fn security(&self) -> Option<SecurityRequirements<'a>> {
        SecurityRequirements::at(self.cx, self.get("security")?)
    }

    /// The operation's parameters merged with its path item's (an operation-level parameter overrides
    /// a path-level one with the same name and location). 2.0 `in: body` and `in: formData`
    /// parameters are not among them: they are the [request body](Operation::request_body).
    pub fn parameters(&self, item: &PathItem<'a>) -> Vec<Parameter<'a>> {
        without_body(self.merged_parameters(item))
    }

    /// Path-level then operation-level parameters, overridden ones left out, 2.0 body included.
    fn merged_parameters(&self, item: &PathItem<'a>) -> Vec<Parameter<'a>> {
        let own = parameters(self.cx, self.get("parameters"));
        let mut all: Vec<Parameter<'a>> = parameters(self.cx, item.get("parameters"))
            .into_iter()
            .filter(|p| {
                !own.iter()
                    .any(|o| o.name() == p.name() && o.location_raw() == p.location_raw())
            })
            .collect();
        all.extend(own);
        all
    }

    /// The fields of a 2.0 form body (`in: formData` parameters); empty for 3.x, where a form is a
    /// `requestBody` with an object schema.
    pub fn form_fields(&self, item: &PathItem<'a>) -> Vec<Parameter<'a>> {
        if !self.version().is_v2() {
            return Vec::new();
        }
        self.merged_parameters(item)
            .into_iter()
            .filter(|p| p.location() == ParamLocation::FormData)
            .collect()
    }

    /// The request body: 3.x `requestBody`; 2.0 the `in: body` parameter (the operation's, else
    /// the path item's), or, for a form, the operation itself (its fields are
    /// [`form_fields`](Operation::form_fields)).
    pub fn request_body(&self, item: &PathItem<'a>) -> Option<RequestBody<'a>> {
        match self.version() {
            Version::V2 => {
                // The operation's own body parameter wins over a path-level one.
                let body = self
                    .merged_parameters(item)
                    .into_iter()
                    .rfind(|p| p.location() == ParamLocation::Body);
                match body {
                    Some(body) => Some(RequestBody {
                        cx: self.cx,
                        node: body.node,
                        site: body.site,
                    }),
                    None if !self.form_fields(item).is_empty() => Some(RequestBody {
                        cx: self.cx,
                        node: self.node,
                        site: self.node,
                    }),
                    None => None,
                }
            }
            _ => RequestBody::at(self.cx, self.get("requestBody")?),
        }
    }

    /// `(status code, key, response)` in source order (`x-` entries left out).
    pub fn responses(&self) -> Vec<(&'a str, NodeRef, Response<'a>)> {
        self.cx
            .entries(self.get("responses").and_then(|r| self.cx.mapping(r)))
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(|(k, key, v)| Some((k, key, Response::at(self.cx, v)?)))
            .collect()
    }

    pub fn responses_node(&self) -> Option<NodeRef> {
        self.get("responses")
    }

    /// 3.x callbacks: `(callback name, expression, path item)`.
    pub fn callbacks(&self) -> Vec<(&'a str, &'a str, NodeRef, PathItem<'a>)> {
        if self.version().is_v2() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (name, _, cb) in self.cx.entries(self.get("callbacks")) {
            let Some((cb, _)) = self.cx.resolve(cb) else {
                continue;
            };
            for (expr, key, item) in self.cx.entries(self.cx.mapping(cb)) {
                if expr.starts_with("x-") {
                    continue;
                }
                if let Some(item) = PathItem::at(self.cx, item) {
                    out.push((name, expr, key, item));
                }
            }
        }
        out
    }

    /// Media types the operation accepts or returns in 2.0 (`consumes`/`produces`, falling back to the root).
    pub fn media_types(&self, field: &str) -> Vec<&'a str> {
        if let Some(l) = self.get(field) {
            return self
                .cx
                .set
                .items(l)
                .filter_map(|n| self.cx.set.str(n))
                .collect();
        }
        Document::new(self.cx.set, self.cx.root)
            .map(|d| d.media_types(field))
            .unwrap_or_default()
    }

    /// The operation's own servers: 3.x `servers` entries; 2.0 one per entry of the operation's
    /// `schemes` (with the document's `host` and `basePath`). Empty when it has none of its own.
    pub fn servers(&self) -> Vec<Server<'a>> {
        if !self.version().is_v2() {
            return server_list(self.cx, self.get("servers"));
        }
        match self.get("schemes") {
            Some(schemes) => self
                .cx
                .set
                .items(schemes)
                .filter(|&s| self.cx.set.kind(s) == Kind::Str)
                .filter_map(|s| Server::at(self.cx, s))
                .collect(),
            None => Vec::new(),
        }
    }

    /// `deprecated: true`.
    pub fn deprecated(&self) -> bool {
        self.get("deprecated")
            .and_then(|v| self.cx.set.tree(v.file).as_bool(v.node))
            == Some(true)
    }
}

/// Where a parameter travels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamLocation {
    Query,
    Header,
    Path,
    Cookie,
    /// 2.0 `in: body`.
    Body,
    /// 2.0 `in: formData`.
    FormData,
    Other,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Path => "path",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Body => "body",
            ParamLocation::FormData => "form",
            ParamLocation::Other => "",
        }
    }
}

impl<'a> Parameter<'a> {
    pub fn name(&self) -> Option<&'a str> {
        self.get_str("name")
    }

    fn location_raw(&self) -> Option<&'a str> {
        self.get_str("in")
    }

    pub fn location(&self) -> ParamLocation {
        match self.location_raw() {
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("path") => ParamLocation::Path,
            Some("cookie") => ParamLocation::Cookie,
            Some("body") => ParamLocation::Body,
            Some("formData") => ParamLocation::FormData,
            _ => ParamLocation::Other,
        }
    }

    pub fn required(&self) -> bool {
        self.get("required")
            .and_then(|v| self.cx.set.tree(v.file).as_bool(v.node))
            == Some(true)
    }

    /// The parameter's schema: 3.x `schema` (or the schema of its single `content` entry);
    /// 2.0 `schema` for body parameters and the parameter itself (`type`, `maxLength`...) for the rest.
    pub fn schema(&self) -> Option<Schema<'a>> {
        let inline = self.version().is_v2() && self.location() != ParamLocation::Body;
        schema_of(self.cx, self.node, inline)
    }

    /// How the value is serialised, in 3.x words: `style` (or its default for the location);
    /// for 2.0 the `collectionFormat` of an array (`csv` reads as `form` in a query or form and as
    /// `simple` in a path or header, `ssv` as `spaceDelimited`, `pipes` as `pipeDelimited`, `multi`
    /// as exploded `form`; `tsv`, which 3.x cannot say, as `tabDelimited`).
    pub fn style(&self) -> &'a str {
        let by_location = match self.location() {
            ParamLocation::Query | ParamLocation::Cookie | ParamLocation::FormData => "form",
            _ => "simple",
        };
        if self.version().is_v2() {
            return match self.get_str("collectionFormat") {
                Some("ssv") => "spaceDelimited",
                Some("tsv") => "tabDelimited",
                Some("pipes") => "pipeDelimited",
                _ => by_location,
            };
        }
        self.get_str("style").unwrap_or(by_location)
    }

    /// Whether array and object values are exploded: 3.x `explode` (default: true for `form`);
    /// 2.0 true only for `collectionFormat: multi`.
    pub fn explode(&self) -> bool {
        if self.version().is_v2() {
            return self.get_str("collectionFormat") == Some("multi");
        }
        match self
            .get("explode")
            .and_then(|v| self.cx.set.tree(v.file).as_bool(v.node))
        {
            Some(b) => b,
            None => self.style() == "form",
        }
    }

    /// The key node `in` (for findings about where the parameter travels).
    pub fn location_node(&self) -> Option<NodeRef> {
        self.get("in")
    }

    pub fn name_node(&self) -> Option<NodeRef> {
        self.get("name")
    }

    /// "query parameter `limit`".
    pub fn label(&self) -> String {
        let loc = self.location();
        let name = self.name().unwrap_or("?");
        match loc {
            ParamLocation::Other => format!("parameter `{name}`"),
            ParamLocation::Body => format!("body parameter `{name}`"),
            ParamLocation::FormData => format!("form parameter `{name}`"),
            _ => format!("{} parameter `{name}`", loc.as_str()),
        }
    }

    /// The parameter's `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.get_str("description")
    }
}

/// A request or response payload in one media type.
#[derive(Clone, Copy)]
pub struct MediaType<'a> {
    pub name: &'a str,
    /// The media type object (3.x), or the node that holds the schema (2.0 body parameter, response).
    pub node: NodeRef,
    pub schema: Option<Schema<'a>>,
    /// The site of the schema (where `schema:` is written).
    pub schema_site: Option<NodeRef>,
}

fn media_types_3<'a>(cx: Cx<'a>, content: Option<NodeRef>) -> Vec<MediaType<'a>> {
    cx.entries(content)
        .into_iter()
        .filter_map(|(name, _, v)| {
            let (node, _) = cx.resolve(v)?;
            let schema_site = cx.field(node, "schema");
            Some(MediaType {
                name,
                node,
                schema: schema_site.and_then(|s| Schema::at(cx, s)),
                schema_site,
            })
        })
        .collect()
}

fn media_types_2<'a>(cx: Cx<'a>, holder: NodeRef, types: Vec<&'a str>) -> Vec<MediaType<'a>> {
    let Some(site) = cx.field(holder, "schema") else {
        return Vec::new();
    };
    let schema = Schema::at(cx, site);
    let names = if types.is_empty() { vec![""] } else { types };
    names
        .into_iter()
        .map(|name| MediaType {
            name,
            node: holder,
            schema,
            schema_site: Some(site),
        })
        .collect()
}

impl<'a> RequestBody<'a> {
    /// True for a 2.0 form body, whose fields are the operation's `in: formData` parameters.
    pub fn is_form(&self) -> bool {
        self.version().is_v2() && self.get("in").is_none()
    }

    /// Media types and their schemas. For 2.0, one per `consumes` entry of the operation; a form
    /// body has no schema of its own (its fields carry theirs).
    pub fn content(&self, op: &Operation<'a>) -> Vec<MediaType<'a>> {
        match self.version() {
            Version::V2 if self.is_form() => {
                let mut types = op.media_types("consumes");
                if types.is_empty() {
                    types.push("application/x-www-form-urlencoded");
                }
                types
                    .into_iter()
                    .map(|name| MediaType {
                        name,
                        node: self.node,
                        schema: None,
                        schema_site: None,
                    })
                    .collect()
            }
            Version::V2 => media_types_2(self.cx, self.node, op.media_types("consumes")),
            _ => media_types_3(self.cx, self.get("content")),
        }
    }

    pub fn required(&self) -> bool {
        self.get("required")
            .and_then(|v| self.cx.set.tree(v.file).as_bool(v.node))
            == Some(true)
    }
}

impl<'a> Response<'a> {
    /// `(name, key, header)` of the response's headers.
    pub fn headers(&self) -> Vec<(&'a str, NodeRef, Header<'a>)> {
        self.cx
            .entries(self.get("headers"))
            .into_iter()
            .filter_map(|(k, key, v)| Some((k, key, Header::at(self.cx, v)?)))
            .collect()
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.headers()
            .iter()
            .any(|(h, _, _)| h.eq_ignore_ascii_case(name))
    }

    /// Media types and their schemas; for 2.0 one per `produces` entry, with the response `schema`.
    pub fn content(&self, op: &Operation<'a>) -> Vec<MediaType<'a>> {
        match self.version() {
            Version::V2 => media_types_2(self.cx, self.node, op.media_types("produces")),
            _ => media_types_3(self.cx, self.get("content")),
        }
    }

    /// How the author of this document declares a response body, for help texts: `` `schema` ``
    /// (2.0) or `` `content` with a `schema` `` (3.x).
    pub fn body_field(&self) -> &'static str {
        if self.version().is_v2() {
            "`schema`"
        } else {
            "`content` with a `schema`"
        }
    }

    /// True when the response declares a body at all (`content` in 3.x, `schema` in 2.0), even an empty one.
    pub fn declares_content(&self) -> bool {
        match self.version() {
            Version::V2 => self.get("schema").is_some(),
            _ => self.get("content").is_some(),
        }
    }
}

impl<'a> Header<'a> {
    /// 3.x: the `schema` (or `content`'s); 2.0: the header itself is schema-like.
    pub fn schema(&self) -> Option<Schema<'a>> {
        schema_of(self.cx, self.node, self.version().is_v2())
    }
}

/// The schema of a parameter or header: the node itself when it is schema-like (2.0), else its
/// `schema`, else the schema of its single `content` entry (3.x).
fn schema_of<'a>(cx: Cx<'a>, node: NodeRef, inline: bool) -> Option<Schema<'a>> {
    if inline {
        return Some(Schema {
            cx,
            node,
            site: node,
        });
    }
    if let Some(s) = cx.field(node, "schema") {
        return Schema::at(cx, s);
    }
    let content = cx.field(node, "content")?;
    let (_, _, mt) = cx.set.fields(content).next()?;
    Schema::at(cx, cx.field(mt, "schema")?)
}

/// The JSON Schema types a schema allows.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Types(u8);

impl Types {
    pub const STRING: Types = Types(1);
    pub const NUMBER: Types = Types(2);
    pub const INTEGER: Types = Types(4);
    pub const BOOLEAN: Types = Types(8);
    pub const ARRAY: Types = Types(16);
    pub const OBJECT: Types = Types(32);
    pub const NULL: Types = Types(64);

    pub fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn insert(&mut self, other: Types) {
        self.0 |= other.0;
    }

    fn parse(word: &str) -> Types {
        match word {
            "string" => Types::STRING,
            "number" => Types::NUMBER,
            "integer" => Types::INTEGER,
            "boolean" => Types::BOOLEAN,
            "array" => Types::ARRAY,
            "object" => Types::OBJECT,
            "null" => Types::NULL,
            _ => Types(0),
        }
    }
}

/// The keywords [`Schema::subschemas`] follows.
const SUBSCHEMA_KEYWORD_NAMES: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "items",
    "prefixItems",
    "additionalProperties",
    "unevaluatedProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "contains",
];

/// The union of the key bits of [`SUBSCHEMA_KEYWORD_NAMES`]: a mapping whose key mask has none of
/// them has no subschema.
const SUBSCHEMA_KEYWORDS: u64 = {
    let mut mask = 0;
    let mut i = 0;
    while i < SUBSCHEMA_KEYWORD_NAMES.len() {
        mask |= crate::source::key_bit(SUBSCHEMA_KEYWORD_NAMES[i]);
        i += 1;
    }
    mask
};

/// How one schema leads to another.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Edge<'a> {
    Property(&'a str),
    PatternProperty(&'a str),
    Items,
    PrefixItems(usize),
    AdditionalProperties,
    UnevaluatedProperties,
    AllOf(usize),
    AnyOf(usize),
    OneOf(usize),
    Not,
    Contains,
    /// 3.1 `dependentSchemas` entry.
    DependentSchema(&'a str),
    /// 3.1 `if`.
    If,
    /// 3.1 `then`.
    Then,
    /// 3.1 `else`.
    Else,
    /// 3.1 `unevaluatedItems`.
    UnevaluatedItems,
}

impl<'a> Schema<'a> {
    /// A keyword of the schema. In 3.1 a keyword written beside `$ref` applies too, and wins.
    pub fn keyword(&self, key: &str) -> Option<NodeRef> {
        if self.via_ref()
            && self.version() == Version::V31
            && let Some(v) = self.cx.field(self.site, key)
        {
            return Some(v);
        }
        self.get(key)
    }

    fn keyword_u64(&self, key: &str) -> Option<u64> {
        let v = self.keyword(key)?;
        self.cx.set.tree(v.file).as_u64(v.node)
    }

    fn keyword_f64(&self, key: &str) -> Option<f64> {
        let v = self.keyword(key)?;
        self.cx.set.tree(v.file).as_f64(v.node)
    }

    fn keyword_bool(&self, key: &str) -> bool {
        self.keyword(key)
            .and_then(|v| self.cx.set.tree(v.file).as_bool(v.node))
            == Some(true)
    }

    /// True for a 2.0 `type: file` (a form upload), which reads as 3.x `type: string`,
    /// `format: binary`.
    fn is_v2_file(&self) -> bool {
        self.version().is_v2()
            && self.keyword("type").and_then(|t| self.cx.set.str(t)) == Some("file")
    }

    /// Declared types: 3.0/2.0 `type` (+ `nullable`/`x-nullable`), 3.1 `type` string or list;
    /// 2.0 `file` is a string. Empty when the schema declares no type.
    pub fn types(&self) -> Types {
        let mut t = Types::default();
        if self.is_v2_file() {
            t.insert(Types::STRING);
        }
        if let Some(ty) = self.keyword("type") {
            match self.cx.set.kind(ty) {
                Kind::Str => t.insert(Types::parse(self.cx.set.str(ty).unwrap_or(""))),
                Kind::Sequence => {
                    for item in self.cx.set.items(ty) {
                        t.insert(Types::parse(self.cx.set.str(item).unwrap_or("")));
                    }
                }
                _ => {}
            }
        }
        if self.keyword_bool("nullable") || self.keyword_bool("x-nullable") {
            t.insert(Types::NULL);
        }
        t
    }

    /// The `type` node (a string, or a 3.1 list).
    pub fn type_node(&self) -> Option<NodeRef> {
        self.keyword("type")
    }

    pub fn is_string(&self) -> bool {
        self.types().contains(Types::STRING)
    }

    /// `format`; `binary` for a 2.0 `type: file`.
    pub fn format(&self) -> Option<&'a str> {
        match self.keyword("format").and_then(|v| self.cx.set.str(v)) {
            Some(f) => Some(f),
            None if self.is_v2_file() => Some("binary"),
            None => None,
        }
    }

    pub fn max_length(&self) -> Option<u64> {
        self.keyword_u64("maxLength")
    }

    pub fn min_length(&self) -> Option<u64> {
        self.keyword_u64("minLength")
    }

    pub fn pattern(&self) -> Option<&'a str> {
        self.keyword("pattern").and_then(|v| self.cx.set.str(v))
    }

    pub fn maximum(&self) -> Option<f64> {
        self.keyword_f64("maximum")
            .or_else(|| self.keyword_f64("exclusiveMaximum"))
    }

    pub fn minimum(&self) -> Option<f64> {
        self.keyword_f64("minimum")
            .or_else(|| self.keyword_f64("exclusiveMinimum"))
    }

    pub fn max_items(&self) -> Option<u64> {
        self.keyword_u64("maxItems")
    }

    /// `enum` with at least one value.
    pub fn has_enum(&self) -> bool {
        self.keyword("enum")
            .is_some_and(|e| self.cx.set.items(e).next().is_some())
    }

    /// 3.1 `const` (also accepted elsewhere: it bounds the value all the same).
    pub fn has_const(&self) -> bool {
        self.keyword("const").is_some()
    }

    pub fn read_only(&self) -> bool {
        self.keyword_bool("readOnly")
    }

    pub fn write_only(&self) -> bool {
        self.keyword_bool("writeOnly")
    }

    /// `(name, key, property schema)`.
    /// For 3.1, where `$ref` may have sibling keywords that apply together with the definition:
    /// the sibling value of `key` when there is one, else `None`.
    fn sibling(&self, key: &str) -> Option<NodeRef> {
        if self.via_ref() && self.version() == Version::V31 {
            self.cx.field(self.site, key)
        } else {
            None
        }
    }

    /// The entries of a map-valued keyword (`properties`, `patternProperties`...): the
    /// definition's, and for a 3.1 `$ref` with the same keyword beside it, the sibling's too
    /// (the sibling wins for a name written in both).
    fn keyword_entries(&self, key: &str) -> Vec<(&'a str, NodeRef, NodeRef)> {
        let own = self.cx.entries(self.get(key));
        let Some(sib) = self.sibling(key) else {
            return own;
        };
        let mut out = self.cx.entries(Some(sib));
        for e in own {
            if !out.iter().any(|(k, _, _)| *k == e.0) {
                out.push(e);
            }
        }
        out
    }

    /// The items of a list-valued keyword (`allOf`...): the definition's, then a 3.1 sibling's.
    fn keyword_items(&self, key: &str) -> Vec<NodeRef> {
        let set = self.cx.set;
        let mut out: Vec<NodeRef> = self
            .get(key)
            .map(|l| set.items(l).collect())
            .unwrap_or_default();
        if let Some(sib) = self.sibling(key) {
            out.extend(set.items(sib));
        }
        out
    }

    /// `(name, key, property schema)`; for a 3.1 `$ref` with `properties` beside it, both sets.
    pub fn properties(&self) -> Vec<(&'a str, NodeRef, Option<Schema<'a>>)> {
        self.keyword_entries("properties")
            .into_iter()
            .map(|(k, key, v)| (k, key, Schema::at(self.cx, v)))
            .collect()
    }

    /// Every direct subschema site with the edge that leads to it.
    pub fn subschemas(&self) -> Vec<(Edge<'a>, NodeRef)> {
        let cx = self.cx;
        let set = cx.set;
        let mut out = Vec::new();
        // Most schemas are leaves (`{type: string}`): their keys' mask tells so without a lookup
        // per keyword. A `$ref` with siblings has keywords of its own.
        if (set.key_mask(self.node) | set.key_mask(self.site)) & SUBSCHEMA_KEYWORDS == 0 {
            return out;
        }
        let mapping = |n: NodeRef| set.kind(n) == Kind::Mapping;
        for (k, _, v) in self.keyword_entries("properties") {
            out.push((Edge::Property(k), v));
        }
        if cx.version == Version::V31 {
            for (k, _, v) in self.keyword_entries("patternProperties") {
                out.push((Edge::PatternProperty(k), v));
            }
            for (k, _, v) in self.keyword_entries("dependentSchemas") {
                out.push((Edge::DependentSchema(k), v));
            }
            for (key, edge) in [
                ("if", Edge::If),
                ("then", Edge::Then),
                ("else", Edge::Else),
                ("unevaluatedItems", Edge::UnevaluatedItems),
            ] {
                if let Some(n) = self.keyword(key) {
                    out.push((edge, n));
                }
            }
        }
        if let Some(items) = self.keyword("items") {
            match set.kind(items) {
                Kind::Mapping => out.push((Edge::Items, items)),
                Kind::Sequence => out.extend(
                    set.items(items)
                        .enumerate()
                        .map(|(i, n)| (Edge::PrefixItems(i), n)),
                ),
                _ => {}
            }
        }
        if let Some(list) = self.keyword("prefixItems") {
            out.extend(
                set.items(list)
                    .enumerate()
                    .map(|(i, n)| (Edge::PrefixItems(i), n)),
            );
        }
        if let Some(ap) = self.keyword("additionalProperties").filter(|&n| mapping(n)) {
            out.push((Edge::AdditionalProperties, ap));
        }
        if let Some(up) = self
            .keyword("unevaluatedProperties")
            .filter(|&n| mapping(n))
        {
            out.push((Edge::UnevaluatedProperties, up));
        }
        self.push_members(&mut out);
        if let Some(not) = self.keyword("not").filter(|&n| mapping(n)) {
            out.push((Edge::Not, not));
        }
        if let Some(c) = self.keyword("contains").filter(|&n| mapping(n)) {
            out.push((Edge::Contains, c));
        }
        out.retain(|(_, n)| mapping(*n));
        out
    }

    /// The members of the schema's `allOf`, `anyOf` and `oneOf`, as [`subschemas`](Self::subschemas)
    /// lists them (in that order, mappings only): what a question about combined constraints
    /// reads, without the properties and items.
    pub fn members(&self) -> Vec<(Edge<'a>, NodeRef)> {
        let set = self.cx.set;
        let mut out = Vec::new();
        self.push_members(&mut out);
        out.retain(|(_, n)| set.kind(*n) == Kind::Mapping);
        out
    }

    fn push_members(&self, out: &mut Vec<(Edge<'a>, NodeRef)>) {
        for (key, edge) in [("allOf", 0), ("anyOf", 1), ("oneOf", 2)] {
            for (i, n) in self.keyword_items(key).into_iter().enumerate() {
                let e = match edge {
                    0 => Edge::AllOf(i),
                    1 => Edge::AnyOf(i),
                    _ => Edge::OneOf(i),
                };
                out.push((e, n));
            }
        }
    }
}

/// The kind of a security scheme, in 3.x words (2.0 `basic` reads as HTTP basic).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SchemeKind<'a> {
    ApiKey {
        location: Option<&'a str>,
        name: Option<&'a str>,
    },
    Http {
        scheme: Option<&'a str>,
    },
    OAuth2,
    OpenIdConnect,
    MutualTls,
    Unknown(Option<&'a str>),
}

impl<'a> SecurityScheme<'a> {
    pub fn kind(&self) -> SchemeKind<'a> {
        match self.get_str("type") {
            Some("apiKey") => SchemeKind::ApiKey {
                location: self.get_str("in"),
                name: self.get_str("name"),
            },
            Some("http") => SchemeKind::Http {
                scheme: self.get_str("scheme"),
            },
            Some("basic") if self.version().is_v2() => SchemeKind::Http {
                scheme: Some("basic"),
            },
            Some("oauth2") => SchemeKind::OAuth2,
            Some("openIdConnect") => SchemeKind::OpenIdConnect,
            Some("mutualTLS") => SchemeKind::MutualTls,
            other => SchemeKind::Unknown(other),
        }
    }

    pub fn type_node(&self) -> Option<NodeRef> {
        self.get("type")
    }

    /// The `in` value of an API key scheme (where the key travels).
    pub fn location_node(&self) -> Option<NodeRef> {
        self.get("in")
    }

    /// The `scheme` value of an HTTP scheme; for 2.0 `basic`, the `type` value.
    pub fn http_scheme_node(&self) -> Option<NodeRef> {
        match self.get_str("type") {
            Some("basic") if self.version().is_v2() => self.get("type"),
            _ => self.get("scheme"),
        }
    }

    /// The OAuth 2 flows, in 3.x words: each entry of 3.x `flows`; for 2.0 the one `flow`
    /// (`implicit`, `password`, `application` as client credentials, `accessCode` as
    /// authorization code), whose fields sit on the scheme itself.
    pub fn flows(&self) -> Vec<OAuthFlow<'a>> {
        if self.get_str("type") != Some("oauth2") {
            return Vec::new();
        }
        if self.version().is_v2() {
            let Some(flow) = self.get("flow") else {
                return Vec::new();
            };
            let kind = match self.cx.set.str(flow) {
                Some("implicit") => FlowKind::Implicit,
                Some("password") => FlowKind::Password,
                Some("application") => FlowKind::ClientCredentials,
                Some("accessCode") => FlowKind::AuthorizationCode,
                _ => FlowKind::Unknown,
            };
            return vec![OAuthFlow {
                cx: self.cx,
                kind,
                key: flow,
                node: self.node,
            }];
        }
        self.cx
            .entries(self.get("flows").and_then(|f| self.cx.mapping(f)))
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(|(k, key, v)| {
                let (node, _) = self.cx.resolve(v)?;
                self.cx.mapping(node)?;
                let kind = match k {
                    "implicit" => FlowKind::Implicit,
                    "password" => FlowKind::Password,
                    "clientCredentials" => FlowKind::ClientCredentials,
                    "authorizationCode" => FlowKind::AuthorizationCode,
                    _ => FlowKind::Unknown,
                };
                Some(OAuthFlow {
                    cx: self.cx,
                    kind,
                    key,
                    node,
                })
            })
            .collect()
    }

    /// The `openIdConnectUrl` value of an OpenID Connect scheme.
    pub fn open_id_connect_url_node(&self) -> Option<NodeRef> {
        match self.kind() {
            SchemeKind::OpenIdConnect => self.get("openIdConnectUrl"),
            _ => None,
        }
    }

    /// The `bearerFormat` of an HTTP scheme (`JWT`).
    pub fn bearer_format(&self) -> Option<&'a str> {
        self.get_str("bearerFormat")
    }

    /// The scheme's `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.get_str("description")
    }
}

/// An OAuth 2 flow, named as in 3.x.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FlowKind {
    Implicit,
    Password,
    /// 2.0 `application`.
    ClientCredentials,
    /// 2.0 `accessCode`.
    AuthorizationCode,
    Unknown,
}

/// One OAuth 2 flow of a security scheme.
#[derive(Clone, Copy)]
pub struct OAuthFlow<'a> {
    pub cx: Cx<'a>,
    pub kind: FlowKind,
    /// 3.x: the flow's key under `flows`; 2.0: the `flow` value.
    pub key: NodeRef,
    /// The node holding the flow's fields (3.x the flow object; 2.0 the scheme).
    pub node: NodeRef,
}

impl<'a> OAuthFlow<'a> {
    pub fn authorization_url(&self) -> Option<&'a str> {
        self.cx.field_str(self.node, "authorizationUrl")
    }

    pub fn token_url(&self) -> Option<&'a str> {
        self.cx.field_str(self.node, "tokenUrl")
    }

    pub fn refresh_url(&self) -> Option<&'a str> {
        self.cx.field_str(self.node, "refreshUrl")
    }

    /// The URL node, for findings about it: `authorizationUrl`, `tokenUrl` or `refreshUrl`.
    pub fn url_node(&self, field: &str) -> Option<NodeRef> {
        self.cx.field(self.node, field)
    }

    /// `(scope, key)` of every scope the flow declares.
    pub fn scopes(&self) -> Vec<(&'a str, NodeRef)> {
        self.cx
            .entries(self.cx.field(self.node, "scopes"))
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .map(|(k, key, _)| (k, key))
            .collect()
    }
}

/// A `security` list: alternatives, each a set of scheme names that must all be satisfied.
#[derive(Clone, Copy)]
pub struct SecurityRequirements<'a> {
    pub cx: Cx<'a>,
    /// The `security` list node.
    pub node: NodeRef,
}

impl<'a> SecurityRequirements<'a> {
    fn at(cx: Cx<'a>, node: NodeRef) -> Option<SecurityRequirements<'a>> {
        (cx.set.kind(node) == Kind::Sequence).then_some(SecurityRequirements { cx, node })
    }

    /// `security: []`: explicitly no security.
    pub fn is_empty(&self) -> bool {
        self.cx.set.items(self.node).next().is_none()
    }

    /// True when one alternative is `{}` (anonymous access allowed).
    pub fn allows_anonymous(&self) -> bool {
        self.cx.set.items(self.node).any(|r| self.is_anonymous(r))
    }

    /// True when no alternative names a scheme: `security: []`, or only `{}` alternatives
    /// (`security: [{}]`). Either way nothing is required.
    pub fn requires_nothing(&self) -> bool {
        self.cx.set.items(self.node).all(|r| self.is_anonymous(r))
    }

    /// The number of alternatives.
    pub fn len(&self) -> usize {
        self.cx.set.items(self.node).count()
    }

    /// The alternative `{}`.
    fn is_anonymous(&self, requirement: NodeRef) -> bool {
        self.cx.set.kind(requirement) == Kind::Mapping
            && self.cx.set.fields(requirement).next().is_none()
    }

    /// Every `(scheme name, key node)` named in any alternative.
    pub fn schemes(&self) -> Vec<(&'a str, NodeRef)> {
        self.cx
            .set
            .items(self.node)
            .flat_map(|r| {
                self.cx
                    .set
                    .fields(r)
                    .map(|(name, key, _)| (name, key))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

impl<'a> Server<'a> {
    /// The URL: 3.x `url`; 2.0 `<scheme>://<host><basePath>` (`//<host><basePath>` without
    /// `schemes`, `<basePath>` without `host` either).
    pub fn url(&self) -> Cow<'a, str> {
        if self.version().is_v2() {
            let doc = Document::new(self.cx.set, self.cx.root);
            let host = doc.and_then(|d| d.get_str("host")).unwrap_or("");
            let base = doc.and_then(|d| d.get_str("basePath")).unwrap_or("");
            let from_schemes = self.cx.set.parent(self.node).is_some_and(|p| {
                self.cx.set.kind(p) == Kind::Sequence
                    && self.cx.set.key_of(p).and_then(|k| self.cx.set.text(k)) == Some("schemes")
            });
            return Cow::Owned(match (from_schemes, host.is_empty()) {
                (true, _) => {
                    let scheme = self.cx.set.str(self.node).unwrap_or("");
                    format!("{scheme}://{host}{base}")
                }
                (false, false) => format!("//{host}{base}"),
                (false, true) => base.to_string(),
            });
        }
        Cow::Borrowed(self.get_str("url").unwrap_or(""))
    }

    /// The node to point at: 3.x the `url` value; 2.0 the `schemes` entry (the `host` or
    /// `basePath` value without `schemes`).
    pub fn url_node(&self) -> NodeRef {
        if self.version().is_v2() {
            self.node
        } else {
            self.get("url").unwrap_or(self.node)
        }
    }

    /// 3.x `variables`: `(name, key, variable object)`; empty for 2.0.
    pub fn variables(&self) -> Vec<(&'a str, NodeRef, NodeRef)> {
        if self.version().is_v2() {
            return Vec::new();
        }
        self.cx
            .entries(self.get("variables").and_then(|v| self.cx.mapping(v)))
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(|(k, key, v)| Some((k, key, self.cx.resolve(v)?.0)))
            .collect()
    }

    /// 3.x `description`; `None` for 2.0.
    pub fn description(&self) -> Option<&'a str> {
        if self.version().is_v2() {
            return None;
        }
        self.get_str("description")
    }
}

/// The security that applies to an operation.
#[derive(Clone, Copy)]
pub enum EffectiveSecurity<'a> {
    /// The operation's own `security`.
    Declared(SecurityRequirements<'a>),
    /// The root `security`, inherited.
    Inherited(SecurityRequirements<'a>),
    /// Neither.
    Absent,
}

impl<'a> EffectiveSecurity<'a> {
    pub fn of(doc: &Document<'a>, op: &Operation<'a>) -> EffectiveSecurity<'a> {
        if let Some(s) = op.security() {
            EffectiveSecurity::Declared(s)
        } else if let Some(s) = doc.security() {
            EffectiveSecurity::Inherited(s)
        } else {
            EffectiveSecurity::Absent
        }
    }

    pub fn requirements(&self) -> Option<SecurityRequirements<'a>> {
        match self {
            EffectiveSecurity::Declared(s) | EffectiveSecurity::Inherited(s) => Some(*s),
            EffectiveSecurity::Absent => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::LintRequest;
    use crate::discover::Found;

    /// Loads in-memory files (`(path, text)`, the first one the document) under a folder that
    /// does not exist on disk.
    pub(crate) fn load_texts(files: &[(&str, &str)]) -> DocumentSet {
        let base = std::env::temp_dir().join("rampart-virtual-7f3a");
        let overlays: HashMap<PathBuf, Arc<str>> = files
            .iter()
            .map(|(p, t)| (base.join(p), Arc::from(*t)))
            .collect();
        let request = LintRequest {
            overlays,
            ..Default::default()
        };
        let found = vec![Found {
            path: base.join(files[0].0),
            explicit: true,
        }];
        let (set, problems) = crate::document::load(&request, &found, &base);
        assert!(
            problems.is_empty(),
            "the files load cleanly: {:?}",
            problems.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        set
    }

    /// The node at a JSON pointer of the `file`-th loaded file.
    pub(crate) fn node(set: &DocumentSet, file: usize, pointer: &str) -> NodeRef {
        let file = FileId(file as u32);
        let tree = set.tree(file);
        let root = tree.root().expect("the file has a root");
        let node = tree
            .pointer(root, pointer)
            .unwrap_or_else(|| panic!("`{pointer}` exists"));
        NodeRef { file, node }
    }

    fn doc(set: &DocumentSet) -> Document<'_> {
        Document::new(set, FileId(0)).expect("the first file is a document")
    }

    fn line(set: &DocumentSet, n: NodeRef) -> u32 {
        set.location(n).start.line
    }

    #[test]
    fn swagger_2_servers_come_from_schemes_host_and_base_path() {
        let with = load_texts(&[(
            "a.yaml",
            "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\nhost: api.example.com\nbasePath: /v1\nschemes:\n  - https\n  - http\npaths: {}\n",
        )]);
        let servers = doc(&with).servers();
        let urls: Vec<_> = servers.iter().map(|s| s.url().into_owned()).collect();
        assert_eq!(
            urls,
            ["https://api.example.com/v1", "http://api.example.com/v1"]
        );
        assert_eq!(line(&with, servers[1].url_node()), 7);

        let without = load_texts(&[(
            "a.yaml",
            "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\nhost: api.example.com\nbasePath: /v1\npaths: {}\n",
        )]);
        let servers = doc(&without).servers();
        assert_eq!(servers.len(), 1);
        assert_eq!(servers[0].url(), "//api.example.com/v1");
        assert_eq!(line(&without, servers[0].url_node()), 3);
    }

    #[test]
    fn oauth_flows_read_the_same_in_2_0_and_3_x() {
        let v2 = load_texts(&[(
            "a.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
paths: {}
securityDefinitions:
  code:
    type: oauth2
    flow: accessCode
    authorizationUrl: https://auth/authorize
    tokenUrl: https://auth/token
    scopes: {read: r, write: w}
  app:
    type: oauth2
    flow: application
    tokenUrl: https://auth/token
    scopes: {}
"##,
        )]);
        let v3 = load_texts(&[(
            "a.yaml",
            r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  securitySchemes:
    code:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth/authorize
          tokenUrl: https://auth/token
          scopes: {read: r, write: w}
    app:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth/token
          scopes: {}
"##,
        )]);
        for set in [&v2, &v3] {
            let schemes = doc(set).security_schemes();
            let flows: Vec<_> = schemes
                .iter()
                .flat_map(|(_, _, s)| s.flows())
                .map(|f| {
                    (
                        f.kind,
                        f.authorization_url(),
                        f.token_url(),
                        f.scopes().into_iter().map(|(s, _)| s).collect::<Vec<_>>(),
                    )
                })
                .collect();
            assert_eq!(
                flows,
                [
                    (
                        FlowKind::AuthorizationCode,
                        Some("https://auth/authorize"),
                        Some("https://auth/token"),
                        vec!["read", "write"],
                    ),
                    (
                        FlowKind::ClientCredentials,
                        None,
                        Some("https://auth/token"),
                        vec![],
                    ),
                ]
            );
        }
    }

    #[test]
    fn swagger_2_reusable_definitions_read_as_components() {
        let set = load_texts(&[(
            "a.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
paths: {}
parameters:
  Limit: {name: limit, in: query, type: integer}
responses:
  NotFound: {description: missing}
definitions:
  Pet: {type: object}
"##,
        )]);
        let d = doc(&set);
        fn names(v: Vec<(&str, NodeRef, NodeRef)>) -> Vec<&str> {
            v.into_iter().map(|(n, _, _)| n).collect()
        }
        assert_eq!(names(d.components(ComponentKind::Parameters)), ["Limit"]);
        assert_eq!(names(d.components(ComponentKind::Responses)), ["NotFound"]);
        assert_eq!(names(d.components(ComponentKind::Schemas)), ["Pet"]);
        assert!(d.components(ComponentKind::RequestBodies).is_empty());
        assert_eq!(
            d.components_field(ComponentKind::SecuritySchemes),
            "securityDefinitions"
        );
        assert_eq!(
            d.components_field(ComponentKind::RequestBodies),
            "components.requestBodies"
        );
        let params = d.component_parameters();
        assert_eq!(params[0].2.name(), Some("limit"));
        assert_eq!(params[0].2.location(), ParamLocation::Query);
        assert_eq!(d.component_responses().len(), 1);
    }

    #[test]
    fn collection_formats_read_as_styles() {
        let set = load_texts(&[(
            "a.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /x/{ids}:
    get:
      parameters:
        - {name: ids, in: path, required: true, type: array, items: {type: string}}
        - {name: a, in: query, type: array, items: {type: string}}
        - {name: b, in: query, type: array, collectionFormat: ssv, items: {type: string}}
        - {name: c, in: query, type: array, collectionFormat: pipes, items: {type: string}}
        - {name: d, in: query, type: array, collectionFormat: multi, items: {type: string}}
        - {name: e, in: query, type: array, collectionFormat: tsv, items: {type: string}}
      responses:
        "200": {description: ok}
"##,
        )]);
        let d = doc(&set);
        let (_, _, item) = d.paths()[0];
        let (_, _, op) = item.operations()[0];
        let styles: Vec<_> = op
            .parameters(&item)
            .iter()
            .map(|p| (p.name().unwrap_or(""), p.style(), p.explode()))
            .collect();
        assert_eq!(
            styles,
            [
                ("ids", "simple", false),
                ("a", "form", false),
                ("b", "spaceDelimited", false),
                ("c", "pipeDelimited", false),
                ("d", "form", true),
                ("e", "tabDelimited", false),
            ]
        );
    }

    #[test]
    fn a_2_0_body_parameter_is_the_request_body_not_a_parameter() {
        let set = load_texts(&[(
            "a.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
consumes: [application/json]
paths:
  /x:
    parameters:
      - {name: shared, in: body, schema: {type: object}}
      - {name: q, in: query, type: string}
    post:
      parameters:
        - {name: own, in: body, schema: {type: string}}
      responses:
        "200": {description: ok}
    put:
      responses:
        "200": {description: ok}
"##,
        )]);
        let d = doc(&set);
        let (_, _, item) = d.paths()[0];
        let names = |ps: Vec<Parameter<'_>>| -> Vec<String> {
            ps.iter()
                .map(|p| p.name().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(names(item.parameters()), ["q"]);
        let ops = item.operations();
        for (_, _, op) in &ops {
            assert_eq!(names(op.parameters(&item)), ["q"]);
        }
        // The operation's own body wins; without one, the path item's applies.
        let body_type = |i: usize| {
            let (_, _, op) = ops[i];
            let body = op.request_body(&item).expect("a body");
            let content = body.content(&op);
            assert_eq!(content[0].name, "application/json");
            content[0].schema.map(|s| s.types())
        };
        assert_eq!(body_type(0), Some(Types::STRING));
        assert_eq!(body_type(1), Some(Types::OBJECT));
    }

    #[test]
    fn a_2_0_file_is_a_binary_string() {
        let set = load_texts(&[(
            "a.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /x:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: f, in: formData, type: file}
      responses:
        "200": {description: ok}
"##,
        )]);
        let d = doc(&set);
        let (_, _, item) = d.paths()[0];
        let (_, _, op) = item.operations()[0];
        // A form field is part of the request body, not a parameter.
        assert!(op.parameters(&item).is_empty());
        let body = op.request_body(&item).expect("a form is a request body");
        assert!(body.is_form());
        let content = body.content(&op);
        assert_eq!(content.len(), 1);
        assert_eq!(content[0].name, "multipart/form-data");
        let fields = op.form_fields(&item);
        let schema = fields[0]
            .schema()
            .expect("a 2.0 parameter is its own schema");
        assert!(schema.is_string());
        assert_eq!(schema.format(), Some("binary"));
        assert_eq!(fields[0].location(), ParamLocation::FormData);
    }

    #[test]
    fn a_3_1_ref_with_sibling_keywords_keeps_both_sets_of_subschemas() {
        let set = load_texts(&[(
            "a.yaml",
            r##"openapi: 3.1.0
info: {title: t, version: "1"}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
      allOf:
        - {required: [id]}
      anyOf:
        - {required: [name]}
      oneOf:
        - {required: [id]}
        - 7
    Extended:
      $ref: "#/components/schemas/Base"
      properties:
        name: {type: string, maxLength: 10}
        extra: {type: string}
      allOf:
        - {required: [extra]}
    Conditional:
      if: {properties: {kind: {const: a}}}
      then: {properties: {a: {type: string}}}
      else: {properties: {b: {type: string}}}
      dependentSchemas:
        c: {properties: {d: {type: string}}}
    Leaf:
      type: string
    OnLeaf:
      $ref: "#/components/schemas/Leaf"
      items: {type: string}
      not: {type: integer}
"##,
        )]);
        let d = doc(&set);
        let schemas = d.schemas();
        let extended = schemas[1].2;
        // A definition without subschemas, referenced with sibling keywords that have some.
        assert!(schemas[3].2.subschemas().is_empty());
        let on_leaf: Vec<_> = schemas[4]
            .2
            .subschemas()
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        assert_eq!(on_leaf, [Edge::Items, Edge::Not]);
        let props: Vec<_> = extended
            .properties()
            .into_iter()
            .map(|(n, _, s)| (n, s.and_then(|s| s.max_length())))
            .collect();
        assert_eq!(props, [("name", Some(10)), ("extra", None), ("id", None)]);
        let all_of = extended
            .subschemas()
            .into_iter()
            .filter(|(e, _)| matches!(e, Edge::AllOf(_)))
            .count();
        assert_eq!(all_of, 2);
        // The members are the combinator edges of `subschemas`, in its order.
        for (_, _, schema) in &schemas {
            let combined: Vec<_> = schema
                .subschemas()
                .into_iter()
                .filter(|(e, _)| matches!(e, Edge::AllOf(_) | Edge::AnyOf(_) | Edge::OneOf(_)))
                .collect();
            assert_eq!(schema.members(), combined);
        }
        assert_eq!(
            extended
                .members()
                .into_iter()
                .map(|(e, _)| e)
                .collect::<Vec<_>>(),
            [
                Edge::AllOf(0),
                Edge::AllOf(1),
                Edge::AnyOf(0),
                Edge::OneOf(0)
            ]
        );
        let edges: Vec<_> = schemas[2]
            .2
            .subschemas()
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        assert_eq!(
            edges,
            [Edge::DependentSchema("c"), Edge::If, Edge::Then, Edge::Else]
        );
    }

    /// A leaf schema is told from its keys' mask alone: none of its usual keywords shares a bit
    /// with the keywords that lead to subschemas.
    #[test]
    fn leaf_keywords_share_no_bit_with_subschema_keywords() {
        for key in [
            "type",
            "format",
            "description",
            "title",
            "maxLength",
            "minLength",
            "maxItems",
            "minItems",
            "maximum",
            "minimum",
            "exclusiveMaximum",
            "exclusiveMinimum",
            "multipleOf",
            "uniqueItems",
            "maxProperties",
            "minProperties",
            "enum",
            "const",
            "pattern",
            "example",
            "examples",
            "default",
            "nullable",
            "x-nullable",
            "required",
            "readOnly",
            "writeOnly",
            "deprecated",
            "$ref",
            "discriminator",
            "externalDocs",
            "xml",
        ] {
            assert_eq!(
                crate::source::key_bit(key) & SUBSCHEMA_KEYWORDS,
                0,
                "{key} shares a bit with a subschema keyword"
            );
        }
    }

    #[test]
    fn swagger_2_security_schemes_read_in_3x_words() {
        let set = load_texts(&[(
            "a.yaml",
            r##"swagger: "2.0"
info: {title: t, version: "1"}
paths: {}
securityDefinitions:
  basicAuth:
    type: basic
  key:
    type: apiKey
    in: query
    name: api_key
"##,
        )]);
        let schemes = doc(&set).security_schemes();
        assert_eq!(
            schemes[0].2.kind(),
            SchemeKind::Http {
                scheme: Some("basic")
            }
        );
        assert_eq!(
            schemes[0].2.http_scheme_node().map(|n| line(&set, n)),
            Some(6)
        );
        assert_eq!(
            schemes[1].2.kind(),
            SchemeKind::ApiKey {
                location: Some("query"),
                name: Some("api_key")
            }
        );
        assert_eq!(schemes[1].2.location_node().map(|n| line(&set, n)), Some(9));
    }
}

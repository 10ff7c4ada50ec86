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
        self.cx
            .entries(map)
            .into_iter()
            .filter(|(k, _, _)| !k.starts_with("x-"))
            .filter_map(|(k, key, v)| Some((k, key, PathItem::at(self.cx, v)?)))
            .filter(|(_, _, item)| self.cx.mapping(item.node).is_some())
            .collect()
    }

    /// The mapping that holds security schemes (`components/securitySchemes`, 2.0 `securityDefinitions`).
    pub fn security_schemes_node(&self) -> Option<NodeRef> {
        match self.version() {
            Version::V2 => self.get("securityDefinitions"),
            _ => self
                .get("components")
                .and_then(|c| self.cx.field(c, "securitySchemes")),
        }
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
                    .filter_map(|s| Server::at(self.cx, s))
                    .collect(),
                None => Vec::new(),
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
        match self.version() {
            Version::V2 => self.get("definitions"),
            _ => self
                .get("components")
                .and_then(|c| self.cx.field(c, "schemas")),
        }
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

/// HTTP methods that an operation can be written under.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> PathItem<'a> {
    /// `(method, key, operation)` in source order.
    pub fn operations(&self) -> Vec<(&'a str, NodeRef, Operation<'a>)> {
        self.cx
            .entries(self.cx.mapping(self.node))
            .into_iter()
            .filter(|(k, _, _)| METHODS.contains(k))
            .filter_map(|(k, key, v)| Some((k, key, Operation::at(self.cx, v)?)))
            .filter(|(_, _, op)| self.cx.mapping(op.node).is_some())
            .collect()
    }

    /// Path-level parameters.
    pub fn parameters(&self) -> Vec<Parameter<'a>> {
        parameters(self.cx, self.get("parameters"))
    }
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
    /// a path-level one with the same name and location).
    pub fn parameters(&self, item: &PathItem<'a>) -> Vec<Parameter<'a>> {
        let own = parameters(self.cx, self.get("parameters"));
        let mut all: Vec<Parameter<'a>> = item
            .parameters()
            .into_iter()
            .filter(|p| {
                !own.iter()
                    .any(|o| o.name() == p.name() && o.location_raw() == p.location_raw())
            })
            .collect();
        all.extend(own);
        all
    }

    /// The request body: 3.x `requestBody`; 2.0 the `in: body` parameter.
    pub fn request_body(&self, item: &PathItem<'a>) -> Option<RequestBody<'a>> {
        match self.version() {
            Version::V2 => {
                let body = self
                    .parameters(item)
                    .into_iter()
                    .find(|p| p.location() == ParamLocation::Body)?;
                Some(RequestBody {
                    cx: self.cx,
                    node: body.node,
                    site: body.site,
                })
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
        if self.version().is_v2() && self.location() != ParamLocation::Body {
            return Some(Schema {
                cx: self.cx,
                node: self.node,
                site: self.node,
            });
        }
        if let Some(s) = self.get("schema") {
            return Schema::at(self.cx, s);
        }
        let content = self.get("content")?;
        let (_, _, mt) = self.cx.set.fields(content).next()?;
        Schema::at(self.cx, self.cx.field(mt, "schema")?)
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
    /// Media types and their schemas. For 2.0, one per `consumes` entry of the operation.
    pub fn content(&self, op: &Operation<'a>) -> Vec<MediaType<'a>> {
        match self.version() {
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
        if self.version().is_v2() {
            return Some(Schema {
                cx: self.cx,
                node: self.node,
                site: self.node,
            });
        }
        if let Some(s) = self.get("schema") {
            return Schema::at(self.cx, s);
        }
        let content = self.get("content")?;
        let (_, _, mt) = self.cx.set.fields(content).next()?;
        Schema::at(self.cx, self.cx.field(mt, "schema")?)
    }
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

    /// Declared types: 3.0/2.0 `type` (+ `nullable`/`x-nullable`), 3.1 `type` string or list.
    /// Empty when the schema declares no type.
    pub fn types(&self) -> Types {
        let mut t = Types::default();
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

    pub fn format(&self) -> Option<&'a str> {
        self.keyword("format").and_then(|v| self.cx.set.str(v))
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
    pub fn properties(&self) -> Vec<(&'a str, NodeRef, Option<Schema<'a>>)> {
        self.cx
            .entries(self.keyword("properties"))
            .into_iter()
            .map(|(k, key, v)| (k, key, Schema::at(self.cx, v)))
            .collect()
    }

    /// Every direct subschema site with the edge that leads to it.
    pub fn subschemas(&self) -> Vec<(Edge<'a>, NodeRef)> {
        let cx = self.cx;
        let set = cx.set;
        let mut out = Vec::new();
        let mapping = |n: NodeRef| set.kind(n) == Kind::Mapping;
        for (k, _, v) in cx.entries(self.keyword("properties")) {
            out.push((Edge::Property(k), v));
        }
        if cx.version == Version::V31 {
            for (k, _, v) in cx.entries(self.keyword("patternProperties")) {
                out.push((Edge::PatternProperty(k), v));
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
        for (key, edge) in [("allOf", 0), ("anyOf", 1), ("oneOf", 2)] {
            if let Some(list) = self.keyword(key) {
                for (i, n) in set.items(list).enumerate() {
                    let e = match edge {
                        0 => Edge::AllOf(i),
                        1 => Edge::AnyOf(i),
                        _ => Edge::OneOf(i),
                    };
                    out.push((e, n));
                }
            }
        }
        if let Some(not) = self.keyword("not").filter(|&n| mapping(n)) {
            out.push((Edge::Not, not));
        }
        if let Some(c) = self.keyword("contains").filter(|&n| mapping(n)) {
            out.push((Edge::Contains, c));
        }
        out.retain(|(_, n)| mapping(*n));
        out
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
        self.cx
            .set
            .items(self.node)
            .any(|r| self.cx.set.kind(r) == Kind::Mapping && self.cx.set.fields(r).next().is_none())
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
    /// The URL: 3.x `url`; 2.0 `<scheme>://<host><basePath>`.
    pub fn url(&self) -> Cow<'a, str> {
        if self.version().is_v2() {
            let scheme = self.cx.set.str(self.node).unwrap_or("");
            let doc = Document::new(self.cx.set, self.cx.root);
            let host = doc.and_then(|d| d.get_str("host")).unwrap_or("");
            let base = doc.and_then(|d| d.get_str("basePath")).unwrap_or("");
            return Cow::Owned(format!("{scheme}://{host}{base}"));
        }
        Cow::Borrowed(self.get_str("url").unwrap_or(""))
    }

    /// The node to point at: 3.x the `url` value; 2.0 the `schemes` entry.
    pub fn url_node(&self) -> NodeRef {
        if self.version().is_v2() {
            self.node
        } else {
            self.get("url").unwrap_or(self.node)
        }
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

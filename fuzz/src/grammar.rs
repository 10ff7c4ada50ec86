//! A small grammar of OpenAPI documents for the `lint_structured` target: versions 2.0, 3.0 and 3.1,
//! paths, operations, parameters, request bodies, responses, headers, schemas (properties, items,
//! `allOf`/`anyOf`/`oneOf`, `$ref`s to definitions that may or may not exist, in this file or in a
//! second one), security schemes and requirements, servers, callbacks, webhooks and
//! `x-rampart-ignore`. Any node may instead be a value of the wrong shape. Names come from a small
//! vocabulary, so `$ref`s hit and keys repeat.
//!
//! An [`Input`] is written out as YAML or JSON text ([`Input::files`]); its `Debug` form is those files,
//! each led by a `#### <name>` line,
//! so `cargo fuzz fmt lint_structured ARTIFACT` prints the document that failed.

use std::fmt;

use arbitrary::Arbitrary;

/// One document, and a second file its `$ref`s may point into.
#[derive(Arbitrary)]
pub struct Input {
    version: Version,
    json: bool,
    doc: Document,
    common: Vec<(Name, Schema)>,
}

impl Input {
    /// The files to lint: the document first, then `common.yaml`.
    pub fn files(&self) -> Vec<(&'static str, String)> {
        let v = self.version;
        let name = if self.json {
            "openapi.json"
        } else {
            "openapi.yaml"
        };
        let doc = self.doc.value(v);
        let text = if self.json { json(&doc) } else { yaml(&doc) };
        let definitions = map(self.common.iter().map(|(n, s)| (n.text(), s.value(v))));
        let common = yaml(&J::Map(vec![(v.schemas_key().to_string(), definitions)]));
        vec![(name, text), ("common.yaml", common)]
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, text) in self.files() {
            write!(f, "#### {name}\n{text}")?;
        }
        Ok(())
    }
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq)]
enum Version {
    V30,
    V20,
    V31,
    /// An unsupported or oddly written version.
    Odd(u8),
}

impl Version {
    fn v2(self) -> bool {
        self == Version::V20
    }

    fn v31(self) -> bool {
        self == Version::V31
    }

    fn schemas_key(self) -> &'static str {
        if self.v2() { "definitions" } else { "schemas" }
    }

    fn root(self) -> (String, J) {
        match self {
            Version::V20 => ("swagger".into(), s("2.0")),
            Version::V30 => ("openapi".into(), s("3.0.3")),
            Version::V31 => ("openapi".into(), s("3.1.0")),
            Version::Odd(n) => match n % 6 {
                0 => ("openapi".into(), J::Num("3.0".into())),
                1 => ("openapi".into(), s("3.2.0")),
                2 => ("openapi".into(), s("2.0")),
                3 => ("swagger".into(), J::Num("2.0".into())),
                4 => ("openapi".into(), J::Seq(vec![s("3.1.0")])),
                _ => ("swagger".into(), s("3.0.0")),
            },
        }
    }
}

/// A value as JSON and YAML both can write it.
#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    /// The number as written.
    Num(String),
    Str(String),
    Seq(Vec<J>),
    Map(Vec<(String, J)>),
}

fn s(text: impl Into<String>) -> J {
    J::Str(text.into())
}

fn map(entries: impl IntoIterator<Item = (String, J)>) -> J {
    J::Map(entries.into_iter().collect())
}

/// Builds a mapping from optional entries.
struct Obj(Vec<(String, J)>);

impl Obj {
    fn new() -> Obj {
        Obj(Vec::new())
    }

    fn put(&mut self, key: &str, value: J) -> &mut Obj {
        self.0.push((key.to_string(), value));
        self
    }

    fn opt(&mut self, key: &str, value: Option<J>) -> &mut Obj {
        if let Some(v) = value {
            self.put(key, v);
        }
        self
    }

    fn nonempty(&mut self, key: &str, value: J) -> &mut Obj {
        match &value {
            J::Seq(v) if v.is_empty() => self,
            J::Map(v) if v.is_empty() => self,
            _ => self.put(key, value),
        }
    }

    fn done(&mut self) -> J {
        J::Map(std::mem::take(&mut self.0))
    }
}

const NAMES: [&str; 24] = [
    "Pet",
    "Error",
    "id",
    "name",
    "password",
    "api_key",
    "stackTrace",
    "limit",
    "Retry-After",
    "X-RateLimit-Limit",
    "oauth",
    "basic",
    "a/b",
    "a~1b",
    "x y",
    "Ünï",
    "",
    "$ref",
    "properties",
    "429",
    "sql",
    "debug",
    "user_id",
    "items",
];

/// A name from the vocabulary, or any text.
#[derive(Arbitrary, Clone, Debug)]
enum Name {
    Known(u8),
    Any(String),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Known(i) => NAMES[usize::from(*i) % NAMES.len()].to_string(),
            Name::Any(t) => t.clone(),
        }
    }
}

/// Any value: wrong shapes anywhere.
#[derive(Arbitrary, Clone, Debug)]
enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Name),
    Seq(Vec<Value>),
    Map(Vec<(Name, Value)>),
}

impl Value {
    fn value(&self) -> J {
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(n) => J::Num(n.to_string()),
            Value::Float(x) => J::Num(float(*x)),
            Value::Str(n) => s(n.text()),
            Value::Seq(v) => J::Seq(v.iter().map(Value::value).collect()),
            Value::Map(v) => map(v.iter().map(|(k, v)| (k.text(), v.value()))),
        }
    }
}

fn float(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else if x.is_nan() {
        ".nan".into()
    } else if x > 0.0 {
        "1e999".into()
    } else {
        "-1e999".into()
    }
}

/// What a `$ref` points at.
#[derive(Arbitrary, Clone, Copy, Debug)]
enum Target {
    Schema,
    Parameter,
    Response,
    Header,
    SecurityScheme,
    PathItem,
    RequestBody,
}

#[derive(Arbitrary, Clone, Debug)]
enum Ref {
    /// `#/components/<kind>/<name>` (or the 2.0 place), as the version writes it.
    Local(Target, Name),
    /// The other version's place for it.
    OtherVersion(Target, Name),
    /// A definition in `common.yaml`.
    Common(Name),
    /// A missing file.
    MissingFile(Name),
    /// `#name`: a 3.1 `$anchor`.
    Anchor(Name),
    /// A path item of the document (a callback may lead back to its own).
    Path(PathName),
    Remote,
    Root,
    Any(String),
}

impl Ref {
    fn text(&self, v: Version) -> String {
        let place = |t: Target, v2: bool| -> &'static str {
            match (t, v2) {
                (Target::Schema, true) => "#/definitions/",
                (Target::Parameter, true) => "#/parameters/",
                (Target::Response, true) => "#/responses/",
                (Target::Header, true) => "#/headers/",
                (Target::SecurityScheme, true) => "#/securityDefinitions/",
                (Target::PathItem, true) => "#/paths/",
                (Target::RequestBody, true) => "#/parameters/",
                (Target::Schema, false) => "#/components/schemas/",
                (Target::Parameter, false) => "#/components/parameters/",
                (Target::Response, false) => "#/components/responses/",
                (Target::Header, false) => "#/components/headers/",
                (Target::SecurityScheme, false) => "#/components/securitySchemes/",
                (Target::PathItem, false) => "#/components/pathItems/",
                (Target::RequestBody, false) => "#/components/requestBodies/",
            }
        };
        match self {
            Ref::Local(t, n) => format!("{}{}", place(*t, v.v2()), pointer_token(&n.text())),
            Ref::OtherVersion(t, n) => {
                format!("{}{}", place(*t, !v.v2()), pointer_token(&n.text()))
            }
            Ref::Common(n) => format!(
                "common.yaml#/{}/{}",
                v.schemas_key(),
                pointer_token(&n.text())
            ),
            Ref::MissingFile(n) => format!("missing.yaml#/{}", pointer_token(&n.text())),
            Ref::Anchor(n) => format!("#{}", n.text()),
            Ref::Path(p) => format!("#/paths/{}", pointer_token(&p.text())),
            Ref::Remote => "https://example.com/schemas.yaml#/Pet".into(),
            Ref::Root => "#".into(),
            Ref::Any(t) => t.clone(),
        }
    }

    fn value(&self, v: Version) -> J {
        J::Map(vec![("$ref".into(), s(self.text(v)))])
    }
}

fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

const RULE_IDS: [&str; 10] = [
    "string-unbounded",
    "security-scheme-missing",
    "security-scheme-undefined",
    "error-schema-missing",
    "error-schema-leaks-internals",
    "rate-limit-429-missing",
    "rate-limit-headers-missing",
    "retry-after-missing",
    "structure",
    "ref-unresolved",
];

/// `x-rampart-ignore`: one rule id, a list, or anything.
#[derive(Arbitrary, Clone, Debug)]
enum Ignore {
    One(u8),
    List(Vec<u8>),
    Other(Value),
}

impl Ignore {
    fn value(&self) -> J {
        let id = |i: &u8| s(RULE_IDS[usize::from(*i) % RULE_IDS.len()]);
        match self {
            Ignore::One(i) => id(i),
            Ignore::List(v) => J::Seq(v.iter().map(id).collect()),
            Ignore::Other(v) => v.value(),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Document {
    info: bool,
    servers: Vec<Server>,
    /// `None`: no `paths` at all.
    paths: Option<Vec<PathItem>>,
    webhooks: Vec<(Name, PathItem)>,
    schemas: Vec<(Name, Schema)>,
    parameters: Vec<(Name, Parameter)>,
    responses: Vec<(Name, Response)>,
    headers: Vec<(Name, Header)>,
    schemes: Vec<(Name, SecurityScheme)>,
    security: Option<Vec<Requirement>>,
    ignore: Option<Ignore>,
    /// Extra root fields, possibly replacing the ones above with the wrong shape.
    extra: Vec<(Root, Value)>,
}

#[derive(Arbitrary, Clone, Copy, Debug)]
enum Root {
    Paths,
    Components,
    Definitions,
    Security,
    SecurityDefinitions,
    Servers,
    Info,
    Webhooks,
    Host,
    BasePath,
    Schemes,
    Consumes,
}

impl Root {
    fn key(self) -> &'static str {
        match self {
            Root::Paths => "paths",
            Root::Components => "components",
            Root::Definitions => "definitions",
            Root::Security => "security",
            Root::SecurityDefinitions => "securityDefinitions",
            Root::Servers => "servers",
            Root::Info => "info",
            Root::Webhooks => "webhooks",
            Root::Host => "host",
            Root::BasePath => "basePath",
            Root::Schemes => "schemes",
            Root::Consumes => "consumes",
        }
    }
}

impl Document {
    fn value(&self, v: Version) -> J {
        let mut o = Obj::new();
        let (key, version) = v.root();
        o.put(&key, version);
        if self.info {
            o.put(
                "info",
                map([("title".into(), s("t")), ("version".into(), s("1"))]),
            );
        }
        if v.v2() {
            if let Some(server) = self.servers.first() {
                o.put("host", s(server.host()));
                o.put("basePath", s("/v1"));
                o.put(
                    "schemes",
                    J::Seq(self.servers.iter().map(|x| s(x.scheme())).collect()),
                );
            }
        } else {
            o.nonempty(
                "servers",
                J::Seq(self.servers.iter().map(|x| x.value()).collect()),
            );
        }
        if let Some(paths) = &self.paths {
            o.put(
                "paths",
                map(paths.iter().map(|p| (p.path.text(), p.value(v)))),
            );
        }
        if v.v31() {
            o.nonempty(
                "webhooks",
                map(self.webhooks.iter().map(|(n, p)| (n.text(), p.value(v)))),
            );
        }
        let schemas = map(self.schemas.iter().map(|(n, x)| (n.text(), x.value(v))));
        let parameters = map(self.parameters.iter().map(|(n, x)| (n.text(), x.value(v))));
        let responses = map(self.responses.iter().map(|(n, x)| (n.text(), x.value(v))));
        let headers = map(self.headers.iter().map(|(n, x)| (n.text(), x.value(v))));
        let schemes = map(self.schemes.iter().map(|(n, x)| (n.text(), x.value(v))));
        if v.v2() {
            o.nonempty("definitions", schemas);
            o.nonempty("parameters", parameters);
            o.nonempty("responses", responses);
            o.nonempty("securityDefinitions", schemes);
        } else {
            let mut c = Obj::new();
            c.nonempty("schemas", schemas);
            c.nonempty("parameters", parameters);
            c.nonempty("responses", responses);
            c.nonempty("headers", headers);
            c.nonempty("securitySchemes", schemes);
            if v.v31() {
                c.nonempty(
                    "pathItems",
                    map(self.webhooks.iter().map(|(n, p)| (n.text(), p.value(v)))),
                );
            }
            o.nonempty("components", c.done());
        }
        o.opt(
            "security",
            self.security
                .as_ref()
                .map(|r| J::Seq(r.iter().map(Requirement::value).collect())),
        );
        o.opt("x-rampart-ignore", self.ignore.as_ref().map(Ignore::value));
        for (key, value) in &self.extra {
            o.put(key.key(), value.value());
        }
        o.done()
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Server {
    scheme: u8,
    host: Name,
    variables: Vec<(Name, Vec<Name>)>,
}

impl Server {
    fn scheme(&self) -> &'static str {
        ["https", "http", "ws", "wss", "ftp"][usize::from(self.scheme) % 5]
    }

    fn host(&self) -> String {
        match &self.host {
            Name::Known(i) if i % 2 == 0 => "api.example.com".into(),
            n => n.text(),
        }
    }

    fn value(&self) -> J {
        let mut o = Obj::new();
        let url = match self.scheme % 7 {
            5 => "/relative".to_string(),
            6 => "{scheme}://{host}/v1".to_string(),
            _ => format!("{}://{}/v1", self.scheme(), self.host()),
        };
        o.put("url", s(url));
        o.nonempty(
            "variables",
            map(self.variables.iter().map(|(n, values)| {
                let mut var = Obj::new();
                var.put("default", s(n.text()));
                var.nonempty("enum", J::Seq(values.iter().map(|x| s(x.text())).collect()));
                (n.text(), var.done())
            })),
        );
        o.done()
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum PathName {
    Pets,
    PetId,
    Login,
    Any(String),
}

impl PathName {
    fn text(&self) -> String {
        match self {
            PathName::Pets => "/pets".into(),
            PathName::PetId => "/pets/{id}".into(),
            PathName::Login => "/login".into(),
            PathName::Any(t) => t.clone(),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct PathItem {
    path: PathName,
    operations: Vec<Operation>,
    parameters: Vec<Param>,
    reference: Option<Ref>,
    ignore: Option<Ignore>,
    /// The whole item of the wrong shape.
    wrong: Option<Value>,
}

impl PathItem {
    fn value(&self, v: Version) -> J {
        if let Some(wrong) = &self.wrong {
            return wrong.value();
        }
        let mut o = Obj::new();
        o.opt("$ref", self.reference.as_ref().map(|r| s(r.text(v))));
        o.nonempty(
            "parameters",
            J::Seq(self.parameters.iter().map(|p| p.value(v)).collect()),
        );
        for op in &self.operations {
            o.put(op.method.key(), op.value(v));
        }
        o.opt("x-rampart-ignore", self.ignore.as_ref().map(Ignore::value));
        o.done()
    }
}

#[derive(Arbitrary, Clone, Copy, Debug)]
enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
    Other,
}

impl Method {
    fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Delete => "delete",
            Method::Patch => "patch",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
            Method::Other => "x-other",
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Operation {
    method: Method,
    id: Option<Name>,
    parameters: Vec<Param>,
    body: Option<Body>,
    /// `None`: no `responses` at all.
    responses: Option<Vec<(Status, Resp)>>,
    security: Option<Vec<Requirement>>,
    consumes: Vec<Media>,
    produces: Vec<Media>,
    /// 3.x: callback name → expression → path item.
    callbacks: Vec<(Name, Vec<(Name, PathItem)>)>,
    ignore: Option<Ignore>,
    wrong: Option<Value>,
}

impl Operation {
    fn value(&self, v: Version) -> J {
        if let Some(wrong) = &self.wrong {
            return wrong.value();
        }
        let mut o = Obj::new();
        o.opt("operationId", self.id.as_ref().map(|n| s(n.text())));
        let mut parameters: Vec<J> = self.parameters.iter().map(|p| p.value(v)).collect();
        if let Some(body) = &self.body {
            if v.v2() {
                parameters.push(body.v2_parameter(v));
            } else {
                o.put("requestBody", body.value(v));
            }
        }
        o.nonempty("parameters", J::Seq(parameters));
        if v.v2() {
            o.nonempty(
                "consumes",
                J::Seq(self.consumes.iter().map(|m| s(m.text())).collect()),
            );
            o.nonempty(
                "produces",
                J::Seq(self.produces.iter().map(|m| s(m.text())).collect()),
            );
        }
        o.opt(
            "responses",
            self.responses
                .as_ref()
                .map(|r| map(r.iter().map(|(code, x)| (code.text(), x.value(v))))),
        );
        o.opt(
            "security",
            self.security
                .as_ref()
                .map(|r| J::Seq(r.iter().map(Requirement::value).collect())),
        );
        if !v.v2() {
            o.nonempty(
                "callbacks",
                map(self.callbacks.iter().map(|(n, expressions)| {
                    let items = expressions.iter().map(|(e, p)| (e.text(), p.value(v)));
                    (n.text(), map(items))
                })),
            );
        }
        o.opt("x-rampart-ignore", self.ignore.as_ref().map(Ignore::value));
        o.done()
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum Param {
    Inline(Parameter),
    Ref(Ref),
}

impl Param {
    fn value(&self, v: Version) -> J {
        match self {
            Param::Inline(p) => p.value(v),
            Param::Ref(r) => r.value(v),
        }
    }
}

#[derive(Arbitrary, Clone, Copy, Debug)]
enum In {
    Query,
    Header,
    Path,
    Cookie,
    Body,
    FormData,
    Other,
}

impl In {
    fn text(self) -> &'static str {
        match self {
            In::Query => "query",
            In::Header => "header",
            In::Path => "path",
            In::Cookie => "cookie",
            In::Body => "body",
            In::FormData => "formData",
            In::Other => "matrix",
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Parameter {
    name: Name,
    location: In,
    required: Option<bool>,
    schema: Schema,
    /// 3.x: the schema under `content` rather than `schema`.
    content: Option<Media>,
    ignore: Option<Ignore>,
}

impl Parameter {
    fn value(&self, v: Version) -> J {
        let mut o = Obj::new();
        o.put("name", s(self.name.text()));
        o.put("in", s(self.location.text()));
        o.opt("required", self.required.map(J::Bool));
        if v.v2() && !matches!(self.location, In::Body) {
            // Inline: the schema's fields sit on the parameter.
            if let J::Map(fields) = self.schema.value(v) {
                for (k, x) in fields {
                    o.put(&k, x);
                }
            }
        } else if let (Some(media), false) = (&self.content, v.v2()) {
            o.put(
                "content",
                map([(media.text(), map([("schema".into(), self.schema.value(v))]))]),
            );
        } else {
            o.put("schema", self.schema.value(v));
        }
        o.opt("x-rampart-ignore", self.ignore.as_ref().map(Ignore::value));
        o.done()
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum Media {
    Json,
    Form,
    Multipart,
    Text,
    Any(Name),
}

impl Media {
    fn text(&self) -> String {
        match self {
            Media::Json => "application/json".into(),
            Media::Form => "application/x-www-form-urlencoded".into(),
            Media::Multipart => "multipart/form-data".into(),
            Media::Text => "text/plain".into(),
            Media::Any(n) => n.text(),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Body {
    content: Vec<(Media, Schema)>,
    required: Option<bool>,
    reference: Option<Ref>,
}

impl Body {
    fn value(&self, v: Version) -> J {
        if let Some(r) = &self.reference {
            return r.value(v);
        }
        let mut o = Obj::new();
        o.opt("required", self.required.map(J::Bool));
        o.put("content", content(&self.content, v));
        o.done()
    }

    fn v2_parameter(&self, v: Version) -> J {
        if let Some(r) = &self.reference {
            return r.value(v);
        }
        let mut o = Obj::new();
        o.put("name", s("body"));
        o.put("in", s("body"));
        o.opt("required", self.required.map(J::Bool));
        if let Some((_, schema)) = self.content.first() {
            o.put("schema", schema.value(v));
        }
        o.done()
    }
}

fn content(media: &[(Media, Schema)], v: Version) -> J {
    map(media
        .iter()
        .map(|(m, x)| (m.text(), map([("schema".into(), x.value(v))]))))
}

#[derive(Arbitrary, Clone, Debug)]
enum Status {
    Code(u16),
    Default,
    Range(u8),
    TooMany,
    Any(Name),
}

impl Status {
    fn text(&self) -> String {
        match self {
            Status::Code(c) => (c % 600).to_string(),
            Status::Default => "default".into(),
            Status::Range(r) => format!("{}XX", r % 6),
            Status::TooMany => "429".into(),
            Status::Any(n) => n.text(),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum Resp {
    Inline(Response),
    Ref(Ref),
}

impl Resp {
    fn value(&self, v: Version) -> J {
        match self {
            Resp::Inline(r) => r.value(v),
            Resp::Ref(r) => r.value(v),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Response {
    description: bool,
    headers: Vec<(Name, Header)>,
    content: Vec<(Media, Schema)>,
}

impl Response {
    fn value(&self, v: Version) -> J {
        let mut o = Obj::new();
        if self.description {
            o.put("description", s("d"));
        }
        o.nonempty(
            "headers",
            map(self.headers.iter().map(|(n, h)| (n.text(), h.value(v)))),
        );
        if v.v2() {
            o.opt("schema", self.content.first().map(|(_, x)| x.value(v)));
        } else {
            o.nonempty("content", content(&self.content, v));
        }
        o.done()
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum Header {
    Inline(Schema),
    Ref(Ref),
}

impl Header {
    fn value(&self, v: Version) -> J {
        match self {
            Header::Ref(r) => r.value(v),
            // 2.0 headers are their own schema.
            Header::Inline(x) if v.v2() => x.value(v),
            Header::Inline(x) => map([("schema".into(), x.value(v))]),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum SecurityScheme {
    ApiKey { name: Name, location: In },
    Http { scheme: Name },
    Basic,
    OAuth2 { flow: u8, scopes: Vec<Name> },
    OpenIdConnect,
    MutualTls,
    Other(Value),
}

impl SecurityScheme {
    fn value(&self, v: Version) -> J {
        let mut o = Obj::new();
        match self {
            SecurityScheme::ApiKey { name, location } => {
                o.put("type", s("apiKey"));
                o.put("name", s(name.text()));
                o.put("in", s(location.text()));
            }
            SecurityScheme::Http { scheme } => {
                o.put("type", s("http"));
                o.put("scheme", s(scheme.text()));
            }
            SecurityScheme::Basic => {
                o.put("type", s("basic"));
            }
            SecurityScheme::OAuth2 { flow, scopes } => {
                o.put("type", s("oauth2"));
                let scopes = map(scopes.iter().map(|n| (n.text(), s("scope"))));
                if v.v2() {
                    let f = ["implicit", "password", "application", "accessCode"]
                        [usize::from(*flow) % 4];
                    o.put("flow", s(f));
                    o.put("authorizationUrl", s("https://example.com/auth"));
                    o.put("tokenUrl", s("https://example.com/token"));
                    o.put("scopes", scopes);
                } else {
                    let f = [
                        "implicit",
                        "password",
                        "clientCredentials",
                        "authorizationCode",
                    ][usize::from(*flow) % 4];
                    o.put(
                        "flows",
                        map([(
                            f.to_string(),
                            map([
                                ("authorizationUrl".into(), s("https://example.com/auth")),
                                ("tokenUrl".into(), s("http://example.com/token")),
                                ("scopes".into(), scopes),
                            ]),
                        )]),
                    );
                }
            }
            SecurityScheme::OpenIdConnect => {
                o.put("type", s("openIdConnect"));
                o.put(
                    "openIdConnectUrl",
                    s("https://example.com/.well-known/openid-configuration"),
                );
            }
            SecurityScheme::MutualTls => {
                o.put("type", s("mutualTLS"));
            }
            SecurityScheme::Other(x) => return x.value(),
        }
        o.done()
    }
}

/// A security requirement: scheme names with their scopes (an empty one makes security optional).
#[derive(Arbitrary, Clone, Debug)]
struct Requirement(Vec<(Name, Vec<Name>)>);

impl Requirement {
    fn value(&self) -> J {
        map(self.0.iter().map(|(n, scopes)| {
            (
                n.text(),
                J::Seq(scopes.iter().map(|x| s(x.text())).collect()),
            )
        }))
    }
}

#[derive(Arbitrary, Clone, Copy, Debug)]
enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    Null,
    File,
}

impl Type {
    fn text(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Object => "object",
            Type::Array => "array",
            Type::Null => "null",
            Type::File => "file",
        }
    }
}

/// A schema. The variants that do not nest come first: past the end of the input, the first is chosen.
#[derive(Arbitrary, Clone, Debug)]
enum Schema {
    Ref(Ref),
    /// 3.1: `$ref` with sibling keywords.
    RefWithSiblings(Ref, Box<Object>),
    Object(Box<Object>),
    Bool(bool),
    Wrong(Value),
}

impl Schema {
    fn value(&self, v: Version) -> J {
        match self {
            Schema::Ref(r) => r.value(v),
            Schema::RefWithSiblings(r, o) => {
                let mut x = o.value(v);
                if let J::Map(fields) = &mut x {
                    fields.insert(0, ("$ref".into(), s(r.text(v))));
                }
                x
            }
            Schema::Object(o) => o.value(v),
            Schema::Bool(b) => J::Bool(*b),
            Schema::Wrong(x) => x.value(),
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
struct Object {
    types: Vec<Type>,
    format: Option<Name>,
    max_length: Option<i64>,
    min_length: Option<u8>,
    bounds: Option<(f64, bool)>,
    enumeration: Option<Vec<Value>>,
    constant: Option<Value>,
    pattern: Option<u8>,
    nullable: bool,
    read_only: bool,
    write_only: bool,
    anchor: Option<Name>,
    properties: Vec<(Name, Schema)>,
    required: Vec<Name>,
    items: Option<Schema>,
    additional: Option<Schema>,
    all_of: Vec<Schema>,
    any_of: Vec<Schema>,
    one_of: Vec<Schema>,
    not: Option<Schema>,
    ignore: Option<Ignore>,
    extra: Vec<(Name, Value)>,
}

impl Object {
    fn value(&self, v: Version) -> J {
        let mut o = Obj::new();
        match self.types.as_slice() {
            [] => {}
            [one] => {
                o.put("type", s(one.text()));
            }
            many => {
                o.put("type", J::Seq(many.iter().map(|t| s(t.text())).collect()));
            }
        }
        o.opt("format", self.format.as_ref().map(|n| s(n.text())));
        o.opt("maxLength", self.max_length.map(|n| J::Num(n.to_string())));
        o.opt("minLength", self.min_length.map(|n| J::Num(n.to_string())));
        if let Some((bound, exclusive)) = self.bounds {
            o.put("maximum", J::Num(float(bound)));
            if v.v31() {
                o.put("exclusiveMinimum", J::Num(float(bound)));
            } else {
                o.put("exclusiveMaximum", J::Bool(exclusive));
            }
        }
        o.opt(
            "enum",
            self.enumeration
                .as_ref()
                .map(|e| J::Seq(e.iter().map(Value::value).collect())),
        );
        o.opt("const", self.constant.as_ref().map(Value::value));
        o.opt(
            "pattern",
            self.pattern
                .map(|p| s(["^[a-z]+$", "^.*$", "[", "\\d{1,3}", "(a|b)*"][usize::from(p) % 5])),
        );
        if self.nullable {
            o.put(
                if v.v2() { "x-nullable" } else { "nullable" },
                J::Bool(true),
            );
        }
        if self.read_only {
            o.put("readOnly", J::Bool(true));
        }
        if self.write_only {
            o.put("writeOnly", J::Bool(true));
        }
        o.opt("$anchor", self.anchor.as_ref().map(|n| s(n.text())));
        o.nonempty(
            "properties",
            map(self.properties.iter().map(|(n, x)| (n.text(), x.value(v)))),
        );
        o.nonempty(
            "required",
            J::Seq(self.required.iter().map(|n| s(n.text())).collect()),
        );
        o.opt("items", self.items.as_ref().map(|x| x.value(v)));
        o.opt(
            "additionalProperties",
            self.additional.as_ref().map(|x| x.value(v)),
        );
        for (key, list) in [
            ("allOf", &self.all_of),
            ("anyOf", &self.any_of),
            ("oneOf", &self.one_of),
        ] {
            o.nonempty(key, J::Seq(list.iter().map(|x| x.value(v)).collect()));
        }
        o.opt("not", self.not.as_ref().map(|x| x.value(v)));
        o.opt("x-rampart-ignore", self.ignore.as_ref().map(Ignore::value));
        for (k, x) in &self.extra {
            o.put(&k.text(), x.value());
        }
        o.done()
    }
}

/// JSON text, pretty-printed.
fn json(value: &J) -> String {
    let mut out = String::new();
    write_json(value, 0, &mut out);
    out.push('\n');
    out
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn write_json(value: &J, indent: usize, out: &mut String) {
    let pad = |n: usize| " ".repeat(n);
    match value {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) if n == ".nan" => out.push_str("null"),
        J::Num(n) => out.push_str(n),
        J::Str(t) => out.push_str(&quote(t)),
        J::Seq(items) if items.is_empty() => out.push_str("[]"),
        J::Map(entries) if entries.is_empty() => out.push_str("{}"),
        J::Seq(items) => {
            out.push_str("[\n");
            for (i, x) in items.iter().enumerate() {
                out.push_str(&pad(indent + 2));
                write_json(x, indent + 2, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        J::Map(entries) => {
            out.push_str("{\n");
            for (i, (k, x)) in entries.iter().enumerate() {
                out.push_str(&pad(indent + 2));
                out.push_str(&quote(k));
                out.push_str(": ");
                write_json(x, indent + 2, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
    }
}

/// YAML text in block style; strings plain where that reads back as the same string, else quoted.
fn yaml(value: &J) -> String {
    let mut out = String::new();
    match value {
        J::Map(entries) if !entries.is_empty() => write_yaml_map(entries, 0, &mut out),
        J::Seq(items) if !items.is_empty() => write_yaml_seq(items, 0, &mut out),
        scalar => {
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
    out
}

fn is_block(value: &J) -> bool {
    match value {
        J::Map(v) => !v.is_empty(),
        J::Seq(v) => !v.is_empty(),
        _ => false,
    }
}

fn write_yaml_map(entries: &[(String, J)], indent: usize, out: &mut String) {
    for (i, (k, x)) in entries.iter().enumerate() {
        // The first entry of a map inside a sequence follows its `- `.
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&yaml_string(k));
        out.push(':');
        match x {
            J::Map(m) if !m.is_empty() => {
                out.push('\n');
                write_yaml_map(m, indent + 2, out);
            }
            J::Seq(items) if !items.is_empty() => {
                out.push('\n');
                write_yaml_seq(items, indent, out);
            }
            scalar => {
                out.push(' ');
                out.push_str(&yaml_scalar(scalar));
                out.push('\n');
            }
        }
    }
}

fn write_yaml_seq(items: &[J], indent: usize, out: &mut String) {
    for x in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match x {
            J::Map(m) if is_block(x) => write_yaml_map(m, indent + 2, out),
            J::Seq(inner) if is_block(x) => {
                out.push('\n');
                write_yaml_seq(inner, indent + 2, out);
            }
            scalar => {
                out.push_str(&yaml_scalar(scalar));
                out.push('\n');
            }
        }
    }
}

fn yaml_scalar(value: &J) -> String {
    match value {
        J::Null => "null".into(),
        J::Bool(b) => b.to_string(),
        J::Num(n) => match n.as_str() {
            "1e999" => ".inf".into(),
            "-1e999" => "-.inf".into(),
            n => n.into(),
        },
        J::Str(t) => yaml_string(t),
        J::Seq(_) => "[]".into(),
        J::Map(_) => "{}".into(),
    }
}

fn yaml_string(text: &str) -> String {
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./{} ".contains(c))
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { text.to_string() } else { quote(text) }
}

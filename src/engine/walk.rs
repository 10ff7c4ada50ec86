//! The walker: one pass over a document with every enabled rule listening. Schemas are collected
//! with how they are used (request, response, error response), then each is visited exactly once.
//!
//! A large document is walked on every core: its path items and its schemas are shared out among
//! tasks, each reporting into a context that only records (`Context::recording`); the records are
//! replayed into the document's context in the order of a walk on one thread, so the findings, and
//! what the rules hold back until the document's end, are the same.

use super::sink::{ContentKey, Finished, Label, MAX_RELATED, Place, Policy};
use super::{Context, Finding, Rule, builtin};
use crate::diagnostic::Severity;
use crate::document::model::{
    Cx, Document, Edge, EffectiveSecurity, Operation, PathItem, Response, Schema,
};
use crate::document::{DocumentSet, FileId, NodeMap, NodeRef, problem};
use crate::pipeline::pipelined;
use crate::source::Kind;

/// How a schema is used, as a set of flags.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Usage(u8);

impl Usage {
    /// Sent by clients: parameters, request headers, request bodies.
    pub const REQUEST: Usage = Usage(1);
    /// Returned by the API.
    pub const RESPONSE: Usage = Usage(2);
    /// Part of a 4xx, 5xx or `default` response.
    pub const ERROR: Usage = Usage(4);
    /// Part of a 2xx response.
    pub const SUCCESS: Usage = Usage(8);

    pub fn contains(self, other: Usage) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: Usage) -> Usage {
        Usage(self.0 | other.0)
    }

    pub fn without(self, other: Usage) -> Usage {
        Usage(self.0 & !other.0)
    }
}

/// What a rule learns about a schema beside the schema itself.
pub struct SchemaUsage<'a> {
    pub usage: Usage,
    /// Where the schema (or the named schemas it is part of) is referenced, with the usage that
    /// reached it through each reference: one group per way the schema is reached.
    groups: Vec<&'a [(NodeRef, Usage)]>,
}

impl SchemaUsage<'_> {
    pub fn is_request(&self) -> bool {
        self.usage.contains(Usage::REQUEST)
    }

    pub fn is_response(&self) -> bool {
        self.usage.contains(Usage::RESPONSE)
    }

    pub fn is_error_response(&self) -> bool {
        self.usage.contains(Usage::ERROR)
    }

    pub fn is_success_response(&self) -> bool {
        self.usage.contains(Usage::SUCCESS)
    }

    /// The reference sites, as related locations for a finding.
    pub fn related(&self) -> Sites {
        self.sites(None)
    }

    /// The reference sites through which the schema is used as `usage` (request sites for a request finding).
    pub fn related_for(&self, usage: Usage) -> Sites {
        self.sites(Some(usage))
    }

    /// The first sites, in the order they were met, as many as a diagnostic keeps, and how many
    /// more there are. Each site is in one group only (a `$ref` has one target), so nothing repeats.
    /// Labels are made only for findings that are reported.
    fn sites(&self, usage: Option<Usage>) -> Sites {
        let mut out = Sites::default();
        for &(n, u) in self.groups.iter().flat_map(|g| g.iter()) {
            if !usage.is_none_or(|want| u.contains(want)) {
                continue;
            }
            if out.list.len() < MAX_RELATED {
                out.list.push((n, Label::ReferencedBy));
            } else {
                out.more += 1;
            }
        }
        out
    }

    /// Every reference site with the usage that reached the schema through it, none left out.
    pub fn sites_with_usage(&self) -> impl Iterator<Item = (NodeRef, Usage)> + '_ {
        self.groups.iter().flat_map(|g| g.iter().copied())
    }
}

/// Reference sites of a schema for a finding: the first [`MAX_RELATED`] and a count of the rest.
#[derive(Default)]
pub struct Sites {
    pub list: Vec<(NodeRef, Label)>,
    pub more: usize,
}

impl IntoIterator for Sites {
    type Item = (NodeRef, Label);
    type IntoIter = std::vec::IntoIter<(NodeRef, Label)>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

/// An operation with what rules need around it.
pub struct OperationInfo<'a> {
    pub doc: Document<'a>,
    pub item: PathItem<'a>,
    pub op: Operation<'a>,
    /// Lower-case method as written (`get`).
    pub method: &'a str,
    /// The path template (or webhook name, or callback expression).
    pub path: &'a str,
    /// The method key.
    pub key: NodeRef,
    pub security: EffectiveSecurity<'a>,
    pub kind: OperationKind,
    /// [`label`](Self::label), made the first time a rule asks for it.
    label: std::sync::OnceLock<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OperationKind {
    Path,
    Webhook,
    Callback,
}

/// An operation's method, path and kind: enough to name it in a finding made after the walk has
/// moved on (see [`Context::defer`](super::Context::defer)).
#[derive(Clone, Copy)]
pub struct OperationSite<'a> {
    pub kind: OperationKind,
    pub method: &'a str,
    pub path: &'a str,
}

impl OperationSite<'_> {
    /// "`GET /users/{id}`" (or "`POST` of webhook `newPet`").
    pub fn label(&self) -> String {
        let between = match self.kind {
            OperationKind::Path => " ",
            OperationKind::Webhook => "` of webhook `",
            OperationKind::Callback => "` of callback `",
        };
        let mut label =
            String::with_capacity(self.method.len() + between.len() + self.path.len() + 2);
        label.push('`');
        label.extend(self.method.chars().map(|c| c.to_ascii_uppercase()));
        label.push_str(between);
        label.push_str(self.path);
        label.push('`');
        label
    }
}

impl<'a> OperationInfo<'a> {
    /// "`GET /users/{id}`" (or "`POST` of webhook `newPet`").
    pub fn label(&self) -> &str {
        self.label.get_or_init(|| self.site().label())
    }

    /// What names the operation, without the rest: for a finding made later.
    pub fn site(&self) -> OperationSite<'a> {
        OperationSite {
            kind: self.kind,
            method: self.method,
            path: self.path,
        }
    }

    /// POST, PUT, PATCH and DELETE change state.
    pub fn is_write(&self) -> bool {
        matches!(self.method, "post" | "put" | "patch" | "delete")
    }
}

/// A response of an operation.
pub struct ResponseInfo<'o, 'a> {
    pub op: &'o OperationInfo<'a>,
    /// The status code as written: `200`, `4XX`, `default`.
    pub code: &'a str,
    pub key: NodeRef,
    pub response: Response<'a>,
}

impl ResponseInfo<'_, '_> {
    /// 2xx (including `2XX`).
    pub fn is_success(&self) -> bool {
        self.code.starts_with('2')
    }

    /// 4xx (including `4XX`).
    pub fn is_client_error(&self) -> bool {
        self.code.starts_with('4')
    }

    /// 4xx, 5xx, or `default` beside an explicit 2xx (an operation whose only answer is `default`
    /// describes its success there).
    pub fn is_error(&self) -> bool {
        self.code.starts_with('4')
            || self.code.starts_with('5')
            || (self.code == "default"
                && self
                    .op
                    .op
                    .responses()
                    .iter()
                    .any(|(code, _, _)| code.starts_with('2')))
    }

    /// "the `404` response of `GET /users/{id}`"; for a shared response, its name and how many
    /// places use it: "the shared response `NotFound` (used in 88 places)".
    pub fn label(&self) -> String {
        self.site().label_with(self.op.label())
    }

    /// A finding about the response as a whole: at its status code when it is written inline; at
    /// its definition when it is a shared (`$ref`) response, with this use as a related location,
    /// so that a definition used by many operations is reported once. The response is known by
    /// where it is (its status code and operation, or its name), so editing its description or
    /// a sibling response keeps the fingerprint.
    pub fn finding(
        &self,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Finding {
        self.site().finding_with(self.op.label(), message, help)
    }
}

impl<'a> ResponseInfo<'_, 'a> {
    /// What names the response and places its findings, without the rest: for a finding made
    /// later.
    pub fn site(&self) -> ResponseSite<'a> {
        ResponseSite {
            op: self.op.site(),
            code: self.code,
            key: self.key,
            response: self.response,
        }
    }
}

/// A response's operation, status code and place: enough to name it in a finding made after the
/// walk has moved on (see [`Context::defer`](super::Context::defer)).
#[derive(Clone, Copy)]
pub struct ResponseSite<'a> {
    pub op: OperationSite<'a>,
    pub code: &'a str,
    pub key: NodeRef,
    pub response: Response<'a>,
}

impl ResponseSite<'_> {
    /// See [`ResponseInfo::label`].
    pub fn label(&self) -> String {
        self.label_with(&self.op.label())
    }

    /// See [`ResponseInfo::finding`].
    pub fn finding(
        &self,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Finding {
        self.finding_with(&self.op.label(), message, help)
    }

    /// Where [`finding`](Self::finding) points.
    pub fn at(&self) -> NodeRef {
        if self.response.via_ref() {
            self.response.node
        } else {
            self.key
        }
    }

    fn label_with(&self, op: &str) -> String {
        let here = || format!("the `{}` response of {op}", self.code);
        if !self.response.via_ref() {
            return here();
        }
        let set = self.response.set();
        let node = self.response.node;
        // A component is named by its key; a response that is a file of its own, by the file.
        let name = match set.key_of(node).and_then(|k| set.text(k)) {
            Some(name) => name.to_string(),
            None => set
                .file(node.file)
                .path
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .to_string(),
        };
        // Uses are the `$ref`s of operations, not shared definitions that alias this one.
        match set.response_uses(node) {
            // Used once: its one use names it best.
            0 | 1 => here(),
            n => format!("the shared response `{name}` (used in {n} places)"),
        }
    }

    fn finding_with(
        &self,
        op: &str,
        message: impl Into<String>,
        help: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Finding {
        let key = ContentKey::None;
        if self.response.via_ref() {
            Finding::new(self.response.node, message, help)
                .on_key()
                .related([(self.key, format!("returned by {op}"))])
                .key(key)
        } else {
            Finding::new(self.key, message, help).key(key)
        }
    }
}

/// What makes a schema the same schema for the walk: its definition; but in 3.1 a `$ref` with
/// sibling keywords is a schema of its own (the siblings apply on top of the definition).
fn identity(schema: &Schema<'_>) -> NodeRef {
    if schema.via_ref()
        && schema.version() == crate::document::Version::V31
        && schema
            .set()
            .fields(schema.site)
            .any(|(k, _, _)| k != "$ref")
    {
        schema.site
    } else {
        schema.node
    }
}

struct SchemaRoot<'a> {
    schema: Schema<'a>,
    usage: Usage,
    /// The reference site that brings the schema in: its own `$ref`, else the `$ref` of the shared
    /// parameter, body, header or response it is written in.
    via: Option<NodeRef>,
}

impl<'a> SchemaRoot<'a> {
    fn new(schema: Schema<'a>, usage: Usage, containers: &[Option<NodeRef>]) -> SchemaRoot<'a> {
        let via = if schema.via_ref() {
            Some(schema.site)
        } else {
            containers.iter().copied().flatten().next()
        };
        SchemaRoot { schema, usage, via }
    }
}

/// The `$ref` site of a shared component (`node` is its definition, `site` where it is used).
fn shared(node: NodeRef, site: NodeRef) -> Option<NodeRef> {
    (node != site).then_some(site)
}

/// Schemas visited by one task: a document with many schemas is visited on every core.
pub(super) const SCHEMAS_PER_TASK: usize = 64;

/// Tasks run together before their findings are given to the sink.
pub(super) const TASKS_PER_BATCH: usize = 32;

/// Lints one OpenAPI document with the given rules (the enabled ones); one walk, every rule
/// listening. Structure problems are reported even when no rule is enabled.
pub fn lint_document(
    set: &DocumentSet,
    root: FileId,
    rules: &[&dyn Rule],
    policy: &Policy,
    project_root: &std::path::Path,
) -> Finished {
    let Some(doc) = Document::new(set, root) else {
        return Finished::default();
    };
    let mut cx = Context::new(set, policy);
    let mut w = Walker::new(set, rules, &mut cx);
    w.document(&doc);
    let roots = std::mem::take(&mut w.roots);
    w.schemas(&doc, roots);
    for r in rules {
        w.cx.set_rule(r.meta());
        r.check_document_end(&doc, w.cx);
    }
    cx.into_sink().finish(set, project_root)
}

/// Reports a problem with the document's structure (found on the walk).
fn structure(cx: &mut Context<'_>, at: NodeRef, message: String, help: Option<String>) {
    cx.report_builtin(problem(
        &builtin::STRUCTURE,
        Severity::Error,
        Place::Node { at, on_key: false },
        message,
        help,
    ));
}

/// Keywords whose value has one shape; a wrong one reads as absent, so say so once.
fn schema_shape(set: &DocumentSet, cx: &mut Context<'_>, schema: &Schema<'_>) {
    for (key, _, value) in set.fields(schema.node) {
        let kind = set.kind(value);
        // (what the keyword must be, whether it is)
        let (want, ok) = match key {
            "properties" | "patternProperties" => ("a mapping", kind == Kind::Mapping),
            // In 2.0 a parameter or header is its own schema, and its `required` is a boolean.
            "required" if schema.version().is_v2() => continue,
            "required" | "allOf" | "anyOf" | "oneOf" | "enum" | "prefixItems" => {
                ("a list", kind == Kind::Sequence)
            }
            "type" => (
                "a type name or a list of them",
                matches!(kind, Kind::Str | Kind::Sequence),
            ),
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties"
            | "minProperties" => (
                "a non-negative integer",
                kind == Kind::Int && set.tree(value.file).as_u64(value.node).is_some(),
            ),
            "maximum" | "minimum" | "multipleOf" => {
                ("a number", matches!(kind, Kind::Int | Kind::Float))
            }
            _ => continue,
        };
        if !ok {
            structure(
                cx,
                value,
                format!("`{key}` must be {want}, found {}", kind.describe()),
                Some(format!("write `{key}` as {want}; until then it is ignored")),
            );
        }
    }
}

struct Walker<'w, 'a> {
    set: &'a DocumentSet,
    rules: &'w [&'w dyn Rule],
    cx: &'w mut Context<'a>,
    roots: Vec<SchemaRoot<'a>>,
    /// Callback path items already walked: callbacks can reference path items that hold callbacks
    /// again, so each is walked once per document.
    callbacks_seen: std::collections::HashSet<NodeRef>,
    /// Set when walking part of the document on another thread (its context records): the schema
    /// roots and callbacks it comes to, each with how much the context had recorded by then, for
    /// [`Walker::replay`].
    found: Option<Vec<(usize, Found<'a>)>>,
}

/// What a walk of part of a document comes to besides its findings.
enum Found<'a> {
    Root(SchemaRoot<'a>),
    /// A callback path item, walked (once per document) when the part is replayed.
    Callback {
        expr: &'a str,
        key: NodeRef,
        item: PathItem<'a>,
        depth: usize,
    },
}

/// Path items walked by one task: a document with many paths is walked on every core.
pub(super) const PATHS_PER_TASK: usize = 16;

macro_rules! each_rule {
    ($w:expr, |$r:ident, $cx:ident| $body:expr) => {
        for $r in $w.rules.iter() {
            $w.cx.set_rule($r.meta());
            let $cx: &mut Context<'_> = &mut *$w.cx;
            $body;
        }
    };
}

impl<'w, 'a> Walker<'w, 'a> {
    fn new(set: &'a DocumentSet, rules: &'w [&'w dyn Rule], cx: &'w mut Context<'a>) -> Self {
        Walker {
            set,
            rules,
            cx,
            roots: Vec::new(),
            callbacks_seen: std::collections::HashSet::new(),
            found: None,
        }
    }

    fn structure(&mut self, at: NodeRef, message: String, help: Option<String>) {
        structure(self.cx, at, message, help);
    }

    fn shape(&mut self, n: Option<NodeRef>, want: Kind, what: &str) -> bool {
        let Some(n) = n else { return true };
        let got = self.set.kind(n);
        if got == want {
            return true;
        }
        self.structure(
            n,
            format!(
                "{what} must be {}, found {}",
                want.describe(),
                got.describe()
            ),
            Some("fix the document's structure here; this part is skipped until then".into()),
        );
        false
    }

    /// Like `shape`, with the label made only when there is a problem.
    fn expect(&mut self, n: Option<NodeRef>, want: Kind, what: impl FnOnce() -> String) -> bool {
        match n {
            Some(n) if self.set.kind(n) != want => self.shape(Some(n), want, &what()),
            _ => true,
        }
    }

    /// Every (non-extension) entry of a mapping must be a mapping after following `$ref`s.
    fn entries_shape(&mut self, map: Option<NodeRef>, what: &str) {
        let Some(map) = map else { return };
        for (name, _, value) in self.set.fields(map) {
            if name.starts_with("x-") {
                continue;
            }
            let value = self.set.deref(value);
            self.expect(value, Kind::Mapping, || format!("{what} `{name}`"));
        }
    }

    fn document(&mut self, doc: &Document<'a>) {
        let set = self.set;
        let cx = doc.cx;
        let paths = set.get(doc.node, "paths");
        self.shape(paths, Kind::Mapping, "`paths`");
        self.shape(set.get(doc.node, "security"), Kind::Sequence, "`security`");
        self.shape(
            doc.security_schemes_node(),
            Kind::Mapping,
            "the security schemes",
        );
        if cx.version.is_v2() {
            for key in ["definitions", "parameters", "responses"] {
                self.shape(set.get(doc.node, key), Kind::Mapping, &format!("`{key}`"));
            }
            for key in ["schemes", "consumes", "produces"] {
                self.shape(set.get(doc.node, key), Kind::Sequence, &format!("`{key}`"));
            }
        } else {
            self.shape(set.get(doc.node, "servers"), Kind::Sequence, "`servers`");
            self.shape(
                set.get(doc.node, "components"),
                Kind::Mapping,
                "`components`",
            );
        }
        self.entries_shape(paths, "path");
        if cx.version == crate::document::Version::V31 {
            let webhooks = set.get(doc.node, "webhooks");
            if self.shape(webhooks, Kind::Mapping, "`webhooks`") {
                self.entries_shape(webhooks, "webhook");
            }
        }
        // A document walked on every core has the uses of its shared responses counted meanwhile:
        // the first response label asks for them, and the other threads would wait.
        let many_paths = paths.is_some_and(|p| set.fields(p).nth(PATHS_PER_TASK).is_some());
        rayon::in_place_scope(|scope| {
            if many_paths {
                scope.spawn(|_| set.count_response_uses());
            }
            each_rule!(self, |r, c| r.check_document(doc, c));
            for server in doc.servers() {
                each_rule!(self, |r, c| r.check_server(&server, c));
            }
            for (name, key, scheme) in doc.security_schemes() {
                each_rule!(self, |r, c| r.check_security_scheme(name, key, &scheme, c));
            }
        });
        self.paths(doc);
        for (name, key, item) in doc.webhooks() {
            self.path_item(doc, name, key, &item, OperationKind::Webhook, 0);
        }
    }

    /// Walks the path items, a share of them on each thread when there are many. Each share is
    /// walked with a recording context; the records are then replayed here, in order, with the
    /// schema roots and callbacks the share came to: the same as a walk on one thread.
    fn paths(&mut self, doc: &Document<'a>) {
        let paths = doc.paths();
        let per_task = super::per_task(PATHS_PER_TASK);
        if paths.len() <= per_task {
            for (path, key, item) in paths {
                self.path_item(doc, path, key, &item, OperationKind::Path, 0);
            }
            return;
        }
        let (set, rules, policy) = (self.set, self.rules, self.cx.policy());
        let walk = |share: &[(&'a str, NodeRef, PathItem<'a>)]| {
            let mut cx = Context::recording(set, policy);
            let mut w = Walker::new(set, rules, &mut cx);
            w.found = Some(Vec::new());
            for (path, key, item) in share {
                w.path_item(doc, path, *key, item, OperationKind::Path, 0);
            }
            let found = w.found.take().unwrap_or_default();
            (cx.into_recorded(), found)
        };
        use rayon::prelude::*;
        let shares: Vec<&[(&'a str, NodeRef, PathItem<'a>)]> = paths.chunks(per_task).collect();
        let walk_batch = |batch: &[&[(&'a str, NodeRef, PathItem<'a>)]]| -> Vec<_> {
            batch.par_iter().map(|share| walk(share)).collect()
        };
        pipelined(shares.chunks(TASKS_PER_BATCH), &walk_batch, |walked| {
            for (recorded, found) in walked {
                self.replay(doc, recorded, found);
            }
        });
    }

    /// Replays what a share of the document recorded, with what it came to at each point.
    fn replay(
        &mut self,
        doc: &Document<'a>,
        recorded: Vec<super::context::Recorded<'a>>,
        found: Vec<(usize, Found<'a>)>,
    ) {
        let mut found = found.into_iter().peekable();
        for (at, record) in recorded.into_iter().enumerate() {
            while let Some((_, f)) = found.next_if(|(when, _)| *when <= at) {
                self.come_to(doc, f);
            }
            self.cx.replay(record);
        }
        for (_, f) in found {
            self.come_to(doc, f);
        }
    }

    fn come_to(&mut self, doc: &Document<'a>, found: Found<'a>) {
        match found {
            Found::Root(root) => self.root(root),
            Found::Callback {
                expr,
                key,
                item,
                depth,
            } => self.callback(doc, expr, key, &item, depth),
        }
    }

    /// A schema that the operations use, visited with the others once the paths are walked.
    fn root(&mut self, root: SchemaRoot<'a>) {
        match &mut self.found {
            Some(found) => found.push((self.cx.recorded_len(), Found::Root(root))),
            None => self.roots.push(root),
        }
    }

    /// A callback's path item, walked once per document.
    fn callback(
        &mut self,
        doc: &Document<'a>,
        expr: &'a str,
        key: NodeRef,
        item: &PathItem<'a>,
        depth: usize,
    ) {
        if let Some(found) = &mut self.found {
            let callback = Found::Callback {
                expr,
                key,
                item: *item,
                depth,
            };
            found.push((self.cx.recorded_len(), callback));
            return;
        }
        if !self.callbacks_seen.insert(item.node) {
            return;
        }
        self.path_item(doc, expr, key, item, OperationKind::Callback, depth);
    }

    fn path_item(
        &mut self,
        doc: &Document<'a>,
        path: &'a str,
        key: NodeRef,
        item: &PathItem<'a>,
        kind: OperationKind,
        depth: usize,
    ) {
        if depth > 8 {
            return;
        }
        self.shape(
            self.set.get(item.node, "parameters"),
            Kind::Sequence,
            "`parameters`",
        );
        for (method, _, value) in self.set.fields(item.node) {
            if crate::document::model::METHODS.contains(&method) {
                let value = self.set.deref(value);
                self.expect(value, Kind::Mapping, || format!("operation `{method}`"));
            }
        }
        each_rule!(self, |r, c| r.check_path_item(path, key, item, c));
        for (method, mkey, op) in item.operations() {
            let info = OperationInfo {
                doc: *doc,
                item: *item,
                op,
                method,
                path,
                key: mkey,
                security: EffectiveSecurity::of(doc, &op),
                kind,
                label: std::sync::OnceLock::new(),
            };
            self.operation(&info, depth);
        }
    }

    fn operation(&mut self, info: &OperationInfo<'a>, depth: usize) {
        let set = self.set;
        let op = info.op;
        self.shape(
            set.get(op.node, "parameters"),
            Kind::Sequence,
            "`parameters`",
        );
        self.shape(set.get(op.node, "security"), Kind::Sequence, "`security`");
        let responses_ok = self.shape(op.responses_node(), Kind::Mapping, "`responses`");
        if responses_ok {
            self.entries_shape(op.responses_node(), "response");
        }
        if let Some(list) = set.get(op.node, "parameters") {
            for p in set.items(list) {
                self.expect(set.deref(p), Kind::Mapping, || "a parameter".to_string());
            }
        }
        each_rule!(self, |r, c| r.check_operation(info, c));
        // Webhooks and callbacks are requests the API sends: their bodies are data it produces,
        // their responses data it receives.
        let outbound = info.kind != OperationKind::Path;
        let (sent, received) = if outbound {
            (Usage::RESPONSE, Usage::REQUEST)
        } else {
            (Usage::REQUEST, Usage::RESPONSE)
        };

        for param in op.parameters(&info.item) {
            each_rule!(self, |r, c| r.check_parameter(&param, info, c));
            if let Some(schema) = param.schema() {
                self.root(SchemaRoot::new(
                    schema,
                    sent,
                    &[shared(param.node, param.site)],
                ));
            }
        }
        for field in op.form_fields(&info.item) {
            if let Some(schema) = field.schema() {
                self.root(SchemaRoot::new(
                    schema,
                    sent,
                    &[shared(field.node, field.site)],
                ));
            }
        }
        if let Some(body) = op.request_body(&info.item) {
            each_rule!(self, |r, c| r.check_request_body(&body, info, c));
            for mt in body.content(&op) {
                if let Some(schema) = mt.schema {
                    self.root(SchemaRoot::new(
                        schema,
                        sent,
                        &[shared(body.node, body.site)],
                    ));
                }
            }
        }
        if responses_ok {
            for (code, key, response) in op.responses() {
                let ri = ResponseInfo {
                    op: info,
                    code,
                    key,
                    response,
                };
                each_rule!(self, |r, c| r.check_response(&ri, c));
                // Only a 2xx makes a schema success data, so that an operation answering only
                // `default` (or a redirect) does not turn an error schema into business data.
                let usage = if outbound {
                    received
                } else if ri.is_error() {
                    Usage::RESPONSE.union(Usage::ERROR)
                } else if ri.is_success() {
                    Usage::RESPONSE.union(Usage::SUCCESS)
                } else {
                    Usage::RESPONSE
                };
                for (name, hkey, header) in response.headers() {
                    each_rule!(self, |r, c| r.check_header(name, hkey, &header, &ri, c));
                    if let Some(schema) = header.schema() {
                        self.root(SchemaRoot::new(
                            schema,
                            received,
                            &[
                                shared(header.node, header.site),
                                shared(response.node, response.site),
                            ],
                        ));
                    }
                }
                for mt in response.content(&op) {
                    if let Some(schema) = mt.schema {
                        self.root(SchemaRoot::new(
                            schema,
                            usage,
                            &[shared(response.node, response.site)],
                        ));
                    }
                }
            }
        }
        for (_, expr, key, item) in op.callbacks() {
            self.callback(&info.doc, expr, key, &item, depth + 1);
        }
    }

    /// Propagates usage through the schema graph, then visits every schema once.
    fn schemas(&mut self, doc: &Document<'a>, roots: Vec<SchemaRoot<'a>>) {
        struct State<'a> {
            schema: Schema<'a>,
            usage: Usage,
            sites: Vec<(NodeRef, Usage)>,
            /// The schemas whose reference sites stand for this one: itself when it is referenced or
            /// a root, else the anchors of the schemas it is nested in (one per way it is reached).
            anchors: Vec<usize>,
        }
        let cx: Cx<'a> = doc.cx;
        let mut states: Vec<State<'a>> = Vec::new();
        let mut index: NodeMap<usize> = NodeMap::default();
        // (state, reference site) → position in that state's `sites`.
        let mut site_index: crate::document::FastMap<(usize, NodeRef), usize> =
            crate::document::FastMap::default();
        // (schema, usage, reference site, anchor of the parent)
        type Item<'a> = (Schema<'a>, Usage, Option<NodeRef>, Option<usize>);
        let mut work: Vec<Item<'a>> = Vec::new();
        for root in roots.into_iter().rev() {
            work.push((root.schema, root.usage, root.via, None));
        }
        let named: Vec<Schema<'a>> = doc.schemas().into_iter().map(|(_, _, s)| s).collect();
        let mut named_queued = false;
        loop {
            let Some((schema, usage, via, parent_anchor)) = work.pop() else {
                if named_queued {
                    break;
                }
                named_queued = true;
                // Named schemas that nothing reached are still visited, with no usage.
                for s in named.iter().rev() {
                    if !index.contains_key(&identity(s)) {
                        work.push((*s, Usage::default(), None, None));
                    }
                }
                continue;
            };
            let (i, fresh) = match index.get(&identity(&schema)) {
                Some(&i) => (i, false),
                None => {
                    let i = states.len();
                    states.push(State {
                        schema,
                        usage: Usage::default(),
                        sites: Vec::new(),
                        anchors: Vec::new(),
                    });
                    index.insert(identity(&schema), i);
                    (i, true)
                }
            };
            if let Some(site) = via {
                match site_index.get(&(i, site)) {
                    Some(&k) => states[i].sites[k].1 = states[i].sites[k].1.union(usage),
                    None => {
                        site_index.insert((i, site), states[i].sites.len());
                        states[i].sites.push((site, usage));
                    }
                }
            }
            let anchor = match parent_anchor {
                Some(a) if via.is_none() => a,
                _ => i,
            };
            let new_anchor = !states[i].anchors.contains(&anchor);
            if new_anchor {
                states[i].anchors.push(anchor);
            }
            let before = states[i].usage;
            let after = before.union(usage);
            if !fresh && after == before && !new_anchor {
                continue;
            }
            states[i].usage = after;
            let parent = states[i].schema;
            for (edge, site) in parent.subschemas() {
                let Some(child) = Schema::at(cx, site) else {
                    continue;
                };
                let mut u = after;
                if edge == Edge::Not {
                    // `not` describes values that are rejected, not data that travels.
                    u = Usage::default();
                }
                if matches!(edge, Edge::Property(_)) {
                    if child.read_only() {
                        u = u.without(Usage::REQUEST);
                    }
                    if child.write_only() {
                        u = u
                            .without(Usage::RESPONSE)
                            .without(Usage::ERROR)
                            .without(Usage::SUCCESS);
                    }
                }
                let via = child.via_ref().then_some(site);
                work.push((child, u, via, Some(anchor)));
            }
        }
        // What the propagation needed is freed before the visit, which holds the findings: on a
        // large document the work list alone (every root and named schema) is megabytes.
        drop((work, index, site_index, named));
        // Each schema is visited once, a share of them on each thread. What is reported there is
        // recorded, then given to the document's sink in the order of a walk on one thread.
        let (set, rules, policy) = (self.set, self.rules, self.cx.policy());
        let states = &states;
        let visit = |range: std::ops::Range<usize>| -> Vec<super::context::Recorded<'a>> {
            let mut cx = Context::recording(set, policy);
            for i in range {
                let usage = SchemaUsage {
                    usage: states[i].usage,
                    groups: states[i]
                        .anchors
                        .iter()
                        .map(|&a| states[a].sites.as_slice())
                        .collect(),
                };
                let schema = states[i].schema;
                if schema.site == schema.node || identity(&schema) == schema.node {
                    schema_shape(set, &mut cx, &schema);
                }
                for r in rules {
                    cx.set_rule(r.meta());
                    r.check_schema(&schema, &usage, &mut cx);
                }
            }
            cx.into_recorded()
        };
        let n = states.len();
        let per_task = super::per_task(SCHEMAS_PER_TASK);
        if n <= per_task {
            for record in visit(0..n) {
                self.cx.replay(record);
            }
            return;
        }
        // A batch of tasks at a time, so that what is recorded is soon de-duplicated by the sink.
        use rayon::prelude::*;
        let tasks = n.div_ceil(per_task);
        let visit_batch = |batch: usize| -> Vec<Vec<_>> {
            (batch..tasks.min(batch + TASKS_PER_BATCH))
                .into_par_iter()
                .map(|t| visit(t * per_task..n.min((t + 1) * per_task)))
                .collect()
        };
        pipelined(
            (0..tasks).step_by(TASKS_PER_BATCH),
            &visit_batch,
            |recorded| {
                for record in recorded.into_iter().flatten() {
                    self.cx.replay(record);
                }
            },
        );
    }
}

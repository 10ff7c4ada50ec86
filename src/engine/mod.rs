//! The rule engine: the `Rule` trait, rule metadata, the one-pass walker and the `Context` rules report through.

pub mod builtin;
mod context;
pub mod sink;
pub mod walk;

pub use context::{Context, Finding, Pending};
pub use sink::{ContentKey, Label, Place, Policy, Preset, Raw, Sink};
pub use walk::{
    OperationInfo, OperationSite, ResponseInfo, ResponseSite, SchemaUsage, Usage, lint_document,
};

/// How many schemas or findings of one document one task takes: `size`, or (in a test that checks
/// that splitting changes nothing) all of them.
pub(crate) fn per_task(size: usize) -> usize {
    #[cfg(test)]
    if tests::ONE_TASK.load(std::sync::atomic::Ordering::Relaxed) {
        return usize::MAX;
    }
    size
}

/// Related locations a whole-document finding lists (the first places that lack what it asks).
const WHOLE_DOCUMENT_RELATED: usize = 5;

/// One finding for the whole document in place of `instances` (the findings the rule deferred):
/// at the document's `paths` (or its version field), with the first few instances as related
/// locations and the rest counted.
pub fn whole_document(
    doc: &Document<'_>,
    message: String,
    help: &'static str,
    instances: &[Pending<'_>],
) -> Finding {
    let set = doc.set();
    let at = set
        .get(doc.node, "paths")
        .or_else(|| set.get(doc.node, "openapi"))
        .or_else(|| set.get(doc.node, "swagger"))
        .unwrap_or(doc.node);
    let total = instances.len();
    let mut f = Finding::new(at, message, help)
        .on_key()
        .key(ContentKey::None)
        .related(
            instances
                .iter()
                .take(WHOLE_DOCUMENT_RELATED)
                .map(|i| (i.at, Label::Describe)),
        );
    f.related_more = total.saturating_sub(WHOLE_DOCUMENT_RELATED);
    f
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{
    Document, Header, Parameter, PathItem, RequestBody, Schema, SecurityScheme, Server,
};

/// What the CLI, SARIF and the language server know about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case id, final once published.
    pub id: &'static str,
    /// Other linters' ids for the same check (Spectral OWASP ruleset, vacuum), accepted in config.
    pub aliases: &'static [&'static str],
    /// One line: what the rule finds.
    pub summary: &'static str,
    pub severity: Severity,
    /// False for rules that run only when asked for (the `all` preset, or the configuration).
    pub default_enabled: bool,
    /// The OWASP API Security Top 10 category; `None` for the built-in input and structure checks.
    pub owasp: Option<Owasp>,
    /// The rule's page (`rules/<id>.md`), Markdown.
    pub docs: &'static str,
}

/// The type of a rule option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A list of strings (header names, path segments, parameter names...).
    Strings,
}

/// An option a rule takes from the configuration file, documented on its page.
#[derive(Debug)]
pub struct OptionSpec {
    pub name: &'static str,
    pub kind: OptionKind,
    /// One line: what it changes and its default.
    pub doc: &'static str,
}

/// A check. Every hook has an empty default; a rule implements the ones it needs. The walker calls
/// each hook once per node of that kind, in one pass over the document.
#[allow(unused_variables)]
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// The options the rule takes from the configuration file.
    fn options(&self) -> &'static [OptionSpec] {
        &[]
    }

    /// Once per OpenAPI document.
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {}

    /// Once per OpenAPI document, after every other hook: for findings that depend on the whole
    /// document (see [`Context::defer`]).
    fn check_document_end(&self, doc: &Document<'_>, cx: &mut Context<'_>) {}

    /// Each server (3.x `servers` entry; 2.0 `schemes` entry with `host` and `basePath`).
    fn check_server(&self, server: &Server<'_>, cx: &mut Context<'_>) {}

    /// Each defined security scheme; `key` is the scheme's name as written.
    fn check_security_scheme(
        &self,
        name: &str,
        key: NodeRef,
        scheme: &SecurityScheme<'_>,
        cx: &mut Context<'_>,
    ) {
    }

    /// Each path item (paths, webhooks, callbacks).
    fn check_path_item(&self, path: &str, key: NodeRef, item: &PathItem<'_>, cx: &mut Context<'_>) {
    }

    /// Each operation, with its effective security.
    fn check_operation<'a>(&self, op: &OperationInfo<'a>, cx: &mut Context<'a>) {}

    /// Each parameter of an operation (path-level ones merged in).
    fn check_parameter(&self, param: &Parameter<'_>, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
    }

    /// The request body of an operation.
    fn check_request_body(
        &self,
        body: &RequestBody<'_>,
        op: &OperationInfo<'_>,
        cx: &mut Context<'_>,
    ) {
    }

    /// Each response of an operation.
    fn check_response<'a>(&self, response: &ResponseInfo<'_, 'a>, cx: &mut Context<'a>) {}

    /// Each header of a response.
    fn check_header(
        &self,
        name: &str,
        key: NodeRef,
        header: &Header<'_>,
        response: &ResponseInfo<'_, '_>,
        cx: &mut Context<'_>,
    ) {
    }

    /// Each schema, once, however many places use it; `usage` says how it is used (request,
    /// response, error response) and where it is referenced from.
    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {}
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Set: each document is walked and its findings made in one task.
    pub(super) static ONE_TASK: AtomicBool = AtomicBool::new(false);

    /// A document with many schemas that share and nest each other, unbounded strings and arrays
    /// (some of them used from several places, some suppressed), and structure problems.
    /// Path items of [`many_schemas`], and named schemas, each with at least five schemas in it.
    const N: usize = 600;

    fn many_schemas() -> String {
        let mut spec = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{key: []}]\npaths:\n",
        );
        for i in 0..N {
            let _ = write!(
                spec,
                "  /items{i}:\n    post:\n      parameters:\n        - {{name: q{i}, in: query, schema: {{type: string}}}}\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/S{i}'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/S{}'}}\n",
                (i + 1) % N
            );
            // Some operations answer 429 (with rate-limit headers), which the rate-limit rules
            // note for the whole document, others do not, which they hold back until its end.
            if i % 7 == 0 {
                spec.push_str("        '429':\n          description: slow down\n          headers:\n            RateLimit-Limit: {schema: {type: integer}}\n");
            }
            // Callbacks, some written inline, some shared (walked once however many use them), with
            // structure problems to find in them.
            if i % 3 == 0 {
                let _ = write!(
                    spec,
                    "      callbacks:\n        done:\n          '{{$request.body#/url}}':\n            $ref: '#/components/callbacks/C{}/cb'\n        own{i}:\n          '{{$request.body#/own}}':\n            post:\n              parameters: [{{name: x, in: query, schema: {{type: string}}}}]\n              responses: []\n",
                    i % 2
                );
            }
            // A path item with no responses where they belong: a structure problem.
            if i % 11 == 0 {
                let _ = write!(spec, "    get:\n      responses: []\n");
            }
        }
        spec.push_str(
            "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n",
        );
        spec.push_str("  callbacks:\n");
        for c in 0..2 {
            let _ = write!(
                spec,
                "    C{c}:\n      cb:\n        post:\n          requestBody:\n            content:\n              application/json:\n                schema: {{type: object, properties: {{n{c}: {{type: string}}}}}}\n          responses: {{'200': {{description: ok}}}}\n        get: {{responses: []}}\n"
            );
        }
        spec.push_str("  schemas:\n");
        for i in 0..N {
            let _ = write!(
                spec,
                "    S{i}:\n      type: object\n      properties:\n        a: {{type: string}}\n        b: {{type: array, items: {{type: string}}}}\n        c: {{$ref: '#/components/schemas/S{}'}}\n        d: {{type: integer, maxLength: x}}\n",
                (i * 7 + 3) % N
            );
            if i % 5 == 0 {
                spec.push_str(
                    "        e:\n          type: string\n          x-rampart-ignore: {string-unbounded: checked upstream}\n",
                );
            }
        }
        spec
    }

    #[test]
    fn splitting_a_document_into_tasks_changes_nothing() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("api.yaml");
        std::fs::write(&path, many_schemas()).expect("written");
        let request = crate::LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            ..Default::default()
        };
        let split = crate::lint(&request);
        ONE_TASK.store(true, Ordering::Relaxed);
        let whole = crate::lint(&request);
        ONE_TASK.store(false, Ordering::Relaxed);
        // Enough schemas and findings for several tasks of each kind, and several batches of
        // tasks of the paths and of the schemas.
        use super::walk::{PATHS_PER_TASK, SCHEMAS_PER_TASK, TASKS_PER_BATCH};
        const { assert!(N > PATHS_PER_TASK * TASKS_PER_BATCH) };
        const { assert!(5 * N > SCHEMAS_PER_TASK * TASKS_PER_BATCH) };
        assert!(
            split.diagnostics.len() > 2 * super::sink::FINDINGS_PER_TASK,
            "{}",
            split.diagnostics.len()
        );
        assert!(split.diagnostics.iter().any(|d| d.rule == "structure"));
        assert!(!split.suppressed.is_empty());
        assert!(split.diagnostics.iter().any(|d| d.related.len() > 1));
        // The document's findings from callbacks and from the rules that wait for its end.
        for rule in ["rate-limit-429-missing", "rate-limit-headers-missing"] {
            assert!(split.diagnostics.iter().any(|d| d.rule == rule), "{rule}");
        }
        assert!(
            split
                .diagnostics
                .iter()
                .any(|d| d.location.pointer.contains("/callbacks/C1/cb/"))
        );
        assert!(
            split
                .diagnostics
                .iter()
                .any(|d| d.location.pointer.contains("/callbacks/own117/"))
        );
        assert_eq!(split.diagnostics, whole.diagnostics);
        assert_eq!(split.suppressed, whole.suppressed);
    }
}

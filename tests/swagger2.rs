//! Swagger 2.0 through the views: `testdata/v2/petstore-v2.yaml` uses the 2.0 constructs that have
//! no 3.x spelling (`schemes`/`host`/`basePath`, `type: basic`, an API key in the query, body and
//! form parameters, `type: file`, `collectionFormat`, path-level parameters, inline header and
//! parameter schemas, `x-nullable`) and each must be read in 3.x words, at its 2.0 line.

use std::path::{Path, PathBuf};

use rampart::document::model::{Document, ParamLocation, SchemeKind, Types};
use rampart::document::{DocumentSet, FileId, NodeRef, load};
use rampart::{Diagnostic, LintRequest, Report};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/v2/petstore-v2.yaml")
}

fn text() -> String {
    std::fs::read_to_string(fixture()).expect("the fixture exists")
}

fn request() -> LintRequest {
    LintRequest {
        paths: vec![fixture().to_string_lossy().into_owned()],
        ..Default::default()
    }
}

fn lint() -> Report {
    rampart::lint(&request())
}

fn loaded() -> DocumentSet {
    let request = request();
    let found = rampart::discover::discover(&request.paths, &request.exclude);
    let root = rampart::project_root(&request.paths);
    let (set, problems) = load(&request, &found.files, &root);
    assert!(problems.is_empty(), "the fixture loads cleanly");
    set
}

fn document(set: &DocumentSet) -> Document<'_> {
    let root: FileId = set.roots().next().expect("one document");
    Document::new(set, root).expect("the root is a document")
}

fn line(set: &DocumentSet, n: NodeRef) -> u32 {
    set.location(n).start.line
}

/// The 1-based line of the last needle, each searched for after the line of the one before.
fn locate(needles: &[&str]) -> u32 {
    let text = text();
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    for (k, needle) in needles.iter().enumerate() {
        let from = if k == 0 { 0 } else { at + 1 };
        at = (from..lines.len())
            .find(|&i| lines[i].contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not found after line {}", from + 1));
    }
    at as u32 + 1
}

fn findings<'r>(report: &'r Report, rule: &str, message: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule && d.message.contains(message))
        .collect()
}

/// Exactly one finding of `rule` whose message contains `message`, starting on `line`.
fn assert_one_at(report: &Report, rule: &str, message: &str, line: u32) {
    let found = findings(report, rule, message);
    let lines: Vec<u32> = found.iter().map(|d| d.location.start.line).collect();
    assert_eq!(lines, [line], "[{rule}] {message}");
}

#[test]
fn the_document_loads_without_structural_problems() {
    let report = lint();
    assert_eq!(report.documents(), 1);
    let broken: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| !rampart::rules::ALL.iter().any(|r| r.meta().id == d.rule))
        .map(|d| format!("[{}] {}", d.rule, d.message))
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn an_unbounded_string_in_a_body_parameter_is_found_at_its_line() {
    assert_one_at(
        &lint(),
        "string-unbounded",
        "property `name` of request body (application/json) of `POST /pets`",
        locate(&["in: body", "              name:"]),
    );
}

#[test]
fn http_in_schemes_is_a_server_at_the_scheme_entry() {
    let set = loaded();
    let servers = document(&set).servers();
    assert_eq!(servers.len(), 1);
    assert_eq!(servers[0].url(), "http://petstore.example.com/api");
    assert_eq!(
        line(&set, servers[0].url_node()),
        locate(&["schemes:", "- http"])
    );
}

#[test]
fn basic_and_query_api_keys_read_as_3x_schemes_at_their_lines() {
    let set = loaded();
    let doc = document(&set);
    let schemes = doc.security_schemes();
    let (name, key, basic) = schemes[0];
    assert_eq!(name, "basicAuth");
    assert_eq!(
        basic.kind(),
        SchemeKind::Http {
            scheme: Some("basic")
        }
    );
    assert_eq!(
        line(&set, key),
        locate(&["securityDefinitions:", "basicAuth:"])
    );
    let basic_line = locate(&["securityDefinitions:", "type: basic"]);
    assert_eq!(basic.type_node().map(|n| line(&set, n)), Some(basic_line));
    assert_eq!(
        basic.http_scheme_node().map(|n| line(&set, n)),
        Some(basic_line)
    );

    let (name, key, api_key) = schemes[1];
    assert_eq!(name, "apiKey");
    assert_eq!(
        api_key.kind(),
        SchemeKind::ApiKey {
            location: Some("query"),
            name: Some("api_key")
        }
    );
    assert_eq!(
        line(&set, key),
        locate(&["securityDefinitions:", "  apiKey:"])
    );
    assert_eq!(
        api_key.location_node().map(|n| line(&set, n)),
        Some(locate(&["securityDefinitions:", "in: query"]))
    );
    // The operation that uses the query key names it.
    let (_, _, pets) = doc.paths()[0];
    let (_, _, post) = pets.operations()[1];
    let used: Vec<&str> = post
        .security()
        .map(|s| s.schemes().into_iter().map(|(n, _)| n).collect())
        .unwrap_or_default();
    assert_eq!(used, ["apiKey"]);
}

#[test]
fn collection_formats_read_as_styles_and_items_are_request_data() {
    let set = loaded();
    let doc = document(&set);
    let (_, _, pets) = doc.paths()[0];
    let (_, _, get) = pets.operations()[0];
    let params: Vec<_> = get
        .parameters(&pets)
        .iter()
        .map(|p| (p.name().unwrap_or(""), p.style(), p.explode()))
        .collect();
    assert_eq!(
        params,
        [("tags", "pipeDelimited", false), ("ids", "form", true)]
    );
    // `tags` items are bounded; `ids` items are not, reported at their `type`.
    let report = lint();
    assert_one_at(
        &report,
        "string-unbounded",
        "items of parameter `ids` of `GET /pets`",
        locate(&["- name: ids", "items:", "type: string"]),
    );
    assert!(findings(&report, "string-unbounded", "parameter `tags`").is_empty());
}

#[test]
fn form_parameters_and_files_are_request_data() {
    let set = loaded();
    let doc = document(&set);
    let (_, _, photo) = doc.paths()[2];
    let (_, _, upload) = photo.operations()[0];
    // As in 3.x, the form fields are the request body, not parameters.
    let params: Vec<_> = upload
        .parameters(&photo)
        .iter()
        .map(|p| (p.name().unwrap_or(""), p.location()))
        .collect();
    assert_eq!(params, [("petId", ParamLocation::Path)]);
    let body = upload
        .request_body(&photo)
        .expect("the form is the request body");
    assert!(body.is_form());
    let fields = upload.form_fields(&photo);
    let locations: Vec<_> = fields
        .iter()
        .map(|p| (p.name().unwrap_or(""), p.location()))
        .collect();
    assert_eq!(
        locations,
        [
            ("photo", ParamLocation::FormData),
            ("caption", ParamLocation::FormData)
        ]
    );
    let file = fields[0]
        .schema()
        .expect("a form parameter is its own schema");
    assert!(file.is_string());
    assert_eq!(file.format(), Some("binary"));
    assert_eq!(upload.media_types("consumes"), ["multipart/form-data"]);

    let report = lint();
    let form = "of request body (multipart/form-data) of `POST /pets/{petId}/photo`";
    assert_one_at(
        &report,
        "string-unbounded",
        &format!("property `photo` {form}"),
        locate(&["- name: photo", "type: file"]),
    );
    assert_one_at(
        &report,
        "string-unbounded",
        &format!("property `caption` {form}"),
        locate(&["- name: caption", "type: string"]),
    );
}

#[test]
fn path_level_parameters_apply_unless_an_operation_overrides_them() {
    let set = loaded();
    let doc = document(&set);
    let (path, _, item) = doc.paths()[1];
    assert_eq!(path, "/pets/{petId}");
    let ops = item.operations();
    let trace_limit = |i: usize| {
        let (_, _, op) = ops[i];
        op.parameters(&item)
            .into_iter()
            .find(|p| p.name() == Some("X-Trace"))
            .and_then(|p| p.schema())
            .map(|s| s.max_length())
    };
    // GET inherits the unbounded path-level header; PUT overrides it with a bounded one.
    assert_eq!(trace_limit(0), Some(None));
    assert_eq!(trace_limit(1), Some(Some(64)));
    let report = lint();
    assert_one_at(
        &report,
        "string-unbounded",
        "parameter `X-Trace` of path `/pets/{petId}`",
        locate(&["/pets/{petId}:", "- name: X-Trace", "type: string"]),
    );
    assert_eq!(findings(&report, "string-unbounded", "X-Trace").len(), 1);
}

#[test]
fn response_headers_are_schema_like() {
    let set = loaded();
    let doc = document(&set);
    let (_, _, pets) = doc.paths()[0];
    let (_, _, get) = pets.operations()[0];
    let (code, _, ok) = get.responses()[0];
    assert_eq!(code, "200");
    let headers: Vec<_> = ok
        .headers()
        .into_iter()
        .map(|(name, _, h)| {
            let s = h.schema().expect("a 2.0 header is its own schema");
            (name, s.types(), s.max_length())
        })
        .collect();
    assert_eq!(
        headers,
        [
            ("X-RateLimit-Limit", Types::INTEGER, None),
            ("X-Request-Id", Types::STRING, Some(36)),
        ]
    );
    // The 200 declares a rate-limit header (a `default` response is not expected to).
    let report = lint();
    assert!(
        findings(
            &report,
            "rate-limit-headers-missing",
            "`200` response of `GET /pets`"
        )
        .is_empty()
    );
    assert!(findings(&report, "rate-limit-headers-missing", "`default` response").is_empty());
    // The `default` response has a schema, so it is not an error response without a body.
    assert!(findings(&report, "error-schema-missing", "`default`").is_empty());
}

#[test]
fn x_nullable_adds_null_to_the_types() {
    let set = loaded();
    let doc = document(&set);
    let pet = doc
        .schemas()
        .into_iter()
        .find(|(n, _, _)| *n == "Pet")
        .map(|(_, _, s)| s)
        .expect("Pet is defined");
    let types: Vec<_> = pet
        .properties()
        .into_iter()
        .map(|(n, _, s)| (n, s.map(|s| s.types().contains(Types::NULL))))
        .collect();
    assert_eq!(
        types,
        [
            ("id", Some(false)),
            ("name", Some(false)),
            ("owner", Some(true))
        ]
    );
    // The extension itself stays readable where it is written.
    let owner = pet
        .properties()
        .into_iter()
        .find_map(|(n, _, s)| (n == "owner").then_some(s).flatten())
        .expect("owner is a property of Pet");
    let written = owner.extension("x-nullable").map(|n| line(&set, n));
    assert_eq!(
        written,
        Some(locate(&["  Pet:", "owner:", "x-nullable: true"]))
    );
    let (_, _, pets) = doc.paths()[0];
    let (_, _, post) = pets.operations()[1];
    let body = post
        .request_body(&pets)
        .expect("the body parameter is the request body");
    let content = body.content(&post);
    assert_eq!(content.len(), 1);
    assert_eq!(content[0].name, "application/json");
    let nickname = content[0]
        .schema
        .and_then(|s| {
            s.properties()
                .into_iter()
                .find(|(n, _, _)| *n == "nickname")
        })
        .and_then(|(_, _, s)| s)
        .expect("nickname is a property of the body");
    assert!(nickname.types().contains(Types::STRING));
    assert!(nickname.types().contains(Types::NULL));
}

#[test]
fn reusable_parameters_are_components() {
    let set = loaded();
    let doc = document(&set);
    let params = doc.component_parameters();
    let names: Vec<_> = params
        .iter()
        .map(|(k, _, p)| (*k, p.name(), p.location()))
        .collect();
    assert_eq!(names, [("PetId", Some("petId"), ParamLocation::Path)]);
    // `$ref: "#/parameters/PetId"` from an operation reads the same parameter.
    let (_, _, photo) = doc.paths()[2];
    let (_, _, upload) = photo.operations()[0];
    let first = upload.parameters(&photo)[0];
    assert!(first.via_ref());
    assert_eq!(first.node, params[0].2.node);
}

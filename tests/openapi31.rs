//! OpenAPI 3.1 through the views: nothing valid is a structural error, and each finding on a 3.1
//! construct is reported at its own node, in its own file.
//!
//! `testdata/v31/features.yaml` uses webhooks, `components/pathItems`, no `paths`, type lists,
//! `const`, `examples`, numeric `exclusiveMinimum`/`exclusiveMaximum`, `prefixItems` with
//! `items: false`, `unevaluatedProperties`, a boolean subschema, a `$ref` with sibling keywords and
//! a split schema file whose `$ref`s point into its own `$defs`.

use std::path::{Path, PathBuf};

use rampart::{LintRequest, Report};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/v31")
        .join(name)
}

/// The request-data rules fire on nearly every request field; they have fixtures of their own, and
/// the expectations here are about the other checks.
const REQUEST_DATA_RULES: &[&str] = &[
    "array-unbounded",
    "integer-format",
    "integer-unbounded",
    "string-unrestricted",
];

fn lint(name: &str) -> Report {
    rampart::lint(&LintRequest {
        paths: vec![fixture(name).to_string_lossy().into_owned()],
        policy: rampart::engine::Policy {
            severities: REQUEST_DATA_RULES.iter().map(|id| (*id, None)).collect(),
            ..Default::default()
        },
        ..Default::default()
    })
}

/// Ids of the diagnostics that are not rule findings (structure, parse and reference problems).
fn not_rules(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| !rampart::rules::ALL.iter().any(|r| r.meta().id == d.rule))
        .map(|d| {
            format!(
                "{}:{}: [{}] {}",
                d.location.path, d.location.start.line, d.rule, d.message
            )
        })
        .collect()
}

/// `(rule, message, file name, line)` of every finding.
fn findings(report: &Report) -> Vec<(String, String, String, u32)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let file = Path::new(&*d.location.path)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                d.rule.to_string(),
                d.message.clone(),
                file,
                d.location.start.line,
            )
        })
        .collect()
}

/// The 1-based line of the last needle, each searched for after the line of the one before.
fn locate(name: &str, needles: &[&str]) -> u32 {
    let text = std::fs::read_to_string(fixture(name)).expect("the fixture exists");
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

#[test]
fn every_3_1_construct_is_read_without_a_structural_error() {
    let report = lint("features.yaml");
    assert_eq!(report.documents(), 1);
    assert_eq!(not_rules(&report), Vec::<String>::new());
}

#[test]
fn findings_on_3_1_constructs_are_at_their_own_nodes() {
    let report = lint("features.yaml");
    let unbounded = |what: &str| {
        format!("{what} is a string without `maxLength`, so requests may carry unbounded data")
    };
    // Its one operation (`POST /events`, secured, with a body) defines only a `201`: the API as a
    // whole says nothing of its error responses, once each, at `paths`.
    let paths = locate("features.yaml", &["paths:"]);
    let whole = |rule: &str, what: &str, which: &str, so: &str| {
        (
            rule.to_string(),
            format!(
                "no operation of the API defines a {what} response (none of its 1 {which}), so clients are not told {so}"
            ),
            "features.yaml".to_string(),
            paths,
        )
    };
    let mut expected = vec![
        // No `servers`: at the `openapi` key.
        (
            "servers-missing".to_string(),
            "the document declares no `servers`, so clients call whatever host served the document and the API's deployments are not on record".to_string(),
            "features.yaml".to_string(),
            1,
        ),
        whole(
            "error-401-missing",
            "`401`",
            "secured operation",
            "how a missing or invalid credential is answered",
        ),
        whole(
            "error-403-missing",
            "`403`",
            "secured operation",
            "how a request without the needed permission is refused",
        ),
        whole(
            "error-500-missing",
            "`500`, `5XX` or `default`",
            "operation",
            "what an unexpected failure looks like",
        ),
        whole(
            "error-validation-missing",
            "`400`, `422` or `4XX`",
            "operation that takes input",
            "how invalid requests are rejected",
        ),
    ];
    expected.extend([
        (
            "string-unbounded".to_string(),
            // A `[string, "null"]` type list is a string; `examples` does not bound it.
            unbounded("property `title` of schema `Event`"),
            "features.yaml".to_string(),
            locate("features.yaml", &["Event:", "        title:"]),
        ),
        (
            "string-unbounded".to_string(),
            unbounded("prefixItems[1] of property `point` of schema `Event`"),
            "features.yaml".to_string(),
            locate(
                "features.yaml",
                &["prefixItems:", "- type: number", "type: string"],
            ),
        ),
        (
            "string-unbounded".to_string(),
            // In a split file, through its own `$defs`, named after the property that uses it.
            unbounded("property `label` of property `tree` of schema `Event`"),
            "tree.yaml".to_string(),
            locate("schemas/tree.yaml", &["Node:", "label:"]),
        ),
    ]);
    // Not reported: `kind` (`const`), `Person.name` (under a `$ref` whose sibling `readOnly: true`
    // takes it out of requests), the webhook's own operation (not rate-limited by the API).
    assert_eq!(findings(&report), expected);
}

/// `Event` is the body of `POST /events` and of the webhook (through `components/pathItems`). The
/// webhook's body is sent by the API, so only the operation's use makes it request data.
#[test]
fn webhook_bodies_are_not_request_data() {
    let report = lint("features.yaml");
    let title = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`title`"))
        .expect("the request body is linted");
    let used_by: Vec<&str> = title.related.iter().map(|r| &*r.message).collect();
    assert_eq!(
        used_by,
        ["referenced by request body (application/json) of `POST /events`"]
    );
}

/// A 3.1 schema's `examples` is a list of literal values: a `$ref` key inside one is data.
/// A `$ref: "#name"` to a schema's `$anchor` is a valid 3.1 reference.
#[test]
fn literal_refs_and_anchors_are_not_reference_errors() {
    let report = lint("literal-refs.yaml");
    assert_eq!(not_rules(&report), Vec::<String>::new());
}

/// A 3.1 `$ref` with a sibling `maxLength` bounds that use only: the schema it points to is still
/// unbounded through its other, plain use, whichever of the two the walk meets first.
#[test]
fn a_sibling_bound_on_one_use_does_not_hide_another_use() {
    for name in ["ref-siblings.yaml", "ref-siblings-swapped.yaml"] {
        let report = lint(name);
        let text: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == "string-unbounded")
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(
            text,
            ["schema `Text` is a string without `maxLength`, so requests may carry unbounded data"],
            "{name}"
        );
    }
}

//! Precision on shapes found in real specs: which schemas are error data, how shared components are
//! named and related, and findings that the whole API shares said once.

use rampart::{LintRequest, Report};

fn lint_paths(paths: &[&str]) -> Report {
    rampart::lint(&LintRequest {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        ..LintRequest::default()
    })
}

fn one<'r>(report: &'r Report, rule: &str) -> &'r rampart::Diagnostic {
    let hits: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect();
    assert_eq!(hits.len(), 1, "{rule}: {:#?}", report.diagnostics);
    hits[0]
}

fn related_lines(d: &rampart::Diagnostic) -> Vec<u32> {
    d.related.iter().map(|r| r.location.start.line).collect()
}

const SHARED: &str = "testdata/precision/shared-components.yaml";

#[test]
fn only_2xx_responses_make_a_schema_success_data() {
    // `Err` is returned by a `200`: business data, not reported. `Err2` is returned only by a
    // `default`-only operation and by a `400`: the `default` does not make it success data, so its
    // `debug` is reported, with the error use as related location.
    let report = lint_paths(&[SHARED]);
    let d = one(&report, "error-schema-leaks-internals");
    assert_eq!(
        &*d.location.pointer,
        "/components/schemas/Err2/properties/debug"
    );
    assert_eq!(d.location.start.line, 62);
    assert_eq!(related_lines(d), [47]);
}

#[test]
fn a_shared_parameter_is_named_by_name_and_in_and_related_to_its_uses() {
    let report = lint_paths(&[SHARED]);
    let d = one(&report, "string-unbounded");
    assert_eq!(&*d.location.pointer, "/components/parameters/Q/schema/type");
    assert!(
        d.message
            .starts_with("query parameter `q` (`Q` in components/parameters) is a string"),
        "{}",
        d.message
    );
    assert_eq!(related_lines(d), [9, 20]);
    assert_eq!(
        &*d.related[0].message,
        "referenced by parameter `q` of `GET /a`"
    );
}

#[test]
fn what_the_whole_api_lacks_is_said_once_at_the_document() {
    let report = lint_paths(&[SHARED]);
    let headers = one(&report, "rate-limit-headers-missing");
    assert_eq!(
        (
            headers.location.pointer.as_ref(),
            headers.location.start.line
        ),
        ("/paths", 5)
    );
    assert!(
        headers.message.contains("none of its 3 responses"),
        "{}",
        headers.message
    );
    assert_eq!(related_lines(headers), [11, 40, 42]);
    assert_eq!(&*headers.related[2].message, "`400` response of `GET /d`");
    let too_many = one(&report, "rate-limit-429-missing");
    assert_eq!(too_many.location.start.line, 5);
    assert!(
        too_many.message.contains("none of its 4 operations"),
        "{}",
        too_many.message
    );
    // No scheme at all: one finding, not one per operation.
    let security = one(&report, "security-scheme-missing");
    assert!(
        security.message.contains("none of the 4 operations"),
        "{}",
        security.message
    );
}

#[test]
fn related_locations_past_the_cap_are_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from(
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: 1.0.0\nsecurity:\n  - key: []\npaths:\n",
    );
    for i in 0..70 {
        text.push_str(&format!(
            "  /p{i}:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: \"#/components/schemas/Note\"\n      responses:\n        \"204\":\n          description: ok\n"
        ));
    }
    text.push_str("components:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: K\n  schemas:\n    Note:\n      type: string\n");
    let path = dir.path().join("api.yaml");
    std::fs::write(&path, text).expect("written");
    let report = lint_paths(&[path.to_str().expect("UTF-8")]);
    let d = one(&report, "string-unbounded");
    assert_eq!(d.related.len(), 50);
    assert_eq!(d.related_more, 20);
    let mut out = Vec::new();
    rampart::output::human::render(&report, &mut out, &Default::default()).expect("rendered");
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(text.contains("and 65 more"), "{text}");
}

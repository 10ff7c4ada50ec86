//! A property's name is never read as a schema keyword: `properties`, `definitions`, `responses`
//! or `$ref` written as a property name is a property, and its `$ref` is followed. Only the position
//! in the document decides what a key means.

use rampart::{LintRequest, Report, lint};

fn lint_path(path: &str) -> Report {
    lint(&LintRequest {
        paths: vec![path.to_string()],
        ..LintRequest::default()
    })
}

/// `(pointer, line)` of every finding of `rule`, in report order.
fn of_rule<'r>(report: &'r Report, rule: &str) -> Vec<(&'r str, u32)> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| (&*d.location.pointer, d.location.start.line))
        .collect()
}

/// Every finding, one per line, for failure messages.
fn dump(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{} [{}] {} ({})",
                d.location.path, d.location.start.line, d.rule, d.message, d.location.pointer
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_no_input_problems(report: &Report) {
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.rule.starts_with("ref-") || d.rule == "structure"),
        "\n{}",
        dump(report)
    );
}

#[test]
fn references_under_properties_named_like_keywords_are_followed_in_3_0() {
    let report = lint_path("testdata/refs/keyword-named-properties.yaml");
    assert_no_input_problems(&report);
    assert_eq!(
        of_rule(&report, "string-unbounded"),
        [
            // A property named `$ref` is a property, not a reference.
            ("/components/schemas/Monitor/properties/$ref", 44),
            // Behind `properties: {$ref: ...}` inside `properties`.
            (
                "/components/schemas/MonitorProperties/properties/password",
                62
            ),
            // Behind a property named `definitions`.
            ("/components/schemas/Definitions/properties/schemas", 67),
            // Behind a property named `example`.
            ("/components/schemas/Sample/properties/text", 72),
            // Behind `properties/properties/properties/properties/properties`.
            ("/components/schemas/Deep/properties/label", 77),
        ],
        "\n{}",
        dump(&report)
    );
    assert_eq!(
        of_rule(&report, "error-schema-leaks-internals"),
        [(
            "/components/schemas/FailureProperties/properties/stackTrace",
            89
        )],
        "\n{}",
        dump(&report)
    );
}

#[test]
fn references_under_properties_named_like_keywords_are_followed_in_2_0() {
    let report = lint_path("testdata/refs/keyword-named-properties-v2.yaml");
    assert_no_input_problems(&report);
    assert_eq!(
        of_rule(&report, "string-unbounded"),
        [
            ("/definitions/Monitor/properties/$ref", 41),
            ("/definitions/MonitorProperties/properties/password", 49),
            ("/definitions/Responses/properties/definitions", 54),
        ],
        "\n{}",
        dump(&report)
    );
}

#[test]
fn components_named_like_keywords_are_names_and_example_values_are_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("api.yaml");
    std::fs::write(
        &path,
        r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  parameters:
    example:
      $ref: "#/components/parameters/Missing"
  examples:
    default:
      $ref: "#/components/examples/Missing"
    Literal:
      value:
        $ref: "#/not/a/reference"
"##,
    )
    .expect("spec");
    let report = lint_path(&path.to_string_lossy());
    let unresolved: Vec<u32> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "ref-unresolved")
        .map(|d| d.location.start.line)
        .collect();
    // A parameter named `example` and an example named `default` are components, so their
    // `$ref`s are references; the `value` of an example is data.
    assert_eq!(unresolved, [7, 10], "\n{}", dump(&report));
}

//! Misshapen documents: one `structure` diagnostic at each wrong node, and the rest still linted.

use rampart::{LintRequest, lint};

fn findings(path: &str) -> Vec<(String, String, u32)> {
    let report = lint(&LintRequest {
        paths: vec![path.to_string()],
        ..Default::default()
    });
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.to_string(),
                d.location.pointer.to_string(),
                d.location.start.line,
            )
        })
        .collect()
}

#[test]
fn wrong_shapes_are_reported_where_they_are_and_the_rest_is_linted() {
    let got = findings("testdata/bad/structure.yaml");
    let structure: Vec<(&str, u32)> = got
        .iter()
        .filter(|(r, _, _)| r == "structure")
        .map(|(_, p, l)| (p.as_str(), *l))
        .collect();
    assert_eq!(
        structure,
        [
            ("/paths/~1broken-item", 8),
            ("/paths/~1items/get", 10),
            ("/paths/~1items/post/parameters/0", 13),
            ("/paths/~1items/post/parameters/1/schema/maxLength", 18),
            ("/paths/~1items/post/responses/200", 20),
            (
                "/paths/~1items/post/responses/201/content/application~1json/schema/properties",
                27
            ),
        ]
    );
    // The well-formed parts are still checked: `limit` reads as having no maxLength.
    assert!(got.contains(&(
        "string-unbounded".to_string(),
        "/paths/~1items/post/parameters/1/schema/type".to_string(),
        17
    )));
    // No operation has a `429`: the rule still ran, and says so once for the document.
    assert!(
        got.iter()
            .any(|(r, p, _)| r == "rate-limit-429-missing" && p == "/paths")
    );
}

#[test]
fn swagger_2_top_level_shapes_are_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("v2.yaml");
    std::fs::write(
        &path,
        "swagger: \"2.0\"\ninfo:\n  title: t\n  version: \"1\"\nschemes: https\ndefinitions: []\npaths: {}\n",
    )
    .expect("write");
    let got = findings(&path.to_string_lossy());
    let structure: Vec<(&str, u32)> = got
        .iter()
        .filter(|(r, _, _)| r == "structure")
        .map(|(_, p, l)| (p.as_str(), *l))
        .collect();
    assert_eq!(structure, [("/schemes", 5), ("/definitions", 6)]);
}

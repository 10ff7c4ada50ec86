//! `security-scheme-missing` on the fixtures under `testdata/security-scheme-missing/`: anonymous-only
//! root requirements, CORS preflights, and documents without any security scheme, in Swagger 2.0,
//! OpenAPI 3.0 and 3.1.

use rampart::{LintRequest, Severity, lint};

const ID: &str = "security-scheme-missing";

/// `(JSON pointer, line, severity, message)` of every `security-scheme-missing` finding in `file`.
fn findings(file: &str) -> Vec<(String, u32, Severity, String)> {
    let path = format!("testdata/security-scheme-missing/{file}");
    let report = lint(&LintRequest {
        paths: vec![path.clone()],
        ..LintRequest::default()
    });
    assert_eq!(report.documents(), 1, "{path} is one document");
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == ID)
        .map(|d| {
            (
                d.location.pointer.to_string(),
                d.location.start.line,
                d.severity,
                d.message.clone(),
            )
        })
        .collect()
}

/// `(pointer, line, severity)` only.
fn places(found: &[(String, u32, Severity, String)]) -> Vec<(&str, u32, Severity)> {
    found
        .iter()
        .map(|(p, l, s, _)| (p.as_str(), *l, *s))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A root `security` whose only alternative is `{}`

#[test]
fn root_anonymous_only_is_no_security() {
    // `GET /notes/{id}` names a scheme; `PUT` declares `[{}]` and `DELETE` `[]` themselves: both are
    // deliberately public.
    let found = findings("root-anonymous.yaml");
    assert_eq!(
        places(&found),
        [
            ("/paths/~1notes/get", 9, Severity::Warning),
            ("/paths/~1notes/post", 13, Severity::Error),
        ],
        "{found:#?}"
    );
    for (_, _, _, message) in &found {
        assert!(
            message.ends_with(
                "has no security requirement: it inherits the document's `security: [{}]`, which allows anonymous access"
            ),
            "{message}"
        );
    }
    assert!(found[0].3.starts_with("`GET /notes` "), "{}", found[0].3);
}

#[test]
fn root_anonymous_only_is_reported_like_root_empty() {
    let anonymous = findings("root-anonymous.yaml");
    let empty = findings("root-empty.yaml");
    // The same operations, one line apart (`security: []` is one line shorter).
    let without_lines = |f: &[(String, u32, Severity, String)]| {
        f.iter()
            .map(|(p, _, s, _)| (p.clone(), *s))
            .collect::<Vec<_>>()
    };
    assert_eq!(without_lines(&anonymous), without_lines(&empty));
    assert!(!empty.is_empty());
    assert!(
        empty[0]
            .3
            .ends_with("it inherits the document's empty `security: []`"),
        "{}",
        empty[0].3
    );
}

#[test]
fn root_anonymous_only_in_swagger_2() {
    let v2 = findings("root-anonymous-v2.yaml");
    let v3 = findings("root-anonymous.yaml");
    assert_eq!(places(&v2), places(&v3));
    let messages = |f: &[(String, u32, Severity, String)]| {
        f.iter().map(|(_, _, _, m)| m.clone()).collect::<Vec<_>>()
    };
    assert_eq!(messages(&v2), messages(&v3));
}

#[test]
fn anonymous_next_to_a_real_alternative_passes() {
    // Optional authentication: not this rule's business.
    let found = findings("optional-auth.yaml");
    assert!(found.is_empty(), "{found:#?}");
}

// ---------------------------------------------------------------------------------------------
// CORS preflights

#[test]
fn options_operations_are_not_reported() {
    let found = findings("options.yaml");
    assert_eq!(
        places(&found),
        [("/paths/~1notes/get", 11, Severity::Warning)],
        "{found:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// No security scheme at all: said once, with the number of operations

#[test]
fn no_schemes_is_reported_once() {
    let found = findings("no-schemes.yaml");
    assert_eq!(
        places(&found),
        [("/openapi", 1, Severity::Error)],
        "{found:#?}"
    );
    assert_eq!(
        found[0].3,
        "the document defines no security schemes: `components.securitySchemes` is missing, so none of the 4 operations requires authentication"
    );
}

#[test]
fn no_schemes_in_swagger_2() {
    let found = findings("no-schemes-v2.yaml");
    assert_eq!(
        places(&found),
        [("/swagger", 1, Severity::Error)],
        "{found:#?}"
    );
    assert_eq!(
        found[0].3,
        "the document defines no security schemes: `securityDefinitions` is missing, so none of the 4 operations requires authentication"
    );
}

#[test]
fn empty_schemes_in_openapi_3_1() {
    let found = findings("no-schemes-v31.yaml");
    assert_eq!(
        places(&found),
        [("/components/securitySchemes", 32, Severity::Error)],
        "{found:#?}"
    );
    assert_eq!(
        found[0].3,
        "the document defines no security schemes: `components.securitySchemes` is empty, so none of the 4 operations requires authentication"
    );
}

#[test]
fn no_schemes_with_one_operation() {
    let found = findings("one-operation.yaml");
    assert_eq!(
        places(&found),
        [("/openapi", 1, Severity::Error)],
        "{found:#?}"
    );
    assert_eq!(
        found[0].3,
        "the document defines no security schemes: `components.securitySchemes` is missing, so its one operation requires no authentication"
    );
}

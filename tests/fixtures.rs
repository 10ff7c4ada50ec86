//! The fixture specs under `testdata/`, linted through the library (and through the binary where the
//! exit code is the point).
//!
//! Every expectation is written out by hand as `(rule id, JSON pointer, line)` after reading the
//! fixture: the line is where the finding belongs, not where rampart happened to put it. Behaviour
//! that is wrong today is pinned at the correct expectation and marked `#[ignore = "bug: ..."]`.
//!
//! Paths are relative to the crate root (cargo runs integration tests there), so the paths in
//! reports are stable.

use std::path::Path;
use std::process::{Command, Output};

use rampart::output::{self, RenderOptions};
use rampart::rules::ALL;
use rampart::{Diagnostic, LintRequest, Report, Severity, lint};

/// Rules left out of the expectations below, written for other checks; each has a fixture of its
/// own (`testdata/rules/<id>.yaml`, checked below). The request-data rules fire on nearly every
/// request field; the others say something about nearly every document (a whole-API finding when no
/// operation defines a response, or when the document names no server or a placeholder one).
const NOT_PINNED_HERE: &[&str] = &[
    "array-unbounded",
    "integer-format",
    "integer-unbounded",
    "string-unrestricted",
    "error-401-missing",
    "error-403-missing",
    "error-500-missing",
    "error-validation-missing",
    "servers-missing",
    "server-example-host",
];

fn lint_paths(paths: &[&str]) -> Report {
    let mut request = LintRequest {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        ..LintRequest::default()
    };
    for id in NOT_PINNED_HERE {
        request.policy.severities.insert(id, None);
    }
    lint(&request)
}

/// Every rule, also those that run only when asked for.
fn lint_all_rules(paths: &[&str]) -> Report {
    lint(&LintRequest {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        policy: rampart::engine::Policy {
            preset: rampart::engine::Preset::All,
            ..Default::default()
        },
        ..LintRequest::default()
    })
}

/// `(rule, pointer, line)` of every finding, in report order (file, then position).
fn findings(report: &Report) -> Vec<(&str, &str, u32)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule, &*d.location.pointer, d.location.start.line))
        .collect()
}

/// Every finding, one per line, for failure messages.
fn dump(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}[{}] {} ({})",
                d.location.path,
                d.location.start.line,
                d.location.start.column,
                d.severity,
                d.rule,
                d.message,
                d.location.pointer
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lints one file and checks that its findings, all in that file, are exactly `expected`.
fn assert_findings(path: &str, expected: &[(&str, &str, u32)]) -> Report {
    let report = lint_paths(&[path]);
    for d in &report.diagnostics {
        assert_eq!(&*d.location.path, path, "{}", dump(&report));
    }
    assert_eq!(findings(&report), expected, "\n{}", dump(&report));
    report
}

/// The one finding of `rule` at `line`.
fn finding<'r>(report: &'r Report, rule: &str, line: u32) -> &'r Diagnostic {
    let hits: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule && d.location.start.line == line)
        .collect();
    assert_eq!(hits.len(), 1, "{rule} at line {line}:\n{}", dump(report));
    hits[0]
}

/// `(path, line)` of a finding's related locations.
fn related(d: &Diagnostic) -> Vec<(&str, u32)> {
    d.related
        .iter()
        .map(|r| (&*r.location.path, r.location.start.line))
        .collect()
}

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the rampart binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------------------------
// A clean document

#[test]
fn clean_petstore_has_no_findings() {
    let path = "testdata/clean/petstore-secure.yaml";
    let report = lint_paths(&[path]);
    assert!(report.diagnostics.is_empty(), "\n{}", dump(&report));
    assert_eq!(report.files.len(), 1);
    assert_eq!(&*report.files[0].path, path);
    assert!(report.files[0].root);
    assert_eq!(report.files[0].version.as_deref(), Some("3.0.3"));
    assert!(!report.has_input_errors());
    assert!(!report.fails(Some(Severity::Hint)));
}

// ---------------------------------------------------------------------------------------------
// One fixture per rule

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    for rule in ALL {
        let id = rule.meta().id;
        let path = format!("testdata/rules/{id}.yaml");
        assert!(Path::new(&path).is_file(), "{path} is missing");
        // Every rule, also those that run only when asked for.
        let report = lint_all_rules(&[&path]);
        assert!(
            report.diagnostics.iter().any(|d| d.rule == id),
            "{path} does not trigger {id}:\n{}",
            dump(&report)
        );
    }
}

#[test]
fn rule_error_schema_leaks_internals() {
    // The 200 response's `query` and `file`, the 404's `traceId` and the unreferenced schema's
    // `exception` are not reported.
    assert_findings(
        "testdata/rules/error-schema-leaks-internals.yaml",
        &[
            (
                "error-schema-leaks-internals",
                "/paths/~1reports~1{id}/get/responses/404/content/application~1json/schema/properties/stack_trace",
                46,
            ),
            (
                "error-schema-leaks-internals",
                "/components/schemas/Error/properties/debugInfo",
                88,
            ),
            (
                "error-schema-leaks-internals",
                "/components/schemas/ServerError/allOf/1/properties/details/items/properties/SQL-State",
                100,
            ),
        ],
    );
}

#[test]
fn rule_error_schema_missing() {
    // `default` has `schema: {}` and the 500 a text/plain schema: both fine; the 404's media type has
    // no schema, which does not count.
    let path = "testdata/rules/error-schema-missing.yaml";
    let report = assert_findings(
        path,
        &[
            (
                "error-schema-missing",
                "/paths/~1items/get/responses/400",
                18,
            ),
            (
                "error-schema-missing",
                "/paths/~1items/get/responses/404",
                23,
            ),
            (
                "error-schema-missing",
                "/paths/~1items/get/responses/5XX",
                32,
            ),
            (
                "error-schema-missing",
                "/components/responses/TooManyRequests",
                70,
            ),
        ],
    );
    // The shared response is reported once, at its name, with both uses related.
    let shared = finding(&report, "error-schema-missing", 70);
    assert_eq!(related(shared), [(path, 30), (path, 51)]);
}

#[test]
fn rule_rate_limit_429_missing() {
    // `/health` has a 429; the callback's operation is not checked; `4XX` does not count.
    assert_findings(
        "testdata/rules/rate-limit-429-missing.yaml",
        &[
            ("rate-limit-429-missing", "/paths/~1jobs/get/responses", 12),
            ("rate-limit-429-missing", "/paths/~1jobs/post/responses", 16),
            // No `responses`: the method key.
            ("rate-limit-429-missing", "/paths/~1jobs~1{id}/delete", 29),
            // The integer `id` of the path.
            (
                "numeric-id",
                "/paths/~1jobs~1{id}/delete/parameters/0/schema/type",
                35,
            ),
            ("rate-limit-429-missing", "/paths/~1jobs~1{id}/put", 36),
        ],
    );
}

#[test]
fn rule_rate_limit_headers_missing() {
    // 304 and 503 are not checked; `x-ratelimit-remaining` counts whatever its case;
    // `X-RateLimit-Used`, `Rate-Limit` and `Retry-After` alone do not count.
    let path = "testdata/rules/rate-limit-headers-missing.yaml";
    let report = assert_findings(
        path,
        &[
            (
                "rate-limit-headers-missing",
                "/paths/~1search/get/responses/200",
                13,
            ),
            (
                "rate-limit-headers-missing",
                "/paths/~1search/get/responses/429",
                29,
            ),
            (
                "rate-limit-headers-missing",
                "/paths/~1exports/post/responses/2XX",
                48,
            ),
            (
                "rate-limit-headers-missing",
                "/paths/~1exports/post/responses/429",
                56,
            ),
            (
                "rate-limit-headers-missing",
                "/components/responses/NotFound",
                88,
            ),
        ],
    );
    let shared = finding(&report, "rate-limit-headers-missing", 88);
    assert_eq!(related(shared), [(path, 27), (path, 54)]);
}

#[test]
fn rule_retry_after_missing() {
    // `retry-after` in lower case counts; the `4XX` use of `Throttled` is not a 429; the callback's
    // 429 is written by the callback's receiver, not by the API, so it is not checked.
    let path = "testdata/rules/retry-after-missing.yaml";
    let report = assert_findings(
        path,
        &[
            (
                "retry-after-missing",
                "/paths/~1quotes/get/responses/429",
                15,
            ),
            ("retry-after-missing", "/components/responses/Throttled", 82),
        ],
    );
    let shared = finding(&report, "retry-after-missing", 82);
    assert_eq!(related(shared), [(path, 55), (path, 61)]);
}

#[test]
fn rule_security_scheme_missing() {
    // `/status` declares `security: []` itself; the `options` preflight and the callback are not
    // checked.
    let report = assert_findings(
        "testdata/rules/security-scheme-missing.yaml",
        &[
            ("security-scheme-missing", "/paths/~1accounts/get", 9),
            ("security-scheme-missing", "/paths/~1accounts/post", 15),
            (
                "security-scheme-missing",
                "/paths/~1accounts~1{id}/delete",
                36,
            ),
        ],
    );
    let severities: Vec<Severity> = report.diagnostics.iter().map(|d| d.severity).collect();
    assert_eq!(
        severities,
        [Severity::Warning, Severity::Error, Severity::Error]
    );
}

#[test]
fn rule_security_scheme_undefined() {
    // The root requirement is reported once, not for `GET /files` that inherits it; `{}` and
    // `security: []` name nothing.
    let report = assert_findings(
        "testdata/rules/security-scheme-undefined.yaml",
        &[
            ("security-scheme-undefined", "/security/0/OAuth2", 8),
            (
                "security-scheme-undefined",
                "/paths/~1files/post/security/0/ApiKey",
                20,
            ),
            // `{}` beside real requirements of a write operation.
            (
                "security-empty-requirement",
                "/paths/~1files/post/security/1",
                21,
            ),
            (
                "security-scheme-undefined",
                "/paths/~1files/post/callbacks/stored/{$request.body#~1callbackUrl}/post/security/0/mutualTls",
                32,
            ),
            // The integer `id` of the path.
            (
                "numeric-id",
                "/paths/~1files~1{id}/delete/parameters/0/schema/type",
                45,
            ),
        ],
    );
    let helps: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.help.as_deref().unwrap_or(""))
        .collect();
    assert!(
        helps[0].starts_with("did you mean `oauth2`?"),
        "{}",
        helps[0]
    );
    assert!(
        helps[1].starts_with("did you mean `apiKey`?"),
        "{}",
        helps[1]
    );
    assert!(!helps[2].contains("did you mean"), "{}", helps[2]);
}

#[test]
fn rule_string_unbounded() {
    // Bounded: `X-Request-Id` (uuid), `name` (maxLength), `birthday` (date), `role` (enum). Not request
    // data: `id` and everything under `profile` (readOnly), `UserView` (responses only), `Unused`.
    let path = "testdata/rules/string-unbounded.yaml";
    let report = assert_findings(
        path,
        &[
            (
                "string-unbounded",
                "/paths/~1users~1{userId}/parameters/0/schema/type",
                16,
            ),
            (
                "string-unbounded",
                "/paths/~1users~1{userId}/get/parameters/0/schema/items/type",
                30,
            ),
            (
                "string-unbounded",
                "/paths/~1users~1{userId}/get/parameters/1/content/application~1json/schema/type",
                36,
            ),
            (
                "string-unbounded",
                "/paths/~1users/post/requestBody/content/application~1json/schema/allOf/1/properties/password",
                68,
            ),
            ("string-unbounded", "/components/schemas/Token", 115),
            (
                "string-unbounded",
                "/components/schemas/User/properties/email",
                126,
            ),
            // The map itself has no `maxProperties`.
            (
                "additional-properties-unbounded",
                "/components/schemas/User/properties/labels/additionalProperties",
                134,
            ),
            (
                "string-unbounded",
                "/components/schemas/User/properties/labels/additionalProperties/type",
                135,
            ),
        ],
    );
    // A shared schema is reported once, where it is defined, with the references that reach it.
    let email = finding(&report, "string-unbounded", 126);
    assert_eq!(related(email), [(path, 47), (path, 65)]);
    let token = finding(&report, "string-unbounded", 115);
    assert_eq!(related(token), [(path, 59)]);
}

// ---------------------------------------------------------------------------------------------
// Several files

const MULTI: &str = "testdata/multi-file/openapi.yaml";

#[test]
fn findings_in_referenced_files_carry_that_file_and_line() {
    let report = lint_paths(&[MULTI]);
    let got: Vec<(&str, &str, &str, u32)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule,
                &*d.location.path,
                &*d.location.pointer,
                d.location.start.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "error-schema-leaks-internals",
                "testdata/multi-file/common.yaml",
                "/components/schemas/Error/properties/stackTrace",
                33,
            ),
            // The whole file is the response: the finding sits at its start.
            (
                "rate-limit-headers-missing",
                "testdata/multi-file/responses/not-found.yaml",
                "",
                1,
            ),
            (
                "string-unbounded",
                "testdata/multi-file/schemas/user.yaml",
                "/properties/nickname",
                11,
            ),
        ],
        "\n{}",
        dump(&report)
    );

    // Each file once; only the document itself is a root.
    let mut files: Vec<(&str, bool)> = report.files.iter().map(|f| (&*f.path, f.root)).collect();
    files.sort();
    assert_eq!(
        files,
        [
            ("testdata/multi-file/common.yaml", false),
            ("testdata/multi-file/openapi.yaml", true),
            ("testdata/multi-file/responses/not-found.yaml", false),
            ("testdata/multi-file/schemas/user.yaml", false),
        ]
    );
    assert_eq!(report.documents(), 1);

    // The references that lead to a finding are related, each in its own file.
    let leak = finding(&report, "error-schema-leaks-internals", 33);
    assert_eq!(
        related(leak),
        [
            (MULTI, 35),
            ("testdata/multi-file/common.yaml", 22),
            ("testdata/multi-file/responses/not-found.yaml", 5),
        ]
    );
    let headers = finding(&report, "rate-limit-headers-missing", 1);
    assert_eq!(related(headers), [(MULTI, 57)]);
    let nickname = finding(&report, "string-unbounded", 11);
    assert!(related(nickname).contains(&(MULTI, 16)), "{nickname:?}");
}

#[test]
fn concise_render_of_the_multi_file_fixture() {
    let report = lint_paths(&[MULTI]);
    let mut out = Vec::new();
    output::concise::render(&report, &mut out, &RenderOptions::default()).expect("rendered");
    insta::assert_snapshot!("multi_file_concise", text(&out));
}

// ---------------------------------------------------------------------------------------------
// References

const CYCLE: &str = "testdata/refs/cycle.yaml";

#[test]
fn a_reference_cycle_is_one_diagnostic_and_recursion_is_fine() {
    let report = lint_paths(&[CYCLE]);
    let cycles: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "ref-cycle")
        .collect();
    assert_eq!(cycles.len(), 1, "\n{}", dump(&report));
    assert_eq!(cycles[0].severity, Severity::Error);
    // The recursive `Tree` is no error, and it is walked: its unbounded `label` is found.
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.rule == "ref-cycle" || d.rule == "string-unbounded"),
        "\n{}",
        dump(&report)
    );
    finding(&report, "string-unbounded", 72);
}

#[test]
fn a_reference_cycle_is_reported_inside_the_cycle() {
    // `/loops` (line 33) only refers to `A`; the cycle is `A` (line 66) → `B` (line 68) → `A`.
    let report = assert_findings(
        CYCLE,
        &[
            ("ref-cycle", "/components/schemas/A/$ref", 66),
            (
                "string-unbounded",
                "/components/schemas/Tree/properties/label",
                72,
            ),
        ],
    );
    assert!(
        report.diagnostics[0]
            .message
            .starts_with("`#/components/schemas/B` is part of a reference cycle"),
        "{}",
        report.diagnostics[0].message
    );
}

const BROKEN: &str = "testdata/refs/broken.yaml";

#[test]
fn broken_references_are_reported_at_their_ref() {
    let report = lint_paths(&[BROKEN]);
    let refs: Vec<(&str, &str, u32)> = findings(&report)
        .into_iter()
        .filter(|(rule, _, _)| rule.starts_with("ref-"))
        .collect();
    assert_eq!(
        refs,
        [
            (
                "ref-unresolved",
                "/paths/~1orders/post/requestBody/content/application~1json/schema/$ref",
                16,
            ),
            (
                "ref-unresolved",
                "/paths/~1orders/post/responses/201/content/application~1json/schema/$ref",
                26,
            ),
            (
                "ref-remote",
                "/paths/~1orders/post/responses/400/content/application~1json/schema/$ref",
                35,
            ),
        ],
        "\n{}",
        dump(&report)
    );
    let local = finding(&report, "ref-unresolved", 16);
    assert_eq!(local.severity, Severity::Error);
    assert!(
        local.message.contains("(did you mean `Order`?)"),
        "{}",
        local.message
    );
    let file = finding(&report, "ref-unresolved", 26);
    assert!(
        file.message
            .contains("`./schemas/missing.yaml` does not exist"),
        "{}",
        file.message
    );
    assert!(!file.message.contains("did you mean"), "{}", file.message);
    let remote = finding(&report, "ref-remote", 35);
    assert_eq!(remote.severity, Severity::Warning);

    // No lost findings: the rest of the file is still linted.
    let rest = findings(&report);
    for expected in [
        // No operation has a `429`: said once, for the whole API.
        ("rate-limit-429-missing", "/paths", 9),
        (
            "string-unbounded",
            "/paths/~1orders~1{id}/get/parameters/0/schema/type",
            43,
        ),
    ] {
        assert!(rest.contains(&expected), "{expected:?}\n{}", dump(&report));
    }
    assert!(!report.has_input_errors());
}

#[test]
fn broken_references_exact_findings() {
    // The 400 response has a schema (a remote one, reported as `ref-remote`): it is not missing.
    assert_findings(
        BROKEN,
        &[
            ("rate-limit-429-missing", "/paths", 9),
            (
                "ref-unresolved",
                "/paths/~1orders/post/requestBody/content/application~1json/schema/$ref",
                16,
            ),
            (
                "ref-unresolved",
                "/paths/~1orders/post/responses/201/content/application~1json/schema/$ref",
                26,
            ),
            (
                "ref-remote",
                "/paths/~1orders/post/responses/400/content/application~1json/schema/$ref",
                35,
            ),
            (
                "string-unbounded",
                "/paths/~1orders~1{id}/get/parameters/0/schema/type",
                43,
            ),
        ],
    );
}

#[test]
fn references_under_keys_named_default_are_resolved() {
    // `responses: default:` and a property called `default` are not schema default values: their
    // `$ref`s must be followed. Then the `default` response has headers and a body, and `Profile`
    // is request data with an unbounded `theme`.
    assert_findings(
        "testdata/refs/default-key.yaml",
        &[(
            "string-unbounded",
            "/components/schemas/Profile/properties/theme",
            68,
        )],
    );
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be linted

#[test]
fn a_yaml_syntax_error_is_a_parse_error_at_its_position() {
    let report = lint_paths(&["testdata/bad/syntax.yaml"]);
    assert_eq!(report.diagnostics.len(), 1, "\n{}", dump(&report));
    let d = &report.diagnostics[0];
    assert_eq!(d.rule, "parse-error");
    assert_eq!(d.severity, Severity::Error);
    // `summary: Lists pets: all of them`: the second `:`.
    assert_eq!((d.location.start.line, d.location.start.column), (8, 26));
    assert!(
        d.message
            .starts_with("syntax error: mapping values are not allowed"),
        "{}",
        d.message
    );
    assert!(report.has_input_errors());
}

#[test]
fn a_json_syntax_error_is_a_parse_error_at_its_position() {
    let report = lint_paths(&["testdata/bad/syntax.json"]);
    assert_eq!(report.diagnostics.len(), 1, "\n{}", dump(&report));
    let d = &report.diagnostics[0];
    assert_eq!(d.rule, "parse-error");
    // The trailing comma on line 15 leaves `}` where a key must be.
    assert_eq!((d.location.start.line, d.location.start.column), (16, 5));
    assert!(report.has_input_errors());
}

#[test]
fn syntax_errors_exit_2() {
    let o = rampart(&[
        "lint",
        "--format",
        "concise",
        "testdata/bad/syntax.yaml",
        "testdata/bad/syntax.json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("testdata/bad/syntax.json:16:5: error[parse-error]"),
        "{out}"
    );
    assert!(
        out.contains("testdata/bad/syntax.yaml:8:26: error[parse-error]"),
        "{out}"
    );
}

#[test]
fn a_duplicate_key_is_an_error_at_the_second_key_and_the_last_value_is_linted() {
    // The last `securitySchemes` is the one read, as every other tool reads it: `bearer`, which
    // the root `security` requires, is no longer defined.
    let report = assert_findings(
        "testdata/bad/duplicate-keys.yaml",
        &[
            ("security-scheme-undefined", "/security/0/bearer", 8),
            ("duplicate-key", "/paths/~1pets/get/summary", 18),
            (
                "duplicate-key",
                "/paths/~1pets~1{id}/parameters/0/schema/maxLength",
                27,
            ),
            ("duplicate-key", "/components/securitySchemes", 65),
            // The scheme that is read is HTTP Basic.
            (
                "http-basic-auth",
                "/components/securitySchemes/basic/scheme",
                68,
            ),
        ],
    );
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error)
    );
    let summary = finding(&report, "duplicate-key", 18);
    assert!(
        summary.message.contains("rampart lints the last one"),
        "{}",
        summary.message
    );
    assert_eq!(related(summary), [("testdata/bad/duplicate-keys.yaml", 12)]);
    assert_eq!(&*summary.related[0].message, "first written here");
    assert!(!report.has_input_errors());
}

#[test]
fn an_alias_bomb_lints_without_expanding() {
    let report = assert_findings(
        "testdata/bad/alias-bomb.yaml",
        &[
            ("security-scheme-missing", "/openapi", 4),
            ("string-unbounded", "/x-schemas/s1", 19),
            // Nothing in the document has a `429` or rate-limit headers: said once each.
            ("rate-limit-429-missing", "/paths", 28),
            ("rate-limit-headers-missing", "/paths", 28),
        ],
    );
    assert_eq!(report.documents(), 1);
    assert!(!report.has_input_errors());
}

#[test]
fn deep_nesting_is_an_input_limit_not_a_stack_overflow() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let yaml = dir.path().join("deep.yaml");
    let json = dir.path().join("deep.json");
    std::fs::write(
        &yaml,
        format!("openapi: 3.0.3\nx-deep: {}\n", "[".repeat(10_000)),
    )
    .expect("written");
    std::fs::write(
        &json,
        format!(
            "{{\"openapi\": \"3.0.3\", \"x-deep\": {}\n",
            "[".repeat(10_000)
        ),
    )
    .expect("written");
    for (path, line) in [(&yaml, 2), (&json, 1)] {
        let report = lint_paths(&[path.to_str().expect("a UTF-8 path")]);
        assert_eq!(report.diagnostics.len(), 1, "\n{}", dump(&report));
        let d = &report.diagnostics[0];
        assert_eq!((d.rule, d.location.start.line), ("input-limit", line));
        assert!(report.has_input_errors());
    }
    // JSON stops at the first container deeper than the limit (512): the 513th opening bracket,
    // counting the object, is at column 31 + 512.
    let report = lint_paths(&[json.to_str().expect("a UTF-8 path")]);
    assert_eq!(report.diagnostics[0].location.start.column, 543);
}

// ---------------------------------------------------------------------------------------------
// Walking a folder

#[test]
fn a_folder_walk_skips_files_that_are_not_openapi() {
    let report = lint_paths(&["testdata/walk"]);
    let paths: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| &*d.location.path)
        .collect();
    assert!(
        paths.iter().all(|p| *p == "testdata/walk/api.yaml"),
        "\n{}",
        dump(&report)
    );
    assert_eq!(
        findings(&report),
        [
            ("security-scheme-missing", "/openapi", 1),
            ("rate-limit-429-missing", "/paths", 5),
            ("rate-limit-headers-missing", "/paths", 5),
        ]
    );
    assert_eq!(report.documents(), 1);
    assert!(!report.has_input_errors());

    // Findings, but no input error: exit 1, not 2.
    let o = rampart(&["lint", "--format", "concise", "testdata/walk"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
}

#[test]
fn a_file_named_explicitly_must_be_openapi() {
    let report = lint_paths(&["testdata/walk/ci.yml"]);
    assert_eq!(findings(&report), [("not-openapi", "", 1)]);
    assert!(report.has_input_errors());
    let o = rampart(&["lint", "--format", "concise", "testdata/walk/ci.yml"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("testdata/walk/ci.yml:1:1: error[not-openapi]"),
        "{}",
        text(&o.stdout)
    );

    // Named explicitly, a broken file is a parse error: the unclosed `[` on line 3 meets `:`.
    let report = lint_paths(&["testdata/walk/broken-config.yaml"]);
    assert_eq!(findings(&report), [("parse-error", "", 4)]);
    assert_eq!(report.diagnostics[0].location.start.column, 10);
    assert!(report.has_input_errors());
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.1

#[test]
fn openapi_31_webhooks_path_items_and_type_lists() {
    // No `paths`: nothing is a structure problem. Webhooks are requests the API sends, so their
    // bodies (`reason`, `Pet`) are not request data and their responses are not the API's errors;
    // the responses their receivers return are data the API takes in, so the `[string, "null"]`
    // properties of `Error` (the webhook's 429 body) are unbounded input.
    let path = "testdata/v31/webhooks.yaml";
    let report = assert_findings(
        path,
        &[
            (
                "security-scheme-undefined",
                "/webhooks/petRemoved/post/security/0/signature",
                13,
            ),
            (
                "string-unbounded",
                "/components/schemas/Error/properties/message",
                89,
            ),
            (
                "string-unbounded",
                "/components/schemas/Error/properties/trace",
                91,
            ),
        ],
    );
    assert_eq!(report.files[0].version.as_deref(), Some("3.1.0"));
    // The schema is related to the webhook response that references it.
    let message = finding(&report, "string-unbounded", 89);
    assert_eq!(related(message), [(path, 35)]);
}

#[test]
fn openapi_31_sibling_keywords_do_not_hide_other_references() {
    // `alias` uses `Name` as it is (unbounded); only `nickname` adds `maxLength: 30` beside its `$ref`.
    assert_findings(
        "testdata/v31/sibling-ref-order.yaml",
        &[("string-unbounded", "/components/schemas/Name", 51)],
    );
}

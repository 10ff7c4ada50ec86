//! SARIF output: valid against the SARIF 2.1.0 schema, within GitHub code scanning's upload limits,
//! and the same whichever directory rampart runs from.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use rampart::output::RenderOptions;
use rampart::output::sarif::{self, MAX_LOCATIONS, MAX_RESULTS, MAX_TAGS};
use rampart::source::{LineCol, Span};
use rampart::{Diagnostic, FileReport, LintRequest, Location, Related, Report, Severity};
use serde_json::Value;

/// The SARIF 2.1.0 schema as the `serde-sarif` crate ships it (its `src/schema.json`).
const SCHEMA: &str = include_str!("../testdata/schemas/sarif-schema-2.1.0.json");

/// The schema's `run.language` pattern has a stray `]`, which a regex-checking validator rejects when
/// it checks formats; the pattern it means (two letters, optionally a dash and two more) replaces it.
const BROKEN_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
const MEANT_PATTERN: &str = r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;

fn validate(log: &Value) {
    assert!(SCHEMA.contains(BROKEN_PATTERN));
    let schema: Value = serde_json::from_str(&SCHEMA.replace(BROKEN_PATTERN, MEANT_PATTERN))
        .expect("the schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

fn sarif_of(report: &Report) -> Value {
    let mut out = Vec::new();
    sarif::render(report, &mut out, &RenderOptions::default()).expect("rendered");
    serde_json::from_slice(&out).expect("SARIF is JSON")
}

fn lint(paths: &[&str]) -> Report {
    rampart::lint(&LintRequest {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        ..LintRequest::default()
    })
}

/// GitHub code scanning's documented limits (docs.github.com, "SARIF support for code scanning",
/// "Validating your SARIF file" / upload limits), checked on a log.
fn check_github_limits(log: &Value) {
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= 25_000, "more than 25,000 results in a run");
    for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
        let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
        assert!(tags <= 20, "more than 20 tags on {}", rule["id"]);
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("a security-severity");
        assert!((0.0..=10.0).contains(&severity));
    }
    for r in results {
        let locations = r["locations"].as_array().map_or(0, Vec::len)
            + r["relatedLocations"].as_array().map_or(0, Vec::len);
        assert!(locations <= 1_000, "more than 1,000 locations in a result");
        assert!(r["partialFingerprints"]["rampart/v1"].is_string());
        let all = r["locations"]
            .as_array()
            .into_iter()
            .chain(r["relatedLocations"].as_array())
            .flatten();
        for l in all {
            let physical = &l["physicalLocation"];
            assert!(
                physical["region"]["startLine"]
                    .as_u64()
                    .is_some_and(|n| n >= 1),
                "a location without a start line: {l}"
            );
            let uri = physical["artifactLocation"]["uri"].as_str().expect("a uri");
            if physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%" {
                assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
                assert!(!uri.split('/').any(|s| s == ".." || s == "."), "{uri}");
            } else {
                assert!(uri.starts_with("file:///"), "{uri}");
            }
        }
    }
}

#[test]
fn real_outputs_validate_against_the_sarif_schema() {
    for paths in [
        &["testdata/demo/petstore.yaml"][..],
        &["testdata/multi-file/openapi.yaml"],
        &["testdata/v2/petstore-v2.yaml", "testdata/v31/webhooks.yaml"],
        &[
            "testdata/bad/syntax.yaml",
            "testdata/bad/duplicate-keys.yaml",
        ],
        &["testdata/refs/broken.yaml", "does-not-exist.yaml"],
    ] {
        let report = lint(paths);
        let log = sarif_of(&report);
        validate(&log);
        check_github_limits(&log);
    }
}

#[test]
fn every_rule_and_built_in_check_is_described() {
    let log = sarif_of(&lint(&["testdata/demo/petstore.yaml"]));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "rampart");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for meta in rampart::output::all_checks() {
        assert!(ids.contains(&meta.id), "{} is not described", meta.id);
    }
    let s = rules
        .iter()
        .find(|r| r["id"] == "string-unbounded")
        .expect("string-unbounded");
    assert!(
        s["fullDescription"]["text"]
            .as_str()
            .expect("a full description")
            .starts_with("Finds string schemas in request data")
    );
    assert!(
        s["help"]["markdown"]
            .as_str()
            .expect("markdown help")
            .contains("## Use instead")
    );
    assert!(
        s["helpUri"]
            .as_str()
            .expect("a help URI")
            .ends_with("/rules/string-unbounded.md")
    );
    assert_eq!(s["defaultConfiguration"]["level"], "warning");
    assert_eq!(s["properties"]["security-severity"], "5.0");
    assert_eq!(
        s["properties"]["tags"],
        serde_json::json!(["security", "API4:2023"])
    );
    for r in log["runs"][0]["results"].as_array().expect("results") {
        let index = r["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
}

#[test]
fn unreadable_and_unparsable_files_are_notifications() {
    let report = lint(&["testdata/bad/syntax.yaml", "does-not-exist.yaml"]);
    let log = sarif_of(&report);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let rules: Vec<&str> = notes
        .iter()
        .filter_map(|n| n["associatedRule"]["id"].as_str())
        .collect();
    assert!(rules.contains(&"io-error"), "{rules:?}");
    assert!(rules.contains(&"parse-error"), "{rules:?}");
    for n in notes {
        assert_eq!(n["level"], "error");
        assert!(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    // The file that was never read is no result; the parse error, which has a position, is one.
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().all(|r| r["ruleId"] != "io-error"));
    assert!(results.iter().any(|r| r["ruleId"] == "parse-error"));
}

fn location(path: &str, line: u32) -> Location {
    let at = LineCol {
        line,
        column: 1,
        utf16_column: 0,
    };
    Location {
        path: Arc::from(path),
        abs: Arc::from(Path::new("/project").join(path)),
        span: Span { start: 0, end: 1 },
        start: at,
        end: LineCol {
            column: 2,
            utf16_column: 1,
            ..at
        },
        pointer: format!("/paths/{line}").into(),
    }
}

/// A report with `n` findings, one error in every ten, each with `related` related locations.
fn generated(n: usize, related: usize) -> Report {
    let diagnostics = (0..n)
        .map(|i| Diagnostic {
            rule: "string-unbounded",
            severity: if i % 10 == 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: format!("finding {i}"),
            help: None,
            location: location("api.yaml", i as u32 + 1),
            related: (0..related)
                .map(|j| Related {
                    location: location("api.yaml", j as u32 + 1),
                    message: "used here".into(),
                })
                .collect(),
            related_more: 0,
            suppressed: None,
            owasp: None,
            fingerprint: format!("{i:016x}"),
        })
        .collect();
    Report {
        diagnostics,
        files: vec![FileReport {
            path: Arc::from("api.yaml"),
            text: Arc::from("openapi: 3.0.3\n"),
            excerpt: None,
            reread: None,
            root: true,
            version: Some("3.0.3".to_string()),
        }],
        elapsed: Duration::from_millis(1),
        rules: vec!["string-unbounded"],
        root: Path::new("/project").to_path_buf(),
        ..Report::default()
    }
}

#[test]
fn github_limits_are_named_and_kept() {
    assert_eq!(MAX_RESULTS, 25_000, "GitHub keeps 25,000 results per run");
    assert_eq!(
        MAX_LOCATIONS, 1_000,
        "GitHub keeps 1,000 locations per result"
    );
    assert_eq!(MAX_TAGS, 20, "GitHub keeps 20 tags per rule");

    // Past the cap, the most severe findings are kept and a notification says how many were not.
    let report = generated(MAX_RESULTS + 5_000, 0);
    let log = serde_json::to_value(sarif::log(&report)).expect("serialised");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), MAX_RESULTS);
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, (MAX_RESULTS + 5_000) / 10, "every error is kept");
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    assert!(
        note["message"]["text"]
            .as_str()
            .expect("text")
            .starts_with("5000 of 30000 results were left out"),
        "{note}"
    );
    check_github_limits(&log);

    // Related locations are capped too.
    let log = serde_json::to_value(sarif::log(&generated(1, 1_500))).expect("serialised");
    check_github_limits(&log);
    let text = log["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .expect("text");
    assert!(text.ends_with("(and 501 more related locations)"), "{text}");
}

/// The rendered log is the whole [`sarif::log`] as `serde_json` writes it, though its results are
/// written a window at a time on several threads.
fn rendered_is_the_log(report: &Report) {
    let mut out = Vec::new();
    sarif::render(report, &mut out, &RenderOptions::default()).expect("rendered");
    let mut expected = serde_json::to_vec_pretty(&sarif::log(report)).expect("serialised");
    expected.push(b'\n');
    assert!(
        out == expected,
        "the rendered log differs from serde_json's at byte {}",
        out.iter()
            .zip(&expected)
            .take_while(|(a, b)| a == b)
            .count()
    );
}

#[test]
fn results_are_written_as_the_whole_log_would_be() {
    // No results, one, several windows with related locations, and past the cap.
    for (n, related) in [(0, 0), (1, 3), (2_000, 2), (MAX_RESULTS + 7, 0)] {
        rendered_is_the_log(&generated(n, related));
    }
    // Suppressed findings are results too, after the others.
    let mut report = generated(300, 1);
    report.suppressed = report
        .diagnostics
        .drain(..100)
        .map(|mut d| {
            d.suppressed = Some("capped by the gateway".to_string());
            d
        })
        .collect();
    rendered_is_the_log(&report);
}

#[test]
fn the_same_whichever_directory_rampart_runs_from() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).expect("a repository root");
    std::fs::create_dir_all(root.join("api/v1 beta")).expect("a folder");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo/petstore.yaml"),
        root.join("api/v1 beta/petstore.yaml"),
    )
    .expect("a spec");
    let run = |cwd: &Path, path: &str| -> Value {
        let o = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["lint", "--format", "sarif", path])
            .current_dir(cwd)
            .output()
            .expect("rampart runs");
        serde_json::from_slice(&o.stdout).expect("SARIF")
    };
    let from_root = run(root, "api/v1 beta/petstore.yaml");
    let from_inside = run(&root.join("api/v1 beta"), "petstore.yaml");
    validate(&from_root);
    let results = &from_root["runs"][0]["results"];
    assert!(!results.as_array().expect("results").is_empty());
    assert_eq!(results, &from_inside["runs"][0]["results"]);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "api/v1%20beta/petstore.yaml"
    );
    let base = from_root["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("the project root");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
}

#[test]
fn suppressed_findings_are_results_suppressed_in_source_and_scores_are_run_properties() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{key: []}]\npaths:\n  /notes:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                text:\n                  x-rampart-ignore: {string-unbounded: capped by the gateway}\n                  type: string\n      responses:\n        '204': {description: ok}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n",
    )
    .expect("written");
    let report = lint(&[spec.to_str().expect("UTF-8")]);
    assert_eq!(report.suppressed.len(), 1);
    let log = sarif_of(&report);
    validate(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let silenced: Vec<&Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(silenced.len(), 1);
    assert_eq!(silenced[0]["ruleId"], "string-unbounded");
    assert_eq!(silenced[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        silenced[0]["suppressions"][0]["justification"],
        "capped by the gateway"
    );
    let scores = &log["runs"][0]["properties"]["rampart/scores"];
    assert_eq!(scores[0]["operations"], 1);
    assert!(scores[0]["score"].as_u64().is_some_and(|s| s <= 100));
}

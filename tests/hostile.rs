//! Inputs built to hurt: each must give a clear diagnostic, quickly, and never hang or abort.

use std::fs;
use std::path::Path;

use rampart::{LintRequest, Report, lint};

fn lint_path(path: &Path) -> Report {
    lint(&LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..Default::default()
    })
}

fn rules(report: &Report) -> Vec<&'static str> {
    report.diagnostics.iter().map(|d| d.rule).collect()
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\nsecurity: [{k: []}]\n";
const TAIL: &str = "  securitySchemes:\n    k: {type: http, scheme: bearer}\n";

#[test]
fn callbacks_that_lead_back_to_their_path_item_are_walked_once() {
    // Three callbacks, each with three expressions leading back to the path item that holds them.
    let mut doc = String::from(HEAD);
    doc.push_str("paths:\n  /a:\n    $ref: '#/components/pathItems/P'\ncomponents:\n  pathItems:\n    P:\n      post:\n        callbacks:\n");
    for c in 1..=3 {
        doc.push_str(&format!(
            "          c{c}: {{$ref: '#/components/callbacks/C'}}\n"
        ));
    }
    doc.push_str("        responses: {'204': {description: ok}}\n  callbacks:\n    C:\n");
    for e in 1..=3 {
        doc.push_str(&format!(
            "      e{e}: {{$ref: '#/components/pathItems/P'}}\n"
        ));
    }
    doc.push_str(TAIL);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("callbacks.yaml");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    assert!(!report.has_input_errors(), "{:#?}", report.diagnostics);
    assert!(rules(&report).contains(&"rate-limit-429-missing"));
}

#[test]
fn a_huge_key_and_a_reference_to_a_near_name_do_not_exhaust_memory() {
    let long_a = "a".repeat(40_000);
    let long_b = "b".repeat(40_000);
    let doc = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}},\n\
         \"components\": {{\"schemas\": {{\"{long_a}\": {{\"type\": \"string\"}},\n\
         \"x\": {{\"$ref\": \"#/components/schemas/{long_b}\"}}}}}}}}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long.json");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    let unresolved: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "ref-unresolved")
        .collect();
    assert_eq!(unresolved.len(), 1);
    assert!(!unresolved[0].message.contains("did you mean"));
    assert_eq!(unresolved[0].location.start.line, 3);
}

#[cfg(unix)]
#[test]
fn a_pipe_is_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    let report = lint_path(&fifo);
    assert_eq!(rules(&report), ["io-error"]);
    assert!(report.diagnostics[0].message.contains("not a regular file"));
}

#[test]
fn a_reference_that_is_not_a_string_is_a_structure_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nonstr.yaml");
    let doc = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 5}}\n{TAIL}");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "structure")
        .expect("reported");
    assert_eq!(d.location.pointer, "/components/schemas/A/$ref");
    assert_eq!(d.location.start.line, 7);
}

#[test]
fn file_references_keep_tildes_and_decode_percent_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("a~1b c.yaml"),
        "type: string\nmaxLength: 5\n",
    )
    .expect("fragment");
    let doc = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: './a~1b%20c.yaml'}}\n{TAIL}"
    );
    let path = dir.path().join("root.yaml");
    fs::write(&path, doc).expect("write");
    let report = lint_path(&path);
    assert!(
        !rules(&report).iter().any(|r| r.starts_with("ref-")),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn a_broken_fragment_is_reported_when_a_walked_document_needs_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("frag.yaml"),
        "type: string\nmaxLength: [1, 2\n",
    )
    .expect("fragment");
    let doc = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: './frag.yaml'}}\n{TAIL}"
    );
    fs::write(dir.path().join("root.yaml"), doc).expect("write");
    let report = lint_path(dir.path());
    let got = rules(&report);
    assert!(got.contains(&"parse-error"), "{got:?}");
    assert!(got.contains(&"ref-unresolved"), "{got:?}");
    assert!(report.has_input_errors());
}

#[test]
fn a_file_over_the_size_limit_is_reported_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.yaml");
    let mut doc = format!("{HEAD}paths: {{}}\ncomponents:\n{TAIL}x-padding: \"");
    doc.push_str(&"x".repeat(4096));
    doc.push_str("\"\n");
    fs::write(&path, doc).expect("write");
    let mut request = LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..Default::default()
    };
    request.limits.max_file_bytes = 1024;
    let report = lint(&request);
    assert_eq!(rules(&report), ["input-limit"]);
    assert!(report.has_input_errors());
    assert!(report.diagnostics[0].message.contains("--max-file-size"));
}

//! Where `$ref` resolution may read, and what a reference to elsewhere costs.

use std::fs;

use rampart::{LintRequest, lint};

const ROOT: &str = r##"openapi: 3.0.3
info:
  title: Outside
  version: "1"
security:
  - bearer: []
paths:
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: "../shared/note.yaml"
      responses:
        "204":
          description: stored
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
"##;

const NOTE: &str = "type: object\nproperties:\n  text:\n    type: string\n";

fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("api")).expect("api dir");
    fs::create_dir_all(dir.path().join("shared")).expect("shared dir");
    fs::write(dir.path().join("api/openapi.yaml"), ROOT).expect("root");
    fs::write(dir.path().join("shared/note.yaml"), NOTE).expect("note");
    dir
}

#[test]
fn references_leaving_the_linted_folder_are_not_read_by_default() {
    let dir = layout();
    let root = dir.path().join("api/openapi.yaml");
    let report = lint(&LintRequest {
        paths: vec![root.to_string_lossy().into_owned()],
        ..Default::default()
    });
    let outside: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "ref-outside-root")
        .collect();
    assert_eq!(outside.len(), 1, "{:#?}", report.diagnostics);
    assert_eq!(outside[0].location.start.line, 14);
    assert!(
        outside[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("--allow-external-refs")
    );
    assert!(!report.files.iter().any(|f| f.path.ends_with("note.yaml")));
}

#[test]
fn allow_external_refs_reads_them_and_reports_in_that_file() {
    let dir = layout();
    let root = dir.path().join("api/openapi.yaml");
    let report = lint(&LintRequest {
        paths: vec![root.to_string_lossy().into_owned()],
        allow_external_refs: true,
        ..Default::default()
    });
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.rule.starts_with("ref-"))
    );
    let text = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "string-unbounded")
        .expect("the note's text is unbounded");
    assert!(
        text.location.path.ends_with("shared/note.yaml"),
        "{}",
        text.location.path
    );
    assert_eq!(text.location.start.line, 3);
    assert_eq!(&*text.location.pointer, "/properties/text");
}

#[test]
fn linting_the_common_folder_allows_references_within_it() {
    let dir = layout();
    let report = lint(&LintRequest {
        paths: vec![dir.path().to_string_lossy().into_owned()],
        ..Default::default()
    });
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.rule.starts_with("ref-")),
        "{:#?}",
        report.diagnostics
    );
    assert_eq!(report.documents(), 1);
}

#[test]
fn a_folder_with_a_root_and_its_fragments_lints_like_the_root_alone() {
    let run = |path: &str| {
        let report = lint(&LintRequest {
            paths: vec![path.to_string()],
            ..Default::default()
        });
        let found: Vec<(String, String, u32)> = report
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.rule.to_string(),
                    d.location.path.to_string(),
                    d.location.start.line,
                )
            })
            .collect();
        (found, report.documents(), report.files.len())
    };
    let folder = run("testdata/equivalence/split");
    let root = run("testdata/equivalence/split/openapi.yaml");
    assert_eq!(folder, root);
    // One document; the fragments are read once each, through it.
    assert_eq!(folder.1, 1);
    assert_eq!(folder.2, 6);
}

#[test]
fn two_documents_sharing_a_fragment_report_its_finding_once_with_both_uses() {
    let dir = layout();
    // A second document using the same fragment; its name sorts before the first one's.
    let other = ROOT
        .replace("/notes:", "/memos:")
        .replace("Outside", "Other");
    fs::write(dir.path().join("api/a-other.yaml"), other).expect("second root");
    let report = lint(&LintRequest {
        paths: vec![dir.path().join("api").to_string_lossy().into_owned()],
        project_root: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    assert_eq!(report.documents(), 2);
    let text: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "string-unbounded")
        .collect();
    assert_eq!(text.len(), 1, "{text:#?}");
    let d = text[0];
    assert!(
        d.location.path.ends_with("note.yaml"),
        "{}",
        d.location.path
    );
    assert_eq!(&*d.location.pointer, "/properties/text");
    // The uses of both documents, the first document's (in the order of the files) first.
    let users: Vec<&str> = d
        .related
        .iter()
        .map(|r| r.location.path.rsplit('/').next().unwrap_or(""))
        .collect();
    assert_eq!(users, ["a-other.yaml", "openapi.yaml"], "{:#?}", d.related);
    // The rest of the report is in order: by file, then position.
    assert!(
        report
            .diagnostics
            .is_sorted_by(|a, b| a.sort_key() <= b.sort_key())
    );
}

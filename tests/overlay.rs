//! In-memory text (an editor's unsaved buffer) wins over the file on disk.

use std::path::PathBuf;
use std::sync::Arc;

use rampart::{LintRequest, lint};

#[test]
fn unsaved_text_wins_over_the_file_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, "not: [openapi").expect("write");
    let unsaved = "openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\npaths: {}\n";
    let mut request = LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..Default::default()
    };
    request
        .overlays
        .insert(PathBuf::from(&path), Arc::from(unsaved));
    let report = lint(&request);
    // The broken text on disk is never read: the buffer is a document without security schemes
    // or servers.
    let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["security-scheme-missing", "servers-missing"]);
    assert_eq!(report.documents(), 1);
    assert_eq!(&*report.files[0].text, unsaved);
}

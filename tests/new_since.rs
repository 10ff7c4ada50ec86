//! `--new-since`: only what the working tree adds compared to a git revision is reported; moved code
//! is not new, and the working tree is left as it is.

use std::path::Path;
use std::process::{Command, Output};

const API: &str = r##"openapi: 3.0.3
info:
  title: Notes
  version: 1.0.0
security:
  - key: []
paths:
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Note"
      responses:
        "201":
          description: Created.
  /tags:
    get:
      parameters:
        - name: q
          in: query
          schema:
            type: string
            maxLength: 40
      responses:
        "200":
          description: The tags.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
  schemas:
    Note:
      type: object
      properties:
        text:
          type: string
"##;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn repo(api: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(dir.path().join("openapi.yaml"), api).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "--quiet", "-m", "api"]);
    dir
}

fn rampart(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["lint", "--format", "json", "--no-config"])
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("rampart runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// (rule, pointer) of each finding.
fn findings(out: &Output) -> Vec<(String, String)> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["location"]["pointer"]
                    .as_str()
                    .or_else(|| d["pointer"].as_str())
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn a_commit_adding_an_unbounded_string_reports_exactly_it() {
    let dir = repo(API);
    let edited = API.replace(
        "        text:\n          type: string\n",
        "        text:\n          type: string\n        title:\n          type: string\n          pattern: \"^[a-z ]*$\"\n",
    );
    std::fs::write(dir.path().join("openapi.yaml"), &edited).unwrap();
    git(dir.path(), &["commit", "--quiet", "-am", "title"]);

    let all = findings(&rampart(dir.path(), &["openapi.yaml"]));
    assert!(all.len() > 1, "{all:?}");
    let out = rampart(dir.path(), &["--new-since", "HEAD~1", "openapi.yaml"]);
    assert_eq!(
        findings(&out),
        vec![(
            "string-unbounded".to_string(),
            "/components/schemas/Note/properties/title".to_string()
        )],
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains(&format!("left out {} findings", all.len() - 1)),
        "{}",
        text(&out.stderr)
    );
    // The working tree is as it was.
    let now = std::fs::read_to_string(dir.path().join("openapi.yaml")).unwrap();
    assert_eq!(now, edited);
}

#[test]
fn uncommitted_edits_count_too_and_folders_work() {
    let dir = repo(API);
    let edited = API.replace("            maxLength: 40\n", "");
    std::fs::write(dir.path().join("openapi.yaml"), &edited).unwrap();
    let out = rampart(dir.path(), &["--new-since", "HEAD", "."]);
    let found = findings(&out);
    assert!(
        found.iter().any(|(rule, _)| rule == "string-unbounded"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .all(|(_, at)| at.starts_with("/paths/~1tags/get/parameters/0/schema")),
        "{found:?}"
    );
}

#[test]
fn a_commit_that_only_reorders_paths_reports_nothing() {
    let dir = repo(API);
    let notes = API.find("  /notes:").unwrap();
    let tags = API.find("  /tags:").unwrap();
    let end = API.find("components:").unwrap();
    let reordered = format!(
        "{}{}{}{}",
        &API[..notes],
        &API[tags..end],
        &API[notes..tags],
        &API[end..]
    );
    assert_ne!(reordered, API);
    std::fs::write(dir.path().join("openapi.yaml"), &reordered).unwrap();
    git(dir.path(), &["commit", "--quiet", "-am", "reorder"]);
    let out = rampart(dir.path(), &["--new-since", "HEAD~1", "openapi.yaml"]);
    assert_eq!(findings(&out), vec![], "{}", text(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_file_the_revision_lacks_is_new_throughout() {
    let dir = repo(API);
    std::fs::write(dir.path().join("second.yaml"), API).unwrap();
    let all = findings(&rampart(dir.path(), &["second.yaml"]));
    let out = rampart(dir.path(), &["--new-since", "HEAD", "second.yaml"]);
    assert_eq!(findings(&out), all);
}

#[test]
fn an_unknown_revision_is_a_usage_error() {
    let dir = repo(API);
    let out = rampart(
        dir.path(),
        &["--new-since", "no-such-branch", "openapi.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no-such-branch"),
        "{}",
        text(&out.stderr)
    );
}

//! The pre-commit hook (`.pre-commit-hooks.yaml`): among the files it is given, OpenAPI documents are
//! linted and other YAML and JSON files (CI configuration, fragments) are left alone.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use rampart::source::{Limits, Tree, parse_file};

const BAD: &str = r#"openapi: 3.0.3
info:
  title: Notes
  version: 1.0.0
paths:
  /notes:
    get:
      responses:
        "200":
          description: The notes.
"#;

const GOOD: &str = r#"openapi: 3.0.3
info:
  title: Notes
  version: 1.0.0
servers:
  - url: https://api.notes.acme.com
security:
  - key: []
paths: {}
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
"#;

const CI: &str = r#"on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: cargo test
"#;

const FRAGMENT: &str = r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#;

fn hooks() -> (Tree, rampart::source::NodeId) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let (tree, _) = parse_file(path, Arc::from(text), &Limits::default()).unwrap();
    let hook = tree.items(tree.root().unwrap())[0];
    (tree, hook)
}

fn field(tree: &Tree, hook: rampart::source::NodeId, key: &str) -> String {
    tree.get(hook, key)
        .and_then(|n| tree.text(n))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_hook_is_declared() {
    let (tree, hook) = hooks();
    assert_eq!(field(&tree, hook, "id"), "rampart");
    assert_eq!(field(&tree, hook, "language"), "rust");
    assert!(field(&tree, hook, "entry").starts_with("rampart lint"));
    let types: Vec<&str> = tree
        .items(tree.get(hook, "types_or").unwrap())
        .iter()
        .filter_map(|&n| tree.text(n))
        .collect();
    assert_eq!(types, ["yaml", "json"]);
    // `types_or` came with pre-commit 2.9.0; older ones would reject the hook.
    assert_eq!(field(&tree, hook, "minimum_pre_commit_version"), "2.9.0");
    assert_ne!(field(&tree, hook, "pass_filenames"), "false");
}

/// Runs the hook's entry the way pre-commit does: the entry, then the file names.
fn run_entry(dir: &Path, files: &[&str]) -> Output {
    let (tree, hook) = hooks();
    let entry = field(&tree, hook, "entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("rampart"));
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(words)
        .args(files)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("rampart runs")
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), BAD).unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::write(dir.path().join(".github/workflows/ci.yml"), CI).unwrap();
    std::fs::write(dir.path().join("fragment.json"), FRAGMENT).unwrap();
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_entry_fails_on_a_bad_document_and_passes_on_the_rest() {
    let dir = scratch();
    let others = [".github/workflows/ci.yml", "fragment.json"];
    let out = run_entry(dir.path(), &[&["good.yaml"][..], &others[..]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("not-openapi"));

    let out = run_entry(dir.path(), &[&["bad.yaml"][..], &others[..]].concat());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let shown = text(&out.stdout);
    assert!(shown.contains("bad.yaml"), "{shown}");
    assert!(
        !shown.contains("ci.yml") && !shown.contains("fragment.json"),
        "{shown}"
    );
}

#[test]
fn without_the_flag_a_named_ci_file_is_an_error() {
    let dir = scratch();
    let out = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["lint", "--format", "concise", ".github/workflows/ci.yml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("not-openapi"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn an_unsupported_version_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("api.yaml"), "openapi: 4.0.0\ninfo: {}\n").unwrap();
    let out = run_entry(dir.path(), &["api.yaml"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("not-openapi"),
        "{}",
        text(&out.stdout)
    );
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
}

/// How to run the real `pre-commit`: the `pre-commit` command, else the module of the Python that
/// `python3 -m pip install pre-commit` installed it into. `None` when neither answers.
fn pre_commit() -> Option<Vec<&'static str>> {
    [&["pre-commit"][..], &["python3", "-m", "pre_commit"][..]]
        .into_iter()
        .find(|command| {
            Command::new(command[0])
                .args(&command[1..])
                .arg("--version")
                .output()
                .is_ok_and(|out| out.status.success())
        })
        .map(<[_]>::to_vec)
}

/// Where the hook's release build is kept between runs: `language: rust` makes pre-commit run
/// `cargo install --bins --root ENV --path .` in a fresh clone of this repository each time, and
/// cargo builds in `CARGO_TARGET_DIR` when it is set. Beside this build's own profiles, so the
/// dependencies are compiled once and each run recompiles only rampart itself.
fn hook_target_dir() -> std::path::PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_rampart"));
    binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary is in a profile folder of the target folder")
        .join("pre-commit")
}

/// The real `pre-commit try-repo` on this repository (with its uncommitted changes), in a scratch
/// repository. The release build it makes takes minutes the first time. CI installs pre-commit and
/// sets `RAMPART_REQUIRE_PRE_COMMIT`, so there a missing pre-commit fails; elsewhere it skips.
#[test]
fn pre_commit_try_repo_runs_the_hook() {
    let Some(pre_commit) = pre_commit() else {
        assert!(
            std::env::var_os("RAMPART_REQUIRE_PRE_COMMIT").is_none(),
            "RAMPART_REQUIRE_PRE_COMMIT is set but neither `pre-commit` nor `python3 -m pre_commit` runs"
        );
        // Straight to standard error, past the test harness's capture, so the skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped pre_commit_try_repo_runs_the_hook: pre-commit is not installed \
             (`python3 -m pip install pre-commit`; .ci/run installs it and runs this test)"
        );
        return;
    };
    let dir = scratch();
    assert!(git(dir.path(), &["init", "--quiet"]).status.success());
    assert!(git(dir.path(), &["add", "."]).status.success());
    // One run over the whole scratch repository: each run is a fresh clone, and so a new build of
    // rampart (`try-repo` keeps no environment between runs).
    let out = Command::new(pre_commit[0])
        .args(&pre_commit[1..])
        .args(["try-repo", env!("CARGO_MANIFEST_DIR"), "rampart"])
        .args(["--all-files", "--color", "never"])
        .current_dir(dir.path())
        .env("PRE_COMMIT_HOME", dir.path().join(".cache"))
        .env("CARGO_TARGET_DIR", hook_target_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit runs");
    let shown = text(&out.stdout) + &text(&out.stderr);
    let findings = |file: &str| {
        shown
            .lines()
            .filter(|l| l.starts_with(&format!("{file}:")))
            .count()
    };
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("rampart") && l.ends_with("Failed")),
        "{shown}"
    );
    // The bad document fails the hook, its findings named; the good one is linted and passes; the
    // CI workflow and the fragment are not linted at all.
    assert!(
        shown.contains("bad.yaml:1:1: error[security-scheme-missing]"),
        "{shown}"
    );
    assert_eq!(findings("bad.yaml"), 5, "{shown}");
    assert_eq!(findings("good.yaml"), 0, "{shown}");
    assert_eq!(findings(".github/workflows/ci.yml"), 0, "{shown}");
    assert_eq!(findings("fragment.json"), 0, "{shown}");
    assert!(!shown.contains("not-openapi"), "{shown}");
    assert!(
        shown.contains("1 error, 3 warnings, 1 info in 2 files (2 documents)"),
        "{shown}"
    );
}

//! The GitHub Action (`action.yml`): a composite action whose every input is used by its steps and
//! documented in README.md, building rampart from its own checkout.

use std::sync::Arc;

use rampart::source::{Limits, NodeId, Tree, parse_file};

fn action() -> Tree {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml");
    let text = std::fs::read_to_string(path).unwrap();
    parse_file(path, Arc::from(text), &Limits::default())
        .unwrap()
        .0
}

fn at(tree: &Tree, pointer: &str) -> NodeId {
    tree.pointer(tree.root().unwrap(), pointer)
        .unwrap_or_else(|| panic!("action.yml has no {pointer}"))
}

fn inputs(tree: &Tree) -> Vec<String> {
    tree.fields(at(tree, "/inputs"))
        .map(|(name, _, _)| name.to_string())
        .collect()
}

/// The text of every step (`uses`, `with`, `env`, `run`...), as written.
fn steps(tree: &Tree) -> String {
    let steps = at(tree, "/runs/steps");
    let span = tree.span(steps);
    tree.source()[span.start as usize..span.end as usize].to_string()
}

#[test]
fn it_is_a_composite_action_with_the_documented_inputs() {
    let tree = action();
    assert_eq!(tree.text(at(&tree, "/runs/using")), Some("composite"));
    assert_eq!(
        inputs(&tree),
        [
            "paths",
            "format",
            "fail-on",
            "config",
            "sarif-file",
            "only-new",
            "version"
        ]
    );
    assert_eq!(
        tree.text(at(&tree, "/inputs/format/default")),
        Some("github")
    );
    assert_eq!(
        tree.text(at(&tree, "/inputs/only-new/default")),
        Some("true")
    );
    for name in inputs(&tree) {
        assert!(
            tree.text(at(&tree, &format!("/inputs/{name}/description")))
                .is_some_and(|d| !d.is_empty()),
            "input `{name}` has no description"
        );
    }
}

#[test]
fn every_input_is_used_by_a_step() {
    let tree = action();
    let steps = steps(&tree);
    for name in inputs(&tree) {
        assert!(
            steps.contains(&format!("inputs.{name} }}}}")),
            "input `{name}` is not used by any step"
        );
    }
}

#[test]
fn every_input_is_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for name in inputs(&action()) {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README.md does not document the input `{name}`"
        );
    }
    assert!(readme.contains("github/codeql-action/upload-sarif"));
}

#[test]
fn it_builds_from_its_own_checkout_cached_and_runs_the_flags() {
    let steps = steps(&action());
    assert!(steps.contains(r#"cargo install --locked --path "$GITHUB_ACTION_PATH""#));
    assert!(steps.contains("uses: actions/cache@"));
    assert!(steps.contains("github.event.pull_request.base.sha"));
    for flag in ["--new-since", "--fail-on", "--config", "--format \"sarif="] {
        assert!(steps.contains(flag), "no step passes {flag}");
    }
}

/// Runs the action's lint script as the runner would, with the inputs in the environment.
fn run_lint_step(dir: &std::path::Path, env: &[(&str, &str)]) -> std::process::Output {
    let tree = action();
    let steps = at(&tree, "/runs/steps");
    let lint = tree
        .items(steps)
        .iter()
        .copied()
        .find(|&s| tree.get(s, "name").and_then(|n| tree.text(n)) == Some("Lint"))
        .expect("a Lint step");
    let script = tree
        .text(tree.get(lint, "run").unwrap())
        .unwrap()
        .to_string();
    let mut cmd = std::process::Command::new("bash");
    cmd.args(["-eo", "pipefail", "-c", &script])
        .current_dir(dir)
        .env("RAMPART", env!("CARGO_BIN_EXE_rampart"))
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_lint_step_reports_what_a_pull_request_adds_and_writes_sarif() {
    let api = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/A'\n      responses:\n        '204':\n          description: Done.\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        a:\n          type: string\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("api")).unwrap();
    std::fs::write(dir.path().join("api/openapi.yaml"), api).unwrap();
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "--quiet", "-m", "base"]);
    let changed =
        format!("{api}        b:\n          type: string\n          pattern: '^[a-z]*$'\n");
    std::fs::write(dir.path().join("api/openapi.yaml"), changed).unwrap();
    git(dir.path(), &["commit", "--quiet", "-am", "change"]);
    let base = String::from_utf8(
        std::process::Command::new("git")
            .args(["rev-parse", "HEAD~1"])
            .current_dir(dir.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let inputs = [
        ("INPUT_PATHS", "api/\n"),
        ("INPUT_FORMAT", "concise"),
        ("INPUT_FAIL_ON", "never"),
        ("INPUT_CONFIG", ""),
        ("INPUT_SARIF_FILE", "out.sarif"),
        ("INPUT_ONLY_NEW", "true"),
        ("BASE_SHA", base.trim()),
    ];
    let out = run_lint_step(dir.path(), &inputs);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().filter(|l| l.contains("[")).collect();
    assert_eq!(
        lines.len(),
        1,
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(lines[0].contains("string-unbounded"), "{stdout}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);

    // Outside pull requests (no base commit), everything is reported.
    let mut push = inputs;
    push[6] = ("BASE_SHA", "");
    let out = run_lint_step(dir.path(), &push);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().filter(|l| l.contains("[")).count() > 1,
        "{stdout}"
    );
}

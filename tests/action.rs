//! The GitHub Action (`action.yml`): a composite action whose every input is used by its steps and
//! documented in README.md, building rampart from its own checkout. Its shell steps are run here the
//! way a runner runs them, in a scratch workspace.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
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

/// The build step's command line: `cargo install` of the action's own checkout into the cached root.
const BUILD: &str = r#"cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$ROOT""#;

/// What a runner gives the steps of a job on a pull request (or a push, without `pull_request` in the
/// event): the checked-out workspace, the event, the commit and the repository.
struct Runner {
    workspace: PathBuf,
    /// `GITHUB_ACTION_PATH`: the action's files as the runner downloads them, without `.git`.
    action: PathBuf,
    /// Where each job's `RUNNER_TEMP` is made, new for every run of the action.
    temp: PathBuf,
    event_name: &'static str,
    event: serde_json::Value,
    sha: String,
}

/// What running the action's steps left behind.
struct Outcome {
    /// The job's `RUNNER_TEMP`.
    temp: PathBuf,
    /// The exit status of the last step run (a failing step ends the job).
    status: Option<i32>,
    stdout: String,
    stderr: String,
    /// The job's step summary: what the steps appended to their `GITHUB_STEP_SUMMARY` files.
    summary: String,
    /// Each step's outputs (`GITHUB_OUTPUT`), by step id.
    outputs: HashMap<String, HashMap<String, String>>,
}

impl Outcome {
    /// The workflow commands that become annotations: `::error`, `::warning`, `::notice` lines.
    fn annotations(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| {
                ["::error ", "::warning ", "::notice "]
                    .iter()
                    .any(|c| l.starts_with(c))
            })
            .collect()
    }

    fn output(&self, step: &str, name: &str) -> &str {
        self.outputs
            .get(step)
            .and_then(|o| o.get(name))
            .map_or("", String::as_str)
    }
}

/// The value of an expression (`inputs.x`, `steps.id.outputs.x`, `github.event.a.b`, `runner.os`,
/// `x != 'y'`), as the runner computes it: strings, and `''` for what is missing.
fn evaluate(
    expression: &str,
    tree: &Tree,
    with: &[(&str, &str)],
    runner: &Runner,
    outputs: &HashMap<String, HashMap<String, String>>,
) -> String {
    let expression = expression.trim();
    for (op, equal) in [("!=", false), ("==", true)] {
        if let Some((left, right)) = expression.split_once(op) {
            let left = evaluate(left, tree, with, runner, outputs);
            let right = right.trim();
            let right = right
                .strip_prefix('\'')
                .and_then(|r| r.strip_suffix('\''))
                .unwrap_or_else(|| {
                    panic!("the test compares only with '...' strings: {expression}")
                });
            return ((left == right) == equal).to_string();
        }
    }
    let path: Vec<&str> = expression.split('.').collect();
    match path[..] {
        ["inputs", name] => with
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| {
                let default = at(tree, &format!("/inputs/{name}"));
                tree.get(default, "default")
                    .and_then(|d| tree.text(d))
                    .unwrap_or_default()
                    .to_string()
            }),
        ["steps", step, "outputs", name] => outputs
            .get(step)
            .and_then(|o| o.get(name))
            .cloned()
            .unwrap_or_default(),
        ["github", "event_name"] => runner.event_name.to_string(),
        ["github", "sha"] => runner.sha.clone(),
        ["github", "event", ..] => {
            let value = path[2..].iter().fold(&runner.event, |v, k| &v[*k]);
            value.as_str().unwrap_or_default().to_string()
        }
        ["runner", "os"] => "Linux".to_string(),
        ["runner", "arch"] => "X64".to_string(),
        _ => panic!("the test does not know the value of `{expression}`"),
    }
}

/// Replaces every `${{ ... }}` in `text` by its value.
fn substitute(
    text: &str,
    tree: &Tree,
    with: &[(&str, &str)],
    runner: &Runner,
    outputs: &HashMap<String, HashMap<String, String>>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("}}")
            .expect("an expression ends with }}")
            + start;
        out.push_str(&evaluate(
            &rest[start + 3..end],
            tree,
            with,
            runner,
            outputs,
        ));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A step's outputs as the runner reads them from `GITHUB_OUTPUT`: `name=value` lines, and
/// `name<<DELIMITER` ... `DELIMITER` blocks (whichever of `=` and `<<` comes first decides).
fn read_outputs(file: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let heredoc = line
            .find("<<")
            .filter(|&h| line.find('=').is_none_or(|e| h < e));
        if let Some(at) = heredoc {
            let (name, delimiter) = (&line[..at], &line[at + 2..]);
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}

/// Runs the action's steps in order, as a runner would with these `with:` inputs: expressions
/// substituted, each `run:` as a `bash --noprofile --norc -eo pipefail` script in the workspace with
/// the runner's variables and the step's `env:`, its own `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`
/// files. `actions/cache` misses. The build step is not run: the test checks its command line and
/// puts this test's own rampart binary where `cargo install --root` would, `ROOT/bin/rampart`.
fn run_action(runner: &Runner, with: &[(&str, &str)]) -> Outcome {
    let tree = action();
    let jobs = std::fs::read_dir(&runner.temp).unwrap().count();
    let temp = runner.temp.join(format!("job-{jobs}"));
    std::fs::create_dir_all(&temp).unwrap();
    let mut outcome = Outcome {
        temp: temp.clone(),
        status: Some(0),
        stdout: String::new(),
        stderr: String::new(),
        summary: String::new(),
        outputs: HashMap::new(),
    };
    let event_path = temp.join("event.json");
    std::fs::write(&event_path, runner.event.to_string()).unwrap();
    let home = temp.join("home");
    std::fs::create_dir_all(&home).unwrap();
    for (index, &step) in tree.items(at(&tree, "/runs/steps")).iter().enumerate() {
        let field = |key: &str| tree.get(step, key).and_then(|n| tree.text(n));
        let eval = |text: &str, outputs: &HashMap<String, HashMap<String, String>>| {
            substitute(text, &tree, with, runner, outputs)
        };
        let id = field("id").map_or_else(|| format!("__{index}"), str::to_string);
        if let Some(condition) = field("if") {
            let condition = condition
                .trim()
                .strip_prefix("${{")
                .and_then(|c| c.strip_suffix("}}"))
                .unwrap_or(condition);
            if evaluate(condition, &tree, with, runner, &outcome.outputs) != "true" {
                continue;
            }
        }
        if let Some(uses) = field("uses") {
            assert!(
                uses.starts_with("actions/cache@"),
                "the test does not know how to run `{uses}`"
            );
            // A cold cache: nothing restored, `cache-hit` is not `true`.
            let path = eval(
                tree.text(tree.pointer(step, "/with/path").unwrap())
                    .unwrap(),
                &outcome.outputs,
            );
            assert!(!path.is_empty() && !Path::new(&path).join("bin/rampart").exists());
            let key = eval(
                tree.text(tree.pointer(step, "/with/key").unwrap()).unwrap(),
                &outcome.outputs,
            );
            let build = &outcome.outputs["build"];
            assert_eq!(path, build["root"]);
            assert_eq!(key, format!("rampart-Linux-X64-{}", build["key"]));
            outcome
                .outputs
                .insert(id, HashMap::from([("cache-hit".into(), "false".into())]));
            continue;
        }
        assert_eq!(field("shell"), Some("bash"), "step {index} runs under bash");
        let script = eval(
            field("run").expect("a step runs a script"),
            &outcome.outputs,
        );
        let env: Vec<(String, String)> = tree
            .get(step, "env")
            .map(|env| {
                tree.fields(env)
                    .map(|(k, _, v)| (k.to_string(), eval(tree.text(v).unwrap(), &outcome.outputs)))
                    .collect()
            })
            .unwrap_or_default();
        if script.trim().starts_with("cargo install") {
            // The build, replaced: this test's binary goes where `cargo install --root "$ROOT"` puts it.
            assert_eq!(script.trim(), BUILD);
            let root = &env
                .iter()
                .find(|(k, _)| k == "ROOT")
                .expect("the build names ROOT")
                .1;
            let bin = Path::new(root).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            let binary = env!("CARGO_BIN_EXE_rampart");
            std::fs::hard_link(binary, bin.join("rampart"))
                .or_else(|_| std::fs::copy(binary, bin.join("rampart")).map(|_| ()))
                .unwrap();
            continue;
        }
        let file = temp.join(format!("step-{index}.sh"));
        std::fs::write(&file, &script).unwrap();
        let output_file = temp.join(format!("output-{index}"));
        let summary_file = temp.join(format!("summary-{index}"));
        for f in [&output_file, &summary_file] {
            std::fs::write(f, "").unwrap();
        }
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file)
            .current_dir(&runner.workspace)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", runner.event_name)
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_SHA", &runner.sha)
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", "octo/api")
            .env("GITHUB_WORKSPACE", &runner.workspace)
            .env("GITHUB_ACTION_PATH", &runner.action)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .envs(env)
            .output()
            .unwrap();
        outcome.stdout += &String::from_utf8_lossy(&out.stdout);
        outcome.stderr += &String::from_utf8_lossy(&out.stderr);
        outcome.summary += &std::fs::read_to_string(&summary_file).unwrap();
        outcome.outputs.insert(id, read_outputs(&output_file));
        outcome.status = out.status.code();
        if !out.status.success() {
            break;
        }
    }
    outcome
}

/// Copies a file, or a folder with everything in it.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

const API: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/A'\n      responses:\n        '204':\n          description: Done.\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        a:\n          type: string\n";

/// The pull request's change: a property `b` on line 23, a string with no `maxLength`.
const ADDED: &str = "        b:\n          type: string\n          pattern: '^[a-z]*$'\n";

/// A repository (standing for GitHub's) with a base commit and a head commit that adds one unbounded
/// string, and the runner's workspace: a shallow checkout of the head (as `actions/checkout` does by
/// default), so the action has to fetch the base itself.
struct Scratch {
    _dir: tempfile::TempDir,
    runner: Runner,
    base: String,
}

fn pull_request() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir_all(origin.join("api")).unwrap();
    std::fs::write(origin.join("api/openapi.yaml"), API).unwrap();
    git(&origin, &["init", "--quiet"]);
    // GitHub serves any commit by its id, as the action's `git fetch origin BASE_SHA` needs.
    git(
        &origin,
        &["config", "uploadpack.allowAnySHA1InWant", "true"],
    );
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "--quiet", "-m", "base"]);
    let base = git(&origin, &["rev-parse", "HEAD"]);
    std::fs::write(origin.join("api/openapi.yaml"), format!("{API}{ADDED}")).unwrap();
    git(&origin, &["commit", "--quiet", "-am", "add b"]);
    let head = git(&origin, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        &["clone", "--quiet", "--depth=1", &url, "workspace"],
    );
    let workspace = dir.path().join("workspace");
    let temp = dir.path().join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    // What `uses: rampart-lint/rampart@REF` downloads: the repository's files, not its history.
    let action = dir.path().join("action");
    for name in ["action.yml", "Cargo.toml", "Cargo.lock", "src", "rules"] {
        copy(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(name),
            &action.join(name),
        );
    }
    // GITHUB_SHA is the checked-out commit (on GitHub, the pull request's merge commit; here its head).
    let event = serde_json::json!({
        "pull_request": {"base": {"sha": base}, "head": {"sha": head}},
    });
    Scratch {
        _dir: dir,
        runner: Runner {
            workspace,
            action,
            temp,
            event_name: "pull_request",
            event,
            sha: head,
        },
        base,
    }
}

fn shown(o: &Outcome) -> String {
    format!(
        "status {:?}\n--- stdout\n{}--- stderr\n{}--- summary\n{}",
        o.status, o.stdout, o.stderr, o.summary
    )
}

const NEW: &str = "::warning file=api/openapi.yaml,line=23,col=9,endLine=23,endColumn=10,title=string-unbounded::property `b` of schema `A` is a string without `maxLength`, so requests may carry unbounded data%0Ahelp: ";

#[test]
fn on_a_pull_request_it_annotates_summarises_and_writes_sarif_for_what_it_adds() {
    let scratch = pull_request();
    let runner = &scratch.runner;
    let o = run_action(
        runner,
        &[("paths", "api/"), ("sarif-file", "rampart.sarif")],
    );
    assert_eq!(o.status, Some(0), "{}", shown(&o));

    // The build is named by a hash of the action's sources, in the runner's temporary folder.
    let key = o.output("build", "key");
    assert!(
        key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{key:?}"
    );
    assert_eq!(
        o.output("build", "root"),
        o.temp.join(format!("rampart-{key}")).to_str().unwrap()
    );

    // The base commit was fetched into the shallow checkout, and only the addition is reported.
    git(
        &runner.workspace,
        &["cat-file", "-e", &format!("{}^{{commit}}", scratch.base)],
    );
    let annotations = o.annotations();
    assert_eq!(annotations.len(), 1, "{}", shown(&o));
    assert!(annotations[0].starts_with(NEW), "{}", shown(&o));
    assert!(
        o.stderr.contains("left out 8 findings already present"),
        "{}",
        shown(&o)
    );

    // The step summary: the count per rule, linked to the rule's page, and the finding linked to its
    // line at the linted commit.
    assert!(
        o.summary.starts_with("### rampart: 1 warning in 1 file"),
        "{}",
        shown(&o)
    );
    assert!(
        o.summary.contains("| [`string-unbounded`](https://github.com/rampart-lint/rampart/blob/main/rules/string-unbounded.md) | warning | 1 |"),
        "{}",
        shown(&o)
    );
    let link = format!(
        "| warning | `string-unbounded` | [api/openapi.yaml:23](https://github.com/octo/api/blob/{}/api/openapi.yaml#L23) | property `b` of schema `A` is a string without `maxLength`",
        runner.sha
    );
    assert!(o.summary.contains(&link), "{}", shown(&o));

    // SARIF: the same one finding, relative to %SRCROOT%, with its fingerprint.
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(runner.workspace.join("rampart.sarif")).unwrap(),
    )
    .expect("the SARIF file is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif:#}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "string-unbounded");
    assert_eq!(result["level"], "warning");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "api/openapi.yaml");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(physical["region"]["startLine"], 23);
    assert!(
        result["partialFingerprints"]
            .as_object()
            .is_some_and(|f| !f.is_empty()
                && f.values()
                    .all(|v| v.as_str().is_some_and(|v| !v.is_empty()))),
        "{result:#}"
    );
    let srcroot = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        srcroot.starts_with("file://") && srcroot.ends_with("/workspace/"),
        "{srcroot}"
    );
}

#[test]
fn fail_on_decides_whether_the_step_fails() {
    let scratch = pull_request();
    let o = run_action(
        &scratch.runner,
        &[("paths", "api/"), ("fail-on", "warning")],
    );
    assert_eq!(o.status, Some(1), "{}", shown(&o));
    assert_eq!(o.annotations().len(), 1, "{}", shown(&o));
    assert!(o.annotations()[0].starts_with(NEW), "{}", shown(&o));

    // Without `fail-on`, the configuration's (here `info`) holds.
    std::fs::write(
        scratch.runner.workspace.join(".rampart.yaml"),
        "fail-on: info\n",
    )
    .unwrap();
    let o = run_action(&scratch.runner, &[("paths", "api/")]);
    assert_eq!(o.status, Some(1), "{}", shown(&o));
    let o = run_action(&scratch.runner, &[("paths", "api/"), ("fail-on", "error")]);
    assert_eq!(o.status, Some(0), "{}", shown(&o));
}

#[test]
fn without_only_new_or_a_pull_request_everything_is_reported() {
    let scratch = pull_request();
    let o = run_action(&scratch.runner, &[("paths", "api/"), ("only-new", "false")]);
    // The document has had an error all along: the default `fail-on` (error) fails the step.
    assert_eq!(o.status, Some(1), "{}", shown(&o));
    let annotations = o.annotations();
    assert_eq!(annotations.len(), 9, "{}", shown(&o));
    assert!(
        annotations[0].starts_with("::error file=api/openapi.yaml,line=1,col=1,"),
        "{}",
        shown(&o)
    );
    assert!(
        annotations[0].contains(",title=security-scheme-missing::"),
        "{}",
        shown(&o)
    );
    assert!(
        annotations.iter().any(|a| a.starts_with(NEW)),
        "{}",
        shown(&o)
    );
    assert!(
        annotations
            .iter()
            .any(|a| a.contains("line=21,") && a.contains("title=string-unbounded::")),
        "{}",
        shown(&o)
    );
    assert!(
        o.summary.contains("| warning | 2 |")
            && o.summary
                .starts_with("### rampart: 1 error, 6 warnings, 2 infos"),
        "{}",
        shown(&o)
    );
    // The base commit was not needed.
    assert!(!o.stderr.contains("already present"), "{}", shown(&o));

    // A push: the event has no pull request, so there is no base to compare with.
    let mut push = scratch.runner;
    push.event_name = "push";
    push.event = serde_json::json!({"after": push.sha});
    let o = run_action(&push, &[("paths", "api/"), ("fail-on", "never")]);
    assert_eq!(o.status, Some(0), "{}", shown(&o));
    assert_eq!(o.annotations().len(), 9, "{}", shown(&o));
}

#[test]
fn the_build_is_named_by_the_sources_of_the_action() {
    let scratch = pull_request();
    let runner = &scratch.runner;
    let inputs = [("paths", "api/"), ("fail-on", "never")];
    let key = |o: &Outcome| o.output("build", "key").to_string();
    let first = key(&run_action(runner, &inputs));
    assert_eq!(key(&run_action(runner, &inputs)), first);

    // Another version of the action is another build.
    let lib = runner.action.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}\n// changed\n")).unwrap();
    let changed = key(&run_action(runner, &inputs));
    assert_ne!(changed, first);
    assert_eq!(changed.len(), 16);

    // `version` names it outright.
    let o = run_action(runner, &[("paths", "api/"), ("version", "v9")]);
    assert_eq!(key(&o), "v9");
    assert_eq!(
        o.output("build", "root"),
        o.temp.join("rampart-v9").to_str().unwrap()
    );
}

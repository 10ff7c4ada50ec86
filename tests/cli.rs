//! The `rampart` binary, run as a user would run it.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use rampart::output::{self, RenderOptions};
use rampart::source::{LineCol, Span};
use rampart::{Diagnostic, FileReport, Location, Owasp, Report, Severity};

fn rampart(args: &[&str]) -> Output {
    rampart_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn rampart_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the rampart binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_lists_commands_and_exit_codes() {
    let o = rampart(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for needle in ["lint", "rules", "explain", "Exit codes:"] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }

    let o = rampart(&["lint", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    // Help is wrapped to the terminal: compare with whitespace collapsed.
    let text = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "--format",
        "--fail-on",
        "--exclude",
        "--allow-external-refs",
        "--max-file-size",
        "--color",
        "--statistics",
        "[default: human]",
        "[default: error, or the configuration's `fail-on`]",
        "--config",
        "--no-config",
        "--preset",
        "--baseline",
        "[default: auto]",
        "[default: 100M]",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn version() {
    let o = rampart(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o).trim(),
        format!("rampart {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn no_arguments_is_a_usage_error() {
    let o = rampart(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage:"), "{}", stderr(&o));
}

#[test]
fn unknown_flags_are_usage_errors() {
    let o = rampart(&["lint", "--formt", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format"), "{}", stderr(&o));
}

#[test]
fn rules_lists_every_rule() {
    let o = rampart(&["rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("ID"), "{text}");
    for rule in rampart::rules::ALL {
        assert!(text.contains(rule.meta().id), "{text}");
    }
}

#[test]
fn explain_unknown_rule_exits_2_with_a_pointer() {
    let o = rampart(&["explain", "nonexistent"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with("rampart: unknown rule `nonexistent`"),
        "{err}"
    );
    assert!(err.contains("rampart rules"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn explain_suggests_a_near_rule_id() {
    // Meaningful once rules are registered: a one-letter typo of a real id gets a suggestion.
    let Some(rule) = rampart::rules::ALL.first() else {
        return;
    };
    let id = rule.meta().id;
    let typo = format!("{}x", &id[..id.len() - 1]);
    let o = rampart(&["explain", &typo]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("did you mean `{id}`?")),
        "{}",
        stderr(&o)
    );

    let o = rampart(&["explain", id]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with(&format!("# {id}")), "{}", stdout(&o));
}

#[test]
fn lint_of_a_missing_path_exits_2() {
    let o = rampart(&["lint", "does/not/exist.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("rampart: does/not/exist.yaml: "), "{err}");
}

#[test]
fn lint_json_is_versioned() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("api.yaml"),
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n",
    )
    .expect("a spec file");
    let o = rampart_in(
        dir.path(),
        &["lint", "--format", "json", "--fail-on", "never", "api.yaml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"], "rampart");
    assert!(v["diagnostics"].is_array());
    assert!(v["summary"]["elapsed_ms"].is_u64());
}

#[test]
fn lint_human_ends_with_a_summary() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let o = rampart_in(dir.path(), &["lint", "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.contains(" in ") && l.ends_with('s')),
        "{out}"
    );
}

/// Messages are wrapped to the terminal at spaces: a path or a header name (`X-RateLimit-Limit`)
/// that fits on a line is never split at its `/` or `-`, whatever the width.
#[test]
fn human_wraps_messages_between_words_only() {
    const PATH: &str = "/accounts/{account}/external-accounts/{id}";
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        dir.path().join("api.yaml"),
        format!(
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  {PATH}:\n    get:\n      \
             parameters:\n        - name: q\n          in: query\n          schema:\n            \
             type: string\n      responses:\n        \"200\":\n          description: ok\n"
        ),
    )
    .expect("a spec");
    for width in 50..=130 {
        let o = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["lint", "api.yaml"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", width.to_string())
            .output()
            .expect("the rampart binary runs");
        let out = stdout(&o);
        // Both string rules name the parameter by its operation, in their messages.
        assert!(out.matches(PATH).count() >= 2, "width {width}:\n{out}");
        for line in out.lines() {
            assert!(
                !line.ends_with('/') && !line.ends_with('-'),
                "width {width}, a word cut at its end: {line:?}\n{out}"
            );
        }
        assert!(out.contains("X-RateLimit-Limit"), "width {width}:\n{out}");
    }
}

fn location(path: &str, line: u32, column: u32, start: u32, end: u32) -> Location {
    Location {
        path: Arc::from(path),
        abs: Arc::from(std::path::Path::new("/project").join(path)),
        span: Span { start, end },
        start: LineCol {
            line,
            column,
            utf16_column: column - 1,
        },
        end: LineCol {
            line,
            column: column + (end - start),
            utf16_column: column - 1 + (end - start),
        },
        pointer: "/components/schemas/Pet/properties/name".into(),
    }
}

fn hand_made_report() -> Report {
    let text = "components:\n  schemas:\n    name:\n      type: string\n";
    Report {
        diagnostics: vec![Diagnostic {
            rule: "string-unbounded",
            severity: Severity::Warning,
            message: "message".to_string(),
            help: Some("add `maxLength`".into()),
            location: location("testdata/x.yaml", 3, 5, 27, 31),
            related: vec![],
            related_more: 0,
            suppressed: None,
            owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
            fingerprint: rampart::diagnostic::fingerprint(&["string-unbounded", "testdata/x.yaml"]),
        }],
        files: vec![FileReport {
            path: Arc::from("testdata/x.yaml"),
            text: Arc::from(text),
            excerpt: None,
            reread: None,
            root: true,
            version: Some("3.0.3".to_string()),
        }],
        elapsed: Duration::from_millis(5),
        ..Report::default()
    }
}

#[test]
fn concise_renders_one_line_per_finding() {
    let mut out = Vec::new();
    output::concise::render(&hand_made_report(), &mut out, &RenderOptions::default())
        .expect("rendered");
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "testdata/x.yaml:3:5: warning[string-unbounded] message\n"
    );
}

#[test]
fn human_renders_rule_message_help_and_snippet() {
    let mut out = Vec::new();
    output::human::render(&hand_made_report(), &mut out, &RenderOptions::default())
        .expect("rendered");
    let text = String::from_utf8(out).expect("utf-8");
    for needle in [
        "string-unbounded",
        "message",
        "help: add `maxLength`",
        "    name:",
        "testdata/x.yaml:3:5",
        "API4:2023 Unrestricted Resource Consumption",
        "1 warning in 1 file (1 document) in 0.01s",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains('\x1b'), "{text}");
}

/// Whether `text` holds a character that could drive a terminal: a control character other than the line
/// breaks of the output itself, or a bidirectional override or isolate.
fn has_raw_controls(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// A spec whose path key holds an OSC title sequence (escaped in the JSON, so raw in messages) and whose
/// property name starts with a raw right-to-left override (raw in the source snippet too).
const HOSTILE_SPEC: &str = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\n\
    \"paths\":{\"/x\\u001b]0;pwned\\u0007\":{\"post\":{\"requestBody\":{\"content\":{\"application/json\":\n\
    {\"schema\":{\"type\":\"object\",\"properties\":{\"\u{202e}eman\":{\"type\":\"string\"}}}}}},\n\
    \"responses\":{\"200\":{\"description\":\"ok\"}}}}}}\n";

#[test]
fn spec_text_and_file_names_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let name = "evil\nname\u{1b}[2J.json";
    std::fs::write(dir.path().join(name), HOSTILE_SPEC).expect("a spec file");
    for format in ["human", "concise"] {
        let o = rampart_in(
            dir.path(),
            &["lint", "--color", "never", "--format", format, name],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(!has_raw_controls(&out), "{format}: {out:?}");
        assert!(!has_raw_controls(&err), "{format}: {err:?}");
        assert!(out.contains("evil\\nname\\e[2J.json:"), "{format}: {out}");
        assert!(out.contains("/x\\e]0;pwned\\a"), "{format}: {out}");
        assert!(out.contains("\\u{202e}eman"), "{format}: {out}");
        if format == "concise" {
            // Still one line per finding.
            assert!(out.lines().all(|l| l.starts_with("evil\\nname")), "{out}");
        }
    }
    // JSON keeps the text exact.
    let o = rampart_in(dir.path(), &["lint", "--format", "json", name]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("/x\u{1b}]0;pwned\u{7}")),
        "{messages:?}"
    );
    assert_eq!(v["diagnostics"][0]["location"]["path"], name);
}

#[test]
fn unreadable_file_names_are_escaped_on_stderr() {
    let o = rampart(&["lint", "missing\u{1b}]0;x\u{7}\u{202e}.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(!has_raw_controls(&err), "{err:?}");
    assert!(
        err.contains("rampart: missing\\e]0;x\\a\\u{202e}.yaml: "),
        "{err}"
    );
}

#[test]
fn minified_specs_print_a_bounded_window_per_finding() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\",\"description\":\"{}\"}},\
         \"paths\":{{\"/p\":{{\"post\":{{\"requestBody\":{{\"content\":{{\"application/json\":{{\"schema\":\
         {{\"type\":\"object\",\"properties\":{{\"name\":{{\"type\":\"string\"}}}}}}}}}}}},\
         \"responses\":{{\"200\":{{\"description\":\"ok\"}}}}}}}}}}}}",
        "x".repeat(70_000)
    );
    std::fs::write(dir.path().join("min.json"), &spec).expect("a spec file");
    let o = rampart_in(dir.path(), &["lint", "--format", "concise", "min.json"]);
    let findings = stdout(&o).lines().count();
    assert!(findings >= 2, "{}", stdout(&o));
    let column = spec.find("\"name\"").expect("a property") + 1;
    assert!(
        stdout(&o).contains(&format!("min.json:1:{column}: warning[string-unbounded]")),
        "{}",
        stdout(&o)
    );

    let o = rampart_in(dir.path(), &["lint", "--fail-on", "never", "min.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(
        out.len() < 2_000 * findings,
        "{} bytes for {findings} findings",
        out.len()
    );
    assert!(out.contains(&format!("[min.json:1:{column}]")), "{out}");
    assert!(out.contains("…"), "{out}");
}

#[test]
fn statistics_prints_only_the_counts_per_rule() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("api.json"), HOSTILE_SPEC).expect("a spec file");
    let o = rampart_in(dir.path(), &["lint", "--statistics", "api.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
    assert_eq!(header, ["RULE", "SEVERITY", "COUNT"], "{out}");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert!(
        rows.iter()
            .any(|r| r[..] == ["string-unbounded", "warning", "1"]),
        "{out}"
    );
    let counts: Vec<usize> = rows
        .iter()
        .map(|r| r[2].parse().expect("a count"))
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{out}");
    assert!(!out.contains("help:"), "{out}");
    assert!(
        stderr(&o).contains(" in 1 file (1 document) in "),
        "{}",
        stderr(&o)
    );

    let o = rampart_in(dir.path(), &["lint", "--statistics", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn human_summary_counts_findings_per_rule() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("api.json"), HOSTILE_SPEC).expect("a spec file");
    let o = rampart_in(dir.path(), &["lint", "api.json"]);
    let out = stdout(&o);
    let tail: Vec<&str> = out.trim_end().lines().rev().take(3).collect();
    assert!(tail[0].contains(" in 1 file (1 document) in "), "{out}");
    assert!(
        out.contains("\nstring-unbounded") && out.contains("warning   1\n"),
        "{out}"
    );
}

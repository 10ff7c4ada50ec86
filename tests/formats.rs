//! The machine formats as a user runs them: several at once, GitHub annotations and step summary, LSP
//! positions in UTF-16, JUnit escaping, and `--stdin`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn rampart_in(dir: &Path, args: &[&str], env: &[(&str, &Path)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rampart"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the rampart binary runs");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        // A usage error ends rampart before it reads its input: the pipe may be closed already.
        if let Err(e) = input.write_all(text.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    drop(input);
    child.wait_with_output().expect("rampart ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project folder (with a `.git`, so it is the project root) holding `api.yaml`.
fn project(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join(".git")).expect("a repository root");
    std::fs::write(dir.path().join("api.yaml"), spec).expect("a spec");
    dir
}

const SPEC: &str = "openapi: 3.0.3
info:
  title: t
  version: \"1\"
paths:
  /users:
    get:
      parameters:
        - name: q
          in: query
          schema:
            type: string
      responses:
        \"200\":
          description: ok
";

#[test]
fn several_formats_in_one_run() {
    let dir = project(SPEC);
    let o = rampart_in(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "--format",
            "sarif=out/results.sarif",
            "--format",
            "junit=junit.xml",
            "--format",
            "lsp=lsp.json",
            "--fail-on",
            "never",
            "api.yaml",
        ],
        &[],
        None,
    );
    // A folder that does not exist cannot be written to: said, and the run exits with 2.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("rampart: cannot write out/results.sarif"),
        "{}",
        text(&o.stderr)
    );
    assert!(text(&o.stdout).contains("api.yaml:12:19: warning[string-unbounded]"));
    let xml = std::fs::read_to_string(dir.path().join("junit.xml")).expect("junit written");
    assert!(xml.contains("<testcase name=\"string-unbounded\""), "{xml}");
    let lsp: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("lsp.json")).expect("lsp written"))
            .expect("JSON");
    assert_eq!(lsp.as_array().map(Vec::len), Some(1));

    std::fs::create_dir(dir.path().join("out")).expect("a folder");
    let o = rampart_in(
        dir.path(),
        &[
            "lint",
            "--format",
            "sarif=out/results.sarif",
            "--fail-on",
            "never",
            "api.yaml",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // Without a format on standard output, the default human one is not printed either.
    assert_eq!(text(&o.stdout), "");
    let sarif: Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("out/results.sarif")).expect("sarif written"),
    )
    .expect("JSON");
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|r| r["ruleId"] == "string-unbounded")
    );

    // Two formats on standard output, or two on one file, are usage errors.
    for args in [
        &["lint", "--format", "json", "--format", "sarif", "api.yaml"][..],
        &[
            "lint", "--format", "json=a", "--format", "sarif=a", "api.yaml",
        ],
        &["lint", "--format", "sarif=", "api.yaml"],
        &["lint", "--format", "xml", "api.yaml"],
        &["lint", "--statistics", "--format", "sarif", "api.yaml"],
    ] {
        let o = rampart_in(dir.path(), args, &[], None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!text(&o.stderr).is_empty(), "{args:?}");
    }

    // --statistics with a format written to a file.
    let o = rampart_in(
        dir.path(),
        &[
            "lint",
            "--statistics",
            "--format",
            "github=gh.txt",
            "--fail-on",
            "never",
            "api.yaml",
        ],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("RULE"), "{}", text(&o.stdout));
    let gh = std::fs::read_to_string(dir.path().join("gh.txt")).expect("github written");
    assert!(gh.starts_with("::error file=api.yaml,line=1,"), "{gh}");
}

#[test]
fn github_annotations_and_step_summary() {
    let dir = project(SPEC);
    std::fs::create_dir(dir.path().join("sub")).expect("a folder");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier steps\n").expect("a summary");
    let o = rampart_in(
        &dir.path().join("sub"),
        &["lint", "--format", "github", "../api.yaml"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    // Errors first; paths relative to the repository root, not to the working directory.
    assert!(
        lines[0].starts_with("::error file=api.yaml,line=1,col=1,"),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::warning file=api.yaml,line=12,col=19,endLine=12,endColumn=25,title=string-unbounded::"
        )),
        "{out}"
    );
    assert!(lines.iter().all(|l| l.starts_with("::")), "{out}");
    let md = std::fs::read_to_string(&summary).expect("the summary");
    assert!(md.starts_with("earlier steps\n### rampart: "), "{md}");
    assert!(md.contains("[api.yaml:12](api.yaml#L12)"), "{md}");
}

/// UTF-16 code units in `line` before byte `offset` of `text`.
fn utf16_column(text: &str, offset: usize) -> u64 {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset].encode_utf16().count() as u64
}

#[test]
fn lsp_positions_count_utf16_code_units() {
    // Astral-plane characters (two UTF-16 units, four bytes) and accents (one unit, two bytes) before
    // the span, on the same line and inside it.
    let spec = r#"{"openapi":"3.0.3","info":{"title":"😀 café 🎉","version":"1"},"paths":{"/é":{"post":{"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"名前😀":{"type":"string"}}}}}},"responses":{"200":{"description":"😀"}}}}}}"#;
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("api.json"), spec).expect("a spec");
    let json = rampart_in(
        dir.path(),
        &["lint", "--format", "json", "api.json"],
        &[],
        None,
    );
    let json: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let lsp = rampart_in(
        dir.path(),
        &["lint", "--format", "lsp", "api.json"],
        &[],
        None,
    );
    let lsp: Value = serde_json::from_slice(&lsp.stdout).expect("JSON");
    let file = &lsp[0];
    assert!(file["uri"].as_str().expect("a uri").starts_with("file:///"));
    let found = json["diagnostics"].as_array().expect("diagnostics");
    let published = file["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(found.len(), published.len());
    let mut checked = 0;
    for (j, l) in found.iter().zip(published) {
        let start = j["location"]["start"]["offset"].as_u64().expect("offset") as usize;
        let end = j["location"]["end"]["offset"].as_u64().expect("offset") as usize;
        assert_eq!(l["range"]["start"]["line"], 0);
        assert_eq!(l["range"]["start"]["character"], utf16_column(spec, start));
        assert_eq!(l["range"]["end"]["character"], utf16_column(spec, end));
        if j["rule"] == "string-unbounded" {
            // The property name with its emoji: the range covers it exactly.
            let named = &spec[start..end];
            assert!(named.contains("名前😀"), "{named}");
            let width = utf16_column(spec, end) - utf16_column(spec, start);
            assert_eq!(width, named.encode_utf16().count() as u64);
            assert!(width < named.len() as u64 && width > named.chars().count() as u64);
            checked += 1;
        }
        assert_eq!(l["code"], j["rule"]);
        assert_eq!(l["source"], "rampart");
    }
    assert_eq!(checked, 1);
}

#[test]
fn junit_escapes_what_the_input_says() {
    // A property name with markup, quotes, an ampersand and control characters is quoted in messages.
    let spec = "openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                \"<b a='1'>&\\\"x\\e\\u0007\\u0000\":\n                  type: string\n      responses:\n        \"200\":\n          description: ok\n";
    let dir = project(spec);
    let o = rampart_in(
        dir.path(),
        &["lint", "--format", "junit", "api.yaml"],
        &[],
        None,
    );
    let xml = text(&o.stdout);
    assert!(xml.contains("&lt;b a='1'&gt;&amp;\"x\\e\\a\\0"), "{xml}");
    assert!(
        xml.contains("&lt;b a=&apos;1&apos;&gt;&amp;&quot;x\\e\\a\\0"),
        "{xml}"
    );
    assert!(
        !xml.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t')),
        "{xml:?}"
    );
    assert!(xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn stdin_is_linted_as_the_named_file() {
    let dir = project("not: [openapi");
    std::fs::create_dir(dir.path().join("specs")).expect("a folder");
    std::fs::write(
        dir.path().join("specs/common.yaml"),
        "Name:\n  type: string\n",
    )
    .expect("a fragment");
    let piped = "openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema:\n            $ref: \"common.yaml#/Name\"\n      responses:\n        \"200\":\n          description: ok\n";
    // The named file does not exist: the text is linted as if it did, and its `$ref` resolves from
    // its folder.
    let o = rampart_in(
        dir.path(),
        &[
            "lint",
            "--stdin",
            "--stdin-filename",
            "specs/new.yaml",
            "--format",
            "concise",
        ],
        &[],
        Some(piped),
    );
    let out = text(&o.stdout);
    assert!(
        out.contains("specs/common.yaml:1:1: warning[string-unbounded]"),
        "{out}\n{}",
        text(&o.stderr)
    );
    assert!(out.contains("specs/new.yaml:"), "{out}");
    assert!(!out.contains("ref-unresolved"), "{out}");

    // Text on disk is never read when --stdin names the file.
    let o = rampart_in(
        dir.path(),
        &[
            "lint",
            "--stdin",
            "--stdin-filename",
            "./api.yaml",
            "--format",
            "json",
        ],
        &[],
        Some("openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\npaths: {}\n"),
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(rules, ["security-scheme-missing", "servers-missing"]);
    assert_eq!(v["diagnostics"][0]["location"]["path"], "api.yaml");

    // Without a name, it is `<stdin>` in the working directory.
    let o = rampart_in(
        dir.path(),
        &["lint", "--stdin", "--format", "concise"],
        &[],
        Some(piped),
    );
    assert!(text(&o.stdout).contains("<stdin>:"), "{}", text(&o.stdout));

    // --stdin with paths, or --stdin-filename alone, are usage errors.
    for args in [
        &["lint", "--stdin", "api.yaml"][..],
        &["lint", "--stdin-filename", "x.yaml"],
    ] {
        let o = rampart_in(dir.path(), args, &[], Some(piped));
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

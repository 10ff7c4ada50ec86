//! A key written twice: rampart lints the last value, as `JSON.parse`, Python and most YAML
//! libraries read it, reports every repetition as an error with the first key as a related
//! location, and keeps a file full of duplicates from costing a diagnostic per line.

use std::sync::Arc;

use rampart::source::{self, Kind, Limits, LoadProblem, MAX_DUPLICATE_KEYS, NodeId, Syntax, Tree};
use rampart::{Diagnostic, LintRequest, Report, Severity};

/// Writes `files` into a fresh project (a folder with `.git`, so it is the project root).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    dir
}

fn lint(name: &str, text: &str) -> Report {
    let dir = project(&[(name, text)]);
    rampart::lint(&LintRequest {
        paths: vec![dir.path().join(name).to_string_lossy().into_owned()],
        ..LintRequest::default()
    })
}

fn of<'r>(report: &'r Report, rule: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect()
}

fn dump(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{} [{}] {} {}\n",
                d.location.start.line,
                d.location.start.column,
                d.rule,
                &*d.location.pointer,
                d.message
            )
        })
        .collect()
}

fn parse(text: &str, syntax: Syntax) -> (Tree, Vec<LoadProblem>) {
    source::parse(Arc::from(text), syntax, &Limits::default()).expect("parses")
}

const OVERRIDDEN_SECURITY: &str = r#"openapi: 3.0.3
info:
  title: Orders
  version: 1.0.0
security:
  - key: []
paths:
  /orders:
    get:
      responses:
        "200":
          description: The orders.
    post:
      responses:
        "201":
          description: Created.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-API-Key
security: []
"#;

#[test]
fn a_later_security_requirement_overrides_the_first_and_is_the_one_linted() {
    let report = lint("api.yaml", OVERRIDDEN_SECURITY);
    let dups = of(&report, "duplicate-key");
    assert_eq!(dups.len(), 1, "{}", dump(&report));
    let d = dups[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(
        (d.location.start.line, d.location.start.column),
        (23, 1),
        "at the second key"
    );
    assert_eq!(&*d.location.pointer, "/security");
    assert!(
        d.message.starts_with("duplicate key `security`"),
        "{}",
        d.message
    );
    assert!(!d.message.contains("line"), "{}", d.message);
    assert_eq!(d.related.len(), 1);
    assert_eq!(&*d.related[0].message, "first written here");
    assert_eq!(d.related[0].location.start.line, 5);

    // `security: []` is what every other tool reads: both operations are public.
    let missing: Vec<(&str, u32)> = of(&report, "security-scheme-missing")
        .iter()
        .map(|d| (&*d.location.pointer, d.location.start.line))
        .collect();
    assert_eq!(
        missing,
        [("/paths/~1orders/get", 9), ("/paths/~1orders/post", 13)],
        "{}",
        dump(&report)
    );
}

#[test]
fn the_same_holds_for_json() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Orders", "version": "1.0.0"},
  "security": [{"key": []}],
  "paths": {
    "/orders": {
      "delete": {"responses": {"204": {"description": "Gone."}}}
    }
  },
  "components": {
    "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
  },
  "security": []
}
"#;
    let report = lint("api.json", text);
    let dups = of(&report, "duplicate-key");
    assert_eq!(dups.len(), 1, "{}", dump(&report));
    assert_eq!(dups[0].location.start.line, 13);
    assert_eq!(dups[0].related[0].location.start.line, 4);
    let missing = of(&report, "security-scheme-missing");
    assert_eq!(missing.len(), 1, "{}", dump(&report));
    assert_eq!(&*missing[0].location.pointer, "/paths/~1orders/delete");
    assert_eq!(missing[0].severity, Severity::Error);
}

#[test]
fn the_first_value_is_no_longer_linted() {
    // The first `schema` is unbounded, the second is bounded: only the second counts.
    let text = r#"openapi: 3.0.3
info:
  title: Pets
  version: 1.0.0
security:
  - key: []
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
          schema:
            type: string
            maxLength: 36
            pattern: "^[a-z0-9-]+$"
      responses:
        "200":
          description: The pet.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-API-Key
"#;
    let report = lint("api.yaml", text);
    assert!(
        of(&report, "string-unbounded").is_empty(),
        "{}",
        dump(&report)
    );
    assert_eq!(of(&report, "duplicate-key").len(), 1, "{}", dump(&report));
}

#[test]
fn lookups_and_iteration_see_only_the_last_entry() {
    for (text, syntax) in [
        ("a: 1\nb: {x: 1}\na: 2\nb: {y: 2}\nc: 3\n", Syntax::Yaml),
        (
            r#"{"a": 1, "b": {"x": 1}, "a": 2, "b": {"y": 2}, "c": 3}"#,
            Syntax::Json,
        ),
    ] {
        let (tree, problems) = parse(text, syntax);
        let root = NodeId::ROOT;
        let a = tree.get(root, "a").expect("a");
        assert_eq!(tree.text(a), Some("2"), "{text}");
        let keys: Vec<&str> = tree.fields(root).map(|(k, _, _)| k).collect();
        assert_eq!(keys, ["a", "b", "c"], "{text}");
        assert_eq!(tree.entries(root).len(), 3);
        let y = tree.pointer(root, "/b/y").expect("the last `b`");
        assert_eq!(tree.text(y), Some("2"));
        assert_eq!(tree.pointer(root, "/b/x"), None);
        assert_eq!(tree.pointer_of(y), "/b/y");
        assert_eq!(problems.len(), 2, "{text}");
        // The earlier entries keep their nodes: the diagnostics point at both keys.
        for p in &problems {
            let LoadProblem::DuplicateKey { first, dup, more } = *p else {
                panic!("{p:?}");
            };
            assert_eq!(more, 0);
            assert!(tree.span(first).start < tree.span(dup).start);
            assert_eq!(tree.text(first), tree.text(dup));
            assert_eq!(tree.kind(first), Kind::Str);
        }
    }
}

#[test]
fn a_key_written_three_times_keeps_the_third_and_reports_two() {
    let text =
        "openapi: 3.0.3\ninfo:\n  title: A\n  title: B\n  version: 1.0.0\n  title: C\npaths: {}\n";
    let (tree, problems) = parse(text, Syntax::Yaml);
    let info = tree.get(NodeId::ROOT, "info").expect("info");
    assert_eq!(tree.str(tree.get(info, "title").expect("title")), Some("C"));
    assert_eq!(tree.entries(info).len(), 2);
    assert_eq!(problems.len(), 2);

    let report = lint("api.yaml", text);
    let dups = of(&report, "duplicate-key");
    let lines: Vec<(u32, u32)> = dups
        .iter()
        .map(|d| (d.location.start.line, d.related[0].location.start.line))
        .collect();
    assert_eq!(lines, [(4, 3), (6, 3)], "{}", dump(&report));
}

#[test]
fn large_mappings_drop_the_overridden_entries_too() {
    // Past 16 keys the duplicates are found through a hash map rather than pairwise.
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!("k{}: {i}\n", i % 20));
    }
    let (tree, problems) = parse(&text, Syntax::Yaml);
    assert_eq!(problems.len(), 20);
    let entries: Vec<(&str, &str)> = tree
        .fields(NodeId::ROOT)
        .map(|(k, _, v)| (k, tree.text(v).unwrap_or("")))
        .collect();
    assert_eq!(entries.len(), 20);
    for (i, (k, v)) in entries.iter().enumerate() {
        assert_eq!(*k, format!("k{i}"));
        assert_eq!(*v, (i + 20).to_string());
    }
}

#[test]
fn a_file_of_duplicates_lists_the_first_ones_and_counts_the_rest() {
    let n = MAX_DUPLICATE_KEYS + 150;
    let mut text =
        String::from("openapi: 3.0.3\ninfo:\n  title: A\n  version: 1.0.0\npaths: {}\nx-many:\n");
    for _ in 0..=n {
        text.push_str("  a: 1\n");
    }
    let (_, problems) = parse(&text, Syntax::Yaml);
    assert_eq!(problems.len(), MAX_DUPLICATE_KEYS + 1);
    assert!(matches!(
        problems.last(),
        Some(LoadProblem::DuplicateKey { more: 149, .. })
    ));

    let report = lint("api.yaml", &text);
    let dups = of(&report, "duplicate-key");
    assert_eq!(dups.len(), MAX_DUPLICATE_KEYS + 1, "{}", dump(&report));
    let last = dups
        .iter()
        .max_by_key(|d| d.location.start.line)
        .expect("some");
    assert_eq!(last.location.start.line, 7 + n as u32);
    assert!(
        last.message
            .contains("and 149 more duplicate keys in this file before it"),
        "{}",
        last.message
    );
    assert_eq!(last.related[0].location.start.line, 7);
}

#[test]
fn the_count_is_per_file() {
    let mut text = String::from(
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"A\", \"version\": \"1\"}, \"paths\": {}",
    );
    for i in 0..3 {
        text.push_str(&format!(", \"x-{i}\": {{"));
        for j in 0..=MAX_DUPLICATE_KEYS {
            if j > 0 {
                text.push(',');
            }
            text.push_str("\"a\": 1");
        }
        text.push('}');
    }
    text.push('}');
    let (_, problems) = parse(&text, Syntax::Json);
    assert_eq!(problems.len(), MAX_DUPLICATE_KEYS + 1);
    assert!(matches!(
        problems.last(),
        Some(LoadProblem::DuplicateKey { more, .. }) if *more == 2 * MAX_DUPLICATE_KEYS - 1
    ));
}

//! Baselines through the command line: recorded findings are left out, new ones are reported, and
//! entries survive edits that do not touch the offending node.

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

fn rampart(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("rampart runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn project(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    std::fs::create_dir(dir.path().join("api")).expect("api/");
    std::fs::write(dir.path().join("api/openapi.yaml"), spec).expect("written");
    dir
}

#[test]
fn a_baseline_keeps_old_findings_out_and_lets_new_ones_through() {
    let dir = project(API);
    let root = dir.path();
    let o = rampart(
        root,
        &[
            "lint",
            "api/openapi.yaml",
            "--fail-on",
            "warning",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let file = std::fs::read_to_string(root.join("baseline.json")).expect("written");
    // Sorted, one entry per line, readable.
    let entries: Vec<&str> = file.lines().filter(|l| l.contains("fingerprint")).collect();
    assert!(entries.len() >= 2, "{file}");
    assert!(
        entries
            .iter()
            .all(|l| l.contains("\"path\":\"api/openapi.yaml\"")),
        "{file}"
    );

    // Lines inserted above, paths reordered, run from another folder with an absolute path: nothing new.
    let tags_start = API.find("  /tags:").expect("tags");
    let tags_end = API.find("components:").expect("components");
    let reordered = format!(
        "{}{}{}{}",
        &API[..API.find("  /notes:").expect("notes")],
        &API[tags_start..tags_end],
        &API[API.find("  /notes:").expect("notes")..tags_start],
        &API[tags_end..]
    )
    .replace("info:\n", "info:\n  description: |\n    Notes, kept.\n");
    std::fs::write(root.join("api/openapi.yaml"), &reordered).expect("written");
    let abs = root.join("api/openapi.yaml");
    let baseline = root.join("baseline.json");
    let o = rampart(
        Path::new("/"),
        &[
            "lint",
            abs.to_str().expect("UTF-8"),
            "--fail-on",
            "warning",
            "--format",
            "concise",
            "--baseline",
            baseline.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(
        text(&o.stderr).contains("in the baseline"),
        "{}",
        text(&o.stderr)
    );

    // The offending node changes, and a new problem appears: both are reported.
    let changed = reordered
        .replace("        text:\n          type: string\n", "        text:\n          type: string\n          minLength: 1\n")
        .replace("          description: The tags.\n", "          description: The tags.\n        \"418\":\n          description: Teapot.\n          content:\n            application/json:\n              schema:\n                properties:\n                  debug:\n                    type: string\n");
    std::fs::write(root.join("api/openapi.yaml"), &changed).expect("written");
    let o = rampart(
        root,
        &[
            "lint",
            "api/openapi.yaml",
            "--format",
            "concise",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.contains("string-unbounded") && out.contains("property `text`"),
        "{out}"
    );
    assert!(out.contains("error-schema-leaks-internals"), "{out}");
    assert!(!out.contains("parameter `q`"), "{out}");
    let err = text(&o.stderr);
    // Both findings about `text` (unbounded, unrestricted) changed with it.
    assert!(err.contains("2 baseline entries no longer found"), "{err}");

    // Pruning drops the entry of the changed node.
    let before = std::fs::read_to_string(root.join("baseline.json")).expect("read");
    let o = rampart(
        root,
        &[
            "lint",
            "api/openapi.yaml",
            "--baseline",
            "baseline.json",
            "--prune-baseline",
            "--format",
            "json",
        ],
    );
    assert!(
        text(&o.stderr).contains("dropped 2 entries"),
        "{}",
        text(&o.stderr)
    );
    let after = std::fs::read_to_string(root.join("baseline.json")).expect("read");
    assert_eq!(after.lines().count() + 2, before.lines().count());
}

#[test]
fn a_broken_baseline_is_an_error_that_says_where() {
    let dir = project(API);
    std::fs::write(
        dir.path().join("b.json"),
        "{\"version\": 1, \"findings\": [}",
    )
    .expect("written");
    let o = rampart(
        dir.path(),
        &["lint", "api/openapi.yaml", "--baseline", "b.json"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("b.json") && err.contains("line 1"), "{err}");
}

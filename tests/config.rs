//! The configuration file, through the command line as a user meets it.

use std::path::Path;
use std::process::{Command, Output};

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

/// A spec with an unbounded query string, no `429` anywhere, and one response with an organisation's
/// own quota header.
const API: &str = "openapi: 3.0.3
info:
  title: Orders
  version: 1.0.0
security:
  - key: []
paths:
  /orders:
    get:
      parameters:
        - name: q
          in: query
          schema:
            type: string
      responses:
        \"200\":
          description: The orders.
          headers:
            X-Org-Quota:
              schema:
                type: integer
                minimum: 0
                maximum: 1000
        \"400\":
          description: Bad query.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
";

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (name, body) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("folders");
        std::fs::write(p, body).expect("written");
    }
    dir
}

fn concise(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["lint", "--format", "concise"];
    all.extend_from_slice(args);
    let o = rampart(dir, &all);
    (o.status.code(), text(&o.stdout), text(&o.stderr))
}

#[test]
fn severities_aliases_and_options_change_the_result() {
    let dir = repo(&[("api.yaml", API)]);
    let (_, out, _) = concise(dir.path(), &["api.yaml"]);
    assert!(out.contains("warning[string-unbounded]"), "{out}");
    assert!(out.contains("rate-limit-headers-missing"), "{out}");
    assert!(out.contains("rate-limit-429-missing"), "{out}");

    std::fs::write(
        dir.path().join(".rampart.yaml"),
        "rules:\n  string-unbounded: error\n  owasp:api4:2023-rate-limit-responses-429: off\n  rate-limit-headers-missing:\n    headers: [X-Org-Quota]\n",
    )
    .expect("written");
    let (code, out, _) = concise(dir.path(), &["api.yaml"]);
    assert!(out.contains("error[string-unbounded]"), "{out}");
    assert!(!out.contains("rate-limit-429-missing"), "{out}");
    // The 200 declares the organisation's header, so only the 400 lacks one.
    let headers: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("rate-limit-headers-missing"))
        .collect();
    assert_eq!(headers.len(), 1, "{out}");
    assert!(headers[0].contains("`400`"), "{out}");
    assert_eq!(code, Some(1));
}

#[test]
fn the_nearest_configuration_applies_and_overrides_match_by_glob() {
    let dir = repo(&[
        (
            ".rampart.yaml",
            "rules:\n  string-unbounded: off\noverrides:\n  - files: [\"internal/**\"]\n    rules: { string-unbounded: error }\n",
        ),
        ("internal/api.yaml", API),
        ("public/api.yaml", API),
        ("team/.rampart.yaml", "extends: strict\n"),
        ("team/api.yaml", API),
    ]);
    let (_, out, err) = concise(dir.path(), &["."]);
    let unbounded: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[string-unbounded]"))
        .collect();
    // internal/: the override turns it on as an error; public/: off; team/: its own file (strict,
    // string-unbounded not configured there), so a warning made an error.
    assert_eq!(unbounded.len(), 2, "{out}{err}");
    assert!(
        unbounded
            .iter()
            .any(|l| l.starts_with("internal/api.yaml") && l.contains("error[")),
        "{out}"
    );
    assert!(
        unbounded
            .iter()
            .any(|l| l.starts_with("team/api.yaml") && l.contains("error[")),
        "{out}"
    );
    // --no-config: everything at its default.
    let (_, out, _) = concise(dir.path(), &[".", "--no-config"]);
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("warning[string-unbounded]"))
            .count(),
        3,
        "{out}"
    );
}

#[test]
fn mistakes_in_the_configuration_are_errors_at_their_line_and_column() {
    let dir = repo(&[
        ("api.yaml", API),
        (
            ".rampart.yaml",
            "extends: recommended\nrules:\n  strng-unbounded: error\n  string-unbounded: loud\nfail-on: sometimes\ncolour: red\n",
        ),
    ]);
    let (code, out, err) = concise(dir.path(), &["api.yaml"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(
            ".rampart.yaml:3:3: unknown rule `strng-unbounded`; did you mean `string-unbounded`?"
        ),
        "{err}"
    );
    assert!(
        err.contains(".rampart.yaml:4:21: unknown severity `loud`"),
        "{err}"
    );
    assert!(err.contains(".rampart.yaml:5:10:"), "{err}");
    assert!(
        err.contains(".rampart.yaml:6:1: unknown setting `colour`"),
        "{err}"
    );
}

#[test]
fn fail_on_and_exclude_come_from_the_configuration_unless_flags_say_otherwise() {
    let dir = repo(&[
        ("api.yaml", API),
        ("generated/api.yaml", API),
        (
            ".rampart.yaml",
            "fail-on: never\nexclude: [\"generated/**\"]\n",
        ),
    ]);
    let (code, out, _) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("generated/"), "{out}");
    let (code, _, _) = concise(dir.path(), &[".", "--fail-on", "warning"]);
    assert_eq!(code, Some(1));
}

#[test]
fn config_shows_each_setting_with_its_source_and_init_writes_a_valid_file() {
    let dir = repo(&[("api.yaml", API)]);
    let o = rampart(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(dir.path().join(".rampart.yaml")).expect("written");
    assert!(written.contains("# string-unbounded: warning"), "{written}");
    assert_eq!(rampart(dir.path(), &["init"]).status.code(), Some(2));
    // The commented starter is a valid configuration.
    let (code, _, err) = concise(dir.path(), &["api.yaml", "--fail-on", "never"]);
    assert_eq!(code, Some(0), "{err}");

    std::fs::write(
        dir.path().join(".rampart.yaml"),
        "extends: strict\nrules:\n  rate-limit-headers-missing:\n    severity: info\n    headers: [X-Org-Quota]\n",
    )
    .expect("written");
    let o = rampart(dir.path(), &["config", "api.yaml"]);
    let out = text(&o.stdout);
    assert!(out.contains("extends: strict    # configuration"), "{out}");
    assert!(
        out.contains("  rate-limit-headers-missing: info    # configuration, line 3"),
        "{out}"
    );
    assert!(
        out.contains("    headers: [\"X-Org-Quota\"]    # configuration"),
        "{out}"
    );
    assert!(
        out.contains("  string-unbounded: error    # preset strict"),
        "{out}"
    );
}

#[test]
fn rule_options_of_several_rules_change_their_results() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'http://dev.internal'}]
security: [{key: []}]
paths:
  /items:
    get:
      parameters:
        - {name: sig, in: query, schema: {type: string, maxLength: 64}}
        - {name: access_token, in: query, schema: {type: string, maxLength: 64}}
        - {name: code, in: query, schema: {type: string, format: sku}}
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
";
    let dir = repo(&[("api.yaml", spec)]);
    let of = |out: &str, rule: &str| -> String {
        out.lines()
            .filter(|l| l.contains(&format!("[{rule}]")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (_, out, _) = concise(dir.path(), &["api.yaml", "--no-config"]);
    assert!(
        of(&out, "server-http").contains("error[server-http]"),
        "{out}"
    );
    let creds = of(&out, "credentials-in-url");
    assert!(
        creds.contains("`access_token`") && !creds.contains("`sig`"),
        "{out}"
    );
    assert!(of(&out, "string-unbounded").contains("`code`"), "{out}");
    std::fs::write(
        dir.path().join(".rampart.yaml"),
        "rules:\n  server-http: {local-hosts: [dev.internal]}\n  credentials-in-url: {credentials: [SIG], not-credentials: [access_token]}\n  string-unbounded: {formats: [sku]}\n",
    )
    .expect("written");
    let (_, out, err) = concise(dir.path(), &["api.yaml"]);
    assert!(
        of(&out, "server-http").contains("info[server-http]"),
        "{out}{err}"
    );
    let creds = of(&out, "credentials-in-url");
    assert!(
        creds.contains("`sig`") && !creds.contains("`access_token`"),
        "{out}"
    );
    assert!(of(&out, "string-unbounded").is_empty(), "{out}");
}

//! Fixtures of the server, error-response, inventory and URL rules (`testdata/rules/<id>.yaml`),
//! each linted with its rule alone, with every expectation written out by hand as
//! `(line, severity, message start)`; and the Swagger 2.0 and OpenAPI 3.1 forms of the same checks.

use rampart::rules;
use rampart::{LintRequest, Report};

fn lint_rule(id: &str, path: &str) -> Report {
    let rule = rules::find(id).expect("a registered rule");
    let mut request = LintRequest {
        paths: vec![path.to_string()],
        ..Default::default()
    };
    request.policy.preset = rampart::engine::Preset::All;
    rampart::lint_with(&request, &[rule])
}

/// `(line, severity, message)` of every finding.
fn found(report: &Report) -> Vec<(u32, String, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.location.start.line,
                d.severity.to_string(),
                d.message.clone(),
            )
        })
        .collect()
}

/// Checks the findings of `id` on `path`: each `(line, severity, message prefix)`.
fn expect(id: &str, path: &str, expected: &[(u32, &str, &str)]) -> Report {
    let report = lint_rule(id, path);
    let got = found(&report);
    let ok = got.len() == expected.len()
        && got
            .iter()
            .zip(expected)
            .all(|((l, s, m), (el, es, em))| l == el && s == es && m.starts_with(em));
    assert!(ok, "{path}: expected\n{expected:#?}\ngot\n{got:#?}");
    report
}

/// Writes `text` to a temporary file and lints it with rule `id`.
fn lint_text(id: &str, text: &str) -> Vec<(u32, String, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, text).expect("write");
    found(&lint_rule(id, &path.to_string_lossy()))
}

#[test]
fn server_http() {
    expect(
        "server-http",
        "testdata/rules/server-http.yaml",
        &[
            (
                7,
                "error",
                "server `HTTP://api.example.com/v1` is plain HTTP",
            ),
            // The variable's default is `http`.
            (
                8,
                "error",
                "server `{scheme}://api.example.com/v1` is plain HTTP",
            ),
            (
                13,
                "info",
                "server `http://127.0.0.1:8080` is plain HTTP on a loopback",
            ),
            (
                18,
                "error",
                "server `http://reports.example.com` of path `/reports`",
            ),
            (
                26,
                "error",
                "server `ws://stream.example.com` of `GET /stream` is an unencrypted WebSocket",
            ),
        ],
    );
}

#[test]
fn server_http_in_swagger_2() {
    let doc = r#"swagger: "2.0"
info: {title: t, version: "1"}
host: api.example.com
schemes: [https, http]
paths:
  /x:
    get:
      schemes: [ws]
      responses:
        "200": {description: ok}
  /y:
    get:
      schemes: [https]
      responses:
        "200": {description: ok}
"#;
    let got = lint_text("server-http", doc);
    let lines: Vec<_> = got.iter().map(|(l, s, _)| (*l, s.as_str())).collect();
    assert_eq!(lines, [(4, "error"), (8, "error")], "{got:#?}");
    assert!(
        got[0]
            .2
            .starts_with("server `http://api.example.com` is plain HTTP")
    );
    // Without `schemes`, the document's own scheme applies: nothing to report.
    let doc =
        "swagger: \"2.0\"\ninfo: {title: t, version: \"1\"}\nhost: api.example.com\npaths: {}\n";
    assert_eq!(lint_text("server-http", doc), []);
}

#[test]
fn server_variable_unrestricted() {
    // `scheme`, `port` and `basePath` do not set the host; `region` has an enum.
    expect(
        "server-variable-unrestricted",
        "testdata/rules/server-variable-unrestricted.yaml",
        &[
            (
                10,
                "warning",
                "server variable `host` sets the host of `{scheme}://{host}:{port}/{basePath}` and has no `enum`",
            ),
            (
                27,
                "warning",
                "server variable `baseUrl` sets the host of `{baseUrl}/items` of `GET /items`",
            ),
        ],
    );
}

// The four fixtures are one API: `GET /things` has the response, `POST /things` (secured, with a
// body) lacks it, `OPTIONS` and the callback are not checked, and `DELETE /things/{id}` is public
// and takes a path parameter.

#[test]
fn error_validation_missing() {
    expect(
        "error-validation-missing",
        "testdata/rules/error-validation-missing.yaml",
        &[
            (
                21,
                "warning",
                "`POST /things` takes input but defines no `400`, `422` or `4XX` response",
            ),
            (
                42,
                "warning",
                "`DELETE /things/{id}` takes input but defines no",
            ),
        ],
    );
}

#[test]
fn error_401_and_403_missing_skip_public_operations() {
    expect(
        "error-401-missing",
        "testdata/rules/error-401-missing.yaml",
        &[(
            21,
            "warning",
            "`POST /things` requires authentication but defines no `401` response",
        )],
    );
    expect(
        "error-403-missing",
        "testdata/rules/error-403-missing.yaml",
        &[(
            21,
            "info",
            "`POST /things` requires authentication but defines no `403` response",
        )],
    );
}

#[test]
fn error_500_missing() {
    expect(
        "error-500-missing",
        "testdata/rules/error-500-missing.yaml",
        &[
            (
                21,
                "info",
                "`POST /things` defines no `500`, `5XX` or `default` response",
            ),
            (42, "info", "`DELETE /things/{id}` defines no"),
        ],
    );
}

#[test]
fn an_api_without_any_401_is_told_once() {
    let doc = r#"swagger: "2.0"
info: {title: t, version: "1"}
security:
  - key: []
paths:
  /a:
    get:
      responses:
        "200": {description: ok}
  /b:
    post:
      responses:
        "200": {description: ok}
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Key}
"#;
    let got = lint_text("error-401-missing", doc);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].0, 5);
    assert!(got[0].2.starts_with(
        "no operation of the API defines a `401` response (none of its 2 secured operations)"
    ));
}

#[test]
fn cors_wildcard() {
    // `/public` sends no credentials header; `/refused` documents it as `false` only.
    let report = expect(
        "cors-wildcard",
        "testdata/rules/cors-wildcard.yaml",
        &[
            (
                21,
                "warning",
                "the `200` response of `GET /private` allows any origin (`access-control-allow-origin: *`)",
            ),
            // The shared response, once, at its definition.
            (
                46,
                "warning",
                "the shared response `Refused` (used in 2 places) allows any origin",
            ),
        ],
    );
    let related: Vec<u32> = report.diagnostics[1]
        .related
        .iter()
        .map(|r| r.location.start.line)
        .collect();
    assert_eq!(related, [49, 26, 28]);
}

#[test]
fn servers_missing() {
    expect(
        "servers-missing",
        "testdata/rules/servers-missing.yaml",
        &[(1, "warning", "the document declares no `host`")],
    );
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\nservers: []\n";
    let got = lint_text("servers-missing", doc);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].2.starts_with("the document declares no `servers`"));
}

//! The authentication and authorization rules on their fixtures (`testdata/rules/<id>.yaml`), each
//! linted with that rule alone (whatever its preset), with every expected finding written out as
//! `(JSON pointer, line)` after reading the fixture.

use rampart::engine::{Policy, Preset};
use rampart::{Diagnostic, LintRequest, Report};

/// Lints `path` with only the rule `id`, enabled whatever its default.
fn lint_rule(id: &str, path: &str) -> Report {
    let rule = rampart::rules::find(id).unwrap_or_else(|| panic!("no rule `{id}`"));
    rampart::lint_with(
        &LintRequest {
            paths: vec![path.to_string()],
            policy: Policy {
                preset: Preset::All,
                ..Policy::default()
            },
            ..LintRequest::default()
        },
        &[rule],
    )
}

fn dump(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}[{}] {} ({})",
                d.location.path,
                d.location.start.line,
                d.severity,
                d.rule,
                d.message,
                d.location.pointer
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lints the rule's fixture and checks its findings are exactly `expected` `(pointer, line)`.
fn assert_fixture(id: &str, expected: &[(&str, u32)]) -> Report {
    let path = format!("testdata/rules/{id}.yaml");
    let report = lint_rule(id, &path);
    let found: Vec<(&str, u32)> = report
        .diagnostics
        .iter()
        .map(|d| (&*d.location.pointer, d.location.start.line))
        .collect();
    assert_eq!(found, expected, "\n{}", dump(&report));
    report
}

fn messages(report: &Report) -> Vec<&str> {
    report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect()
}

fn related_lines(d: &Diagnostic) -> Vec<u32> {
    d.related.iter().map(|r| r.location.start.line).collect()
}

#[test]
fn http_basic_auth() {
    let report = assert_fixture(
        "http-basic-auth",
        &[
            ("/components/securitySchemes/basicAuth/scheme", 20),
            ("/components/securitySchemes/shouting/scheme", 23),
        ],
    );
    assert_eq!(
        messages(&report)[0],
        "security scheme `basicAuth` uses HTTP Basic, which sends a reusable user name and password with every request"
    );
}

#[test]
fn insecure_auth_scheme() {
    let report = assert_fixture(
        "insecure-auth-scheme",
        &[
            ("/components/securitySchemes/windows/scheme", 19),
            ("/components/securitySchemes/oauth1/scheme", 22),
            ("/components/securitySchemes/digest/scheme", 25),
        ],
    );
    assert!(messages(&report)[1].contains("OAuth 1.0"));
}

#[test]
fn api_key_in_url() {
    let report = assert_fixture(
        "api-key-in-url",
        &[("/securityDefinitions/queryKey/in", 19)],
    );
    assert_eq!(
        messages(&report)[0],
        "security scheme `queryKey` sends the API key `appid` in the query string, where URLs are logged, cached and leaked in `Referer` headers"
    );
}

#[test]
fn oauth_implicit_flow() {
    assert_fixture(
        "oauth-implicit-flow",
        &[("/components/securitySchemes/browser/flows/implicit", 21)],
    );
}

#[test]
fn oauth_password_flow() {
    assert_fixture(
        "oauth-password-flow",
        &[("/components/securitySchemes/app/flows/password", 25)],
    );
}

#[test]
fn oauth_insecure_url() {
    let report = assert_fixture(
        "oauth-insecure-url",
        &[
            ("/securityDefinitions/oauth/tokenUrl", 20),
            ("/securityDefinitions/dev/tokenUrl", 26),
        ],
    );
    let severities: Vec<_> = report.diagnostics.iter().map(|d| d.severity).collect();
    assert_eq!(
        severities,
        [rampart::Severity::Error, rampart::Severity::Info]
    );
    assert_eq!(
        messages(&report)[0],
        "`tokenUrl` of the `accessCode` flow of security scheme `oauth` uses plain http, so credentials and tokens cross the network unencrypted"
    );
}

#[test]
fn oauth_scope_undefined() {
    let report = assert_fixture(
        "oauth-scope-undefined",
        &[
            ("/security/0/oauth/0", 8),
            ("/paths/~1pets/post/security/1/oauth/0", 18),
        ],
    );
    assert_eq!(
        messages(&report)[1],
        "`POST /pets` requires scope `pets:admin` of security scheme `oauth`, which none of its flows declares"
    );
}

#[test]
fn credentials_in_url() {
    // Not reported: `pageToken`, a `token` whose description calls it a continuation token, a
    // boolean `hasPrivateKey`, a header, `secret_name`, a `Key` that names an object. The shared
    // `access_token` is reported once, with its two uses; the path-level `token` once, for both
    // operations; the `key` that its description calls an API key, too.
    let report = assert_fixture(
        "credentials-in-url",
        &[
            ("/paths/~1login/get/parameters/1/name", 36),
            ("/paths/~1login/get/parameters/3/name", 44),
            ("/paths/~1invites~1{token}/parameters/0/name", 59),
            ("/components/parameters/AccessToken/name", 75),
        ],
    );
    assert_eq!(related_lines(&report.diagnostics[3]), [11, 35]);
    assert_eq!(
        messages(&report),
        [
            "query parameter `password` of `GET /login` carries a credential in the query string, where URLs are logged, cached and leaked in `Referer` headers",
            "query parameter `key` of `GET /login` carries a credential in the query string, where URLs are logged, cached and leaked in `Referer` headers",
            "parameter `token` of path `/invites/{token}` carries a credential in the URL path, where URLs are logged, cached and leaked in `Referer` headers",
            "query parameter `access_token` (`AccessToken` in components/parameters) carries a credential in the query string, where URLs are logged, cached and leaked in `Referer` headers",
        ]
    );
}

#[test]
fn numeric_id() {
    // Not reported: `paid` (a word ending in the letters), `ownerUUID` (a string).
    let report = assert_fixture(
        "numeric-id",
        &[
            ("/paths/~1pets~1{petId}/get/parameters/0/type", 14),
            ("/parameters/OrderId/type", 44),
        ],
    );
    assert_eq!(related_lines(&report.diagnostics[1]), [29, 35]);
    assert_eq!(
        messages(&report)[0],
        "path parameter `petId` of `GET /pets/{petId}` is an integer id, which clients can guess by counting"
    );
}

#[test]
fn authorization_header_parameter() {
    let report = assert_fixture(
        "authorization-header-parameter",
        &[
            ("/paths/~1token/post/parameters/0/name", 24),
            ("/components/parameters/Auth/name", 39),
        ],
    );
    assert_eq!(related_lines(&report.diagnostics[1]), [11, 17]);
}

#[test]
fn security_empty_requirement() {
    // `GET /comments` is a read; `PATCH` allows only `{}`, which is public on purpose. The root `{}`
    // is reported once, for both write operations that inherit it.
    let report = assert_fixture(
        "security-empty-requirement",
        &[
            ("/security/1", 9),
            ("/paths/~1comments~1{commentId}/put/security/1", 28),
        ],
    );
    assert_eq!(related_lines(&report.diagnostics[0]), [16, 20]);
    assert_eq!(report.diagnostics[0].severity, rampart::Severity::Info);
}

#[test]
fn security_explicitly_public() {
    // `OPTIONS /health` is a CORS preflight; `GET /orders` inherits the root requirement.
    let report = assert_fixture(
        "security-explicitly-public",
        &[
            ("/paths/~1health/get/security", 12),
            ("/paths/~1signup/post/security", 23),
        ],
    );
    assert_eq!(
        messages(&report),
        [
            "`GET /health` is public: its `security: []` lets anyone call it without credentials",
            "`POST /signup` is public: its `security: [{}]` lets anyone call it without credentials",
        ]
    );
}

#[test]
fn security_explicitly_public_is_off_by_default() {
    let report = rampart::lint(&LintRequest {
        paths: vec!["testdata/rules/security-explicitly-public.yaml".into()],
        ..LintRequest::default()
    });
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.rule != "security-explicitly-public"),
        "{}",
        dump(&report)
    );
}

#[test]
fn scope_overprivileged() {
    // `GET /projects/{projectId}` may use `projects:read`; `GET /users` asks an OpenID Connect
    // scheme, whose scopes are not declared here; `POST` writes. `HEAD /projects/{projectId}`
    // inherits the root `admin`.
    let report = assert_fixture(
        "scope-overprivileged",
        &[
            ("/security/0/oauth/0", 8),
            ("/paths/~1projects/get/security/0/oauth/0", 13),
        ],
    );
    assert_eq!(related_lines(&report.diagnostics[0]), [32]);
    assert_eq!(
        messages(&report)[1],
        "`GET /projects` only reads, yet every alternative of its security demands a write or admin scope (`projects:write` of `oauth`), although `oauth` declares read scopes (`projects:read`)"
    );
}

#[test]
fn jwt_best_practices() {
    // `opaque` is not a JWT scheme; `documented` cites the RFC.
    let report = assert_fixture(
        "jwt-best-practices",
        &[
            ("/components/securitySchemes/jwt", 17),
            ("/components/securitySchemes/oidc", 29),
        ],
    );
    assert!(messages(&report)[1].contains("OpenID Connect ID tokens"));
}

#[test]
fn refresh_url_missing() {
    // Only the password flow: the authorization code flow has one, the implicit flow must not
    // issue refresh tokens, client credentials need none.
    assert_fixture(
        "refresh-url-missing",
        &[("/components/securitySchemes/oauth/flows/password", 26)],
    );
}

#[test]
fn refresh_url_missing_leaves_swagger_2_alone() {
    let report = lint_rule(
        "refresh-url-missing",
        "testdata/rules/oauth-password-flow.yaml",
    );
    assert_eq!(report.diagnostics.len(), 2, "{}", dump(&report));
    let report = lint_rule(
        "refresh-url-missing",
        "testdata/rules/oauth-insecure-url.yaml",
    );
    assert!(report.diagnostics.is_empty(), "{}", dump(&report));
}

/// One API with a finding for most of the rules, as Swagger 2.0.
const SAME_API_V2: &str = r##"swagger: "2.0"
info: {title: Same, version: "1"}
host: api.example.com
schemes: [https]
security:
  - implicit: [read]
  - {}
paths:
  /items/{itemId}:
    parameters:
      - $ref: "#/parameters/Token"
    get:
      security:
        - implicit: [write]
      parameters:
        - name: itemId
          in: path
          required: true
          type: integer
        - name: Authorization
          in: header
          type: string
      responses:
        "200": {description: ok}
    delete:
      security: []
      responses:
        "204": {description: ok}
    post:
      responses:
        "204": {description: ok}
parameters:
  Token:
    name: access_token
    in: query
    type: string
securityDefinitions:
  basic:
    type: basic
  key:
    type: apiKey
    in: query
    name: api_key
  implicit:
    type: oauth2
    flow: implicit
    authorizationUrl: http://auth.example.com/authorize
    scopes:
      read: Read.
      write: Write.
"##;

/// The same API as OpenAPI 3.0 (3.1 when `version` says so, with a type list).
fn same_api_v3(version: &str, integer: &str) -> String {
    format!(
        r##"openapi: {version}
info: {{title: Same, version: "1"}}
servers:
  - url: https://api.example.com
security:
  - implicit: [read]
  - {{}}
paths:
  /items/{{itemId}}:
    parameters:
      - $ref: "#/components/parameters/Token"
    get:
      security:
        - implicit: [write]
      parameters:
        - name: itemId
          in: path
          required: true
          schema:
            type: {integer}
        - name: Authorization
          in: header
          schema:
            type: string
      responses:
        "200": {{description: ok}}
    delete:
      security: []
      responses:
        "204": {{description: ok}}
    post:
      responses:
        "204": {{description: ok}}
components:
  parameters:
    Token:
      name: access_token
      in: query
      schema:
        type: string
  securitySchemes:
    basic:
      type: http
      scheme: basic
    key:
      type: apiKey
      in: query
      name: api_key
    implicit:
      type: oauth2
      flows:
        implicit:
          authorizationUrl: http://auth.example.com/authorize
          scopes:
            read: Read.
            write: Write.
"##
    )
}

/// `(rule, message, related count)` of every finding of the rules of this file.
fn findings_of(yaml: &str) -> std::collections::BTreeSet<(String, String, usize)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, yaml).expect("write");
    let rules: Vec<&'static dyn rampart::engine::Rule> = [
        "api-key-in-url",
        "authorization-header-parameter",
        "credentials-in-url",
        "http-basic-auth",
        "jwt-best-practices",
        "numeric-id",
        "oauth-implicit-flow",
        "oauth-insecure-url",
        "oauth-scope-undefined",
        "scope-overprivileged",
        "security-empty-requirement",
        "security-explicitly-public",
    ]
    .iter()
    .filter_map(|id| rampart::rules::find(id))
    .collect();
    let report = rampart::lint_with(
        &LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            policy: Policy {
                preset: Preset::All,
                ..Policy::default()
            },
            ..LintRequest::default()
        },
        &rules,
    );
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.clone(), d.related.len()))
        .collect()
}

#[test]
fn the_same_api_gets_the_same_findings_in_every_version() {
    let v2 = findings_of(SAME_API_V2);
    let v30 = findings_of(&same_api_v3("3.0.3", "integer"));
    let v31 = findings_of(&same_api_v3("3.1.0", "[integer, \"null\"]"));
    let rules: std::collections::BTreeSet<&str> = v30.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(rules.len(), 11, "{v30:#?}");
    assert_eq!(v2, v30);
    assert_eq!(v31, v30);
    // The shared parameter is reported once, with the operations that use it through the path.
    assert!(
        v30.iter().any(|(r, m, related)| r == "credentials-in-url"
            && m.starts_with("query parameter `access_token` (`Token` in components/parameters)")
            && *related == 1),
        "{v30:#?}"
    );
}

#[test]
fn an_admin_operation_names_the_first_operation_with_its_security() {
    // `GET /reports` asks for other scopes; `GET /users` and `GET /teams` both ask for the same
    // ones as `DELETE /Admin/users` (in another order, one twice), so the first of them is named.
    // `/BackOffice/*` is administrative by the configured segment; `POST /internal/jobs` asks for a
    // scope no other operation does.
    let yaml = r#"openapi: 3.0.3
info:
  title: Users
  version: 1.0.0
paths:
  /reports:
    get:
      security:
        - oauth: [reports:read]
      responses:
        "200":
          description: The reports.
  /users:
    get:
      security:
        - oauth: [users:read, users:write]
      responses:
        "200":
          description: The users.
  /teams:
    get:
      security:
        - oauth: [users:write, users:read]
      responses:
        "200":
          description: The teams.
  /Admin/users:
    delete:
      security:
        - oauth: [users:write, users:read, users:write]
      responses:
        "204":
          description: Deleted.
  /BackOffice/reports:
    get:
      security:
        - oauth: [reports:read]
      responses:
        "200":
          description: The reports.
  /internal/jobs:
    post:
      security:
        - oauth: [jobs:admin]
      responses:
        "202":
          description: Started.
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes:
            reports:read: Read reports.
            users:read: Read users.
            users:write: Change users.
            jobs:admin: Run jobs.
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("openapi.yaml");
    std::fs::write(&path, yaml).expect("write");
    let rule = rampart::rules::find("admin-security-shared").expect("the rule");
    let mut options = std::collections::HashMap::new();
    options.insert("segments".to_string(), serde_json::json!(["backoffice"]));
    let report = rampart::lint_with(
        &LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            policy: Policy {
                preset: Preset::All,
                options: [("admin-security-shared", options)].into_iter().collect(),
                ..Policy::default()
            },
            ..LintRequest::default()
        },
        &[rule],
    );
    let found: Vec<(&str, u32)> = report
        .diagnostics
        .iter()
        .map(|d| (&*d.location.pointer, d.location.start.line))
        .collect();
    assert_eq!(
        found,
        [
            ("/paths/~1Admin~1users/delete/security", 29),
            ("/paths/~1BackOffice~1reports/get/security", 36),
        ],
        "\n{}",
        dump(&report)
    );
    assert_eq!(
        messages(&report),
        [
            "admin operation `DELETE /Admin/users` requires the same security as non-admin operation `GET /users`: any client that can call one can call the other",
            "admin operation `GET /BackOffice/reports` requires the same security as non-admin operation `GET /reports`: any client that can call one can call the other",
        ]
    );
    assert_eq!(related_lines(&report.diagnostics[0]), [15]);
    assert_eq!(related_lines(&report.diagnostics[1]), [8]);
}

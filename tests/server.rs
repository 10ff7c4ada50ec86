//! `rampart server` driven over standard input and output, as an editor drives it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

#[path = "support/lsp.rs"]
mod lsp;

const CLEAN: &str = r#"openapi: 3.0.3
info:
  title: t
  version: "1"
security:
  - key: []
paths:
  /login:
    get:
      parameters:
        - name: page
          in: query
          schema:
            type: string
            maxLength: 10
      responses:
        "200":
          description: ok
          headers:
            RateLimit-Limit:
              schema:
                type: integer
        "429":
          description: slow down
          headers:
            Retry-After:
              schema:
                type: integer
            RateLimit-Limit:
              schema:
                type: integer
          content:
            application/json:
              schema:
                type: object
                properties:
                  message:
                    type: string
                    maxLength: 200
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-API-Key
"#;

/// `CLEAN` with a password in the query (line 10) and no `maxLength` on it (line 13).
fn bad() -> String {
    CLEAN
        .replace("name: page", "name: password")
        .replace("            maxLength: 10\n", "")
}

struct Client {
    conn: lsp::Connection,
    next_id: i64,
    /// The requests the server sent (each answered with `null`).
    server_requests: Vec<Value>,
    /// The messages the server logged.
    logs: Vec<String>,
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(root, json!({}))
    }

    fn start_with(root: &Path, capabilities: Value) -> Client {
        let mut client = Client {
            conn: lsp::Connection::start(root),
            next_id: 0,
            server_requests: Vec::new(),
            logs: Vec::new(),
        };
        let uri = uri(root);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": capabilities,
                   "workspaceFolders": [{"uri": uri, "name": "w"}]}),
        );
        assert_eq!(
            result["capabilities"]["textDocumentSync"]["change"],
            json!(2),
            "incremental sync"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        self.conn.send(message);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.conn.notify(method, params);
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.receive();
            if m["id"] == json!(id) {
                assert!(m.get("error").is_none(), "{m}");
                return m["result"].clone();
            }
        }
    }

    /// The next message from the server; its requests are answered with `null` and kept.
    fn receive(&mut self) -> Value {
        let (_, m) = self
            .conn
            .messages
            .recv_timeout(Duration::from_secs(30))
            .expect("a message from the server");
        if m.get("method").is_some() && m.get("id").is_some() {
            self.send(json!({"jsonrpc": "2.0", "id": m["id"], "result": null}));
            self.server_requests.push(m.clone());
        }
        if m["method"] == "window/logMessage" {
            self.logs
                .push(m["params"]["message"].as_str().unwrap_or("").to_string());
        }
        m
    }

    /// Every message that comes within `quiet` of the one before.
    fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out = Vec::new();
        while let Ok((_, m)) = self.conn.messages.recv_timeout(quiet) {
            if m["method"] == "window/logMessage" {
                self.logs
                    .push(m["params"]["message"].as_str().unwrap_or("").to_string());
            }
            out.push(m);
        }
        out
    }

    /// The first diagnostics published for `uri` that satisfy `wanted` (the others are skipped).
    fn diagnostics_until(&mut self, uri: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let (params, _) = self.diagnostics(uri);
            if wanted(&params) {
                return params;
            }
        }
    }

    /// The next diagnostics published for `uri` (others published meanwhile are returned too).
    fn diagnostics(&mut self, uri: &str) -> (Value, Vec<Value>) {
        let mut others = Vec::new();
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" {
                if m["params"]["uri"] == uri {
                    return (m["params"].clone(), others);
                }
                others.push(m["params"].clone());
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let status = self.conn.child.wait().expect("exit");
        assert!(status.success(), "{status}");
    }
}

/// A workspace folder whose configuration leaves out the rules these tests do not pin (those that
/// say something about nearly every small spec), as a team's `.rampart.yaml` would.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    std::fs::write(
        root.join(".rampart.yaml"),
        "rules:\n  servers-missing: off\n  error-401-missing: off\n  error-403-missing: off\n  error-500-missing: off\n  error-validation-missing: off\n  string-unrestricted: off\n",
    )
    .expect("write");
    (dir, root)
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// (rule, start line, start character, end line, end character) of each diagnostic.
fn summary(params: &Value) -> Vec<(String, u64, u64, u64, u64)> {
    params["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let r = &d["range"];
            (
                d["code"].as_str().unwrap_or("").to_string(),
                r["start"]["line"].as_u64().expect("line"),
                r["start"]["character"].as_u64().expect("character"),
                r["end"]["line"].as_u64().expect("line"),
                r["end"]["character"].as_u64().expect("character"),
            )
        })
        .collect()
}

#[test]
fn findings_of_the_buffer_are_published_and_cleared_when_fixed() {
    let (_dir, root) = folder();
    let path = root.join("openapi.yaml");
    // The file on disk is clean: what is published comes from the buffer.
    std::fs::write(&path, CLEAN).expect("write");
    let uri = uri(&path);
    let mut client = Client::start(&root);
    client.open(&uri, &bad());
    let (params, _) = client.diagnostics(&uri);
    assert_eq!(params["version"], json!(1));
    assert_eq!(
        summary(&params),
        [
            ("credentials-in-url".to_string(), 10, 16, 10, 24),
            ("string-unbounded".to_string(), 13, 18, 13, 24),
        ]
    );
    let first = &params["diagnostics"][0];
    assert_eq!(first["source"], "rampart");
    assert_eq!(first["severity"], json!(1));
    assert!(
        first["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("rules/credentials-in-url.md")),
        "{first}"
    );
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("query parameter `password` of `GET /login`")),
        "{first}"
    );

    // Hover on the finding shows the rule's page.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 10, "character": 18}}),
    );
    let page = hover["contents"]["value"].as_str().expect("markdown");
    assert!(page.starts_with("# credentials-in-url"), "{page}");

    // Two incremental edits, in UTF-16 ranges: rename the parameter, bound it.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 10, "character": 16}, "end": {"line": 10, "character": 24}},
             "text": "page"},
            {"range": {"start": {"line": 13, "character": 0}, "end": {"line": 13, "character": 0}},
             "text": "            maxLength: 10\n"},
        ]}),
    );
    let (params, _) = client.diagnostics(&uri);
    assert_eq!(params["version"], json!(2));
    assert_eq!(summary(&params), []);
    // A client that cannot register watchers is not asked to.
    assert_eq!(client.server_requests, Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn a_buffer_of_a_file_not_on_disk_is_linted() {
    let (_dir, root) = folder();
    let path = root.join("new").join("api.yaml");
    let uri = uri(&path);
    let mut client = Client::start(&root);
    client.open(&uri, &bad());
    let (params, _) = client.diagnostics(&uri);
    let rules: Vec<String> = summary(&params).into_iter().map(|s| s.0).collect();
    assert_eq!(rules, ["credentials-in-url", "string-unbounded"]);
    client.shutdown();
}

#[test]
fn documents_that_are_not_openapi_get_nothing() {
    let (_dir, root) = folder();
    let other = uri(&root.join("docker-compose.yaml"));
    let broken = uri(&root.join("broken.yaml"));
    let api = uri(&root.join("api.yaml"));
    let mut client = Client::start(&root);
    client.open(&other, "services:\n  web:\n    image: nginx\n");
    client.open(&broken, "a: [b\n");
    client.open(&api, &bad());
    let (_, others) = client.diagnostics(&api);
    assert!(others.is_empty(), "{others:?}");
    client.shutdown();
}

#[test]
fn a_broken_configuration_is_reported_on_its_own_file() {
    let (_dir, root) = folder();
    let config = root.join(".rampart.yaml");
    std::fs::write(&config, "rules:\n  credentials-in-ulr: off\n").expect("write");
    let api = uri(&root.join("api.yaml"));
    let mut client = Client::start(&root);
    client.open(&api, &bad());
    let config_uri = uri(&config);
    let (params, _) = client.diagnostics(&config_uri);
    let diagnostics = params["diagnostics"].as_array().expect("list");
    assert_eq!(diagnostics.len(), 1, "{params}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], json!(1));
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("credentials-in-url")),
        "{params}"
    );
    // Mended and saved in the editor: linted again with it.
    client.open(&config_uri, "rules:\n  credentials-in-url: off\n");
    std::fs::write(&config, "rules:\n  credentials-in-url: off\n").expect("write");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config_uri}}),
    );
    client.diagnostics_until(&config_uri, |p| codes(p).is_empty());
    let (params, _) = client.diagnostics(&api);
    let found = codes(&params);
    assert!(found.contains(&"string-unbounded".to_string()), "{found:?}");
    assert!(
        !found.contains(&"credentials-in-url".to_string()),
        "{found:?}"
    );
    client.shutdown();
}

#[test]
fn the_quick_fix_suppresses_the_finding() {
    let (_dir, root) = folder();
    let path = root.join("api.yaml");
    let uri = uri(&path);
    let mut client = Client::start(&root);
    let text = bad();
    client.open(&uri, &text);
    client.diagnostics(&uri);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 13, "character": 18}, "end": {"line": 13, "character": 18}},
               "context": {"diagnostics": []}}),
    );
    let action = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "suppress `string-unbounded` here")
        .expect("the suppression");
    // "explain" runs a command the server answers with the rule's summary and page.
    let explain = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "explain `string-unbounded`")
        .expect("the explanation");
    assert_eq!(explain["command"]["command"], "rampart.explain");
    client.next_id += 1;
    let id = client.next_id;
    client.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
        "params": {"command": "rampart.explain", "arguments": explain["command"]["arguments"]}}),
    );
    let (mut shown, mut answered) = (None, false);
    while shown.is_none() || !answered {
        let m = client.receive();
        if m["method"] == "window/showMessage" {
            shown = m["params"]["message"].as_str().map(str::to_string);
        }
        answered |= m["id"] == json!(id);
    }
    let shown = shown.expect("a message");
    assert!(shown.starts_with("string-unbounded: "), "{shown}");
    assert!(shown.ends_with("rules/string-unbounded.md"), "{shown}");
    let edit = &action["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"]["start"], json!({"line": 13, "character": 12}));
    let inserted = edit["newText"].as_str().expect("text");
    assert!(
        inserted.starts_with("x-rampart-ignore: {\"string-unbounded\": \"TODO"),
        "{inserted}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": edit["range"]["start"], "end": edit["range"]["end"]},
             "text": inserted}]}),
    );
    let (params, _) = client.diagnostics(&uri);
    let rules: Vec<String> = summary(&params).into_iter().map(|s| s.0).collect();
    assert_eq!(rules, ["credentials-in-url"]);
    client.shutdown();
}

/// Applies LSP text edits (ranges of the original text) to a text of ASCII lines.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().expect("line") as usize;
        let character = p["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + character
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("text").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

fn codes(params: &Value) -> Vec<String> {
    summary(params).into_iter().map(|s| s.0).collect()
}

/// An open document the test edits as the editor would.
struct Editing {
    uri: String,
    text: String,
    version: i64,
    /// The diagnostics last published for it.
    published: Value,
}

impl Editing {
    fn open(client: &mut Client, uri: &str, text: &str) -> Editing {
        client.open(uri, text);
        let published = client.diagnostics_until(uri, |p| p["version"] == json!(1));
        Editing {
            uri: uri.to_string(),
            text: text.to_string(),
            version: 1,
            published,
        }
    }

    fn finding(&self, rule: &str) -> Value {
        self.published["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["code"] == rule)
            .cloned()
            .unwrap_or_else(|| panic!("no {rule} in {}", self.published))
    }

    /// The titles of the code actions at a range.
    fn actions(&self, client: &mut Client, range: Value, diagnostics: Value) -> Vec<Value> {
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": self.uri}, "range": range,
                   "context": {"diagnostics": diagnostics}}),
        );
        actions.as_array().expect("actions").clone()
    }

    /// Applies the code action titled `title` offered on the first `rule` finding, as the editor
    /// does (the edits as one incremental change), and returns the diagnostics of the new version.
    fn fix(&mut self, client: &mut Client, rule: &str, title: &str) {
        let finding = self.finding(rule);
        let actions = self.actions(client, finding["range"].clone(), json!([finding]));
        let action = actions
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no `{title}` among {actions:?}"));
        self.apply(client, action);
    }

    fn apply(&mut self, client: &mut Client, action: &Value) {
        assert_eq!(action["kind"], "quickfix");
        let edits = action["edit"]["changes"][&self.uri]
            .as_array()
            .expect("edits of this file")
            .clone();
        // Sent from the end of the file back, so that each range is still where it was.
        let mut sorted = edits.clone();
        sorted.sort_by_key(|e| {
            let s = &e["range"]["start"];
            std::cmp::Reverse((s["line"].as_u64(), s["character"].as_u64()))
        });
        let changes: Vec<Value> = sorted
            .iter()
            .map(|e| json!({"range": e["range"], "text": e["newText"]}))
            .collect();
        self.text = apply_edits(&self.text, &edits);
        self.version += 1;
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri, "version": self.version},
                   "contentChanges": changes}),
        );
        let version = json!(self.version);
        self.published = client.diagnostics_until(&self.uri, |p| p["version"] == version);
        let broken: Vec<String> = codes(&self.published)
            .into_iter()
            .filter(|c| ["parse-error", "structure", "duplicate-key"].contains(&c.as_str()))
            .collect();
        assert!(
            broken.is_empty(),
            "{broken:?} after `{}`:\n{}",
            action["title"],
            self.text
        );
    }

    fn count(&self, rule: &str) -> usize {
        codes(&self.published).iter().filter(|c| *c == rule).count()
    }
}

/// An API with an unbounded string, integer and array and no `429` anywhere, as YAML (3.0 and
/// 2.0) and JSON.
fn unbounded_api(swagger2: bool) -> Value {
    let header = if swagger2 {
        json!({"type": "integer"})
    } else {
        json!({"schema": {"type": "integer"}})
    };
    let query = |name: &str, schema: Value| {
        if swagger2 {
            let mut p = json!({"name": name, "in": "query"});
            for (k, v) in schema.as_object().expect("schema") {
                p[k] = v.clone();
            }
            p
        } else {
            json!({"name": name, "in": "query", "schema": schema})
        }
    };
    let tags = json!({"type": "object", "properties": {"tags": {
        "type": "array", "items": {"type": "string", "enum": ["a", "b"]}}}});
    let post = if swagger2 {
        json!({"parameters": [{"name": "body", "in": "body", "schema": tags}],
               "responses": {"201": {"description": "created", "headers": {"RateLimit-Limit": header}}}})
    } else {
        json!({"requestBody": {"content": {"application/json": {"schema": tags}}},
               "responses": {"201": {"description": "created", "headers": {"RateLimit-Limit": header}}}})
    };
    let mut api = json!({
        "info": {"title": "t", "version": "1"},
        "security": [{"key": []}],
        "paths": {"/items": {
            "get": {
                "parameters": [
                    query("q", json!({"type": "string"})),
                    query("limit", json!({"type": "integer", "format": "int32"})),
                ],
                "responses": {"200": {"description": "ok", "headers": {"RateLimit-Limit": header}}},
            },
            "post": post,
        }},
    });
    let key = json!({"type": "apiKey", "in": "header", "name": "X-API-Key"});
    if swagger2 {
        api["swagger"] = json!("2.0");
        api["securityDefinitions"] = json!({"key": key});
    } else {
        api["openapi"] = json!("3.0.3");
        api["components"] = json!({"securitySchemes": {"key": key}});
    }
    api
}

/// The same API as YAML: block style, two spaces, status codes quoted in 3.0 and bare in 2.0.
fn to_yaml(value: &Value, swagger2: bool) -> String {
    fn scalar(v: &Value, swagger2: bool, key: bool) -> String {
        match v {
            Value::String(s) if key && s.chars().all(|c| c.is_ascii_digit()) && !swagger2 => {
                format!("\"{s}\"")
            }
            Value::String(s) if !key && s.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                format!("\"{s}\"")
            }
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    fn write(v: &Value, indent: usize, swagger2: bool, out: &mut String) {
        let pad = " ".repeat(indent);
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let key = scalar(&Value::String(k.clone()), swagger2, true);
                    match v {
                        Value::Object(m) if m.is_empty() => {
                            out.push_str(&format!("{pad}{key}: {{}}\n"))
                        }
                        Value::Array(a) if a.is_empty() => {
                            out.push_str(&format!("{pad}{key}: []\n"))
                        }
                        Value::Object(_) | Value::Array(_) => {
                            out.push_str(&format!("{pad}{key}:\n"));
                            write(v, indent + 2, swagger2, out);
                        }
                        _ => out.push_str(&format!("{pad}{key}: {}\n", scalar(v, swagger2, false))),
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    let mut inner = String::new();
                    write(item, indent + 2, swagger2, &mut inner);
                    let inner = match item {
                        Value::Object(_) | Value::Array(_) => inner,
                        _ => format!("{pad}  {}\n", scalar(item, swagger2, false)),
                    };
                    out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                }
            }
            _ => out.push_str(&format!("{pad}{}\n", scalar(v, swagger2, false))),
        }
    }
    let mut out = String::new();
    write(value, 0, swagger2, &mut out);
    out
}

#[test]
fn quick_fixes_write_the_missing_bounds_and_429_responses() {
    let (_dir, root) = folder();
    let mut client = Client::start(&root);
    for swagger2 in [false, true] {
        let api = unbounded_api(swagger2);
        for (name, text) in [
            ("api.yaml", to_yaml(&api, swagger2)),
            (
                "api.json",
                serde_json::to_string_pretty(&api).expect("json") + "\n",
            ),
        ] {
            let what = format!("{name} (2.0: {swagger2})");
            let uri = uri(&root.join(if swagger2 { "v2" } else { "v3" }).join(name));
            let mut doc = Editing::open(&mut client, &uri, &text);
            for rule in ["string-unbounded", "integer-unbounded", "array-unbounded"] {
                assert_eq!(doc.count(rule), 1, "{what}: {}", doc.published);
            }
            assert_eq!(doc.count("rate-limit-429-missing"), 1, "{what}");

            doc.fix(&mut client, "string-unbounded", "add `maxLength: 256`");
            assert_eq!(doc.count("string-unbounded"), 0, "{what}:\n{}", doc.text);
            doc.fix(
                &mut client,
                "integer-unbounded",
                "add `minimum: 1` and `maximum: 100`",
            );
            assert_eq!(doc.count("integer-unbounded"), 0, "{what}:\n{}", doc.text);
            doc.fix(&mut client, "array-unbounded", "add `maxItems: 100`");
            assert_eq!(doc.count("array-unbounded"), 0, "{what}:\n{}", doc.text);

            // The document lacks a `429` everywhere: one finding at `paths`, and on each
            // operation's `responses` the fix of that operation.
            let responses = doc
                .text
                .lines()
                .position(|l| l.contains("responses"))
                .expect("responses") as u64;
            let at = json!({"start": {"line": responses, "character": 8},
                            "end": {"line": responses, "character": 8}});
            let titles: Vec<Value> = doc
                .actions(&mut client, at, json!([]))
                .into_iter()
                .map(|a| a["title"].clone())
                .collect();
            assert!(
                titles.contains(&json!("add a 429 response to `GET /items`")),
                "{what}: {titles:?}"
            );
            doc.fix(
                &mut client,
                "rate-limit-429-missing",
                "add a 429 response to all 2 operations",
            );
            assert_eq!(
                doc.count("rate-limit-429-missing"),
                0,
                "{what}:\n{}",
                doc.text
            );
            assert_eq!(doc.count("retry-after-missing"), 0, "{what}:\n{}", doc.text);

            // Written as the file writes: JSON that parses, YAML keys quoted like their siblings.
            if name.ends_with(".json") {
                serde_json::from_str::<Value>(&doc.text).expect("JSON");
                let lines: Vec<&str> = doc.text.lines().collect();
                let at = lines
                    .iter()
                    .position(|l| l.trim() == "\"maxLength\": 256")
                    .expect("maxLength");
                let indent = |l: &str| l.len() - l.trim_start().len();
                assert_eq!(
                    lines[at - 1].trim(),
                    "\"type\": \"string\",",
                    "{}",
                    doc.text
                );
                assert_eq!(indent(lines[at - 1]), indent(lines[at]), "{}", doc.text);
            } else if swagger2 {
                assert!(
                    doc.text.contains("\n        429:\n          description: "),
                    "{}",
                    doc.text
                );
                assert!(
                    doc.text.contains("\n              type: integer\n"),
                    "{}",
                    doc.text
                );
            } else {
                assert!(
                    doc.text
                        .contains("\n        \"429\":\n          description: "),
                    "{}",
                    doc.text
                );
                assert!(
                    doc.text.contains("\n            maxLength: 256\n"),
                    "{}",
                    doc.text
                );
            }
        }
    }
    client.shutdown();
}

#[test]
fn quick_fixes_add_a_429_to_one_operation_and_retry_after_to_a_429() {
    let (_dir, root) = folder();
    let mut client = Client::start(&root);
    for swagger2 in [false, true] {
        let mut api = unbounded_api(swagger2);
        let get = &mut api["paths"]["/items"]["get"];
        get["parameters"] = json!([]);
        get["responses"]["429"] = json!({"description": "slow down"});
        api["paths"]["/items"]["post"] = json!({"responses": {"204": {"description": "done"}}});
        let (name, text) = if swagger2 {
            (
                "api.json",
                serde_json::to_string_pretty(&api).expect("json"),
            )
        } else {
            ("api.yaml", to_yaml(&api, swagger2))
        };
        let uri = uri(&root.join(name));
        let mut doc = Editing::open(&mut client, &uri, &text);
        assert_eq!(doc.count("retry-after-missing"), 1, "{}", doc.published);
        assert_eq!(doc.count("rate-limit-429-missing"), 1, "{}", doc.published);
        doc.fix(
            &mut client,
            "retry-after-missing",
            "add a `Retry-After` header",
        );
        assert_eq!(doc.count("retry-after-missing"), 0, "{}", doc.text);
        doc.fix(
            &mut client,
            "rate-limit-429-missing",
            "add a 429 response to `POST /items`",
        );
        assert_eq!(doc.count("rate-limit-429-missing"), 0, "{}", doc.text);
        assert_eq!(doc.count("retry-after-missing"), 0, "{}", doc.text);
    }
    client.shutdown();
}

/// An API of `n` operations, each with an unbounded query string: long enough to lint that edits
/// arrive while a lint runs.
fn large_api(n: usize) -> String {
    let mut out = String::from(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\nsecurity:\n  - key: []\npaths:\n",
    );
    for i in 0..n {
        out.push_str(&format!(
            "  /r{i}:\n    get:\n      parameters:\n        - name: q{i}\n          in: query\n          \
             schema:\n            type: string\n      responses:\n        \"200\":\n          \
             description: ok\n"
        ));
    }
    out.push_str(
        "components:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      \
         name: X-API-Key\n",
    );
    out
}

#[test]
fn requests_are_answered_while_a_lint_runs_and_only_the_last_version_is_published() {
    let (_dir, root) = folder();
    let uri = uri(&root.join("large.yaml"));
    let text = large_api(2000);
    let mut client = Client::start(&root);
    client.open(&uri, &text);
    let first = client.diagnostics_until(&uri, |p| p["version"] == json!(1));
    assert!(codes(&first).contains(&"string-unbounded".to_string()));
    // The server lints a change 5 ms after it when its last lint took less than 150 ms, else after
    // 150 ms.
    let lint = client
        .logs
        .iter()
        .rev()
        .find_map(|l| {
            let rest = l.strip_prefix("linted 1 document(s) in ")?;
            rest.split(' ').next()?.parse::<u64>().ok()
        })
        .expect("the time of the lint");
    let debounce = if lint < 150 { 5 } else { 150 };

    // The name of the first parameter, on line 10 (0-based), columns 16..18 (`q0`).
    let rename = |client: &mut Client, version: i64, name: &str, width: u64| {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": 10, "character": 16},
                           "end": {"line": 10, "character": 16 + width}},
                 "text": name}]}),
        );
    };
    let mut width = 2;
    rename(&mut client, 2, "pw", width);
    // The lint of version 2 starts after the debounce: a hover sent now is answered before it ends.
    std::thread::sleep(Duration::from_millis(debounce + lint / 4));
    client.next_id += 1;
    let id = client.next_id;
    client.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": 13, "character": 20}}}),
    );
    let mut published = Vec::new();
    loop {
        let m = client.receive();
        if m["id"] == json!(id) {
            assert!(m["result"]["contents"]["value"].as_str().is_some(), "{m}");
            break;
        }
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
            published.push(m["params"]["version"].clone());
        }
    }
    assert_eq!(
        published,
        Vec::<Value>::new(),
        "the hover waited for the lint"
    );

    // A burst of edits, each arriving while the lint of the one before runs: none of those lints
    // is published, only the last version's.
    // Each edit comes a little after the lint of the one before started: well before it ends.
    let margin = (lint / 3).min(40);
    for version in 3..=8 {
        std::thread::sleep(Duration::from_millis(debounce + margin));
        // Each version a different text: an unchanged text is not linted again.
        let numbered = format!("p{version}");
        let name = if version == 8 { "password" } else { &numbered };
        rename(&mut client, version, name, width);
        width = name.len() as u64;
    }
    let last = client.diagnostics_until(&uri, |p| {
        let v = p["version"].as_i64().expect("version");
        assert!(v == 8 || v == 1 || v == 2, "version {v} was published");
        v == 8
    });
    let found = codes(&last);
    assert!(
        found.contains(&"credentials-in-url".to_string()),
        "{found:?}"
    );
    let dropped = client
        .logs
        .iter()
        .filter(|l| l.starts_with("dropped"))
        .count();
    assert!(dropped >= 1, "{:?}", client.logs);
    // Nothing follows: every earlier lint was dropped or published before.
    std::thread::sleep(Duration::from_millis(300));
    while let Ok((_, m)) = client.conn.messages.try_recv() {
        if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
            assert_eq!(
                m["params"]["version"],
                json!(8),
                "{}",
                m["params"]["version"]
            );
        }
    }
    client.shutdown();
}

#[test]
fn files_changed_on_disk_are_linted_again() {
    let (_dir, root) = folder();
    std::fs::create_dir_all(root.join("api")).expect("dir");
    std::fs::create_dir_all(root.join("shared")).expect("dir");
    let api = root.join("api").join("openapi.yaml");
    let fragment = root.join("shared").join("schemas.yaml");
    let config = root.join(".rampart.yaml");
    let text = CLEAN.replace(
        "                type: object\n                properties:\n                  message:\n                    type: string\n                    maxLength: 200\n",
        "                type: object\n",
    )
    .replace(
        "          schema:\n            type: string\n            maxLength: 10\n",
        "          schema:\n            $ref: \"../shared/schemas.yaml#/Page\"\n",
    );
    std::fs::write(&api, &text).expect("write");
    let unbounded = "Page:\n  type: string\n";
    std::fs::write(&fragment, unbounded).expect("write");
    let api_uri = uri(&api);
    let fragment_uri = uri(&fragment);
    let config_uri = uri(&config);
    let watched = |client: &mut Client, uri: &str, kind: u8| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri, "type": kind}]}),
        );
    };

    let mut client = Client::start_with(
        &root,
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    client.open(&api_uri, &text);
    let published = client.diagnostics_until(&fragment_uri, |_| true);
    assert_eq!(codes(&published), ["string-unbounded"]);
    // The registration came first.
    let registration = &client.server_requests[0];
    assert_eq!(registration["method"], "client/registerCapability");
    let options = &registration["params"]["registrations"][0];
    assert_eq!(options["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&Value> = options["registerOptions"]["watchers"]
        .as_array()
        .expect("watchers")
        .iter()
        .map(|w| &w["globPattern"])
        .collect();
    assert_eq!(
        globs,
        [&json!("**/*.{yaml,yml,json}"), &json!("**/.rampart.yaml")]
    );

    // The fragment is bounded on disk: its finding goes.
    std::fs::write(&fragment, "Page:\n  type: string\n  maxLength: 10\n").expect("write");
    watched(&mut client, &fragment_uri, 2);
    client.diagnostics_until(&fragment_uri, |p| codes(p).is_empty());

    // Deleted: the document's `$ref` no longer resolves; restored: that goes too.
    std::fs::remove_file(&fragment).expect("remove");
    watched(&mut client, &fragment_uri, 3);
    let published = client.diagnostics_until(&api_uri, |p| !codes(p).is_empty());
    assert_eq!(codes(&published), ["ref-unresolved"], "{published}");
    assert_eq!(summary(&published)[0].1, 13, "at the `$ref`");
    std::fs::write(&fragment, "Page:\n  type: string\n  maxLength: 10\n").expect("write");
    watched(&mut client, &fragment_uri, 1);
    client.diagnostics_until(&api_uri, |p| codes(p).is_empty());

    // A configuration broken on disk is reported on its file, and applies again once mended.
    std::fs::write(&config, "rules:\n  string-unbounded: offf\n").expect("write");
    watched(&mut client, &config_uri, 2);
    let published = client.diagnostics_until(&config_uri, |_| true);
    assert_eq!(
        published["diagnostics"].as_array().map(Vec::len),
        Some(1),
        "{published}"
    );
    std::fs::write(&config, "rules:\n  servers-missing: off\n").expect("write");
    watched(&mut client, &config_uri, 2);
    client.diagnostics_until(&config_uri, |p| codes(p).is_empty());

    // Folders that are never linted change nothing.
    client.drain(Duration::from_millis(300));
    let package = root.join("node_modules").join("pkg").join("package.json");
    watched(&mut client, &uri(&package), 1);
    let after = client.drain(Duration::from_millis(300));
    assert_eq!(after, Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn a_second_shutdown_is_answered_and_exit_ends_the_server() {
    let (_dir, root) = folder();
    let mut client = Client::start(&root);
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.shutdown();
}

#[test]
fn an_edit_republishes_only_the_files_whose_findings_changed() {
    let (_dir, root) = folder();
    let a = uri(&root.join("a.yaml"));
    let b = root.join("b.yaml");
    std::fs::write(&b, bad()).expect("write");
    let b = uri(&b);
    let mut client = Client::start(&root);
    client.open(&a, &bad());
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let m = client.receive();
        if m["method"] == "textDocument/publishDiagnostics" {
            seen.push(m["params"]["uri"].as_str().expect("uri").to_string());
        }
    }
    seen.sort();
    assert_eq!(seen, [a.clone(), b.clone()]);
    for version in [2, 3] {
        // Renamed back and forth: `a.yaml` changes, `b.yaml` does not.
        let (name, end) = if version == 2 {
            ("pass", 24)
        } else {
            ("password", 20)
        };
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": a, "version": version}, "contentChanges": [
                {"range": {"start": {"line": 10, "character": 16},
                           "end": {"line": 10, "character": end}},
                 "text": name}]}),
        );
        let (params, others) = client.diagnostics(&a);
        assert_eq!(params["version"], json!(version));
        assert!(others.iter().all(|o| o["uri"] != b), "{others:?}");
    }
    client.shutdown();
}

/// Reads messages until the next lint is logged.
fn wait_for_lint(client: &mut Client) {
    let before = client.logs.len();
    loop {
        client.receive();
        if client.logs[before..]
            .iter()
            .any(|l| l.starts_with("linted "))
        {
            return;
        }
    }
}

/// The log line of the last lint: how many documents it linted.
fn linted_documents(client: &Client) -> usize {
    client
        .logs
        .iter()
        .rev()
        .find_map(|l| {
            let rest = l.strip_prefix("linted ")?;
            rest.split(' ').next()?.parse::<usize>().ok()
        })
        .expect("a lint was logged")
}

#[test]
fn an_edit_lints_again_only_the_documents_that_read_the_edited_file() {
    let (_dir, root) = folder();
    let shared = "Name:\n  type: string\n";
    let doc = |title: &str| {
        CLEAN
            .replace("title: ", &format!("title: {title} "))
            .replace(
                "          schema:\n            type: string\n            maxLength: 10\n",
                "          schema:\n            $ref: \"shared.yaml#/Name\"\n",
            )
    };
    std::fs::write(root.join("a.yaml"), doc("A")).expect("write");
    std::fs::write(root.join("b.yaml"), doc("B")).expect("write");
    std::fs::write(root.join("shared.yaml"), shared).expect("write");
    let (a, shared_uri) = (uri(&root.join("a.yaml")), uri(&root.join("shared.yaml")));
    let mut client = Client::start(&root);
    client.open(&a, &doc("A"));
    let published = client.diagnostics_until(&shared_uri, |_| true);
    assert_eq!(codes(&published), ["string-unbounded"]);
    assert_eq!(linted_documents(&client), 2, "{:?}", client.logs);

    // The document's own text: only it is linted again.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a, "version": 2},
               "contentChanges": [{"text": doc("A2")}]}),
    );
    wait_for_lint(&mut client);
    assert_eq!(linted_documents(&client), 1, "{:?}", client.logs);

    // The fragment both read: both are, and the finding in it goes.
    client.open(&shared_uri, shared);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": shared_uri, "version": 2},
               "contentChanges": [{"text": "Name:\n  type: string\n  maxLength: 20\n"}]}),
    );
    client.diagnostics_until(&shared_uri, |p| codes(p).is_empty());
    assert_eq!(linted_documents(&client), 2, "{:?}", client.logs);
}

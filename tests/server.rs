//! `rampart server` driven over standard input and output, as an editor drives it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

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
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rampart server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).expect("body");
                let message: Value = serde_json::from_slice(&body).expect("JSON");
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            next_id: 0,
        };
        let uri = uri(root);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": {},
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
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
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

    fn receive(&self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("a message from the server")
    }

    /// The next diagnostics published for `uri` (others published meanwhile are returned too).
    fn diagnostics(&self, uri: &str) -> (Value, Vec<Value>) {
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
        let status = self.child.wait().expect("exit");
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
    let action = &actions[0];
    assert_eq!(action["title"], "suppress `string-unbounded` here");
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

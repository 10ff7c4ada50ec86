//! How long the editor waits for `rampart server`: from opening a document to its first diagnostics,
//! and from one keystroke (a one-character `didChange`) to the diagnostics published again. The
//! server runs as the editor runs it (the release binary over standard input and output, the
//! document alone in its workspace folder); the median of several runs.
//!
//! ```sh
//! RAMPART_CORPUS=DIR cargo bench --bench server_latency
//! ```
//!
//! `DIR/big/github.com__api.github.com.yaml` (8.6 MB) and `DIR/all/twilio.com__api.json` (0.86 MB,
//! under 1 MB, a real API that is mostly minified JSON) are measured; more files may be named as
//! arguments after `--`. The columns after a keystroke's time split it, from the server's log: the
//! wait before the lint starts (the debounce: 5 ms after a lint quicker than 150 ms, else 150), the
//! library's lint, turning its report into notifications, and the rest (the message loop, writing
//! and reading the notification).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../tests/support/lsp.rs"]
mod lsp;

const OPENS: usize = 3;
const KEYSTROKES: usize = 9;

struct Server {
    conn: lsp::Connection,
    next_id: i64,
}

impl Server {
    fn start(folder: &Path) -> Server {
        let mut server = Server {
            conn: lsp::Connection::start(folder),
            next_id: 0,
        };
        let uri = uri(folder);
        server.next_id += 1;
        server.send(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": uri, "capabilities": {},
            "workspaceFolders": [{"uri": uri, "name": "bench"}]}}),
        );
        while server.receive().1["id"] != json!(1) {}
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        self.conn.send(message);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.conn.notify(method, params);
    }

    fn receive(&self) -> (Instant, Value) {
        self.conn
            .messages
            .recv_timeout(Duration::from_secs(300))
            .expect("a message from the server")
    }

    /// Waits for the diagnostics of `uri` at `version`: when they arrived, how many, and the
    /// server's log of the lint.
    fn published(&self, uri: &str, version: i64) -> (Instant, usize, Logged) {
        let mut logged = Logged::default();
        loop {
            let (at, m) = self.receive();
            if m["method"] == "window/logMessage" {
                // "linted 1 document(s) in 95 ms (80 ms in the library), 250 ms after the last change"
                let text = m["params"]["message"].as_str().unwrap_or("");
                let numbers: Vec<u64> = text
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                if let [_, job, library, after] = numbers[..] {
                    logged = Logged {
                        job: Duration::from_millis(job),
                        library: Duration::from_millis(library),
                        after_change: Duration::from_millis(after),
                    };
                }
            }
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
            {
                let count = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
                return (at, count, logged);
            }
        }
    }

    fn stop(mut self) {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
        while self.receive().1["id"] != json!(id) {}
        self.notify("exit", Value::Null);
        let _ = self.conn.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Where one character can go and come back without changing what the document means: inside the
/// API's title.
fn keystroke_position(text: &str) -> Value {
    let offset = ["\"title\":\"", "\"title\": \"", "title: "]
        .iter()
        .find_map(|p| text.find(p).map(|i| i + p.len()))
        .expect("a title");
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// What the server logs of a lint: the whole job, the library's part of it, and the time from the
/// change to the end of the job (the wait before it started included).
#[derive(Clone, Copy, Default)]
struct Logged {
    job: Duration,
    library: Duration,
    after_change: Duration,
}

struct Measured {
    open: Duration,
    keystroke: Duration,
    /// Medians of the keystrokes' parts: the wait before the lint, the library, the rest of the job.
    wait: Duration,
    library: Duration,
    publish: Duration,
    findings: usize,
}

fn measure(spec: &Path) -> Measured {
    let text = std::fs::read_to_string(spec).expect("read the spec");
    let folder = tempfile::tempdir().expect("temp dir");
    let folder_path = std::fs::canonicalize(folder.path()).expect("canonical");
    let file = folder_path.join(spec.file_name().expect("a file name"));
    std::fs::copy(spec, &file).expect("copy");
    let file_uri = uri(&file);
    let language = if file.extension().is_some_and(|e| e == "json") {
        "json"
    } else {
        "yaml"
    };
    let open = |server: &mut Server| {
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": file_uri, "languageId": language, "version": 1,
                   "text": text}}),
        );
    };

    let mut opens = Vec::new();
    let mut findings = 0;
    for _ in 0..OPENS {
        let mut server = Server::start(&folder_path);
        let sent = Instant::now();
        open(&mut server);
        let (at, count, _) = server.published(&file_uri, 1);
        opens.push(at - sent);
        findings = count;
        server.stop();
    }

    let mut server = Server::start(&folder_path);
    open(&mut server);
    server.published(&file_uri, 1);
    let at = keystroke_position(&text);
    let mut keystrokes = Vec::new();
    let mut parts: Vec<Logged> = Vec::new();
    for version in 2..2 + KEYSTROKES as i64 {
        // Type a character, then take it back.
        let (end, new_text) = if version % 2 == 0 {
            (at.clone(), "x")
        } else {
            let mut end = at.clone();
            end["character"] = json!(at["character"].as_u64().expect("character") + 1);
            (end, "")
        };
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": file_uri, "version": version}, "contentChanges": [
                {"range": {"start": at, "end": end}, "text": new_text}]}),
        );
        let (arrived, _, logged) = server.published(&file_uri, version);
        keystrokes.push(arrived - sent);
        parts.push(logged);
        // As a typist pauses: the next keystroke finds the server idle.
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
    let part = |f: fn(&Logged) -> Duration| median(parts.iter().map(f).collect());
    Measured {
        open: median(opens),
        keystroke: median(keystrokes),
        wait: part(|l| l.after_change.saturating_sub(l.job)),
        library: part(|l| l.library),
        publish: part(|l| l.job.saturating_sub(l.library)),
        findings,
    }
}

fn main() {
    let mut specs: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .collect();
    if specs.is_empty() {
        let Some(dir) = std::env::var_os("RAMPART_CORPUS").map(PathBuf::from) else {
            eprintln!(
                "set RAMPART_CORPUS to a folder filled by scripts/fetch-corpus.sh (and big/ by \
                 scripts/bench.sh), or name the specs after `--`"
            );
            return;
        };
        specs = vec![
            dir.join("all/twilio.com__api.json"),
            dir.join("big/github.com__api.github.com.yaml"),
        ];
    }
    println!(
        "{:<32} {:>5} {:>8} {:>7} {:>9} {:>6} {:>7} {:>7} {:>6}",
        "spec", "MB", "findings", "open", "keystroke", "wait", "library", "publish", "rest"
    );
    for spec in specs {
        if !spec.exists() {
            eprintln!("{}: not found, skipped", spec.display());
            continue;
        }
        let size = std::fs::metadata(&spec).map_or(0, |m| m.len()) as f64 / 1e6;
        let m = measure(&spec);
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rest = m.keystroke.saturating_sub(m.wait + m.library + m.publish);
        println!(
            "{:<32} {:>5.2} {:>8} {:>7} {:>9} {:>6} {:>7} {:>7} {:>6}",
            name,
            size,
            m.findings,
            ms(m.open),
            ms(m.keystroke),
            ms(m.wait),
            ms(m.library),
            ms(m.publish),
            ms(rest),
        );
    }
}

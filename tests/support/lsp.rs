//! A `rampart server` child process spoken to as an editor speaks to it: framed JSON-RPC over its
//! standard input and output. Shared by the server tests and the latency benchmark.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use serde_json::{Value, json};

pub struct Connection {
    pub child: Child,
    stdin: ChildStdin,
    /// Each message with the time its last byte was read (before it was parsed).
    pub messages: Receiver<(Instant, Value)>,
}

impl Connection {
    /// Starts the server in `folder`; a thread reads its messages as they come.
    pub fn start(folder: &Path) -> Connection {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .arg("server")
            .current_dir(folder)
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
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let at = Instant::now();
                let message: Value = serde_json::from_slice(&body).expect("JSON");
                if tx.send((at, message)).is_err() {
                    return;
                }
            }
        });
        Connection {
            child,
            stdin,
            messages: rx,
        }
    }

    pub fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }
}

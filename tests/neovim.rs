//! `rampart server` under a real editor: Neovim's built-in LSP client, run headless by
//! `tests/neovim/client.lua`, on a specification split over two folders.
//!
//! Needs `nvim` (0.7 or later) on the `PATH`. Without it the test fails, unless
//! `RAMPART_NO_NEOVIM` says why it could not be installed (CI sets it when the install fails).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const ROOT: &str = r#"openapi: 3.0.3
info:
  title: t
  version: "1"
security:
  - key: []
paths:
  /login:
    get:
      parameters:
        - name: password
          in: query
          schema:
            type: string
            maxLength: 10
        - name: page
          in: query
          schema:
            $ref: "../shared/schemas.yaml#/Page"
      responses:
        "200":
          description: ok
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-API-Key
"#;

const FRAGMENT: &str = "# Shared schemas.\nPage:\n  type: string\n";

/// Rules that say something about nearly every small document, left out as a team would.
const CONFIG: &str = "rules:\n  servers-missing: off\n  error-401-missing: off\n  error-403-missing: off\n  error-500-missing: off\n  error-validation-missing: off\n  string-unrestricted: off\n  rate-limit-429-missing: off\n  rate-limit-headers-missing: off\n";

fn nvim_version() -> Option<String> {
    let out = Command::new("nvim").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_string)
}

#[test]
fn neovim_shows_the_findings_of_a_document_and_its_fragment() {
    let Some(version) = nvim_version() else {
        match std::env::var("RAMPART_NO_NEOVIM") {
            Ok(why) => {
                eprintln!("skipped: no nvim on the PATH ({why})");
                return;
            }
            Err(_) => panic!(
                "nvim is not on the PATH: install Neovim (Debian: apt-get install neovim), or set \
                 RAMPART_NO_NEOVIM to the reason it cannot be"
            ),
        }
    };
    eprintln!("{version}");
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let api = root.join("api").join("openapi.yaml");
    let fragment = root.join("shared").join("schemas.yaml");
    for (path, text) in [
        (&api, ROOT),
        (&fragment, FRAGMENT),
        (&root.join(".rampart.yaml"), CONFIG),
    ] {
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(path, text).expect("write");
    }
    let out = root.join("received.json");
    let received = run_neovim(&root, &[&api, &fragment], &out);
    assert_eq!(received.get("error"), None, "{received}");
    assert_eq!(received["complete"], Value::Bool(true), "{received}");
    assert_eq!(received["exit_code"], 0, "{received}");
    let files = &received["files"];
    let summary = |path: &Path| -> Vec<(String, u64, u64)> {
        files[path.to_string_lossy().as_ref()]
            .as_array()
            .unwrap_or_else(|| panic!("no diagnostics for {}: {received}", path.display()))
            .iter()
            .map(|d| {
                assert_eq!(d["source"], "rampart", "{d}");
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["lnum"].as_u64().expect("lnum"),
                    d["col"].as_u64().expect("col"),
                )
            })
            .collect()
    };
    assert_eq!(
        summary(&api),
        [("credentials-in-url".to_string(), 10, 16)],
        "{received}"
    );
    assert_eq!(
        summary(&fragment),
        [("string-unbounded".to_string(), 1, 0)],
        "{received}"
    );
}

/// Runs Neovim headless with the client script on `files`; what it received.
fn run_neovim(root: &Path, files: &[&Path], out: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/neovim/client.lua");
    let list: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let mut child = Command::new("nvim")
        .args([
            "--headless",
            "--clean",
            "-n",
            "-i",
            "NONE",
            "-u",
            "NONE",
            "--noplugin",
        ])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(root)
        .env("RAMPART_BIN", env!("CARGO_BIN_EXE_rampart"))
        .env("RAMPART_ROOT", root)
        .env("RAMPART_FILES", list.join("\n"))
        .env("RAMPART_OUT", out)
        .env("RAMPART_TIMEOUT_MS", "20000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start nvim");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("nvim did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(out).expect("nvim wrote what it received");
    serde_json::from_str(&text).expect("JSON")
}

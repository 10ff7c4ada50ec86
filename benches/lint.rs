//! Parse-only versus full lint on the largest real specs, median of several runs.
//!
//! ```sh
//! scripts/bench.sh            # fetches the corpus into target/corpus if needed, then runs this
//! RAMPART_CORPUS=DIR cargo bench --bench lint
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rampart::source::{self, Limits, Syntax};
use rampart::{LintRequest, lint};

const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let Some(dir) = std::env::var_os("RAMPART_CORPUS").map(PathBuf::from) else {
        eprintln!(
            "set RAMPART_CORPUS to a folder filled by ../shared/corpus/fetch.sh (or run scripts/bench.sh)"
        );
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("big"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    println!(
        "{:<44} {:>9} {:>10} {:>10} {:>7} {:>9}",
        "spec", "MB", "parse", "lint", "ratio", "findings"
    );
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text: Arc<str> = Arc::from(text);
        let syntax = Syntax::guess(&name, &text);
        let parse = median(
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    let parsed = source::parse(text.clone(), syntax, &Limits::default());
                    std::hint::black_box(&parsed);
                    t.elapsed()
                })
                .collect(),
        );
        let request = LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            ..Default::default()
        };
        let mut findings = 0;
        let full = median(
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    let report = lint(&request);
                    findings = report.diagnostics.len();
                    t.elapsed()
                })
                .collect(),
        );
        println!(
            "{:<44} {:>9.1} {:>9.1}ms {:>9.1}ms {:>6.1}x {:>9}",
            name,
            text.len() as f64 / 1e6,
            parse.as_secs_f64() * 1e3,
            full.as_secs_f64() * 1e3,
            full.as_secs_f64() / parse.as_secs_f64(),
            findings
        );
    }
}

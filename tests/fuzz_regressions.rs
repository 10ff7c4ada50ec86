//! Inputs of the fuzz targets (`fuzz/`), replayed through the same code as the target:
//! `testdata/fuzz/<target>/*`, a few `seed-*` inputs and every input that once made a target fail. A failure is any panic, even one the linter or the human renderer
//! catches and turns into an `internal-error` finding or a one-line fallback.
//!
//! `lint_structured` inputs are kept as the files their grammar wrote (what `cargo fuzz fmt` prints:
//! each file led by a `#### <name>` line), since the raw bytes only mean something to the grammar.

#[path = "../fuzz/src/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic, caught or not, then reports it as usual.
fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The files of a `lint_structured` input: `#### <name>` lines, each followed by the file's text.
fn split_files(text: &str) -> Vec<(&str, &str)> {
    let mut files = Vec::new();
    let mut rest = text;
    while let Some(header) = rest.strip_prefix("#### ") {
        let (name, body) = header.split_once('\n').unwrap_or((header, ""));
        let end = body.find("\n#### ").map_or(body.len(), |i| i + 1);
        files.push((name.trim(), &body[..end]));
        rest = &body[end..];
    }
    files
}

fn run(target: &str, bytes: &[u8]) {
    match target {
        "load_json" => harness::load("doc.json", bytes),
        "load_yaml" => harness::load("doc.yaml", bytes),
        "render" => harness::render(bytes),
        "yaml_regions" => harness::yaml_regions(bytes),
        "lint_structured" => {
            let text = String::from_utf8_lossy(bytes);
            let files = split_files(&text);
            assert!(!files.is_empty(), "no `#### <name>` file header");
            harness::lint_document(&files);
        }
        _ => unreachable!("unknown target {target}"),
    }
}

#[test]
fn committed_inputs_run_clean() {
    count_panics();
    let mut failures = Vec::new();
    let mut replayed = 0;
    for target in [
        "load_json",
        "load_yaml",
        "lint_structured",
        "render",
        "yaml_regions",
    ] {
        for path in inputs(target) {
            let bytes = std::fs::read(&path).expect("read a committed input");
            let before = PANICS.load(Ordering::SeqCst);
            let finished = catch_unwind(AssertUnwindSafe(|| run(target, &bytes))).is_ok();
            if !finished || PANICS.load(Ordering::SeqCst) != before {
                failures.push(path.display().to_string());
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no committed inputs under testdata/fuzz");
    assert!(failures.is_empty(), "these inputs fail: {failures:#?}");
}

#[test]
fn structured_inputs_split_into_their_files() {
    let text = "#### openapi.yaml\nopenapi: 3.0.3\n#### common.yaml\nschemas: {}\n";
    assert_eq!(
        split_files(text),
        [
            ("openapi.yaml", "openapi: 3.0.3\n"),
            ("common.yaml", "schemas: {}\n")
        ]
    );
}

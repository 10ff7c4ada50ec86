//! Real-world OpenAPI 3.1: every 3.1 spec of the APIs.guru corpus lints without a structural or
//! parse diagnostic, and without a panic.
//!
//! Opt-in, as the corpus is not in the repository. Fetch it with `../shared/corpus/fetch.sh DIR`
//! (specs land in `DIR/all/*.json`), then either
//!
//! ```text
//! RAMPART_CORPUS=DIR cargo test --test corpus_v31 -- --nocapture
//! cargo test --test corpus_v31 -- --ignored --nocapture      # with RAMPART_CORPUS set as well
//! ```

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rampart::LintRequest;

/// Diagnostics that say a valid document was misread.
const MISREAD: &[&str] = &["structure", "parse-error", "not-openapi"];

/// Real mistakes in corpus specs, checked by hand: (spec file name, JSON pointer, why it is right).
const KNOWN_INVALID: &[(&str, &str, &str)] = &[(
    "codat.io__accounting.json",
    "/components/schemas/Item/definitions/itemType/type",
    "the schema's `type` is a mapping (its `properties` wrapper is missing)",
)];

/// The corpus folder named by `RAMPART_CORPUS` (the folder `fetch.sh` filled, or its `all/`).
fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("RAMPART_CORPUS")?);
    let all = dir.join("all");
    Some(if all.is_dir() { all } else { dir })
}

/// The `openapi` version a JSON or YAML spec declares, read from its text without parsing it.
fn declared_version(text: &str) -> Option<&str> {
    for key in ["\"openapi\"", "\nopenapi:"] {
        let Some(at) = text.find(key) else { continue };
        let rest = text[at + key.len()..].trim_start();
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        let rest = rest.trim_start_matches(['"', '\'']);
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))?;
        return Some(&rest[..end]);
    }
    None
}

/// Every spec of the folder that declares OpenAPI 3.1, sorted.
fn specs_3_1(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .filter(|p| {
            std::fs::read_to_string(p)
                .ok()
                .is_some_and(|t| declared_version(&t).is_some_and(|v| v.starts_with("3.1")))
        })
        .collect();
    out.sort();
    out
}

fn lint_corpus(dir: &Path) {
    let specs = specs_3_1(dir);
    assert!(
        !specs.is_empty(),
        "no OpenAPI 3.1 spec in {} (fetch the corpus with ../shared/corpus/fetch.sh DIR)",
        dir.display()
    );
    let mut problems = Vec::new();
    let mut findings = 0;
    for spec in &specs {
        let request = LintRequest {
            paths: vec![spec.to_string_lossy().into_owned()],
            ..Default::default()
        };
        match catch_unwind(AssertUnwindSafe(|| rampart::lint(&request))) {
            Err(_) => problems.push(format!("{}: rampart panicked", spec.display())),
            Ok(report) => {
                let linted_as_3_1 = report
                    .files
                    .iter()
                    .any(|f| f.root && f.version.as_deref().is_some_and(|v| v.starts_with("3.1")));
                if !linted_as_3_1 {
                    problems.push(format!("{}: not linted as OpenAPI 3.1", spec.display()));
                }
                for d in &report.diagnostics {
                    let known = KNOWN_INVALID.iter().any(|(file, pointer, _)| {
                        d.location.path.ends_with(file) && *d.location.pointer == **pointer
                    });
                    if MISREAD.contains(&d.rule) && !known {
                        problems.push(format!(
                            "{}:{}: [{}] {}",
                            d.location.path, d.location.start.line, d.rule, d.message
                        ));
                    }
                }
                findings += report.diagnostics.len();
            }
        }
    }
    println!(
        "linted {} OpenAPI 3.1 specs from {}: {findings} findings, {} problems",
        specs.len(),
        dir.display(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Runs with `cargo test -- --ignored`; needs `RAMPART_CORPUS`.
#[test]
#[ignore = "needs the real-world corpus: set RAMPART_CORPUS=<dir filled by ../shared/corpus/fetch.sh>"]
fn corpus_3_1_specs_lint_without_structural_errors() {
    let dir = corpus_dir().expect(
        "set RAMPART_CORPUS to the folder filled by ../shared/corpus/fetch.sh (or its all/)",
    );
    lint_corpus(&dir);
}

/// Runs in every `cargo test` when `RAMPART_CORPUS` is set; does nothing otherwise.
#[test]
fn corpus_3_1_specs_lint_without_structural_errors_when_the_corpus_is_set() {
    if let Some(dir) = corpus_dir() {
        lint_corpus(&dir);
    }
}

#[test]
fn the_declared_version_is_read_from_json_and_yaml() {
    assert_eq!(
        declared_version("{\n  \"openapi\": \"3.1.0\",\n  \"info\": {}}"),
        Some("3.1.0")
    );
    assert_eq!(
        declared_version("info: {}\nopenapi: 3.1.1\n"),
        Some("3.1.1")
    );
    assert_eq!(declared_version("{\"swagger\": \"2.0\"}"), None);
}

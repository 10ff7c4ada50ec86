//! The security score on two fixtures, checked by hand against the formula in `src/score.rs`.

use std::process::Command;

use rampart::LintRequest;

/// The rules whose findings the hand computation below counts (more rules would move it).
const RULES: &[&str] = &[
    "error-schema-leaks-internals",
    "error-schema-missing",
    "rate-limit-429-missing",
    "rate-limit-headers-missing",
    "retry-after-missing",
    "security-scheme-missing",
    "security-scheme-undefined",
    "string-unbounded",
];

fn score(path: &str) -> rampart::score::Score {
    let rules: Vec<&dyn rampart::engine::Rule> = RULES
        .iter()
        .map(|id| rampart::rules::find(id).expect("a rule"))
        .collect();
    let report = rampart::lint_with(
        &LintRequest {
            paths: vec![path.to_string()],
            ..LintRequest::default()
        },
        &rules,
    );
    assert_eq!(report.scores.len(), 1);
    report.scores[0].clone()
}

#[test]
fn the_demo_and_the_clean_petstore_score_as_computed_by_hand() {
    // Demo: 2 operations, 2 schemas, size 2.4. Two API2 errors (2 × 10 × 1.5 = 30), one API8 error
    // (12), four API4 warnings (12), one API8 warning (3.6); `ref-unresolved` is an input problem
    // and does not count: penalty 57.6, 100 × e^(−57.6 / 24) = 9.07.
    let demo = score("testdata/demo/petstore.yaml");
    assert_eq!((demo.operations, demo.schemas), (2, 2));
    assert!((demo.penalty - 57.6).abs() < 1e-9, "{}", demo.penalty);
    assert_eq!(demo.score, 9);
    assert_eq!(demo.top[0], ("security-scheme-missing", 15.0));
    // The clean petstore has no finding: 100.
    assert_eq!(score("testdata/clean/petstore-secure.yaml").score, 100);
}

#[test]
fn min_score_fails_the_run_below_it() {
    let run = |min: &str| {
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args([
                "lint",
                "testdata/demo/petstore.yaml",
                "--fail-on",
                "never",
                "--min-score",
                min,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("runs")
    };
    // The demo scores well below 40 with every rule; 40 fails, 0 passes.
    assert_eq!(run("40").status.code(), Some(1));
    assert_eq!(run("0").status.code(), Some(0));
    let clean = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "lint",
            "testdata/clean/petstore-secure.yaml",
            "--fail-on",
            "never",
            "--min-score",
            "1",
            "--score",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert_eq!(clean.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&clean.stdout)
            .contains("/100  testdata/clean/petstore-secure.yaml")
    );
}

#[test]
fn max_warnings_fails_the_run_past_it() {
    let run = |max: &str| {
        Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args([
                "lint",
                "testdata/demo/petstore.yaml",
                "--fail-on",
                "never",
                "--max-warnings",
                max,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("runs")
            .status
            .code()
    };
    // The demo has a handful of warnings: none allowed fails, a thousand passes.
    assert_eq!(run("0"), Some(1));
    assert_eq!(run("1000"), Some(0));
}

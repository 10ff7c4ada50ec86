//! The authentication and authorization rules over real-world specs (opt-in: needs the corpus,
//! which is never committed). Lints `$RAMPART_CORPUS/all` with those rules alone, all enabled,
//! prints findings and affected specs per rule, and writes the JSON report to `$RAMPART_AUTH_OUT`
//! when it is set.
//!
//! ```sh
//! RAMPART_CORPUS=/path/to/corpus RAMPART_AUTH_OUT=/tmp/auth.json \
//!     cargo test --release --test auth_corpus -- --ignored --nocapture
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rampart::engine::{Policy, Preset, Rule};
use rampart::output::{self, RenderOptions};
use rampart::{LintRequest, lint_with};

/// The rules of this sweep.
const RULES: &[&str] = &[
    "api-key-in-url",
    "authorization-header-parameter",
    "credentials-in-url",
    "http-basic-auth",
    "insecure-auth-scheme",
    "jwt-best-practices",
    "numeric-id",
    "oauth-implicit-flow",
    "oauth-insecure-url",
    "oauth-password-flow",
    "oauth-scope-undefined",
    "refresh-url-missing",
    "scope-overprivileged",
    "security-empty-requirement",
    "security-explicitly-public",
];

#[test]
#[ignore = "needs RAMPART_CORPUS (see ../shared/corpus/fetch.sh)"]
fn auth_rules_over_the_corpus() {
    let Some(dir) = std::env::var_os("RAMPART_CORPUS").map(PathBuf::from) else {
        eprintln!("RAMPART_CORPUS is not set; nothing to sweep");
        return;
    };
    let rules: Vec<&'static dyn Rule> = RULES
        .iter()
        .filter_map(|id| rampart::rules::find(id))
        .collect();
    let report = lint_with(
        &LintRequest {
            paths: vec![dir.join("all").to_string_lossy().into_owned()],
            policy: Policy {
                preset: Preset::All,
                ..Policy::default()
            },
            ..Default::default()
        },
        &rules,
    );
    let mut by_rule: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for d in &report.diagnostics {
        let e = by_rule.entry(d.rule).or_default();
        e.0 += 1;
        e.1.insert(&d.location.path);
    }
    eprintln!("{} documents in {:.2?}", report.documents(), report.elapsed);
    eprintln!("{:<32} {:>9} {:>6}", "rule", "findings", "specs");
    for (rule, (n, specs)) in &by_rule {
        eprintln!("{rule:<32} {n:>9} {:>6}", specs.len());
    }
    if let Some(out) = std::env::var_os("RAMPART_AUTH_OUT") {
        let mut file = std::fs::File::create(out).expect("the output file can be created");
        output::json::render(&report, &mut file, &RenderOptions::default())
            .expect("the report is written");
    }
}

//! Sweep over real-world specs (opt-in: needs the corpus, which is never committed).
//!
//! ```sh
//! ../shared/corpus/fetch.sh /tmp/corpus
//! RAMPART_CORPUS=/tmp/corpus cargo test --release --test corpus -- --ignored --nocapture
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rampart::{LintRequest, lint};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("RAMPART_CORPUS")?);
    dir.join("all").is_dir().then_some(dir)
}

#[test]
#[ignore = "needs RAMPART_CORPUS (see ../shared/corpus/fetch.sh)"]
fn every_real_spec_lints_without_panics_or_parse_errors() {
    let Some(dir) = corpus() else {
        eprintln!("RAMPART_CORPUS is not set; nothing to sweep");
        return;
    };
    let report = lint(&LintRequest {
        paths: vec![dir.join("all").to_string_lossy().into_owned()],
        ..Default::default()
    });
    // Per rule: findings and specs affected, written as a Markdown table (the precision record).
    let mut by_rule: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for d in &report.diagnostics {
        let entry = by_rule.entry(d.rule).or_default();
        entry.0 += 1;
        entry.1.insert(&d.location.path);
    }
    let mut table = format!(
        "{} documents in {:.2?}\n\n| rule | findings | specs |\n| --- | ---: | ---: |\n",
        report.documents(),
        report.elapsed
    );
    for (rule, (n, specs)) in &by_rule {
        table.push_str(&format!("| `{rule}` | {n} | {} |\n", specs.len()));
    }
    eprintln!("{table}");
    let out = std::env::var_os("RAMPART_CORPUS_TABLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("rampart-corpus-rules.md"));
    std::fs::write(&out, &table).expect("the table is written");
    eprintln!("table written to {}", out.display());
    assert!(report.documents() > 0);

    // Azure writes each resource's fields behind a property named `properties`: the `$ref` there
    // is followed, so the password of SAP monitor is reported.
    let azure = "/components/schemas/SapMonitorProperties/properties/hanaDbPassword";
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "string-unbounded"
                && d.location.path.ends_with("azure.com__hanaonazure.json")
                && &*d.location.pointer == azure),
        "string-unbounded at {azure} of azure.com__hanaonazure.json"
    );
    // Structure findings are printed, not failed: real specs have real mistakes (a schema whose
    // `type` is a mapping, say). Specs that do not parse would be a parser bug.
    for d in report.diagnostics.iter().filter(|d| d.rule == "structure") {
        eprintln!(
            "structure: {}:{} {} ({})",
            d.location.path, d.location.start.line, d.message, d.location.pointer
        );
    }
    let broken: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| matches!(d.rule, "parse-error" | "io-error"))
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.location.path, d.location.start.line, d.message
            )
        })
        .collect();
    assert!(
        broken.is_empty(),
        "{} problems with valid specs:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
#[ignore = "needs RAMPART_CORPUS (see ../shared/corpus/fetch.sh)"]
fn the_largest_specs_lint_in_json_and_yaml_alike() {
    let Some(dir) = corpus() else {
        eprintln!("RAMPART_CORPUS is not set; nothing to sweep");
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir.join("big"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    let mut counts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for path in names {
        let report = lint(&LintRequest {
            paths: vec![path.to_string_lossy().into_owned()],
            ..Default::default()
        });
        eprintln!(
            "{:>7} findings in {:>8.2?}  {}",
            report.diagnostics.len(),
            report.elapsed,
            path.display()
        );
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        counts
            .entry(stem)
            .or_default()
            .push(report.diagnostics.len());
    }
    for (stem, n) in counts {
        assert!(
            n.windows(2).all(|w| w[0] == w[1]),
            "{stem}: JSON and YAML forms differ: {n:?}"
        );
    }
}

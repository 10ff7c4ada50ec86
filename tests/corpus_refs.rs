//! Real specs whose properties are named like schema keywords (opt-in: needs the corpus, which is
//! never committed).
//!
//! ```sh
//! RAMPART_CORPUS=/path/to/corpus cargo test --release --test corpus_refs -- --ignored
//! ```

use std::path::PathBuf;

use rampart::{LintRequest, lint};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("RAMPART_CORPUS")?);
    dir.join("all").is_dir().then_some(dir)
}

#[test]
#[ignore = "needs RAMPART_CORPUS (see ../shared/corpus/fetch.sh)"]
fn azure_resource_properties_behind_a_property_named_properties_are_linted() {
    let Some(dir) = corpus() else {
        eprintln!("RAMPART_CORPUS is not set; nothing to check");
        return;
    };
    let path = dir.join("all/azure.com__hanaonazure.json");
    let report = lint(&LintRequest {
        paths: vec![path.to_string_lossy().into_owned()],
        ..Default::default()
    });
    let pointers: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "string-unbounded")
        .map(|d| d.location.pointer.as_str())
        .collect();
    assert!(
        pointers.contains(&"/components/schemas/SapMonitorProperties/properties/hanaDbPassword"),
        "{pointers:#?}"
    );
}

//! The whole pipeline on OpenAPI documents built from a small grammar of the specification's objects
//! (`rampart_fuzz::grammar`), written as YAML or JSON, linted and rendered in every format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_fuzz::grammar::Input;

fuzz_target!(|input: Input| {
    let files = input.files();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    rampart_fuzz::harness::lint_document(&files);
});

//! Arbitrary bytes as a `.yaml` file: parsed, loaded, linted and rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rampart_fuzz::harness::load("doc.yaml", data));

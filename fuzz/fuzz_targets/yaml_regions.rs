//! Arbitrary bytes as a YAML text, parsed in regions cut at every line that can start one: the
//! tree and problems must be those of one stream, or the text is parsed as one stream.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rampart_fuzz::harness::yaml_regions(data));

//! Every renderer on a report decoded from arbitrary bytes: spans out of range or inside a character,
//! control characters, huge line and column numbers, empty texts, unknown files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| rampart_fuzz::harness::render(data));

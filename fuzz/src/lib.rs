//! Fuzz targets for rampart (run them with `cargo +nightly fuzz run <target>`, see the README).

pub mod grammar;
pub mod harness;

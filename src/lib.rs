//! rampart: a static security linter for OpenAPI documents.

pub mod source;

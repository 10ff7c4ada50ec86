//! The built-in checks: problems with the input itself (it cannot be read, parsed, resolved) and
//! with its shape. They are reported through the same sink as rule findings, have pages under
//! `rules/` like rules, and are listed by `rampart rules`.

use super::RuleMeta;
use crate::diagnostic::Severity;

macro_rules! builtin {
    ($name:ident, $id:literal, $severity:expr, $summary:literal) => {
        pub static $name: RuleMeta = RuleMeta {
            id: $id,
            aliases: &[],
            summary: $summary,
            severity: $severity,
            default_enabled: true,
            owasp: None,
            docs: include_str!(concat!("../../rules/", $id, ".md")),
        };
    };
}

builtin!(
    DUPLICATE_KEY,
    "duplicate-key",
    Severity::Error,
    "a mapping key is written twice"
);
builtin!(
    INPUT_LIMIT,
    "input-limit",
    Severity::Error,
    "a file is larger or deeper than rampart reads"
);
builtin!(
    INTERNAL_ERROR,
    "internal-error",
    Severity::Error,
    "rampart failed on this document; the rest of the run is reported"
);
builtin!(
    IO_ERROR,
    "io-error",
    Severity::Error,
    "a file cannot be read"
);
builtin!(
    NOT_OPENAPI,
    "not-openapi",
    Severity::Error,
    "a file named explicitly is not an OpenAPI document, or has an unsupported version"
);
builtin!(
    PARSE_ERROR,
    "parse-error",
    Severity::Error,
    "the YAML or JSON does not parse"
);
builtin!(
    REF_CYCLE,
    "ref-cycle",
    Severity::Error,
    "a chain of `$ref`s never reaches a definition"
);
builtin!(
    REF_OUTSIDE_ROOT,
    "ref-outside-root",
    Severity::Error,
    "a `$ref` leaves the linted folders"
);
builtin!(
    REF_REMOTE,
    "ref-remote",
    Severity::Warning,
    "a `$ref` names a remote URL, which is never fetched"
);
builtin!(
    REF_UNRESOLVED,
    "ref-unresolved",
    Severity::Error,
    "a `$ref` points to a missing file or definition"
);
builtin!(
    UNUSED_SUPPRESSION,
    "unused-suppression",
    Severity::Info,
    "an inline suppression silences nothing"
);
builtin!(
    STRUCTURE,
    "structure",
    Severity::Error,
    "a node has the wrong shape; the rest is still linted"
);

/// Every built-in check, sorted by id.
pub static ALL: &[&RuleMeta] = &[
    &DUPLICATE_KEY,
    &INPUT_LIMIT,
    &INTERNAL_ERROR,
    &IO_ERROR,
    &NOT_OPENAPI,
    &PARSE_ERROR,
    &REF_CYCLE,
    &REF_OUTSIDE_ROOT,
    &REF_REMOTE,
    &REF_UNRESOLVED,
    &STRUCTURE,
    &UNUSED_SUPPRESSION,
];

/// Ids of the checks that mean an input could not be used at all: they make the run exit with 2.
pub static INPUT_ERRORS: &[&str] = &[
    "io-error",
    "parse-error",
    "not-openapi",
    "input-limit",
    "internal-error",
];

/// The built-in check with this id.
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    ALL.iter().copied().find(|m| m.id == id)
}

//! The registry: every rule, one file each, listed once in `ALL` (sorted by id).

mod additional_properties_open;
mod additional_properties_unbounded;
mod array_unbounded;
mod error_schema_leaks_internals;
mod error_schema_missing;
mod integer_format;
mod integer_unbounded;
mod rate_limit_429_missing;
mod rate_limit_headers_missing;
mod request_limits;
mod response_exposes_secret;
mod retry_after_missing;
mod security_scheme_missing;
mod security_scheme_undefined;
mod string_unbounded;
mod string_unrestricted;

use crate::engine::Rule;

pub static ALL: &[&dyn Rule] = &[
    &additional_properties_open::AdditionalPropertiesOpen,
    &additional_properties_unbounded::AdditionalPropertiesUnbounded,
    &array_unbounded::ArrayUnbounded,
    &error_schema_leaks_internals::ErrorSchemaLeaksInternals,
    &error_schema_missing::ErrorSchemaMissing,
    &integer_format::IntegerFormat,
    &integer_unbounded::IntegerUnbounded,
    &rate_limit_429_missing::RateLimit429Missing,
    &rate_limit_headers_missing::RateLimitHeadersMissing,
    &response_exposes_secret::ResponseExposesSecret,
    &retry_after_missing::RetryAfterMissing,
    &security_scheme_missing::SecuritySchemeMissing,
    &security_scheme_undefined::SecuritySchemeUndefined,
    &string_unbounded::StringUnbounded,
    &string_unrestricted::StringUnrestricted,
];

/// The rule with this id or alias.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.meta().id == id || r.meta().aliases.contains(&id))
}

/// The metadata of the rule or built-in check with this id (or a rule's alias).
pub fn find_meta(id: &str) -> Option<&'static crate::engine::RuleMeta> {
    find(id)
        .map(|r| r.meta())
        .or_else(|| crate::engine::builtin::find(id))
}

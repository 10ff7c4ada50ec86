//! The registry: every rule, one file each, listed once in `ALL` (sorted by id).

mod cors_wildcard;
mod error_401_missing;
mod error_403_missing;
mod error_500_missing;
mod error_schema_leaks_internals;
mod error_schema_missing;
mod error_validation_missing;
mod missing_response;
mod rate_limit_429_missing;
mod rate_limit_headers_missing;
mod retry_after_missing;
mod security_scheme_missing;
mod security_scheme_undefined;
mod server_http;
mod server_variable_unrestricted;
mod servers_missing;
mod string_unbounded;

use crate::engine::Rule;

pub static ALL: &[&dyn Rule] = &[
    &cors_wildcard::CorsWildcard,
    &error_401_missing::Error401Missing,
    &error_403_missing::Error403Missing,
    &error_500_missing::Error500Missing,
    &error_schema_leaks_internals::ErrorSchemaLeaksInternals,
    &error_schema_missing::ErrorSchemaMissing,
    &error_validation_missing::ErrorValidationMissing,
    &rate_limit_429_missing::RateLimit429Missing,
    &rate_limit_headers_missing::RateLimitHeadersMissing,
    &retry_after_missing::RetryAfterMissing,
    &security_scheme_missing::SecuritySchemeMissing,
    &security_scheme_undefined::SecuritySchemeUndefined,
    &server_http::ServerHttp,
    &server_variable_unrestricted::ServerVariableUnrestricted,
    &servers_missing::ServersMissing,
    &string_unbounded::StringUnbounded,
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

//! The registry: every rule, one file each, listed once in `ALL` (sorted by id).

mod additional_properties_open;
mod additional_properties_unbounded;
mod admin_security_shared;
mod api_key_in_url;
mod array_unbounded;
mod authorization_header_parameter;
mod common;
mod cors_wildcard;
mod credentials_in_url;
mod deprecated_without_sunset;
mod error_401_missing;
mod error_403_missing;
mod error_500_missing;
mod error_schema_leaks_internals;
mod error_schema_missing;
mod error_validation_missing;
mod file_upload_unbounded;
mod http_basic_auth;
mod insecure_auth_scheme;
mod integer_format;
mod integer_unbounded;
mod jwt_best_practices;
mod mass_assignment_readonly;
mod numeric_id;
mod oauth_implicit_flow;
mod oauth_insecure_url;
mod oauth_password_flow;
mod oauth_scope_undefined;
mod pagination_unbounded;
mod rate_limit_429_missing;
mod rate_limit_headers_missing;
mod refresh_url_missing;
mod response_exposes_secret;
mod retry_after_missing;
mod scope_overprivileged;
mod security_empty_requirement;
mod security_explicitly_public;
mod security_scheme_missing;
mod security_scheme_undefined;
mod sensitive_data_in_get;
mod server_environment;
mod server_example_host;
mod server_http;
mod server_inventory;
mod server_variable_unrestricted;
mod servers_missing;
mod string_unbounded;
mod string_unrestricted;
mod unsafe_markdown;
mod url_parameter;

use crate::engine::Rule;

pub static ALL: &[&dyn Rule] = &[
    &additional_properties_open::AdditionalPropertiesOpen,
    &additional_properties_unbounded::AdditionalPropertiesUnbounded,
    &admin_security_shared::AdminSecurityShared,
    &api_key_in_url::ApiKeyInUrl,
    &array_unbounded::ArrayUnbounded,
    &authorization_header_parameter::AuthorizationHeaderParameter,
    &cors_wildcard::CorsWildcard,
    &credentials_in_url::CredentialsInUrl,
    &deprecated_without_sunset::DeprecatedWithoutSunset,
    &error_401_missing::Error401Missing,
    &error_403_missing::Error403Missing,
    &error_500_missing::Error500Missing,
    &error_schema_leaks_internals::ErrorSchemaLeaksInternals,
    &error_schema_missing::ErrorSchemaMissing,
    &error_validation_missing::ErrorValidationMissing,
    &file_upload_unbounded::FileUploadUnbounded,
    &http_basic_auth::HttpBasicAuth,
    &insecure_auth_scheme::InsecureAuthScheme,
    &integer_format::IntegerFormat,
    &integer_unbounded::IntegerUnbounded,
    &jwt_best_practices::JwtBestPractices,
    &mass_assignment_readonly::MassAssignmentReadonly,
    &numeric_id::NumericId,
    &oauth_implicit_flow::OAuthImplicitFlow,
    &oauth_insecure_url::OAuthInsecureUrl,
    &oauth_password_flow::OAuthPasswordFlow,
    &oauth_scope_undefined::OAuthScopeUndefined,
    &pagination_unbounded::PaginationUnbounded,
    &rate_limit_429_missing::RateLimit429Missing,
    &rate_limit_headers_missing::RateLimitHeadersMissing,
    &refresh_url_missing::RefreshUrlMissing,
    &response_exposes_secret::ResponseExposesSecret,
    &retry_after_missing::RetryAfterMissing,
    &scope_overprivileged::ScopeOverprivileged,
    &security_empty_requirement::SecurityEmptyRequirement,
    &security_explicitly_public::SecurityExplicitlyPublic,
    &security_scheme_missing::SecuritySchemeMissing,
    &security_scheme_undefined::SecuritySchemeUndefined,
    &sensitive_data_in_get::SensitiveDataInGet,
    &server_environment::ServerEnvironment,
    &server_example_host::ServerExampleHost,
    &server_http::ServerHttp,
    &server_inventory::ServerInventory,
    &server_variable_unrestricted::ServerVariableUnrestricted,
    &servers_missing::ServersMissing,
    &string_unbounded::StringUnbounded,
    &string_unrestricted::StringUnrestricted,
    &unsafe_markdown::UnsafeMarkdown,
    &url_parameter::UrlParameter,
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

/// The options the rule with this id takes (none for built-in checks).
pub fn options_of(id: &str) -> &'static [crate::engine::OptionSpec] {
    find(id).map_or(&[], |r| r.options())
}

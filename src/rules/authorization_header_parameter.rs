use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ParamLocation, Parameter};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};

use super::credentials_in_url::subject;

#[doc = include_str!("../../rules/authorization-header-parameter.md")]
pub struct AuthorizationHeaderParameter;

static META: RuleMeta = RuleMeta {
    id: "authorization-header-parameter",
    aliases: &[],
    summary: "an operation declares `Authorization` as a header parameter instead of a security scheme",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/authorization-header-parameter.md"),
};

impl Rule for AuthorizationHeaderParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_parameter(&self, param: &Parameter<'_>, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if param.location() != ParamLocation::Header
            || !param
                .name()
                .is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
        {
            return;
        }
        let (what, related) = subject(param, op);
        cx.report(
            Finding::new(
                param.name_node().unwrap_or(param.node),
                format!("{what} describes authentication as a parameter rather than a security scheme"),
                "define a security scheme (an HTTP `bearer` or `basic` scheme, OAuth 2...), require it with `security`, and remove the parameter",
            )
            .related(related),
        );
    }
}

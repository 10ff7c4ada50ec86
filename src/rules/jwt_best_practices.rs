use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{SchemeKind, SecurityScheme};
use crate::engine::{Context, Finding, Rule, RuleMeta};

#[doc = include_str!("../../rules/jwt-best-practices.md")]
pub struct JwtBestPractices;

static META: RuleMeta = RuleMeta {
    id: "jwt-best-practices",
    aliases: &[
        "owasp:api2:2023-jwt-best-practices",
        "owasp:api2:2019-jwt-best-practices",
        "owasp-jwt-best-practices",
    ],
    summary: "a JWT, OAuth 2 or OpenID Connect scheme does not say that its tokens follow RFC 8725",
    severity: Severity::Warning,
    default_enabled: false,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/jwt-best-practices.md"),
};

/// True when the text names RFC 8725 (`RFC 8725`, `RFC8725`, `rfc-8725`, or its URL).
fn cites_rfc_8725(text: &str) -> bool {
    let squashed: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '\u{a0}'))
        .flat_map(char::to_lowercase)
        .collect();
    squashed.contains("rfc8725")
}

impl Rule for JwtBestPractices {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_security_scheme(
        &self,
        name: &str,
        key: NodeRef,
        scheme: &SecurityScheme<'_>,
        cx: &mut Context<'_>,
    ) {
        let what = match scheme.kind() {
            SchemeKind::Http { scheme: Some(s) }
                if s.eq_ignore_ascii_case("bearer")
                    && scheme
                        .bearer_format()
                        .is_some_and(|f| f.eq_ignore_ascii_case("jwt")) =>
            {
                "takes JWT bearer tokens"
            }
            SchemeKind::OAuth2 => "issues OAuth 2 access tokens, which are often JWTs",
            SchemeKind::OpenIdConnect => "issues OpenID Connect ID tokens, which are JWTs",
            _ => return,
        };
        if scheme.description().is_some_and(cites_rfc_8725) {
            return;
        }
        cx.report(Finding::new(
            key,
            format!(
                "security scheme `{name}` {what}, but its description does not say that they follow RFC 8725 (JSON Web Token Best Current Practices)"
            ),
            "validate tokens as RFC 8725 requires (a fixed list of algorithms, never `none`; check `iss`, `aud` and `exp`) and say so in the scheme's `description`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::cites_rfc_8725;

    #[test]
    fn the_rfc_is_recognised_however_it_is_written() {
        assert!(cites_rfc_8725("Tokens follow RFC 8725."));
        assert!(cites_rfc_8725("see rfc8725"));
        assert!(cites_rfc_8725("https://www.rfc-editor.org/rfc/rfc8725"));
        assert!(cites_rfc_8725("RFC-8725"));
        assert!(!cites_rfc_8725("RFC 7519"));
    }
}

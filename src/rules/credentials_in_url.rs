use smallvec::SmallVec;

use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ParamLocation, Parameter, Types};
use crate::document::{NodeRef, describe};
use crate::engine::{
    Context, Finding, Label, OperationInfo, OptionKind, OptionSpec, Rule, RuleMeta,
};
use crate::names::words;

#[doc = include_str!("../../rules/credentials-in-url.md")]
pub struct CredentialsInUrl;

static META: RuleMeta = RuleMeta {
    id: "credentials-in-url",
    aliases: &[
        "owasp:api2:2023-no-credentials-in-url",
        "owasp:api2:2019-no-credentials-in-url",
        "owasp-no-credentials-in-url",
    ],
    summary: "a query or path parameter carries a credential (password, secret, token, API key)",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/credentials-in-url.md"),
};

/// Words that name a credential whatever comes before them.
const CREDENTIALS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "auth",
    "authorization",
    "credential",
    "credentials",
    "sessionid",
];

/// Words before `key` that make it a credential (`api_key`, `secret-key`); other keys (`sort_key`,
/// `idempotency_key`, an object's `key`) are not.
const KEY_KINDS: &[&str] = &[
    "api",
    "secret",
    "private",
    "access",
    "auth",
    "subscription",
    "session",
    "client",
    "master",
];

/// Words before `token` that make it a credential (`access_token`, `X-Auth-Token`, `csrf_token`).
/// A bare `token` is one too. Other tokens are not: positions in a list (`page_token`,
/// `nextToken`, `continuation-token`), idempotency keys (`clientToken`, `CreationToken`), and the
/// ids of objects that some APIs call tokens (`objectToken`, `shipping_rate_token`).
const TOKEN_KINDS: &[&str] = &[
    "access",
    "refresh",
    "id",
    "auth",
    "oauth",
    "bearer",
    "api",
    "session",
    "user",
    "app",
    "security",
    "secret",
    "csrf",
    "xsrf",
    "jwt",
    "login",
    "sso",
    "private",
    "personal",
    "master",
    "admin",
    "service",
    "invitation",
    "invite",
    "activation",
    "reset",
    "verification",
    "confirmation",
    "magic",
];

/// Phrases of a description that say a bare `token` is a cursor or an idempotency key, not a
/// credential.
const NOT_A_CREDENTIAL: &[&str] = &[
    "pagina",
    "next page",
    "page of",
    "next set",
    "continu",
    "cursor",
    "next token",
    "nexttoken",
    "idempoten",
];

/// True when the words `head` (the last one) and `modifiers` (before it) name a credential.
fn names_credential(modifiers: &[&str], head: &str) -> bool {
    let has = |set: &[&str]| modifiers.iter().any(|m| set.contains(m));
    match head {
        "token" => modifiers.is_empty() || has(TOKEN_KINDS),
        "key" => has(KEY_KINDS),
        // A session id on its own (`session_id`); `playSessionId` names some other session.
        "id" => modifiers.len() == 1 && modifiers[0] == "session",
        _ => CREDENTIALS.contains(&head),
    }
}

/// True when a parameter name is a credential: its last word (the thing named) is a credential
/// word. `access_token`, `apiKey`, `client_secret`, `X-Auth-Token`, `session_id` are;
/// `page_token`, `secret_name`, `key_id`, `keyName`, `token_type` are not. A last word glued
/// together (`accesstoken`, `pagetoken`) is read as its parts.
pub fn is_credential(name: &str) -> bool {
    let w = words(name);
    let Some(last) = w.last() else {
        return false;
    };
    let mut modifiers: SmallVec<[&str; 8]> = w.iter().take(w.len() - 1).collect();
    if names_credential(&modifiers, last) {
        return true;
    }
    // `accesstoken`, `apikey`, `sessiontoken`: a known head glued to what qualifies it.
    for head in CREDENTIALS.iter().chain(["key", "id"].iter()) {
        if let Some(prefix) = last.strip_suffix(head)
            && !prefix.is_empty()
        {
            modifiers.push(prefix);
            return names_credential(&modifiers, head);
        }
    }
    false
}

/// True unless the parameter's schema or description shows that its value is not a secret: a
/// value that is not a string (`hasPrivateKey: boolean`, an integer `id_auth`), a session id in the
/// path (`/sessions/{sessionId}` names a resource), or a token its description calls a pagination
/// cursor or an idempotency key.
fn is_secret_value(param: &Parameter<'_>, name: &str) -> bool {
    if let Some(schema) = param.schema() {
        let types = schema.types();
        if !types.is_empty() && !types.contains(Types::STRING) {
            return false;
        }
    }
    let w = words(name);
    let last = w.last().unwrap_or_default();
    if param.location() == ParamLocation::Path && last.ends_with("id") {
        return false;
    }
    if last.ends_with("token") {
        let description = param.description().unwrap_or("").to_lowercase();
        if NOT_A_CREDENTIAL.iter().any(|p| description.contains(p)) {
            return false;
        }
    }
    true
}

/// A bare `key` whose description calls it an API key (`key`: "API key. Your API key identifies
/// your project...", as in many Google APIs); other bare keys name objects.
fn is_described_api_key(param: &Parameter<'_>, name: &str) -> bool {
    words(name).are(&["key"])
        && param
            .description()
            .is_some_and(|d| d.to_lowercase().contains("api key"))
}

/// How a parameter is named in a finding, with the places that use it when it is shared. A
/// parameter written in the operation is named with the operation, a path-level one with its
/// path, and a shared one (reached through `$ref`) by its definition, with the reference as a
/// related location: it is then reported once, where it is defined, whatever uses it.
pub(super) fn subject(
    param: &Parameter<'_>,
    op: &OperationInfo<'_>,
) -> (String, Vec<(NodeRef, Label)>) {
    let set = param.set();
    if param.via_ref() {
        return (
            describe(set, param.node),
            vec![(param.site, Label::ReferencedBy)],
        );
    }
    let own = set
        .parent(param.site)
        .and_then(|list| set.parent(list))
        .is_some_and(|owner| owner == op.op.node);
    if own {
        (format!("{} of {}", param.label(), op.label()), Vec::new())
    } else {
        (describe(set, param.node), Vec::new())
    }
}

impl Rule for CredentialsInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn options(&self) -> &'static [OptionSpec] {
        &[
            OptionSpec {
                name: "credentials",
                kind: OptionKind::Strings,
                doc: "more parameter names that carry a credential in this API (compared case-insensitively)",
            },
            OptionSpec {
                name: "not-credentials",
                kind: OptionKind::Strings,
                doc: "parameter names that are never credentials here: pagination cursors, idempotency keys...",
            },
        ]
    }

    fn check_parameter(&self, param: &Parameter<'_>, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        let part = match param.location() {
            ParamLocation::Query => "the query string",
            ParamLocation::Path => "the URL path",
            _ => return,
        };
        let Some(name) = param.name() else {
            return;
        };
        let same = |n: &&str| n.eq_ignore_ascii_case(name);
        if cx
            .option_strings("not-credentials")
            .unwrap_or_default()
            .iter()
            .any(same)
        {
            return;
        }
        let listed = cx
            .option_strings("credentials")
            .unwrap_or_default()
            .iter()
            .any(same);
        if !listed
            && (!(is_credential(name) || is_described_api_key(param, name))
                || !is_secret_value(param, name))
        {
            return;
        }
        let (what, related) = subject(param, op);
        cx.report(
            Finding::new(
                param.name_node().unwrap_or(param.node),
                format!("{what} carries a credential in {part}, where URLs are logged, cached and leaked in `Referer` headers"),
                "send it in a header (`Authorization`, or an API key header) described by a security scheme, or in the request body",
            )
            .related(related),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_credential;

    #[test]
    fn credentials_are_told_from_their_names_and_from_cursors() {
        for name in [
            "password",
            "new_password",
            "secret",
            "client_secret",
            "clientSecret",
            "api_key",
            "apiKey",
            "apikey",
            "x-api-key",
            "API_KEY",
            "access_token",
            "accessToken",
            "accesstoken",
            "refresh_token",
            "id_token",
            "token",
            "oauth_token",
            "X-Auth-Token",
            "auth",
            "authorization",
            "session_id",
            "sessionId",
            "sessionid",
            "subscription-key",
            "secret_key",
            "password_reset_token",
            "api_token",
        ] {
            assert!(is_credential(name), "{name} is a credential");
        }
        for name in [
            "page_token",
            "pageToken",
            "pagetoken",
            "pagination_token",
            "next_token",
            "NextToken",
            "continuation_token",
            "ContinuationToken",
            "syncToken",
            "cursor",
            "secret_name",
            "secret-name",
            "key_id",
            "keyName",
            "token_type",
            "tokenId",
            "key",
            "sort_key",
            "idempotency_key",
            "keyword",
            "author",
            "authority",
            "id",
            "user_id",
            "passwordPolicy",
            "tokens",
            "startingToken",
            "clientToken",
            "ClientRequestToken",
            "idempotency_token",
            "CreationToken",
            "objectToken",
            "shipping_rate_token",
            "DeviceToken",
            "playSessionId",
            "app_key",
            "",
        ] {
            assert!(!is_credential(name), "{name} is not a credential");
        }
    }
}

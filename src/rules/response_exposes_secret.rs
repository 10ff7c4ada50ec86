use crate::diagnostic::{Owasp, Severity};
use crate::document::describe;
use crate::document::model::{Schema, Types};
use crate::engine::{ContentKey, Context, Finding, Rule, RuleMeta, SchemaUsage, Usage};

#[doc = include_str!("../../rules/response-exposes-secret.md")]
pub struct ResponseExposesSecret;

static META: RuleMeta = RuleMeta {
    id: "response-exposes-secret",
    aliases: &[],
    summary: "a response schema has a property that holds a secret (password, private key, card number)",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api3BrokenObjectPropertyLevelAuthorization),
    docs: include_str!("../../rules/response-exposes-secret.md"),
};

/// The last words of a property name that make it a secret, as they read joined and lower-cased
/// (`client_secret` ends with `secret`, `privateKey` with `private` `key`). `rules/response-exposes-secret.md`
/// lists them.
const SECRET_ENDINGS: &[&[&str]] = &[
    &["password"],
    &["passwd"],
    &["passphrase"],
    &["password", "hash"],
    &["password", "digest"],
    &["secret"],
    &["secret", "key"],
    &["private", "key"],
    &["privatekey"],
    &["api", "key"],
    &["apikey"],
    &["ssn"],
    &["social", "security", "number"],
    &["card", "number"],
    &["cardnumber"],
    &["cvv"],
    &["cvv2"],
    &["cvc"],
    &["card", "verification", "code"],
];

/// The words of a property name: split at `_`, `-`, `.`, spaces and lower-to-upper case changes.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.' | ' ' | '$' | '@') {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// How the last words of [`SECRET_ENDINGS`] end: a name that ends otherwise is no secret.
const LAST_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "hash",
    "digest",
    "secret",
    "key",
    "ssn",
    "number",
    "cvv",
    "cvv2",
    "cvc",
    "code",
];

/// True when the name ends with the words of a secret.
fn secret_name(name: &str) -> bool {
    // Most names are ASCII and end with none of the last words: told without splitting them.
    if name.is_ascii() {
        let tail = name
            .trim_end_matches(['_', '-', '.', ' ', '$', '@'])
            .as_bytes();
        let ends_with = |w: &str| {
            tail.len() >= w.len() && tail[tail.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
        };
        if !LAST_WORDS.iter().any(|w| ends_with(w)) {
            return false;
        }
    }
    let w = words(name);
    SECRET_ENDINGS.iter().any(|end| {
        w.len() >= end.len()
            && w[w.len() - end.len()..]
                .iter()
                .zip(end.iter())
                .all(|(a, b)| a == b)
    })
}

/// True when the property can hold a secret value: a string, or a schema with no type that is not
/// an object or a list. Booleans (`has_password`), numbers, objects (`password: {policy...}`) and
/// lists are not secrets, and neither is a string limited to an `enum` or `const`.
fn holds_text(p: &Schema<'_>) -> bool {
    if p.has_enum() || p.has_const() {
        return false;
    }
    let t = p.types();
    if t.is_empty() {
        return p.properties().is_empty()
            && p.keyword("items").is_none()
            && p.keyword("allOf").is_none()
            && p.keyword("oneOf").is_none()
            && p.keyword("anyOf").is_none();
    }
    t.contains(Types::STRING)
}

/// True when an Azure (AutoRest) extension says the property is never returned: `x-ms-secret: true`,
/// or an `x-ms-mutability` list without `read`.
fn never_read(p: &Schema<'_>) -> bool {
    let set = p.set();
    if p.extension("x-ms-secret")
        .is_some_and(|v| set.tree(v.file).as_bool(v.node) == Some(true))
    {
        return true;
    }
    p.extension("x-ms-mutability")
        .is_some_and(|list| !set.items(list).any(|i| set.str(i) == Some("read")))
}

impl Rule for ResponseExposesSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        // Responses of operations; the bodies of webhooks and callbacks are only `RESPONSE`.
        if !(usage.is_success_response() || usage.is_error_response()) {
            return;
        }
        let set = schema.set();
        for (name, key, prop) in schema.properties() {
            let Some(prop) = prop else { continue };
            if !secret_name(name) || prop.write_only() || never_read(&prop) || !holds_text(&prop) {
                continue;
            }
            let owner = describe(set, schema.node);
            cx.report(
                Finding::new(
                    key,
                    format!("property `{name}` of {owner} is returned in responses and holds a secret"),
                    format!("leave `{name}` out of the response schema, or mark it `writeOnly: true` if clients only send it"),
                )
                .uses(usage.related_for(Usage::RESPONSE))
                .key(ContentKey::Text(name.to_string())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::secret_name;

    #[test]
    fn every_ending_is_known_by_its_last_word() {
        for end in super::SECRET_ENDINGS {
            let last = end.last().expect("an ending has words");
            // `privatekey` and `apikey` end with `key`: the filter reads the name's end.
            assert!(
                super::LAST_WORDS.iter().any(|w| last.ends_with(w)),
                "{last}"
            );
        }
    }

    #[test]
    fn secret_names_by_their_last_words() {
        for n in [
            "password",
            "userPassword",
            "password_hash",
            "client_secret",
            "clientSecret",
            "private_key",
            "privateKey",
            "api_key",
            "apiKey",
            "X-API-Key",
            "ssn",
            "card_number",
            "cardNumber",
            "cvv",
            "secret",
            "webhookSecret",
            "PASSWORD",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "password_required",
            "passwordPolicy",
            "secret_name",
            "api_key_id",
            "apiKeyId",
            "secretArn",
            "card_number_last4",
            "passwordExpiresAt",
            "secretKeyRef",
            "publicKey",
            "keyName",
            "cardholder",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }
}

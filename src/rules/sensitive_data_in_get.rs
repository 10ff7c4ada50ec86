use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ParamLocation, Parameter};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};
use crate::names::words;

use super::credentials_in_url::{is_credential, subject};

#[doc = include_str!("../../rules/sensitive-data-in-get.md")]
pub struct SensitiveDataInGet;

static META: RuleMeta = RuleMeta {
    id: "sensitive-data-in-get",
    aliases: &[],
    summary: "a GET, HEAD or DELETE query parameter is sensitive personal data (SSN, card number, date of birth...)",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/sensitive-data-in-get.md"),
};

/// Sensitive personal data, as the words of a name glued together, and what to call it.
const SENSITIVE: &[(&str, &str)] = &[
    ("ssn", "a social security number"),
    ("socialsecuritynumber", "a social security number"),
    ("socialsecurityno", "a social security number"),
    ("nationalid", "a national identity number"),
    ("nationalidnumber", "a national identity number"),
    ("nationalidentitynumber", "a national identity number"),
    ("taxid", "a tax identification number"),
    ("taxpayerid", "a tax identification number"),
    ("passportnumber", "a passport number"),
    ("passportno", "a passport number"),
    ("driverlicense", "a driving licence number"),
    ("driverslicense", "a driving licence number"),
    ("driverlicensenumber", "a driving licence number"),
    ("driverslicensenumber", "a driving licence number"),
    ("cardnumber", "a payment card number"),
    ("creditcard", "a payment card number"),
    ("creditcardnumber", "a payment card number"),
    ("ccnumber", "a payment card number"),
    ("pan", "a payment card number"),
    ("cvv", "a card security code"),
    ("cvv2", "a card security code"),
    ("cvc", "a card security code"),
    ("cvc2", "a card security code"),
    ("iban", "a bank account number"),
    ("bankaccount", "a bank account number"),
    ("bankaccountnumber", "a bank account number"),
    ("routingnumber", "a bank routing number"),
    ("dateofbirth", "a date of birth"),
    ("dob", "a date of birth"),
    ("birthdate", "a date of birth"),
];

/// Names under which a request identifies a person at login.
const IDENTITIES: &[&str] = &[
    "email",
    "emailaddress",
    "username",
    "login",
    "phone",
    "phonenumber",
];

/// What sensitive personal data the name stands for: the whole name (`ssn`, `card_number`,
/// `dateOfBirth`) or its last words (`customer_ssn`, `user_date_of_birth`).
fn sensitive(name: &str) -> Option<&'static str> {
    let w = words(name);
    (0..w.len()).find_map(|start| {
        let tail = w.joined_from(start);
        SENSITIVE
            .iter()
            .find(|(n, _)| *n == tail)
            .map(|(_, what)| *what)
    })
}

fn is_identity(name: &str) -> bool {
    IDENTITIES.contains(&words(name).joined())
}

fn is_password(name: &str) -> bool {
    is_credential(name) && words(name).last().is_some_and(|l| l.starts_with("pass"))
}

impl Rule for SensitiveDataInGet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_parameter(&self, param: &Parameter<'_>, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if param.location() != ParamLocation::Query
            || !matches!(
                op.method.to_ascii_lowercase().as_str(),
                "get" | "head" | "delete"
            )
        {
            return;
        }
        let Some(name) = param.name() else {
            return;
        };
        let what = match sensitive(name) {
            Some(what) => what.to_string(),
            // An identity beside a password: the pair is a login in the URL. The password is
            // `credentials-in-url`'s; the identity that goes with it is reported here.
            None if is_identity(name)
                && op.op.parameters(&op.item).iter().any(|p| {
                    p.location() == ParamLocation::Query && p.name().is_some_and(is_password)
                }) =>
            {
                "a login identity sent beside a password".to_string()
            }
            None => return,
        };
        let (subject, related) = subject(param, op);
        let method = op.method.to_ascii_uppercase();
        cx.report(
            Finding::new(
                param.name_node().unwrap_or(param.node),
                format!(
                    "{subject} is {what} in the query string of a {method}, where it ends up in server and proxy logs, caches and browser history"
                ),
                "take it in the body of a POST (a search or lookup endpoint), or replace it with an opaque identifier the server maps back",
            )
            .related(related),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{SensitiveDataInGet, sensitive};
    use crate::LintRequest;

    #[test]
    fn sensitive_names_are_told_from_others() {
        for n in [
            "ssn",
            "SSN",
            "customer_ssn",
            "card_number",
            "cardNumber",
            "credit_card_number",
            "date_of_birth",
            "dateOfBirth",
            "dob",
            "iban",
            "passport_number",
            "tax_id",
            "cvv",
        ] {
            assert!(sensitive(n).is_some(), "{n} is sensitive");
        }
        for n in [
            "number",
            "card_id",
            "page",
            "birth_year",
            "account_id",
            "passport_country",
            "pan_id",
            "email",
            "span",
        ] {
            assert!(sensitive(n).is_none(), "{n} is not sensitive");
        }
    }

    #[test]
    fn the_fixture_reports_personal_data_in_get_queries() {
        let report = crate::lint_with(
            &LintRequest {
                paths: vec!["testdata/rules/sensitive-data-in-get.yaml".into()],
                ..Default::default()
            },
            &[&SensitiveDataInGet],
        );
        let found: Vec<(u32, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.as_str()))
            .collect();
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [9, 13, 44, 72], "{found:#?}");
        assert!(
            found[0].1.starts_with(
                "query parameter `ssn` of `GET /customers` is a social security number"
            )
        );
    }
}

use super::common::missing_response::Wanted;
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{Context, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/error-401-missing.md")]
pub struct Error401Missing;

static META: RuleMeta = RuleMeta {
    id: "error-401-missing",
    aliases: &[
        "owasp:api8:2023-define-error-responses-401",
        "owasp:api3:2019-define-error-responses-401",
        "owasp-define-error-responses-401",
    ],
    summary: "a secured operation defines no 401 response",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/error-401-missing.md"),
};

static WANTED: Wanted = Wanted {
    satisfied_by: |c| c == "401",
    applies: super::common::missing_response::secured,
    because: " requires authentication but",
    what: "`401` response",
    so: ", so clients are not told how a missing or invalid credential is answered",
    which: ("secured operation", "secured operations"),
    help: "add a `401` (Unauthorized) response with an error schema, for example once under the shared responses and referenced by each secured operation",
};

impl Rule for Error401Missing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation<'a>(&self, op: &OperationInfo<'a>, cx: &mut Context<'a>) {
        WANTED.check_operation(op, cx);
    }

    fn check_document_end(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        WANTED.check_document_end(doc, cx);
    }
}

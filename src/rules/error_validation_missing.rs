use super::common::missing_response::Wanted;
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{Context, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/error-validation-missing.md")]
pub struct ErrorValidationMissing;

static META: RuleMeta = RuleMeta {
    id: "error-validation-missing",
    aliases: &[
        "owasp:api8:2023-define-error-validation",
        "owasp:api3:2019-define-error-validation",
        "owasp-define-error-validation",
    ],
    summary: "the API does not say how it rejects invalid requests",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/error-validation-missing.md"),
};

static WANTED: Wanted = Wanted {
    satisfied_by: |c| matches!(c, "400" | "422") || c.eq_ignore_ascii_case("4XX"),
    applies: super::common::missing_response::takes_input,
    because: " takes input but",
    what: "`400`, `422` or `4XX` response",
    so: ", so clients are not told how invalid requests are rejected",
    which: ("operation that takes input", "operations that take input"),
    help: "add a `400` (or `422`) response with an error schema, for example once under the shared responses and referenced by each operation",
};

impl Rule for ErrorValidationMissing {
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

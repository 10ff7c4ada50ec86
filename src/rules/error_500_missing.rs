use super::common::missing_response::Wanted;
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{Context, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/error-500-missing.md")]
pub struct Error500Missing;

static META: RuleMeta = RuleMeta {
    id: "error-500-missing",
    aliases: &[
        "owasp:api8:2023-define-error-responses-500",
        "owasp:api3:2019-define-error-responses-500",
        "owasp-define-error-responses-500",
    ],
    summary: "an operation defines no 500, 5XX or default response",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/error-500-missing.md"),
};

static WANTED: Wanted = Wanted {
    satisfied_by: |c| c == "500" || c.eq_ignore_ascii_case("5XX") || c == "default",
    applies: |_| true,
    because: "",
    what: "`500`, `5XX` or `default` response",
    so: ", so clients are not told what an unexpected failure looks like",
    which: ("operation", "operations"),
    help: "add a `500` (or `5XX`, or `default`) response with an error schema that carries no internals, for example once under the shared responses",
};

impl Rule for Error500Missing {
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

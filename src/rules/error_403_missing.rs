use super::common::missing_response::Wanted;
use crate::diagnostic::{Owasp, Severity};
use crate::document::model::Document;
use crate::engine::{Context, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/error-403-missing.md")]
pub struct Error403Missing;

static META: RuleMeta = RuleMeta {
    id: "error-403-missing",
    aliases: &[],
    summary: "a secured operation defines no 403 response",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/error-403-missing.md"),
};

static WANTED: Wanted = Wanted {
    satisfied_by: |c| c == "403",
    applies: super::common::missing_response::secured,
    because: " requires authentication but",
    what: "`403` response",
    so: ", so clients are not told how a request without the needed permission is refused",
    which: ("secured operation", "secured operations"),
    help: "add a `403` (Forbidden) response with an error schema, for example once under the shared responses and referenced by each secured operation",
};

impl Rule for Error403Missing {
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

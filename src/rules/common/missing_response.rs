//! What the `error-*-missing` rules share: an operation that should define a response and does not
//! is held back, and when no operation of the document defines it, one finding says so for the
//! whole API (as `rate-limit-429-missing` does).

use crate::document::model::Document;
use crate::engine::{
    ContentKey, Context, Finding, OperationInfo, walk::OperationKind, whole_document,
};

pub(crate) struct Wanted {
    /// True for a status code (as written) that answers the need.
    pub satisfied_by: fn(&str) -> bool,
    /// True for an operation that needs the response.
    pub applies: fn(&OperationInfo<'_>) -> bool,
    /// Why the operation needs it, after its label: " takes input but".
    pub because: &'static str,
    /// "`401` response".
    pub what: &'static str,
    /// The consequence: ", so clients are not told ...".
    pub so: &'static str,
    /// The operations that need it, in the whole-document message: "operations that take input".
    pub which: (&'static str, &'static str),
    pub help: &'static str,
}

impl Wanted {
    pub fn check_operation<'a>(&self, op: &OperationInfo<'a>, cx: &mut Context<'a>) {
        // Webhooks and callbacks answer the API's own requests; CORS preflights are answered
        // before the operation runs.
        if op.kind != OperationKind::Path || op.method == "options" {
            return;
        }
        if op
            .op
            .responses()
            .iter()
            .any(|(code, _, _)| (self.satisfied_by)(code))
        {
            cx.mark();
            return;
        }
        if !(self.applies)(op) {
            return;
        }
        let at = op.op.responses_node().unwrap_or(op.key);
        let site = op.site();
        let Wanted {
            because,
            what,
            so,
            help,
            ..
        } = *self;
        cx.defer(at, move || {
            Finding::new(
                at,
                format!("{}{because} defines no {what}{so}", site.label()),
                help,
            )
            .on_key()
            .key(ContentKey::None)
        });
    }

    pub fn check_document_end(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let missing = cx.take_deferred();
        if cx.marked() {
            for f in missing {
                cx.report(f.finding());
            }
            return;
        }
        if missing.is_empty() {
            return;
        }
        let n = missing.len();
        let (one, many) = self.which;
        cx.report(whole_document(
            doc,
            format!(
                "no operation of the API defines a {} (none of its {n} {}){}",
                self.what,
                if n == 1 { one } else { many },
                self.so
            ),
            self.help,
            &missing,
        ));
    }
}

/// True when the operation takes parameters or a request body.
pub(crate) fn takes_input(op: &OperationInfo<'_>) -> bool {
    !op.op.parameters(&op.item).is_empty() || op.op.request_body(&op.item).is_some()
}

/// True when the operation's effective security names a scheme.
pub(crate) fn secured(op: &OperationInfo<'_>) -> bool {
    op.security
        .requirements()
        .is_some_and(|r| !r.requires_nothing())
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{EffectiveSecurity, SecurityRequirements};
use crate::engine::walk::OperationKind;
use crate::engine::{Context, Finding, Label, OperationInfo, Rule, RuleMeta};
use crate::source::Kind;

#[doc = include_str!("../../rules/security-empty-requirement.md")]
pub struct SecurityEmptyRequirement;

static META: RuleMeta = RuleMeta {
    id: "security-empty-requirement",
    aliases: &[],
    summary: "a write operation accepts anonymous requests through `{}` beside real security requirements",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/security-empty-requirement.md"),
};

/// The first `{}` alternative of a list that also names a scheme.
fn anonymous_beside_real(reqs: SecurityRequirements<'_>) -> Option<NodeRef> {
    if reqs.requires_nothing() {
        return None;
    }
    let set = reqs.cx.set;
    set.items(reqs.node)
        .find(|&r| set.kind(r) == Kind::Mapping && set.fields(r).next().is_none())
}

impl Rule for SecurityEmptyRequirement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if op.kind != OperationKind::Path || !op.is_write() {
            return;
        }
        let help = "remove `{}` so that a request must satisfy one of the other requirements (or declare the operation public with `security: []` if it must be)";
        match op.security {
            EffectiveSecurity::Declared(reqs) => {
                if let Some(empty) = anonymous_beside_real(reqs) {
                    cx.report(Finding::new(
                        empty,
                        format!(
                            "{} accepts anonymous requests: its `security` lists `{{}}` beside real requirements",
                            op.label()
                        ),
                        help,
                    ));
                }
            }
            EffectiveSecurity::Inherited(reqs) => {
                if let Some(empty) = anonymous_beside_real(reqs) {
                    cx.report(
                        Finding::new(
                            empty,
                            "the document's `security` lists `{}` beside real requirements, so the write operations that inherit it accept anonymous requests",
                            help,
                        )
                        .related([(op.key, Label::Describe)]),
                    );
                }
            }
            EffectiveSecurity::Absent => {}
        }
    }
}

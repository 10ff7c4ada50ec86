use crate::diagnostic::{Owasp, Severity};
use crate::document::model::EffectiveSecurity;
use crate::engine::walk::OperationKind;
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/security-explicitly-public.md")]
pub struct SecurityExplicitlyPublic;

static META: RuleMeta = RuleMeta {
    id: "security-explicitly-public",
    aliases: &[],
    summary: "an operation is declared public with `security: []`",
    severity: Severity::Info,
    default_enabled: false,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/security-explicitly-public.md"),
};

impl Rule for SecurityExplicitlyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if op.kind != OperationKind::Path || op.method == "options" {
            return;
        }
        let EffectiveSecurity::Declared(reqs) = op.security else {
            return;
        };
        if !reqs.requires_nothing() {
            return;
        }
        let written = if reqs.is_empty() {
            "`security: []`".to_string()
        } else {
            format!("`security: [{}]`", vec!["{}"; reqs.len()].join(", "))
        };
        cx.report(
            Finding::new(
                reqs.node,
                format!("{} is public: its {written} lets anyone call it without credentials", op.label()),
                "confirm that it must be public, then record the decision on the operation with `x-rampart-ignore: {security-explicitly-public: <reason>}`; otherwise require a security scheme",
            )
            .on_key(),
        );
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{ComponentKind, Document, SecurityRequirements};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};
use crate::names::{distance, similar};

#[doc = include_str!("../../rules/security-scheme-undefined.md")]
pub struct SecuritySchemeUndefined;

static META: RuleMeta = RuleMeta {
    id: "security-scheme-undefined",
    aliases: &[
        "oas3-operation-security-defined",
        "oas2-operation-security-defined",
    ],
    summary: "a security requirement names a scheme that is not defined",
    severity: Severity::Error,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/security-scheme-undefined.md"),
};

fn check(doc: &Document<'_>, reqs: SecurityRequirements<'_>, whose: &str, cx: &mut Context<'_>) {
    let defined: Vec<&str> = doc
        .security_schemes()
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    let field = doc.components_field(ComponentKind::SecuritySchemes);
    for (name, key) in reqs.schemes() {
        if defined.contains(&name) {
            continue;
        }
        let near = defined
            .iter()
            .filter(|d| similar(d, name))
            .min_by_key(|d| distance(d, name));
        let help = match near {
            Some(n) => format!("did you mean `{n}`? Otherwise define `{name}` under `{field}`"),
            None => format!("define `{name}` under `{field}`, or name a scheme that exists"),
        };
        cx.report(Finding::new(
            key,
            format!("{whose} requires security scheme `{name}`, which is not defined in `{field}`"),
            help,
        ));
    }
}

impl Rule for SecuritySchemeUndefined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if let Some(reqs) = doc.security() {
            check(doc, reqs, "the document", cx);
        }
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if let Some(reqs) = op.op.security() {
            check(&op.doc, reqs, op.label(), cx);
        }
    }
}

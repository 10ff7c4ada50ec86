use std::collections::HashMap;

use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{Document, EffectiveSecurity, SecurityRequirements};
use crate::document::{DocumentSet, NodeRef};
use crate::engine::{Context, Finding, Label, OptionKind, OptionSpec, Rule, RuleMeta};

#[doc = include_str!("../../rules/admin-security-shared.md")]
pub struct AdminSecurityShared;

static META: RuleMeta = RuleMeta {
    id: "admin-security-shared",
    aliases: &[
        "owasp:api5:2023-admin-security-unique",
        "owasp-admin-security-unique",
    ],
    summary: "an admin operation requires exactly the security of a non-admin operation",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api5BrokenFunctionLevelAuthorization),
    docs: include_str!("../../rules/admin-security-shared.md"),
};

/// True when a segment of the path template names an administrative area (`/admin`,
/// `/administration`, `/internal`, `/manage`, `/management`).
#[cfg(test)]
fn is_admin_path(path: &str) -> bool {
    is_admin_path_with(path, &[])
}

/// As [`is_admin_path`], with an organisation's own segment names too.
fn is_admin_path_with(path: &str, own: &[&str]) -> bool {
    const ADMIN: &[&str] = &[
        "admin",
        "admins",
        "administration",
        "administrator",
        "internal",
        "manage",
        "management",
    ];
    path.split('/').any(|seg| {
        own.iter()
            .chain(ADMIN)
            .any(|word| word.eq_ignore_ascii_case(seg))
    })
}

/// The requirement as a comparable value: the set of alternatives, each the sorted
/// `(scheme, sorted scopes)` it names.
type Signature<'a> = Vec<Vec<(&'a str, Vec<&'a str>)>>;

fn signature(reqs: SecurityRequirements<'_>) -> Signature<'_> {
    let set = reqs.cx.set;
    let mut alts: Signature<'_> = set
        .items(reqs.node)
        .map(|r| {
            let mut schemes: Vec<(&str, Vec<&str>)> = set
                .fields(r)
                .map(|(name, _, scopes)| {
                    let mut s: Vec<&str> = set.items(scopes).filter_map(|v| set.str(v)).collect();
                    s.sort_unstable();
                    s.dedup();
                    (name, s)
                })
                .collect();
            schemes.sort();
            schemes
        })
        .collect();
    alts.sort();
    alts.dedup();
    alts
}

/// An operation that requires some security.
struct Op<'a> {
    path: &'a str,
    method: &'a str,
    key: NodeRef,
    node: NodeRef,
    reqs: SecurityRequirements<'a>,
    inherited: bool,
    admin: bool,
}

impl Op<'_> {
    fn label(&self) -> String {
        format!("`{} {}`", self.method.to_ascii_uppercase(), self.path)
    }

    /// The `security` key of the operation when it declares its own, else the operation's key.
    fn at(&self, set: &DocumentSet) -> NodeRef {
        set.get(self.node, "security")
            .and_then(|v| set.key_of(v))
            .unwrap_or(self.key)
    }
}

impl Rule for AdminSecurityShared {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn options(&self) -> &'static [OptionSpec] {
        &[OptionSpec {
            name: "segments",
            kind: OptionKind::Strings,
            doc: "more path segments that mark an administrative area in this API (besides admin, internal, manage...)",
        }]
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let own = cx.option_strings("segments").unwrap_or_default();
        let set = doc.set();
        let mut ops = Vec::new();
        for (path, _, item) in doc.each_path() {
            for (method, key, op) in item.each_operation() {
                let security = EffectiveSecurity::of(doc, &op);
                let Some(reqs) = security.requirements() else {
                    continue;
                };
                if reqs.requires_nothing() {
                    continue;
                }
                ops.push(Op {
                    path,
                    method,
                    key,
                    node: op.node,
                    reqs,
                    inherited: matches!(security, EffectiveSecurity::Inherited(_)),
                    admin: is_admin_path_with(path, &own),
                });
            }
        }
        // Most APIs have no admin path: nothing to compare.
        if !ops.iter().any(|o| o.admin) {
            return;
        }
        let signatures: Vec<Signature<'_>> = ops.iter().map(|o| signature(o.reqs)).collect();
        // The first non-admin operation of each signature.
        let mut plain: HashMap<&Signature<'_>, &Op<'_>> = HashMap::new();
        for (op, sig) in ops.iter().zip(&signatures) {
            if !op.admin {
                plain.entry(sig).or_insert(op);
            }
        }
        for (admin, sig) in ops.iter().zip(&signatures) {
            if !admin.admin {
                continue;
            }
            let Some(other) = plain.get(sig) else {
                continue;
            };
            let whence = if admin.inherited {
                ", which inherits the root `security`,"
            } else {
                ""
            };
            cx.report(
                Finding::new(
                    admin.at(set),
                    format!(
                        "admin operation {}{whence} requires the same security as non-admin operation {}: any client that can call one can call the other",
                        admin.label(),
                        other.label()
                    ),
                    "require a scheme or scope that only administrators hold for admin operations, such as `security: [{oauth2: [admin]}]`",
                )
                .on_key()
                .related([(other.at(set), Label::Describe)]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_admin_path;

    #[test]
    fn admin_paths_are_recognised_by_segment() {
        assert!(is_admin_path("/admin/users"));
        assert!(is_admin_path("/v1/Internal/jobs"));
        assert!(is_admin_path("/manage"));
        assert!(!is_admin_path("/administrators-guide"));
        assert!(!is_admin_path("/users/{admin}"));
        assert!(!is_admin_path("/management-reports"));
    }
}

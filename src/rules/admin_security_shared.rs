use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{Document, EffectiveSecurity, SecurityRequirements};
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
    path.split('/').any(|seg| {
        let s = seg.to_ascii_lowercase();
        own.iter().any(|o| o.eq_ignore_ascii_case(&s))
            || matches!(
                s.as_str(),
                "admin"
                    | "admins"
                    | "administration"
                    | "administrator"
                    | "internal"
                    | "manage"
                    | "management"
            )
    })
}

/// The requirement as a comparable value: the set of alternatives, each the sorted
/// `(scheme, sorted scopes)` it names.
fn signature(reqs: SecurityRequirements<'_>) -> Vec<Vec<(String, Vec<String>)>> {
    let set = reqs.cx.set;
    let mut alts: Vec<Vec<(String, Vec<String>)>> = set
        .items(reqs.node)
        .map(|r| {
            let mut schemes: Vec<(String, Vec<String>)> = set
                .fields(r)
                .map(|(name, _, scopes)| {
                    let mut s: Vec<String> = set
                        .items(scopes)
                        .filter_map(|v| set.str(v).map(str::to_string))
                        .collect();
                    s.sort();
                    s.dedup();
                    (name.to_string(), s)
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

struct Op {
    label: String,
    key: NodeRef,
    /// The `security` key of the operation, when it declares its own.
    security_key: Option<NodeRef>,
    inherited: bool,
    admin: bool,
    signature: Vec<Vec<(String, Vec<String>)>>,
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
        for (path, _, item) in doc.paths() {
            for (method, key, op) in item.operations() {
                let security = EffectiveSecurity::of(doc, &op);
                let Some(reqs) = security.requirements() else {
                    continue;
                };
                // Requiring nothing is reported by the rules on missing security.
                if reqs.requires_nothing() {
                    continue;
                }
                ops.push(Op {
                    label: format!("`{} {path}`", method.to_ascii_uppercase()),
                    key,
                    security_key: set.get(op.node, "security").and_then(|v| set.key_of(v)),
                    inherited: matches!(security, EffectiveSecurity::Inherited(_)),
                    admin: is_admin_path_with(path, &own),
                    signature: signature(reqs),
                });
            }
        }
        for admin in ops.iter().filter(|o| o.admin) {
            let Some(other) = ops
                .iter()
                .find(|o| !o.admin && o.signature == admin.signature)
            else {
                continue;
            };
            let whence = if admin.inherited {
                ", which inherits the root `security`,"
            } else {
                ""
            };
            let at = admin.security_key.unwrap_or(admin.key);
            cx.report(
                Finding::new(
                    at,
                    format!(
                        "admin operation {}{whence} requires the same security as non-admin operation {}: any client that can call one can call the other",
                        admin.label, other.label
                    ),
                    "require a scheme or scope that only administrators hold for admin operations, such as `security: [{oauth2: [admin]}]`",
                )
                .on_key()
                .related([(other.security_key.unwrap_or(other.key), Label::Describe)]),
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

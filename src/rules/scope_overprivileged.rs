use crate::diagnostic::{Owasp, Severity};
use crate::document::NodeRef;
use crate::document::model::{Document, EffectiveSecurity, SchemeKind};
use crate::engine::walk::OperationKind;
use crate::engine::{Context, Finding, Label, OperationInfo, Rule, RuleMeta};
use crate::names::words;
use crate::source::Kind;

#[doc = include_str!("../../rules/scope-overprivileged.md")]
pub struct ScopeOverprivileged;

static META: RuleMeta = RuleMeta {
    id: "scope-overprivileged",
    aliases: &[],
    summary: "a read-only operation demands a write or admin OAuth 2 scope although a read scope exists",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api2BrokenAuthentication),
    docs: include_str!("../../rules/scope-overprivileged.md"),
};

const READ_WORDS: &[&str] = &["read", "readonly", "view"];
const WRITE_WORDS: &[&str] = &["write", "admin", "manage", "delete", "full"];
/// Words that make a scope more than read-only even beside `read` (`read_write`); `admin` is not
/// among them: `admin.directory.user.readonly` is a read scope.
const NOT_READ_ONLY: &[&str] = &["write", "manage", "delete", "full"];

/// `*` as the scope or as a `:`, `.`, `_` or `/`-separated part of it (`items:*`).
fn has_wildcard(scope: &str) -> bool {
    scope.split([':', '.', '_', '/']).any(|p| p == "*")
}

/// A scope that only reads: `read`, `items:read`, `drive.readonly`, `view_reports`.
pub fn is_read_scope(scope: &str) -> bool {
    let w = words(scope);
    let has = |set: &[&str]| w.iter().any(|x| set.contains(&x));
    has(READ_WORDS) && !has(NOT_READ_ONLY) && !has_wildcard(scope)
}

/// A scope named for writing or administration: `write`, `items:write`, `repo:admin`,
/// `manage_users`, `full_access`, `*`, `items:*`, `read_write`.
pub fn is_write_scope(scope: &str) -> bool {
    if is_read_scope(scope) {
        return false;
    }
    has_wildcard(scope) || words(scope).iter().any(|x| WRITE_WORDS.contains(&x))
}

/// The read scopes an OAuth 2 scheme declares (empty for other schemes).
fn read_scopes<'a>(doc: &Document<'a>, scheme: &str) -> Vec<&'a str> {
    let Some(s) = doc.security_scheme(scheme) else {
        return Vec::new();
    };
    if s.kind() != SchemeKind::OAuth2 {
        return Vec::new();
    }
    let mut out: Vec<&str> = s
        .flows()
        .iter()
        .flat_map(|f| f.scopes())
        .map(|(name, _)| name)
        .filter(|name| is_read_scope(name))
        .collect();
    out.dedup();
    out
}

/// In one alternative of a `security` list: the first write scope of a scheme that declares read
/// scopes, with the scheme's name and those read scopes.
fn overprivileged<'a>(
    doc: &Document<'a>,
    alternative: NodeRef,
) -> Option<(NodeRef, &'a str, &'a str, Vec<&'a str>)> {
    let set = doc.set();
    for (scheme, _, scopes) in set.fields(alternative) {
        for item in set.items(scopes) {
            let Some(scope) = set.str(item) else {
                continue;
            };
            if !is_write_scope(scope) {
                continue;
            }
            let mut reads = read_scopes(doc, scheme);
            // The read scopes of the same resource first: `edu.admin.users.readonly` for `edu.admin`.
            let own = words(scope);
            reads.sort_by_key(|r| {
                let shared = words(r)
                    .iter()
                    .zip(own.iter())
                    .take_while(|(a, b)| a == b)
                    .count();
                std::cmp::Reverse(shared)
            });
            if !reads.is_empty() {
                return Some((item, scope, scheme, reads));
            }
        }
    }
    None
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .take(3)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for ScopeOverprivileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if op.kind != OperationKind::Path || !matches!(op.method, "get" | "head") {
            return;
        }
        let Some(reqs) = op.security.requirements() else {
            return;
        };
        let set = cx.set();
        let mut first = None;
        let mut alternatives = 0;
        for alternative in set.items(reqs.node) {
            if set.kind(alternative) != Kind::Mapping {
                return;
            }
            alternatives += 1;
            // An alternative without such a scope (or `{}`) lets a reader in with less.
            let Some(found) = overprivileged(&op.doc, alternative) else {
                return;
            };
            first.get_or_insert(found);
        }
        let Some((at, scope, scheme, reads)) = first else {
            return;
        };
        let every = if alternatives > 1 {
            "every alternative of its security demands"
        } else {
            "its security demands"
        };
        let help = format!(
            "require a read scope ({}) for this operation, so that read-only clients need no write access",
            quoted(&reads)
        );
        let finding = match op.security {
            EffectiveSecurity::Inherited(_) => Finding::new(
                at,
                format!(
                    "the document's `security` demands write or admin scope `{scope}` of `{scheme}` from the read-only operations that inherit it, although `{scheme}` declares read scopes ({})",
                    quoted(&reads)
                ),
                help,
            )
            .related([(op.key, Label::Describe)]),
            _ => Finding::new(
                at,
                format!(
                    "{} only reads, yet {every} a write or admin scope (`{scope}` of `{scheme}`), although `{scheme}` declares read scopes ({})",
                    op.label(),
                    quoted(&reads)
                ),
                help,
            ),
        };
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::{is_read_scope, is_write_scope};

    #[test]
    fn scopes_named_for_reading_and_writing() {
        for s in [
            "read",
            "items:read",
            "read:items",
            "drive.readonly",
            "https://www.googleapis.com/auth/drive.readonly",
            "view_reports",
            "admin.directory.user.readonly",
            "readOnly",
        ] {
            assert!(is_read_scope(s) && !is_write_scope(s), "{s} reads");
        }
        for s in [
            "write",
            "items:write",
            "repo:admin",
            "manage_users",
            "full_access",
            "*",
            "items:*",
            "read_write",
            "delete",
            "admin",
        ] {
            assert!(is_write_scope(s) && !is_read_scope(s), "{s} writes");
        }
        for s in [
            "openid",
            "profile",
            "email",
            "repo",
            "drive",
            "administrator",
            "writer",
        ] {
            assert!(!is_write_scope(s) && !is_read_scope(s), "{s} is neither");
        }
    }
}

use crate::diagnostic::{Owasp, Severity};
use crate::engine::{Context, Finding, OperationInfo, Rule, RuleMeta};

#[doc = include_str!("../../rules/deprecated-without-sunset.md")]
pub struct DeprecatedWithoutSunset;

static META: RuleMeta = RuleMeta {
    id: "deprecated-without-sunset",
    aliases: &[],
    summary: "a deprecated operation says nothing of when it goes away (no Sunset or Deprecation header, no x-sunset)",
    severity: Severity::Info,
    default_enabled: true,
    owasp: Some(Owasp::Api9ImproperInventoryManagement),
    docs: include_str!("../../rules/deprecated-without-sunset.md"),
};

/// Response headers that announce the end of an operation: `Sunset` (RFC 8594) and `Deprecation`
/// (RFC 9745).
const HEADERS: &[&str] = &["Sunset", "Deprecation"];

/// Extensions on the operation that carry the date instead.
const EXTENSIONS: &[&str] = &["x-sunset", "x-sunset-date", "x-deprecation-date"];

impl Rule for DeprecatedWithoutSunset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        if !op.op.deprecated() {
            return;
        }
        if EXTENSIONS.iter().any(|x| op.op.extension(x).is_some()) {
            return;
        }
        let announced = op
            .op
            .responses()
            .iter()
            .any(|(_, _, r)| HEADERS.iter().any(|h| r.has_header(h)));
        if announced {
            return;
        }
        let set = op.op.set();
        let node = set.get(op.op.node, "deprecated").unwrap_or(op.key);
        cx.report(
            Finding::new(
                node,
                format!(
                    "{} is deprecated but says nothing of when it goes away: no `Sunset` or `Deprecation` response header and no `x-sunset` date",
                    op.label()
                ),
                "declare a `Sunset` response header (RFC 8594) or an `x-sunset` date on the operation, and retire it on that date",
            )
            .on_key(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::DeprecatedWithoutSunset;
    use crate::LintRequest;

    fn lint(path: &str) -> Vec<(u32, String)> {
        let report = crate::lint_with(
            &LintRequest {
                paths: vec![path.to_string()],
                ..Default::default()
            },
            &[&DeprecatedWithoutSunset],
        );
        assert_eq!(report.documents(), 1);
        report
            .diagnostics
            .iter()
            .map(|d| (d.location.start.line, d.message.clone()))
            .collect()
    }

    #[test]
    fn the_fixture_reports_deprecated_operations_without_a_date() {
        let found = lint("testdata/rules/deprecated-without-sunset.yaml");
        let lines: Vec<u32> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [8, 44], "{found:#?}");
        assert!(found[0].1.starts_with("`GET /v1/users` is deprecated"));
    }
}

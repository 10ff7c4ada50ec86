//! The rule engine: the `Rule` trait, rule metadata, the one-pass walker and the `Context` rules report through.

use crate::diagnostic::{Owasp, Severity};

/// What the CLI, SARIF and the language server know about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case id, final once published.
    pub id: &'static str,
    /// Other linters' ids for the same check (Spectral OWASP ruleset, vacuum), accepted in config.
    pub aliases: &'static [&'static str],
    /// One line: what the rule finds.
    pub summary: &'static str,
    pub severity: Severity,
    pub owasp: Owasp,
    /// The rule's page (`rules/<id>.md`), Markdown.
    pub docs: &'static str,
}

/// A check. Hooks have empty defaults; a rule implements the ones it needs.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
}

//! What rules report through: the context stamps rule id, severity, category, location, pointer and
//! fingerprint, and merges a finding reported twice at the same place (a shared definition) into one.

use std::collections::HashMap;

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, Related, Severity, fingerprint};
use crate::document::{DocumentSet, NodeRef};

/// One finding as a rule describes it.
pub struct Finding {
    pub at: NodeRef,
    /// Point at the key the node is written under rather than at its value.
    pub on_key: bool,
    pub message: String,
    pub help: String,
    pub related: Vec<(NodeRef, String)>,
    /// Overrides the rule's default severity for this finding.
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(at: NodeRef, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            at,
            on_key: false,
            message: message.into(),
            help: help.into(),
            related: Vec::new(),
            severity: None,
        }
    }

    /// Points at the key the node is written under (a missing field's owner, a property name).
    pub fn on_key(mut self) -> Finding {
        self.on_key = true;
        self
    }

    pub fn related(mut self, related: impl IntoIterator<Item = (NodeRef, String)>) -> Finding {
        self.related.extend(related);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = Some(severity);
        self
    }
}

/// At most this many related locations are kept on one diagnostic.
pub(crate) const MAX_RELATED: usize = 50;

pub struct Context<'a> {
    set: &'a DocumentSet,
    rule: &'static RuleMeta,
    out: Vec<Diagnostic>,
    /// (rule, file, span) → index in `out`.
    seen: HashMap<(&'static str, u32, u32, u32), usize>,
}

impl<'a> Context<'a> {
    pub fn new(set: &'a DocumentSet, rule: &'static RuleMeta) -> Context<'a> {
        Context {
            set,
            rule,
            out: Vec::new(),
            seen: HashMap::new(),
        }
    }

    pub fn set(&self) -> &'a DocumentSet {
        self.set
    }

    pub(crate) fn set_rule(&mut self, rule: &'static RuleMeta) {
        self.rule = rule;
    }

    pub fn report(&mut self, f: Finding) {
        let set = self.set;
        let location = if f.on_key {
            set.key_location(f.at)
        } else {
            set.location(f.at)
        };
        let related = f.related.into_iter().map(|(n, message)| Related {
            location: set.location(n),
            message,
        });
        let key = (
            self.rule.id,
            f.at.file.0,
            location.span.start,
            location.span.end,
        );
        if let Some(&i) = self.seen.get(&key) {
            let d = &mut self.out[i];
            for r in related {
                if d.related.len() < MAX_RELATED && !d.related.contains(&r) {
                    d.related.push(r);
                }
            }
            return;
        }
        let digest = set.content_digest(f.at);
        let fp = fingerprint(&[self.rule.id, &location.path, &location.pointer, &digest]);
        let mut related: Vec<Related> = related.collect();
        related.dedup();
        related.truncate(MAX_RELATED);
        self.seen.insert(key, self.out.len());
        self.out.push(Diagnostic {
            rule: self.rule.id,
            severity: f.severity.unwrap_or(self.rule.severity),
            message: f.message,
            help: Some(f.help).filter(|h| !h.is_empty()),
            location,
            related,
            owasp: Some(self.rule.owasp),
            fingerprint: fp,
        });
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
    }
}

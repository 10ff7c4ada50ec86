//! What rules report through: the context knows which rule is running and hands each finding to
//! the document's [`Sink`], which decides, de-duplicates and materialises it.

use std::borrow::Cow;
use std::collections::HashMap;

use super::sink::{ContentKey, Label, Place, Policy, Raw, Sink};
use super::{RuleMeta, builtin};
use crate::diagnostic::Severity;
use crate::document::{DocumentSet, NodeRef};

/// One finding as a rule describes it.
pub struct Finding {
    pub at: NodeRef,
    /// Point at the key the node is written under rather than at its value.
    pub on_key: bool,
    pub message: String,
    pub help: Cow<'static, str>,
    pub related: Vec<(NodeRef, Label)>,
    /// Related locations the rule left out (it listed only the first few).
    pub related_more: usize,
    /// Overrides the rule's default severity for this finding.
    pub severity: Option<Severity>,
    /// What identifies the offending content in the fingerprint; the node itself by default.
    pub key: Option<ContentKey>,
}

impl Finding {
    pub fn new(
        at: NodeRef,
        message: impl Into<String>,
        help: impl Into<Cow<'static, str>>,
    ) -> Finding {
        Finding {
            at,
            on_key: false,
            message: message.into(),
            help: help.into(),
            related: Vec::new(),
            related_more: 0,
            severity: None,
            key: None,
        }
    }

    /// Points at the key the node is written under (a missing field's owner, a property name).
    pub fn on_key(mut self) -> Finding {
        self.on_key = true;
        self
    }

    pub fn related<L: Into<Label>>(
        mut self,
        related: impl IntoIterator<Item = (NodeRef, L)>,
    ) -> Finding {
        self.related
            .extend(related.into_iter().map(|(n, l)| (n, l.into())));
        self
    }

    /// The places that use a shared schema, with the count of those left out.
    pub fn uses(mut self, sites: super::walk::Sites) -> Finding {
        self.related_more += sites.more;
        self.related(sites.list)
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = Some(severity);
        self
    }

    /// Chooses what identifies the offending content (see [`ContentKey`]).
    pub fn key(mut self, key: ContentKey) -> Finding {
        self.key = Some(key);
        self
    }

    fn into_raw(self, meta: &'static RuleMeta) -> Raw {
        Raw {
            meta,
            place: Place::Node {
                at: self.at,
                on_key: self.on_key,
            },
            message: self.message,
            help: Some(self.help).filter(|h| !h.is_empty()),
            related: self.related,
            related_more: self.related_more,
            severity: self.severity,
            key: self.key.unwrap_or(ContentKey::Node(self.at)),
        }
    }
}

/// A finding a rule holds back (see [`Context::defer`]): where it would point, and how to make
/// it. Most are never made: a rule that finds none of what it asks for in the whole document
/// reports one finding for all of them, which lists the first few by place and counts the rest.
pub struct Pending<'a> {
    pub at: NodeRef,
    make: Box<dyn FnOnce() -> Finding + Send + 'a>,
}

impl Pending<'_> {
    /// Makes the finding, to report it on its own.
    pub fn finding(self) -> Finding {
        (self.make)()
    }
}

/// Findings a rule holds back until it has seen the whole document.
#[derive(Default)]
struct Deferred<'a> {
    findings: Vec<Pending<'a>>,
    marked: bool,
}

pub struct Context<'a> {
    set: &'a DocumentSet,
    policy: &'a Policy,
    rule: &'static RuleMeta,
    sink: Sink<'a>,
    deferred: HashMap<&'static str, Deferred<'a>>,
    /// Set for part of a document walked on another thread: what is reported, deferred and
    /// marked is only recorded, in order, for [`Context::replay`].
    recorded: Option<Vec<Recorded<'a>>>,
}

/// What a recording [`Context`] was told, in order.
pub(crate) enum Recorded<'a> {
    Report(Raw),
    Defer(&'static str, Pending<'a>),
    Mark(&'static str),
}

impl<'a> Context<'a> {
    pub fn new(set: &'a DocumentSet, policy: &'a Policy) -> Context<'a> {
        Context {
            set,
            policy,
            rule: &builtin::STRUCTURE,
            sink: Sink::new(policy),
            deferred: HashMap::new(),
            recorded: None,
        }
    }

    /// A context that only records what it is told (see [`Context::replay`]): for part of a
    /// document walked on another thread.
    pub(crate) fn recording(set: &'a DocumentSet, policy: &'a Policy) -> Context<'a> {
        Context {
            recorded: Some(Vec::new()),
            ..Context::new(set, policy)
        }
    }

    /// How much a recording context has recorded so far.
    pub(crate) fn recorded_len(&self) -> usize {
        self.recorded.as_ref().map_or(0, Vec::len)
    }

    /// What a recording context recorded.
    pub(crate) fn into_recorded(self) -> Vec<Recorded<'a>> {
        self.recorded.unwrap_or_default()
    }

    /// Does what was recorded elsewhere, as if it were told here now: replaying the records of the
    /// parts of a document in the order of a walk on one thread gives the same findings.
    pub(crate) fn replay(&mut self, record: Recorded<'a>) {
        match record {
            Recorded::Report(raw) => self.push(raw),
            Recorded::Defer(rule, f) => self.deferred.entry(rule).or_default().findings.push(f),
            Recorded::Mark(rule) => self.deferred.entry(rule).or_default().marked = true,
        }
    }

    fn push(&mut self, raw: Raw) {
        match &mut self.recorded {
            Some(recorded) => recorded.push(Recorded::Report(raw)),
            None => self.sink.push(raw),
        }
    }

    pub(crate) fn policy(&self) -> &'a Policy {
        self.policy
    }

    pub fn set(&self) -> &'a DocumentSet {
        self.set
    }

    pub(crate) fn set_rule(&mut self, rule: &'static RuleMeta) {
        self.rule = rule;
    }

    /// A list option of the running rule from the configuration, if it is set.
    pub fn option_strings(&self, name: &str) -> Option<Vec<&'a str>> {
        let value = self.policy.options.get(self.rule.id)?.get(name)?;
        Some(
            value
                .as_array()?
                .iter()
                .filter_map(|v| v.as_str())
                .collect(),
        )
    }

    pub fn report(&mut self, f: Finding) {
        let mut raw = f.into_raw(self.rule);
        // Held until the document's end: without the room `format!` left for more.
        raw.message.shrink_to_fit();
        for (_, label) in &mut raw.related {
            if let Label::Text(text) = label {
                text.shrink_to_fit();
            }
        }
        self.push(raw);
    }

    /// Reports a finding of a built-in check (structure problems found on the walk).
    pub(crate) fn report_builtin(&mut self, raw: Raw) {
        self.push(raw);
    }

    /// Holds a finding back until [`Rule::check_document_end`](super::Rule::check_document_end),
    /// where the rule decides whether to report each one or one finding for the whole document.
    /// `at` is where the finding points; `make` makes it, only if it is reported on its own.
    pub fn defer(&mut self, at: NodeRef, make: impl FnOnce() -> Finding + Send + 'a) {
        let rule = self.rule.id;
        let f = Pending {
            at,
            make: Box::new(make),
        };
        match &mut self.recorded {
            Some(recorded) => recorded.push(Recorded::Defer(rule, f)),
            None => self.deferred.entry(rule).or_default().findings.push(f),
        }
    }

    /// Notes that the document does what the rule asks somewhere (so deferred findings are real exceptions).
    pub fn mark(&mut self) {
        let rule = self.rule.id;
        match &mut self.recorded {
            Some(recorded) => recorded.push(Recorded::Mark(rule)),
            None => self.deferred.entry(rule).or_default().marked = true,
        }
    }

    /// True when the running rule called [`Context::mark`] on this document (not known to a
    /// recording context).
    pub fn marked(&self) -> bool {
        self.deferred.get(self.rule.id).is_some_and(|d| d.marked)
    }

    /// The running rule's deferred findings, in the order they were deferred.
    pub fn take_deferred(&mut self) -> Vec<Pending<'a>> {
        self.deferred
            .get_mut(self.rule.id)
            .map(|d| std::mem::take(&mut d.findings))
            .unwrap_or_default()
    }

    pub(crate) fn into_sink(self) -> Sink<'a> {
        self.sink
    }
}

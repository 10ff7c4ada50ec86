//! The finding sink. Every producer (the loader, the structure checks, the rules) reports a raw
//! finding here; the sink, in this order,
//!
//! 1. decides enablement and severity ([`Policy`], the hook for configuration),
//! 2. checks inline suppressions (`x-rampart-ignore` on the node or an ancestor),
//! 3. de-duplicates (one finding per rule and place; related locations are merged),
//! 4. and only then materialises what people and machines read: line and column, the JSON pointer,
//!    the labels of related locations and the fingerprint.
//!
//! Suppression and de-duplication both depend on the place alone, so de-duplicating as findings
//! arrive (which keeps memory flat for a shared definition reported from every use) and checking
//! suppressions once per remaining finding give the same result as the order above.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, Location, Related, Severity, fingerprint};
use crate::document::{DocumentSet, FileId, NodeMap, NodeRef};
use crate::source::{Kind, Span};

/// At most this many related locations are kept on one diagnostic; the rest are counted.
pub const MAX_RELATED: usize = 50;

/// Where a finding is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// A node; `on_key` points at the key it is written under (a missing field's owner, a property name).
    Node { at: NodeRef, on_key: bool },
    /// A byte range of a file (a syntax error), with the node whose pointer it has, if any.
    Span {
        file: FileId,
        span: Span,
        pointer: Option<NodeRef>,
    },
    /// A whole file known only by its path (it could not be read).
    Path(Arc<str>),
}

/// How a related location is labelled; made only for findings that are reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// "referenced by <where the `$ref` is>".
    ReferencedBy,
    /// The node's name ("the `200` response of `GET /pets`").
    Describe,
    Text(String),
}

impl From<String> for Label {
    fn from(text: String) -> Label {
        Label::Text(text)
    }
}

impl From<&str> for Label {
    fn from(text: &str) -> Label {
        Label::Text(text.to_string())
    }
}

/// What identifies the offending content in a fingerprint, chosen narrowly by the producer: the
/// parameter or property, not the whole `responses` map around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentKey {
    /// The node's content (whitespace left out).
    Node(NodeRef),
    /// The key names of a mapping, in order (a `responses` map known by its status codes).
    Keys(NodeRef),
    Text(String),
    /// The rule, file and pointer say it all.
    None,
}

/// A finding as its producer describes it, before the sink decides about it.
#[derive(Clone, Debug)]
pub struct Raw {
    pub meta: &'static RuleMeta,
    pub place: Place,
    pub message: String,
    /// Most helps are the rule's fixed text: borrowed, not copied into every finding.
    pub help: Option<Cow<'static, str>>,
    pub related: Vec<(NodeRef, Label)>,
    /// Related locations left out past [`MAX_RELATED`].
    pub related_more: usize,
    /// Overrides the rule's default severity for this finding (before the policy applies).
    pub severity: Option<Severity>,
    pub key: ContentKey,
}

impl Raw {
    pub fn new(meta: &'static RuleMeta, place: Place, message: impl Into<String>) -> Raw {
        Raw {
            meta,
            place,
            message: message.into(),
            help: None,
            related: Vec::new(),
            related_more: 0,
            severity: None,
            key: ContentKey::None,
        }
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Raw {
        self.help = Some(help.into()).filter(|h| !h.is_empty());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Raw {
        self.severity = Some(severity);
        self
    }

    pub fn key(mut self, key: ContentKey) -> Raw {
        self.key = key;
        self
    }

    fn file(&self) -> Option<FileId> {
        match &self.place {
            Place::Node { at, .. } => Some(at.file),
            Place::Span { file, .. } => Some(*file),
            Place::Path(_) => None,
        }
    }
}

/// A starting point for which rules run and how severe they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Preset {
    /// Every rule not marked off by default, at its default severity.
    #[default]
    Recommended,
    /// As recommended, one step more severe: warnings become errors, infos warnings.
    Strict,
    /// Every rule, at its default severity.
    All,
}

impl Preset {
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Recommended => "recommended",
            Preset::Strict => "strict",
            Preset::All => "all",
        }
    }
}

/// Which checks are enabled, at which severity; the configuration file fills it.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub preset: Preset,
    /// Rule id → severity, or `None` for off. Ids not listed follow the preset.
    pub severities: HashMap<&'static str, Option<Severity>>,
    /// Ignore `x-rampart-ignore` (for audits).
    pub no_inline_ignore: bool,
    /// Rule id → its options from the configuration (checked against the rule's `OptionSpec`s).
    pub options: HashMap<&'static str, HashMap<String, serde_json::Value>>,
}

impl Policy {
    /// The severity a finding is reported at, `None` when its check is off. A severity set for
    /// the rule wins; otherwise the preset decides from the severity the producer proposed.
    pub fn decide(&self, meta: &RuleMeta, proposed: Severity) -> Option<Severity> {
        if let Some(configured) = self.severities.get(meta.id) {
            return *configured;
        }
        match self.preset {
            Preset::All => Some(proposed),
            _ if !meta.default_enabled => None,
            Preset::Recommended => Some(proposed),
            // Built-in checks of the input keep their severity: strictness is about the API.
            Preset::Strict if meta.owasp.is_none() => Some(proposed),
            Preset::Strict => Some(match proposed {
                Severity::Warning | Severity::Error => Severity::Error,
                Severity::Info => Severity::Warning,
                Severity::Hint => Severity::Info,
            }),
        }
    }

    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        self.decide(meta, meta.severity).is_some()
    }
}

/// Collects the raw findings of one document (or of the loader) and turns them into diagnostics.
pub struct Sink<'p> {
    policy: &'p Policy,
    raws: Vec<Raw>,
    at: crate::document::FastMap<(&'static str, Place), usize>,
}

impl<'p> Sink<'p> {
    pub fn new(policy: &'p Policy) -> Sink<'p> {
        Sink {
            policy,
            raws: Vec::new(),
            at: crate::document::FastMap::default(),
        }
    }

    /// Takes a finding: drops it if its check is off, merges it into an earlier one at the same place.
    pub fn push(&mut self, mut raw: Raw) {
        let proposed = raw.severity.unwrap_or(raw.meta.severity);
        let Some(severity) = self.policy.decide(raw.meta, proposed) else {
            return;
        };
        raw.severity = Some(severity);
        let place = (raw.meta.id, raw.place.clone());
        if let Some(&i) = self.at.get(&place) {
            let existing = &mut self.raws[i];
            merge_related(existing, raw.related, raw.related_more);
            return;
        }
        let related = std::mem::take(&mut raw.related);
        let more = raw.related_more;
        raw.related_more = 0;
        merge_related(&mut raw, related, more);
        self.at.insert(place, self.raws.len());
        self.raws.push(raw);
    }

    /// Suppressions, then materialisation; `root` is the project root that fingerprints are relative to.
    /// Many findings are made a share per thread, each share with its own memo, straight into
    /// their place in one vector: a document's findings are never held twice.
    pub fn finish(self, set: &DocumentSet, root: &Path) -> Finished {
        let Sink { policy, raws, at } = self;
        // The places were for de-duplication: freed before the findings are made.
        drop(at);
        let no_inline_ignore = policy.no_inline_ignore;
        let used = Mutex::new(Vec::new());
        let per_task = super::per_task(FINDINGS_PER_TASK);
        let made: Vec<Diagnostic> = if raws.len() <= per_task {
            let mut share = Share::default();
            raws.into_iter()
                .map(|raw| share.make(set, root, no_inline_ignore, raw, &used))
                .collect()
        } else {
            use rayon::prelude::*;
            let mut made = Vec::with_capacity(raws.len());
            raws.into_par_iter()
                .with_min_len(per_task)
                .map_init(Share::default, |share, raw| {
                    share.make(set, root, no_inline_ignore, raw, &used)
                })
                .collect_into_vec(&mut made);
            made
        };
        let mut used = used.into_inner().unwrap_or_else(|e| e.into_inner());
        used.sort_unstable();
        used.dedup();
        // Most documents silence nothing: their findings are handed on as they are.
        let (diagnostics, suppressed) = if made.iter().any(|d| d.suppressed.is_some()) {
            made.into_iter().partition(|d| d.suppressed.is_none())
        } else {
            (made, Vec::new())
        };
        Finished {
            diagnostics,
            suppressed,
            used,
        }
    }
}

/// Findings made by one task of [`Sink::finish`] (at least).
pub(super) const FINDINGS_PER_TASK: usize = 512;

/// What the findings made by one task share: most findings of a rule have the same help (one copy
/// each), and the sites that use a shared definition are listed by many of its findings (named
/// once).
#[derive(Default)]
struct Share {
    helps: crate::document::FastMap<Cow<'static, str>, Arc<str>>,
    last_help: Option<Arc<str>>,
    memo: Memo,
}

impl Share {
    /// Checks the suppressions of a finding and materialises it; a silenced one has its reason
    /// set, and the entry that silenced it goes into `used`.
    fn make(
        &mut self,
        set: &DocumentSet,
        root: &Path,
        no_inline_ignore: bool,
        mut raw: Raw,
        used: &Mutex<Vec<NodeRef>>,
    ) -> Diagnostic {
        let help = raw.help.take().map(|h| {
            // Findings of one rule come together: most have the help of the one before.
            if let Some(last) = self.last_help.as_ref().filter(|l| ***l == *h) {
                return last.clone();
            }
            let shared = match self.helps.get(&*h) {
                Some(shared) => shared.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(&*h);
                    self.helps.insert(h, shared.clone());
                    shared
                }
            };
            self.last_help = Some(shared.clone());
            shared
        });
        let silenced = if no_inline_ignore {
            None
        } else {
            suppression(set, &raw)
        };
        let mut d = materialise(set, root, raw, help, &mut self.memo);
        if let Some((entry, reason)) = silenced {
            used.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
            d.suppressed = Some(reason);
        }
        d
    }
}

/// What a sink hands on: the findings, those an inline suppression silenced (with its reason), and
/// the suppression entries that silenced something.
#[derive(Default)]
pub struct Finished {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: Vec<Diagnostic>,
    pub used: Vec<NodeRef>,
}

fn merge_related(into: &mut Raw, related: Vec<(NodeRef, Label)>, more: usize) {
    into.related_more += more;
    for r in related {
        if into.related.iter().any(|(n, _)| *n == r.0) {
            continue;
        }
        if into.related.len() < MAX_RELATED {
            into.related.push(r);
        } else {
            into.related_more += 1;
        }
    }
}

/// The suppression that silences a finding: on its node or on a mapping that holds it in the same
/// file, an `x-rampart-ignore` (or `x-lint-ignore`) naming its rule — one id, a list of ids, or a map
/// of id to the reason. Returns the entry that names the rule and the reason (empty when none).
fn suppression(set: &DocumentSet, raw: &Raw) -> Option<(NodeRef, String)> {
    let Place::Node { at, .. } = raw.place else {
        return None;
    };
    let mut n = Some(at);
    while let Some(node) = n {
        for &ignore in set.suppressions_on(node) {
            if let Some(found) = naming(set, ignore, raw.meta) {
                return Some(found);
            }
        }
        n = set.parent(node);
    }
    None
}

/// The entry of a suppression value that names `meta` (by id or alias), with its reason.
fn naming(set: &DocumentSet, ignore: NodeRef, meta: &RuleMeta) -> Option<(NodeRef, String)> {
    let is = |text: Option<&str>| text.is_some_and(|t| t == meta.id || meta.aliases.contains(&t));
    match set.kind(ignore) {
        Kind::Str => is(set.str(ignore)).then(|| (ignore, String::new())),
        Kind::Sequence => set
            .items(ignore)
            .find(|&i| is(set.str(i)))
            .map(|i| (i, String::new())),
        Kind::Mapping => set
            .fields(ignore)
            .find(|(k, _, _)| is(Some(k)))
            .map(|(_, k, v)| (k, set.str(v).unwrap_or("").to_string())),
        _ => None,
    }
}

/// The entries of a suppression value: each names one rule.
pub fn suppression_entries(set: &DocumentSet, ignore: NodeRef) -> Vec<(NodeRef, String)> {
    match set.kind(ignore) {
        Kind::Str => vec![(ignore, set.str(ignore).unwrap_or("").to_string())],
        Kind::Sequence => set
            .items(ignore)
            .map(|i| (i, set.str(i).unwrap_or("").to_string()))
            .collect(),
        Kind::Mapping => set
            .fields(ignore)
            .map(|(k, key, _)| (key, k.to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Related sites of one document as they are named and located, each made once and shared.
#[derive(Default)]
struct Memo {
    /// "referenced by" a node.
    referenced: NodeMap<Arc<str>>,
    locations: NodeMap<Location>,
    /// The pointers of the parents of the nodes located so far.
    parents: NodeMap<Arc<str>>,
}

fn materialise(
    set: &DocumentSet,
    root: &Path,
    raw: Raw,
    help: Option<Arc<str>>,
    memo: &mut Memo,
) -> Diagnostic {
    let location = match &raw.place {
        Place::Node { at, on_key: true } => set.key_location_in(*at, &mut memo.parents),
        Place::Node { at, on_key: false } => set.location_in(*at, &mut memo.parents),
        Place::Span {
            file,
            span,
            pointer,
        } => {
            let mut loc = set.span_location(*file, *span);
            if let Some(p) = pointer {
                loc.pointer = set.pointer_in(*p, &mut memo.parents);
            }
            loc
        }
        Place::Path(path) => Location::of_path(path.clone()),
    };
    let relative: Arc<str> = match raw.file() {
        Some(file) => set.file(file).relative.clone(),
        None => crate::document::relative_to(root, Path::new(&*location.path)),
    };
    let key = match &raw.key {
        ContentKey::Node(n) => set.content_digest(*n),
        ContentKey::Keys(n) => {
            let keys: Vec<&str> = set.fields(*n).map(|(k, _, _)| k).collect();
            fingerprint(&keys)
        }
        ContentKey::Text(t) => t.clone(),
        ContentKey::None => String::new(),
    };
    let fp = fingerprint(&[raw.meta.id, &relative, &location.pointer, &key]);
    let related = raw
        .related
        .into_iter()
        .map(|(n, label)| Related {
            location: memo
                .locations
                .entry(n)
                .or_insert_with(|| set.location_in(n, &mut memo.parents))
                .clone(),
            message: match label {
                Label::ReferencedBy => memo
                    .referenced
                    .entry(n)
                    .or_insert_with(|| format!("referenced by {}", set.name(n)).into())
                    .clone(),
                // A key is named as the value it is written over.
                Label::Describe => {
                    let n = set.value_of(n).unwrap_or(n);
                    set.name(n)
                }
                Label::Text(t) => t.into(),
            },
        })
        .collect();
    let mut message = raw.message;
    // Kept until the end of the run: no spare capacity.
    message.shrink_to_fit();
    Diagnostic {
        rule: raw.meta.id,
        severity: raw.severity.unwrap_or(raw.meta.severity),
        message,
        help,
        location,
        related,
        related_more: raw.related_more,
        suppressed: None,
        owasp: raw.meta.owasp,
        fingerprint: fp,
    }
}

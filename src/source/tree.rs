//! The span tree: an arena of nodes where every value and every mapping key carries its byte span.

use std::collections::HashMap;
use std::fmt;

use super::{LoadProblem, MAX_DUPLICATE_KEYS};

/// One bit of 64 for a mapping key, from its length and three of its bytes. A mapping keeps the
/// union of its keys' bits: a key whose bit is not in it is not in the mapping, and is known to be
/// absent without reading any key (most lookups are of keywords a mapping does not have). The
/// multiplier is one that gives the keywords of a leaf schema (`type`, `format`, `maxLength`,
/// `example`, `$ref`, ...) bits none of the keywords that lead to subschemas has, so that a leaf
/// is known to be one from its mask alone.
pub const fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    if b.is_empty() {
        return 1;
    }
    let last = b[b.len() - 1];
    // (`as`: `From` is not callable in a `const fn`.)
    let h = (b.len() as u32)
        ^ ((b[0] as u32) << 8)
        ^ ((b[b.len() / 2] as u32) << 16)
        ^ ((last as u32) << 24);
    1 << (h.wrapping_mul(0x7848_E79F) >> 26)
}

/// Index of a node inside one [`Tree`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NodeId(pub u32);

impl NodeId {
    pub const ROOT: NodeId = NodeId(0);
    const NONE: u32 = u32::MAX;

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range inside one source file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// What a node is. Scalars are typed the way the YAML 1.2 core schema (and JSON) types them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Str,
    Sequence,
    Mapping,
}

impl Kind {
    pub fn is_scalar(self) -> bool {
        !matches!(self, Kind::Sequence | Kind::Mapping)
    }

    /// The word used for this kind in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Int | Kind::Float => "a number",
            Kind::Str => "a string",
            Kind::Sequence => "a list",
            Kind::Mapping => "a mapping",
        }
    }
}

/// Where a scalar's text lives: a slice of the source, or a decoded copy.
#[derive(Clone, Copy, Debug)]
enum Text {
    Source { start: u32, end: u32 },
    Owned(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
    /// Parent node, `None` for the root (the first parent if the node is shared by YAML aliases).
    parent: u32,
    /// For a mapping value: the key node. For a sequence item: its index. For a key: its value node.
    slot: u32,
    /// For a container, its children `kids[a..a + b]`: a sequence's items, a mapping's `key, value`
    /// pairs in source order (a mapping's key mask, see [`key_bit`], in the two slots before them). For a scalar, its text: the source range `a..b`, or `owned[b]` when
    /// `a` is [`Node::OWNED`]. (One pair of fields for both keeps the arena small.)
    a: u32,
    b: u32,
    /// True for a mapping key.
    is_key: bool,
    /// Set once the node has its place (parent slot): a YAML alias re-uses the node elsewhere
    /// without moving it.
    placed: bool,
}

impl Node {
    const OWNED: u32 = u32::MAX;

    fn text(&self) -> Text {
        if self.a == Node::OWNED {
            Text::Owned(self.b)
        } else {
            Text::Source {
                start: self.a,
                end: self.b,
            }
        }
    }
}

/// The parsed form of one file.
pub struct Tree {
    source: std::sync::Arc<str>,
    nodes: Vec<Node>,
    kids: Vec<NodeId>,
    owned: Vec<Box<str>>,
    /// The mappings with a `$ref` entry and the entry's value, in document order; `None` when
    /// some node is not reached from the root the one way its parent says (a YAML alias shares
    /// it, or a repeated key left it out of its mapping), so that only a walk from the root tells
    /// which are.
    ref_holders: Option<Vec<(NodeId, NodeId)>>,
}

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tree({} nodes)", self.nodes.len())
    }
}

impl Tree {
    /// The first difference from another tree of the same text, node by node.
    pub(crate) fn differs_from(&self, other: &Tree) -> Option<String> {
        if self.source != other.source {
            return Some("the texts differ".into());
        }
        if let Some(i) = (0..self.nodes.len().max(other.nodes.len()))
            .find(|&i| self.nodes.get(i) != other.nodes.get(i))
        {
            return Some(format!(
                "node {i}: {:?} against {:?}",
                self.nodes.get(i),
                other.nodes.get(i)
            ));
        }
        if self.kids != other.kids {
            return Some("the children differ".into());
        }
        if self.ref_holders != other.ref_holders {
            return Some("the mappings with a `$ref` differ".into());
        }
        (self.owned != other.owned).then(|| "the decoded texts differ".into())
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn root(&self) -> Option<NodeId> {
        (!self.nodes.is_empty()).then_some(NodeId::ROOT)
    }

    /// The mappings that have a `$ref` entry, with the entry's value, in document order, when
    /// every node is reached from the root through its parent alone (no YAML alias shares one, no
    /// repeated key left one out of its mapping); `None` otherwise.
    pub fn ref_holders(&self) -> Option<&[(NodeId, NodeId)]> {
        self.ref_holders.as_deref()
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn kind(&self, id: NodeId) -> Kind {
        self.nodes[id.index()].kind
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.nodes[id.index()].span
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id.index()].parent;
        (p != NodeId::NONE).then_some(NodeId(p))
    }

    /// For a mapping value, the key it is written under (`None` for keys themselves).
    pub fn key_of(&self, id: NodeId) -> Option<NodeId> {
        let parent = self.parent(id)?;
        (self.kind(parent) == Kind::Mapping && !self.is_key(id))
            .then(|| NodeId(self.nodes[id.index()].slot))
    }

    /// True for a mapping key.
    pub fn is_key(&self, id: NodeId) -> bool {
        self.nodes[id.index()].is_key
    }

    /// The value written under a mapping key.
    pub fn key_value(&self, key: NodeId) -> Option<NodeId> {
        self.is_key(key)
            .then(|| NodeId(self.nodes[key.index()].slot))
    }

    /// For a sequence item, its index.
    pub fn index_in_parent(&self, id: NodeId) -> Option<usize> {
        let parent = self.parent(id)?;
        (self.kind(parent) == Kind::Sequence).then(|| self.nodes[id.index()].slot as usize)
    }

    /// The text of a scalar (for a string, the decoded value; for a number or boolean, as written).
    /// Containers have no text.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        let n = &self.nodes[id.index()];
        if !n.kind.is_scalar() {
            return None;
        }
        Some(match n.text() {
            Text::Source { start, end } => &self.source[start as usize..end as usize],
            Text::Owned(i) => &self.owned[i as usize],
        })
    }

    /// The text of a string scalar, `None` for any other kind.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        if self.kind(id) == Kind::Str {
            self.text(id)
        } else {
            None
        }
    }

    pub fn as_u64(&self, id: NodeId) -> Option<u64> {
        match self.kind(id) {
            Kind::Int => parse_int(self.text(id)?).and_then(|v| u64::try_from(v).ok()),
            Kind::Float => {
                let v = self.as_f64(id)?;
                (v >= 0.0 && v.fract() == 0.0 && v < u64::MAX as f64).then_some(v as u64)
            }
            _ => None,
        }
    }

    pub fn as_f64(&self, id: NodeId) -> Option<f64> {
        match self.kind(id) {
            Kind::Int => parse_int(self.text(id)?).map(|v| v as f64),
            Kind::Float => parse_float(self.text(id)?),
            _ => None,
        }
    }

    pub fn as_bool(&self, id: NodeId) -> Option<bool> {
        if self.kind(id) != Kind::Bool {
            return None;
        }
        Some(matches!(self.text(id)?, "true" | "True" | "TRUE"))
    }

    fn children_raw(&self, id: NodeId) -> &[NodeId] {
        let n = &self.nodes[id.index()];
        &self.kids[n.a as usize..(n.a + n.b) as usize]
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        if self.kind(id) == Kind::Sequence {
            self.children_raw(id)
        } else {
            &[]
        }
    }

    /// The `(key, value)` entries of a mapping in source order (empty for anything else).
    pub fn entries(
        &self,
        id: NodeId,
    ) -> impl ExactSizeIterator<Item = (NodeId, NodeId)> + DoubleEndedIterator + '_ {
        let kids = if self.kind(id) == Kind::Mapping {
            self.children_raw(id)
        } else {
            &[]
        };
        kids.chunks_exact(2).map(|c| (c[0], c[1]))
    }

    /// The `(key text, key node, value node)` entries of a mapping whose keys are scalars.
    pub fn fields(&self, id: NodeId) -> impl Iterator<Item = (&str, NodeId, NodeId)> + '_ {
        self.entries(id)
            .filter_map(|(k, v)| Some((self.text(k)?, k, v)))
    }

    /// The value under `key` in a mapping (the last one if the key is written twice, as in
    /// every other lookup: the earlier entries are not part of the mapping).
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.get_entry(id, key).map(|(_, v)| v)
    }

    /// The union of the [`key_bit`]s of a mapping's keys (0 for any other node): a key whose bit
    /// is not in it is not in the mapping.
    pub fn key_mask(&self, id: NodeId) -> u64 {
        let n = &self.nodes[id.index()];
        if n.kind != Kind::Mapping {
            return 0;
        }
        let at = n.a as usize;
        u64::from(self.kids[at - 2].0) | (u64::from(self.kids[at - 1].0) << 32)
    }

    /// The `(key node, value node)` under `key` in a mapping.
    pub fn get_entry(&self, id: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        // The hottest lookup of every rule, mostly of a keyword the mapping does not have: its
        // key mask says so without reading a key. Then lengths are compared before any text.
        // (Not a mapping: no bit is set.)
        if self.key_mask(id) & key_bit(key) == 0 {
            return None;
        }
        let source = self.source.as_bytes();
        self.entries(id).find(|&(k, _)| {
            let n = &self.nodes[k.index()];
            if !n.kind.is_scalar() {
                return false;
            }
            match n.text() {
                Text::Source { start, end } => {
                    (end - start) as usize == key.len()
                        && &source[start as usize..end as usize] == key.as_bytes()
                }
                Text::Owned(i) => &*self.owned[i as usize] == key,
            }
        })
    }

    /// Follows a JSON pointer (`/a/b/0`, already split off its `#`) from `from`.
    pub fn pointer(&self, from: NodeId, pointer: &str) -> Option<NodeId> {
        let (node, exact) = self.pointer_nearest(from, pointer);
        exact.then_some(node)
    }

    /// Follows a JSON pointer as far as it exists: the node it names, or its nearest existing
    /// ancestor (and `false`) when part of it is missing. Suppressions and baselines use this to
    /// place a finding about something absent.
    pub fn pointer_nearest(&self, from: NodeId, pointer: &str) -> (NodeId, bool) {
        let Some(rest) = pointer.strip_prefix('/') else {
            return (from, pointer.is_empty());
        };
        let mut at = from;
        for raw in rest.split('/') {
            let token = unescape_token(raw);
            let next = match self.kind(at) {
                Kind::Mapping => self.get(at, &token),
                Kind::Sequence => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.items(at).get(i).copied()),
                _ => None,
            };
            match next {
                Some(n) => at = n,
                None => return (at, false),
            }
        }
        (at, true)
    }

    /// The JSON pointer of a node (built from its parents, so only findings pay for it).
    /// The node whose parent a node's pointer is written under: the node's own parent, or for a
    /// key, its member's (a key's pointer is its member's). `None` for the root.
    pub fn pointer_parent(&self, id: NodeId) -> Option<NodeId> {
        self.parent(self.key_value(id).unwrap_or(id))
    }

    /// [`pointer_of`](Self::pointer_of) given the pointer of the node's
    /// [`pointer_parent`](Self::pointer_parent): findings cluster under the same parents, and the
    /// parent's pointer is the longest part of each.
    pub fn pointer_under(&self, id: NodeId, parent_pointer: &str) -> String {
        let at = self.key_value(id).unwrap_or(id);
        let Some(parent) = self.parent(at) else {
            return String::new();
        };
        let slot = self.nodes[at.index()].slot;
        let mut out = String::with_capacity(parent_pointer.len() + 24);
        out.push_str(parent_pointer);
        out.push('/');
        match self.kind(parent) {
            Kind::Mapping => push_escaped_token(&mut out, self.text(NodeId(slot)).unwrap_or("")),
            _ => {
                use std::fmt::Write;
                let _ = write!(out, "{slot}");
            }
        }
        out
    }

    pub fn pointer_of(&self, id: NodeId) -> String {
        // The steps from the node up, each a key (escaped when written) or an index; then the
        // text, made once at its length (a finding's location makes one).
        enum Step<'t> {
            Key(&'t str),
            Index(u32),
        }
        let mut steps: Vec<Step<'_>> = Vec::with_capacity(16);
        // A key's pointer is its member's.
        let mut at = self.key_value(id).unwrap_or(id);
        let mut guard = 0;
        while let Some(parent) = self.parent(at) {
            guard += 1;
            if guard > 100_000 {
                break;
            }
            let slot = self.nodes[at.index()].slot;
            steps.push(match self.kind(parent) {
                Kind::Mapping => Step::Key(self.text(NodeId(slot)).unwrap_or("")),
                _ => Step::Index(slot),
            });
            at = parent;
        }
        let len = steps
            .iter()
            .map(|s| match s {
                Step::Key(k) => 1 + k.len() + k.bytes().filter(|&b| b == b'~' || b == b'/').count(),
                Step::Index(i) => 1 + i.checked_ilog10().unwrap_or(0) as usize + 1,
            })
            .sum();
        let mut out = String::with_capacity(len);
        for step in steps.iter().rev() {
            out.push('/');
            match step {
                Step::Key(k) => push_escaped_token(&mut out, k),
                Step::Index(i) => {
                    use std::fmt::Write;
                    let _ = write!(out, "{i}");
                }
            }
        }
        out
    }
}

pub fn unescape_token(raw: &str) -> std::borrow::Cow<'_, str> {
    let decoded = percent_decode(raw);
    if decoded.contains('~') {
        std::borrow::Cow::Owned(decoded.replace("~1", "/").replace("~0", "~"))
    } else {
        decoded
    }
}

pub fn escape_token(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    push_escaped_token(&mut out, raw);
    out
}

/// Appends `raw` as a JSON pointer token: `~` as `~0`, `/` as `~1`.
fn push_escaped_token(out: &mut String, raw: &str) {
    // Byte by byte: both are ASCII, so every place found is a character boundary (a search for a
    // set of chars decodes each character, several times the cost on tokens this short).
    let mut from = 0;
    for (i, &b) in raw.as_bytes().iter().enumerate() {
        let escaped = match b {
            b'~' => "~0",
            b'/' => "~1",
            _ => continue,
        };
        out.push_str(&raw[from..i]);
        out.push_str(escaped);
        from = i + 1;
    }
    out.push_str(&raw[from..]);
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
pub fn percent_decode(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('%') {
        return std::borrow::Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
            && let Ok(v) = u8::from_str_radix(&raw[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(raw),
    }
}

fn parse_int(text: &str) -> Option<i128> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x") {
        return i128::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i128::from_str_radix(oct, 8).ok();
    }
    t.strip_prefix('+').unwrap_or(t).parse().ok()
}

fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim();
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        _ => t.parse().ok(),
    }
}

/// Builds a [`Tree`] bottom-up from a stream of open/scalar/close calls (used by both parsers).
pub struct Builder {
    source: std::sync::Arc<str>,
    nodes: Vec<Node>,
    kids: Vec<NodeId>,
    owned: Vec<Box<str>>,
    pending: Vec<NodeId>,
    open: Vec<(NodeId, usize)>,
    dups: Duplicates,
    /// The mappings closed with a `$ref` entry, and its value (see [`Tree::ref_holders`]).
    ref_holders: Vec<(NodeId, NodeId)>,
    /// A node was used twice (a YAML alias) or left out of its mapping (a repeated key).
    unplaced: bool,
}

impl Builder {
    pub fn new(source: std::sync::Arc<str>) -> Builder {
        Builder {
            source,
            nodes: Vec::new(),
            kids: Vec::new(),
            owned: Vec::new(),
            pending: Vec::new(),
            open: Vec::new(),
            dups: Duplicates::default(),
            ref_holders: Vec::new(),
            unplaced: false,
        }
    }

    pub fn with_capacity_hint(source: std::sync::Arc<str>) -> Builder {
        let guess = source.len() / 12;
        let mut b = Builder::new(source);
        b.nodes.reserve(guess);
        b.kids.reserve(guess);
        b
    }

    pub fn depth(&self) -> usize {
        self.open.len()
    }

    pub fn current_container(&self) -> Option<NodeId> {
        self.open.last().map(|&(id, _)| id)
    }

    pub fn current_kind(&self) -> Option<Kind> {
        self.current_container()
            .map(|id| self.nodes[id.index()].kind)
    }

    /// How many children the innermost container has so far (counting the one just pushed).
    pub fn pending_in_current(&self) -> usize {
        self.open
            .last()
            .map_or(0, |&(_, base)| self.pending.len() - base)
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn push_node(&mut self, kind: Kind, span: Span, text: Text) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        let parent = self.open.last().map_or(NodeId::NONE, |(p, _)| p.0);
        let (a, b) = match text {
            Text::Source { start, end } => (start, end),
            Text::Owned(i) => (Node::OWNED, i),
        };
        self.nodes.push(Node {
            kind,
            span,
            parent,
            slot: 0,
            a,
            b,
            is_key: false,
            placed: false,
        });
        id
    }

    /// A scalar whose text is the byte range `text_start..text_end` of the source.
    pub fn scalar_slice(
        &mut self,
        kind: Kind,
        span: Span,
        text_start: usize,
        text_end: usize,
    ) -> NodeId {
        let id = self.push_node(
            kind,
            span,
            Text::Source {
                start: text_start as u32,
                end: text_end as u32,
            },
        );
        self.pending.push(id);
        id
    }

    /// A scalar whose text had to be decoded (escapes, folding).
    pub fn scalar_owned(&mut self, kind: Kind, span: Span, text: String) -> NodeId {
        let idx = self.owned.len() as u32;
        self.owned.push(text.into_boxed_str());
        let id = self.push_node(kind, span, Text::Owned(idx));
        self.pending.push(id);
        id
    }

    /// Re-uses an existing node as the next child (YAML aliases: shared, never copied).
    pub fn reuse(&mut self, id: NodeId) {
        self.unplaced = true;
        self.pending.push(id);
    }

    pub fn open(&mut self, kind: Kind, start: usize) -> NodeId {
        let id = self.push_node(
            kind,
            Span::new(start, start),
            Text::Source { start: 0, end: 0 },
        );
        self.pending.push(id);
        let base = self.pending.len();
        self.open.push((id, base));
        id
    }

    /// Closes the innermost container. A key written twice in a mapping keeps only its last entry,
    /// as `JSON.parse`, Python and most YAML libraries do: the earlier entries stay in the arena
    /// (their spans locate the diagnostic) but leave the mapping's entry list, so every lookup and
    /// iteration sees the last value. The duplicates are recorded (see [`Builder::finish`]).
    pub fn close(&mut self, end: usize) {
        let Some((id, base)) = self.open.pop() else {
            return;
        };
        let is_map = self.nodes[id.index()].kind == Kind::Mapping;
        if is_map && (self.pending.len() - base) % 2 == 1 {
            // A key without value cannot be produced by the parsers; drop it defensively.
            self.pending.pop();
            self.unplaced = true;
        }
        for (i, &child) in self.pending[base..].iter().enumerate() {
            // A shared (aliased) node keeps its first parent.
            let owned_here = self.nodes[child.index()].parent == id.0;
            if !owned_here || self.nodes[child.index()].placed {
                continue;
            }
            self.nodes[child.index()].placed = true;
            if is_map {
                if i % 2 == 1 {
                    self.nodes[child.index()].slot = self.pending[base + i - 1].0;
                } else if let Some(&v) = self.pending.get(base + i + 1) {
                    self.nodes[child.index()].slot = v.0;
                    self.nodes[child.index()].is_key = true;
                }
            } else {
                self.nodes[child.index()].slot = i as u32;
            }
        }
        if is_map {
            // The key mask's slots, filled below.
            self.kids.extend([NodeId(0), NodeId(0)]);
        }
        let first = self.kids.len() as u32;
        if is_map {
            let shadowed = self.duplicates(base);
            if shadowed.is_empty() {
                self.kids.extend(self.pending.drain(base..));
            } else {
                self.unplaced = true;
                let entries = self.pending[base..].chunks_exact(2).enumerate();
                let kept = entries.filter(|(i, _)| shadowed.binary_search(i).is_err());
                for (_, pair) in kept {
                    self.kids.extend_from_slice(pair);
                }
                self.pending.truncate(base);
            }
        } else {
            self.kids.extend(self.pending.drain(base..));
        }
        if is_map {
            let mut mask = 0u64;
            let mut holds_ref = None;
            for pair in self.kids[first as usize..].chunks_exact(2) {
                let key = &self.nodes[pair[0].index()];
                if !key.kind.is_scalar() {
                    continue;
                }
                let text = match key.text() {
                    Text::Source { start, end } => &self.source[start as usize..end as usize],
                    Text::Owned(i) => &self.owned[i as usize],
                };
                mask |= key_bit(text);
                if text == "$ref" {
                    holds_ref = Some(pair[1]);
                }
            }
            if let Some(value) = holds_ref {
                self.ref_holders.push((id, value));
            }
            self.kids[first as usize - 2] = NodeId(mask as u32);
            self.kids[first as usize - 1] = NodeId((mask >> 32) as u32);
        }
        let n = &mut self.nodes[id.index()];
        n.a = first;
        n.b = self.kids.len() as u32 - first;
        n.span.end = (end as u32).max(n.span.start);
    }

    /// Finds the keys written more than once among the entries `pending[base..]` of the mapping
    /// being closed, records each repetition with the first occurrence of its key, and returns
    /// the indices (sorted) of the entries a later one overrides.
    fn duplicates(&mut self, base: usize) -> Vec<usize> {
        let keys: Vec<NodeId> = self.pending[base..].iter().step_by(2).copied().collect();
        let mut found = Vec::new();
        let mut shadowed = Vec::new();
        let text = |k: NodeId| -> Option<&str> {
            let node = &self.nodes[k.index()];
            if !node.kind.is_scalar() {
                return None;
            }
            Some(match node.text() {
                Text::Source { start, end } => &self.source[start as usize..end as usize],
                Text::Owned(i) => &self.owned[i as usize],
            })
        };
        if keys.len() <= 16 {
            // Each pair of keys compared once, each key's text looked up once.
            let mut texts: [Option<&str>; 16] = [None; 16];
            for (t, &k) in texts.iter_mut().zip(&keys) {
                *t = text(k);
            }
            let mut later_found = 0u16;
            for (i, &k) in keys.iter().enumerate() {
                let Some(t) = texts[i] else { continue };
                let mut first = None;
                for (j, &earlier) in texts[..i].iter().enumerate() {
                    if earlier == Some(t) {
                        first.get_or_insert(keys[j]);
                        later_found |= 1 << j;
                    }
                }
                if let Some(first) = first {
                    found.push((first, k));
                }
            }
            shadowed.extend((0..keys.len()).filter(|&i| later_found & (1 << i) != 0));
        } else {
            // Key text → (its first key node, the index of its latest entry).
            let mut seen: HashMap<&str, (NodeId, usize)> = HashMap::with_capacity(keys.len());
            for (i, &k) in keys.iter().enumerate() {
                let Some(t) = text(k) else { continue };
                match seen.get_mut(t) {
                    Some((first, latest)) => {
                        found.push((*first, k));
                        shadowed.push(*latest);
                        *latest = i;
                    }
                    None => {
                        seen.insert(t, (k, i));
                    }
                }
            }
            shadowed.sort_unstable();
        }
        for (first, dup) in found {
            self.dups.record(first, dup);
        }
        shadowed
    }

    pub fn finish(self) -> Tree {
        self.finish_with_duplicates().0
    }

    /// The tree, and the duplicate keys found (at most [`MAX_DUPLICATE_KEYS`] one by one).
    pub fn finish_with_duplicates(mut self) -> (Tree, Vec<LoadProblem>) {
        while !self.open.is_empty() {
            let end = self.source.len();
            self.close(end);
        }
        let problems = self.dups.into_problems();
        // Closed innermost first: put in document order.
        self.ref_holders.sort_unstable();
        let tree = Tree {
            source: self.source,
            nodes: self.nodes,
            kids: self.kids,
            owned: self.owned,
            ref_holders: (!self.unplaced).then_some(self.ref_holders),
        };
        (tree, problems)
    }
}

/// The duplicate keys of one file: the first [`MAX_DUPLICATE_KEYS`] one by one, the rest counted
/// (a file of nothing but duplicates must not cost a diagnostic per line).
#[derive(Default)]
struct Duplicates {
    listed: Vec<(NodeId, NodeId)>,
    /// `(first, dup)` of the latest duplicate not listed, and how many were not listed.
    unlisted: Option<(NodeId, NodeId)>,
    unlisted_count: usize,
}

impl Duplicates {
    fn record(&mut self, first: NodeId, dup: NodeId) {
        if self.listed.len() < MAX_DUPLICATE_KEYS {
            self.listed.push((first, dup));
        } else {
            self.unlisted = Some((first, dup));
            self.unlisted_count += 1;
        }
    }

    fn into_problems(self) -> Vec<LoadProblem> {
        let mut out: Vec<LoadProblem> = self
            .listed
            .into_iter()
            .map(|(first, dup)| LoadProblem::DuplicateKey {
                first,
                dup,
                more: 0,
            })
            .collect();
        if let Some((first, dup)) = self.unlisted {
            out.push(LoadProblem::DuplicateKey {
                first,
                dup,
                more: self.unlisted_count - 1,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_stays_small() {
        // Two nodes per `a: 1` entry: the arena is most of the memory of a dense file.
        assert!(std::mem::size_of::<Node>() <= 28);
    }

    #[test]
    fn pointers_escape_their_tokens_and_lead_back() {
        for (raw, escaped) in [
            ("plain", "plain"),
            ("", ""),
            ("/pets/{id}", "~1pets~1{id}"),
            ("a~b/c", "a~0b~1c"),
            ("~/~/", "~0~1~0~1"),
            ("é/~1", "é~1~01"),
        ] {
            assert_eq!(escape_token(raw), escaped);
            assert_eq!(unescape_token(escaped), raw);
        }
        let text = r#"{"paths": {"/pets/{id}": {"get": {"x~y": [1, {"a/b": 2}]}}}}"#;
        let (tree, _) =
            crate::source::json::parse(std::sync::Arc::from(text), &Default::default()).unwrap();
        let root = tree.root().unwrap();
        let list = tree
            .pointer(root, "/paths/~1pets~1{id}/get/x~0y")
            .expect("the escaped pointer names the list");
        let deep = tree.get(tree.items(list)[1], "a/b").unwrap();
        assert_eq!(tree.pointer_of(deep), "/paths/~1pets~1{id}/get/x~0y/1/a~1b");
        assert_eq!(tree.pointer(root, &tree.pointer_of(deep)), Some(deep));
        // Every node, keys included, from its parent's pointer as from scratch.
        for i in 0..tree.nodes.len() {
            let id = NodeId(i as u32);
            let under = match tree.pointer_parent(id) {
                Some(parent) => tree.pointer_under(id, &tree.pointer_of(parent)),
                None => String::new(),
            };
            assert_eq!(under, tree.pointer_of(id), "node {i}");
        }
    }

    #[test]
    fn the_key_mask_never_hides_a_key() {
        // Keys of every length, escaped ones (decoded, owned), and an empty one.
        let keys: Vec<String> = (0..300)
            .map(|i| format!("k{}{}", "x".repeat(i % 17), i))
            .chain([
                "".into(),
                "é\\u00e9".into(),
                "$ref".into(),
                "maxLength".into(),
            ])
            .collect();
        let body: Vec<String> = keys
            .iter()
            .map(|k| format!("\"{k}\": {}", k.len()))
            .collect();
        let text = format!("{{{}}}", body.join(", "));
        let (tree, problems) =
            crate::source::json::parse(std::sync::Arc::from(text), &Default::default()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let root = tree.root().unwrap();
        for k in &keys {
            let decoded = k.replace("\\u00e9", "é");
            assert!(tree.get(root, &decoded).is_some(), "{decoded} not found");
        }
        for absent in ["minLength", "type", "k", "k0x", "x", "é"] {
            assert_eq!(tree.get(root, absent), None, "{absent}");
        }
        // A mapping without keys, and a lookup in something that is not a mapping.
        let (empty, _) = crate::source::json::parse(
            std::sync::Arc::from("{\"a\": {}, \"b\": [1]}"),
            &Default::default(),
        )
        .unwrap();
        let root = empty.root().unwrap();
        let a = empty.get(root, "a").unwrap();
        let b = empty.get(root, "b").unwrap();
        assert_eq!(empty.get(a, "a"), None);
        assert_eq!(empty.get(b, "0"), None);
    }
}

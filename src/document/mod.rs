//! OpenAPI documents: loading files, version detection, `$ref` resolution across files, and the
//! typed views ([`model`]) the rules read.

mod cache;
mod load;
pub mod model;
mod names;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Location, Severity};
use crate::engine::{Place, Raw, RuleMeta};
use crate::source::{Kind, LineIndex, NodeId, Span, Tree};

pub use cache::{ParseCache, Parsed};
pub(crate) use load::io_problem;
pub(crate) use load::read_again;
pub use load::{Loading, boundary, load, load_with};
pub use names::describe;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A node anywhere in the document set.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct NodeRef {
    pub file: FileId,
    pub node: NodeId,
}

/// A hasher for keys made of node addresses and names the program chooses (rule ids): small
/// integers need no SipHash. Not for keys an input document chooses (its key names), which could
/// be picked to collide.
#[derive(Default, Clone, Copy)]
pub struct NodeHasher(u64);

impl std::hash::Hasher for NodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.write_u64(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(last));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by node address.
pub type NodeMap<V> = HashMap<NodeRef, V, std::hash::BuildHasherDefault<NodeHasher>>;

/// A map whose keys are node addresses with other small values (see [`NodeHasher`]).
pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<NodeHasher>>;

/// The OpenAPI versions rampart reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Version {
    /// Swagger 2.0.
    V2,
    /// OpenAPI 3.0.x.
    V30,
    /// OpenAPI 3.1.x.
    V31,
}

impl Version {
    pub fn is_v2(self) -> bool {
        self == Version::V2
    }
}

/// One file read by the run.
pub struct SourceFile {
    /// As shown to people: relative paths stay relative.
    pub path: Arc<str>,
    /// Canonical path on disk (or the overlay key).
    pub abs: Arc<Path>,
    /// The path relative to the project root, with `/` separators (for fingerprints and SARIF).
    pub relative: Arc<str>,
    pub text: Arc<str>,
    /// Shared with the parse cache: a file that several documents reach is parsed once.
    pub lines: Arc<LineIndex>,
    /// `None` when the file could not be parsed.
    pub tree: Option<Arc<Tree>>,
    /// Linted as an OpenAPI document in its own right.
    pub root: bool,
    /// The version of the document (for fragments: of the first document that references them).
    pub version: Option<Version>,
    /// The version as written (`3.0.3`, `2.0`), for roots.
    pub version_text: Option<String>,
}

/// Every file of the run and every `$ref` between them, resolved.
pub struct DocumentSet {
    pub files: Vec<SourceFile>,
    /// Files that `$ref`s name but that could not be read.
    pub unreadable: Vec<Arc<Path>>,
    /// For each mapping holding a `$ref`: its final target (through chains), `None` if broken.
    refs: NodeMap<Option<NodeRef>>,
    /// For each definition, the `$ref` mappings that point at it (built on first use: only the
    /// naming of findings needs it).
    referrers: std::sync::OnceLock<NodeMap<Vec<NodeRef>>>,
    /// For each shared response, how many `$ref`s use it (built on first use).
    response_uses: std::sync::OnceLock<NodeMap<usize>>,
    /// Mappings that carry inline suppressions, with their values (built on first use).
    ignores: std::sync::OnceLock<NodeMap<Vec<NodeRef>>>,
    /// The names of nodes made so far (see [`DocumentSet::name`]).
    names: std::sync::Mutex<NodeMap<Arc<str>>>,
    /// For each document root, how many operations its `paths` hold (counted on first use).
    operations: std::sync::Mutex<NodeMap<usize>>,
}

impl DocumentSet {
    /// A set of no files (for problems that have no file to be placed in).
    pub fn empty() -> DocumentSet {
        DocumentSet {
            files: Vec::new(),
            unreadable: Vec::new(),
            refs: NodeMap::default(),
            referrers: std::sync::OnceLock::new(),
            response_uses: std::sync::OnceLock::new(),
            ignores: std::sync::OnceLock::new(),
            names: std::sync::Mutex::default(),
            operations: std::sync::Mutex::default(),
        }
    }

    /// The [`describe`] name of a node, made once: the rules that report on the same schema, and
    /// the findings that list the same related site, name it with one shared text.
    pub fn name(&self, n: NodeRef) -> Arc<str> {
        let known = self
            .names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&n)
            .cloned();
        if let Some(name) = known {
            return name;
        }
        let name: Arc<str> = describe(self, n).into();
        self.names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(n, name.clone());
        name
    }

    /// The operations under the `paths` of the document at `root`, counted by `count` once: a
    /// rule and the score both ask, and each count reads every path item of a large document.
    pub(crate) fn operations_under(&self, root: NodeRef, count: impl FnOnce() -> usize) -> usize {
        let known = self
            .operations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&root)
            .copied();
        if let Some(n) = known {
            return n;
        }
        let n = count();
        self.operations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(root, n);
        n
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The tree of a file that parsed. Only parsed files have `NodeRef`s, so this cannot fail for them.
    pub fn tree(&self, id: FileId) -> &Tree {
        self.files[id.0 as usize]
            .tree
            .as_deref()
            .unwrap_or_else(|| empty_tree())
    }

    pub fn roots(&self) -> impl Iterator<Item = FileId> + '_ {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.root && f.tree.is_some())
            .map(|(i, _)| FileId(i as u32))
    }

    pub fn root_node(&self, file: FileId) -> Option<NodeRef> {
        let tree = self.file(file).tree.as_ref()?;
        tree.root().map(|node| NodeRef { file, node })
    }

    pub fn version(&self, file: FileId) -> Option<Version> {
        self.file(file).version
    }

    pub fn kind(&self, n: NodeRef) -> Kind {
        self.tree(n.file).kind(n.node)
    }

    /// See [`Tree::key_mask`](crate::source::Tree::key_mask).
    pub fn key_mask(&self, n: NodeRef) -> u64 {
        self.tree(n.file).key_mask(n.node)
    }

    pub fn span(&self, n: NodeRef) -> Span {
        self.tree(n.file).span(n.node)
    }

    pub fn text(&self, n: NodeRef) -> Option<&str> {
        self.tree(n.file).text(n.node)
    }

    pub fn str(&self, n: NodeRef) -> Option<&str> {
        self.tree(n.file).str(n.node)
    }

    pub fn get(&self, n: NodeRef, key: &str) -> Option<NodeRef> {
        self.tree(n.file)
            .get(n.node, key)
            .map(|node| NodeRef { file: n.file, node })
    }

    pub fn get_entry(&self, n: NodeRef, key: &str) -> Option<(NodeRef, NodeRef)> {
        let (k, v) = self.tree(n.file).get_entry(n.node, key)?;
        Some((
            NodeRef {
                file: n.file,
                node: k,
            },
            NodeRef {
                file: n.file,
                node: v,
            },
        ))
    }

    /// `(key text, key, value)` of a mapping, in source order.
    pub fn fields(&self, n: NodeRef) -> impl Iterator<Item = (&str, NodeRef, NodeRef)> + '_ {
        let file = n.file;
        self.tree(file)
            .fields(n.node)
            .map(move |(t, k, v)| (t, NodeRef { file, node: k }, NodeRef { file, node: v }))
    }

    pub fn items(&self, n: NodeRef) -> impl Iterator<Item = NodeRef> + '_ {
        let file = n.file;
        self.tree(file)
            .items(n.node)
            .iter()
            .map(move |&node| NodeRef { file, node })
    }

    /// The key a mapping value is written under.
    pub fn key_of(&self, n: NodeRef) -> Option<NodeRef> {
        self.tree(n.file)
            .key_of(n.node)
            .map(|node| NodeRef { file: n.file, node })
    }

    /// The value written under a mapping key (`None` when `n` is not a key).
    pub fn value_of(&self, n: NodeRef) -> Option<NodeRef> {
        self.tree(n.file)
            .key_value(n.node)
            .map(|node| NodeRef { file: n.file, node })
    }

    pub fn parent(&self, n: NodeRef) -> Option<NodeRef> {
        self.tree(n.file)
            .parent(n.node)
            .map(|node| NodeRef { file: n.file, node })
    }

    /// The `$ref` mappings whose final target is `n`, in document order.
    pub fn referrers(&self, n: NodeRef) -> &[NodeRef] {
        let map = self.referrers.get_or_init(|| {
            let mut map: NodeMap<Vec<NodeRef>> = NodeMap::default();
            for (&site, &target) in &self.refs {
                if let Some(target) = target {
                    map.entry(target).or_default().push(site);
                }
            }
            for sites in map.values_mut() {
                sites.sort();
            }
            map
        });
        map.get(&n).map_or(&[], Vec::as_slice)
    }

    /// How many places use the response defined at `n` through a `$ref`, not counting shared
    /// definitions that merely alias it (`components/responses/A: {$ref: B}`).
    pub fn response_uses(&self, n: NodeRef) -> usize {
        self.response_use_counts().get(&n).copied().unwrap_or(0)
    }

    /// Counts the uses of shared responses now (on a worker, while the document-level checks
    /// run), so that the walk of a large document does not wait for the first rule that asks.
    pub fn count_response_uses(&self) {
        self.response_use_counts();
    }

    fn response_use_counts(&self) -> &NodeMap<usize> {
        self.response_uses.get_or_init(|| {
            // In document order, so that the tree is read front to back rather than at random,
            // and the sites of one mapping, which share the answer, come together.
            let mut sites: Vec<(NodeRef, NodeRef)> = self
                .refs
                .iter()
                .filter_map(|(&site, &target)| Some((site, target?)))
                .collect();
            sites.sort_unstable();
            let mut counts: NodeMap<usize> = NodeMap::default();
            let mut last: Option<(Option<NodeRef>, bool)> = None;
            for (site, target) in sites {
                let map = self.parent(site);
                let definition = match last {
                    Some((m, answer)) if m == map => answer,
                    _ => {
                        let answer = self.is_response_definition(site);
                        last = Some((map, answer));
                        answer
                    }
                };
                if !definition {
                    *counts.entry(target).or_default() += 1;
                }
            }
            counts
        })
    }

    /// A mapping written directly under the document's (2.0) or components' `responses`.
    fn is_response_definition(&self, n: NodeRef) -> bool {
        let Some(map) = self.parent(n) else {
            return false;
        };
        let named =
            |m: NodeRef, name: &str| self.key_of(m).and_then(|k| self.text(k)) == Some(name);
        named(map, "responses")
            && self
                .parent(map)
                .is_some_and(|o| self.parent(o).is_none() || named(o, "components"))
    }

    /// The inline suppressions (`x-rampart-ignore`, and vacuum's `x-lint-ignore`) written on the
    /// mapping `n`. Files are scanned once, and only those whose text mentions the keys.
    pub fn suppressions_on(&self, n: NodeRef) -> &[NodeRef] {
        let index = self.suppression_index();
        if index.is_empty() {
            return &[];
        }
        index.get(&n).map_or(&[], Vec::as_slice)
    }

    /// Every inline suppression of the run: `(mapping, value)`, in file order.
    pub fn all_suppressions(&self) -> Vec<(NodeRef, NodeRef)> {
        let mut all: Vec<(NodeRef, NodeRef)> = self
            .suppression_index()
            .iter()
            .flat_map(|(&m, values)| values.iter().map(move |&v| (m, v)))
            .collect();
        all.sort();
        all
    }

    fn suppression_index(&self) -> &NodeMap<Vec<NodeRef>> {
        self.ignores.get_or_init(|| {
            let mut index: NodeMap<Vec<NodeRef>> = NodeMap::default();
            for (i, f) in self.files.iter().enumerate() {
                let Some(tree) = &f.tree else { continue };
                if !SUPPRESSION_KEYS.iter().any(|k| f.text.contains(k)) {
                    continue;
                }
                let file = FileId(i as u32);
                for id in (0..tree.len() as u32).map(NodeId) {
                    if tree.is_key(id)
                        && tree.text(id).is_some_and(|t| SUPPRESSION_KEYS.contains(&t))
                        && let (Some(map), Some(value)) = (tree.parent(id), tree.key_value(id))
                    {
                        index
                            .entry(NodeRef { file, node: map })
                            .or_default()
                            .push(NodeRef { file, node: value });
                    }
                }
            }
            index
        })
    }

    pub fn is_ref(&self, n: NodeRef) -> bool {
        self.refs.contains_key(&n)
    }

    /// Follows `$ref`s: the node itself when it is not a reference, its final target when it is,
    /// `None` when the reference is broken (a diagnostic was already reported at it).
    pub fn deref(&self, n: NodeRef) -> Option<NodeRef> {
        match self.refs.get(&n) {
            None => Some(n),
            Some(target) => *target,
        }
    }

    /// A node's JSON pointer, as findings keep it (until the end of the run, so without spare
    /// capacity).
    pub fn pointer(&self, n: NodeRef) -> Arc<str> {
        Arc::from(self.tree(n.file).pointer_of(n.node))
    }

    /// [`pointer`](Self::pointer), with the pointers of its ancestors kept in `parents` for the
    /// next nodes under them.
    pub fn pointer_in(&self, n: NodeRef, parents: &mut NodeMap<Arc<str>>) -> Arc<str> {
        let tree = self.tree(n.file);
        let Some(parent) = tree.pointer_parent(n.node) else {
            return self.pointer(n);
        };
        let prefix = self.pointer_kept(
            NodeRef {
                file: n.file,
                node: parent,
            },
            parents,
        );
        Arc::from(tree.pointer_under(n.node, &prefix))
    }

    /// The pointer of `n`, made from the nearest ancestor's in `known` down, each ancestor's
    /// kept there: the findings made together share most of their ancestors, and a pointer made
    /// whole walks up to the root.
    fn pointer_kept(&self, n: NodeRef, known: &mut NodeMap<Arc<str>>) -> Arc<str> {
        if let Some(p) = known.get(&n) {
            return p.clone();
        }
        let tree = self.tree(n.file);
        let at = |node| NodeRef { file: n.file, node };
        // The nodes whose pointers are to be made, nearest first, up to one whose pointer is
        // known or that has no pointer parent.
        let mut todo = vec![n.node];
        let mut base = None;
        while let Some(&last) = todo.last() {
            let Some(parent) = tree.pointer_parent(last) else {
                break;
            };
            if let Some(p) = known.get(&at(parent)) {
                base = Some(p.clone());
                break;
            }
            todo.push(parent);
        }
        let mut prefix = match base {
            Some(p) => p,
            None => {
                let top = todo.pop().unwrap_or(n.node);
                let p = self.pointer(at(top));
                known.insert(at(top), p.clone());
                p
            }
        };
        for &node in todo.iter().rev() {
            let p: Arc<str> = Arc::from(tree.pointer_under(node, &prefix));
            known.insert(at(node), p.clone());
            prefix = p;
        }
        prefix
    }

    /// Where a node is, for a diagnostic.
    pub fn location(&self, n: NodeRef) -> Location {
        let span = self.span(n);
        let mut loc = self.span_location(n.file, span);
        loc.pointer = self.pointer(n);
        loc
    }

    /// [`location`](Self::location), with the pointers of parents kept in `parents`.
    pub fn location_in(&self, n: NodeRef, parents: &mut NodeMap<Arc<str>>) -> Location {
        let mut loc = self.span_location(n.file, self.span(n));
        loc.pointer = self.pointer_in(n, parents);
        loc
    }

    /// [`key_location`](Self::key_location), with the pointers of parents kept in `parents`.
    pub fn key_location_in(&self, n: NodeRef, parents: &mut NodeMap<Arc<str>>) -> Location {
        let mut loc = self.key_location_without_pointer(n);
        loc.pointer = self.pointer_in(n, parents);
        loc
    }

    /// The location of the key a value is written under (the value itself if it has no key).
    /// The pointer is the value's.
    pub fn key_location(&self, n: NodeRef) -> Location {
        let mut loc = self.key_location_without_pointer(n);
        loc.pointer = self.pointer(n);
        loc
    }

    fn key_location_without_pointer(&self, n: NodeRef) -> Location {
        // A whole file (a fragment's root) has no key: point at its first key rather than at all of it.
        let first_key = || {
            let tree = self.tree(n.file);
            tree.entries(n.node).next().map(|(k, _)| NodeRef {
                file: n.file,
                node: k,
            })
        };
        let at = self.key_of(n).or_else(first_key).unwrap_or(n);
        self.span_location(n.file, self.span(at))
    }

    /// A location for a bare byte range (parse errors, files without a tree).
    pub fn span_location(&self, file: FileId, span: Span) -> Location {
        let f = self.file(file);
        Location {
            path: f.path.clone(),
            abs: f.abs.clone(),
            span,
            start: f.lines.line_col(&f.text, span.start),
            end: f.lines.line_col(&f.text, span.end),
            pointer: Arc::from(""),
        }
    }

    /// A short, stable digest of a node's content, for fingerprints.
    pub fn content_digest(&self, n: NodeRef) -> String {
        // The parsed content, not the text: reformatting, re-quoting, escapes (`\u2019` for `’`) and
        // YAML for JSON keep fingerprints. A large node is known by its first bytes and how many
        // there were up to the budget, which is enough to tell findings apart and stays cheap.
        let tree = self.tree(n.file);
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut fed = 0usize;
        let mut feed = |bytes: &[u8]| -> bool {
            for &b in bytes {
                if fed == DIGEST_BYTES {
                    return false;
                }
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
                fed += 1;
            }
            true
        };
        enum Step {
            Node(NodeId),
            Byte(u8),
        }
        // Room for a mapping of a score of entries without growing (most are smaller).
        let mut stack = Vec::with_capacity(64);
        stack.push(Step::Node(n.node));
        while let Some(step) = stack.pop() {
            let more = match step {
                Step::Byte(b) => feed(&[b]),
                Step::Node(id) => match tree.kind(id) {
                    Kind::Mapping => {
                        stack.push(Step::Byte(b'}'));
                        for (k, v) in tree.entries(id).rev() {
                            stack.push(Step::Node(v));
                            stack.push(Step::Byte(b':'));
                            stack.push(Step::Node(k));
                        }
                        feed(b"{")
                    }
                    Kind::Sequence => {
                        stack.push(Step::Byte(b']'));
                        for &item in tree.items(id).iter().rev() {
                            stack.push(Step::Node(item));
                        }
                        feed(b"[")
                    }
                    kind => feed(&[kind as u8]) && feed(tree.text(id).unwrap_or("").as_bytes()),
                },
            };
            if !more {
                break;
            }
        }
        let mut key = String::with_capacity(21);
        crate::diagnostic::push_hex(&mut key, h);
        use std::fmt::Write;
        let _ = write!(key, "-{fed}");
        key
    }
}

fn empty_tree() -> &'static Tree {
    static EMPTY: std::sync::OnceLock<Tree> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| crate::source::Builder::new(Arc::from("")).finish())
}

/// The extensions that silence findings at a node and below: rampart's own, and vacuum's.
pub const SUPPRESSION_KEYS: &[&str] = &["x-rampart-ignore", "x-lint-ignore"];

/// Bytes of a node's content that go into its digest.
const DIGEST_BYTES: usize = 4096;

/// A problem found while loading or resolving, or with a node's shape: a built-in check's finding.
pub fn problem(
    meta: &'static RuleMeta,
    severity: Severity,
    place: Place,
    message: String,
    help: Option<String>,
) -> Raw {
    let mut raw = Raw::new(meta, place, message);
    raw.help = help.map(Cow::Owned);
    if severity != meta.severity {
        raw.severity = Some(severity);
    }
    raw
}

/// A path relative to the project root, with `/` separators; the path as given when it is outside.
pub fn relative_to(root: &std::path::Path, path: &std::path::Path) -> Arc<str> {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
    relative_path(root, &abs)
}

/// `abs` (canonical) relative to the project root, with `/` separators; a path outside the root
/// stays absolute (`/tmp/api.yaml`, `C:/specs/api.yaml`).
pub(crate) fn relative_path(root: &std::path::Path, abs: &std::path::Path) -> Arc<str> {
    use std::path::Component;
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    let mut text = String::new();
    for c in rel.components() {
        match c {
            Component::Prefix(p) => text.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => text.push('/'),
            Component::CurDir | Component::ParentDir | Component::Normal(_) => {
                if !text.is_empty() && !text.ends_with('/') {
                    text.push('/');
                }
                text.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    Arc::from(text)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{FileId, NodeMap, NodeRef};
    use crate::document::model::tests::load_texts;
    use crate::source::NodeId;

    /// A pointer made from the kept pointers of its ancestors is the pointer made whole, for every
    /// node (keys, items, escaped names, the root), in document order, backwards, and scattered.
    #[test]
    fn pointers_made_from_kept_ancestors_are_whole_pointers() {
        let set = load_texts(&[(
            "api.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a~b/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: q, in: query, schema: {type: array, items: {type: string}}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {a/b: {type: string}, 'x~1': {type: integer}}}}}}\ncomponents:\n  schemas:\n    S: {allOf: [{type: object}, {properties: {n: {type: number}}}]}\n",
        )]);
        let file = FileId(0);
        let len = set.tree(file).len() as u32;
        let at = |i: u32| NodeRef {
            file,
            node: NodeId(i),
        };
        let orders: [Vec<u32>; 3] = [
            (0..len).collect(),
            (0..len).rev().collect(),
            (0..len).map(|i| (i * 7919) % len).collect(),
        ];
        for order in orders {
            let mut known = NodeMap::default();
            for &i in &order {
                assert_eq!(
                    set.pointer_in(at(i), &mut known),
                    set.pointer(at(i)),
                    "node {i}"
                );
            }
        }
    }

    #[test]
    fn relative_paths_inside_and_outside_the_root() {
        let root = Path::new("/work/project");
        let rel = |p: &str| super::relative_path(root, Path::new(p)).to_string();
        assert_eq!(rel("/work/project/specs/api.yaml"), "specs/api.yaml");
        assert_eq!(rel("/work/project"), "");
        // Outside the root the path stays as it is, with one leading slash (not `//tmp`, which a
        // URI reads as a host name).
        assert_eq!(rel("/tmp/api.yaml"), "/tmp/api.yaml");
        assert_eq!(rel("/work/other/api.yaml"), "/work/other/api.yaml");
    }
}

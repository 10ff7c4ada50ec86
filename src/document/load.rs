//! Reading files, telling OpenAPI documents from other files, and resolving `$ref`s across files.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{ParseCache, Parsed};
use super::{DocumentSet, FastMap, FileId, NodeMap, NodeRef, SourceFile, Version, problem};
use crate::LintRequest;
use crate::diagnostic::Severity;
use crate::discover::Found;
use crate::engine::{ContentKey, Label, Place, Raw, builtin};
use crate::source::{self, Kind, LoadProblem, NodeId, Span};

/// Reads the discovered files and every file their `$ref`s reach; resolves every reference.
pub fn load(request: &LintRequest, found: &[Found], root: &Path) -> (DocumentSet, Vec<Raw>) {
    let allowed = boundary(request, found);
    let cache = ParseCache::default();
    let loading = Loading {
        request,
        root,
        allowed: &allowed,
        cache: &cache,
        cache_named: false,
    };
    load_with(&loading, found)
}

/// What the loading of every unit of a run shares.
pub struct Loading<'r> {
    pub request: &'r LintRequest,
    /// The project root (fingerprints and reported paths are relative to it).
    pub root: &'r Path,
    /// The folders files may be read from (see [`boundary`]).
    pub allowed: &'r [PathBuf],
    /// Parsed files: those `$ref`s reach, and with `cache_named` the named and walked ones too.
    pub cache: &'r ParseCache,
    pub cache_named: bool,
}

/// Reads the given discovered files and every file their `$ref`s reach; resolves every reference.
/// A walked file that names neither `openapi` nor `swagger` anywhere cannot be a document: it is
/// not parsed (it is read again, through the cache, if a document reaches it).
pub fn load_with(loading: &Loading<'_>, found: &[Found]) -> (DocumentSet, Vec<Raw>) {
    let Loading {
        request,
        root,
        allowed,
        ..
    } = *loading;
    let allowed = allowed.to_vec();
    type Read<'f> = (Result<Option<(SourceFile, Outcome)>, String>, &'f Found);
    let one = |f: &Found| -> Result<Option<(SourceFile, Outcome)>, String> {
        let shown = display(&f.path);
        let (abs, text) = read_text(request, &f.path, Some(&allowed))?;
        if !f.explicit && !text.contains("openapi") && !text.contains("swagger") {
            return Ok(None);
        }
        let cache = loading.cache_named.then_some(loading.cache);
        Ok(Some(parse_text(request, root, abs, shown, text, cache)))
    };
    let read: Vec<Read<'_>> = if found.len() == 1 {
        found.iter().map(|f| (one(f), f)).collect()
    } else {
        found.par_iter().map(|f| (one(f), f)).collect()
    };

    let mut loader = Loader {
        request,
        root,
        cache: loading.cache,
        files: Vec::new(),
        by_path: HashMap::new(),
        diags: Vec::new(),
        allowed,
        refs: NodeMap::default(),
        parse_failures: HashMap::new(),
        missing: Vec::new(),
        definition_maps: HashSet::new(),
        ref_strings: NodeMap::default(),
        outcomes: HashMap::new(),
        scanned: HashSet::new(),
        pointers: HashMap::new(),
        indexes: HashMap::new(),
        anchors: HashMap::new(),
        unreadable: Vec::new(),
    };
    for (result, f) in read {
        match result {
            Err(cause) => loader.diags.push(io_problem(&display(&f.path), cause)),
            Ok(None) => {}
            Ok(Some((mut file, outcome))) => {
                if loader.by_path.contains_key(&*file.abs) {
                    continue;
                }
                loader.keep_outcome(&file, outcome);
                let verdict = classify(&file);
                match verdict {
                    Classified::Root(v, text) => {
                        file.root = true;
                        file.version = Some(v);
                        file.version_text = Some(text);
                    }
                    Classified::UnknownVersion(text) if f.explicit || file.tree.is_some() => {
                        file.root = false;
                        let id = loader.push(file);
                        loader.unknown_version(id, &text);
                        continue;
                    }
                    Classified::NotOpenApi if f.explicit => {
                        let id = loader.push(file);
                        loader.not_openapi(id);
                        continue;
                    }
                    _ => {}
                }
                let id = loader.push(file);
                // A file that is not a document is reported on only if a document reaches it.
                if loader.files[id.0 as usize].root {
                    loader.parse_problems(id, f.explicit);
                }
            }
        }
    }
    let roots: Vec<FileId> = (0..loader.files.len() as u32)
        .map(FileId)
        .filter(|&id| loader.files[id.0 as usize].root)
        .collect();
    for root in roots {
        loader.resolve_from(root);
    }
    loader.report_missing();
    loader.chain_refs();
    let Loader {
        files,
        refs,
        diags,
        unreadable,
        ..
    } = loader;
    let set = DocumentSet {
        files,
        unreadable,
        refs,
        referrers: std::sync::OnceLock::new(),
        response_uses: std::sync::OnceLock::new(),
        ignores: std::sync::OnceLock::new(),
        names: std::sync::Mutex::default(),
        operations: std::sync::Mutex::default(),
    };
    (set, diags)
}

struct Loader<'r> {
    request: &'r LintRequest,
    root: &'r Path,
    cache: &'r ParseCache,
    files: Vec<SourceFile>,
    by_path: HashMap<PathBuf, FileId>,
    diags: Vec<Raw>,
    /// The project roots (canonical): the only folders files are read from.
    allowed: Vec<PathBuf>,
    /// Where each file that does not parse stops parsing (byte offset), by canonical path.
    parse_failures: HashMap<PathBuf, (u32, bool)>,
    /// References to a definition that does not exist, reported once every reference is resolved
    /// (whether a near name is suggested depends on how other references use the target file).
    missing: Vec<Missing>,
    /// Mappings of files that are not documents through which a reference reached a definition:
    /// their keys are names of definitions, which "did you mean" may suggest.
    definition_maps: HashSet<(FileId, NodeId)>,
    /// Direct targets of every `$ref` mapping.
    refs: NodeMap<Option<NodeRef>>,
    /// For each `$ref` mapping, its value node (for messages).
    ref_strings: NodeMap<NodeRef>,
    /// Parse problems of each file, until the loader knows whether to report them.
    outcomes: HashMap<PathBuf, Outcome>,
    /// Files whose `$ref`s are resolved.
    scanned: HashSet<FileId>,
    /// Pointers already followed, per file: most references share a few hundred targets.
    /// What each JSON pointer of a file points to: the fragments of a file's `$ref`s, each followed once.
    pointers: HashMap<FileId, FastMap<String, Option<NodeId>>>,
    /// Key indexes of large mappings (`components/schemas` with thousands of entries).
    indexes: HashMap<(FileId, NodeId), HashMap<String, NodeId>>,
    /// Files `$ref`s name that could not be read (a document depends on them appearing).
    unreadable: Vec<Arc<Path>>,
    /// `$anchor` names of each file (3.1), built on the first plain-name reference into it.
    anchors: HashMap<FileId, HashMap<String, NodeId>>,
}

enum Classified {
    Root(Version, String),
    UnknownVersion(String),
    NotOpenApi,
}

fn classify(file: &SourceFile) -> Classified {
    let Some(tree) = &file.tree else {
        return if looks_like_openapi(&file.text) {
            Classified::Root(Version::V30, String::new())
        } else {
            Classified::NotOpenApi
        };
    };
    let Some(root) = tree.root() else {
        return Classified::NotOpenApi;
    };
    if tree.kind(root) != Kind::Mapping {
        return Classified::NotOpenApi;
    }
    if let Some(v) = tree.get(root, "openapi") {
        let text = tree.text(v).unwrap_or("").to_string();
        return if text.starts_with("3.0") {
            Classified::Root(Version::V30, text)
        } else if text.starts_with("3.1") || text.starts_with("3.2") {
            Classified::Root(Version::V31, text)
        } else {
            Classified::UnknownVersion(text)
        };
    }
    if let Some(v) = tree.get(root, "swagger") {
        let text = tree.text(v).unwrap_or("").to_string();
        return if text == "2.0" || text == "2" {
            Classified::Root(Version::V2, text)
        } else {
            Classified::UnknownVersion(text)
        };
    }
    Classified::NotOpenApi
}

/// For a file that did not parse: does it look like it was meant to be an OpenAPI document?
fn looks_like_openapi(text: &str) -> bool {
    text.lines().take(200).any(|l| {
        let l = l.trim_start_matches(['{', ' ', '\t', '\u{feff}']);
        l.starts_with("openapi:")
            || l.starts_with("swagger:")
            || l.starts_with("\"openapi\"")
            || l.starts_with("\"swagger\"")
    })
}

type Outcome = (Vec<LoadProblem>, Option<source::ParseError>);

/// Reads one file's text (an in-memory buffer wins over the disk) and its canonical path. A file
/// named or found by a walk (`bounded`) is read only when it resolves (through symbolic links) to a
/// place inside the project; a referenced file was checked before.
fn read_text(
    request: &LintRequest,
    path: &Path,
    bounded: Option<&[PathBuf]>,
) -> Result<(PathBuf, Arc<str>), String> {
    let abs = canonical(path);
    if let Some(t) = request
        .overlays
        .get(path)
        .or_else(|| request.overlays.get(&abs))
    {
        return Ok((abs, t.clone()));
    }
    if let Some(roots) = bounded {
        link_problem(path, &abs, roots)?;
    }
    let meta = std::fs::metadata(path).map_err(|e| io_cause(&e))?;
    if !meta.is_file() {
        // Pipes and devices could block or never end.
        return Err("not a regular file".to_string());
    }
    let limit = request.limits.max_file_bytes.min(u64::from(u32::MAX));
    if meta.len() > limit {
        return Err(format!(
            "file is {} bytes, more than the limit of {limit} bytes (raise it with --max-file-size)",
            meta.len(),
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| io_cause(&e))?;
    Ok((abs, read_shared(file, meta.len(), limit)?))
}

/// Reads a file again, as it was read to be linted (decoded the same way), for a report that did
/// not keep its text; `None` when it can no longer be read.
pub(crate) fn read_again(path: &Path) -> Option<Arc<str>> {
    let file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    read_shared(file, len, u64::from(u32::MAX)).ok()
}

/// Reads a file of `expected` bytes (its size when it was looked at) into the text the run keeps.
/// A UTF-8 file of that size is read straight into the shared buffer, not into a vector then
/// copied: for a big spec that copy touched as much fresh memory again as the file's size.
fn read_shared(mut file: std::fs::File, expected: u64, limit: u64) -> Result<Arc<str>, String> {
    use std::io::Read;
    // SAFETY: zeroed bytes are valid `u8`s.
    let mut shared: Arc<[u8]> =
        unsafe { Arc::<[u8]>::new_zeroed_slice(expected as usize).assume_init() };
    let buf = Arc::get_mut(&mut shared).expect("a new buffer has one owner");
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_cause(&e)),
        }
    }
    // The file may grow while it is read: never read more than the limit.
    let mut more = Vec::new();
    if filled == buf.len() {
        file.take(limit + 1 - expected.min(limit))
            .read_to_end(&mut more)
            .map_err(|e| io_cause(&e))?;
    }
    // (A UTF-16 or UTF-32 byte order mark is not UTF-8: such a file is decoded below.)
    if filled == shared.len() && more.is_empty() && std::str::from_utf8(&shared).is_ok() {
        // SAFETY: the bytes are UTF-8 (checked just above), and `str` has the layout of `[u8]`.
        return Ok(unsafe { Arc::from_raw(Arc::into_raw(shared) as *const str) });
    }
    // It changed size while it was read, or it needs decoding (or an error message).
    let mut bytes = shared[..filled].to_vec();
    bytes.extend_from_slice(&more);
    if bytes.len() as u64 > limit {
        return Err(format!(
            "file is more than the limit of {limit} bytes (raise it with --max-file-size)"
        ));
    }
    Ok(Arc::from(decode(bytes)?))
}

/// Parses a file's text (through the cache when one is given).
fn parse_text(
    request: &LintRequest,
    root: &Path,
    abs: PathBuf,
    shown: Arc<str>,
    text: Arc<str>,
    cache: Option<&ParseCache>,
) -> (SourceFile, Outcome) {
    let parsed = match cache {
        Some(cache) => cache.parse(&abs, &shown, text, &request.limits),
        None => Arc::new(Parsed::new(&shown, text, &request.limits)),
    };
    let file = SourceFile {
        path: shown,
        relative: super::relative_path(root, &abs),
        abs: Arc::from(abs),
        text: parsed.text.clone(),
        lines: parsed.lines.clone(),
        tree: parsed.tree.clone(),
        root: false,
        version: None,
        version_text: None,
    };
    (file, (parsed.problems.clone(), parsed.error.clone()))
}

/// Reads and parses one file.
fn read_file(
    request: &LintRequest,
    root: &Path,
    path: &Path,
    shown: Arc<str>,
    cache: Option<&ParseCache>,
) -> Result<(SourceFile, Outcome), String> {
    let (abs, text) = read_text(request, path, None)?;
    Ok(parse_text(request, root, abs, shown, text, cache))
}

/// The text of a file: UTF-8, or UTF-16 with a byte order mark (decoded; the mark is dropped).
fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => {
            return Err("encoded in UTF-32, which rampart does not read (save it as UTF-8)".into());
        }
        [0xFF, 0xFE, rest @ ..] => Some((rest, false)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true)),
        _ => None,
    };
    let Some((rest, big_endian)) = utf16 else {
        return String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or("");
            format!(
                "not valid UTF-8 ({}, byte {valid}); save it as UTF-8",
                position(prefix)
            )
        });
    };
    if rest.len() % 2 == 1 {
        return Err("not valid UTF-16: it ends in half a character; save it as UTF-8".into());
    }
    let units = rest.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(rest.len());
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(format!(
                    "not valid UTF-16: a lone surrogate ({}); save it as UTF-8",
                    position(&text)
                ));
            }
        }
    }
    Ok(text)
}

/// `line L, column C` of the end of `prefix` (1-based; columns in characters).
fn position(prefix: &str) -> String {
    let line = prefix.matches('\n').count() + 1;
    let start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let column = prefix[start..].chars().count() + 1;
    format!("line {line}, column {column}")
}

fn io_cause(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

pub(crate) fn io_problem(path: &str, cause: String) -> Raw {
    let meta = if cause.contains("more than the limit") {
        &builtin::INPUT_LIMIT
    } else {
        &builtin::IO_ERROR
    };
    problem(
        meta,
        Severity::Error,
        Place::Path(Arc::from(path)),
        format!("cannot read `{path}`: {cause}"),
        None,
    )
}

/// The folders files may be read from: for each linted path, its git root, else the folder it names
/// (a named file's folder; a glob's literal prefix; the working directory when nothing is named).
/// The working directory counts only when it is one of these.
pub fn boundary(request: &LintRequest, found: &[Found]) -> Vec<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut out: Vec<PathBuf> = Vec::new();
    let mut add = |p: PathBuf| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    if let Some(root) = &request.project_root {
        add(canonical(&cwd.join(root)));
    }
    let here = [".".to_string()];
    let paths = if request.paths.is_empty() {
        &here[..]
    } else {
        &request.paths[..]
    };
    let mut folders = Vec::new();
    for arg in paths {
        let path = Path::new(arg);
        let folder = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => path.to_path_buf(),
            Err(_) if crate::discover::is_glob(arg) => path
                .components()
                .take_while(|c| !crate::discover::is_glob(&c.as_os_str().to_string_lossy()))
                .collect(),
            _ => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        };
        folders.push(cwd.join(folder));
    }
    // Files named by a caller that discovered them itself.
    for f in found.iter().filter(|f| f.explicit) {
        let folder = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        folders.push(cwd.join(folder));
    }
    // Each folder once (a named file is also a file found): its root is a few file-system calls
    // per folder up to the file system's root.
    folders.sort();
    folders.dedup();
    for folder in folders {
        let folder = canonical(&folder);
        add(crate::discover::git_root(&folder).unwrap_or(folder));
    }
    out
}

/// The project root that holds `abs` (the innermost, when roots nest).
fn root_of<'b>(roots: &'b [PathBuf], abs: &Path) -> Option<&'b Path> {
    roots
        .iter()
        .filter(|r| abs.starts_with(r))
        .max_by_key(|r| r.as_os_str().len())
        .map(PathBuf::as_path)
}

/// The first hidden (dot) folder or file of `abs` below its project root.
fn hidden_part(root: &Path, abs: &Path) -> Option<String> {
    abs.strip_prefix(root)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .find(|c| c.starts_with('.'))
        .map(|c| c.into_owned())
}

/// Why a named or walked file that resolves (through symbolic links) to `abs` is not read.
fn link_problem(path: &Path, abs: &Path, roots: &[PathBuf]) -> Result<(), String> {
    let Some(root) = root_of(roots, abs) else {
        return Err(format!(
            "it links to `{}`, outside the project, so it is not read; lint that file by its own path",
            abs.display()
        ));
    };
    let written = std::env::current_dir()
        .map(|cwd| normalize(&cwd.join(path)))
        .unwrap_or_else(|_| path.to_path_buf());
    // Hidden folders named or walked on purpose are the user's choice; a link into one is not.
    if written != abs
        && let Some(hidden) = hidden_part(root, abs)
        && hidden_part(root, &written).is_none()
    {
        return Err(format!(
            "it links into `{hidden}`, a hidden folder or file, so it is not read; lint that file by its own path"
        ));
    }
    Ok(())
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// Lexical normalisation (`a/./b/../c` → `a/c`) for paths that do not exist.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// How a path is shown: relative to the working directory when it is inside it.
fn display(path: &Path) -> Arc<str> {
    let p = normalize(path);
    Arc::from(p.to_string_lossy().as_ref())
}

/// A reference whose file was read but whose pointer leads nowhere.
struct Missing {
    site: NodeRef,
    raw: String,
    file: FileId,
    fragment: String,
}

/// Why a referenced file gives nothing to resolve against.
enum Unusable {
    /// It cannot be read (the cause).
    Io(String),
    /// It does not parse, or is over a limit, at this line and column.
    Parse { line: u32, column: u32, limit: bool },
}

impl Loader<'_> {
    /// Keeps a file's parse problems until the loader knows whether to report them, and where it
    /// stopped parsing for good.
    fn keep_outcome(&mut self, file: &SourceFile, outcome: Outcome) {
        if let Some(e) = &outcome.1 {
            self.parse_failures
                .insert(file.abs.to_path_buf(), (e.offset as u32, e.limit));
        }
        self.outcomes.insert(file.abs.to_path_buf(), outcome);
    }

    fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.by_path.insert(file.abs.to_path_buf(), id);
        self.files.push(file);
        id
    }

    fn take_outcome(&mut self, id: FileId) -> Outcome {
        let abs = &self.files[id.0 as usize].abs;
        self.outcomes.remove(&**abs).unwrap_or_default()
    }

    /// Reports syntax errors and duplicate keys of a file that is (or is meant to be) linted.
    fn parse_problems(&mut self, id: FileId, report_errors: bool) {
        let (problems, error) = self.take_outcome(id);
        let f = &self.files[id.0 as usize];
        if let Some(e) = error {
            if report_errors || f.root || looks_like_openapi(&f.text) {
                let span = Span::new(e.offset, e.offset);
                let loc = self.place(id, span);
                let (meta, msg, help) = if e.limit {
                    (
                        &builtin::INPUT_LIMIT,
                        format!("the file is not read: {}", e.message),
                        "split the document, or flatten what nests this deeply",
                    )
                } else {
                    (
                        &builtin::PARSE_ERROR,
                        format!("syntax error: {}", e.message),
                        "fix the syntax at this position; nothing else in the file can be checked until it parses",
                    )
                };
                self.diags
                    .push(problem(meta, Severity::Error, loc, msg, Some(help.into())));
            }
            return;
        }
        let Some(tree) = &f.tree else { return };
        let mut found = Vec::new();
        for p in problems {
            match p {
                LoadProblem::DuplicateKey { first, dup, more } => {
                    let key = tree.text(dup).unwrap_or("");
                    let unlisted = match more {
                        0 => String::new(),
                        1 => " (and 1 more duplicate key in this file before it, not listed)".into(),
                        n => format!(" (and {n} more duplicate keys in this file before it, not listed)"),
                    };
                    let mut raw = problem(
                        &builtin::DUPLICATE_KEY,
                        builtin::DUPLICATE_KEY.severity,
                        Place::Span {
                            file: id,
                            span: tree.span(dup),
                            pointer: tree.key_value(dup).map(|node| NodeRef { file: id, node }),
                        },
                        format!(
                            "duplicate key `{key}`{unlisted}: the earlier value is ignored by most tools; rampart lints the last one, as they do"
                        ),
                        Some("keep one entry, with the value you mean, and delete the others".into()),
                    )
                    .key(ContentKey::Node(NodeRef { file: id, node: dup }));
                    raw.related.push((
                        NodeRef { file: id, node: first },
                        Label::from("first written here"),
                    ));
                    found.push(raw);
                }
                LoadProblem::ExtraDocument { offset } => {
                    let span = Span::new(offset, offset);
                    let loc = self.place(id, span);
                    self.diags.push(problem(
                        &builtin::STRUCTURE,
                        Severity::Warning,
                        loc,
                        "the file holds more than one YAML document; only the first is linted".into(),
                        Some("split the documents into separate files".into()),
                    ));
                }
                LoadProblem::MergeKey { key } => found.push(
                    problem(
                        &builtin::STRUCTURE,
                        Severity::Warning,
                        Place::Span {
                            file: id,
                            span: tree.span(key),
                            pointer: None,
                        },
                        "YAML merge keys (`<<`) are not part of OpenAPI; the entry is read as an ordinary key".into(),
                        Some("write the merged fields out in full".into()),
                    )
                    .key(ContentKey::Node(NodeRef { file: id, node: key })),
                ),
            }
        }
        self.diags.extend(found);
    }

    fn place(&self, id: FileId, span: Span) -> Place {
        Place::Span {
            file: id,
            span,
            pointer: None,
        }
    }

    fn node_place(&self, n: NodeRef) -> Place {
        Place::Node {
            at: n,
            on_key: false,
        }
    }

    fn not_openapi(&mut self, id: FileId) {
        let (_, error) = self.take_outcome(id);
        let f = &self.files[id.0 as usize];
        if let Some(e) = error {
            let loc = self.place(id, Span::new(e.offset, e.offset));
            let msg = format!("syntax error: {}", e.message);
            self.diags.push(problem(
                &builtin::PARSE_ERROR,
                Severity::Error,
                loc,
                msg,
                None,
            ));
            return;
        }
        let path = f.path.clone();
        let loc = self.place(id, Span::new(0, 0));
        self.diags.push(problem(
            &builtin::NOT_OPENAPI,
            Severity::Error,
            loc,
            format!(
                "`{path}` is not an OpenAPI document: its root has no `openapi` or `swagger` field"
            ),
            Some("name an OpenAPI 3.x or Swagger 2.0 file, or a folder to search for them".into()),
        ));
    }

    fn unknown_version(&mut self, id: FileId, text: &str) {
        self.take_outcome(id);
        let f = &self.files[id.0 as usize];
        let Some(tree) = &f.tree else { return };
        let Some(root) = tree.root() else { return };
        let at = tree
            .get(root, "openapi")
            .or_else(|| tree.get(root, "swagger"))
            .unwrap_or(root);
        let loc = self.node_place(NodeRef { file: id, node: at });
        self.diags.push(problem(
            &builtin::NOT_OPENAPI,
            Severity::Error,
            loc,
            format!("unsupported OpenAPI version `{text}`: rampart reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x"),
            Some("set `openapi: 3.1.0`, `openapi: 3.0.3` or `swagger: \"2.0\"`".into()),
        ));
    }

    /// Loads a file reached through a `$ref` (once per run). A file that does not parse is not
    /// reported in itself (its text could be anything: nothing of it is shown), only at the
    /// references to it.
    fn load_referenced(&mut self, path: &Path) -> Result<FileId, Unusable> {
        let abs = canonical(path);
        let id = match self.by_path.get(&abs) {
            Some(&id) => id,
            None => {
                let shown = display(&relative_to_cwd(&abs));
                let (file, outcome) =
                    match read_file(self.request, self.root, &abs, shown, Some(self.cache)) {
                        Ok(read) => read,
                        Err(cause) => {
                            self.unreadable.push(Arc::from(abs.as_path()));
                            return Err(Unusable::Io(cause));
                        }
                    };
                self.keep_outcome(&file, outcome);
                self.push(file)
            }
        };
        let f = &self.files[id.0 as usize];
        if f.tree.is_none() {
            let (offset, limit) = self
                .parse_failures
                .get(&*f.abs)
                .copied()
                .unwrap_or((0, false));
            let at = f.lines.line_col(&f.text, offset);
            // Its problems are said at the reference, never in the file.
            self.take_outcome(id);
            return Err(Unusable::Parse {
                line: at.line,
                column: at.column,
                limit,
            });
        }
        // Read during the folder walk, where its problems were not worth reporting; now that a
        // document depends on it, they are (once: the outcome is taken).
        self.parse_problems(id, true);
        Ok(id)
    }

    /// Resolves the `$ref`s of a root and, transitively, of the files they reach.
    fn resolve_from(&mut self, root: FileId) {
        let version = self.files[root.0 as usize].version;
        let mut queue = vec![root];
        let mut seen: HashSet<FileId> = HashSet::new();
        while let Some(file) = queue.pop() {
            if !seen.insert(file) {
                continue;
            }
            if self.files[file.0 as usize].version.is_none() {
                self.files[file.0 as usize].version = version;
            }
            if self.scanned(file) {
                for t in self.targets_of(file) {
                    queue.push(t);
                }
                continue;
            }
            let sites = self.ref_sites(file);
            // Grown once for the file rather than by doubling (Microsoft Graph JSON has 52,609 sites).
            self.refs.reserve(sites.len());
            self.ref_strings.reserve(sites.len());
            for (holder, value) in sites {
                let target = if self.files[file.0 as usize]
                    .tree
                    .as_ref()
                    .map(|t| t.kind(value))
                    == Some(Kind::Str)
                {
                    self.resolve_one(file, value)
                } else {
                    let site = NodeRef { file, node: value };
                    let found = self.files[file.0 as usize]
                        .tree
                        .as_ref()
                        .map_or(Kind::Null, |t| t.kind(value));
                    let loc = self.node_place(site);
                    self.diags.push(problem(
                        &builtin::STRUCTURE,
                        Severity::Error,
                        loc,
                        format!("`$ref` must be a string, found {}", found.describe()),
                        Some(
                            "write the reference as a string such as `#/components/schemas/Name`"
                                .into(),
                        ),
                    ));
                    None
                };
                if let Some(t) = target
                    && t.file != file
                {
                    queue.push(t.file);
                }
                self.refs.insert(NodeRef { file, node: holder }, target);
                self.ref_strings.insert(
                    NodeRef { file, node: holder },
                    NodeRef { file, node: value },
                );
            }
            self.mark_scanned(file);
        }
    }

    fn scanned(&self, file: FileId) -> bool {
        self.scanned.contains(&file)
    }

    fn mark_scanned(&mut self, file: FileId) {
        self.scanned.insert(file);
    }

    fn targets_of(&self, file: FileId) -> Vec<FileId> {
        let mut out: Vec<FileId> = self
            .refs
            .iter()
            .filter(|(k, _)| k.file == file)
            .filter_map(|(_, v)| v.map(|t| t.file))
            .filter(|&f| f != file)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every mapping with a `$ref` entry, and the entry's value, skipping literal data (examples,
    /// defaults, enums, extensions).
    fn ref_sites(&self, file: FileId) -> Vec<(NodeId, NodeId)> {
        let Some(tree) = &self.files[file.0 as usize].tree else {
            return Vec::new();
        };
        let version = self.files[file.0 as usize].version;
        match tree.ref_holders() {
            Some(holders) => ref_sites_of(tree, holders, version),
            None => ref_sites_walked(tree, version),
        }
    }

    fn resolve_one(&mut self, file: FileId, value: NodeId) -> Option<NodeRef> {
        // The reference is read where it is written (the tree is shared, not the loader).
        let tree = Arc::clone(self.files[file.0 as usize].tree.as_ref()?);
        let raw = tree.str(value)?;
        let site = NodeRef { file, node: value };
        let (file_part, fragment) = raw.split_once('#').unwrap_or((raw, ""));
        // `http://`, `https://`, or any other scheme.
        if file_part.contains("://") {
            let loc = self.node_place(site);
            self.diags.push(problem(
                &builtin::REF_REMOTE,
                Severity::Warning,
                loc,
                format!(
                    "remote reference `{raw}` is not fetched, so what it points to is not checked"
                ),
                Some(
                    "vendor the referenced document into the repository and use a relative path"
                        .into(),
                ),
            ));
            return None;
        }
        let target_file = if file_part.is_empty() {
            file
        } else {
            let base = self.files[file.0 as usize]
                .abs
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let decoded = percent_decode_path(file_part);
            let path = normalize(&base.join(decoded));
            let abs = canonical(&path);
            if !self.request.allow_external_refs
                && let Some(refused) = self.refused(&abs)
            {
                let loc = self.node_place(site);
                self.diags.push(problem(
                    &builtin::REF_OUTSIDE_ROOT,
                    Severity::Error,
                    loc,
                    format!("`{raw}` {refused}, so it is not read"),
                    Some(
                        "reference a .yaml, .yml or .json file inside the project and outside hidden folders, or pass --allow-external-refs"
                            .into(),
                    ),
                ));
                return None;
            }
            match self.load_referenced(&abs) {
                Ok(id) => id,
                Err(unusable) => {
                    let loc = self.node_place(site);
                    let (message, help) = match unusable {
                        Unusable::Io(cause) => (
                            format!(
                                "`{raw}` cannot be resolved: `{file_part}` {}",
                                cause_phrase(&cause)
                            ),
                            "fix the path (it is relative to the file that holds the `$ref`)"
                                .to_string(),
                        ),
                        Unusable::Parse {
                            line,
                            column,
                            limit: false,
                        } => (
                            format!(
                                "`{raw}` cannot be resolved: `{file_part}` does not parse as YAML or JSON (error at line {line}, column {column})"
                            ),
                            format!(
                                "fix the syntax of `{file_part}`; `rampart lint {}` shows the error",
                                self.shown(&abs)
                            ),
                        ),
                        Unusable::Parse {
                            line,
                            column,
                            limit: true,
                        } => (
                            format!(
                                "`{raw}` cannot be resolved: `{file_part}` is over rampart's input limits (at line {line}, column {column})"
                            ),
                            "split the file, or flatten what nests this deeply".to_string(),
                        ),
                    };
                    self.diags.push(problem(
                        &builtin::REF_UNRESOLVED,
                        Severity::Error,
                        loc,
                        message,
                        Some(help),
                    ));
                    return None;
                }
            }
        };
        let target_tree = self.files[target_file.0 as usize].tree.as_ref()?;
        let root = target_tree.root()?;
        if !fragment.is_empty()
            && !fragment.starts_with('/')
            && self.files[file.0 as usize].version == Some(Version::V31)
        {
            // A plain-name fragment names a schema's `$anchor` (JSON Schema 2020-12).
            let found = self
                .anchors
                .entry(target_file)
                .or_insert_with(|| anchors_of(target_tree))
                .get(fragment)
                .copied();
            if let Some(node) = found {
                return Some(NodeRef {
                    file: target_file,
                    node,
                });
            }
            let loc = self.node_place(site);
            self.diags.push(problem(
                &builtin::REF_UNRESOLVED,
                Severity::Error,
                loc,
                format!("`{raw}` points to nothing: no schema declares `$anchor: {fragment}`"),
                Some("fix the reference or add the `$anchor`".into()),
            ));
            return None;
        }
        if !fragment.is_empty() && !fragment.starts_with('/') {
            let loc = self.node_place(site);
            self.diags.push(problem(
                &builtin::REF_UNRESOLVED,
                Severity::Error,
                loc,
                format!("`{raw}` uses a plain-name fragment, which rampart does not resolve"),
                Some("use a JSON pointer such as `#/components/schemas/Name`".into()),
            ));
            return None;
        }
        let cached = self
            .pointers
            .get(&target_file)
            .and_then(|known| known.get(fragment));
        let found = match cached {
            Some(&cached) => cached,
            None => {
                let mut trail = Vec::new();
                let found = follow_pointer(
                    target_tree,
                    target_file,
                    root,
                    fragment,
                    &mut self.indexes,
                    Some(&mut trail),
                );
                if found.is_some() {
                    self.definition_maps
                        .extend(trail.into_iter().map(|n| (target_file, n)));
                }
                self.pointers
                    .entry(target_file)
                    .or_default()
                    .insert(fragment.to_string(), found);
                found
            }
        };
        match found {
            Some(node) => Some(NodeRef {
                file: target_file,
                node,
            }),
            None => {
                self.missing.push(Missing {
                    site,
                    raw: raw.to_string(),
                    file: target_file,
                    fragment: fragment.to_string(),
                });
                None
            }
        }
    }

    /// Reports the references that point to nothing. A near name is suggested only from a
    /// document, or from a mapping of another file that other references use as a map of
    /// definitions: the keys of any other file (a secrets file, say) are never shown.
    fn report_missing(&mut self) {
        for m in std::mem::take(&mut self.missing) {
            let Some(tree) = self.files[m.file.0 as usize].tree.as_ref() else {
                continue;
            };
            let Some(root) = tree.root() else { continue };
            let document = self.files[m.file.0 as usize].root;
            let maps = &self.definition_maps;
            let may_suggest = |node: NodeId| document || maps.contains(&(m.file, node));
            let hint = missing_hint(
                tree,
                m.file,
                root,
                &m.fragment,
                &mut self.indexes,
                &may_suggest,
            );
            let loc = self.node_place(m.site);
            self.diags.push(problem(
                &builtin::REF_UNRESOLVED,
                Severity::Error,
                loc,
                format!("`{}` points to nothing: {hint}", m.raw),
                Some("fix the reference or add the missing definition".into()),
            ));
        }
    }

    /// Why a reference may not read `abs` (unless external references are allowed).
    fn refused(&self, abs: &Path) -> Option<String> {
        let Some(root) = root_of(&self.allowed, abs) else {
            return Some("points outside the project".to_string());
        };
        if let Some(hidden) = hidden_part(root, abs) {
            return Some(format!("points into `{hidden}`, a hidden folder or file"));
        }
        let spec = abs.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            crate::discover::SPEC_EXTENSIONS
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        });
        if !spec {
            return Some(
                "points to a file that is not a YAML or JSON file (`.yaml`, `.yml`, `.json`)"
                    .to_string(),
            );
        }
        None
    }

    /// How a file is named in a suggestion to the user.
    fn shown(&self, abs: &Path) -> String {
        match self.by_path.get(abs) {
            Some(&id) => self.files[id.0 as usize].path.to_string(),
            None => display(&relative_to_cwd(abs)).to_string(),
        }
    }

    /// Turns direct targets into final targets, reporting pure reference cycles.
    fn chain_refs(&mut self) {
        let keys: Vec<NodeRef> = {
            let mut k: Vec<NodeRef> = self.refs.keys().copied().collect();
            k.sort();
            k
        };
        let mut finals: NodeMap<Option<NodeRef>> = NodeMap::default();
        finals.reserve(keys.len());
        let mut reported: HashSet<NodeRef> = HashSet::new();
        for start in keys {
            // Most references lead straight to a definition (or to nothing).
            match self.refs.get(&start).copied().flatten() {
                None => {
                    finals.insert(start, None);
                    continue;
                }
                Some(next) if !self.refs.contains_key(&next) => {
                    finals.insert(start, Some(next));
                    continue;
                }
                Some(_) => {}
            }
            let mut path = vec![start];
            let mut on_path: HashSet<NodeRef> = HashSet::from([start]);
            let mut at = start;
            let result = loop {
                match self.refs.get(&at).copied().flatten() {
                    None => break None,
                    Some(next) => {
                        if !self.refs.contains_key(&next) {
                            break Some(next);
                        }
                        if let Some(done) = finals.get(&next) {
                            break *done;
                        }
                        if on_path.contains(&next) {
                            if !reported.contains(&next) {
                                // Report at the reference where the cycle begins, not at one
                                // that merely leads into it.
                                let site = self.ref_strings.get(&next).copied().unwrap_or(next);
                                let loc = self.node_place(site);
                                let raw = self.files[site.file.0 as usize]
                                    .tree
                                    .as_ref()
                                    .and_then(|t| t.str(site.node))
                                    .unwrap_or("")
                                    .to_string();
                                self.diags.push(problem(
                                    &builtin::REF_CYCLE,
                                    Severity::Error,
                                    loc,
                                    format!("`{raw}` is part of a reference cycle: following it never reaches a definition"),
                                    Some("make one of the references in the cycle point to an actual definition".into()),
                                ));
                                reported.extend(path.iter().copied());
                            }
                            break None;
                        }
                        path.push(next);
                        on_path.insert(next);
                        at = next;
                    }
                }
            };
            for p in path {
                finals.insert(p, result);
            }
        }
        self.refs = finals;
    }
}

/// The `$ref` sites of a tree (see [`Loader::ref_sites`]), found by a walk from the root that
/// knows each node's position from its parent's and reads no key of a map of names.
fn ref_sites_walked(tree: &crate::source::Tree, version: Option<Version>) -> Vec<(NodeId, NodeId)> {
    let Some(root) = tree.root() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut visited = vec![false; tree.len()];
    let mut stack = vec![(root, Position::Object)];
    while let Some((n, pos)) = stack.pop() {
        if std::mem::replace(&mut visited[n.index()], true) {
            continue;
        }
        match tree.kind(n) {
            // A map of names (most mappings of a spec): its entries are objects whatever
            // their keys, which are not read.
            Kind::Mapping if !pos.has_keywords() => {
                let child = pos.child("");
                stack.extend(tree.entries(n).map(|(_, v)| (v, child)));
            }
            Kind::Mapping => {
                for (k, v) in tree.entries(n) {
                    let key = tree.text(k).unwrap_or("");
                    if key == "$ref" {
                        // A `$ref` that is not a string is reported where it is resolved.
                        out.push((n, v));
                        continue;
                    }
                    if let Some(child) = value_position(key, tree, v, pos, version) {
                        stack.push((v, child));
                    }
                }
            }
            Kind::Sequence => stack.extend(
                tree.items(n)
                    .iter()
                    .rev()
                    .map(|&item| (item, Position::Object)),
            ),
            _ => {}
        }
    }
    out.sort();
    out
}

/// The same sites as [`ref_sites_walked`], from the mappings the parser saw a `$ref` entry in
/// and its value (`holders`, in document order): each mapping is reached from the root down its ancestors, which gives
/// the position the walk would see it in, or tells that the walk would not reach it. The
/// ancestors it shares with the mapping before it are not looked at again. A big spec has a
/// `$ref` for every 30 nodes or so: this reads a few nodes for each instead of every node.
fn ref_sites_of(
    tree: &crate::source::Tree,
    holders: &[(NodeId, NodeId)],
    version: Option<Version>,
) -> Vec<(NodeId, NodeId)> {
    let Some(root) = tree.root() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // The ancestors of the last holder (itself included), root first, with the position the
    // walk reaches each in (`None`: it does not reach it).
    let mut chain: Vec<(NodeId, Option<Position>)> = Vec::new();
    let mut up: Vec<NodeId> = Vec::new();
    for &(holder, value) in holders {
        up.clear();
        let mut n = holder;
        let shared = loop {
            if let Some(j) = chain.iter().rposition(|&(c, _)| c == n) {
                break j + 1;
            }
            up.push(n);
            match tree.parent(n) {
                Some(p) => n = p,
                None => break 0,
            }
        };
        chain.truncate(shared);
        for &n in up.iter().rev() {
            let pos = match chain.last() {
                None => (n == root).then_some(Position::Object),
                Some(&(parent, Some(at))) => position_under(tree, parent, n, at, version),
                Some(&(_, None)) => None,
            };
            chain.push((n, pos));
        }
        if chain
            .last()
            .and_then(|&(_, pos)| pos)
            .is_some_and(Position::has_keywords)
        {
            out.push((holder, value));
        }
    }
    out.sort();
    out
}

/// Where the walk of [`ref_sites_walked`] reaches the value written under `key` in an object at
/// `at`; `None` for what it does not walk into: a `$ref`'s value and literal data.
fn value_position(
    key: &str,
    tree: &crate::source::Tree,
    value: NodeId,
    at: Position,
    version: Option<Version>,
) -> Option<Position> {
    (key != "$ref" && !is_literal_data(key, tree, value, at, version)).then(|| at.child(key))
}

/// Where the walk of [`ref_sites_walked`] reaches `child` of `parent` (reached at `at`), or
/// `None` when it does not go there: keys, `$ref` values and literal data.
fn position_under(
    tree: &crate::source::Tree,
    parent: NodeId,
    child: NodeId,
    at: Position,
    version: Option<Version>,
) -> Option<Position> {
    match tree.kind(parent) {
        Kind::Mapping if tree.is_key(child) => None,
        Kind::Mapping if !at.has_keywords() => Some(at.child("")),
        Kind::Mapping => {
            let key = tree.key_of(child).and_then(|k| tree.text(k)).unwrap_or("");
            value_position(key, tree, child, at, version)
        }
        Kind::Sequence => Some(Position::Object),
        _ => None,
    }
}

/// Every `$anchor` (and `$dynamicAnchor`) of a file and the mapping that declares it (the first one
/// when a name is declared twice).
fn anchors_of(tree: &crate::source::Tree) -> HashMap<String, NodeId> {
    let mut out = HashMap::new();
    for n in (0..tree.len() as u32).map(NodeId) {
        if tree.kind(n) != Kind::Mapping {
            continue;
        }
        for key in ["$anchor", "$dynamicAnchor"] {
            if let Some(name) = tree.get(n, key).and_then(|v| tree.str(v)) {
                out.entry(name.to_string()).or_insert(n);
            }
        }
    }
    out
}

/// Mappings with more entries than this get a key index when a pointer goes through them.
const INDEX_FROM: usize = 32;

/// `Tree::pointer`, with an index for large mappings so thousands of references into
/// `components/schemas` do not each scan it. `trail` receives the nodes the pointer goes through.
fn follow_pointer(
    tree: &crate::source::Tree,
    file: FileId,
    root: NodeId,
    pointer: &str,
    indexes: &mut HashMap<(FileId, NodeId), HashMap<String, NodeId>>,
    mut trail: Option<&mut Vec<NodeId>>,
) -> Option<NodeId> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut at = root;
    for raw in rest.split('/') {
        if let Some(t) = trail.as_mut() {
            t.push(at);
        }
        let token = crate::source::unescape_token(raw);
        at = match tree.kind(at) {
            Kind::Mapping if tree.entries(at).len() > INDEX_FROM => {
                let index = indexes.entry((file, at)).or_insert_with(|| {
                    let mut m = HashMap::with_capacity(tree.entries(at).len());
                    for (k, _, v) in tree.fields(at) {
                        m.entry(k.to_string()).or_insert(v);
                    }
                    m
                });
                *index.get(token.as_ref())?
            }
            Kind::Mapping => tree.get(at, &token)?,
            Kind::Sequence => *tree.items(at).get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

fn cause_phrase(cause: &str) -> String {
    if cause == "no such file or directory" {
        "does not exist".to_string()
    } else {
        format!("cannot be read ({cause})")
    }
}

fn relative_to_cwd(abs: &Path) -> PathBuf {
    match std::env::current_dir().map(|c| canonical(&c)) {
        Ok(cwd) => abs
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| abs.to_path_buf()),
        Err(_) => abs.to_path_buf(),
    }
}

/// `$ref` file parts are URI references: percent-decoded, but `~` is an ordinary character there.
fn percent_decode_path(s: &str) -> String {
    crate::source::percent_decode(s).into_owned()
}

/// Where a mapping sits, as far as telling keywords from names goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Position {
    /// An object whose keys are keywords (a schema, an operation, a response...).
    Object,
    /// An Example object (a value of an `examples` map), whose `value` is data.
    Example,
    /// A map whose keys are names chosen by the author (`properties`, `components/schemas`,
    /// `responses`...): a property named `$ref` or `example` is a property, not a keyword.
    Names { examples: bool },
}

/// Keywords whose value maps names chosen by the author to objects, where they are written in
/// keyword position. (A `match`, not a list searched key by key: every key of a spec's objects is
/// asked about.)
fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "dependentSchemas"
            | "dependencies"
            | "definitions"
            | "$defs"
            | "schemas"
            | "responses"
            | "parameters"
            | "requestBodies"
            | "headers"
            | "examples"
            | "links"
            | "callbacks"
            | "pathItems"
            | "securitySchemes"
            | "securityDefinitions"
            | "content"
            | "encoding"
            | "paths"
            | "webhooks"
    )
}

impl Position {
    fn has_keywords(self) -> bool {
        !matches!(self, Position::Names { .. })
    }

    /// The position of the value written under `key` here. Only the position decides: a name map's
    /// entries are objects whatever their names, so a property named `properties` holds a schema,
    /// and that schema's own `properties` is a name map again.
    fn child(self, key: &str) -> Position {
        match self {
            Position::Names { examples: true } => Position::Example,
            Position::Names { examples: false } => Position::Object,
            Position::Object | Position::Example if is_name_map(key) => Position::Names {
                examples: key == "examples",
            },
            Position::Object | Position::Example => Position::Object,
        }
    }
}

/// Literal values written under a keyword of an object at `pos`, where a `$ref` key is data and
/// not a reference.
fn is_literal_data(
    key: &str,
    tree: &crate::source::Tree,
    value: NodeId,
    pos: Position,
    version: Option<Version>,
) -> bool {
    if matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-") {
        return true;
    }
    // A schema's `examples` (a list of values, 3.1) and a 2.0 response's `examples` (media type to
    // value) are data; a 3.x media type's `examples` maps names to Example objects, which may be `$ref`s.
    if key == "examples" && (tree.kind(value) == Kind::Sequence || version == Some(Version::V2)) {
        return true;
    }
    // `value` of an Example object.
    key == "value" && pos == Position::Example
}

/// Mappings larger than this get no "did you mean" (each suggestion compares every key).
const MAX_SUGGESTION_KEYS: usize = 2_000;

/// Says which part of a pointer exists, and suggests a near key where `may_suggest` allows.
fn missing_hint(
    tree: &crate::source::Tree,
    file: FileId,
    root: NodeId,
    fragment: &str,
    indexes: &mut HashMap<(FileId, NodeId), HashMap<String, NodeId>>,
    may_suggest: &dyn Fn(NodeId) -> bool,
) -> String {
    let tokens: Vec<String> = fragment
        .trim_start_matches('/')
        .split('/')
        .map(|t| crate::source::unescape_token(t).into_owned())
        .collect();
    let mut at = root;
    let mut prefix = String::new();
    for t in &tokens {
        let pointer = format!("/{}", crate::source::escape_token(t));
        let next = follow_pointer(tree, file, at, &pointer, indexes, None);
        match next {
            Some(n) => {
                at = n;
                prefix.push('/');
                prefix.push_str(&crate::source::escape_token(t));
            }
            None => {
                // Suggestions are for people: skip them where a search would cost more than it helps.
                let near = (tree.entries(at).len() <= MAX_SUGGESTION_KEYS && may_suggest(at))
                    .then(|| {
                        tree.fields(at)
                            .map(|(k, _, _)| k)
                            .filter(|k| crate::names::similar(k, t))
                            .min_by_key(|k| crate::names::distance(k, t))
                    })
                    .flatten();
                let shown = if prefix.is_empty() {
                    "the document root".to_string()
                } else {
                    format!("`#{prefix}`")
                };
                return match near {
                    Some(n) => format!("{shown} has no `{t}` (did you mean `{n}`?)"),
                    None => format!("{shown} has no `{t}`"),
                };
            }
        }
    }
    "the target does not exist".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `$ref` sites found from the parser's mappings with a `$ref` against a walk from the
    /// root, for each version; `Some(count)` when the parser listed them, `None` when it could not
    /// (and the walk is used).
    fn ref_sites_agree(path: &str, text: &str) -> Option<usize> {
        let limits = crate::source::Limits::default();
        let Ok((tree, _)) = crate::source::parse_file(path, Arc::from(text), &limits) else {
            return Some(0);
        };
        let holders = tree.ref_holders()?;
        let mut count = 0;
        for version in [
            None,
            Some(Version::V2),
            Some(Version::V30),
            Some(Version::V31),
        ] {
            let walked = ref_sites_walked(&tree, version);
            assert_eq!(
                ref_sites_of(&tree, holders, version),
                walked,
                "{path} ({version:?})"
            );
            count += walked.len();
        }
        Some(count)
    }

    #[test]
    fn ref_sites_from_the_parser_are_the_walks() {
        // `$ref` keys in every place a walk skips or reads: literal data (`example`, `default`,
        // `enum`, `const`, `x-`, a schema's list of `examples`, an Example's `value`), names that
        // are `$ref` in maps of names, a `$ref` under a `$ref`, sequences, a complex key, Example
        // objects, nesting below skipped places, and a root that is not a mapping.
        let yaml = r##"openapi: 3.1.0
paths:
  /a:
    $ref: '#/components/pathItems/A'
  /b:
    get:
      parameters:
        - $ref: '#/components/parameters/P'
        - name: q
          in: query
          schema: {$ref: '#/components/schemas/S'}
          example: {$ref: not-a-ref}
          examples:
            one: {$ref: '#/components/examples/E'}
            two:
              value: {$ref: data}
              summary: {$ref: '#/components/examples/E'}
      responses:
        '200':
          $ref: '#/components/responses/R'
        $ref: {$ref: '#/components/responses/R'}
components:
  schemas:
    $ref:
      type: object
      properties:
        $ref: {$ref: '#/components/schemas/S'}
        example: {type: string, default: {$ref: x}}
      examples: [{$ref: data}]
      enum: [{$ref: data}]
      const: {$ref: data}
      x-extra: {a: {$ref: data}}
      allOf: [{$ref: '#/components/schemas/S'}, {items: {$ref: '#/components/schemas/S'}}]
      $ref:
        $ref: '#/components/schemas/S'
    S:
      $defs:
        inner: {$ref: '#/components/schemas/S'}
      dependentSchemas:
        $ref: {$ref: '#/components/schemas/S'}
  examples:
    E:
      value: {$ref: data}
      x: {$ref: '#/components/examples/E'}
  responses:
    R:
      description: d
      content:
        application/json:
          examples:
            ex: {$ref: '#/components/examples/E'}
            lit:
              value: {nested: {$ref: data}}
? {$ref: complex-key}
: {$ref: '#/components/schemas/S'}
"##;
        assert!(ref_sites_agree("t.yaml", yaml).is_some_and(|n| n > 20));
        let v2 = r##"{"swagger": "2.0", "paths": {"/a": {"get": {"responses": {"200": {
            "schema": {"$ref": "#/definitions/D"},
            "examples": {"application/json": {"$ref": "data"}}}}}}},
            "definitions": {"D": {"properties": {"p": {"$ref": "#/definitions/D"}},
            "default": {"$ref": "data"}}}}"##;
        assert!(ref_sites_agree("t.json", v2).is_some_and(|n| n > 4));
        assert_eq!(ref_sites_agree("t.json", r#"[{"$ref": "a"}]"#), Some(4));
        assert_eq!(ref_sites_agree("t.yaml", "$ref: a\n"), Some(4));
        // An alias shares nodes, a repeated key leaves one out: only the walk knows.
        let alias = "a: &x {$ref: '#/b'}\nb: *x\n";
        assert_eq!(ref_sites_agree("t.yaml", alias), None);
        let repeated = r##"{"a": {"$ref": "#/b"}, "a": {"c": {"$ref": "#/d"}}}"##;
        assert_eq!(ref_sites_agree("t.json", repeated), None);
    }

    /// Every spec of `testdata/`, and of the corpus (`RAMPART_CORPUS`, when set) a fifth of
    /// `all/` (every fifth by name) and the JSON of `big/` (its YAML holds the same documents).
    #[test]
    fn ref_sites_from_the_parser_are_the_walks_on_real_specs() {
        // (folder, every how many files, JSON only)
        let mut dirs = vec![(std::path::PathBuf::from("testdata"), 1, false)];
        if let Some(corpus) = std::env::var_os("RAMPART_CORPUS") {
            let corpus = std::path::PathBuf::from(corpus);
            dirs.push((corpus.join("all"), 5, false));
            dirs.push((corpus.join("big"), 1, true));
        }
        let mut listed = 0;
        for (dir, step, json_only) in dirs {
            let walk = walkdir::WalkDir::new(dir).sort_by_file_name();
            for entry in walk.into_iter().flatten().step_by(step) {
                let path = entry.path();
                let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
                    continue;
                };
                if !matches!(ext, "json" | "yaml" | "yml") || (json_only && ext != "json") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                if ref_sites_agree(&path.to_string_lossy(), &text).is_some() {
                    listed += 1;
                }
            }
        }
        assert!(listed > 50, "{listed}");
    }

    fn read(content: &[u8], expected: u64, limit: u64) -> Result<Arc<str>, String> {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, content).unwrap();
        std::io::Seek::rewind(&mut file).unwrap();
        read_shared(file, expected, limit)
    }

    #[test]
    fn a_file_is_read_whole_whatever_size_it_had_when_looked_at() {
        let text = "openapi: 3.1.0\ninfo: {title: é, version: '1'}\n";
        let n = text.len() as u64;
        for expected in [0, 1, n - 1, n, n + 1, n + 100] {
            assert_eq!(&*read(text.as_bytes(), expected, 1 << 20).unwrap(), text);
        }
        // Grown past the limit while it was read.
        let err = read(text.as_bytes(), 4, n - 1).unwrap_err();
        assert!(err.contains("more than the limit of"), "{err}");
        assert_eq!(&*read(text.as_bytes(), 4, n).unwrap(), text);
        assert_eq!(&*read(b"", 0, 10).unwrap(), "");
    }

    #[test]
    fn what_is_not_utf8_is_decoded_or_refused() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let n = utf16.len() as u64;
        assert_eq!(&*read(&utf16, n, 1 << 20).unwrap(), "a: é");
        let err = read(b"a: \xff\n", 5, 1 << 20).unwrap_err();
        assert!(err.contains("not valid UTF-8 (line 1, column 4"), "{err}");
    }
}

//! rampart: a static security linter for OpenAPI documents.
//!
//! Data flows one way: discover → load → resolve → model → rules → diagnostics → render.
//! [`lint`] is the one entry point the CLI, the tests and (later) the language server call.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod engine;
pub mod names;
pub mod new_since;
pub mod output;
pub mod pattern;
mod pipeline;
pub mod rules;
pub mod score;
pub mod server;
pub mod source;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use diagnostic::{Diagnostic, Location, Owasp, Related, Severity};

/// Ids of diagnostics that mean an input could not be used at all: they make the run exit with 2.
pub use engine::builtin::INPUT_ERRORS;

/// What to lint and how.
#[derive(Clone, Debug, Default)]
pub struct LintRequest {
    /// Files, folders or glob patterns; empty means `.`.
    pub paths: Vec<String>,
    /// Glob patterns of paths to leave out of folder walks (in addition to `.git`, `node_modules`, `target`).
    pub exclude: Vec<String>,
    /// Let `$ref`s read files outside the folder of the document that is being linted.
    pub allow_external_refs: bool,
    pub limits: source::Limits,
    /// In-memory text that wins over the file on disk (unsaved editor buffers, `--stdin`).
    pub overlays: HashMap<PathBuf, Arc<str>>,
    /// Which checks run, at which severity, when no configuration file applies.
    pub policy: engine::Policy,
    /// The preset chosen on the command line: it wins over a configuration's `extends`.
    pub preset: Option<engine::Preset>,
    /// Which configuration files apply.
    pub config: ConfigMode,
    /// The project root that fingerprints and reported paths are relative to; found from the
    /// linted paths (their git root, else the working directory) when `None`.
    pub project_root: Option<PathBuf>,
    /// How much of the documents' text the report keeps: only snippets need it, and a run that
    /// keeps all of it holds every file it read until the end.
    pub text: KeepText,
    /// Parsed files to reuse, and to keep for the next run (a long-lived caller such as the
    /// language server); `None` keeps only the files `$ref`s reach, for this run.
    pub cache: Option<Arc<document::ParseCache>>,
}

/// How much of a document's text a report keeps (files that are not documents keep theirs: what
/// they hold decides how they are named).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeepText {
    /// All of it (the language server maps positions and builds fixes on it).
    #[default]
    All,
    /// The lines that the human format's snippets show ([`FileReport::excerpt`]).
    Snippets,
    /// None.
    Nothing,
}

/// Where the configuration comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConfigMode {
    /// None: the request's policy applies (the library default).
    #[default]
    Off,
    /// The nearest `.rampart.yaml` (or `rampart.yaml`) above each document, up to the project root.
    Discover,
    /// This file, for every document.
    File(PathBuf),
}

/// One file the run read.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub path: Arc<str>,
    /// The text, or `""` when the run kept none or only an [`excerpt`](Self::excerpt) of it.
    pub text: Arc<str>,
    /// The lines of the text that snippets of the run's findings show, when the run kept only
    /// those ([`KeepText::Snippets`]).
    pub excerpt: Option<Arc<output::excerpt::Excerpt>>,
    /// The file, to be read again for its snippets, when the run kept only those and they show all
    /// of it (a minified file is one line).
    pub reread: Option<output::excerpt::Reread>,
    /// True for a file linted as an OpenAPI document in its own right; false for a file read only
    /// because a `$ref` pointed into it.
    pub root: bool,
    /// `2.0`, `3.0.3`, `3.1.0`... for roots.
    pub version: Option<String>,
}

/// Everything a run found, ready to render.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Sorted by file, position and rule.
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<FileReport>,
    pub elapsed: Duration,
    /// Ids of the rules that ran (built-in checks are not listed).
    pub rules: Vec<&'static str>,
    /// The project root (absolute): the git root of the linted paths, else the working directory.
    pub root: PathBuf,
    /// Findings left out because a baseline records them.
    pub baselined: usize,
    /// Baseline entries that matched no finding (fixed, or changed).
    pub baseline_stale: usize,
    /// Findings that an inline suppression silenced, each with its reason: listed, not lost.
    pub suppressed: Vec<Diagnostic>,
    /// The security score of each document (see [`score`]).
    pub scores: Vec<score::Score>,
    /// Mistakes in the configuration files (the run used the defaults where they were).
    pub config_errors: Vec<config::ConfigError>,
    /// The configuration files that applied.
    pub configs: Vec<PathBuf>,
    /// The `fail-on` of the configuration of the first linted path (`Some(None)` is `never`).
    pub fail_on: Option<Option<Severity>>,
    /// Each document linted, with the files it reaches through `$ref`s (canonical paths): what to
    /// lint again when one of them changes.
    pub documents: Vec<DocumentFiles>,
}

/// A document and the files it reads.
#[derive(Clone, Debug)]
pub struct DocumentFiles {
    pub root: Arc<std::path::Path>,
    /// The document itself and every file its `$ref`s reach (or name but could not read).
    pub files: Vec<Arc<std::path::Path>>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Number of OpenAPI documents linted.
    pub fn documents(&self) -> usize {
        self.files.iter().filter(|f| f.root).count()
    }

    /// The text of a file the run read (for snippets).
    pub fn source(&self, path: &str) -> Option<&Arc<str>> {
        self.files
            .iter()
            .find(|f| &*f.path == path)
            .map(|f| &f.text)
    }

    /// True when some input could not be read or parsed.
    pub fn has_input_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| INPUT_ERRORS.contains(&d.rule))
    }

    /// True when a finding is at or above `threshold`.
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| self.diagnostics.iter().any(|d| d.severity >= t))
    }
}

/// Lints what the request names.
pub fn lint(request: &LintRequest) -> Report {
    lint_with(request, rules::ALL)
}

/// Lints with a chosen set of rules (those the request's policy turns off do not run).
///
/// One unit at a time per thread: each discovered file is read; a document is loaded with every
/// file its `$ref`s reach, linted, and its findings materialised before its files are dropped, so
/// memory follows the largest documents in flight, not the whole run.
pub fn lint_with(request: &LintRequest, rules: &[&dyn engine::Rule]) -> Report {
    let run = run_units(request, rules);
    assemble(run.found, run.units, run.shared, run.started)
}

/// Lints what the request names and reports each document (with the files it reaches) on its own:
/// for a long-lived caller that lints again only the documents a changed file reaches (the
/// language server). Each report's `documents` names its document (or, for a file that is not
/// one, that file); problems of the run itself (unreadable paths, configuration mistakes) come in
/// the first report.
pub fn lint_each(request: &LintRequest) -> Vec<Report> {
    let run = run_units(request, rules::ALL);
    let root = run.shared.root.clone();
    let mut reports = Vec::with_capacity(run.units.len() + 1);
    let mut shared = Some(run.shared);
    let mut found = run.found;
    for mut unit in run.units {
        let key = unit.key.clone();
        let reach = unit
            .document
            .take()
            .map_or_else(|| vec![key.clone()], |d| d.files);
        unit.document = Some(DocumentFiles {
            root: key,
            files: reach,
        });
        let shared = shared.take().unwrap_or_else(|| Shared {
            root: root.clone(),
            ..Shared::default()
        });
        reports.push(assemble(
            std::mem::take(&mut found),
            vec![unit],
            shared,
            run.started,
        ));
    }
    if let Some(shared) = shared {
        reports.push(assemble(found, Vec::new(), shared, run.started));
    }
    reports
}

/// What a run found before it is put together.
struct Run {
    /// Problems of the run itself (paths that cannot be read).
    found: Vec<Diagnostic>,
    units: Vec<Unit>,
    shared: Shared,
    started: std::time::Instant,
}

/// What belongs to the whole run, not to one unit.
#[derive(Default)]
struct Shared {
    root: PathBuf,
    config_errors: Vec<config::ConfigError>,
    configs: Vec<PathBuf>,
    fail_on: Option<Option<Severity>>,
}

fn run_units(request: &LintRequest, rules: &[&dyn engine::Rule]) -> Run {
    use rayon::prelude::*;
    let started = std::time::Instant::now();
    let root = request
        .project_root
        .clone()
        .unwrap_or_else(|| project_root(&request.paths));
    let configs = Configs::new(request, &root);
    // The configuration of the first linted path decides what folder walks leave out.
    let first = request
        .paths
        .first()
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let mut exclude = request.exclude.clone();
    let mut fail_on = None;
    if let Some(c) = configs.for_file(&first, false) {
        exclude.extend(c.exclude.iter().cloned());
        fail_on = c.fail_on;
    }
    let policy = configs.policy(&first, false, request);
    let mut discovery = discover_with_overlays(request, &exclude);
    add_unsaved(&mut discovery, request);
    let allowed = document::boundary(request, &discovery.files);
    let run_cache = document::ParseCache::default();
    let loading = document::Loading {
        request,
        root: &root,
        allowed: &allowed,
        cache: request.cache.as_deref().unwrap_or(&run_cache),
        cache_named: request.cache.is_some(),
    };
    let mut sink = engine::Sink::new(&policy);
    for (path, cause) in &discovery.errors {
        sink.push(document::io_problem(path, cause.clone()));
    }
    let found = sink
        .finish(&document::DocumentSet::empty(), &root)
        .diagnostics;
    let lint_one = |i: usize| {
        lint_unit(&loading, &discovery.files[i], rules, &configs, request).map(|u| (i, u))
    };
    let mut units: Vec<(usize, Unit)> = if discovery.files.len() <= 1 {
        // One file (a pre-commit hook's, an editor's) is linted on this thread: handing it to a
        // worker and waiting to be woken costs more than a small file's lint. Its parts still
        // use every core.
        (0..discovery.files.len()).filter_map(lint_one).collect()
    } else {
        // The largest files first, so that one of them started last does not leave a thread
        // waiting for it at the end; the units keep the order of the files.
        let mut order: Vec<(u64, usize)> = discovery
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| (std::fs::metadata(&f.path).map_or(0, |m| m.len()), i))
            .collect();
        order.sort_unstable_by(|a, b| b.cmp(a));
        order
            .par_iter()
            .with_max_len(1)
            .filter_map(|&(_, i)| lint_one(i))
            .collect()
    };
    units.sort_unstable_by_key(|&(i, _)| i);
    let units: Vec<Unit> = units.into_iter().map(|(_, u)| u).collect();
    let (config_errors, configs) = configs.into_parts();
    Run {
        found,
        units,
        shared: Shared {
            root,
            config_errors,
            configs,
            fail_on,
        },
        started,
    }
}

/// One report of the findings of the run and of the given units.
fn assemble(
    mut all: Vec<Diagnostic>,
    units: Vec<Unit>,
    shared: Shared,
    started: std::time::Instant,
) -> Report {
    let mut ran: Vec<&'static str> = Vec::new();
    let mut suppressed: Vec<Diagnostic> = Vec::new();
    let mut used: std::collections::HashSet<(Arc<str>, u32)> = std::collections::HashSet::new();
    let mut unused: Vec<Diagnostic> = Vec::new();
    let mut scores = Vec::new();
    let mut files: Vec<FileReport> = Vec::new();
    let mut seen_files: HashMap<Arc<str>, usize> = HashMap::new();
    let mut documents: Vec<DocumentFiles> = Vec::new();
    let mut parts: Vec<Vec<Diagnostic>> = Vec::with_capacity(units.len() + 2);
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    parts.push(std::mem::take(&mut all));
    for unit in units {
        parts.push(unit.diagnostics);
        for id in unit.ran {
            if !ran.contains(&id) {
                ran.push(id);
            }
        }
        for d in unit.suppressed {
            if !suppressed.iter().any(|s| s.fingerprint == d.fingerprint) {
                suppressed.push(d);
            }
        }
        used.extend(unit.used);
        unused.extend(unit.unused);
        scores.extend(unit.score);
        for f in unit.files {
            match seen_files.get(&f.path) {
                // A file that several documents reach: the lines that the findings of each show.
                Some(&i) => match (&files[i].excerpt, &f.excerpt) {
                    (Some(kept), Some(more)) => {
                        files[i].excerpt = Some(Arc::new(kept.merge(more)));
                    }
                    // The other document's snippets show every line: it kept the whole text, or
                    // what reads it again.
                    (Some(_), None) if !f.text.is_empty() || f.reread.is_some() => files[i] = f,
                    _ => {}
                },
                None => {
                    seen_files.insert(f.path.clone(), files.len());
                    files.push(f);
                }
            }
        }
        documents.extend(unit.document);
    }
    ran.sort_unstable();
    // A suppression in a file that several documents share is unused only if none used it.
    unused.retain(|d| !used.contains(&(d.location.path.clone(), d.location.span.start)));
    unused.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    parts.push(unused);
    // Each part comes sorted. When documents share no files, the parts put one after another in
    // the order of their first findings are sorted as a whole, and need not be sorted again. When
    // they overlap, they are put in their own order and sorted (stably: of the same finding in
    // several documents, the first document's is kept).
    let mut order: Vec<usize> = (0..parts.len()).filter(|&i| !parts[i].is_empty()).collect();
    order.sort_by(|&a, &b| parts[a][0].sort_key().cmp(&parts[b][0].sort_key()));
    let apart = order.windows(2).all(|w| {
        let before = parts[w[0]].last().map(Diagnostic::sort_key);
        before < Some(parts[w[1]][0].sort_key())
    });
    if !apart {
        order.sort_unstable();
    }
    if let [only] = order[..] {
        // One document's findings (the usual run of one spec) are moved, not copied.
        all = std::mem::take(&mut parts[only]);
    } else {
        all.reserve_exact(parts.iter().map(Vec::len).sum());
        for i in order {
            all.extend(std::mem::take(&mut parts[i]));
        }
    }
    let diagnostics = merge_shared(all);
    suppressed.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Report {
        diagnostics,
        files,
        elapsed: started.elapsed(),
        rules: ran,
        root: shared.root,
        suppressed,
        scores,
        config_errors: shared.config_errors,
        configs: shared.configs,
        fail_on: shared.fail_on,
        documents,
        ..Report::default()
    }
}

/// What one unit of a run (a document with the files it reaches, or a file that is not one) gives.
struct Unit {
    /// The discovered file the unit started from (canonical).
    key: Arc<std::path::Path>,
    diagnostics: Vec<Diagnostic>,
    suppressed: Vec<Diagnostic>,
    /// Suppression entries that silenced something: (file, start of the entry).
    used: Vec<(Arc<str>, u32)>,
    /// Suppression entries that silenced nothing in this unit.
    unused: Vec<Diagnostic>,
    score: Option<score::Score>,
    files: Vec<FileReport>,
    document: Option<DocumentFiles>,
    ran: Vec<&'static str>,
}

/// Reads, loads and lints one discovered file; `None` for a walked file that is no document.
fn lint_unit(
    loading: &document::Loading<'_>,
    found: &discover::Found,
    rules: &[&dyn engine::Rule],
    configs: &Configs,
    request: &LintRequest,
) -> Option<Unit> {
    let root = loading.root;
    let (set, problems) = document::load_with(loading, std::slice::from_ref(found));
    let doc = set.roots().next();
    if doc.is_none() && problems.is_empty() {
        return None;
    }
    let policy = match doc {
        Some(d) => configs.policy(&set.file(d).abs, true, request),
        None => configs.policy(&found.path, false, request),
    };
    let mut sink = engine::Sink::new(&policy);
    for raw in problems {
        sink.push(raw);
    }
    let key: Arc<std::path::Path> = match doc {
        Some(d) => set.file(d).abs.clone(),
        None => Arc::from(
            std::fs::canonicalize(&found.path)
                .unwrap_or_else(|_| found.path.clone())
                .as_path(),
        ),
    };
    let mut unit = Unit {
        key,
        diagnostics: sink.finish(&set, root).diagnostics,
        suppressed: Vec::new(),
        used: Vec::new(),
        unused: Vec::new(),
        score: None,
        files: Vec::new(),
        document: None,
        ran: Vec::new(),
    };
    if let Some(doc) = doc {
        let enabled: Vec<&dyn engine::Rule> = rules
            .iter()
            .copied()
            .filter(|r| policy.enabled(r.meta()))
            .collect();
        unit.ran = enabled.iter().map(|r| r.meta().id).collect();
        let finished = lint_guarded(&set, doc, &enabled, &policy, root);
        unit.score =
            document::model::Document::new(&set, doc).map(|d| score::of(&d, &finished.diagnostics));
        if !request.policy.no_inline_ignore {
            let used: std::collections::HashSet<document::NodeRef> =
                finished.used.iter().copied().collect();
            unit.unused = unused_suppressions(&set, &used, &unit.ran, &policy, root);
        }
        unit.used = finished
            .used
            .iter()
            .map(|&n| (set.file(n.file).path.clone(), set.span(n).start))
            .collect();
        if unit.diagnostics.is_empty() {
            // Moved, not copied: most documents have no problems found while loading.
            unit.diagnostics = finished.diagnostics;
        } else {
            unit.diagnostics.extend(finished.diagnostics);
        }
        unit.suppressed = finished.suppressed;
        unit.document = Some(DocumentFiles {
            root: set.file(doc).abs.clone(),
            files: set
                .files
                .iter()
                .filter(|f| f.version.is_some())
                .map(|f| f.abs.clone())
                .chain(set.unreadable.iter().cloned())
                .collect(),
        });
    }
    // Files read but neither documents nor reached by a `$ref` are not part of the run (unless
    // something was reported in them).
    unit.files = set
        .files
        .iter()
        .filter(|f| {
            f.root
                || f.version.is_some()
                || unit.diagnostics.iter().any(|d| d.location.path == f.path)
        })
        .map(|f| {
            // Files that are not documents keep theirs: what they hold decides how they are named.
            let keep = if f.root || f.version.is_some() {
                request.text
            } else {
                KeepText::All
            };
            let excerpt = if keep == KeepText::Snippets {
                let spans = unit
                    .diagnostics
                    .iter()
                    .chain(&unit.unused)
                    .filter(|d| d.location.path == f.path)
                    .map(|d| d.location.span);
                output::excerpt::Excerpt::new(&f.text, spans).map(Arc::new)
            } else {
                None
            };
            // Snippets that show every line (a minified file is one line) read the file again
            // when they are written; text the run was given (not on disk) is kept as it is.
            let given = || {
                request.overlays.contains_key(&*f.abs)
                    || request
                        .overlays
                        .contains_key(std::path::Path::new(&*f.path))
            };
            let (text, reread) = match (keep, &excerpt) {
                (KeepText::All, _) => (f.text.clone(), None),
                (KeepText::Snippets, None) if given() => (f.text.clone(), None),
                (KeepText::Snippets, None) => (
                    Arc::from(""),
                    Some(output::excerpt::Reread::of(f.abs.clone(), &f.text)),
                ),
                (KeepText::Snippets | KeepText::Nothing, _) => (Arc::from(""), None),
            };
            FileReport {
                path: f.path.clone(),
                text,
                excerpt,
                reread,
                root: f.root,
                version: f.version_text.clone(),
            }
        })
        .collect();
    sort_findings(&mut unit.diagnostics);
    Some(unit)
}

/// Sorts findings by file, position and rule, keeping the order of equal ones. A finding is a few
/// hundred bytes: the order is found on their indices, then applied by swaps, so that each finding
/// moves about once instead of at every level of the sort.
fn sort_findings(v: &mut [Diagnostic]) {
    if v.is_sorted_by(|a, b| a.sort_key() <= b.sort_key()) {
        return;
    }
    // Each finding's key is made once, of numbers (its file's rank among the files' paths, its
    // span) and its rule, and the keys are sorted without reading the findings again. The index
    // settles ties, so the unstable sort keeps the order of equal findings.
    let mut rank: document::FastMap<&str, u32> = document::FastMap::default();
    let mut last: Option<&Arc<str>> = None;
    for d in v.iter() {
        let path = &d.location.path;
        if last.is_some_and(|l| Arc::ptr_eq(l, path)) {
            continue;
        }
        last = Some(path);
        rank.entry(path).or_insert(0);
    }
    let mut paths: Vec<&str> = rank.keys().copied().collect();
    paths.sort_unstable();
    for (i, p) in paths.iter().enumerate() {
        rank.insert(p, i as u32);
    }
    let mut last: Option<(&Arc<str>, u32)> = None;
    let mut keys: Vec<(u32, u32, u32, &str, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let path = &d.location.path;
            let file = match last {
                Some((l, r)) if Arc::ptr_eq(l, path) => r,
                _ => {
                    let r = rank[&**path];
                    last = Some((path, r));
                    r
                }
            };
            (
                file,
                d.location.span.start,
                d.location.span.end,
                d.rule,
                i as u32,
            )
        })
        .collect();
    keys.sort_unstable();
    let mut order: Vec<usize> = keys.iter().map(|k| k.4 as usize).collect();
    drop(keys);
    // Position `k` takes the finding now at `order[k]`: each cycle of the permutation is followed
    // from its first position, carrying that position's finding along to where it goes.
    for start in 0..v.len() {
        let mut at = start;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

/// A file shared by several documents yields the same finding from each: keep one, merge related.
/// Sorted by file, position and rule, so that the same finding of two documents is adjacent.
fn merge_shared(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    sort_findings(&mut all);
    all.dedup_by(|later, kept| {
        if later.sort_key() != kept.sort_key() {
            return false;
        }
        kept.related_more += later.related_more;
        for r in std::mem::take(&mut later.related) {
            if kept.related.contains(&r) {
                continue;
            }
            if kept.related.len() < engine::sink::MAX_RELATED {
                kept.related.push(r);
            } else {
                kept.related_more += 1;
            }
        }
        true
    });
    all
}

/// Buffers of files that are not on disk (yet) are linted when a named path is, or holds, them.
fn add_unsaved(discovery: &mut discover::Discovery, request: &LintRequest) {
    let named: Vec<PathBuf> = request
        .paths
        .iter()
        .filter_map(|p| std::path::absolute(p).ok())
        .collect();
    for path in request.overlays.keys() {
        let exact = named.contains(path);
        let within = named.iter().any(|n| path.starts_with(n))
            && path
                .extension()
                .is_some_and(|e| discover::SPEC_EXTENSIONS.iter().any(|s| e == *s));
        if path.exists() || !(exact || within) || discovery.files.iter().any(|f| &f.path == path) {
            continue;
        }
        discovery
            .errors
            .retain(|(p, _)| std::path::absolute(p).ok().as_ref() != Some(path));
        discovery.files.push(discover::Found {
            path: path.clone(),
            explicit: exact,
        });
    }
    discovery.files.sort_by(|a, b| a.path.cmp(&b.path));
}

/// `unused-suppression` findings: entries of `x-rampart-ignore` (or `x-lint-ignore`) in the files
/// of the run that silenced nothing, for rules that ran (a suppression for a rule that is off is not
/// stale), and entries that name no rule at all.
fn unused_suppressions(
    set: &document::DocumentSet,
    used: &std::collections::HashSet<document::NodeRef>,
    ran: &[&'static str],
    policy: &engine::Policy,
    root: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut sink = engine::Sink::new(policy);
    for (_, value) in set.all_suppressions() {
        // Only files that a linted document reaches.
        if set.file(value.file).version.is_none() {
            continue;
        }
        for (entry, id) in engine::sink::suppression_entries(set, value) {
            if used.contains(&entry) {
                continue;
            }
            let message = match rules::find_meta(&id) {
                None => format!(
                    "`{id}` is not a rule rampart knows, so this suppression silences nothing"
                ),
                Some(meta) if !ran.contains(&meta.id) && meta.owasp.is_some() => continue,
                Some(meta) => format!(
                    "this suppression of `{}` silences nothing: no such finding is here (any more)",
                    meta.id
                ),
            };
            sink.push(
                engine::Raw::new(
                    &engine::builtin::UNUSED_SUPPRESSION,
                    engine::Place::Node {
                        at: entry,
                        on_key: false,
                    },
                    message,
                )
                .help("remove the entry, so that suppressions do not outlive what they were for")
                .key(engine::ContentKey::Text(id)),
            );
        }
    }
    sink.finish(set, root).diagnostics
}

/// The files the request names. A path that has in-memory text (`--stdin` with `--stdin-filename`, an
/// unsaved editor buffer) is linted whether or not it exists on disk.
fn discover_with_overlays(request: &LintRequest, exclude: &[String]) -> discover::Discovery {
    let overlaid = |p: &String| {
        let path = std::path::Path::new(p);
        !path.exists()
            && (request.overlays.contains_key(path)
                || std::path::absolute(path).is_ok_and(|abs| request.overlays.contains_key(&abs)))
    };
    let (in_memory, on_disk): (Vec<String>, Vec<String>) =
        request.paths.iter().cloned().partition(overlaid);
    let mut discovery = if on_disk.is_empty() && !in_memory.is_empty() {
        discover::Discovery::default()
    } else {
        discover::discover(&on_disk, exclude)
    };
    for p in in_memory {
        let path: std::path::PathBuf = std::path::Path::new(&p)
            .components()
            .filter(|c| *c != std::path::Component::CurDir)
            .collect();
        discovery.files.push(discover::Found {
            path,
            explicit: true,
        });
    }
    discovery
}

/// Lints one document; a panic becomes an `internal-error` finding on that document and the rest
/// of the run goes on.
fn lint_guarded(
    set: &document::DocumentSet,
    doc: document::FileId,
    rules: &[&dyn engine::Rule],
    policy: &engine::Policy,
    root: &std::path::Path,
) -> engine::sink::Finished {
    let run = std::panic::AssertUnwindSafe(|| engine::lint_document(set, doc, rules, policy, root));
    match std::panic::catch_unwind(run) {
        Ok(found) => found,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let path = set.file(doc).path.clone();
            let mut sink = engine::Sink::new(policy);
            sink.push(
                engine::Raw::new(
                    &engine::builtin::INTERNAL_ERROR,
                    engine::Place::Span {
                        file: doc,
                        span: source::Span::default(),
                        pointer: None,
                    },
                    format!(
                        "rampart failed while linting `{path}`, so its findings are missing: {what}"
                    ),
                )
                .help("please report this with the file; other documents of the run were linted"),
            );
            sink.finish(set, root)
        }
    }
}

/// The configuration files of a run, each read once (units of the run ask from several threads).
struct Configs {
    mode: ConfigMode,
    root: PathBuf,
    state: std::sync::Mutex<ConfigState>,
}

#[derive(Default)]
struct ConfigState {
    /// The configuration file found for a path as it was asked about (a folder or a file named
    /// on the command line), and for the folder of a document (canonical): found once each.
    found: HashMap<(PathBuf, bool), Option<PathBuf>>,
    read: HashMap<PathBuf, Option<Arc<config::Config>>>,
    errors: Vec<config::ConfigError>,
    used: Vec<PathBuf>,
}

impl Configs {
    fn new(request: &LintRequest, root: &std::path::Path) -> Configs {
        Configs {
            mode: request.config.clone(),
            root: root.to_path_buf(),
            state: std::sync::Mutex::new(ConfigState::default()),
        }
    }

    /// The configuration that applies to `file`; `document` when it is the canonical path of a
    /// file (a document the run loaded), whose folder is then all that counts.
    fn for_file(&self, file: &std::path::Path, document: bool) -> Option<Arc<config::Config>> {
        let path = match &self.mode {
            ConfigMode::Off => return None,
            ConfigMode::File(path) => path.clone(),
            ConfigMode::Discover => self.find(file, document)?,
        };
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = state.read.get(&path) {
            return c.clone();
        }
        let c = match config::Config::read(&path) {
            Ok(c) => Some(Arc::new(c)),
            Err(errors) => {
                state.errors.extend(errors);
                None
            }
        };
        if c.is_some() {
            state.used.push(path.clone());
        }
        state.read.insert(path, c.clone());
        c
    }

    /// The nearest configuration file of `file`, looked for once per path asked about (or per
    /// folder of documents): each look is a few file-system calls per folder up to the root.
    fn find(&self, file: &std::path::Path, document: bool) -> Option<PathBuf> {
        let key = match (document, file.parent()) {
            (true, Some(dir)) => (dir.to_path_buf(), true),
            _ => (file.to_path_buf(), false),
        };
        let known = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .found
            .get(&key)
            .cloned();
        if let Some(found) = known {
            return found;
        }
        let found = if key.1 {
            config::Config::find_from(&key.0, &self.root)
        } else {
            config::Config::find(file, &self.root)
        };
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .found
            .insert(key, found.clone());
        found
    }

    /// The policy for a document: its configuration's, with the command line's preset and audit
    /// switch on top; the request's own policy when no configuration applies.
    fn policy(
        &self,
        file: &std::path::Path,
        document: bool,
        request: &LintRequest,
    ) -> engine::Policy {
        match self.for_file(file, document) {
            Some(c) => {
                let dir = c
                    .path
                    .as_deref()
                    .and_then(std::path::Path::parent)
                    .unwrap_or(&self.root)
                    .to_path_buf();
                // A document's path is canonical already.
                let relative = if document {
                    document::relative_path(&dir, file).to_string()
                } else {
                    config::relative_to_dir(&dir, file)
                };
                let mut p = c.policy_for(&relative, request.preset);
                p.no_inline_ignore = request.policy.no_inline_ignore;
                p
            }
            None => {
                let mut p = request.policy.clone();
                if let Some(preset) = request.preset {
                    p.preset = preset;
                }
                p
            }
        }
    }

    /// The mistakes found in configuration files (in the order read) and the files that applied.
    fn into_parts(self) -> (Vec<config::ConfigError>, Vec<PathBuf>) {
        let mut state = self
            .state
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.used.sort();
        (state.errors, state.used)
    }
}

/// The git root of the first linted path, else the working directory.
pub fn project_root(paths: &[String]) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let start = paths
        .first()
        .map(|p| {
            // A glob's literal prefix names the folder it searches.
            let literal: String = p.chars().take_while(|c| !"*?[{".contains(*c)).collect();
            cwd.join(literal)
        })
        .unwrap_or_else(|| cwd.clone());
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    discover::git_root(&start).unwrap_or_else(|| std::fs::canonicalize(&cwd).unwrap_or(cwd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_sorted_stably_by_place() {
        // Findings of three files at a few positions, many of them equal in place (kept in their
        // order, told apart by their messages), in a scrambled order. A file's path is shared by
        // runs of findings, as the findings of one document share it, and also written anew.
        let shared: Vec<Arc<str>> = ["b.yaml", "a.yaml", "c.yaml"]
            .into_iter()
            .map(Arc::from)
            .collect();
        let mut v: Vec<Diagnostic> = (0..200u32)
            .map(|i| {
                let k = (i * 37) % 23;
                let path = match i % 7 {
                    0 => Arc::from(&*shared[(k % 3) as usize]),
                    _ => shared[(k % 3) as usize].clone(),
                };
                let mut location = Location::of_path(path);
                location.span = source::Span::new((k % 5) as usize, (k % 5) as usize + 1);
                Diagnostic {
                    rule: ["x-rule", "a-rule"][(k % 2) as usize],
                    severity: Severity::Warning,
                    message: format!("finding {i}"),
                    help: None,
                    location,
                    related: Vec::new(),
                    related_more: 0,
                    suppressed: None,
                    owasp: None,
                    fingerprint: String::new(),
                }
            })
            .collect();
        let mut want = v.clone();
        want.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        sort_findings(&mut v);
        assert_eq!(v, want);
    }
}

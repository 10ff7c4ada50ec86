//! rampart: a static security linter for OpenAPI documents.
//!
//! Data flows one way: discover → load → resolve → model → rules → diagnostics → render.
//! [`lint`] is the one entry point the CLI, the tests and (later) the language server call.

pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod engine;
pub mod names;
pub mod output;
pub mod pattern;
pub mod rules;
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
    /// Which checks run, at which severity.
    pub policy: engine::Policy,
    /// The project root that fingerprints and reported paths are relative to; found from the
    /// linted paths (their git root, else the working directory) when `None`.
    pub project_root: Option<PathBuf>,
}

/// One file the run read.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub path: Arc<str>,
    pub text: Arc<str>,
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
pub fn lint_with(request: &LintRequest, rules: &[&dyn engine::Rule]) -> Report {
    use rayon::prelude::*;
    let started = std::time::Instant::now();
    let policy = &request.policy;
    let rules: Vec<&dyn engine::Rule> = rules
        .iter()
        .copied()
        .filter(|r| policy.enabled(r.meta()))
        .collect();
    let root = request
        .project_root
        .clone()
        .unwrap_or_else(|| project_root(&request.paths));
    let discovery = discover::discover(&request.paths, &request.exclude);
    let (set, problems) = document::load(request, &discovery.files, &root);
    let mut sink = engine::Sink::new(policy);
    for (path, cause) in &discovery.errors {
        sink.push(document::io_problem(path, cause.clone()));
    }
    for raw in problems {
        sink.push(raw);
    }
    let mut diagnostics = sink.finish(&set, &root);
    let roots: Vec<document::FileId> = set.roots().collect();
    let found: Vec<Vec<Diagnostic>> = roots
        .par_iter()
        .map(|&doc| lint_guarded(&set, doc, &rules, policy, &root))
        .collect();
    // A file shared by several documents yields the same finding from each: keep one, merge related.
    let mut at: HashMap<(&'static str, Arc<str>, u32, u32), usize> = HashMap::new();
    for d in found.into_iter().flatten() {
        let key = (
            d.rule,
            d.location.path.clone(),
            d.location.span.start,
            d.location.span.end,
        );
        match at.get(&key) {
            Some(&i) => {
                let existing: &mut Diagnostic = &mut diagnostics[i];
                existing.related_more += d.related_more;
                for r in d.related {
                    if existing.related.contains(&r) {
                        continue;
                    }
                    if existing.related.len() < engine::sink::MAX_RELATED {
                        existing.related.push(r);
                    } else {
                        existing.related_more += 1;
                    }
                }
            }
            None => {
                at.insert(key, diagnostics.len());
                diagnostics.push(d);
            }
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // Files that a folder walk read but that are neither documents nor reached by a `$ref` are not
    // part of the run (unless something was reported in them).
    let files = set
        .files
        .iter()
        .filter(|f| {
            f.root || f.version.is_some() || diagnostics.iter().any(|d| d.location.path == f.path)
        })
        .map(|f| FileReport {
            path: f.path.clone(),
            text: f.text.clone(),
            root: f.root,
            version: f.version_text.clone(),
        })
        .collect();
    Report {
        diagnostics,
        files,
        elapsed: started.elapsed(),
        rules: rules.iter().map(|r| r.meta().id).collect(),
        root,
    }
}

/// Lints one document; a panic becomes an `internal-error` finding on that document and the rest
/// of the run goes on.
fn lint_guarded(
    set: &document::DocumentSet,
    doc: document::FileId,
    rules: &[&dyn engine::Rule],
    policy: &engine::Policy,
    root: &std::path::Path,
) -> Vec<Diagnostic> {
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

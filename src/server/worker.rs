//! Linting off the message loop: a thread takes one [`Job`] at a time (a snapshot of the open
//! buffers) and answers with an [`Outcome`] ready to publish. The loop keeps answering the editor
//! meanwhile, and drops an outcome whose snapshot is older than the buffers.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::Notification;
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    NumberOrString, Position, PublishDiagnosticsParams, Range, Uri,
};

use super::text::{self, path_to_uri};
use crate::{ConfigMode, LintRequest, Report};

/// What to lint: the workspace folders and a snapshot of the open buffers.
pub struct Job {
    /// How long after the last change the job was made.
    pub waited: Duration,
    /// Which state of the buffers and files this is (the loop counts every change).
    pub generation: u64,
    pub folders: Vec<PathBuf>,
    pub buffers: Vec<Snapshot>,
    /// Files changed on disk since the last job (canonical paths).
    pub disk_changes: Vec<PathBuf>,
    /// Lint every document again (a configuration changed).
    pub everything: bool,
}

/// One open buffer as it was when the job was made.
pub struct Snapshot {
    pub path: PathBuf,
    pub uri: Uri,
    pub version: i32,
    pub text: Arc<str>,
}

/// A finding as published, with what hover and the quick fixes need.
pub struct Published {
    pub diagnostic: lsp_types::Diagnostic,
    pub rule: &'static str,
    /// The JSON pointer of the finding in its file.
    pub pointer: String,
}

/// What a job found.
pub struct Outcome {
    pub generation: u64,
    pub result: Result<Linted, String>,
}

pub struct Linted {
    /// The findings of each file, by canonical path.
    pub findings: HashMap<PathBuf, Vec<Published>>,
    /// The publication of each file with findings, ready to send.
    pub notifications: HashMap<PathBuf, Notification>,
    /// The text of every file the run read.
    pub texts: HashMap<PathBuf, Arc<str>>,
    pub documents: usize,
    /// The time the library took, and the whole job (the library, then turning its reports into
    /// diagnostics and notifications).
    pub library: Duration,
    pub elapsed: Duration,
    /// The job's [`Job::waited`].
    pub waited: Duration,
}

/// Starts the lint thread; it ends when the job sender is dropped.
pub fn spawn() -> (Sender<Job>, Receiver<Outcome>) {
    let (jobs, job_rx) = crossbeam_channel::unbounded::<Job>();
    let (outcome_tx, outcomes) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("rampart-lint".to_string())
        .spawn(move || {
            let mut state = State::default();
            for job in job_rx {
                let started = Instant::now();
                let result = state.lint(&job).map(|outside| {
                    let library = started.elapsed();
                    let mut reports: Vec<&Report> = state.units.values().collect();
                    reports.sort_by(|a, b| {
                        a.documents
                            .first()
                            .map(|d| &d.root)
                            .cmp(&b.documents.first().map(|d| &d.root))
                    });
                    let mut linted = publishable(&job, &reports, &outside);
                    linted.documents = state.linted;
                    linted.library = library;
                    linted.elapsed = started.elapsed();
                    linted
                });
                let outcome = Outcome {
                    generation: job.generation,
                    result,
                };
                if outcome_tx.send(outcome).is_err() {
                    return;
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| eprintln!("rampart: cannot start the lint thread: {e}"));
    (jobs, outcomes)
}

/// What the lint thread keeps between jobs: every file it parsed (re-parsed only when its text
/// changes), and the last report of each document with the files it reaches, so that a change
/// lints again only the documents that read the changed file.
#[derive(Default)]
struct State {
    cache: Arc<crate::document::ParseCache>,
    folders: Vec<PathBuf>,
    /// The buffers as the last job had them.
    buffers: HashMap<PathBuf, Arc<str>>,
    /// The last report of each document (or other linted file), by its canonical path.
    units: HashMap<Arc<Path>, Report>,
    /// The buffers outside every folder.
    outside: HashSet<PathBuf>,
    /// How many documents the last job linted.
    linted: usize,
}

impl State {
    /// Lints what the job changed: everything the first time, when the folders or a configuration
    /// changed; else the documents that reach a changed buffer or file, and changed files that no
    /// document reaches (a new document, or a buffer of a file not on disk). The reports of every
    /// document, or what panicked.
    fn lint(&mut self, job: &Job) -> Result<HashSet<PathBuf>, String> {
        let buffers: HashMap<PathBuf, Arc<str>> = job
            .buffers
            .iter()
            .map(|b| (b.path.clone(), b.text.clone()))
            .collect();
        let mut changed: HashSet<PathBuf> = job.disk_changes.iter().cloned().collect();
        for (path, text) in &buffers {
            if self.buffers.get(path) != Some(text) {
                changed.insert(path.clone());
            }
        }
        changed.extend(
            self.buffers
                .keys()
                .filter(|p| !buffers.contains_key(*p))
                .cloned(),
        );
        let everything = job.everything || self.units.is_empty() || self.folders != job.folders;
        self.folders = job.folders.clone();
        self.outside = buffers
            .keys()
            .filter(|p| !job.folders.iter().any(|f| p.starts_with(f)))
            .cloned()
            .collect();
        let requests = if everything {
            self.units.clear();
            self.whole(&buffers)
        } else {
            self.affected(&buffers, &changed)
        };
        // Files on disk may have gone: parses of closed, deleted files are not kept.
        self.cache
            .retain(|p| buffers.contains_key(p) || (!changed.contains(p) && p.exists()));
        self.buffers = buffers;
        self.linted = 0;
        for request in &requests {
            let run = std::panic::AssertUnwindSafe(|| crate::lint_each(request));
            match std::panic::catch_unwind(run) {
                Ok(reports) => {
                    self.linted += reports.iter().map(Report::documents).sum::<usize>();
                    for report in reports {
                        let key = report
                            .documents
                            .first()
                            .map_or_else(|| Arc::from(Path::new("")), |d| d.root.clone());
                        self.units.insert(key, report);
                    }
                }
                Err(payload) => {
                    // Nothing is known of these documents any more: lint them all next time.
                    self.units.clear();
                    let what = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    return Err(format!(
                        "rampart failed while linting {}: {what}",
                        request.paths.join(", ")
                    ));
                }
            }
        }
        Ok(self.outside.clone())
    }

    fn request(
        &self,
        paths: Vec<String>,
        root: Option<PathBuf>,
        buffers: &HashMap<PathBuf, Arc<str>>,
    ) -> LintRequest {
        LintRequest {
            paths,
            project_root: root,
            config: ConfigMode::Discover,
            overlays: buffers.clone(),
            cache: Some(self.cache.clone()),
            ..LintRequest::default()
        }
    }

    /// Every workspace folder, and each buffer outside them on its own.
    fn whole(&self, buffers: &HashMap<PathBuf, Arc<str>>) -> Vec<LintRequest> {
        let mut requests: Vec<LintRequest> = self
            .folders
            .iter()
            .map(|folder| {
                self.request(
                    vec![folder.to_string_lossy().into_owned()],
                    Some(folder.clone()),
                    buffers,
                )
            })
            .collect();
        let mut outside: Vec<&PathBuf> = self.outside.iter().collect();
        outside.sort();
        for path in outside {
            requests.push(self.request(vec![path.to_string_lossy().into_owned()], None, buffers));
        }
        requests
    }

    /// The documents that read a changed file, and changed files that no document reads.
    fn affected(
        &mut self,
        buffers: &HashMap<PathBuf, Arc<str>>,
        changed: &HashSet<PathBuf>,
    ) -> Vec<LintRequest> {
        let mut again: Vec<PathBuf> = Vec::new();
        let mut reached: HashSet<PathBuf> = HashSet::new();
        for (key, report) in &self.units {
            let reads = report
                .documents
                .iter()
                .flat_map(|d| d.files.iter())
                .any(|f| changed.contains(&**f));
            for d in &report.documents {
                reached.extend(d.files.iter().map(|f| f.to_path_buf()));
            }
            if reads {
                again.push(key.to_path_buf());
            }
        }
        for key in &again {
            self.units.remove(key.as_path());
        }
        for path in changed {
            if !reached.contains(path) && (buffers.contains_key(path) || path.exists()) {
                again.push(path.clone());
            }
        }
        // A document that is gone (deleted, or a closed buffer of a file never saved) is dropped.
        again.retain(|p| buffers.contains_key(p) || p.exists());
        again.sort();
        again.dedup();
        let mut requests = Vec::new();
        for folder in &self.folders {
            let paths: Vec<String> = again
                .iter()
                .filter(|p| p.starts_with(folder))
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if !paths.is_empty() {
                requests.push(self.request(paths, Some(folder.clone()), buffers));
            }
        }
        for p in again
            .iter()
            .filter(|p| !self.folders.iter().any(|f| p.starts_with(f)))
        {
            requests.push(self.request(vec![p.to_string_lossy().into_owned()], None, buffers));
        }
        requests
    }
}

/// The reports as the editor gets them: findings by file, each file's notification.
fn publishable(job: &Job, reports: &[&Report], outside: &HashSet<PathBuf>) -> Linted {
    let buffers: HashMap<&Path, &Snapshot> =
        job.buffers.iter().map(|b| (b.path.as_path(), b)).collect();
    let mut texts: HashMap<PathBuf, Arc<str>> = HashMap::new();
    for report in reports {
        for file in &report.files {
            let path = PathBuf::from(&*file.path);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            texts.insert(path, file.text.clone());
        }
    }
    let text_of = |path: &Path| -> Option<Arc<str>> {
        buffers
            .get(path)
            .map(|b| b.text.clone())
            .or_else(|| texts.get(path).cloned())
    };
    let uri_of = |path: &Path| -> Option<Uri> {
        buffers
            .get(path)
            .map(|b| b.uri.clone())
            .or_else(|| path_to_uri(path))
    };
    let mut converter = Converter {
        uri_of: &uri_of,
        uris: HashMap::new(),
        pages: HashMap::new(),
    };
    let mut findings: HashMap<PathBuf, Vec<Published>> = HashMap::new();
    // A file that several documents read has their common findings once.
    let mut seen: HashSet<(&'static str, &Path, u32, u32)> = HashSet::new();
    for report in reports {
        for d in &report.diagnostics {
            if !seen.insert((
                d.rule,
                &d.location.abs,
                d.location.span.start,
                d.location.span.end,
            )) {
                continue;
            }
            let path = d.location.abs.to_path_buf();
            if d.rule == crate::engine::builtin::NOT_OPENAPI.id
                || (outside.contains(&path)
                    && !looks_like_openapi(text_of(&path).as_deref().unwrap_or_default()))
            {
                continue;
            }
            findings.entry(path).or_default().push(converter.convert(d));
        }
        for e in &report.config_errors {
            let path = PathBuf::from(&e.path);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            let text = text_of(&path)
                .map(|t| t.to_string())
                .or_else(|| std::fs::read_to_string(&path).ok())
                .unwrap_or_default();
            let at = text::position_of_line_column(&text, e.line, e.column);
            findings.entry(path).or_default().push(Published {
                diagnostic: lsp_types::Diagnostic {
                    range: Range { start: at, end: at },
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("rampart".to_string()),
                    message: format!(
                        "{}\nthe defaults apply where this configuration is wrong",
                        e.message
                    ),
                    ..lsp_types::Diagnostic::default()
                },
                rule: "config",
                pointer: String::new(),
            });
        }
    }
    let notifications = findings
        .iter()
        .filter_map(|(path, list)| {
            let params = PublishDiagnosticsParams {
                uri: uri_of(path)?,
                diagnostics: list.iter().map(|p| p.diagnostic.clone()).collect(),
                version: buffers.get(path.as_path()).map(|b| b.version),
            };
            let n = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
            Some((path.clone(), n))
        })
        .collect();
    Linted {
        findings,
        notifications,
        texts,
        documents: reports.iter().map(|r| r.documents()).sum(),
        library: Duration::ZERO,
        elapsed: Duration::ZERO,
        waited: job.waited,
    }
}

/// Turns findings into the protocol's diagnostics as the `lsp` output does (the rule's page as
/// code description, the help on a second line), with the editor's own URI for related places in
/// open buffers and the unnecessary tag on unused suppressions; URIs and links are made once each.
struct Converter<'a> {
    uri_of: &'a dyn Fn(&Path) -> Option<Uri>,
    uris: HashMap<PathBuf, Option<Uri>>,
    pages: HashMap<&'static str, Option<CodeDescription>>,
}

impl Converter<'_> {
    fn uri(&mut self, path: &Path) -> Option<Uri> {
        if let Some(uri) = self.uris.get(path) {
            return uri.clone();
        }
        let uri = (self.uri_of)(path);
        self.uris.insert(path.to_path_buf(), uri.clone());
        uri
    }

    fn convert(&mut self, d: &crate::Diagnostic) -> Published {
        let range = |l: &crate::Location| Range {
            start: Position::new(l.start.line.saturating_sub(1), l.start.utf16_column),
            end: Position::new(l.end.line.saturating_sub(1), l.end.utf16_column),
        };
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                Some(DiagnosticRelatedInformation {
                    location: lsp_types::Location {
                        uri: self.uri(&r.location.abs)?,
                        range: range(&r.location),
                    },
                    message: r.message.to_string(),
                })
            })
            .collect();
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let page = self
            .pages
            .entry(d.rule)
            .or_insert_with(|| {
                Uri::from_str(&crate::output::rule_url(d.rule))
                    .ok()
                    .map(|href| CodeDescription { href })
            })
            .clone();
        let tags = (d.rule == crate::engine::builtin::UNUSED_SUPPRESSION.id)
            .then(|| vec![DiagnosticTag::UNNECESSARY]);
        Published {
            diagnostic: lsp_types::Diagnostic {
                range: range(&d.location),
                severity: Some(crate::output::lsp::severity(d.severity)),
                code: Some(NumberOrString::String(d.rule.to_string())),
                code_description: page,
                source: Some("rampart".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags,
                data: None,
            },
            rule: d.rule,
            pointer: d.location.pointer.to_string(),
        }
    }
}

/// Whether a file opened outside the workspace means to be an OpenAPI document (files that do not
/// get no diagnostics, whatever state they are in).
fn looks_like_openapi(text: &str) -> bool {
    text.lines().take(200).any(|l| {
        let l = l.trim_start_matches(['{', ' ', '\t', '\u{feff}']);
        ["openapi", "swagger", "\"openapi\"", "\"swagger\""]
            .iter()
            .any(|k| {
                l.strip_prefix(k)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
    })
}

//! `rampart server`: a language server (LSP 3.17) over standard input and output.
//!
//! A plain, synchronous message loop. Open buffers are kept in memory and win over the files on disk.
//! A change is linted once the buffer has been quiet for [`DEBOUNCE`]: the whole workspace folder is
//! linted with every open buffer as an overlay, so a fragment that documents reach through `$ref`s
//! gets the findings those documents have in it. Diagnostics are published for every file with
//! findings, and an empty list for every file that had some and has none now.

mod text;

pub mod suppress;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, LogMessageParams,
    MarkupContent, MarkupKind, MessageType, NumberOrString, Position, PublishDiagnosticsParams,
    Range, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::diagnostic::Severity;
use crate::{ConfigMode, LintRequest, Report};

pub use text::{path_to_uri, uri_to_path};

/// How long a buffer must be left alone before it is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Serves one client on standard input and output until it says `exit`.
pub fn run() -> io::Result<()> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join()
}

/// Serves one client over a connection (standard streams, or memory in tests).
pub fn serve(connection: &Connection) -> io::Result<()> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "rampart".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    connection.initialize_finish(id, result).map_err(protocol)?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let mut server = Server::new(connection, workspace_folders(&params));
    server.run()
}

fn protocol(e: lsp_server::ProtocolError) -> io::Error {
    io::Error::other(e.to_string())
}

/// The workspace folders the client names (canonical); the working directory when it names none.
fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut uris: Vec<&Uri> = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| &f.uri)
        .collect();
    #[allow(deprecated)]
    if uris.is_empty()
        && let Some(root) = &params.root_uri
    {
        uris.push(root);
    }
    let mut folders: Vec<PathBuf> = uris
        .into_iter()
        .filter_map(uri_to_path)
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect();
    if folders.is_empty()
        && let Ok(cwd) = std::env::current_dir()
    {
        folders.push(cwd);
    }
    folders
}

/// An open buffer.
struct Buffer {
    uri: Uri,
    version: i32,
    text: String,
}

/// A finding as published, with what hover and the quick fix need.
struct Published {
    diagnostic: lsp_types::Diagnostic,
    rule: &'static str,
    pointer: String,
}

struct Server<'c> {
    connection: &'c Connection,
    folders: Vec<PathBuf>,
    /// Open buffers by canonical path.
    buffers: HashMap<PathBuf, Buffer>,
    /// The findings last published, by canonical path.
    findings: HashMap<PathBuf, Vec<Published>>,
    /// The text of every file the last run read (for the quick fix on files that are not open).
    texts: HashMap<PathBuf, Arc<str>>,
    /// When the next lint is due.
    due: Option<Instant>,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, folders: Vec<PathBuf>) -> Server<'c> {
        Server {
            connection,
            folders,
            buffers: HashMap::new(),
            findings: HashMap::new(),
            texts: HashMap::new(),
            due: None,
        }
    }

    fn run(&mut self) -> io::Result<()> {
        loop {
            let message = match self.due {
                Some(due) => {
                    match self
                        .connection
                        .receiver
                        .recv_timeout(due.saturating_duration_since(Instant::now()))
                    {
                        Ok(m) => m,
                        Err(RecvTimeoutError::Timeout) => {
                            self.lint();
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => return Ok(()),
                    }
                }
                None => match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(protocol)?
                    {
                        return Ok(());
                    }
                    self.request(request);
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        // The client is gone when this fails: the loop ends on the next receive.
        let _ = self.connection.sender.send(message);
    }

    fn log(&self, kind: MessageType, message: String) {
        self.send(
            Notification::new(
                LogMessage::METHOD.to_string(),
                LogMessageParams { typ: kind, message },
            )
            .into(),
        );
    }

    fn request(&mut self, request: Request) {
        let response = match request.method.as_str() {
            HoverRequest::METHOD => match serde_json::from_value::<HoverParams>(request.params) {
                Ok(p) => Response::new_ok(request.id, self.hover(&p)),
                Err(e) => invalid(request.id, &e),
            },
            CodeActionRequest::METHOD => {
                match serde_json::from_value::<CodeActionParams>(request.params) {
                    Ok(p) => Response::new_ok(request.id, self.code_actions(&p)),
                    Err(e) => invalid(request.id, &e),
                }
            }
            _ => Response::new_err(
                request.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("rampart does not handle `{}`", request.method),
            ),
        };
        self.send(response.into());
    }

    fn notification(&mut self, notification: Notification) {
        let params = notification.params;
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params)
                    && let Some(path) = canonical_uri_path(&p.text_document.uri)
                {
                    self.buffers.insert(
                        path,
                        Buffer {
                            uri: p.text_document.uri,
                            version: p.text_document.version,
                            text: p.text_document.text,
                        },
                    );
                    self.schedule(Duration::ZERO);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params)
                    && let Some(path) = canonical_uri_path(&p.text_document.uri)
                    && let Some(buffer) = self.buffers.get_mut(&path)
                {
                    for change in &p.content_changes {
                        text::apply_change(&mut buffer.text, change);
                    }
                    buffer.version = p.text_document.version;
                    self.schedule(DEBOUNCE);
                }
            }
            // Configuration files are read from disk: a saved one may change every finding.
            DidSaveTextDocument::METHOD => self.schedule(Duration::ZERO),
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params)
                    && let Some(path) = canonical_uri_path(&p.text_document.uri)
                {
                    self.buffers.remove(&path);
                    self.schedule(Duration::ZERO);
                }
            }
            _ => {}
        }
    }

    fn schedule(&mut self, after: Duration) {
        self.due = Some(Instant::now() + after);
    }

    /// Lints the workspace with the open buffers and publishes what changed.
    fn lint(&mut self) {
        self.due = None;
        let overlays: HashMap<PathBuf, Arc<str>> = self
            .buffers
            .iter()
            .map(|(path, b)| (path.clone(), Arc::from(b.text.as_str())))
            .collect();
        let mut requests: Vec<LintRequest> = self
            .folders
            .iter()
            .map(|folder| LintRequest {
                paths: vec![folder.to_string_lossy().into_owned()],
                project_root: Some(folder.clone()),
                config: ConfigMode::Discover,
                overlays: overlays.clone(),
                ..LintRequest::default()
            })
            .collect();
        // Buffers outside every workspace folder are linted on their own.
        let mut outside: HashSet<PathBuf> = HashSet::new();
        for path in self.buffers.keys() {
            if !self.folders.iter().any(|f| path.starts_with(f)) {
                outside.insert(path.clone());
                requests.push(LintRequest {
                    paths: vec![path.to_string_lossy().into_owned()],
                    config: ConfigMode::Discover,
                    overlays: overlays.clone(),
                    ..LintRequest::default()
                });
            }
        }
        let started = Instant::now();
        let mut reports: Vec<Report> = Vec::new();
        for request in &requests {
            let run = std::panic::AssertUnwindSafe(|| crate::lint(request));
            match std::panic::catch_unwind(run) {
                Ok(report) => reports.push(report),
                Err(payload) => {
                    let what = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    self.log(
                        MessageType::ERROR,
                        format!(
                            "rampart failed while linting {}: {what}; the diagnostics shown are \
                             those of the last run that succeeded",
                            request.paths.join(", ")
                        ),
                    );
                    return;
                }
            }
        }
        let documents: usize = reports.iter().map(Report::documents).sum();
        self.log(
            MessageType::LOG,
            format!(
                "linted {documents} document(s) in {} ms",
                started.elapsed().as_millis()
            ),
        );
        let mut findings: HashMap<PathBuf, Vec<Published>> = HashMap::new();
        self.texts.clear();
        for report in &reports {
            for file in &report.files {
                let path = PathBuf::from(&*file.path);
                let path = std::fs::canonicalize(&path).unwrap_or(path);
                self.texts.insert(path, file.text.clone());
            }
            for d in &report.diagnostics {
                let path = d.location.abs.to_path_buf();
                if d.rule == crate::engine::builtin::NOT_OPENAPI.id
                    || (outside.contains(&path)
                        && !looks_like_openapi(self.text_of(&path).unwrap_or_default()))
                {
                    continue;
                }
                let published = self.convert(d);
                findings.entry(path).or_default().push(published);
            }
            for e in &report.config_errors {
                let path = PathBuf::from(&e.path);
                let path = std::fs::canonicalize(&path).unwrap_or(path);
                let text = self
                    .text_of(&path)
                    .map(str::to_string)
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
        let mut paths: Vec<PathBuf> = findings.keys().cloned().collect();
        paths.extend(
            self.findings
                .keys()
                .filter(|p| !findings.contains_key(*p))
                .cloned(),
        );
        paths.sort();
        for path in paths {
            let list = findings.get(&path).map_or(&[][..], Vec::as_slice);
            let (uri, version) = match self.buffers.get(&path) {
                Some(b) => (b.uri.clone(), Some(b.version)),
                None => match path_to_uri(&path) {
                    Some(uri) => (uri, None),
                    None => continue,
                },
            };
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics: list.iter().map(|p| p.diagnostic.clone()).collect(),
                version,
            };
            self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into());
        }
        self.findings = findings;
    }

    /// The text the editor shows for a file: its buffer, else what the last run read.
    fn text_of(&self, path: &Path) -> Option<&str> {
        self.buffers
            .get(path)
            .map(|b| b.text.as_str())
            .or_else(|| self.texts.get(path).map(|t| &**t))
    }

    fn convert(&self, d: &crate::Diagnostic) -> Published {
        let range = |l: &crate::Location| Range {
            start: Position {
                line: l.start.line.saturating_sub(1),
                character: l.start.utf16_column,
            },
            end: Position {
                line: l.end.line.saturating_sub(1),
                character: l.end.utf16_column,
            },
        };
        let related = d
            .related
            .iter()
            .filter_map(|r| {
                let uri = self
                    .buffers
                    .get(&*r.location.abs)
                    .map(|b| b.uri.clone())
                    .or_else(|| path_to_uri(&r.location.abs))?;
                Some(DiagnosticRelatedInformation {
                    location: lsp_types::Location {
                        uri,
                        range: range(&r.location),
                    },
                    message: r.message.clone(),
                })
            })
            .collect::<Vec<_>>();
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let tags = (d.rule == crate::engine::builtin::UNUSED_SUPPRESSION.id)
            .then(|| vec![DiagnosticTag::UNNECESSARY]);
        Published {
            diagnostic: lsp_types::Diagnostic {
                range: range(&d.location),
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Info => DiagnosticSeverity::INFORMATION,
                    Severity::Hint => DiagnosticSeverity::HINT,
                }),
                code: Some(NumberOrString::String(d.rule.to_string())),
                code_description: None,
                source: Some("rampart".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags,
                data: None,
            },
            rule: d.rule,
            pointer: d.location.pointer.clone(),
        }
    }

    /// The findings of a file that overlap a range.
    fn findings_at(&self, uri: &Uri, range: Range) -> (PathBuf, Vec<&Published>) {
        let path = canonical_uri_path(uri).unwrap_or_default();
        let found = self
            .findings
            .get(&path)
            .map(|list| {
                list.iter()
                    .filter(|p| {
                        let r = p.diagnostic.range;
                        r.start <= range.end && range.start <= r.end
                    })
                    .collect()
            })
            .unwrap_or_default();
        (path, found)
    }

    /// The page of each rule with a finding under the cursor.
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = params.text_document_position_params.position;
        let (_, found) = self.findings_at(
            &params.text_document_position_params.text_document.uri,
            Range { start: at, end: at },
        );
        let mut pages: Vec<&str> = Vec::new();
        let mut range = None;
        for p in found {
            if let Some(meta) = crate::rules::find_meta(p.rule)
                && !pages.contains(&meta.docs)
            {
                pages.push(meta.docs);
                range.get_or_insert(p.diagnostic.range);
            }
        }
        if pages.is_empty() {
            return None;
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: pages.join("\n---\n\n"),
            }),
            range,
        })
    }

    /// "suppress `<id>` here" for each rule with a finding in the range.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let (path, found) = self.findings_at(uri, params.range);
        let Some(text) = self.text_of(&path) else {
            return Vec::new();
        };
        let mut actions = Vec::new();
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for p in found {
            // Input problems and configuration mistakes are fixed, not suppressed.
            let suppressible = crate::rules::find_meta(p.rule).is_some_and(|m| m.owasp.is_some());
            if !suppressible || !seen.insert((p.rule, &p.pointer)) {
                continue;
            }
            let Some((offset, insert)) =
                suppress::edit(&path.to_string_lossy(), text, &p.pointer, p.rule)
            else {
                continue;
            };
            let at = text::position_of(text, offset);
            let edit = TextEdit {
                range: Range { start: at, end: at },
                new_text: insert,
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("suppress `{}` here", p.rule),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![p.diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }));
        }
        actions
    }
}

fn invalid(id: lsp_server::RequestId, e: &serde_json::Error) -> Response {
    Response::new_err(
        id,
        lsp_server::ErrorCode::InvalidParams as i32,
        e.to_string(),
    )
}

/// The canonical path of a `file://` URI (the path itself for a file not on disk).
fn canonical_uri_path(uri: &Uri) -> Option<PathBuf> {
    let path = uri_to_path(uri)?;
    Some(std::fs::canonicalize(&path).unwrap_or(path))
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

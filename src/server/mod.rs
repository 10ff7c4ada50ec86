//! `rampart server`: a language server (LSP 3.17) over standard input and output.
//!
//! A plain, synchronous message loop. Open buffers are kept in memory and win over the files on disk.
//! A change is linted once the buffer has been quiet for [`MIN_DEBOUNCE`] when the last lint took
//! less than [`DEBOUNCE`] (a small document is linted as the user types), else for [`DEBOUNCE`] (a
//! large one when they pause), on a thread of its own
//! (`worker`): the whole workspace folder is linted with every open buffer as an overlay, so a
//! fragment that documents reach through `$ref`s gets the findings those documents have in it. The
//! loop keeps answering hover and code actions meanwhile; a lint whose snapshot of the buffers is
//! older than the buffers is never published, and one lint at most runs at a time. Diagnostics are
//! published for every file with findings, and an empty list for every file that had some and has
//! none now. Files changed on disk (when the editor watches them) and saved configuration files are
//! linted again.

mod edit;
mod fix;
mod text;
mod worker;

pub mod suppress;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Exit, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, HoverRequest, RegisterCapability, Request as _, Shutdown,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, LogMessageParams,
    MarkupContent, MarkupKind, MessageType, PublishDiagnosticsParams, Range, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit,
};

use edit::Doc;
use worker::{Job, Outcome, Published, Snapshot};

pub use text::{path_to_uri, uri_to_path};

/// How long a buffer must be left alone before it is linted, when linting takes longer than this.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// How long when linting is quicker: the notifications of one edit (several cursors, a formatting)
/// arrive together.
pub const MIN_DEBOUNCE: Duration = Duration::from_millis(5);

/// How long after a file changed on disk it is linted (a checkout changes many at once).
const WATCH_DELAY: Duration = Duration::from_millis(50);

/// The names of configuration files, which are read from disk.
const CONFIG_NAMES: [&str; 2] = [".rampart.yaml", "rampart.yaml"];

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
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        execute_command_provider: Some(lsp_types::ExecuteCommandOptions {
            commands: vec![EXPLAIN.to_string()],
            ..lsp_types::ExecuteCommandOptions::default()
        }),
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
    let (jobs, outcomes) = worker::spawn();
    let mut server = Server::new(connection, workspace_folders(&params), jobs, outcomes);
    if watches_files(&params) {
        server.watch_files();
    }
    server.run()
}

fn protocol(e: lsp_server::ProtocolError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Whether the client lets the server ask it to watch files.
fn watches_files(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        == Some(true)
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
    text: Arc<str>,
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
    /// Counts the changes to what a lint reads (buffers, files on disk, configuration).
    generation: u64,
    /// Files changed on disk since the last job, and whether everything must be linted again (a
    /// configuration changed).
    disk_changes: Vec<PathBuf>,
    everything: bool,
    /// When the next lint is due.
    due: Option<Instant>,
    /// A lint is running on the lint thread.
    running: bool,
    /// A lint fell due while another ran: it starts when that one ends.
    queued: bool,
    jobs: Sender<Job>,
    outcomes: Receiver<Outcome>,
    /// The last file parsed for code actions, kept while its text stays the same.
    parsed: Option<(PathBuf, Doc)>,
    next_request: i32,
    /// The editor asked the server to shut down: it waits for `exit`.
    shut_down: bool,
    /// When the last change came, and how long the last lint took.
    last_change: Instant,
    last_lint: Duration,
    /// The buffer version of each file's last publication (`None` for a file that is not open).
    published_versions: HashMap<PathBuf, Option<i32>>,
}

impl<'c> Server<'c> {
    fn new(
        connection: &'c Connection,
        folders: Vec<PathBuf>,
        jobs: Sender<Job>,
        outcomes: Receiver<Outcome>,
    ) -> Server<'c> {
        Server {
            connection,
            folders,
            buffers: HashMap::new(),
            findings: HashMap::new(),
            texts: HashMap::new(),
            generation: 0,
            disk_changes: Vec::new(),
            everything: false,
            due: None,
            running: false,
            queued: false,
            jobs,
            outcomes,
            parsed: None,
            next_request: 0,
            shut_down: false,
            last_change: Instant::now(),
            last_lint: DEBOUNCE,
            published_versions: HashMap::new(),
        }
    }

    fn run(&mut self) -> io::Result<()> {
        loop {
            let timer = match self.due {
                Some(due) => crossbeam_channel::at(due),
                None => crossbeam_channel::never(),
            };
            select! {
                recv(self.connection.receiver) -> message => {
                    let Ok(message) = message else {
                        return Ok(());
                    };
                    match message {
                        // Some editors ask twice (Neovim: when the client stops, and again as it
                        // quits): every `shutdown` is answered, and `exit` ends the loop.
                        Message::Request(request) if request.method == Shutdown::METHOD => {
                            self.shut_down = true;
                            self.send(Response::new_ok(request.id, ()).into());
                        }
                        Message::Request(request) if self.shut_down => {
                            self.send(
                                Response::new_err(
                                    request.id,
                                    lsp_server::ErrorCode::InvalidRequest as i32,
                                    "the server is shutting down".to_string(),
                                )
                                .into(),
                            );
                        }
                        Message::Request(request) => self.request(request),
                        Message::Notification(notification)
                            if notification.method == Exit::METHOD =>
                        {
                            return if self.shut_down {
                                Ok(())
                            } else {
                                Err(io::Error::other("the editor said `exit` before `shutdown`"))
                            };
                        }
                        Message::Notification(_) if self.shut_down => {}
                        Message::Notification(notification) => self.notification(notification),
                        Message::Response(response) => {
                            if let Err(error) = response.response_result {
                                self.log(
                                    MessageType::WARNING,
                                    format!("the editor refused a request: {}", error.message),
                                );
                            }
                        }
                    }
                }
                recv(self.outcomes) -> outcome => match outcome {
                    Ok(outcome) => self.finished(outcome),
                    Err(_) => return Err(io::Error::other("the lint thread stopped")),
                },
                recv(timer) -> _ => self.start_lint(),
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

    /// Asks the editor to report changes to specifications and configuration files on disk.
    fn watch_files(&mut self) {
        let watcher = |pattern: &str| FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern.to_string()),
            kind: None,
        };
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![watcher("**/*.{yaml,yml,json}"), watcher("**/.rampart.yaml")],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "rampart-watched-files".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let request = Request::new(
            format!("rampart-{}", self.next_request).into(),
            RegisterCapability::METHOD.to_string(),
            params,
        );
        self.send(request.into());
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
            "workspace/executeCommand" => {
                match serde_json::from_value::<lsp_types::ExecuteCommandParams>(request.params) {
                    Ok(p) => {
                        self.execute(&p);
                        Response::new_ok(request.id, serde_json::Value::Null)
                    }
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

    /// `rampart.explain RULE`: the rule's summary and the address of its page, as a message.
    fn execute(&self, params: &lsp_types::ExecuteCommandParams) {
        if params.command != EXPLAIN {
            return;
        }
        let Some(meta) = params
            .arguments
            .first()
            .and_then(|a| a.as_str())
            .and_then(crate::rules::find_meta)
        else {
            return;
        };
        self.send(
            Notification::new(
                "window/showMessage".to_string(),
                lsp_types::ShowMessageParams {
                    typ: MessageType::INFO,
                    message: format!(
                        "{}: {}\n{}",
                        meta.id,
                        meta.summary,
                        crate::output::rule_url(meta.id)
                    ),
                },
            )
            .into(),
        );
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
                            text: Arc::from(p.text_document.text),
                        },
                    );
                    self.changed(Duration::ZERO);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params)
                    && let Some(path) = canonical_uri_path(&p.text_document.uri)
                    && let Some(buffer) = self.buffers.get_mut(&path)
                {
                    let mut text = buffer.text.to_string();
                    for change in &p.content_changes {
                        text::apply_change(&mut text, change);
                    }
                    buffer.text = Arc::from(text);
                    buffer.version = p.text_document.version;
                    let quiet = if self.last_lint < DEBOUNCE {
                        MIN_DEBOUNCE
                    } else {
                        DEBOUNCE
                    };
                    self.changed(quiet);
                }
            }
            // Configuration files are read from disk: a saved one may change every finding.
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(params)
                    && uri_to_path(&p.text_document.uri).is_some_and(|p| is_config(&p))
                {
                    self.everything = true;
                    self.changed(Duration::ZERO);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params)
                    && let Some(path) = canonical_uri_path(&p.text_document.uri)
                {
                    self.buffers.remove(&path);
                    self.changed(Duration::ZERO);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                    // An open buffer wins over its file, except for configuration files; folders
                    // that are never linted (`node_modules`...) change nothing.
                    let relevant = p.changes.iter().any(|c| {
                        uri_to_path(&c.uri).is_some_and(|path| {
                            let skipped = self.is_skipped(&path);
                            !skipped
                                && (is_config(&path)
                                    || !self.buffers.contains_key(
                                        &std::fs::canonicalize(&path).unwrap_or(path),
                                    ))
                        })
                    });
                    if relevant {
                        for c in &p.changes {
                            if let Some(path) = uri_to_path(&c.uri) {
                                if is_config(&path) {
                                    self.everything = true;
                                }
                                self.disk_changes
                                    .push(std::fs::canonicalize(&path).unwrap_or(path));
                            }
                        }
                        self.changed(WATCH_DELAY);
                    }
                }
            }
            _ => {}
        }
    }

    /// Something a lint reads changed: lint once it has been quiet for `after`.
    fn changed(&mut self, after: Duration) {
        self.generation += 1;
        self.last_change = Instant::now();
        self.due = Some(self.last_change + after);
    }

    /// Hands the lint thread a snapshot of the buffers (or queues it behind the running one).
    fn start_lint(&mut self) {
        self.due = None;
        if self.running {
            self.queued = true;
            return;
        }
        let buffers = self
            .buffers
            .iter()
            .map(|(path, b)| Snapshot {
                path: path.clone(),
                uri: b.uri.clone(),
                version: b.version,
                text: b.text.clone(),
            })
            .collect();
        let job = Job {
            waited: self.last_change.elapsed(),
            generation: self.generation,
            folders: self.folders.clone(),
            buffers,
            disk_changes: std::mem::take(&mut self.disk_changes),
            everything: std::mem::take(&mut self.everything),
        };
        if self.jobs.send(job).is_ok() {
            self.running = true;
        }
    }

    /// A lint ended: publish it if nothing changed since its snapshot, then start the queued one.
    fn finished(&mut self, outcome: Outcome) {
        self.running = false;
        if let Ok(linted) = &outcome.result {
            self.last_lint = linted.elapsed;
        }
        match outcome.result {
            Err(message) => self.log(
                MessageType::ERROR,
                format!(
                    "{message}; the diagnostics shown are those of the last run that succeeded"
                ),
            ),
            Ok(_) if outcome.generation != self.generation => self.log(
                MessageType::LOG,
                "dropped a lint of an older state of the buffers".to_string(),
            ),
            Ok(linted) => {
                self.log(
                    MessageType::LOG,
                    format!(
                        "linted {} document(s) in {} ms ({} ms in the library), {} ms after the \
                         last change",
                        linted.documents,
                        linted.elapsed.as_millis(),
                        linted.library.as_millis(),
                        (linted.waited + linted.elapsed).as_millis(),
                    ),
                );
                self.publish(linted);
            }
        }
        if self.queued {
            self.queued = false;
            self.start_lint();
        }
    }

    fn publish(&mut self, linted: worker::Linted) {
        let mut notifications = linted.notifications;
        let mut paths: Vec<PathBuf> = linted.findings.keys().cloned().collect();
        paths.extend(
            self.findings
                .keys()
                .filter(|p| !linted.findings.contains_key(*p))
                .cloned(),
        );
        paths.sort();
        for path in paths {
            // A file whose findings are those it shows, at the version it shows, is left alone: in a
            // workspace of many documents an edit republishes only what it changed.
            let version = self.buffers.get(&path).map(|b| b.version);
            let same_version = self.published_versions.get(&path) == Some(&version);
            let unchanged = |old: Option<&Vec<Published>>| {
                let new = linted.findings.get(&path).map_or(&[][..], Vec::as_slice);
                let old = old.map_or(&[][..], Vec::as_slice);
                old.len() == new.len()
                    && old
                        .iter()
                        .zip(new)
                        .all(|(a, b)| a.diagnostic == b.diagnostic)
            };
            if same_version && unchanged(self.findings.get(&path)) {
                continue;
            }
            let notification = match notifications.remove(&path) {
                Some(n) => {
                    self.published_versions.insert(path.clone(), version);
                    n
                }
                // Cleared: the file had findings and has none now.
                None => {
                    self.published_versions.remove(&path);
                    let (uri, version) = match self.buffers.get(&path) {
                        Some(b) => (b.uri.clone(), Some(b.version)),
                        None => match path_to_uri(&path) {
                            Some(uri) => (uri, None),
                            None => continue,
                        },
                    };
                    let params = PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version,
                    };
                    Notification::new(PublishDiagnostics::METHOD.to_string(), params)
                }
            };
            self.send(notification.into());
        }
        self.findings = linted.findings;
        self.texts = linted.texts;
    }

    /// The text the editor shows for a file: its buffer, else what the last run read.
    fn text_of(&self, path: &Path) -> Option<&Arc<str>> {
        self.buffers
            .get(path)
            .map(|b| &b.text)
            .or_else(|| self.texts.get(path))
    }

    /// The findings of a file that overlap a range.
    fn findings_at(&self, path: &Path, range: Range) -> Vec<&Published> {
        self.findings
            .get(path)
            .map(|list| {
                list.iter()
                    .filter(|p| {
                        let r = p.diagnostic.range;
                        r.start <= range.end && range.start <= r.end
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The page of each rule with a finding under the cursor.
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = params.text_document_position_params.position;
        let path = canonical_uri_path(&params.text_document_position_params.text_document.uri)?;
        let found = self.findings_at(&path, Range { start: at, end: at });
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

    /// The parsed text of a file as the editor shows it (parsed once per text).
    fn parsed(&mut self, path: &Path) -> Option<&Doc> {
        let text = self.text_of(path)?.clone();
        let fresh = self
            .parsed
            .as_ref()
            .is_some_and(|(p, doc)| p == path && std::ptr::eq(doc.text(), &*text));
        if !fresh {
            self.parsed = None;
            let doc = Doc::parse(&path.to_string_lossy(), text)?;
            self.parsed = Some((path.to_path_buf(), doc));
        }
        self.parsed.as_ref().map(|(_, doc)| doc)
    }

    /// For the findings in the range: the fixes rampart can write, then "suppress `<id>` here".
    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(path) = canonical_uri_path(uri) else {
            return Vec::new();
        };
        let found: Vec<(lsp_types::Diagnostic, &'static str, String)> = self
            .findings_at(&path, params.range)
            .into_iter()
            .map(|p| (p.diagnostic.clone(), p.rule, p.pointer.clone()))
            .collect();
        // The `429` of one operation is offered where the document lacks some, on lines that name
        // an operation or its `responses` (the file is parsed only then: editors ask for code
        // actions at every move of the cursor).
        let lacks_429 = self
            .findings
            .get(&path)
            .is_some_and(|list| list.iter().any(|p| p.rule == "rate-limit-429-missing"))
            && self
                .text_of(&path)
                .is_some_and(|t| fix::may_name_an_operation(t, params.range));
        if found.is_empty() && !lacks_429 {
            return Vec::new();
        }
        let Some(doc) = self.parsed(&path) else {
            return Vec::new();
        };
        let text = doc.text();
        let action = |title: String,
                      diagnostic: Option<&lsp_types::Diagnostic>,
                      edits: Vec<(usize, String)>,
                      preferred: bool| {
            let edits = edits
                .into_iter()
                .map(|(offset, new_text)| {
                    let at = text::position_of(text, offset);
                    TextEdit {
                        range: Range { start: at, end: at },
                        new_text,
                    }
                })
                .collect();
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diagnostic.map(|d| vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            })
        };
        let mut fixes = Vec::new();
        let mut titles: HashSet<String> = HashSet::new();
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for (diagnostic, rule, pointer) in &found {
            if !seen.insert((rule, pointer)) {
                continue;
            }
            for f in fix::for_finding(doc, rule, pointer, &diagnostic.message) {
                if titles.insert(f.title.clone()) {
                    let edits = f.inserts.into_iter().map(|i| (i.offset, i.text)).collect();
                    fixes.push(action(f.title, Some(diagnostic), edits, true));
                }
            }
        }
        if lacks_429 {
            let from = text::offset_of(text, params.range.start);
            let to = text::offset_of(text, params.range.end);
            if let Some(f) = fix::add_429_at(doc, from, to)
                && titles.insert(f.title.clone())
            {
                let diagnostic = found
                    .iter()
                    .find(|(_, rule, _)| *rule == "rate-limit-429-missing")
                    .map(|(d, _, _)| d);
                let edits = f.inserts.into_iter().map(|i| (i.offset, i.text)).collect();
                fixes.push(action(f.title, diagnostic, edits, false));
            }
        }
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for (diagnostic, rule, pointer) in &found {
            // Input problems and configuration mistakes are fixed, not suppressed.
            let suppressible = crate::rules::find_meta(rule).is_some_and(|m| m.owasp.is_some());
            if !suppressible || !seen.insert((rule, pointer)) {
                continue;
            }
            let Some((offset, insert)) = suppress::edit_tree(doc.tree(), text, pointer, rule)
            else {
                continue;
            };
            fixes.push(action(
                format!("suppress `{rule}` here"),
                Some(diagnostic),
                vec![(offset, insert)],
                false,
            ));
        }
        let mut explained: HashSet<&str> = HashSet::new();
        for (diagnostic, rule, _) in &found {
            if crate::rules::find_meta(rule).is_none() || !explained.insert(rule) {
                continue;
            }
            let title = format!("explain `{rule}`");
            fixes.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: title.clone(),
                diagnostics: Some(vec![diagnostic.clone()]),
                command: Some(lsp_types::Command {
                    title,
                    command: EXPLAIN.to_string(),
                    arguments: Some(vec![serde_json::json!(rule)]),
                }),
                ..CodeAction::default()
            }));
        }
        fixes
    }
}

impl Server<'_> {
    /// Whether a path lies in a folder that folder walks leave out (`.git`, `node_modules`,
    /// `target`) below a workspace folder.
    fn is_skipped(&self, path: &Path) -> bool {
        self.folders.iter().any(|folder| {
            path.strip_prefix(folder).is_ok_and(|inside| {
                inside.components().any(|part| {
                    crate::discover::SKIPPED_DIRS
                        .iter()
                        .any(|d| part.as_os_str() == *d)
                })
            })
        })
    }
}

/// Whether a path names a configuration file.
/// The command of the "explain" code action.
const EXPLAIN: &str = "rampart.explain";

fn is_config(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| CONFIG_NAMES.contains(&n))
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

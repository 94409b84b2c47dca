//! `s3lint server`: a language server over standard input and output (LSP, on `lsp-server`'s transport and
//! `lsp-types`' messages). Diagnostics for Hadoop `*-site.xml`, Flink `flink-conf.yaml` / `config.yaml` and Spark
//! `spark-defaults.conf` on open, change and save, each buffer checked in its deployment with its unsaved text
//! ([`crate::check_buffer`]); hover on a key; completion of S3 key names; quick fixes for the safe suggestions.
//!
//! This module is the transport and dispatch; [`documents`] holds the open buffers, [`diagnostics`] turns findings
//! into diagnostics, [`hover`], [`completion`] and [`code_actions`] answer their requests, [`position`] converts
//! between byte offsets and LSP positions.

pub mod code_actions;
pub mod completion;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod position;

use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, Hover, HoverContents, HoverProviderCapability, InitializeParams,
    MarkupContent, MarkupKind, PositionEncodingKind, PublishDiagnosticsParams, Range, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
    Uri,
};
use serde::de::DeserializeOwned;

use crate::deployment::discover::DiscoverOptions;
use crate::deployment::environment::Environment;
use crate::lint::suppress::ProjectSettings;
use documents::Documents;
use position::Encoding;

/// The server's state between messages.
struct Server {
    connection: Connection,
    encoding: Encoding,
    documents: Documents,
    options: DiscoverOptions,
    settings: ProjectSettings,
}

/// Runs the server on standard input and output until the client's `shutdown` and `exit`.
pub fn run() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(|e| format!("language server: {e}"))?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| format!("initialize: {e}"))?;
    let encoding = negotiate(&params);
    let capabilities = capabilities(encoding);
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "s3lint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result).map_err(|e| format!("language server: {e}"))?;
    let settings = load_settings(&params);
    let options = DiscoverOptions { env: Environment::from_process(), ..Default::default() };
    let mut server = Server { connection, encoding, documents: Documents::default(), options, settings };
    server.serve()?;
    drop(server);
    io.join().map_err(|e| format!("language server: {e}"))
}

/// UTF-8 positions when the client offers them, else LSP's default UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|e| e.contains(&PositionEncodingKind::UTF8)) { Encoding::Utf8 } else { Encoding::Utf16 }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string()]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// `.s3lint.yaml` of the workspace's first folder (or the working directory), as `check` reads it there.
fn load_settings(params: &InitializeParams) -> ProjectSettings {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first()).and_then(|f| documents::file_path(&f.uri));
    #[allow(deprecated)] // root_uri: older clients send only it.
    let root = folder
        .or_else(|| params.root_uri.as_ref().and_then(documents::file_path))
        .unwrap_or_else(|| PathBuf::from("."));
    ProjectSettings::load(&root.join(".s3lint.yaml"), false, &Default::default()).unwrap_or_default()
}

impl Server {
    fn serve(&mut self) -> Result<(), String> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(req) => {
                    if self.connection.handle_shutdown(&req).map_err(|e| format!("language server: {e}"))? {
                        return Ok(());
                    }
                    let response = self.request(req);
                    self.send(Message::Response(response));
                }
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // The client has gone when this fails; the receive loop then ends.
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        match req.method.as_str() {
            HoverRequest::METHOD => self.answer(id, req.params, |s, p: lsp_types::HoverParams| s.hover(p)),
            Completion::METHOD => self.answer(id, req.params, |s, p: lsp_types::CompletionParams| s.complete(p)),
            CodeActionRequest::METHOD => {
                self.answer(id, req.params, |s, p: lsp_types::CodeActionParams| s.code_actions(p))
            }
            _ => Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unknown method {}", req.method)),
        }
    }

    fn answer<P: DeserializeOwned, R: serde::Serialize>(
        &mut self,
        id: RequestId,
        params: serde_json::Value,
        f: impl FnOnce(&mut Self, P) -> R,
    ) -> Response {
        match serde_json::from_value(params) {
            Ok(p) => Response::new_ok(id, f(self, p)),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n.params) {
                    self.documents.open(p.text_document.uri.clone(), p.text_document.text);
                    self.publish(&p.text_document.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n.params) {
                    self.documents.change(&p.text_document.uri, p.content_changes, self.encoding);
                    self.publish(&p.text_document.uri);
                }
            }
            // A saved file may change what its siblings' checks see: every open document is checked again.
            DidSaveTextDocument::METHOD => {
                for uri in self.documents.uris() {
                    self.publish(&uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n.params) {
                    self.documents.close(&p.text_document.uri);
                    self.send_diagnostics(p.text_document.uri, Vec::new());
                }
            }
            _ => {}
        }
    }

    /// Checks the document and publishes its diagnostics (none for a file s3lint does not read).
    fn publish(&mut self, uri: &Uri) {
        let encoding = self.encoding;
        let Some(doc) = self.documents.get_mut(uri) else { return };
        let (diagnostics, fixes) = match &doc.path {
            Some(path) if diagnostics::is_configuration(path) || diagnostics::is_code(path, &doc.text) => {
                diagnostics::check(path, &doc.text, &self.options, &self.settings, encoding)
            }
            _ => (Vec::new(), Vec::new()),
        };
        doc.fixes = fixes;
        self.send_diagnostics(uri.clone(), diagnostics);
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams { uri, diagnostics, version: None };
        self.send(Message::Notification(Notification::new(PublishDiagnostics::METHOD.to_string(), params)));
    }

    fn hover(&mut self, p: lsp_types::HoverParams) -> Option<Hover> {
        let at = &p.text_document_position_params;
        let doc = self.documents.get(&at.text_document.uri)?;
        let offset = position::offset(&doc.text, at.position, self.encoding);
        let (start, word) = hover::word_at(&doc.text, offset)?;
        let value = hover::describe(word)?;
        let range = position::range(&doc.text, crate::source::Span::new(start, start + word.len()), self.encoding);
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
            range: Some(range),
        })
    }

    fn complete(&mut self, p: lsp_types::CompletionParams) -> Option<lsp_types::CompletionResponse> {
        let at = &p.text_document_position;
        let doc = self.documents.get(&at.text_document.uri)?;
        let offset = position::offset(&doc.text, at.position, self.encoding);
        let start = hover::word_at(&doc.text, offset).map_or(offset, |(s, _)| s.min(offset));
        let prefix = &doc.text[start..offset];
        let replace = Range::new(position::position(&doc.text, start, self.encoding), at.position);
        let dialect = completion::Dialect::of(doc.path.as_deref().unwrap_or(std::path::Path::new("")));
        Some(lsp_types::CompletionResponse::Array(completion::complete(prefix, dialect, replace)))
    }

    fn code_actions(&mut self, p: lsp_types::CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let Some(doc) = self.documents.get(&p.text_document.uri) else { return Vec::new() };
        code_actions::actions(&doc.uri, &doc.fixes, p.range)
    }
}

/// A notification's parameters; malformed ones are ignored (a notification has no reply to carry an error).
fn params<P: DeserializeOwned>(value: serde_json::Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

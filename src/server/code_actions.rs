//! Code actions: the safe fixes findings carry ([`crate::lint::Finding::suggestion`]) as quick fixes that replace
//! the finding's span (or the span it names) with the suggestion — the same text `tests/advice.rs` applies and
//! re-checks.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, NumberOrString, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics::Fix;

/// The quick fixes of `fixes` whose diagnostic overlaps `range`.
pub fn actions(uri: &Uri, fixes: &[Fix], range: Range) -> Vec<CodeActionOrCommand> {
    fixes
        .iter()
        .filter(|f| overlaps(f.diagnostic.range, range) || overlaps(f.range, range))
        .map(|f| {
            let rule = match &f.diagnostic.code {
                Some(NumberOrString::String(s)) => s.as_str(),
                _ => "s3lint",
            };
            let title = if f.text.is_empty() {
                format!("{rule}: remove the text")
            } else {
                format!("{rule}: replace with `{}`", f.text)
            };
            let edit = TextEdit::new(f.range, f.text.clone());
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![f.diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            })
        })
        .collect()
}

/// True when two ranges share a position (touching counts: a cursor at a diagnostic's end is on it).
fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

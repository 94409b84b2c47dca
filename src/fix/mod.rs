//! `check --fix` / `--diff`: the safe, mechanical fixes of a checked deployment. Only what is unambiguous:
//! - `unknown-key`: a misspelt key renamed to its did-you-mean (which is given only when no other key is as
//!   close);
//! - `deprecated-key`: a renamed key renamed to its successor, where the successor is one key that the
//!   deployment's version reads;
//! - `s3a-buffer-dir-missing`: `fs.s3a.buffer.dir` = `/tmp/s3a` added to the Hadoop XML file (core-site.xml)
//!   of the deployment;
//! - `fs-s3-impl-missing`: `fs.s3.impl` = `org.apache.hadoop.fs.s3a.S3AFileSystem` added where the deployment
//!   already runs S3A (Spark with hadoop-aws, a Hadoop configuration of S3A, a Flink home with hadoop-aws in
//!   `lib/` and no S3 plugin to install instead) — with `fs.s3a.buffer.dir` where that needs it too;
//! - `s3-plugin-layout`: a Flink S3 plugin jar moved from `lib/` or from directly in `plugins/` into
//!   `plugins/<name>/`.
//!
//! An edit never touches a secret's bytes, a renamed key never clashes with a key the file already defines,
//! and every edited text is read again by the file's own reader, which must see exactly the planned change and
//! nothing else (else the file is left alone). Files are written back in their own encoding, byte for byte
//! the same outside the edits ([`codec`]). Everything else stays a finding.

pub mod codec;
pub mod diff;
pub mod edits;
pub mod insert;
pub mod moves;
mod plan;

use std::collections::BTreeMap;
use std::path::Path;

use crate::deployment::Deployment;
use crate::source::FileId;

use codec::Codec;
use edits::TextEdit;
use moves::JarMove;

pub use plan::plan;

/// The fixes planned for one checked deployment.
#[derive(Debug, Default)]
pub struct Plan {
    /// Text edits, sorted by file and position, not overlapping, each checked by re-reading its file.
    pub edits: Vec<TextEdit>,
    /// Jar moves.
    pub moves: Vec<JarMove>,
    /// Fixes given up (a clash with another edit, a file whose reader saw something else), one sentence each.
    pub skipped: Vec<String>,
}

impl Plan {
    /// True when there is nothing to fix.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty() && self.moves.is_empty()
    }

    /// The edits of each file, in file order.
    fn by_file(&self) -> BTreeMap<FileId, Vec<&TextEdit>> {
        let mut out: BTreeMap<FileId, Vec<&TextEdit>> = BTreeMap::new();
        for e in &self.edits {
            out.entry(e.file).or_default().push(e);
        }
        out
    }

    /// Writes every edit and makes every move. Each file is read again first: when its bytes are no longer
    /// what was checked, it is left alone and named in the error.
    pub fn apply(&self, d: &Deployment) -> Result<(), String> {
        for (file, edits) in self.by_file() {
            let source = d.sources.get(file);
            let bytes = std::fs::read(&source.path)
                .map_err(|e| format!("cannot read {}: {}", source.display, crate::source::io_reason(&e)))?;
            let codec = Codec::detect(&source.text, &bytes).ok_or_else(|| {
                format!("{} changed since it was checked, or its encoding cannot be kept; not fixed", source.display)
            })?;
            let new = codec
                .encode(&edits::apply(&source.text, &edits))
                .ok_or_else(|| format!("{}: the fix cannot be written in the file's encoding", source.display))?;
            std::fs::write(&source.path, new)
                .map_err(|e| format!("cannot write {}: {}", source.display, crate::source::io_reason(&e)))?;
        }
        self.moves.iter().try_for_each(JarMove::run)
    }

    /// What `--diff` prints: the `mkdir`/`mv` commands of the jar moves, then a unified diff per file
    /// (`--- a/PATH`, `+++ b/PATH`, paths relative to `cwd` where they lie under it, so `patch -p1` applies it
    /// there), each file's part in the file's own encoding. The notes say what the diff cannot show (a line
    /// holding a secret, a UTF-16 file).
    pub fn diff(&self, d: &Deployment, cwd: &Path) -> (Vec<u8>, Vec<String>) {
        let mut out = Vec::new();
        let mut notes = Vec::new();
        for m in &self.moves {
            out.extend(m.command().into_bytes());
            out.push(b'\n');
        }
        for (file, edits) in self.by_file() {
            let source = d.sources.get(file);
            let codec = std::fs::read(&source.path).ok().and_then(|b| Codec::detect(&source.text, &b));
            let Some(codec) = codec.filter(|c| c.diffable()) else {
                notes.push(format!("{}: not shown as a diff (UTF-16 or unreadable); `--fix` edits it", source.display));
                continue;
            };
            let (text, hidden) = diff::unified(source, &diff_path(&source.path, &source.display, cwd), &edits);
            for e in hidden {
                let line = source.position(e.span.start).line;
                notes.push(format!(
                    "{}:{line}: not shown, the line holds a secret; `--fix` would {}",
                    source.display, e.what
                ));
            }
            out.extend(codec.encode(&text).unwrap_or_else(|| text.into_bytes()));
        }
        (out, notes)
    }

    /// One line per fix: `FILE:LINE:COL: rule: what` (a jar move: `JAR: s3-plugin-layout: mkdir … && mv …`).
    pub fn summary(&self, d: &Deployment) -> Vec<String> {
        let mut out: Vec<String> = self
            .edits
            .iter()
            .map(|e| {
                let source = d.sources.get(e.file);
                let p = source.position(e.span.start);
                format!("{}:{}:{}: {}: {}", source.display, p.line, p.column, e.rule, e.what)
            })
            .collect();
        out.extend(self.moves.iter().map(|m| format!("{}: s3-plugin-layout: `{}`", m.from_display, m.command())));
        out
    }
}

/// The path a diff names a file by: relative to `cwd` (as given, when it was given relative), else the absolute
/// path without its leading `/` (then `patch -p1 -d /` applies it).
fn diff_path(path: &Path, display: &str, cwd: &Path) -> String {
    if Path::new(display).is_relative() {
        return display.trim_start_matches("./").to_string();
    }
    match path.strip_prefix(cwd) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string().trim_start_matches('/').to_string(),
    }
}

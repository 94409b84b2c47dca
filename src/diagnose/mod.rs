//! Recognising known S3 failures in stack traces and logs: the input is streamed through the trace reader
//! ([`scan::scan`]), every exception chain is matched against the failure catalogue ([`matcher`]), and the
//! result keeps the ranked diagnoses plus a bounded list of the exceptions seen.

pub mod chain;
mod chains;
pub mod facts;
mod header;
mod lines;
pub mod matcher;
mod repeats;
pub mod scan;
mod unwrap;

use std::io::Read;

use crate::knowledge::Catalog;
use chain::Link;
use matcher::{Diagnosis, Matcher};
use scan::ScanStats;

/// At most this many exceptions are listed in a result (a long log may hold thousands).
pub const MAX_LISTED_EXCEPTIONS: usize = 200;

/// An exception seen in the input, for the `exceptions` list of the JSON contract.
#[derive(Debug, Clone)]
pub struct SeenException {
    /// The class as written.
    pub class: String,
    /// The first line of its message.
    pub message: String,
    /// 1-based input line of its header.
    pub line: usize,
    /// 0 for the head of a chain, 1 for its first `Caused by`, ...
    pub caused_by_depth: usize,
}

/// What `diagnose` found in one input.
#[derive(Debug)]
pub struct DiagnoseResult<'c> {
    /// Known failures, best first; empty when nothing known was found.
    pub diagnoses: Vec<Diagnosis<'c>>,
    /// The exceptions seen (at most [`MAX_LISTED_EXCEPTIONS`]).
    pub exceptions: Vec<SeenException>,
    /// Bytes, lines and chains read.
    pub stats: ScanStats,
}

/// Streams `input` and diagnoses every exception chain in it; memory does not grow with the input's size.
pub fn diagnose<R: Read>(input: R, catalog: &Catalog) -> std::io::Result<DiagnoseResult<'_>> {
    let mut matcher = Matcher::new();
    let mut exceptions = Vec::new();
    let stats = scan::scan(input, |chain| {
        for ex in chain.exceptions.iter().filter(|e| e.link != Link::Suppressed && !e.quoted && !e.class.is_empty()) {
            if exceptions.len() < MAX_LISTED_EXCEPTIONS {
                exceptions.push(SeenException {
                    class: ex.class.clone(),
                    message: ex.message.lines().next().unwrap_or("").chars().take(500).collect(),
                    line: ex.line,
                    caused_by_depth: ex.depth,
                });
            }
        }
        matcher.add(catalog, &chain);
    })?;
    Ok(DiagnoseResult { diagnoses: matcher.finish(), exceptions, stats })
}

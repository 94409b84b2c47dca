//! The official Flink image's entrypoint conventions, as `docker-entrypoint.sh` of the apache/flink-docker
//! repository implements them (read at `1.17/scala_2.12-java11-ubuntu/docker-entrypoint.sh`, commit 1cb66d3,
//! and `1.20/scala_2.12-java17-ubuntu/docker-entrypoint.sh`, commit 983be34):
//!
//! * `ENABLE_BUILT_IN_PLUGINS`: `copy_plugins_if_required` splits the value at `;` (then at white space), and for
//!   each name runs `mkdir -p $FLINK_HOME/plugins/${name%.jar}` and `ln -fs $FLINK_HOME/opt/<name>` into it; a
//!   name with no file in `opt/` makes the container exit at start-up ("Plugin … does not exist. Exiting.").
//! * `FLINK_PROPERTIES`: up to Flink 1.18 images, `prepare_configuration` appends the block verbatim to
//!   `conf/flink-conf.yaml` (then `envsubst`s the whole file), so Flink's legacy line reader reads it; from the
//!   1.19 images on, `process_flink_properties` takes each line, deletes all its white space
//!   (`tr -d '[:space:]'`), splits it at the first `:` and passes `-Dkey=value` (the value `envsubst`ed) to
//!   `config-parser-utils.sh`, which writes `config.yaml`.

use crate::deployment::config::Entry;
use crate::source::Span;
use crate::source::{FileId, Location};

/// Finds the pieces of a value in the file text where it is written, in order (a piece not written as such,
/// after an escape or expansion, gets the whole value's span).
pub struct Finder<'t> {
    text: &'t str,
    within: Span,
    cursor: usize,
}

impl<'t> Finder<'t> {
    /// Looks for pieces within `within` of `text`.
    pub fn new(text: &'t str, within: Span) -> Self {
        Finder { text, within, cursor: within.start }
    }

    /// The span of the next occurrence of `piece`.
    pub fn next(&mut self, piece: &str) -> Span {
        let hay = self.text.get(self.cursor..self.within.end).unwrap_or("");
        match hay.find(piece) {
            Some(i) if !piece.is_empty() => {
                let start = self.cursor + i;
                self.cursor = start + piece.len();
                Span::new(start, self.cursor)
            }
            _ => self.within,
        }
    }
}

/// `FLINK_PROPERTIES` lines as the official image's entrypoint reads them: one `key: value` per line, split at
/// the first `:` (what the 1.19+ entrypoint does; the legacy reader of older images splits the same lines at
/// `": "`, the same split for the `key: value` lines users write).
pub fn flink_properties(value: &str, mut find: Finder<'_>, file: FileId) -> Vec<Entry> {
    let mut out = Vec::new();
    for line in value.split('\n') {
        let line = line.trim();
        let Some((k, v)) = line.split_once(':') else { continue };
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() {
            continue;
        }
        let key_at = Location::new(file, find.next(k));
        let value_at = if v.is_empty() { key_at } else { Location::new(file, find.next(v)) };
        out.push(Entry {
            key: k.to_string(),
            value: v.to_string(),
            raw: v.to_string(),
            key_at,
            value_at,
            is_final: false,
            machine_dependent: v.contains('$'),
        });
    }
    out
}

use super::notes;
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::NoteKind;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// Lines of a legacy `flink-conf.yaml` that Flink's line reader skips or reads differently from what the
    /// author meant. That reader is not a YAML parser: it cuts each line at the first `#`, splits it at the
    /// first `": "` (colon and space), and trims both sides. So:
    /// - `key:value` or `key:<tab>value` has no `": "` and is dropped (Flink logs "Line is not a key-value
    ///   pair (missing space after ':'?)");
    /// - a key with an empty value, or a `- item` list line, is dropped;
    /// - a nested block (`s3:` with indented `access-key: …` below) is not nested: the indented lines become
    ///   top-level keys such as `access-key`, which no option reads;
    /// - a value with `#` inside (`secret#part`) is cut at the `#`;
    /// - quotes are kept: `"s3://bucket/ckpt"` includes the quote characters.
    ///
    /// ## Why it matters
    /// The setting the author wrote is silently not applied, or applied with a different value — a checkpoint
    /// directory that does not parse, a secret that is shorter than the real one.
    ///
    /// ## How to fix
    /// Write `key: value` on one line, without quotes, and without `#` in values; or move to Flink 1.19+'s
    /// standard-YAML `config.yaml`, where nesting and quoting mean what they mean in YAML.
    pub FlinkConfUnparsedLine => "flink-conf-unparsed-line", Warning, "a flink-conf.yaml line Flink skips or reads differently than meant"
}

impl Rule for FlinkConfUnparsedLine {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for (_, note) in notes(d) {
            let help = match note.kind {
                NoteKind::UnparsedLine => {
                    "Write the setting as `key: value` on one line (a space after the colon, a non-empty value, no nesting)."
                }
                NoteKind::ValueCutAtHash => {
                    "Flink's legacy reader starts a comment at any `#`: remove the `#` from the value, or move to config.yaml where quoting protects it."
                }
                NoteKind::QuotedValue => "Remove the quotes: the legacy reader keeps them as part of the value.",
                NoteKind::NestedKeyAsTopLevel => {
                    "Write the full dotted key on one line (e.g. `s3.access-key: …`); the legacy reader has no nesting."
                }
                _ => continue,
            };
            let mut f = Self::META.finding(note.at, note.message.clone(), help);
            if let Some(k) = &note.key {
                f = f.with_key(k.clone());
            }
            out.push(f);
        }
    }
}

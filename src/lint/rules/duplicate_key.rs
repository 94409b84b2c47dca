use super::{definition_at, notes};
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::NoteKind;
use crate::lint::facts::describe;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A key defined twice in one file (Hadoop XML, including XIncluded files, or Flink's configuration), and a
    /// later definition of a Hadoop key that an earlier `<final>true</final>` definition locks.
    ///
    /// ## Why it matters
    /// Both readers keep the last definition silently, so an edit to the first one has no effect; a reviewer
    /// reading top-down sees the wrong value. A `final` key cannot be overridden at all: Hadoop logs
    /// `an attempt to override final parameter: KEY;  Ignoring.` and keeps the first value, which surprises
    /// whoever added the override.
    ///
    /// ## How to fix
    /// Keep one definition. To override a `final` key, change it where it is declared final or drop `<final>`.
    pub DuplicateKey => "duplicate-key", Warning, "a key defined twice, or a final key overridden"
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for (config, note) in notes(d) {
            let key = note.key.clone().unwrap_or_default();
            let Some(earlier) = note.related else { continue };
            let finding = match note.kind {
                NoteKind::Duplicate => {
                    let same = match (definition_at(config, note.at), definition_at(config, earlier)) {
                        (Some(a), Some(b)) => a.value == b.value,
                        _ => false,
                    };
                    let (severity, tail) = if same {
                        (Severity::Info, "with the same value; the repetition is redundant")
                    } else {
                        (Severity::Warning, "with a different value; this later one silently wins")
                    };
                    Self::META
                        .finding(
                            note.at,
                            format!("`{key}` is defined again (first at {}) {tail}", describe(d, earlier)),
                            "Keep a single definition of the key.",
                        )
                        .with_severity(severity)
                }
                NoteKind::FinalOverrideIgnored => Self::META.finding(
                    note.at,
                    format!("`{key}` is final at {}, so this definition is ignored", describe(d, earlier)),
                    "Change the value where the key is declared final, or remove `<final>true</final>` there.",
                ),
                _ => continue,
            };
            out.push(finding.with_key(key).with_related(earlier, "first defined here"));
        }
    }
}

use super::notes;
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::NoteKind;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// Content of a Hadoop XML file that Hadoop's parser ignores without a word: an unknown element inside
    /// `<property>` (`<nmae>`, `<valeu>`), a `<property>` without a `<name>`, a root element other than
    /// `<configuration>` (read anyway), and an `xi:include` whose target is missing so that its `xi:fallback`
    /// is used.
    ///
    /// ## Why it matters
    /// Hadoop's parser skips elements it does not know, so a typo in `<name>` or `<value>` drops the property
    /// or its value silently — the setting the file seems to make is not made.
    ///
    /// ## How to fix
    /// Correct the element name; each `<property>` needs `<name>` and `<value>`.
    pub HadoopXmlIgnoredContent => "hadoop-xml-ignored-content", Warning, "XML content Hadoop's parser silently ignores"
}

impl Rule for HadoopXmlIgnoredContent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for (_, note) in notes(d) {
            let (severity, help) = match note.kind {
                NoteKind::IgnoredElement => {
                    (Severity::Warning, "Use `<name>`, `<value>`, `<final>` or `<description>` inside `<property>`.")
                }
                NoteKind::PropertyWithoutName => (Severity::Warning, "Give the property a `<name>`, or remove it."),
                NoteKind::UnexpectedRoot => (Severity::Info, "Use `<configuration>` as the root element."),
                NoteKind::IncludeFallbackUsed => (
                    Severity::Info,
                    "Create the included file, or remove the include if the fallback is what you want.",
                ),
                _ => continue,
            };
            let mut f = Self::META.finding(note.at, note.message.clone(), help).with_severity(severity);
            if let Some(k) = &note.key {
                f = f.with_key(k.clone());
            }
            out.push(f);
        }
    }
}

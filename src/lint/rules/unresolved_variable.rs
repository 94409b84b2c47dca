use super::notes;
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::NoteKind;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// A `${var}` in a Hadoop XML value that Hadoop leaves as literal text: no configuration key or JVM system
    /// property has that name, or the key refers to itself. `${env.NAME}` references are not reported: they
    /// resolve from the environment of the cluster's processes, which s3lint cannot see.
    ///
    /// ## Why it matters
    /// Hadoop expands `${name}` from system properties and other keys only; an environment variable must be
    /// written `${env.NAME}` (with `${env.NAME:-default}` for a fallback). Otherwise the literal `${NAME}` ends up
    /// in a path, an endpoint or a credential — `fs.s3a.buffer.dir` = `${LOCAL_DIR}/s3a` creates a directory
    /// literally named `${LOCAL_DIR}`.
    ///
    /// ## How to fix
    /// Write `${env.NAME}` for environment variables, define the referenced key, or write the value out.
    pub UnresolvedVariable => "unresolved-variable", Warning, "a ${var} that Hadoop leaves unexpanded"
}

impl Rule for UnresolvedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for (_, note) in notes(d).filter(|(_, n)| n.kind == NoteKind::UnresolvedVariable) {
            // `${env.NAME}` depends on the environment of the cluster, not of the machine running s3lint.
            let written = d.sources.get(note.at.file).text.get(note.at.span.start..note.at.span.end).unwrap_or("");
            if only_environment_references(written) {
                continue;
            }
            let mut f = Self::META.finding(
                note.at,
                note.message.clone(),
                "Use `${env.NAME}` (or `${env.NAME:-default}`) for an environment variable, or define the referenced key.",
            );
            if let Some(k) = &note.key {
                f = f.with_key(k.clone());
            }
            out.push(f);
        }
    }
}

/// True when every `${…}` in `text` is an environment reference (`${env.NAME}`, `${env.NAME:-default}`).
fn only_environment_references(text: &str) -> bool {
    let refs: Vec<&str> = text.match_indices("${").map(|(i, _)| &text[i + 2..]).collect();
    !refs.is_empty() && refs.iter().all(|r| r.starts_with("env."))
}

#[cfg(test)]
mod tests {
    #[test]
    fn environment_references_are_left_to_the_cluster() {
        assert!(super::only_environment_references("${env.ARCHIVE_SECRET_KEY}"));
        assert!(super::only_environment_references("${env.LOCAL_DIRS:-/tmp}/s3a"));
        assert!(!super::only_environment_references("${LOCAL_DIRS}/s3a"));
        assert!(!super::only_environment_references("${env.A}/${B}"));
    }
}

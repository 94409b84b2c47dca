use super::notes;
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::NoteKind;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// A `${var}` in a Hadoop XML value that Hadoop leaves as literal text: no configuration key or JVM system
    /// property has that name, or the key refers to itself. `${env.NAME}` references are not reported: they
    /// resolve from the environment of the cluster's processes, which s3lint cannot see. Neither are keys that
    /// Hadoop's own `core-default.xml` defines (`${hadoop.tmp.dir}`, the S3A defaults), which Hadoop loads before
    /// any site file.
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
            if resolved_at_run_time(written, !d.is_flink()) {
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

/// Keys outside the S3 catalogue that Hadoop's `core-default.xml` defines and site files commonly reference.
const CORE_DEFAULT_KEYS: [&str; 2] = ["hadoop.tmp.dir", "hadoop.security.authentication"];

/// True when every `${…}` in `text` resolves on the cluster: an environment reference (`${env.NAME}`,
/// `${env.NAME:-default}`), or — when Hadoop itself loads the file (`with_defaults`) — a key `core-default.xml`
/// defines. Flink's Hadoop route is not given that benefit: its shaded Hadoop may not bring `core-default.xml`,
/// which is why the guide insists on `fs.s3a.buffer.dir`.
fn resolved_at_run_time(text: &str, with_defaults: bool) -> bool {
    let refs: Vec<&str> = text.match_indices("${").map(|(i, _)| &text[i + 2..]).collect();
    let defined_by_defaults = |r: &str| {
        let name = r.split('}').next().unwrap_or("");
        CORE_DEFAULT_KEYS.contains(&name)
            || crate::knowledge::keys::catalogue().get(name).is_some_and(|k| k.default.is_some())
    };
    !refs.is_empty() && refs.iter().all(|r| r.starts_with("env.") || (with_defaults && defined_by_defaults(r)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn environment_references_and_core_defaults_are_left_to_the_cluster() {
        use super::resolved_at_run_time as resolved;
        assert!(resolved("${env.ARCHIVE_SECRET_KEY}", false));
        assert!(resolved("${env.LOCAL_DIRS:-/tmp}/s3a", false));
        assert!(resolved("${hadoop.tmp.dir}/s3a", true));
        assert!(!resolved("${hadoop.tmp.dir}/s3a", false), "Flink's route may lack core-default.xml");
        assert!(!resolved("${LOCAL_DIRS}/s3a", true));
        assert!(!resolved("${env.A}/${B}", true));
        assert!(!resolved("${hadoop.tmp.directory}/s3a", true));
    }
}

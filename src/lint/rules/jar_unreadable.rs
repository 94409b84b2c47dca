use crate::declare_rule;
use crate::deployment::{Deployment, JarPlace};
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A `.jar` in the deployment (in `lib/`, `plugins/`, `opt/`, a Hadoop home, a directory of jars or the given
    /// classpath) that is not a readable zip archive: empty, truncated by an interrupted copy or download, an
    /// HTML error page saved under a jar's name, or unreadable for permissions.
    ///
    /// ## Why it matters
    /// The JVM skips or chokes on it (`java.util.zip.ZipException: zip END header not found`, `error in opening
    /// zip file`), so the classes it should provide are missing at run time; s3lint also cannot tell what the jar
    /// is, so version checks cannot include it.
    ///
    /// ## How to fix
    /// Copy the jar again from the distribution it came from (check its size and checksum), or delete it if it is
    /// not needed.
    pub JarUnreadable => "jar-unreadable", Warning, "a .jar that is not a readable zip archive"
}

impl Rule for JarUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for jar in &d.jars {
            let Some(reason) = &jar.unreadable else { continue };
            let loaded = !matches!(jar.place, JarPlace::Opt);
            let consequence = if loaded {
                "its classes will be missing at run time"
            } else {
                "it is only in opt/, but a copy of it would be broken too"
            };
            out.push(
                Self::META
                    .finding_on_path(
                        &jar.display,
                        format!("`{}` cannot be read as a jar ({reason}): {consequence}", jar.file_name),
                        "Copy the jar again from its distribution (compare size and checksum), or delete it.",
                    )
                    .with_severity(if loaded { Severity::Warning } else { Severity::Info }),
            );
        }
    }
}

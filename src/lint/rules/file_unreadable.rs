use crate::declare_rule;
use crate::deployment::Deployment;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// A file under a directory s3lint walks that it would have read but cannot: a configuration file (`*-site.xml`,
    /// `flink-conf.yaml`, `conf/config.yaml`) or jar that is a dangling symbolic link, a symbolic link that points
    /// back at itself, a FIFO or a device instead of a regular file, or a file or directory without read
    /// permission. The rest of the deployment is still checked; a path named on the command line that cannot be
    /// read still stops the check ("could not check", exit 2).
    ///
    /// ## Why it matters
    /// Hadoop and Flink cannot read it either: a dangling `core-site.xml` link means the settings in it are not in
    /// effect (Hadoop silently uses its defaults), a dangling jar link means missing classes at run time. And
    /// s3lint could not check it, so problems in it go unreported.
    ///
    /// ## How to fix
    /// Point the link at the real file (or remove it), make the file a regular file, or give the user that runs
    /// the job (and s3lint) read permission.
    pub FileUnreadable => "file-unreadable", Warning, "a file under a walked directory that cannot be read"
}

impl Rule for FileUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for f in &d.unreadable {
            let help = if f.malformed {
                "Fix the file at the place named and check again (a template must be rendered first, e.g. `helm \
                 template`)."
            } else {
                "Point the link at the real file or remove it, make it a regular file, or grant read permission."
            };
            out.push(Self::META.finding_on_path(
                &f.display,
                format!("`{}` cannot be read: {}; it was not checked", f.display, f.reason),
                help,
            ));
        }
    }
}

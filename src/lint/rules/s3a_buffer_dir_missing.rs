use crate::declare_rule;
use crate::deployment::{Deployment, Setting};
use crate::lint::classpath_facts::{HadoopFs, hadoop_fs_uses};
use crate::lint::{Finding, Rule, RuleMeta, Severity};
use crate::source::Location;

declare_rule! {
    /// ## What it catches
    /// Hadoop's S3AFileSystem is used through Hadoop's own configuration (`fs.s3.impl` or `fs.s3a.impl` names
    /// `org.apache.hadoop.fs.s3a.S3AFileSystem`, or `s3a://` URIs are used with no Flink S3 plugin serving them)
    /// and `fs.s3a.buffer.dir` is not set, is empty, or names a relative directory.
    ///
    /// ## Why it matters
    /// S3A buffers every upload in local files under `fs.s3a.buffer.dir`. When the key is unset on Flink's
    /// Hadoop route, the first write fails with `java.lang.NullPointerException` at
    /// `org.apache.hadoop.fs.LocalDirAllocator$AllocatorPerContext.confChanged`. A relative directory is resolved
    /// against each process's working directory, which is rarely a disk meant for large temporary files.
    ///
    /// ## How to fix
    /// Set it in `core-site.xml` to one or more absolute local directories (comma-separated) on disks with room
    /// for in-flight uploads:
    /// `<property><name>fs.s3a.buffer.dir</name><value>/mnt/s3a-buffer</value></property>`.
    /// The Flink S3 plugin (`flink-s3-fs-hadoop`) brings Hadoop's defaults and does not need it, and neither does
    /// Spark, whose Hadoop client carries `core-default.xml` (`${hadoop.tmp.dir}/s3a`).
    pub S3aBufferDirMissing => "s3a-buffer-dir-missing", Error, "S3A is used through Hadoop and fs.s3a.buffer.dir is not set"
}

impl Rule for S3aBufferDirMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some((selector, why)) = s3a_through_hadoop(d) else { return };
        let dirs: Vec<Setting<'_>> = d.effective_settings().filter(|s| is_buffer_dir_key(s.key)).collect();
        // Spark ships the whole Hadoop client, whose core-default.xml sets `${hadoop.tmp.dir}/s3a`.
        if dirs.is_empty() && crate::lint::spark_help::spark_terms(d) {
            return;
        }
        if dirs.is_empty() {
            let empty = d.all_settings().find(|s| is_buffer_dir_key(s.key));
            let (at, message) = match empty {
                Some(e) => (e.entry.value_at, "`fs.s3a.buffer.dir` is empty, which Hadoop reads as unset".to_string()),
                None => {
                    let config = d.configs.iter().find(|c| c.file == selector.file).unwrap_or(&d.configs[0]);
                    (d.insertion_point(config), "`fs.s3a.buffer.dir` is not set".to_string())
                }
            };
            out.push(
                Self::META
                    .finding(
                        at,
                        format!("{message} but S3AFileSystem is used ({why}): the first write will fail with a NullPointerException in LocalDirAllocator"),
                        "Add `<property><name>fs.s3a.buffer.dir</name><value>/path/to/local/dir</value></property>` to core-site.xml, with an absolute directory on a local disk with room for in-flight uploads.",
                    )
                    .with_key("fs.s3a.buffer.dir")
                    .with_related(selector, "S3AFileSystem is selected here"),
            );
            return;
        }
        for s in dirs {
            for dir in s.entry.value.split(',').map(str::trim) {
                let problem = if dir.is_empty() {
                    "has an empty directory in its list".to_string()
                } else if !dir.starts_with('/') && !dir.starts_with("file:/") && !dir.contains("${") {
                    format!("names the relative directory `{dir}`, resolved against each process's working directory")
                } else {
                    continue;
                };
                out.push(
                    Self::META
                        .finding(
                            s.entry.value_at,
                            format!("`{}` {problem}", s.entry.key),
                            "Use absolute local directories, comma-separated, e.g. `/mnt/disk1/s3a,/mnt/disk2/s3a`.",
                        )
                        .with_key(s.key)
                        .with_severity(Severity::Warning),
                );
            }
        }
    }
}

fn is_buffer_dir_key(key: &str) -> bool {
    key == "fs.s3a.buffer.dir" || (key.starts_with("fs.s3a.bucket.") && key.ends_with(".buffer.dir"))
}

/// Where S3AFileSystem is selected through Hadoop (not served by the Flink plugin), and why: the shared
/// [`hadoop_fs_uses`], limited to deployments whose Hadoop configuration s3lint sees.
fn s3a_through_hadoop(d: &Deployment) -> Option<(Location, String)> {
    let u = hadoop_fs_uses(d).into_iter().find(|u| u.fs == HadoopFs::S3a)?;
    (u.explicit || d.has_hadoop_config()).then_some((u.at, u.why))
}

use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::dockerfile::Origin;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// A jar that a Dockerfile's `ADD <url>` downloads into the image (Spark's `jars/`, Flink's `lib/` or
    /// `plugins/`), written readable by its owner only, in an image that runs as another user — the official
    /// Spark image runs as uid 185 (`spark`), the official Flink image's entrypoint steps down to the `flink` user,
    /// Bitnami's Spark image runs as 1001.
    ///
    /// ## Why it matters
    /// "In the case where source is a remote file URL, the destination will have permissions of 600" (Dockerfile
    /// reference, `ADD`), owned by root unless `--chown` says otherwise. The JVM of the image's user cannot open the
    /// jar: the classpath silently skips it, and the job fails at its first S3 access with `ClassNotFoundException`
    /// (`org.apache.hadoop.fs.s3a.S3AFileSystem`) or `NoClassDefFoundError` (`com/amazonaws/…`), or Flink finds no
    /// filesystem for `s3://` in a plugin folder whose jar it cannot read.
    ///
    /// ## How to fix
    /// Give the file a mode others can read: `ADD --chmod=644 <url> <dir>/` — BuildKit applies `--chmod` to a URL
    /// source from Dockerfile syntax 1.3 on (release notes of 1.3.0: "ADD command with a remote URL input now
    /// correctly handles the --chmod flag"; `# syntax=docker/dockerfile:1.3` or later as the first line). The
    /// legacy builder refuses the flag ("the --chmod option requires BuildKit"); BuildKit is Docker Engine's
    /// default builder from 23.0. Or `ADD --chown=<the image's user> <url> <dir>/`; or download in a `RUN`
    /// (`RUN curl -fLo <dir>/<jar> <url>` writes mode 644 under the default umask).
    pub ImageJarRootOnly => "image-jar-root-only", Error, "a jar ADDed from a URL that only root can read, in an image that runs as another user"
}

impl Rule for ImageJarRootOnly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some(image) = super::own_image(d) else { return };
        let user = image
            .user
            .as_ref()
            .map(|(u, _)| u.as_str())
            .or_else(|| image.base.known.as_ref().map(|k| k.runs_as))
            .unwrap_or("a non-root user");
        for jar in image.jars.iter().filter(|j| j.root_only) {
            let Some(at) = jar.at else { continue };
            let from = match &jar.origin {
                Origin::Download(url) => format!("`{url}`"),
                _ => format!("`{}`", jar.file_name),
            };
            out.push(Self::META.finding(
                at,
                format!(
                    "`ADD` of {from} writes `{}` with mode 600 owned by root, but the image runs as `{user}`: the JVM cannot open it and its classes are missing at run time",
                    jar.path
                ),
                format!(
                    "Add `--chmod=644` to this ADD (BuildKit with `# syntax=docker/dockerfile:1.3` or later as the first line), or `--chown={user}`, or download it with `RUN curl -fLo {} <url>`.",
                    jar.path
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{at, dockerfile, findings, fixture};

    #[test]
    fn an_add_of_a_url_without_chmod_or_chown_is_reported_at_the_add() {
        let d = dockerfile(&fixture("dockerfile/bitnami-add-url.Dockerfile"));
        let found = findings(&d, "image-jar-root-only");
        assert_eq!(found.len(), 1, "--chmod=644 and --chown=1001 are fine: {found:#?}");
        let (pos, text) = at(&d, &found[0]);
        assert_eq!(pos, "2:1");
        assert!(text.starts_with("ADD https://repo1.maven.org/"), "{text}");
        let f = &found[0];
        assert!(f.message.contains("`/opt/bitnami/spark/jars/hadoop-aws-3.3.4.jar` with mode 600"), "{}", f.message);
        assert!(f.message.contains("the image runs as `1001`"), "{}", f.message);
        assert!(f.help.contains("--chmod=644") && f.help.contains("--chown=1001"), "{}", f.help);
    }

    #[test]
    fn the_official_spark_image_user_is_named_and_root_images_are_fine() {
        let url = "https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar";
        let d = dockerfile(&format!("FROM apache/spark:3.5.3\nADD {url} /opt/spark/jars/\n"));
        let found = findings(&d, "image-jar-root-only");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("runs as `185`"), "{}", found[0].message);
        let d = dockerfile(&format!("FROM apache/spark:3.5.3\nADD {url} /opt/spark/jars/\nUSER root\n"));
        assert!(findings(&d, "image-jar-root-only").is_empty(), "an image that runs as root reads it");
        let d =
            dockerfile(&format!("FROM apache/spark:3.5.3\nRUN curl -fLo /opt/spark/jars/hadoop-aws-3.3.4.jar {url}\n"));
        assert!(findings(&d, "image-jar-root-only").is_empty(), "curl writes 644");
    }

    #[test]
    fn the_suggested_chmod_is_accepted() {
        let url =
            "https://repo1.maven.org/maven2/org/apache/flink/flink-s3-fs-hadoop/1.17.1/flink-s3-fs-hadoop-1.17.1.jar";
        let broken = format!(
            "FROM flink:1.17.1\nRUN mkdir -p /opt/flink/plugins/s3-fs-hadoop\nADD {url} /opt/flink/plugins/s3-fs-hadoop/\n"
        );
        let found = findings(&dockerfile(&broken), "image-jar-root-only");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("the image runs as `flink`"), "{}", found[0].message);
        let fixed = broken.replace("ADD ", "ADD --chmod=644 ");
        assert!(findings(&dockerfile(&fixed), "image-jar-root-only").is_empty());
        let owned = broken.replace("ADD ", "ADD --chown=flink ");
        assert!(findings(&dockerfile(&owned), "image-jar-root-only").is_empty());
    }

    #[test]
    fn a_run_chmod_or_chown_after_the_add_makes_it_readable() {
        // As the Spark operator's own spark-docker/Dockerfile does it: ADD as root, then `RUN chmod 644`.
        let url = "https://repo1.maven.org/maven2/com/google/guava/guava/23.0/guava-23.0.jar";
        let base = format!("FROM apache/spark:3.5.5\nUSER root\nADD {url} $SPARK_HOME/jars\n");
        let broken = format!("{base}USER 185\n");
        assert_eq!(findings(&dockerfile(&broken), "image-jar-root-only").len(), 1);
        for fix in [
            "RUN chmod 644 $SPARK_HOME/jars/guava-23.0.jar",
            "RUN chmod a+r /opt/spark/jars/guava-23.0.jar",
            "RUN chmod -R go+rX /opt/spark/jars",
            "RUN chown 185 /opt/spark/jars/guava-23.0.jar",
        ] {
            let d = dockerfile(&format!("{base}{fix}\nUSER 185\n"));
            assert!(findings(&d, "image-jar-root-only").is_empty(), "{fix}");
        }
        // Modes that leave others without read keep the finding.
        for kept in ["RUN chmod 600 $SPARK_HOME/jars/guava-23.0.jar", "RUN chmod u+x $SPARK_HOME/jars/guava-23.0.jar"] {
            let d = dockerfile(&format!("{base}{kept}\nUSER 185\n"));
            assert_eq!(findings(&d, "image-jar-root-only").len(), 1, "{kept}");
        }
        // A user from an ARG of the base image (undefined here) is not known to be another user.
        let d = dockerfile(&format!("{base}USER ${{spark_uid}}\n"));
        assert!(findings(&d, "image-jar-root-only").is_empty());
    }
}

//! What a `FROM` line's image reference means: the official Flink and Spark images, their product version from
//! the tag, their home directory, working directory and user — as their Dockerfiles set them:
//!
//! * `flink` / `apache/flink` (apache/flink-docker, e.g. `1.20/scala_2.12-java17-ubuntu/Dockerfile`):
//!   `FLINK_HOME=/opt/flink`, `WORKDIR $FLINK_HOME`; the entrypoint steps down to the `flink` user (uid 9999);
//!   the distribution's `opt/` ships `flink-s3-fs-hadoop-<version>.jar` and `flink-s3-fs-presto-<version>.jar`.
//! * `spark` / `apache/spark` (apache/spark-docker, e.g. `3.5.3/scala2.12-java11-ubuntu/Dockerfile`):
//!   the distribution's `jars/` moved to `/opt/spark/jars`, `SPARK_HOME=/opt/spark`,
//!   `WORKDIR /opt/spark/work-dir`, `USER spark` (uid 185).
//! * `bitnami/spark` (bitnami/containers, `bitnami/spark/3.3/debian-11/Dockerfile`): `SPARK_HOME` and `WORKDIR`
//!   `/opt/bitnami/spark`, `USER 1001`.
//!
//! A tag with only a minor version (`flink:1.15`, `bitnami/spark:3.5`) floats to the latest patch release of
//! that line: the version is reported as minor-only, never with an invented patch. What the distribution inside
//! ships for that tag (a finished line's last patch, Spark's Hadoop client) is `rules/images.yaml`'s knowledge
//! ([`crate::knowledge::images`]).

/// The product an image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Apache Flink.
    Flink,
    /// Apache Spark.
    Spark,
}

/// The version a tag names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagVersion {
    /// `1.17.1`, or `1.15` for a floating tag.
    pub version: String,
    /// False for a floating tag that names a minor version only (`flink:1.15`): the patch release is whichever
    /// was latest when the image was pulled.
    pub exact: bool,
}

/// A known base image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownImage {
    /// The repository name (`flink`, `apache/spark`, `bitnami/spark`).
    pub name: String,
    /// What it runs.
    pub product: Product,
    /// The version the tag names (`None` for `latest`, no tag, or a tag without a version).
    pub version: Option<TagVersion>,
    /// The product's home (`/opt/flink`, `/opt/spark`, `/opt/bitnami/spark`).
    pub home: &'static str,
    /// The image's working directory.
    pub workdir: &'static str,
    /// The user the image's processes run as (`flink`, `185`, `1001`).
    pub runs_as: &'static str,
    /// The variable naming the home (`FLINK_HOME`, `SPARK_HOME`).
    pub home_var: &'static str,
}

/// An image reference split into name and tag (`docker.io/library/flink:1.17.1-scala_2.12@sha256:…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The repository name without a Docker Hub registry prefix or `library/` (`flink`, `apache/spark`).
    pub name: String,
    /// The tag (`latest` when none is given).
    pub tag: String,
}

/// Splits an image reference.
pub fn reference(image: &str) -> Reference {
    let no_digest = image.split('@').next().unwrap_or(image);
    let (name, tag) = match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => (&no_digest[..i], &no_digest[i + 1..]),
        _ => (no_digest, "latest"),
    };
    let mut name = name.to_ascii_lowercase();
    for prefix in ["docker.io/", "index.docker.io/", "registry-1.docker.io/", "registry.hub.docker.com/"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.to_string();
        }
    }
    if let Some(rest) = name.strip_prefix("library/") {
        name = rest.to_string();
    }
    Reference { name, tag: tag.to_string() }
}

/// The version at the start of a tag (`1.17.1-scala_2.12-java11`, `v3.4.0`, `3.5.3-debian-12-r0`). A preview or
/// release candidate (`2.0-preview1-java17`, `4.2.0-preview5-scala2.13-java17-ubuntu`) is one definite release,
/// named with its suffix as its jars are (`flink-s3-fs-hadoop-2.0-preview1.jar`), not the line it precedes.
pub fn tag_version(tag: &str) -> Option<TagVersion> {
    let t = tag.strip_prefix('v').unwrap_or(tag);
    let head: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let parts: Vec<&str> = head.split('.').filter(|p| !p.is_empty()).collect();
    let rest = &t[head.len()..];
    if parts.len() < 2 || parts.len() > 3 || rest.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let version = parts.join(".");
    for mark in ["-preview", "-rc"] {
        if let Some(after) = rest.strip_prefix(mark) {
            let n: String = after.chars().take_while(char::is_ascii_digit).collect();
            if !n.is_empty() && !after[n.len()..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
                return Some(TagVersion { version: format!("{version}{mark}{n}"), exact: true });
            }
        }
    }
    Some(TagVersion { version, exact: parts.len() == 3 })
}

/// The known image a reference names, if any.
pub fn known(image: &str) -> Option<KnownImage> {
    let r = reference(image);
    let version = tag_version(&r.tag);
    let (product, home, workdir, runs_as, home_var) = match r.name.as_str() {
        "flink" | "apache/flink" => (Product::Flink, "/opt/flink", "/opt/flink", "flink", "FLINK_HOME"),
        "spark" | "apache/spark" | "apache/spark-py" => {
            (Product::Spark, "/opt/spark", "/opt/spark/work-dir", "185", "SPARK_HOME")
        }
        "bitnami/spark" => (Product::Spark, "/opt/bitnami/spark", "/opt/bitnami/spark", "1001", "SPARK_HOME"),
        _ => return None,
    };
    Some(KnownImage { name: r.name, product, version, home, workdir, runs_as, home_var })
}

impl KnownImage {
    /// The jar directories of the home: `lib/`, `opt/`, `plugins/` for Flink; `jars/` for Spark.
    pub fn jar_dirs(&self) -> Vec<String> {
        match self.product {
            Product::Flink => ["lib", "opt", "plugins"].iter().map(|d| format!("{}/{d}", self.home)).collect(),
            Product::Spark => vec![format!("{}/jars", self.home)],
        }
    }

    /// The S3-relevant jars the distribution ships, by absolute path: for Flink `lib/flink-dist-<v>.jar` (where
    /// known) and the two S3 filesystems in `opt/`; for Spark `jars/spark-core_<scala>-<v>.jar` and the Hadoop
    /// client jars of that Spark line. A `*` stands for the patch of a floating tag whose line still gets images;
    /// a floating tag of a finished line (`flink:1.15`) names its last patch.
    pub fn shipped_jars(&self) -> Vec<String> {
        if let Some(r) = crate::knowledge::images::knowledge().image_release(self) {
            return r.jars;
        }
        let Some(v) = &self.version else { return Vec::new() };
        let version = if v.exact { v.version.clone() } else { format!("{}.*", v.version) };
        match self.product {
            // A line `rules/images.yaml` does not list: its opt/ follows the distribution's naming all the same.
            Product::Flink => ["flink-s3-fs-hadoop", "flink-s3-fs-presto"]
                .iter()
                .map(|a| format!("{}/opt/{a}-{version}.jar", self.home))
                .collect(),
            Product::Spark => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_images_and_their_versions() {
        let f = known("flink:1.17.1-scala_2.12").unwrap();
        assert_eq!((f.product, f.home), (Product::Flink, "/opt/flink"));
        assert_eq!(f.version, Some(TagVersion { version: "1.17.1".into(), exact: true }));
        assert_eq!(f.name, "flink");
        assert_eq!(
            f.shipped_jars(),
            [
                "/opt/flink/lib/flink-dist-1.17.1.jar",
                "/opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar",
                "/opt/flink/opt/flink-s3-fs-presto-1.17.1.jar"
            ]
        );
        let floating = known("docker.io/library/flink:1.15").unwrap();
        assert_eq!(floating.version, Some(TagVersion { version: "1.15".into(), exact: false }));
        // 1.15 gets no more images: the floating tag is its last patch, 1.15.4.
        assert_eq!(floating.shipped_jars()[2], "/opt/flink/opt/flink-s3-fs-presto-1.15.4.jar");
        // 1.20 still does: the patch is not known.
        assert_eq!(
            known("flink:1.20-java17").unwrap().shipped_jars()[2],
            "/opt/flink/opt/flink-s3-fs-presto-1.20.*.jar"
        );
        // A line the image knowledge does not list keeps the distribution's opt/ naming.
        assert_eq!(
            known("flink:1.8.3").unwrap().shipped_jars(),
            ["/opt/flink/opt/flink-s3-fs-hadoop-1.8.3.jar", "/opt/flink/opt/flink-s3-fs-presto-1.8.3.jar"]
        );
        let s = known("apache/spark:3.5.3-scala2.12-java17-python3-ubuntu").unwrap();
        assert_eq!((s.home, s.workdir, s.runs_as), ("/opt/spark", "/opt/spark/work-dir", "185"));
        assert_eq!(s.version.unwrap().version, "3.5.3");
        let b = known("bitnami/spark:3.5.3-debian-12-r0").unwrap();
        assert_eq!((b.name.as_str(), b.home), ("bitnami/spark", "/opt/bitnami/spark"));
        assert_eq!(b.shipped_jars()[1], "/opt/bitnami/spark/jars/hadoop-client-api-3.3.4.jar");
        assert_eq!(known("apache/spark-py:v3.4.0").unwrap().version.unwrap().version, "3.4.0");
        // Previews are releases of their own, not the line they precede.
        let preview = known("flink:2.0-preview1-scala_2.12-java17").unwrap();
        assert_eq!(preview.version, Some(TagVersion { version: "2.0-preview1".into(), exact: true }));
        assert_eq!(preview.shipped_jars()[0], "/opt/flink/opt/flink-s3-fs-hadoop-2.0-preview1.jar");
        let spark_preview = known("apache/spark:4.2.0-preview5-scala2.13-java17-ubuntu").unwrap();
        assert_eq!(spark_preview.version.as_ref().unwrap().version, "4.2.0-preview5");
        assert!(spark_preview.shipped_jars().is_empty(), "no preview's jars were verified");
        assert_eq!(known("flink:latest").unwrap().version, None);
        assert_eq!(known("flink:scala_2.12-java11").unwrap().version, None);
        assert_eq!(known("flink@sha256:abc").unwrap().version, None);
        assert!(known("eclipse-temurin:17-jre").is_none());
        assert!(known("myregistry:5000/flink").is_none());
    }
}

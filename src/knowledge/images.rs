//! Image knowledge from `rules/images.yaml` (embedded at build time): for the official Flink images each release
//! line's published patch releases and whether the line still gets images (so `flink:1.15` is exactly 1.15.4),
//! and for Spark each line's Hadoop client in `jars/` (verified from the pyspark packages on PyPI) and which
//! images unpack that distribution. [`release`] turns a tag's version into the release and the S3-relevant jars
//! its distribution ships. Every entry cites its source in the YAML.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::deployment::dockerfile::image::{KnownImage, Product, TagVersion};
use crate::deployment::version::Version;

/// The embedded image knowledge.
pub const BUILTIN_IMAGES: &str = include_str!("../../rules/images.yaml");

/// One Flink release line of the official image.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlinkLine {
    /// `major.minor`.
    pub line: String,
    /// Every patch release an image was built for, ascending.
    pub patches: Vec<String>,
    /// True when the line gets no more images: its floating tag is the last patch.
    pub finished: bool,
    /// The Scala versions of its image variants, the default (untagged) one first.
    pub scala: Vec<String>,
    /// The file name of `lib/`'s flink-dist jar (`{version}` replaced), where verified.
    pub dist: Option<String>,
    /// The Hadoop release flink-s3-fs-hadoop shades, where verified.
    pub hadoop: Option<String>,
    /// Source tags.
    pub source: String,
}

/// The official Flink image.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlinkImages {
    /// The image names (`flink`, `apache/flink`).
    pub images: Vec<String>,
    /// The artifact ids of the S3 filesystems in `opt/`.
    pub opt_s3_plugins: Vec<String>,
    /// Source tags.
    pub source: String,
    /// Release lines, oldest first.
    pub lines: Vec<FlinkLine>,
}

/// An image that runs Spark.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SparkImage {
    /// The image name.
    pub name: String,
    /// The first line whose images are known to unpack the default binary distribution (`None`: no line).
    pub distribution_since: Option<String>,
    /// File names of jars the image adds to `jars/` besides the distribution's.
    pub adds: Vec<String>,
    /// Source tags.
    pub source: String,
}

/// One Spark release line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SparkLine {
    /// `major.minor`.
    pub line: String,
    /// The Hadoop release of the client jars in `jars/`.
    pub hadoop: String,
    /// Their artifact ids (`hadoop-client-api`, `hadoop-client-runtime`; `hadoop-common` before 3.2).
    pub hadoop_jars: Vec<String>,
    /// The Scala suffixes of the Spark jars, the images' first.
    pub scala: Vec<String>,
    /// The pyspark releases whose jars were read.
    pub verified: Vec<String>,
    /// Source tags.
    pub source: String,
}

/// Spark images and lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SparkImages {
    /// The images.
    pub images: Vec<SparkImage>,
    /// Release lines, oldest first.
    pub lines: Vec<SparkLine>,
}

/// The whole of `rules/images.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageKnowledge {
    /// Source tag -> citation.
    pub sources: BTreeMap<String, String>,
    /// The Flink image.
    pub flink: FlinkImages,
    /// The Spark images.
    pub spark: SparkImages,
}

/// What a tag's version means for the distribution inside the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRelease {
    /// What it runs.
    pub product: Product,
    /// The release (`1.15.4`), or the line (`1.20`) for a floating tag of a line that still gets images.
    pub version: String,
    /// True when `version` is one definite release.
    pub exact: bool,
    /// For a floating tag of a line that still gets images: the latest patch known, which it is at least.
    pub at_least: Option<String>,
    /// The Hadoop release the distribution's S3 support is built on (Spark's `jars/`, Flink's shaded plugin),
    /// when known for this release.
    pub hadoop: Option<String>,
    /// The Scala versions of the release's images, the default first.
    pub scala: Vec<String>,
    /// The S3-relevant jars the distribution ships, relative to the product's home (`opt/…`, `jars/…`); a `*`
    /// stands for the patch of a floating tag.
    pub jars: Vec<String>,
}

impl ImageKnowledge {
    /// Parses and validates the YAML.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::validated(serde_yaml::from_str(text).map_err(|e| e.to_string())?)
    }

    /// The same from the JSON `build.rs` made of the embedded YAML (faster to read at start-up).
    fn from_builtin_json() -> Result<Self, String> {
        Self::validated(
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/images.json"))).map_err(|e| e.to_string())?,
        )
    }

    fn validated(k: ImageKnowledge) -> Result<Self, String> {
        let cite = |s: &str| super::check_cited(&k.sources, s, "rules/images.yaml");
        cite(&k.flink.source)?;
        ascending_lines(k.flink.lines.iter().map(|l| l.line.as_str()), "Flink")?;
        for l in &k.flink.lines {
            cite(&l.source)?;
            let what = format!("Flink line `{}`", l.line);
            patches_of_line(&l.line, &l.patches, &what)?;
            if l.scala.is_empty() {
                return Err(format!("{what} has no Scala version"));
            }
            if l.dist.as_ref().is_some_and(|d| !d.contains("{version}") || !d.ends_with(".jar")) {
                return Err(format!("{what}: `dist` must be a jar name with `{{version}}`"));
            }
            if let Some(h) = &l.hadoop {
                exact_release(h, &what)?;
            }
        }
        ascending_lines(k.spark.lines.iter().map(|l| l.line.as_str()), "Spark")?;
        for l in &k.spark.lines {
            cite(&l.source)?;
            let what = format!("Spark line `{}`", l.line);
            exact_release(&l.hadoop, &what)?;
            patches_of_line(&l.line, &l.verified, &what)?;
            if l.hadoop_jars.is_empty() || l.scala.is_empty() {
                return Err(format!("{what} needs `hadoop_jars` and `scala`"));
            }
        }
        for i in &k.spark.images {
            cite(&i.source)?;
            if let Some(since) = &i.distribution_since
                && !k.spark.lines.iter().any(|l| &l.line == since)
            {
                return Err(format!("Spark image `{}`: `distribution_since` {since} is not a listed line", i.name));
            }
        }
        Ok(k)
    }

    /// The Flink line of `version` (`1.15.4`, `1.15`).
    pub fn flink_line(&self, version: &str) -> Option<&FlinkLine> {
        let l = Version::parse(version).line()?;
        self.flink.lines.iter().find(|f| Version::parse(&f.line).line() == Some(l))
    }

    /// The Spark line of `version`.
    pub fn spark_line(&self, version: &str) -> Option<&SparkLine> {
        let l = Version::parse(version).line()?;
        self.spark.lines.iter().find(|s| Version::parse(&s.line).line() == Some(l))
    }

    /// The Spark image named `name` (`apache/spark`, `bitnami/spark`).
    pub fn spark_image(&self, name: &str) -> Option<&SparkImage> {
        self.spark.images.iter().find(|i| i.name == name)
    }

    /// What the version a tag names means for the distribution (see [`release`]).
    pub fn release(&self, product: Product, tag: &TagVersion) -> Option<ImageRelease> {
        // Previews and release candidates (`2.0-preview1`) are not in the tables.
        if !tag.version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        match product {
            Product::Flink => self.flink_release(tag),
            Product::Spark => self.spark_release(tag),
        }
    }

    fn flink_release(&self, tag: &TagVersion) -> Option<ImageRelease> {
        let line = self.flink_line(&tag.version)?;
        let latest = line.patches.last()?;
        let (version, exact, at_least) = match (tag.exact, line.finished) {
            (true, _) => (tag.version.clone(), true, None),
            (false, true) => (latest.clone(), true, None),
            (false, false) => (line.line.clone(), false, Some(latest.clone())),
        };
        let named = if exact { version.clone() } else { format!("{version}.*") };
        let mut jars: Vec<String> =
            line.dist.iter().map(|d| format!("lib/{}", d.replace("{version}", &named))).collect();
        jars.extend(self.flink.opt_s3_plugins.iter().map(|a| format!("opt/{a}-{named}.jar")));
        Some(ImageRelease {
            product: Product::Flink,
            version,
            exact,
            at_least,
            hadoop: line.hadoop.clone(),
            scala: line.scala.clone(),
            jars,
        })
    }

    fn spark_release(&self, tag: &TagVersion) -> Option<ImageRelease> {
        let line = self.spark_line(&tag.version)?;
        let named = if tag.exact { tag.version.clone() } else { format!("{}.*", line.line) };
        let scala = line.scala.first()?;
        let mut jars = vec![format!("jars/spark-core_{scala}-{named}.jar")];
        jars.extend(line.hadoop_jars.iter().map(|a| format!("jars/{a}-{}.jar", line.hadoop)));
        Some(ImageRelease {
            product: Product::Spark,
            version: if tag.exact { tag.version.clone() } else { line.line.clone() },
            exact: tag.exact,
            at_least: None,
            hadoop: Some(line.hadoop.clone()),
            scala: line.scala.clone(),
            jars,
        })
    }

    /// The release a known base image runs, with its jars as absolute paths under the image's home and the
    /// image's own additions; for a Spark image not known to unpack the default distribution for this line,
    /// only the Spark jars (no Hadoop version).
    pub fn image_release(&self, image: &KnownImage) -> Option<ImageRelease> {
        let tag = image.version.as_ref()?;
        let mut r = self.release(image.product, tag)?;
        if image.product == Product::Spark {
            let img = self.spark_image(&image.name);
            let line = Version::parse(&tag.version).line();
            let unpacks = img
                .and_then(|i| i.distribution_since.as_deref())
                .and_then(|s| Version::parse(s).line())
                .is_some_and(|since| line.is_some_and(|l| l >= since));
            if !unpacks {
                r.hadoop = None;
                r.jars.retain(|j| j.starts_with("jars/spark-"));
            }
            r.jars.extend(img.into_iter().flat_map(|i| i.adds.iter().map(|a| format!("jars/{a}"))));
        }
        r.jars = r.jars.iter().map(|j| format!("{}/{j}", image.home)).collect();
        Some(r)
    }
}

/// Lines must be `major.minor`, ascending and unique.
fn ascending_lines<'a>(lines: impl Iterator<Item = &'a str>, product: &str) -> Result<(), String> {
    let mut previous = None;
    for line in lines {
        let two_numbers = line.split('.').count() == 2 && line.split('.').all(|p| p.parse::<u64>().is_ok());
        let l = Version::parse(line)
            .line()
            .filter(|_| two_numbers)
            .ok_or_else(|| format!("bad {product} line `{line}`"))?;
        if previous.is_some_and(|p| p >= l) {
            return Err(format!("{product} line `{line}` is out of order"));
        }
        previous = Some(l);
    }
    Ok(())
}

/// `patches` must be non-empty, strictly ascending `major.minor.patch` releases of `line`.
fn patches_of_line(line: &str, patches: &[String], what: &str) -> Result<(), String> {
    if patches.is_empty() {
        return Err(format!("{what} lists no release"));
    }
    let l = Version::parse(line).line();
    let mut previous: Option<Version> = None;
    for p in patches {
        exact_release(p, what)?;
        let v = Version::parse(p);
        if v.line() != l {
            return Err(format!("{what}: `{p}` is not a release of the line"));
        }
        if previous.as_ref().is_some_and(|q| *q >= v) {
            return Err(format!("{what}: `{p}` is out of order"));
        }
        previous = Some(v);
    }
    Ok(())
}

/// `version` must be three dot-separated numbers.
fn exact_release(version: &str, what: &str) -> Result<(), String> {
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("{what}: `{version}` is not a major.minor.patch release"));
    }
    Ok(())
}

static KNOWLEDGE: LazyLock<ImageKnowledge> =
    LazyLock::new(|| ImageKnowledge::from_builtin_json().unwrap_or_else(|e| panic!("rules/images.yaml: {e}")));

/// The embedded image knowledge (validated by this module's tests).
pub fn knowledge() -> &'static ImageKnowledge {
    &KNOWLEDGE
}

/// What a tag's version means for the distribution of `product`: for an exact tag that release; for a floating
/// tag (`flink:1.15`) of a line that gets no more images its last patch (exact); for a floating tag of a line
/// still maintained the line (not exact, `at_least` its latest known patch) with the facts every patch shares.
/// `None` for a line the knowledge does not list, and for previews and release candidates.
pub fn release(product: Product, tag: &TagVersion) -> Option<ImageRelease> {
    knowledge().release(product, tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::dockerfile::image::known;

    fn tag(v: &str) -> TagVersion {
        TagVersion { version: v.into(), exact: v.split('.').count() == 3 }
    }

    #[test]
    fn the_json_built_at_compile_time_reads_as_the_yaml() {
        let yaml: ImageKnowledge = serde_yaml::from_str(BUILTIN_IMAGES).expect("YAML");
        let json: ImageKnowledge =
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/images.json"))).expect("JSON");
        assert_eq!(format!("{yaml:?}"), format!("{json:?}"));
    }

    #[test]
    fn embedded_knowledge_parses_and_covers_the_lines() {
        let k = ImageKnowledge::parse(BUILTIN_IMAGES).expect("rules/images.yaml is valid");
        let flink: Vec<&str> = k.flink.lines.iter().map(|l| l.line.as_str()).collect();
        assert_eq!(flink.first(), Some(&"1.9"));
        assert_eq!(flink.last(), Some(&"2.2"));
        assert_eq!(flink.len(), 15, "1.9 to 1.20 and 2.0 to 2.2: {flink:?}");
        let spark: Vec<&str> = k.spark.lines.iter().map(|l| l.line.as_str()).collect();
        assert_eq!(spark, ["3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0", "4.1", "4.2"]);
        // Once a line is finished every older one is too: images stop for old lines first.
        let first_open = k.flink.lines.iter().position(|l| !l.finished).expect("a maintained line");
        assert!(k.flink.lines[first_open..].iter().all(|l| !l.finished));
        // Every image name the YAML knows is one the Dockerfile reader recognises, as that product.
        for name in &k.flink.images {
            assert_eq!(known(name).map(|i| i.product), Some(Product::Flink), "{name}");
        }
        for i in &k.spark.images {
            assert_eq!(known(&i.name).map(|i| i.product), Some(Product::Spark), "{}", i.name);
        }
    }

    #[test]
    fn floating_tags_of_finished_lines_are_their_last_patch() {
        let r = release(Product::Flink, &tag("1.15")).unwrap();
        assert_eq!((r.version.as_str(), r.exact, r.at_least.as_deref()), ("1.15.4", true, None));
        assert_eq!(
            r.jars,
            ["lib/flink-dist-1.15.4.jar", "opt/flink-s3-fs-hadoop-1.15.4.jar", "opt/flink-s3-fs-presto-1.15.4.jar"]
        );
        assert_eq!(release(Product::Flink, &tag("1.9")).unwrap().version, "1.9.3");
        assert_eq!(release(Product::Flink, &tag("1.19")).unwrap().version, "1.19.3");
        // Before 1.15 the flink-dist name carries a Scala suffix: not verified, so not listed.
        let old = release(Product::Flink, &tag("1.14")).unwrap();
        assert_eq!(old.jars, ["opt/flink-s3-fs-hadoop-1.14.6.jar", "opt/flink-s3-fs-presto-1.14.6.jar"]);
        assert_eq!(old.scala, ["2.12", "2.11"]);
    }

    #[test]
    fn floating_tags_of_maintained_lines_stay_open() {
        let r = release(Product::Flink, &tag("1.20")).unwrap();
        assert_eq!((r.version.as_str(), r.exact, r.at_least.as_deref()), ("1.20", false, Some("1.20.4")));
        assert_eq!(r.jars[1], "opt/flink-s3-fs-hadoop-1.20.*.jar");
        let exact = release(Product::Flink, &tag("1.20.2")).unwrap();
        assert_eq!((exact.version.as_str(), exact.exact), ("1.20.2", true));
        assert_eq!(exact.jars[0], "lib/flink-dist-1.20.2.jar");
        assert!(release(Product::Flink, &tag("1.8")).is_none(), "not a listed line");
        assert!(release(Product::Flink, &tag("2.3.0")).is_none());
        let preview = TagVersion { version: "2.0-preview1".into(), exact: true };
        assert!(release(Product::Flink, &preview).is_none(), "2.0-preview1 is not a 2.0 patch");
    }

    #[test]
    fn spark_lines_name_their_hadoop_client() {
        let r = release(Product::Spark, &tag("3.5.3")).unwrap();
        assert_eq!(r.hadoop.as_deref(), Some("3.3.4"));
        assert_eq!(
            r.jars,
            [
                "jars/spark-core_2.12-3.5.3.jar",
                "jars/hadoop-client-api-3.3.4.jar",
                "jars/hadoop-client-runtime-3.3.4.jar"
            ]
        );
        // A floating tag: every patch of the line shares the Hadoop client.
        let f = release(Product::Spark, &tag("3.3")).unwrap();
        assert_eq!((f.exact, f.hadoop.as_deref()), (false, Some("3.3.2")));
        assert_eq!(f.jars[0], "jars/spark-core_2.12-3.3.*.jar");
        let old = release(Product::Spark, &tag("3.1.3")).unwrap();
        assert_eq!(old.jars[1..], ["jars/hadoop-client-3.2.0.jar", "jars/hadoop-common-3.2.0.jar"]);
        assert_eq!(release(Product::Spark, &tag("4.0.1")).unwrap().jars[0], "jars/spark-core_2.13-4.0.1.jar");
        assert!(release(Product::Spark, &tag("2.4.8")).is_none());
    }

    #[test]
    fn image_releases_use_the_image_home_and_what_it_is_known_to_unpack() {
        let k = knowledge();
        let bitnami = k.image_release(&known("bitnami/spark:3.5").unwrap()).unwrap();
        assert_eq!(bitnami.jars[1], "/opt/bitnami/spark/jars/hadoop-client-api-3.3.4.jar");
        let official = k.image_release(&known("apache/spark:3.4.1-scala2.12-java11-ubuntu").unwrap()).unwrap();
        assert_eq!(official.jars[2], "/opt/spark/jars/hadoop-client-runtime-3.3.4.jar");
        // apache/spark-docker starts at 3.3.0: which build an older tag unpacked is not known.
        let older = k.image_release(&known("apache/spark:v3.2.1").unwrap()).unwrap();
        assert_eq!((older.hadoop, older.jars), (None, vec!["/opt/spark/jars/spark-core_2.12-3.2.1.jar".to_string()]));
        let flink = k.image_release(&known("apache/flink:1.17").unwrap()).unwrap();
        assert_eq!(flink.jars[1], "/opt/flink/opt/flink-s3-fs-hadoop-1.17.2.jar");
        assert!(k.image_release(&known("flink:latest").unwrap()).is_none());
    }

    #[test]
    fn a_broken_table_is_rejected() {
        assert!(ImageKnowledge::parse("sources: {}\n").is_err());
        let uncited = BUILTIN_IMAGES.replace("source: \"PYPI-3.4.4, SD\"", "source: \"PYPI-3.4.4, NOPE\"");
        assert!(ImageKnowledge::parse(&uncited).unwrap_err().contains("NOPE"));
        let unsorted = BUILTIN_IMAGES.replace("[1.18.0, 1.18.1]", "[1.18.1, 1.18.0]");
        assert!(ImageKnowledge::parse(&unsorted).unwrap_err().contains("out of order"));
        let foreign = BUILTIN_IMAGES.replace("[2.2.0, 2.2.1]", "[2.2.0, 2.3.0]");
        assert!(ImageKnowledge::parse(&foreign).unwrap_err().contains("not a release of the line"));
        let lines = BUILTIN_IMAGES.replace("line: \"1.10\"", "line: \"1.8\"");
        assert!(ImageKnowledge::parse(&lines).unwrap_err().contains("out of order"));
        let hadoop = BUILTIN_IMAGES.replace("hadoop: 3.3.2,", "hadoop: 3.3,");
        assert!(ImageKnowledge::parse(&hadoop).unwrap_err().contains("major.minor.patch"));
    }
}

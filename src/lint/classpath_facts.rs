//! Facts about a deployment's jars that several classpath rules need: the Hadoop and AWS SDK jars of a
//! classpath, which of Hadoop's S3 filesystems the configuration sends through Hadoop (not a Flink plugin), and
//! who serves each URI scheme.

use crate::deployment::version::Version;
use crate::deployment::{Classpath, Deployment, FlinkS3Plugin, JarPlace, JarRef};
use crate::knowledge::jars::{HadoopLine, SdkGeneration, knowledge};
use crate::lint::facts::{NATIVE_S3_CLASS, S3A_CLASS, foreign_impl, impl_selecting, scheme_uses};
use crate::source::Location;

/// A Hadoop module on a classpath: its own jar, or one bundled in a shaded jar.
#[derive(Debug, Clone)]
pub struct HadoopJar<'a> {
    /// The jar (the shaded jar, for a bundled module).
    pub jar: &'a JarRef,
    /// The module's artifact id (`hadoop-common`, `hadoop-aws`).
    pub artifact: &'a str,
    /// Its version.
    pub version: Version,
    /// True when the module is bundled inside [`HadoopJar::jar`].
    pub bundled: bool,
}

impl HadoopJar<'_> {
    /// `hadoop-aws-2.7.3.jar` or `hadoop-common 2.8.3 (inside flink-shaded-hadoop-2-uber-2.8.3-10.0.jar)`.
    pub fn describe(&self) -> String {
        if self.bundled {
            format!("{} {} (inside `{}`)", self.artifact, self.version, self.jar.file_name)
        } else {
            self.jar.describe()
        }
    }
}

/// True for Hadoop's own modules, which all carry the Hadoop release version (not `hadoop-shaded-*` and the
/// other `org.apache.hadoop.thirdparty` jars, which have their own).
fn is_hadoop_module(group: Option<&str>, artifact: &str) -> bool {
    artifact.starts_with("hadoop-")
        && !artifact.starts_with("hadoop-shaded-")
        && group.is_none_or(|g| g == "org.apache.hadoop")
}

/// The readable jars of a classpath.
pub fn readable<'a>(d: &'a Deployment, cp: &'a Classpath) -> impl Iterator<Item = &'a JarRef> + 'a {
    d.jars_of(cp).filter(|j| j.unreadable.is_none())
}

/// Every Hadoop module of a classpath with a version, own jars first, then those bundled in shaded jars.
pub fn hadoop_jars<'a>(d: &'a Deployment, cp: &'a Classpath) -> Vec<HadoopJar<'a>> {
    let mut out = Vec::new();
    for jar in readable(d, cp) {
        let a = &jar.artifact;
        if a.classifier.is_none()
            && is_hadoop_module(a.group.as_deref(), &a.artifact)
            && let Some(version) = a.version()
        {
            out.push(HadoopJar { jar, artifact: &a.artifact, version, bundled: false });
        }
    }
    for jar in readable(d, cp) {
        for b in &jar.bundles {
            // A module the classpath also has as a jar of its own counts again only when its release differs:
            // `flink-shaded-hadoop-2-uber-2.8.3` beside `hadoop-common-3.3.4.jar` is a second Hadoop.
            if is_hadoop_module(b.group.as_deref(), &b.artifact)
                && let Some(version) = b.version()
                && !out.iter().any(|h| h.artifact == b.artifact && h.version == version)
            {
                out.push(HadoopJar { jar, artifact: &b.artifact, version, bundled: true });
            }
        }
    }
    out
}

/// The first own jar of `artifact` on a classpath.
pub fn find<'a>(d: &'a Deployment, cp: &'a Classpath, artifact: &str) -> Option<&'a JarRef> {
    readable(d, cp).find(|j| j.artifact.base_name() == artifact && j.artifact.classifier.is_none())
}

/// `hadoop-aws` on a classpath, with its version (not its `-sources`/`-javadoc`/`-tests` jar).
pub fn hadoop_aws<'a>(d: &'a Deployment, cp: &'a Classpath) -> Option<(&'a JarRef, Version)> {
    readable(d, cp)
        .filter(|j| j.artifact.artifact == "hadoop-aws" && j.artifact.in_group("org.apache.hadoop"))
        .filter(|j| j.artifact.classifier.is_none() && without_classes(j).is_none())
        .find_map(|j| j.version().map(|v| (j, v)))
}

/// An AWS SDK jar on a classpath.
#[derive(Debug, Clone)]
pub struct SdkJar<'a> {
    /// The jar.
    pub jar: &'a JarRef,
    /// Its packaging.
    pub generation: SdkGeneration,
    /// Its version, when known.
    pub version: Option<Version>,
}

/// The AWS SDK jars of a classpath (own jars only: SDKs inside shaded Flink plugins are isolated), not counting
/// jars that hold none of the SDK's classes ([`classless_sdk_jars`]).
pub fn sdk_jars<'a>(d: &'a Deployment, cp: &'a Classpath) -> Vec<SdkJar<'a>> {
    readable(d, cp)
        .filter(|jar| without_classes(jar).is_none())
        .filter_map(|jar| {
            SdkGeneration::of(&jar.artifact).map(|generation| SdkJar { jar, generation, version: jar.version() })
        })
        .collect()
}

/// The first version of the AWS SDK for Java v1 whose `com.amazonaws:aws-java-sdk` is an aggregator (the SDK was
/// split into one module per service in 1.9.0, aws/aws-sdk-java issue #342): its jar holds no classes, only a POM
/// that depends on every module ("`aws-java-sdk-1.11.889.jar` is basically just a pom.xml with all the SDK modules
/// as dependencies", aws/aws-sdk-java issue #2443). Up to 1.8.x (Hadoop 2.6/2.7's 1.7.4) the jar is the SDK.
const SDK_AGGREGATOR_SINCE: &str = "1.9.0";

/// Why a jar holds no classes although its name says what it is: a `-sources` or `-javadoc` jar (Maven's
/// classifiers for a release's source code and documentation), or the `aws-java-sdk` aggregator jar of SDK 1.9+.
/// `None` for a jar of classes.
pub fn without_classes(jar: &JarRef) -> Option<&'static str> {
    let name = jar.file_name.to_ascii_lowercase();
    let classifier = jar.artifact.classifier.as_deref().map(str::to_ascii_lowercase);
    if classifier.as_deref() == Some("sources") || name.ends_with("-sources.jar") {
        return Some("holds its source code, not its classes");
    }
    if classifier.as_deref() == Some("javadoc") || name.ends_with("-javadoc.jar") {
        return Some("holds its documentation (javadoc), not its classes");
    }
    let aggregator = jar.artifact.artifact == "aws-java-sdk"
        && jar.artifact.in_group("com.amazonaws")
        && jar.version().is_some_and(|v| v >= Version::parse(SDK_AGGREGATOR_SINCE));
    aggregator.then_some(
        "is the SDK's aggregator: from 1.9.0 its jar holds no classes, only a POM that depends on every module",
    )
}

/// The jars of a classpath named like the AWS SDK that hold none of its classes, each with the reason.
pub fn classless_sdk_jars<'a>(d: &'a Deployment, cp: &'a Classpath) -> Vec<(&'a JarRef, &'static str)> {
    readable(d, cp)
        .filter(|j| j.file_name.starts_with("aws-java-sdk") || SdkGeneration::of(&j.artifact).is_some())
        .filter_map(|j| without_classes(j).map(|why| (j, why)))
        .collect()
}

/// The knowledge about the Hadoop line of `version`, if any.
pub fn line_of(version: &Version) -> Option<&'static HadoopLine> {
    knowledge().hadoop_line(version)
}

/// One of Hadoop's own S3 filesystems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HadoopFs {
    /// `org.apache.hadoop.fs.s3a.S3AFileSystem` (hadoop-aws, Hadoop 2.6+).
    S3a,
    /// `org.apache.hadoop.fs.s3native.NativeS3FileSystem` (jets3t; Hadoop 2 only).
    NativeS3,
}

impl HadoopFs {
    /// The class name.
    pub fn class(self) -> &'static str {
        match self {
            HadoopFs::S3a => S3A_CLASS,
            HadoopFs::NativeS3 => NATIVE_S3_CLASS,
        }
    }

    /// The simple class name.
    pub fn simple_name(self) -> &'static str {
        match self {
            HadoopFs::S3a => "S3AFileSystem",
            HadoopFs::NativeS3 => "NativeS3FileSystem",
        }
    }
}

/// A Hadoop filesystem the configuration sends through Hadoop (not served by a Flink plugin), and why.
#[derive(Debug, Clone)]
pub struct HadoopFsUse {
    /// Which filesystem.
    pub fs: HadoopFs,
    /// Where it is selected (the `fs.<scheme>.impl` value or the URI).
    pub at: Location,
    /// Why, for messages (`` `fs.s3.impl` names it ``).
    pub why: String,
    /// True when an `fs.<scheme>.impl` names the class (not only implied by a URI).
    pub explicit: bool,
}

/// True when a Flink S3 filesystem that serves `scheme` is installed.
pub fn plugin_serves(d: &Deployment, scheme: &str) -> bool {
    d.installed_s3_plugins().iter().any(|(p, _)| p.schemes().contains(&scheme))
}

/// The Hadoop S3 filesystems the configuration selects on the Hadoop route: `fs.s3.impl`, `fs.s3a.impl` or
/// `fs.s3n.impl` naming the class, or `s3a://` / `s3n://` URIs (Hadoop's defaults map them) with no Flink plugin
/// serving that scheme — in a Flink deployment only when Hadoop jars are on Flink's classpath (else the URI is
/// simply unserved, which `scheme-mismatch` reports). At most one use per filesystem, the explicit `impl` first.
pub fn hadoop_fs_uses(d: &Deployment) -> Vec<HadoopFsUse> {
    let mut out: Vec<HadoopFsUse> = Vec::new();
    let hadoop_on_classpath = d.main_classpath().is_some_and(|cp| !hadoop_jars(d, cp).is_empty());
    let implied_ok = !d.is_flink() || hadoop_on_classpath || !d.classpath_known();
    for (fs, schemes, default_scheme) in
        [(HadoopFs::S3a, ["s3", "s3a"], "s3a"), (HadoopFs::NativeS3, ["s3", "s3n"], "s3n")]
    {
        let explicit = schemes.iter().find_map(|scheme| {
            impl_selecting(d, scheme, fs.class()).filter(|_| !plugin_serves(d, scheme)).map(|s| HadoopFsUse {
                fs,
                at: s.entry.value_at,
                why: format!("`fs.{scheme}.impl` names it"),
                explicit: true,
            })
        });
        let implicit = || {
            // Served by a Flink plugin, or by another vendor's class (EMRFS) named in `fs.<scheme>.impl`.
            if plugin_serves(d, default_scheme) || !implied_ok || foreign_impl(d, default_scheme).is_some() {
                return None;
            }
            scheme_uses(d).into_iter().find(|u| u.scheme == default_scheme).map(|u| HadoopFsUse {
                fs,
                at: u.at,
                why: format!("`{}` uses {default_scheme}://", u.setting.entry.key),
                explicit: false,
            })
        };
        if let Some(u) = explicit.or_else(implicit) {
            out.push(u);
        }
    }
    out
}

/// The installed Flink S3 plugins of one kind.
pub fn installed(d: &Deployment, plugin: FlinkS3Plugin) -> Vec<&JarRef> {
    d.installed_s3_plugins().into_iter().filter(|(p, _)| *p == plugin).map(|(_, j)| j).collect()
}

/// Who serves a URI scheme in this deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server<'a> {
    /// An installed Flink S3 plugin.
    Plugin(FlinkS3Plugin),
    /// Hadoop's own filesystem on the classpath (or the classpath is not shown, so it may be).
    Hadoop,
    /// Nothing loaded, but a Flink plugin that would serve it lies in `opt/`.
    OnlyInOpt(&'a JarRef),
    /// `s3n://` on Hadoop 3, which removed NativeS3FileSystem.
    Removed,
    /// Nothing serves it.
    Nothing,
}

/// Who serves `scheme` (`s3`, `s3a`, `s3n`, `s3p`). Hadoop's route counts when its jars are on the main
/// classpath, when an `fs.<scheme>.impl` names a class, or when no classpath is shown at all (a Hadoop conf dir
/// checked alone).
pub fn server<'a>(d: &'a Deployment, scheme: &str) -> Server<'a> {
    if let Some((p, _)) = d.installed_s3_plugins().into_iter().find(|(p, _)| p.schemes().contains(&scheme)) {
        return Server::Plugin(p);
    }
    let hadoop_version = d.hadoop_version.as_ref().map(|h| &h.version);
    // A class named in `fs.<scheme>.impl` (EMRFS for s3n:// on EMR 6) serves the scheme, whatever Hadoop removed.
    if foreign_impl(d, scheme).is_some() {
        return Server::Hadoop;
    }
    if scheme == "s3n" && hadoop_version.is_some_and(|v| !knowledge().has_native_s3(v)) {
        return Server::Removed;
    }
    let explicit = d.settings(&format!("fs.{scheme}.impl")).any(|s| !s.entry.value.trim().is_empty());
    let hadoop_fs_jar = d.main_classpath().is_some_and(|cp| {
        hadoop_aws(d, cp).is_some()
            || (scheme == "s3n" && hadoop_version.is_some_and(|v| !knowledge().has_hadoop_aws(v)))
    });
    let hadoop_possible = matches!(scheme, "s3a" | "s3n") && (!d.classpath_known() || hadoop_fs_jar);
    if explicit || hadoop_possible {
        return Server::Hadoop;
    }
    let want = match scheme {
        "s3a" => Some(FlinkS3Plugin::Hadoop),
        "s3p" => Some(FlinkS3Plugin::Presto),
        "s3" => None,
        _ => return Server::Nothing,
    };
    let in_opt = d
        .jars
        .iter()
        .find(|j| j.place == JarPlace::Opt && j.flink_s3_plugin().is_some_and(|p| want.is_none_or(|w| w == p)));
    match in_opt {
        Some(j) => Server::OnlyInOpt(j),
        None => Server::Nothing,
    }
}

/// How to install a Flink S3 plugin in this deployment, as a clause (`install the plugin that ships in opt/: …`):
/// the exact `mkdir -p … && cp …` when its jar is in the home's `opt/` (in an image: what the Dockerfile,
/// manifest or compose file says, `image_help::enable_plugin`); else, with the Flink version known, the
/// versioned jar, its `plugins/` folder and its Maven coordinates (PyFlink's pip package ships no S3 plugin in
/// `opt/`); else the generic instruction.
pub fn install_plugin(d: &Deployment, plugin: FlinkS3Plugin) -> String {
    let in_opt = d.jars.iter().find(|j| j.place == JarPlace::Opt && j.flink_s3_plugin() == Some(plugin));
    let artifact = plugin.artifact();
    let folder = plugin.folder();
    if let Some(in_image) = in_opt.and_then(|j| crate::lint::image_help::enable_plugin(d, plugin, j)) {
        return in_image;
    }
    match in_opt {
        // Before Flink 1.9 there are no plugins: the filesystem that ships in opt/ goes into lib/.
        Some(j) if d.flink_version.as_ref().is_some_and(|f| !f.version.at_least(1, 9)) => {
            let lib = j.path.parent().and_then(|opt| opt.parent()).map(|h| h.join("lib"));
            let lib = lib.map(|p| p.display().to_string()).unwrap_or_else(|| "lib".to_string());
            format!(
                "install the filesystem that ships in opt/ into lib/ (Flink before 1.9 has no plugins): `cp {} {lib}/`",
                j.display
            )
        }
        Some(j) => {
            let home = j.path.parent().and_then(|opt| opt.parent()).map(|h| h.join("plugins").join(folder));
            let dir = home.map(|p| p.display().to_string()).unwrap_or_else(|| format!("plugins/{folder}"));
            format!("install the plugin that ships in opt/: `mkdir -p {dir} && cp {} {dir}/`", j.display)
        }
        None => match &d.flink_version {
            Some(f) => format!(
                "install a Flink S3 filesystem: put `{artifact}-{v}.jar` into its own folder `plugins/{folder}/` (it ships in the `opt/` of the Flink {v} binary distribution; as a download: `org.apache.flink:{artifact}:{v}` from Maven Central)",
                v = f.version
            ),
            None => format!(
                "install a Flink S3 filesystem: copy `{artifact}-<flink version>.jar` from `opt/` into its own folder `plugins/{folder}/`"
            ),
        },
    }
}

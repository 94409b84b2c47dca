//! Help worded for deployments written as code: a jar an image build placed is fixed in the Dockerfile (a Maven
//! Central URL to download instead, the image's own `opt/` jar to enable), a coordinate or jar of a
//! `SparkApplication` in its `spec.deps`.

use crate::deployment::code::CodeKind;
use crate::deployment::version::Version;
use crate::deployment::{Deployment, FlinkS3Plugin, JarPlace, JarRef};

/// Where image builds download jars from.
pub const MAVEN_CENTRAL: &str = "https://repo1.maven.org/maven2";

/// The Maven Central URL of `group:artifact:version`'s jar.
pub fn maven_url(group: &str, artifact: &str, version: &str) -> String {
    format!("{MAVEN_CENTRAL}/{}/{artifact}/{version}/{artifact}-{version}.jar", group.replace('.', "/"))
}

/// True when `jar` is inside an image a Dockerfile builds (or a manifest runs): placed at a line of code.
pub fn in_image(d: &Deployment, jar: &JarRef) -> bool {
    d.code.is_some()
        && jar.declared_at.is_some()
        && matches!(jar.place, JarPlace::Lib | JarPlace::Opt | JarPlace::Plugin(_) | JarPlace::SparkJars)
}

/// True when the deployment is a Spark Operator application (its jars and packages are `spec.deps`).
pub fn is_spark_application(d: &Deployment) -> bool {
    d.code.as_ref().is_some_and(|c| matches!(c.kind, CodeKind::SparkApplication | CodeKind::ScheduledSparkApplication))
}

/// How a Dockerfile installs the S3 plugin the image of Flink `version` ships in `opt/`: from 1.10 the
/// entrypoint's `ENABLE_BUILT_IN_PLUGINS` (added to apache/flink-docker's `docker-entrypoint.sh` in January 2020,
/// commit f26d84c, for the 1.9 images rebuilt then and every later line) or a copy into `plugins/<folder>/`;
/// 1.9 the copy; before 1.9 (no plugins) a copy into `lib/`.
pub fn own_plugin(plugin: FlinkS3Plugin, version: &Version) -> String {
    let jar = format!("{}-{version}.jar", plugin.artifact());
    let folder = plugin.folder();
    let copy = format!("`RUN mkdir -p ./plugins/{folder} && cp ./opt/{jar} ./plugins/{folder}/`");
    if version.at_least(1, 10) {
        format!("Use the image's own plugin instead of this one: `ENABLE_BUILT_IN_PLUGINS={jar}`, or {copy}.")
    } else if version.at_least(1, 9) {
        format!("Use the image's own plugin instead of this one: {copy}.")
    } else {
        format!("Use the image's own plugin instead of this one: `RUN cp ./opt/{jar} ./lib/`.")
    }
}

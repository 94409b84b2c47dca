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

/// How to install the S3 plugin `opt_jar` (a jar of the image's `opt/`) in a deployment written as code, in the
/// file that deployment is fixed in: the official Flink image's `ENABLE_BUILT_IN_PLUGINS` (from 1.10, see
/// [`own_plugin`]) in the Dockerfile, in a pod template's container environment (as the Flink Kubernetes
/// Operator's examples do) or in a compose service's `environment`; the copy into `plugins/<folder>/` as a
/// Dockerfile `RUN`. `None` when the deployment is no code or the jar is not the image's.
pub fn enable_plugin(d: &Deployment, plugin: FlinkS3Plugin, opt_jar: &JarRef) -> Option<String> {
    let code = d.code.as_ref()?;
    if opt_jar.place != JarPlace::Opt || !in_image(d, opt_jar) {
        return None;
    }
    let enabling = d.flink_version.as_ref().is_some_and(|f| f.version.at_least(1, 10));
    // Before Flink 1.9 there are no plugins: the filesystem goes into lib/.
    let no_plugins = d.flink_version.as_ref().is_some_and(|f| !f.version.at_least(1, 9));
    let jar = &opt_jar.file_name;
    let home = std::path::Path::new(&opt_jar.display).parent().and_then(std::path::Path::parent);
    let under_home = |rest: &str| home.map_or_else(|| rest.to_string(), |h| format!("{}/{rest}", h.display()));
    let dir = under_home(&format!("plugins/{}", plugin.folder()));
    let copy = if no_plugins {
        format!("`RUN cp {} {}/`", opt_jar.display, under_home("lib"))
    } else {
        format!("`RUN mkdir -p {dir} && cp {} {dir}/`", opt_jar.display)
    };
    let dockerfile = code.image.as_ref().map(|i| d.sources.get(i.file).display.clone());
    if !enabling {
        let what = if no_plugins { "filesystem" } else { "plugin" };
        return Some(match dockerfile {
            Some(file) => format!("install the {what} the image ships in opt/: {copy} in {file}"),
            None => format!("install the {what} the image ships in opt/ by building an image on it with {copy}"),
        });
    }
    let env = format!("`ENV ENABLE_BUILT_IN_PLUGINS={jar}`");
    let linked = under_home(&format!("plugins/{}", jar.trim_end_matches(".jar")));
    let by_entrypoint = format!("(the image's entrypoint links it into {linked}/ when the container starts)");
    Some(match code.kind {
        CodeKind::Dockerfile => format!("enable the plugin the image ships in opt/: {env} {by_entrypoint}, or {copy}"),
        CodeKind::FlinkDeployment | CodeKind::FlinkSessionJob => {
            let in_image = dockerfile.map(|f| format!(", or {env} in {f}")).unwrap_or_default();
            // A session job runs in the session cluster: its FlinkDeployment's pods are the ones that start.
            let cluster = code.resource.as_ref().and_then(|r| r.deployment_name.as_ref()).map(|n| n.value.as_str());
            let pods = match (code.kind, cluster) {
                (CodeKind::FlinkSessionJob, Some(name)) => {
                    format!("`spec.podTemplate` of FlinkDeployment `{name}` (the session cluster)")
                }
                (CodeKind::FlinkSessionJob, None) => {
                    "`spec.podTemplate` of the session cluster's FlinkDeployment".to_string()
                }
                _ => "`spec.podTemplate`".to_string(),
            };
            format!(
                "enable the plugin the image ships in opt/: the environment variable `ENABLE_BUILT_IN_PLUGINS` = `{jar}` on the `flink-main-container` of {pods} {by_entrypoint}{in_image}"
            )
        }
        CodeKind::ComposeService => {
            let in_image = dockerfile.map(|f| format!(", or {env} in {f}")).unwrap_or_default();
            format!(
                "enable the plugin the image ships in opt/: `ENABLE_BUILT_IN_PLUGINS={jar}` in the service's `environment` {by_entrypoint}{in_image}"
            )
        }
        CodeKind::SparkApplication | CodeKind::ScheduledSparkApplication => return None,
    })
}

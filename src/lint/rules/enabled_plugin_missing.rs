use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::classpath::parse_file_name;
use crate::deployment::dockerfile::{KnownImage, image};
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// A jar named in the official Flink image's `ENABLE_BUILT_IN_PLUGINS` (in a Dockerfile `ENV`, a pod
    /// template's `env`, a compose `environment`) that the image's `opt/` does not hold — usually the plugin of
    /// another Flink release (`flink-s3-fs-hadoop-1.17.0.jar` in a `flink:1.17.1` image), or a name without its
    /// version or `.jar`.
    ///
    /// ## Why it matters
    /// The image's `docker-entrypoint.sh` (apache/flink-docker, `copy_plugins_if_required`, the same in every
    /// release folder from 1.10 to 2.2) splits the value at `;`, and for each name creates
    /// `plugins/<name without .jar>/`, then, if `$FLINK_HOME/opt/<name>` does not exist, prints `Plugin <name> does
    /// not exist. Exiting.` and exits with status 1 — before the JobManager or TaskManager starts. On Kubernetes the
    /// pod goes into `CrashLoopBackOff`.
    ///
    /// ## How to fix
    /// Name the jar exactly as the image's `opt/` ships it: the plugin's artifact and the image's Flink version,
    /// `flink-s3-fs-hadoop-<version>.jar` or `flink-s3-fs-presto-<version>.jar` (`ls /opt/flink/opt/` in the image
    /// shows them). The finding's suggestion is that name when the image tag gives the exact version.
    pub EnabledPluginMissing => "enabled-plugin-missing", Error, "ENABLE_BUILT_IN_PLUGINS names a jar the image's opt/ does not hold"
}

impl Rule for EnabledPluginMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some(code) = &d.code else { return };
        let known = known_image(d);
        for p in &code.enabled_plugins {
            // Each name is reported by the deployment of the file it is written in.
            if p.exists != Some(false) || p.at.file != code.file {
                continue;
            }
            // s3lint knows which S3 filesystems `opt/` ships, not the rest of it (`flink-gs-fs-hadoop`, …).
            if !S3_PLUGINS.contains(&artifact_of(&p.jar).as_str()) {
                continue;
            }
            let ships = known.as_ref().map(|k| shipped_for(k, &p.jar));
            let version = known.as_ref().and_then(|k| k.version.as_ref()).map(|v| v.version.as_str()).unwrap_or("?");
            let message = format!(
                "`ENABLE_BUILT_IN_PLUGINS` names `{}`, but the image's opt/ holds no such jar (Flink {version}): the entrypoint prints \"Plugin {} does not exist. Exiting.\" and the container exits with status 1",
                p.jar, p.jar
            );
            let finding = match ships.flatten() {
                Some(jar) => Self::META
                    .finding(p.at, message, format!("Name the jar this image ships in /opt/flink/opt/: `{jar}`."))
                    .with_suggestion(jar),
                None => Self::META.finding(
                    p.at,
                    message,
                    "Name a jar exactly as the image's /opt/flink/opt/ ships it (`ls /opt/flink/opt/` in the image): the plugin's artifact with the image's Flink version, e.g. `flink-s3-fs-hadoop-<version>.jar`.",
                ),
            };
            out.push(finding.with_key("ENABLE_BUILT_IN_PLUGINS"));
        }
    }
}

/// The S3 filesystems of the official image's `opt/` (what [`KnownImage::shipped_jars`] lists).
const S3_PLUGINS: [&str; 2] = ["flink-s3-fs-hadoop", "flink-s3-fs-presto"];

/// The artifact a written name stands for (`flink-s3-fs-hadoop` for `flink-s3-fs-hadoop-1.17.0.jar`, and for
/// `flink-s3-fs-hadoop` itself).
fn artifact_of(written: &str) -> String {
    let a = parse_file_name(written).artifact;
    a.strip_suffix(".jar").unwrap_or(&a).to_string()
}

/// The official image the deployment runs: the Dockerfile's base, else the image the manifest or service names.
fn known_image(d: &Deployment) -> Option<KnownImage> {
    let code = d.code.as_ref()?;
    code.image
        .as_ref()
        .and_then(|i| i.base.known.clone())
        .or_else(|| code.runs.as_ref().and_then(|r| image::known(&r.value)))
}

/// The jar of the image's `opt/` for the same plugin as `written`, when the image's exact version is known.
fn shipped_for(k: &KnownImage, written: &str) -> Option<String> {
    k.version.as_ref().filter(|v| v.exact)?;
    let artifact = artifact_of(written);
    k.shipped_jars()
        .into_iter()
        .filter_map(|p| p.rsplit('/').next().map(str::to_string))
        .find(|jar| artifact_of(jar) == artifact)
}

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{at, compose, dockerfile, findings, fixture, manifest};

    #[test]
    fn another_release_of_the_plugin_is_reported_with_the_shipped_jar_which_is_then_accepted() {
        let text = fixture("dockerfile/flink-enable-plugins.Dockerfile");
        let d = dockerfile(&text);
        let found = findings(&d, "enabled-plugin-missing");
        assert_eq!(found.len(), 1, "flink-s3-fs-presto-1.17.1.jar ships in opt/: {found:#?}");
        let f = &found[0];
        assert_eq!(at(&d, f), ("4:60".to_string(), "flink-s3-fs-hadoop-1.17.0.jar".to_string()));
        assert!(
            f.message.contains("\"Plugin flink-s3-fs-hadoop-1.17.0.jar does not exist. Exiting.\""),
            "{}",
            f.message
        );
        assert_eq!(f.suggestion.as_deref(), Some("flink-s3-fs-hadoop-1.17.1.jar"));
        let fixed = text.replace("flink-s3-fs-hadoop-1.17.0.jar", f.suggestion.as_deref().unwrap());
        assert!(findings(&dockerfile(&fixed), "enabled-plugin-missing").is_empty());
    }

    #[test]
    fn a_name_without_version_in_a_pod_template_gets_the_versioned_jar() {
        let text = fixture("k8s/flinkdeployment-clean.yaml");
        for d in manifest(&text, None) {
            assert!(findings(&d, "enabled-plugin-missing").is_empty(), "the clean fixture names the shipped jar");
        }
        let broken = text.replace("value: flink-s3-fs-hadoop-1.17.1.jar", "value: flink-s3-fs-hadoop");
        let d = manifest(&broken, None).remove(0);
        let found = findings(&d, "enabled-plugin-missing");
        assert_eq!(found.len(), 1);
        assert_eq!(at(&d, &found[0]), ("20:22".to_string(), "flink-s3-fs-hadoop".to_string()));
        assert_eq!(found[0].suggestion.as_deref(), Some("flink-s3-fs-hadoop-1.17.1.jar"));
    }

    #[test]
    fn a_floating_tag_or_another_plugin_gets_no_invented_name() {
        let text = fixture("k8s/compose-flink.yaml");
        for d in compose(&text) {
            assert!(findings(&d, "enabled-plugin-missing").is_empty());
        }
        let broken = text.replace("flink-s3-fs-presto-1.18.1.jar", "flink-s3-fs-presto-1.18.0.jar");
        let d = compose(&broken).remove(0);
        let found = findings(&d, "enabled-plugin-missing");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].suggestion.as_deref(), Some("flink-s3-fs-presto-1.18.1.jar"));
        let d = dockerfile("FROM flink:1.17.1\nENV ENABLE_BUILT_IN_PLUGINS=flink-gs-fs-hadoop-1.17.1.jar\n");
        assert!(findings(&d, "enabled-plugin-missing").is_empty(), "s3lint does not know the rest of opt/");
        // `flink:1.20` is whichever 1.20 patch is newest when pulled: a 1.20 jar may be the one it ships.
        let d = dockerfile("FROM flink:1.20\nENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.20.0.jar\n");
        assert!(findings(&d, "enabled-plugin-missing").is_empty(), "a floating tag's patch is not known exactly");
        // No 1.17 image ships a 1.16 jar, whatever its patch: an error, but no invented exact name.
        let d = dockerfile("FROM flink:1.17\nENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.16.0.jar\n");
        let found = findings(&d, "enabled-plugin-missing");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].suggestion, None);
    }
}

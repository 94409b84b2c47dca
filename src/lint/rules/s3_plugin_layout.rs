use std::path::{Path, PathBuf};

use crate::declare_rule;
use crate::deployment::version::Version;
use crate::deployment::{Deployment, FlinkS3Plugin, JarPlace, JarRef};
use crate::knowledge::jars::knowledge;
use crate::lint::classpath_facts::{Server, install_plugin, installed, server};
use crate::lint::facts::{SchemeUse, locate, scheme_uses};
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A Flink S3 filesystem (`flink-s3-fs-hadoop`, `flink-s3-fs-presto`) installed where Flink does not load it
    /// as intended:
    /// - in `lib/` on Flink 1.10+ (error; on 1.9, where plugins were introduced, a warning);
    /// - a plugin jar lying directly in `plugins/` instead of its own folder `plugins/<name>/`;
    /// - in `plugins/` on Flink before 1.9, which has no plugin mechanism;
    /// - both plugins installed while `s3://` URIs are used, so which one serves `s3://` is not defined;
    /// - only in `opt/` (shipped, not installed) while `s3a://` or `s3p://` URIs need it (`s3://` is reported by
    ///   `fs-s3-impl-missing`);
    /// - named in `pipeline.jars` or `pipeline.classpaths` (`file:///opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar`),
    ///   which puts it on the job's user-code classloader (error; a warning when the plugin is also installed).
    ///
    /// ## Why it matters
    /// From Flink 1.10 the S3 filesystems are no longer shaded for use from `lib/`: they must be plugins, each
    /// loaded by its own classloader from its own sub-folder of `plugins/`. Flink ignores jars directly in
    /// `plugins/` and everything in `opt/`, and then fails with `Could not find a file system implementation for
    /// scheme 's3'` ("Please ensure that each plugin resides within its own subfolder within the plugins
    /// directory"). With both plugins, both register `s3://` and the winner depends on classloading order.
    /// Filesystems are found once, when the JobManager or TaskManager process starts (`FileSystem.initialize`: a
    /// `ServiceLoader` over the classpath of `lib/`, then the plugin manager over `plugins/`); the jars of
    /// `pipeline.jars` are loaded later, per job, by the user-code classloader, where Flink never looks for one.
    ///
    /// ## How to fix
    /// `mkdir -p plugins/s3-fs-hadoop && mv lib/flink-s3-fs-hadoop-*.jar plugins/s3-fs-hadoop/` (likewise
    /// `plugins/s3-fs-presto/` for presto). With both plugins, write `s3a://` for the Hadoop one (needed by the
    /// FileSink) and `s3p://` for the Presto one (recommended for checkpoints) instead of `s3://`. Take an S3 jar
    /// out of `pipeline.jars` and install it as a plugin instead. In the official Docker image, enable the jar its
    /// `opt/` ships rather than copying it anywhere: `ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-<version>.jar`
    /// as a Dockerfile `ENV`, a pod template's container `env` or a compose service's `environment`.
    pub S3PluginLayout => "s3-plugin-layout", Error, "a Flink S3 filesystem jar where Flink does not load it as intended"
}

impl Rule for S3PluginLayout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let flink = d.flink_version.as_ref();
        let rules = &knowledge().flink;
        let plugins_since = Version::parse(&rules.plugins_since);
        let lib_unsupported = Version::parse(&rules.s3_in_lib_unsupported_since);
        let uses = scheme_uses(d);
        let s3_used = uses.iter().any(|u| matches!(u.scheme, "s3" | "s3a" | "s3p"));
        for jar in d.jars.iter().filter(|j| j.unreadable.is_none()) {
            let Some(plugin) = jar.flink_s3_plugin() else { continue };
            let folder = plugin.folder();
            match &jar.place {
                JarPlace::Lib => {
                    let Some(v) = flink.map(|f| &f.version) else { continue };
                    if *v < plugins_since {
                        continue; // before 1.9, lib/ is the documented place
                    }
                    let severity = if *v >= lib_unsupported { Severity::Error } else { Severity::Warning };
                    out.push(
                        Self::META
                            .finding_on_path(
                                &jar.display,
                                format!(
                                    "`{}` is in lib/, but Flink {v} loads S3 filesystems only as plugins from their own folder under plugins/",
                                    jar.file_name
                                ),
                                lib_help(d, jar, plugin, folder),
                            )
                            .with_severity(severity),
                    );
                }
                JarPlace::Plugin(None) => out.push(
                    Self::META
                        .finding_on_path(
                            &jar.display,
                            format!("`{}` lies directly in plugins/: Flink loads each plugin from its own sub-folder and ignores it", jar.file_name),
                            format!("Move it into its own folder: `{}`.", move_into(jar, &plugin_dir(jar, folder))),
                        )
                        .with_severity(if s3_used { Severity::Error } else { Severity::Warning }),
                ),
                JarPlace::Plugin(Some(_)) => {
                    if let Some(v) = flink.map(|f| &f.version).filter(|v| **v < plugins_since) {
                        out.push(Self::META.finding_on_path(
                            &jar.display,
                            format!("`{}` is in plugins/, but Flink {v} has no plugin mechanism (it came in {plugins_since}) and never loads it", jar.file_name),
                            format!("On Flink {v} copy it to lib/ instead: `cp {} {}`.", jar.display, home_dir(jar).join("lib").display()),
                        ));
                    }
                }
                _ => {}
            }
        }
        both_plugins_claim_s3(d, &uses, out);
        only_in_opt(d, &uses, out);
        on_user_classpath(d, out);
    }
}

/// Both plugins installed while `s3://` is used.
fn both_plugins_claim_s3(d: &Deployment, uses: &[SchemeUse<'_>], out: &mut Vec<Finding>) {
    let (hadoop, presto) = (installed(d, FlinkS3Plugin::Hadoop), installed(d, FlinkS3Plugin::Presto));
    let (Some(h), Some(p)) = (hadoop.first(), presto.first()) else { return };
    let Some(first) = uses.iter().find(|u| u.scheme == "s3") else { return };
    out.push(
        S3PluginLayout::META
            .finding(
                first.at,
                format!(
                    "`{}` uses s3://, but both `{}` and `{}` are installed and both serve s3://: which one is used depends on classloading order",
                    first.setting.entry.key, h.file_name, p.file_name
                ),
                "Write s3a:// for the Hadoop plugin (needed by the FileSink) and s3p:// for the Presto plugin (recommended for checkpoints), or remove one plugin.",
            )
            .with_key(first.setting.entry.key.clone())
            .with_severity(Severity::Warning),
    );
}

/// `s3a://` or `s3p://` used while the only plugin that would serve it lies in `opt/`.
fn only_in_opt(d: &Deployment, uses: &[SchemeUse<'_>], out: &mut Vec<Finding>) {
    for u in uses.iter().filter(|u| matches!(u.scheme, "s3a" | "s3p")) {
        let Server::OnlyInOpt(opt) = server(d, u.scheme) else { continue };
        let folder = opt.flink_s3_plugin().map(|p| p.folder()).unwrap_or("s3-fs-hadoop");
        out.push(
            S3PluginLayout::META
                .finding(
                    u.at,
                    format!(
                        "`{}` uses {}://, but `{}` is only in opt/, which Flink does not load",
                        u.setting.entry.key, u.scheme, opt.file_name
                    ),
                    match opt.flink_s3_plugin().and_then(|p| crate::lint::image_help::enable_plugin(d, p, opt)) {
                        Some(enable) => format!("{}.", crate::lint::capitalised(&enable)),
                        None => format!("Install it: `{}`.", copy_into(opt, &plugin_dir(opt, folder))),
                    },
                )
                .with_key(u.setting.entry.key.clone()),
        );
        return;
    }
}

/// The keys whose jars or URLs Flink puts on a job's user-code classloader.
const USER_CODE_KEYS: [&str; 2] = ["pipeline.jars", "pipeline.classpaths"];

/// A Flink S3 filesystem named in `pipeline.jars` / `pipeline.classpaths`: the user-code classloader, which Flink
/// never searches for filesystems (they are found once, at process start, on the classpath and in the plugins).
fn on_user_classpath(d: &Deployment, out: &mut Vec<Finding>) {
    for s in d.effective_settings().filter(|s| s.config.kind.is_flink() && USER_CODE_KEYS.contains(&s.key)) {
        for item in s.entry.value.split([';', ',']).map(str::trim).filter(|i| !i.is_empty()) {
            let file_name = item.rsplit('/').next().unwrap_or(item);
            let Some(plugin) = [FlinkS3Plugin::Hadoop, FlinkS3Plugin::Presto]
                .into_iter()
                .find(|p| file_name.starts_with(p.artifact()) && file_name.ends_with(".jar"))
            else {
                continue;
            };
            let installed = !installed(d, plugin).is_empty();
            let (severity, consequence) = if installed {
                (
                    Severity::Warning,
                    "it is already installed as a plugin, so this copy only adds a second set of its classes to the job",
                )
            } else {
                (
                    Severity::Error,
                    "Flink finds filesystems only at process start, in lib/ and plugins/, and never registers this one",
                )
            };
            out.push(
                S3PluginLayout::META
                    .finding(
                        locate(d, s, item),
                        format!(
                            "`{}` puts `{file_name}` on the job's user-code classloader: {consequence}",
                            s.entry.key
                        ),
                        format!("Remove it from `{}` and {}.", s.entry.key, install_plugin(d, plugin)),
                    )
                    .with_key(s.entry.key.clone())
                    .with_severity(severity),
            );
        }
    }
}

/// How to get a plugin out of `lib/`: on a host, the move; in an image, the image's own `opt/` jar enabled
/// instead of the line that put it there, or (a downloaded jar) the same move as a `RUN` after that line.
fn lib_help(d: &Deployment, jar: &JarRef, plugin: FlinkS3Plugin, folder: &str) -> String {
    let dir = plugin_dir(jar, folder);
    if !crate::lint::image_help::in_image(d, jar) {
        return format!("Move it: `{}`.", move_into(jar, &dir));
    }
    let own = d
        .jars
        .iter()
        .find(|o| o.place == JarPlace::Opt && o.flink_s3_plugin() == Some(plugin) && o.file_name == jar.file_name);
    match own.and_then(|o| crate::lint::image_help::enable_plugin(d, plugin, o)) {
        Some(enable) => format!("Instead of putting it into lib/, {enable}."),
        None => format!(
            "Put it into its own folder instead of lib/, e.g. with `RUN {}` after the line that places it.",
            move_into(jar, &dir)
        ),
    }
}

/// The Flink home of a jar in `lib/`, `opt/` or directly in `plugins/` (as shown to the user).
fn home_dir(jar: &JarRef) -> PathBuf {
    Path::new(&jar.display).parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default()
}

/// `<home>/plugins/<folder>` for a jar of that home.
fn plugin_dir(jar: &JarRef, folder: &str) -> PathBuf {
    home_dir(jar).join("plugins").join(folder)
}

/// `mkdir -p DIR && mv JAR DIR/`.
fn move_into(jar: &JarRef, dir: &Path) -> String {
    format!("mkdir -p {0} && mv {1} {0}/", dir.display(), jar.display)
}

/// `mkdir -p DIR && cp JAR DIR/`.
fn copy_into(jar: &JarRef, dir: &Path) -> String {
    format!("mkdir -p {0} && cp {1} {0}/", dir.display(), jar.display)
}

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{at, findings, manifest};
    use crate::lint::Severity;

    const DEPLOYMENT: &str = "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nmetadata:\n  name: clicks\nspec:\n  image: flink:1.17.1-scala_2.12\n  flinkVersion: v1_17\n  flinkConfiguration:\n    pipeline.jars: file:///opt/flink/usrlib/clicks.jar;file:///opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar\n    state.checkpoints.dir: s3://clicks/checkpoints\n";

    #[test]
    fn the_s3_plugin_on_pipeline_jars_is_an_error_at_the_jar() {
        let d = manifest(DEPLOYMENT, None).remove(0);
        let found: Vec<_> = findings(&d, "s3-plugin-layout")
            .into_iter()
            .filter(|f| f.key.as_deref() == Some("pipeline.jars"))
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(at(&d, f), ("9:56".to_string(), "file:///opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar".to_string()));
        assert!(
            f.message.contains("puts `flink-s3-fs-hadoop-1.17.1.jar` on the job's user-code classloader"),
            "{}",
            f.message
        );
        assert!(
            f.help
                .contains("`ENABLE_BUILT_IN_PLUGINS` = `flink-s3-fs-hadoop-1.17.1.jar` on the `flink-main-container`"),
            "{}",
            f.help
        );
    }

    #[test]
    fn with_the_plugin_also_installed_it_is_a_warning_and_other_user_jars_are_fine() {
        let image = "FROM flink:1.17.1-scala_2.12\nRUN mkdir -p ./plugins/s3-fs-hadoop && cp ./opt/flink-s3-fs-hadoop-1.17.1.jar ./plugins/s3-fs-hadoop/\n";
        let d = manifest(DEPLOYMENT, Some(image)).remove(0);
        let found: Vec<_> = findings(&d, "s3-plugin-layout")
            .into_iter()
            .filter(|f| f.key.as_deref() == Some("pipeline.jars"))
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        let user_jars_only = DEPLOYMENT.replace(";file:///opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar", "");
        let d = manifest(&user_jars_only, Some(image)).remove(0);
        assert!(findings(&d, "s3-plugin-layout").is_empty());
    }
}

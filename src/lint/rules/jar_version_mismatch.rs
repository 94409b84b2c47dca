use std::collections::BTreeMap;

use crate::declare_rule;
use crate::deployment::version::Version;
use crate::deployment::{Classpath, ClasspathKind, Deployment, JarPlace, JarRef};
use crate::knowledge::jars::{HadoopLine, SdkGeneration, SdkSet, knowledge};
use crate::lint::classpath_facts::{
    HadoopFs, SdkJar, hadoop_aws, hadoop_fs_uses, hadoop_jars, line_of, readable, sdk_jars,
};
use crate::lint::{Finding, Related, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// Jars on one classpath that must agree and do not:
    /// - Hadoop modules of different versions (`hadoop-aws-2.7.3.jar` next to `hadoop-common-2.8.3`, also when
    ///   hadoop-common comes inside a shaded `flink-shaded-hadoop-2-uber` jar);
    /// - `hadoop-aws` next to an AWS SDK it was not built against: the wrong packaging (Hadoop 3.4+ needs the v2
    ///   `software.amazon.awssdk:bundle`, Hadoop 2.9–3.3 the v1 `aws-java-sdk-bundle`), the v1 bundle mixed with
    ///   individual `aws-java-sdk-*` modules, split SDK modules of different versions, or another version than
    ///   the one that Hadoop release was built with (warning; info for a newer release of the same SDK line,
    ///   `1.12.367` for `1.12.262`, which keeps the methods hadoop-aws calls);
    /// - a Flink module or S3 plugin whose version differs from `flink-dist`;
    /// - more than one `flink-dist*.jar` in a Flink `lib/` (error, whatever their versions: Flink's start
    ///   scripts stop with "Multiple flink-dist*.jar found");
    /// - two versions of the same artifact on one classpath (warning). Jars are the same artifact when their
    ///   artifact ids and groups agree (a jar known by its file name only matches any group), or a known Maven
    ///   relocation links them; different groups are different jars.
    ///
    /// ## Why it matters
    /// Hadoop's S3A troubleshooting guide is blunt: hadoop-aws must be exactly the version of hadoop-common, and
    /// the AWS SDK must be the one hadoop-aws was built with. Anything else fails at the first S3 call with
    /// `NoSuchMethodError`, `NoClassDefFoundError` or `ClassNotFoundException` (e.g. `Class
    /// org.apache.hadoop.fs.s3a.S3AFileSystem not found` when the SDK's classes are missing). A Flink plugin
    /// built for another Flink release links against that release's internal classes. With two versions of one
    /// jar, which one wins depends on classpath order, which differs between machines.
    ///
    /// ## How to fix
    /// Take hadoop-aws from the same Hadoop release as hadoop-common (`share/hadoop/tools/lib/` of that release
    /// has both it and the SDK it was built with); copy a Flink jar from the folder of the same Flink
    /// distribution that ships it (`lib/` for `flink-table-runtime`, `opt/` for the S3 plugins); keep one
    /// flink-dist; remove the older duplicate jar. On Spark, ask `spark.jars.packages` for the hadoop-aws of the
    /// Hadoop release in `jars/` (`org.apache.hadoop:hadoop-aws:3.3.4` for Spark 3.5's Hadoop 3.3.4).
    pub JarVersionMismatch => "jar-version-mismatch", Error, "jars that must agree do not (hadoop-aws vs hadoop-common, hadoop-aws vs AWS SDK, plugin vs flink-dist)"
}

impl Rule for JarVersionMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let s3a = hadoop_fs_uses(d).into_iter().find(|u| u.fs == HadoopFs::S3a);
        for cp in &d.classpaths {
            let start = out.len();
            hadoop_modules_disagree(d, cp, out);
            sdk_disagrees(d, cp, out);
            // Where the configuration selects S3A on this classpath, point at it too.
            if let Some(u) = s3a.as_ref()
                && d.main_classpath() == Some(cp)
            {
                for f in &mut out[start..] {
                    f.related
                        .push(Related { at: u.at, message: format!("S3AFileSystem is selected here ({})", u.why) });
                }
            }
            duplicate_artifacts(d, cp, out);
        }
        flink_modules_disagree(d, out);
        several_flink_dists(d, out);
    }
}

/// Hadoop modules of one classpath against hadoop-common — or Spark's shaded Hadoop client (`hadoop-client-api`,
/// then `hadoop-client-runtime`), the release an image that replaced Spark's Hadoop installed — else against the
/// first Hadoop module.
fn hadoop_modules_disagree(d: &Deployment, cp: &Classpath, out: &mut Vec<Finding>) {
    let modules = hadoop_jars(d, cp);
    let by_name = |name: &str| modules.iter().find(|h| h.artifact == name);
    let reference = by_name("hadoop-common")
        .or_else(|| by_name("hadoop-client-api"))
        .or_else(|| by_name("hadoop-client-runtime"))
        .or(modules.first());
    let Some(reference) = reference else {
        return;
    };
    let mut reported = Vec::new();
    for m in modules.iter().filter(|m| m.version != reference.version) {
        if reported.contains(&m.jar.display) {
            continue;
        }
        reported.push(m.jar.display.clone());
        let message = format!(
            "{} is Hadoop {} but {} on the same classpath ({}) is Hadoop {}: Hadoop modules must all be one release, or S3A fails with NoSuchMethodError / ClassNotFoundException",
            m.describe(),
            m.version,
            reference.describe(),
            cp.name,
            reference.version
        );
        if cp.kind == ClasspathKind::SparkJars {
            out.push(super::spark_jars::hadoop_module_mismatch(
                d,
                &JarVersionMismatch::META,
                m,
                &reference.version,
                message,
            ));
            continue;
        }
        // A shaded jar that brings a second copy of a module the classpath has on its own: the shaded jar goes.
        let help = if m.bundled && modules.iter().any(|o| !o.bundled && o.artifact == m.artifact) {
            format!(
                "Remove `{}`: it bundles Hadoop {} while the classpath has its own Hadoop {} jars, and one classpath holds one Hadoop.",
                m.jar.file_name, m.version, reference.version
            )
        } else {
            format!(
                "Use {}-{} from the Hadoop {} release (its share/hadoop/ has every module), or move the whole classpath to Hadoop {}.",
                m.artifact, reference.version, reference.version, m.version
            )
        };
        out.push(JarVersionMismatch::META.finding_on_path(&m.jar.display, message, help));
    }
}

/// hadoop-aws against the AWS SDK jars of its classpath.
fn sdk_disagrees(d: &Deployment, cp: &Classpath, out: &mut Vec<Finding>) {
    let Some((aws, aws_version)) = hadoop_aws(d, cp) else { return };
    let Some(line) = line_of(&aws_version) else { return };
    let sdks = sdk_jars(d, cp);
    if sdks.is_empty() {
        return; // jar-missing-dependency reports the missing SDK
    }
    let wanted = line.sdk.generation;
    let fitting: Vec<_> = sdks.iter().filter(|s| line.sdk.sets.iter().any(|set| fits(s, set))).collect();
    if fitting.is_empty() {
        // Hadoop 3.4+ may also carry the v1 bundle for old credential providers; only its absence of v2 is fatal.
        let found = &sdks[0];
        let built = &line.sdk.sets[0];
        out.push(JarVersionMismatch::META.finding_on_path(
            &found.jar.display,
            format!(
                "`{}` is Hadoop {aws_version}, built against {} {}, but the SDK on {} is {} {}: S3A will fail with NoClassDefFoundError / ClassNotFoundException",
                aws.file_name,
                wanted.describe(),
                pinned_or(line, &aws_version, &built.version),
                cp.name,
                found.generation.describe(),
                found.jar.describe()
            ),
            format!(
                "Replace it with {} of the version Hadoop {aws_version} ships in share/hadoop/tools/lib/ ({}:{}:{}).",
                artifacts_of(built),
                built.group,
                built.artifacts[0],
                pinned_or(line, &aws_version, &built.version)
            ),
        ));
        return;
    }
    // The v1 bundle mixed with individual v1 modules.
    let bundle = sdks.iter().find(|s| s.generation == SdkGeneration::V1Bundle);
    let split = sdks.iter().find(|s| s.generation == SdkGeneration::V1Split);
    if let (Some(b), Some(s)) = (bundle, split) {
        out.push(JarVersionMismatch::META.finding_on_path(
            &s.jar.display,
            format!(
                "`{}` and `{}` are both on {}: the shaded aws-java-sdk-bundle and individual aws-java-sdk-* modules carry the same classes in different versions, which fails with NoSuchMethodError",
                b.jar.file_name, s.jar.file_name, cp.name
            ),
            "Keep only aws-java-sdk-bundle (Hadoop 2.9 to 3.3) and remove the individual aws-java-sdk-* jars.",
        ));
    }
    // Split v1 modules must be one version.
    let modules: Vec<_> = fitting.iter().filter(|s| s.generation == SdkGeneration::V1Split).collect();
    if let Some(first) = modules.first() {
        for other in modules.iter().skip(1).filter(|o| o.version != first.version) {
            out.push(JarVersionMismatch::META.finding_on_path(
                &other.jar.display,
                format!(
                    "{} and {} are different versions of the split AWS SDK v1: its modules call each other's internals and fail with NoSuchMethodError when they disagree",
                    other.jar.describe(),
                    first.jar.describe()
                ),
                "Use aws-java-sdk-s3, aws-java-sdk-core and aws-java-sdk-kms of one version.",
            ));
        }
    }
    // The exact version, where it is known for this release (or documented for the set). Vendor builds
    // (`3.1.1.7.2.6.0-15`, `3.0.0-cdh6.0.0`, `2.8.5-amzn-1`) pair with SDKs of their own choosing.
    if aws_version.is_vendor_build() {
        return;
    }
    let expected = line.pinned_sdk(&aws_version).map(|p| p.version.clone()).or_else(|| {
        let exact: Vec<_> = line.sdk.sets.iter().filter(|s| s.exact).collect();
        (!exact.is_empty() && exact.len() == line.sdk.sets.len()).then(|| exact[0].version.clone())
    });
    let Some(expected) = expected else { return };
    let versions_ok = |s: &&&SdkJar<'_>| {
        let Some(v) = &s.version else { return true };
        line.pinned_sdk(&aws_version).map(|p| *v == Version::parse(&p.version)).unwrap_or_else(|| {
            line.sdk.sets.iter().any(|set| set.exact && fits(s, set) && *v == Version::parse(&set.version))
        })
    };
    if let Some(off) = fitting.iter().find(|s| !versions_ok(s)) {
        // A newer patch release of the same SDK line (1.12.262 -> 1.12.367) keeps what hadoop-aws calls: not the
        // tested pair, but it runs. An older one may lack a method hadoop-aws was compiled against, and another
        // line (1.7.4 -> 1.11, the break Hadoop 2.7 users know) changed classes it uses.
        let wanted = Version::parse(&expected);
        let newer = off.version.as_ref().is_some_and(|v| *v > wanted && v.same_line(&wanted));
        let (severity, consequence) = if newer {
            (Severity::Info, "a newer release of the same SDK line usually works, but it is not the pair Hadoop tested")
        } else {
            (Severity::Warning, "other SDK versions are unsupported and often fail with NoSuchMethodError")
        };
        out.push(
            JarVersionMismatch::META
                .finding_on_path(
                    &off.jar.display,
                    format!(
                        "{} is on {} but `{}` (Hadoop {aws_version}) was built with AWS SDK {expected}: {consequence}",
                        off.jar.describe(),
                        cp.name,
                        aws.file_name
                    ),
                    if crate::lint::image_help::in_image(d, off.jar) {
                        let sdk = &off.jar.artifact;
                        let group = sdk.group.as_deref().unwrap_or("com.amazonaws");
                        format!(
                            "Put the SDK Hadoop {aws_version} was built with into the image instead: {}.",
                            crate::lint::image_help::maven_url(group, &sdk.artifact, &expected)
                        )
                    } else if off.jar.place == JarPlace::SparkPackage {
                        format!(
                            "Remove `{}` from `{}`: `org.apache.hadoop:hadoop-aws:{aws_version}` pulls in the SDK {expected} it was built with.",
                            off.jar.artifact.coordinates(),
                            if crate::lint::image_help::is_spark_application(d) {
                                "spec.deps.packages"
                            } else {
                                "spark.jars.packages"
                            }
                        )
                    } else {
                        format!(
                            "Use the SDK of version {expected} that Hadoop {aws_version} ships in share/hadoop/tools/lib/."
                        )
                    },
                )
                .with_severity(severity),
        );
    }
}

/// True when an SDK jar is one of a set's artifacts.
fn fits(s: &SdkJar<'_>, set: &SdkSet) -> bool {
    s.jar.artifact.in_group(&set.group) && set.artifacts.contains(&s.jar.artifact.artifact)
}

fn artifacts_of(set: &SdkSet) -> String {
    set.artifacts.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
}

fn pinned_or(line: &HadoopLine, release: &Version, fallback: &str) -> String {
    line.pinned_sdk(release).map(|p| p.version.clone()).unwrap_or_else(|| fallback.to_string())
}

/// Jars with their versions, by (artifact id, classifier) as relocations make them.
type ByArtifact<'a> = BTreeMap<(&'a str, Option<&'a str>), Vec<(&'a JarRef, Version)>>;

/// Two versions of the same artifact on one classpath. Jars are the same artifact when their artifact ids (and
/// classifiers) are equal and their groups are too — or one of them is unknown (a jar named by its file only) —,
/// or a known relocation links their coordinates; different groups are different jars (Spark ships
/// `javax.jdo:jdo-api` and `org.datanucleus:javax.jdo`). Several flink-dist jars in `lib/` are
/// [`several_flink_dists`]'s.
fn duplicate_artifacts(d: &Deployment, cp: &Classpath, out: &mut Vec<Finding>) {
    let k = knowledge();
    let mut by_name: ByArtifact<'_> = BTreeMap::new();
    for jar in readable(d, cp) {
        if jar.place == JarPlace::Lib && is_flink_dist_name(&jar.file_name) {
            continue;
        }
        if let Some(v) = jar.version() {
            let (_, artifact) = k.canonical(&jar.artifact);
            by_name.entry((artifact, jar.artifact.classifier.as_deref())).or_default().push((jar, v));
        }
    }
    for ((name, _), jars) in by_name.iter().filter(|(_, j)| j.len() > 1) {
        for (i, (a, av)) in jars.iter().enumerate() {
            for (b, bv) in jars.iter().skip(i + 1) {
                let (ga, gb) = (k.canonical(&a.artifact).0, k.canonical(&b.artifact).0);
                let same_group = ga == gb || ga.is_none() || gb.is_none();
                if !same_group || av == bv {
                    continue;
                }
                let (older, newer) = if av < bv { (a, b) } else { (b, a) };
                out.push(
                    JarVersionMismatch::META
                        .finding_on_path(
                            &older.display,
                            format!(
                                "{} and {} are two versions of {name} on {}: which one is loaded depends on classpath order",
                                older.describe(),
                                newer.describe(),
                                cp.name
                            ),
                            format!("Remove one of them (usually the older `{}`).", older.file_name),
                        )
                        .with_severity(Severity::Warning),
                );
            }
        }
    }
}

/// A file name Flink's start scripts take for the distribution jar: `flink-dist*.jar` (FL-CONFIG-SH).
fn is_flink_dist_name(file_name: &str) -> bool {
    file_name.starts_with("flink-dist") && file_name.ends_with(".jar")
}

/// More than one `flink-dist*.jar` under one Flink `lib/`: every start script stops with "Multiple
/// flink-dist*.jar found" (an error whatever their versions). Keep the one of the Flink release the deployment
/// runs ([`Deployment::flink_version`] picks the flink-dist most other lib/ modules agree with).
fn several_flink_dists(d: &Deployment, out: &mut Vec<Finding>) {
    for cp in d.classpaths.iter().filter(|c| c.kind == ClasspathKind::FlinkLib) {
        let dists: Vec<&JarRef> =
            d.jars_of(cp).filter(|j| j.place == JarPlace::Lib && is_flink_dist_name(&j.file_name)).collect();
        if dists.len() < 2 {
            continue;
        }
        let keep = d
            .flink_version
            .as_ref()
            .and_then(|f| dists.iter().find(|j| j.display == f.from))
            .copied()
            .unwrap_or(dists[0]);
        let names: Vec<String> = dists.iter().map(|j| format!("`{}`", j.file_name)).collect();
        for extra in dists.iter().filter(|j| j.display != keep.display) {
            let what = match keep.version() {
                Some(v) => format!(" (Flink {v}, the release of the other Flink jars there)"),
                None => String::new(),
            };
            out.push(JarVersionMismatch::META.finding_on_path(
                &extra.display,
                format!(
                    "{} holds {} flink-dist jars ({}): Flink's start scripts refuse to run (\"[ERROR] Multiple flink-dist*.jar found in .../lib. Please resolve.\")",
                    cp.name,
                    dists.len(),
                    names.join(", ")
                ),
                format!("Remove `{}` and keep `{}`{what}.", extra.display, keep.display),
            ));
        }
    }
}

/// Flink modules and S3 plugins against flink-dist.
fn flink_modules_disagree(d: &Deployment, out: &mut Vec<Finding>) {
    let Some(flink) = &d.flink_version else { return };
    let rules = &knowledge().flink;
    let Some((major, _)) = flink.version.line() else { return };
    for jar in d.jars.iter().filter(|j| j.unreadable.is_none()) {
        let loaded = matches!(jar.place, JarPlace::Lib | JarPlace::Plugin(_) | JarPlace::Classpath);
        let name = jar.artifact.base_name();
        if !loaded || name == "flink-dist" || !jar.artifact.in_group("org.apache.flink") || !name.starts_with("flink-")
        {
            continue;
        }
        let own = rules.own_versioning.iter().any(|p| name.starts_with(p.as_str()))
            && !rules.versioned_with_flink.iter().any(|v| name == v);
        let Some(v) = jar.version() else { continue };
        // Externalized connectors (`flink-connector-kafka-3.0.1-1.17`) have their own version train.
        if own || v.line().is_none_or(|(m, _)| m != major) || jar.display == flink.from {
            continue;
        }
        if v == flink.version {
            continue;
        }
        let same_line = v.same_line(&flink.version);
        let what = if jar.flink_s3_plugin().is_some() { "the S3 plugin" } else { "the Flink module" };
        let consequence = if same_line {
            "Flink modules are built and shipped with one distribution; a different patch release is untested with it"
        } else {
            "it is built against another Flink release's internal classes and fails to load (ClassNotFoundException, NoSuchMethodError) or misbehaves"
        };
        let in_cp = if d.code.is_some() || d.classpaths.iter().any(|c| c.kind == ClasspathKind::FlinkLib) {
            ""
        } else {
            " (given)"
        };
        let help = match jar.flink_s3_plugin() {
            // An image ships the plugin of its own release in opt/: enable that one instead of another release's.
            Some(plugin) if crate::lint::image_help::in_image(d, jar) => {
                // Worded where the deployment is written (Dockerfile, pod template, compose) when the image's
                // own jar is known; else from the version alone.
                let own = d.jars.iter().find(|o| o.place == JarPlace::Opt && o.flink_s3_plugin() == Some(plugin));
                match own.and_then(|o| crate::lint::image_help::enable_plugin(d, plugin, o)) {
                    Some(enable) => format!("Instead of this one, {enable}."),
                    None => crate::lint::image_help::own_plugin(plugin, &flink.version),
                }
            }
            _ => where_to_get(name, &jar.artifact.artifact, &flink.version),
        };
        out.push(
            JarVersionMismatch::META
                .finding_on_path(
                    &jar.display,
                    format!(
                        "{what} {} is version {v} but Flink is {} (`{}`){in_cp}: {consequence}",
                        jar.describe(),
                        flink.version,
                        flink.from
                    ),
                    help,
                )
                .with_severity(if same_line { Severity::Warning } else { Severity::Error }),
        );
    }
}

/// Where to get the Flink jar `artifact` of release `version`: the folder of the binary distribution that ships
/// it (`lib/` for flink-table-runtime, `opt/` for the S3 filesystems), else Maven Central.
fn where_to_get(artifact: &str, artifact_id: &str, version: &Version) -> String {
    match knowledge().flink.ships_in(artifact) {
        Some(folder) => {
            format!(
                "Use the `{artifact}` jar of Flink {version}: copy it from the `{folder}/` of the Flink {version} distribution."
            )
        }
        None => format!(
            "Use the `{artifact}` jar of Flink {version}: `org.apache.flink:{artifact_id}:{version}` from Maven Central (the Flink distribution does not ship it)."
        ),
    }
}

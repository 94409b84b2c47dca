//! What an image gives a deployment: its jars as the deployment's (virtual: never opened, identified from their
//! names and Maven URLs, each with the Dockerfile line that put it there), the Flink or Spark version its tag
//! names, `FLINK_PROPERTIES` as Flink configuration, and the plugins its entrypoint enables.

use std::path::PathBuf;

use crate::deployment::classpath::{self, IdSource};
use crate::deployment::config::{ConfigFile, ConfigKind, Entry};
use crate::deployment::dockerfile::{self, EnabledPlugin, Image, KnownImage, Place, Product};
use crate::deployment::version::Version;
use crate::deployment::{Deployment, JarPlace, JarRef, KnownVersion};
use crate::source::{FileId, Location};

/// The deployment model's place for a jar of the image (`None`: a directory no classpath loads).
fn place(p: &Place) -> Option<JarPlace> {
    match p {
        Place::SparkJars => Some(JarPlace::SparkJars),
        other => other.jar_place(),
    }
}

/// A jar inside an image, as the deployment's: shown by its path in the image, found where `at` points.
pub(super) fn virtual_jar(path: &str, place: JarPlace, artifact: classpath::Artifact, at: Location) -> JarRef {
    let mut jar = JarRef::new(PathBuf::from(path), path.to_string(), place);
    if !path.contains('*') {
        jar.artifact = artifact;
    } else {
        // A floating tag's patch release, a glob of the build context: the version is not known.
        jar.artifact = classpath::Artifact { version: None, ..artifact };
    }
    jar.identified_by = IdSource::FileName;
    // Not opened, so its name is all there is to say what a shaded jar bundles.
    jar.bundles.extend(classpath::bundled_by_name(&jar.artifact));
    jar.declared_at = Some(at);
    // A path inside the image: nothing on this machine to open.
    jar.read = true;
    jar
}

/// Adds the jars the image ends with (those in directories a classpath loads).
pub(super) fn add_jars(d: &mut Deployment, image: &Image) {
    for j in &image.jars {
        let Some(place) = place(&j.place) else { continue };
        let at = j.at.unwrap_or(image.base.at);
        d.jars.push(virtual_jar(&j.path, place, j.artifact.clone(), at));
    }
}

/// Adds the S3-relevant jars a known base image's distribution ships, for a manifest or compose service that runs
/// it directly (no Dockerfile of the repository builds it): found at the `image:` line.
pub(super) fn add_base_jars(d: &mut Deployment, known: &KnownImage, at: Location) {
    for path in known.shipped_jars() {
        let name = path.rsplit('/').next().unwrap_or("");
        let place = if path.contains("/opt/") && known.product == Product::Flink {
            JarPlace::Opt
        } else if path.contains("/lib/") && known.product == Product::Flink {
            JarPlace::Lib
        } else if path.contains("/jars/") {
            JarPlace::SparkJars
        } else {
            continue;
        };
        d.jars.push(virtual_jar(&path, place, classpath::parse_file_name(name), at));
    }
}

/// The product version an image tag names exactly (`flink:1.17.1`, or `flink:1.15`: a line that gets no more
/// images is its last patch, `rules/images.yaml`), as the deployment's version.
pub(super) fn set_versions(d: &mut Deployment, known: Option<&KnownImage>, image: &str) {
    let Some(k) = known else { return };
    let Some(v) = exact_version(k) else { return };
    let version = KnownVersion { version: Version::parse(&v), from: image.to_string() };
    match k.product {
        Product::Flink if d.flink_version.is_none() => d.flink_version = Some(version),
        Product::Spark if d.spark_version.is_none() => d.spark_version = Some(version),
        _ => {}
    }
}

/// The one release a base image's tag stands for, if it stands for one.
pub(super) fn exact_version(k: &KnownImage) -> Option<String> {
    let tag = k.version.as_ref()?;
    if tag.exact {
        return Some(tag.version.clone());
    }
    crate::knowledge::images::knowledge().image_release(k).filter(|r| r.exact).map(|r| r.version)
}

/// `FLINK_PROPERTIES` as one Flink configuration file of `file`: up to Flink 1.18 the entrypoint appends the
/// lines to `flink-conf.yaml`; from 1.19 it passes each as a dynamic property (`-Dkey=value`) — both read as
/// `key: value` lines, a later line of the same key winning.
pub(super) fn properties_config(file: FileId, entries: &[Entry], flink: Option<&Version>) -> Option<ConfigFile> {
    if entries.is_empty() {
        return None;
    }
    let kind = match flink {
        Some(v) if v.at_least(1, 19) => ConfigKind::FlinkYaml,
        _ => ConfigKind::FlinkConf,
    };
    Some(config_of(file, kind, entries.to_vec()))
}

/// A configuration file made of `definitions` in document order: the effective entry of each key is its last
/// definition with a value, in the order of the key's first definition.
pub(super) fn config_of(file: FileId, kind: ConfigKind, definitions: Vec<Entry>) -> ConfigFile {
    let mut entries: Vec<Entry> = Vec::new();
    for def in definitions.iter().filter(|e| !e.value.is_empty()) {
        match entries.iter_mut().find(|e| e.key == def.key) {
            Some(e) => *e = def.clone(),
            None => entries.push(def.clone()),
        }
    }
    ConfigFile { file, kind, entries, definitions, notes: Vec::new() }
}

/// The plugins the entrypoint enables, named in `value` (`;`-separated jar names) written at `at`: each is linked
/// from `opt/` into `plugins/<name>/` when the container starts — as the deployment's plugin jar when `opt/` has
/// it. `exists` is judged against the image's `opt/` when its release is known.
pub(super) fn enable_plugins(
    d: &mut Deployment,
    names: &[(String, Location)],
    known: Option<&KnownImage>,
) -> Vec<EnabledPlugin> {
    let exact = known.is_some_and(|k| exact_version(k).is_some());
    let mut out = Vec::new();
    for (name, at) in names {
        let folder = name.strip_suffix(".jar").unwrap_or(name).to_string();
        // `flink-s3-fs-hadoop-1.20.*.jar` of a floating tag matches every patch's name: likely there, not known.
        let shipped = d
            .jars
            .iter()
            .find(|j| j.place == JarPlace::Opt && dockerfile::naming::matches(&j.file_name, name))
            .cloned();
        let exists = match (&shipped, exact) {
            (Some(j), _) if j.file_name.contains('*') => None,
            (Some(_), _) => Some(true),
            (None, true) => Some(false),
            // A floating tag still names its line: a jar of another line is not in its opt/.
            (None, false) => known.and_then(|k| other_line(k, name)).map(|_| false),
        };
        if let Some(j) = shipped {
            // `/opt/flink/opt/x.jar` → `/opt/flink`: the last `/opt/` is the distribution's folder.
            let home = j.display.rsplit_once("/opt/").map_or("", |(home, _)| home).to_string();
            let path = format!("{home}/plugins/{folder}/{name}");
            // Named as the user wrote it; its version is the image's only when the image's is known.
            let artifact = if j.file_name.contains('*') {
                classpath::Artifact { version: None, ..j.artifact.clone() }
            } else {
                j.artifact.clone()
            };
            d.jars.push(virtual_jar(&path, JarPlace::Plugin(Some(folder.clone())), artifact, *at));
        }
        out.push(EnabledPlugin { jar: name.clone(), folder, exists, at: *at });
    }
    out
}

/// `Some(())` when the jar `name` is versioned with another release line than the image's tag names.
pub(crate) fn other_line(k: &KnownImage, name: &str) -> Option<()> {
    let tag = Version::parse(&k.version.as_ref()?.version).line()?;
    let jar = classpath::parse_file_name(name).version().and_then(|v| v.line())?;
    (jar != tag).then_some(())
}

/// The `;`-separated names of an `ENABLE_BUILT_IN_PLUGINS` value written at `at` in `text`, each at its own span.
pub(super) fn plugin_names(text: &str, value: &str, at: Location) -> Vec<(String, Location)> {
    let written = text.get(at.span.start..at.span.end).unwrap_or("");
    let mut out = Vec::new();
    let mut from = 0;
    for name in value.split(';').map(str::trim).filter(|n| !n.is_empty()) {
        let loc = match written[from.min(written.len())..].find(name) {
            Some(i) => {
                let start = at.span.start + from + i;
                from += i + name.len();
                Location::new(at.file, crate::source::Span::new(start, start + name.len()))
            }
            None => at,
        };
        out.push((name.to_string(), loc));
    }
    out
}

/// True when a Dockerfile's image is one s3lint has something to say about: a known Flink or Spark base, or a
/// build that places jars, sets Flink properties, enables plugins or bakes in credentials.
pub(super) fn is_relevant(image: &Image) -> bool {
    image.base.known.is_some()
        || !image.jars.is_empty()
        || !image.flink_properties.is_empty()
        || !image.enabled_plugins.is_empty()
        || !image.secrets.is_empty()
}

/// Reads the Dockerfile `file` of `d.sources` and adds what its image gives the deployment: jars, versions,
/// `FLINK_PROPERTIES`. Returns the image model.
pub(super) fn add_dockerfile(
    d: &mut Deployment,
    file: FileId,
    build_args: &[(String, String)],
) -> Result<Image, crate::source::LoadError> {
    let image = dockerfile::read_with_args(&d.sources, file, build_args)?;
    add_jars(d, &image);
    Ok(image)
}

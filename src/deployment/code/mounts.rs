//! The repository's files a container gets: configuration files a compose service mounts or a Dockerfile
//! copies into the product's configuration directory (`./conf/flink-conf.yaml:/opt/flink/conf/flink-conf.yaml`,
//! `COPY conf/ /opt/spark/conf/`), read with the reader the container uses for the name the file gets there,
//! and folders of jars a Dockerfile copies into a jar directory (`COPY jars/ /opt/spark/jars/`), read as the
//! image's jars.

use std::path::{Path, PathBuf};

use crate::deployment::config::ConfigKind;
use crate::deployment::discover::{DiscoverOptions, read_config_file};
use crate::deployment::dockerfile::{Image, KnownImage, Product};
use crate::deployment::manifest::compose::Service;
use crate::deployment::{Deployment, JarPlace, JarRef};
use crate::source::{LoadError, Location};

/// The reader for a file named `name` in the container's configuration directory.
fn kind_for(name: &str) -> Option<ConfigKind> {
    match name {
        "flink-conf.yaml" => Some(ConfigKind::FlinkConf),
        "config.yaml" => Some(ConfigKind::FlinkYaml),
        "spark-defaults.conf" => Some(ConfigKind::SparkConf),
        _ if name.ends_with("-site.xml") => Some(ConfigKind::HadoopXml),
        _ => None,
    }
}

/// True when `dir` is a directory the image's product reads configuration from: its home's `conf/`, or a
/// Hadoop configuration directory (`/etc/hadoop/conf`, `.../etc/hadoop`).
fn is_conf_dir(dir: &str, known: Option<&KnownImage>) -> bool {
    let dir = dir.trim_end_matches('/');
    let home_conf = known.map(|k| format!("{}/conf", k.home));
    home_conf.is_some_and(|c| dir == c) || dir.starts_with("/etc/hadoop") || dir.ends_with("/etc/hadoop")
}

/// The place of a jar copied into `dir` of the image, when a classpath loads it.
fn jar_place(dir: &str, known: Option<&KnownImage>) -> Option<JarPlace> {
    let k = known?;
    let rel = dir.trim_end_matches('/').strip_prefix(&format!("{}/", k.home))?;
    let parts: Vec<&str> = rel.split('/').collect();
    match (k.product, parts.as_slice()) {
        (Product::Flink, ["lib"]) => Some(JarPlace::Lib),
        (Product::Flink, ["opt"]) => Some(JarPlace::Opt),
        (Product::Flink, ["plugins"]) => Some(JarPlace::Plugin(None)),
        (Product::Flink, ["plugins", folder]) => Some(JarPlace::Plugin(Some(folder.to_string()))),
        (Product::Spark, ["jars"]) => Some(JarPlace::SparkJars),
        _ => None,
    }
}

/// Reads what the container gets from the repository: each `(host path, path in the container)` placed at
/// `at`. A file lands at the target; a folder's files land in the target folder.
fn read_placed(
    d: &mut Deployment,
    placed: &[(PathBuf, String, Location)],
    known: Option<&KnownImage>,
    options: &DiscoverOptions,
) -> Result<(), LoadError> {
    for (host, target, at) in placed {
        if host.is_file() {
            let (parent, name) = target.rsplit_once('/').unwrap_or(("", target.as_str()));
            if let (Some(kind), true) = (kind_for(name), is_conf_dir(parent, known)) {
                read_config_file(d, host, kind, options)?;
            }
        } else if host.is_dir() {
            let Ok(entries) = std::fs::read_dir(host) else { continue };
            let mut files: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
            files.sort();
            let conf = is_conf_dir(target, known);
            let place = jar_place(target, known);
            for f in files {
                let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
                if let (Some(kind), true) = (kind_for(&name), conf) {
                    read_config_file(d, &f, kind, options)?;
                } else if let (Some(place), true) = (&place, name.ends_with(".jar")) {
                    let mut jar = JarRef::new(f.clone(), f.display().to_string(), place.clone());
                    jar.declared_at = Some(*at);
                    d.jars.push(jar);
                }
            }
        }
    }
    Ok(())
}

/// Reads the configuration files a compose service mounts (host paths relative to `compose_dir`).
pub fn read_mounted(
    d: &mut Deployment,
    compose_dir: &Path,
    s: &Service,
    known: Option<&KnownImage>,
    options: &DiscoverOptions,
) -> Result<(), LoadError> {
    let placed: Vec<_> = s
        .mounts
        .iter()
        .map(|m| (compose_dir.join(m.source.trim_start_matches("./")), m.target.clone(), m.at))
        .collect();
    read_placed(d, &placed, known, options)
}

/// Reads what a Dockerfile copies from its build context: the Dockerfile's folder, else the nearest folder above
/// it (at most three up) where the source exists (`docker build -f docker/Dockerfile .` builds from the root).
pub fn read_copied(
    d: &mut Deployment,
    dockerfile: &Path,
    image: &Image,
    options: &DiscoverOptions,
) -> Result<(), LoadError> {
    let dir = dockerfile.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut placed = Vec::new();
    for c in &image.copied {
        let source = c.source.trim_start_matches("./");
        let host = dir.ancestors().take(4).map(|a| a.join(source)).find(|p| p.exists());
        if let Some(host) = host {
            placed.push((host, c.target.clone(), c.at));
        }
    }
    read_placed(d, &placed, image.base.known.as_ref(), options)
}

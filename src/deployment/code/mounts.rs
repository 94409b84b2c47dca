//! The configuration files of the repository a compose service mounts into its container
//! (`./conf/flink-conf.yaml:/opt/flink/conf/flink-conf.yaml`, `./hadoop:/opt/spark/conf`): read with the reader
//! the container's Flink, Spark or Hadoop uses for the file name it gets there.

use std::path::Path;

use crate::deployment::Deployment;
use crate::deployment::config::ConfigKind;
use crate::deployment::discover::{DiscoverOptions, read_config_file};
use crate::deployment::dockerfile::KnownImage;
use crate::deployment::manifest::compose::Service;
use crate::source::LoadError;

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

/// True when `target` is in a directory the image's product reads configuration from: its home's `conf/`, or
/// a Hadoop configuration directory (`/etc/hadoop/conf`, `.../etc/hadoop`).
fn is_conf_target(target: &str, known: Option<&KnownImage>) -> bool {
    let dir = target.trim_end_matches('/');
    let home_conf = known.map(|k| format!("{}/conf", k.home));
    home_conf.is_some_and(|c| dir == c || dir.starts_with(&format!("{c}/")))
        || dir.starts_with("/etc/hadoop")
        || dir.ends_with("/etc/hadoop")
}

/// Reads the mounted configuration files of service `s` (host paths relative to `compose_dir`).
pub fn read_mounted(
    d: &mut Deployment,
    compose_dir: &Path,
    s: &Service,
    known: Option<&KnownImage>,
    options: &DiscoverOptions,
) -> Result<(), LoadError> {
    for m in &s.mounts {
        let host = compose_dir.join(&m.source);
        let target_name = m.target.rsplit('/').next().unwrap_or("");
        if host.is_file() {
            let parent = m.target.rsplit_once('/').map_or("", |(p, _)| p);
            if let (Some(kind), true) = (kind_for(target_name), is_conf_target(parent, known)) {
                read_config_file(d, &host, kind, options)?;
            }
        } else if host.is_dir() && is_conf_target(&m.target, known) {
            let Ok(entries) = std::fs::read_dir(&host) else { continue };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
            files.sort();
            for f in files {
                let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if let Some(kind) = kind_for(name) {
                    read_config_file(d, &f, kind, options)?;
                }
            }
        }
    }
    Ok(())
}

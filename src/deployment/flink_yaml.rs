//! Flink 1.19+ `config.yaml` reader (placeholder; being written).

use super::config::{ConfigFile, ConfigKind};
use crate::source::{FileId, LoadError, SourceMap};

/// Reads a standard-YAML `config.yaml`, nested keys flattened with `.`.
pub fn read(sources: &SourceMap, file: FileId) -> Result<ConfigFile, LoadError> {
    let _ = sources.get(file);
    Ok(ConfigFile { file, kind: ConfigKind::FlinkYaml, entries: vec![], definitions: vec![], notes: vec![] })
}

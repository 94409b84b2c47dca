//! Flink legacy `flink-conf.yaml` reader (placeholder; being written).

use super::config::{ConfigFile, ConfigKind};
use crate::source::{FileId, SourceMap};

/// Reads a legacy `flink-conf.yaml` with Flink's own line rules.
pub fn read(sources: &SourceMap, file: FileId) -> ConfigFile {
    let _ = sources.get(file);
    ConfigFile { file, kind: ConfigKind::FlinkConf, entries: vec![], definitions: vec![], notes: vec![] }
}

//! Flink 1.19+'s standard-YAML `config.yaml` reader on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3lint::deployment::flink_yaml;
use s3lint::source::{SourceFile, SourceMap};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("conf/config.yaml", "conf/config.yaml", text));
    let _ = flink_yaml::read(&sources, id);
});

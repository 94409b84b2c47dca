//! Flink's legacy `flink-conf.yaml` line reader on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3lint::deployment::flink_conf;
use s3lint::source::{SourceFile, SourceMap};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("flink-conf.yaml", "flink-conf.yaml", text));
    let _ = flink_conf::read(&sources, id);
});

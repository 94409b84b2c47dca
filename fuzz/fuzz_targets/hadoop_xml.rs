//! The Hadoop XML reader on arbitrary bytes: decoded as Hadoop decodes them, then read as `core-site.xml`.
//! XIncludes resolve against a directory that does not exist.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use s3lint::deployment::environment::Environment;
use s3lint::deployment::{hadoop_xml, xml_encoding};
use s3lint::source::{SourceFile, SourceMap};

fuzz_target!(|data: &[u8]| {
    let path = Path::new("/nonexistent-s3lint-fuzz/core-site.xml");
    let Ok(text) = xml_encoding::decode(data.to_vec(), path, "core-site.xml") else { return };
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("core-site.xml", path, text));
    let env = Environment::with_properties(&[("user.name", "fuzz"), ("java.io.tmpdir", "/tmp")]);
    let _ = hadoop_xml::read(&mut sources, id, &env);
});

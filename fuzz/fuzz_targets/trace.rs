//! `diagnose` (the streaming trace reader and the matcher) on arbitrary bytes, with the built-in catalogue.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use s3lint::diagnose::diagnose;
use s3lint::knowledge::Catalog;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::builtin().expect("rules/failures.yaml"));

fuzz_target!(|data: &[u8]| {
    let _ = diagnose(data, &CATALOG);
});

//! The `spark-defaults.conf` reader against golden files written by real Spark (`tests/oracle/spark/run.sh`):
//! for every `fixtures/readers/spark/*.conf`, the reader's entries must equal exactly what Spark's
//! `Utils.getPropertiesFromFile` returned (`Properties.load` over UTF-8, values trimmed except CR/LF), and the
//! reader must refuse exactly the files Spark refuses, with Spark's message. No Java is needed: the goldens are
//! checked in.

use std::path::{Path, PathBuf};

use s3lint::deployment::config::ConfigFile;
use s3lint::deployment::spark_conf;
use s3lint::source::{LoadError, SourceFile, SourceMap};
use serde_json::Value;

/// The fixtures: `fixtures/readers/spark`, or `S3LINT_SPARK_ORACLE_DIR` for a differential run over other files
/// whose goldens the oracle wrote (e.g. generated random files).
fn fixtures() -> Vec<PathBuf> {
    let dir = std::env::var_os("S3LINT_SPARK_ORACLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/readers/spark"));
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    out.sort();
    out
}

fn golden(conf: &Path) -> Value {
    let path = conf.with_extension("expected.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run tests/oracle/spark/run.sh)", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(conf: &Path) -> (SourceMap, Result<ConfigFile, LoadError>) {
    let bytes = std::fs::read(conf).expect("fixture");
    let display = conf.display().to_string();
    let text = spark_conf::decode(bytes, conf, &display).expect("text");
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(display, conf, text));
    let config = spark_conf::read(&sources, id);
    (sources, config)
}

#[test]
fn every_fixture_reads_exactly_as_spark_reads_it() {
    let files = fixtures();
    assert!(files.len() >= 15, "{} fixtures", files.len());
    for conf in &files {
        let golden = golden(conf);
        let (sources, config) = load(conf);
        if let Some(error) = golden["error"].as_str() {
            let e = config.expect_err(&format!("{}: Spark refuses this file ({error})", conf.display()));
            assert_eq!(e.message, error, "{}", conf.display());
            assert!(e.position.is_some(), "{}: the error names its line", conf.display());
            continue;
        }
        let config = config.unwrap_or_else(|e| panic!("{}: {e:?}", conf.display()));
        let mut want: Vec<(String, String)> = golden["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| (e["key"].as_str().expect("key").to_string(), e["value"].as_str().expect("value").to_string()))
            .collect();
        want.sort();
        let mut got: Vec<(String, String)> = config.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect();
        got.sort();
        assert_eq!(got, want, "{}", conf.display());
        // Each entry points at its key as written (not empty when the key is not), and its value after it.
        let file = sources.get(config.file);
        for e in &config.entries {
            let written = &file.text[e.key_at.span.start..e.key_at.span.end];
            assert_eq!(written.is_empty(), e.key.is_empty(), "{}: `{}` at `{written}`", conf.display(), e.key);
            assert!(e.value_at.span.start >= e.key_at.span.end, "{}: {}", conf.display(), e.key);
        }
    }
}

#[test]
fn goldens_come_from_a_spark_3_5_loader() {
    for conf in fixtures() {
        let version = golden(&conf)["spark_version"].as_str().unwrap_or_default().to_string();
        assert!(version.starts_with("3.5."), "{}: {version}", conf.display());
    }
}

/// What spark-submit keeps of each file (`SparkSubmitArguments --properties-file`, which drops every key that does
/// not start with `spark.`) is exactly what s3lint's merged key view takes as effective.
#[test]
fn the_effective_keys_are_the_keys_spark_submit_keeps() {
    use s3lint::deployment::discover::{DiscoverOptions, discover};
    for conf in fixtures() {
        let golden = golden(&conf);
        let Some(kept) = golden["spark_submit_keys"].as_array() else { continue };
        let want: Vec<String> = kept.iter().map(|k| k.as_str().expect("key").to_string()).collect();
        let d = discover(std::slice::from_ref(&conf), &DiscoverOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", conf.display()));
        let mut got: Vec<String> = d.effective_settings().map(|s| s.entry.key.clone()).collect();
        got.sort();
        got.dedup();
        assert_eq!(got, want, "{}", conf.display());
    }
}

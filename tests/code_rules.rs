//! The rule fixes deployments written as code need, driven through the binary on copies of real-shaped homes:
//! jars that look like the AWS SDK but hold none of its classes do not count as the SDK S3A needs
//! (`jar-missing-dependency`), and an S3 plugin on `pipeline.jars` is not a plugin (`s3-plugin-layout`).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A copy of `fixtures/check/spark-3.5-hadoop-aws-in-jars` (Spark 3.5.6 with hadoop-aws 3.3.4 and
/// aws-java-sdk-bundle 1.12.262 in `jars/`, s3a:// event logs) whose SDK bundle is replaced by `sdk`.
fn spark_home_with(name: &str, sdk: &str, contents: Option<&[u8]>) -> PathBuf {
    let dir = copy_of("spark-3.5-hadoop-aws-in-jars", name);
    let jars = dir.join("spark-3.5.6-bin-hadoop3/jars");
    let bundle = jars.join("aws-java-sdk-bundle-1.12.262.jar");
    match contents {
        Some(bytes) => {
            std::fs::remove_file(&bundle).expect("remove bundle");
            std::fs::write(jars.join(sdk), bytes).expect("write jar");
        }
        None => std::fs::rename(&bundle, jars.join(sdk)).expect("rename bundle"),
    }
    dir
}

/// A fresh copy of `fixtures/check/<fixture>` under the temporary directory.
fn copy_of(fixture: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-code-rules-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&root().join("fixtures/check").join(fixture), &dir);
    dir
}

fn findings(dir: &Path) -> Vec<Value> {
    let out = s3lint(&["check", "--format", "json", dir.to_str().expect("utf-8 path")]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    doc["findings"].as_array().expect("findings").clone()
}

fn rule<'a>(found: &'a [Value], id: &str) -> Vec<&'a Value> {
    found.iter().filter(|f| f["rule"] == id).collect()
}

/// An empty zip (only its end-of-central-directory record): a readable jar that holds no classes, like the
/// `aws-java-sdk` aggregator's jar, identified by its file name.
const EMPTY_ZIP: [u8; 22] = [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

#[test]
fn a_sources_jar_of_the_sdk_bundle_is_not_the_sdk() {
    let dir = spark_home_with("sources", "aws-java-sdk-bundle-1.12.262-sources.jar", None);
    let found = findings(&dir);
    let missing = rule(&found, "jar-missing-dependency");
    assert_eq!(missing.len(), 1, "{found:#?}");
    let message = missing[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("needs `aws-java-sdk-bundle-1.12.262.jar` (`aws-java-sdk-bundle-1.12.262-sources.jar` holds its source code, not its classes), which is not"),
        "{message}"
    );
    // The control: the same home with the real bundle is clean (the fixture's expected output).
    let clean = spark_home_with("control", "aws-java-sdk-bundle-1.12.262.jar", None);
    assert!(rule(&findings(&clean), "jar-missing-dependency").is_empty());
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(clean);
}

#[test]
fn a_javadoc_jar_and_the_aggregator_jar_are_not_the_sdk_either() {
    let dir = spark_home_with("javadoc", "aws-java-sdk-bundle-1.12.262-javadoc.jar", Some(&EMPTY_ZIP));
    let found = findings(&dir);
    let missing = rule(&found, "jar-missing-dependency");
    assert_eq!(missing.len(), 1, "{found:#?}");
    assert!(
        missing[0]["message"].as_str().unwrap_or_default().contains("holds its documentation"),
        "{:#?}",
        missing[0]
    );
    let _ = std::fs::remove_dir_all(dir);

    let dir = spark_home_with("aggregator", "aws-java-sdk-1.12.262.jar", Some(&EMPTY_ZIP));
    let found = findings(&dir);
    let missing = rule(&found, "jar-missing-dependency");
    assert_eq!(missing.len(), 1, "{found:#?}");
    let message = missing[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "needs `aws-java-sdk-bundle-1.12.262.jar` (`aws-java-sdk-1.12.262.jar` is the SDK's aggregator: from 1.9.0"
        ),
        "{message}"
    );
    assert!(rule(&found, "jar-version-mismatch").is_empty(), "one finding, not also a packaging mismatch: {found:#?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `pipeline.jars` naming the S3 plugin of `opt/` in a Flink home's flink-conf.yaml.
fn with_pipeline_jars(fixture: &str, name: &str, jar: &str) -> PathBuf {
    let dir = copy_of(fixture, name);
    let conf = std::fs::read_dir(&dir)
        .expect("copy")
        .map(|e| e.expect("entry").path().join("conf/flink-conf.yaml"))
        .find(|p| p.is_file())
        .expect("a Flink home with conf/flink-conf.yaml");
    let mut text = std::fs::read_to_string(&conf).expect("flink-conf.yaml");
    text.push_str(&format!("pipeline.jars: file:///opt/flink/usrlib/job.jar;file:///opt/flink/opt/{jar}\n"));
    std::fs::write(&conf, text).expect("write flink-conf.yaml");
    dir
}

#[test]
fn the_s3_plugin_on_pipeline_jars_of_a_flink_home_is_reported_at_the_jar() {
    let dir = with_pipeline_jars("flink-1.15-plugin-only-in-opt", "pipeline-opt", "flink-s3-fs-hadoop-1.15.4.jar");
    let found = findings(&dir);
    let layout: Vec<&Value> =
        rule(&found, "s3-plugin-layout").into_iter().filter(|f| f["key"] == "pipeline.jars").collect();
    assert_eq!(layout.len(), 1, "{found:#?}");
    assert_eq!(layout[0]["severity"], "error");
    assert!(layout[0]["help"].as_str().unwrap_or_default().contains("mkdir -p"), "{:#?}", layout[0]);
    let _ = std::fs::remove_dir_all(dir);

    // The plugin is installed as well: a warning, the copy on the user classpath is only redundant.
    let dir = with_pipeline_jars("flink-1.17-plugin-iam", "pipeline-installed", "flink-s3-fs-hadoop-1.17.2.jar");
    let found = findings(&dir);
    let layout: Vec<&Value> =
        rule(&found, "s3-plugin-layout").into_iter().filter(|f| f["key"] == "pipeline.jars").collect();
    assert_eq!(layout.len(), 1, "{found:#?}");
    assert_eq!(layout[0]["severity"], "warning");
    let _ = std::fs::remove_dir_all(dir);
}

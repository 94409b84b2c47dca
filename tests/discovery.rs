//! Discovery finds the Hadoop configuration Flink itself would load: `fs.hdfs.hadoopconf` in the Flink
//! configuration and the `HADOOP_CONF_DIR` environment variable.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-discovery-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_read(out: &std::process::Output) -> Vec<String> {
    let doc: Value = serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)));
    doc["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().to_string()).collect()
}

#[test]
fn flink_hadoopconf_key_brings_in_the_hadoop_configuration() {
    let hadoop = root().join("fixtures/check/flink-1.4-hadoop-s3a-no-buffer-dir/hadoop-conf");
    let dir = temp_dir("hadoopconf");
    std::fs::write(
        dir.join("flink-conf.yaml"),
        format!(
            "jobmanager.rpc.address: localhost\nstate.checkpoints.dir: s3://bucket/ckpt\nfs.hdfs.hadoopconf: {}\n",
            hadoop.display()
        ),
    )
    .unwrap();
    let out = s3lint(&["config", "--format", "json", dir.join("flink-conf.yaml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let files = files_read(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[1].ends_with("hadoop-conf/core-site.xml"), "{files:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn hadoop_conf_dir_environment_variable_is_honoured() {
    let hadoop = root().join("fixtures/check/hadoop-defaultfs-s3-no-impl/etc/hadoop");
    let dir = temp_dir("env");
    std::fs::write(dir.join("flink-conf.yaml"), "jobmanager.rpc.address: localhost\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_s3lint"))
        .args(["check", "--format", "json", "--fail-on", "never", dir.join("flink-conf.yaml").to_str().unwrap()])
        .env("HADOOP_CONF_DIR", &hadoop)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = doc["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"fs-s3-impl-missing"), "core-site.xml from HADOOP_CONF_DIR not read: {rules:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_xincluded_file_is_read_once_as_part_of_its_includer() {
    let dir = temp_dir("xinclude");
    std::fs::write(
        dir.join("core-site.xml"),
        "<?xml version=\"1.0\"?>\n<configuration xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n  <xi:include href=\"s3-site.xml\"/>\n  <property><name>fs.defaultFS</name><value>hdfs://nn:8020</value></property>\n</configuration>\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("s3-site.xml"),
        "<?xml version=\"1.0\"?>\n<configuration>\n  <property><name>fs.s3a.buffer.dir</name><value>/data/s3a</value></property>\n</configuration>\n",
    )
    .unwrap();
    let out = s3lint(&["config", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{doc}");
    let keys: Vec<&str> = files[0]["entries"].as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["fs.s3a.buffer.dir", "fs.defaultFS"]);
    std::fs::remove_dir_all(&dir).ok();
}

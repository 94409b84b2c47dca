//! `s3lint check - --stdin-filename PATH`: an editor's unsaved buffer, read from standard input, checked as PATH in
//! PATH's deployment (the same library function as the language server).

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::*;

fn check_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(binary())
        .args(["check", "-"])
        .args(args)
        .current_dir(root())
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_CLASSPATH")
        .env_remove("SPARK_CONF_DIR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A check that refuses its arguments exits without reading standard input: the pipe may close first.
    match child.stdin.take().unwrap().write_all(input.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
    child.wait_with_output().unwrap()
}

fn findings(out: &Output) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)));
    // Which deployment a finding belongs to is named by the roots each invocation was given: not compared.
    let mut findings = doc["findings"].as_array().cloned().unwrap();
    findings.iter_mut().for_each(|f| {
        f.as_object_mut().map(|o| o.remove("deployment"));
    });
    findings
}

const HOME: &str = "fixtures/check/flink-1.20-renamed-and-misspelt-keys";
const CONF: &str = "fixtures/check/flink-1.20-renamed-and-misspelt-keys/flink-1.20.0/conf/config.yaml";

#[test]
fn the_saved_text_on_stdin_reports_what_check_of_the_home_reports_for_that_file() {
    let text = std::fs::read_to_string(root().join(CONF)).unwrap();
    let buffer = check_stdin(&["--stdin-filename", CONF, "--format", "json"], &text);
    let home = s3lint(&["check", HOME, "--format", "json"]);
    assert_eq!(buffer.status.code(), home.status.code());
    let in_conf: Vec<_> = findings(&home).into_iter().filter(|f| f["file"] == CONF).collect();
    assert!(in_conf.iter().any(|f| f["rule"] == "deprecated-key"), "the home's jars give the Flink version");
    assert_eq!(findings(&buffer), in_conf);
}

#[test]
fn the_unsaved_text_replaces_the_file() {
    let text = std::fs::read_to_string(root().join(CONF)).unwrap() + "\ns3.endpiont: http://minio:9000\n";
    let out = check_stdin(&["--stdin-filename", CONF, "--format", "json"], &text);
    let typo = findings(&out).into_iter().find(|f| f["key"] == "s3.endpiont").expect("the unsaved typo");
    assert_eq!(typo["rule"], "unknown-key");
    let last_line = text.lines().count() as u64;
    assert_eq!(typo["range"]["start"]["line"], last_line, "{typo}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_buffer_of_a_file_not_written_yet_is_checked_in_its_folder() {
    let out = check_stdin(
        &["--stdin-filename", "fixtures/check/hadoop-s3a-key-typos/etc/hadoop/new-site.xml"],
        "<configuration><property><name>fs.s3a.endpiont</name><value>x</value></property></configuration>\n",
    );
    let text = stdout(&out);
    assert!(text.contains("fs.s3a.endpiont") && text.contains("new-site.xml:1:"), "{text}{}", stderr(&out));
    // Only the buffer's findings: the sibling core-site.xml's typos are not repeated.
    assert!(!text.contains("fs.s3a.connection.maxium"), "{text}");
}

#[test]
fn stdin_without_a_file_name_or_with_other_paths_cannot_be_checked() {
    let out = check_stdin(&[], "a: b\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--stdin-filename"), "{}", stderr(&out));
    let out = check_stdin(&["fixtures/check/hadoop-s3a-clean", "--stdin-filename", CONF], "a: b\n");
    assert_eq!(out.status.code(), Some(2));
    let out = check_stdin(&["--stdin-filename", CONF], "a: b\0\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("config.yaml"), "{}", stderr(&out));
}

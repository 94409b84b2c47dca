//! Which Flink configuration file counts, against goldens written by real Flink (`tests/oracle/flink/choice.sh`:
//! `GlobalConfiguration.loadConfiguration` of apache-flink-libraries 1.18.1, 1.20.3 and 2.2.1 on each
//! `fixtures/readers/flink-conf-choice/<case>/conf/`): the definitions s3lint treats as effective must be exactly
//! the entries Flink loaded, and where Flink refuses to start, no definition is effective and every file is
//! reported as an error by `flink-conf-file-ignored`.

mod common;

use std::path::PathBuf;

use common::*;
use s3lint::deployment::discover::{DiscoverOptions, discover};
use serde_json::Value;

fn cases() -> Vec<PathBuf> {
    let dir = root().join("fixtures/readers/flink-conf-choice");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("flink-conf-choice")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("conf").is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn s3lint_reads_the_file_flink_reads_for_each_version() {
    let mut compared = 0;
    for case in cases() {
        for version in ["1.18.1", "1.20.3", "2.2.1"] {
            let golden_path = case.join(format!("expected-{version}.json"));
            let golden: Value = serde_json::from_str(&std::fs::read_to_string(&golden_path).expect("golden"))
                .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
            assert_eq!(golden["flink_version"], version, "{}", golden_path.display());
            let options = DiscoverOptions { flink_version: Some(version.to_string()), ..Default::default() };
            let d = discover(std::slice::from_ref(&case), &options).expect("discover");
            let mut effective: Vec<(String, String)> =
                d.effective_settings().map(|s| (s.entry.key.clone(), s.entry.value.clone())).collect();
            effective.sort();
            let what = format!("{} on Flink {version}", rel(&case));
            if golden.get("error").is_some() {
                assert!(effective.is_empty(), "{what}: Flink refuses to start, yet s3lint applies {effective:?}");
                let out = s3lint(&["check", "--format", "json", "--flink-version", version, &rel(&case)]);
                let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
                let errors = doc["findings"]
                    .as_array()
                    .expect("findings")
                    .iter()
                    .filter(|f| f["rule"] == "flink-conf-file-ignored" && f["severity"] == "error")
                    .count();
                let files = golden["files"].as_array().map(Vec::len).unwrap_or(0);
                assert_eq!(errors, files, "{what}: one error per file Flink does not read: {}", stdout(&out));
                assert_eq!(out.status.code(), Some(1), "{what}");
            } else {
                let mut want: Vec<(String, String)> = golden["entries"]
                    .as_array()
                    .expect("entries")
                    .iter()
                    .map(|e| (e["key"].as_str().unwrap().to_string(), e["value"].as_str().unwrap().to_string()))
                    .collect();
                want.sort();
                assert_eq!(effective, want, "{what}: s3lint must apply exactly what Flink loaded");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 9, "three cases on three versions");
}

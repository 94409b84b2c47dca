//! Flink homes built like the real distributions (their jars from the committed inventories of
//! apache-flink-libraries, `fixtures/tools/make_fixture_jars.sh`), each with one real-world mistake, checked
//! through the binary: the mistake is reported once, with the right severity and nothing else, and following the
//! printed advice gives a home that checks clean.

mod common;

use std::path::{Path, PathBuf};

use common::jars::{inventory, rebuild_home, scratch};
use common::*;
use serde_json::Value;

/// `s3lint check --format json PATH`: (exit code, findings).
fn check(path: &str) -> (Option<i32>, Vec<Value>) {
    let out = s3lint(&["check", "--format", "json", path]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{path}: {e}: {}", stderr(&out)));
    (out.status.code(), doc["findings"].as_array().expect("findings").clone())
}

fn summary(findings: &[Value]) -> String {
    findings.iter().map(|f| format!("{} {}: {}", f["severity"], f["rule"], f["message"])).collect::<Vec<_>>().join("\n")
}

/// A copy of a fixture case under a scratch directory (jars and configuration files), to apply advice to.
fn copy_case(case: &str, tag: &str) -> PathBuf {
    let to = scratch(tag);
    copy_dir(&root().join("fixtures/check").join(case), &to.join(case));
    to.join(case)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else if e.file_name() != "expected.json" {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

#[test]
fn flink_2_with_only_a_legacy_flink_conf_yaml_is_an_error_and_none_of_its_keys_is_judged() {
    let (code, findings) = check("fixtures/check/flink-2.2-legacy-conf-only");
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    let f = &findings[0];
    assert_eq!((f["rule"].as_str(), f["severity"].as_str()), (Some("flink-conf-file-ignored"), Some("error")));
    let message = f["message"].as_str().unwrap_or("");
    assert!(message.contains("Flink 2.2.1 reads only `config.yaml`"), "{message}");
    assert!(f["file"].as_str().is_some_and(|p| p.ends_with("conf/flink-conf.yaml")), "{f}");
    // `state.checkpoints.dir` is in the file, but Flink never reads it: no "deprecated (still read)" advice.
    assert!(!summary(&findings).contains("still read"), "{}", summary(&findings));

    // Following the advice: the same settings as conf/config.yaml, flink-conf.yaml deleted.
    let home = copy_case("flink-2.2-legacy-conf-only", "advice-flink-2.2").join("flink-2.2.1");
    std::fs::remove_file(home.join("conf/flink-conf.yaml")).expect("rm");
    std::fs::write(
        home.join("conf/config.yaml"),
        "jobmanager:\n  rpc:\n    address: localhost\n  memory:\n    process:\n      size: 1600m\n\
         taskmanager:\n  memory:\n    process:\n      size: 1728m\n  numberOfTaskSlots: 2\nparallelism:\n  default: 2\n\
         state:\n  backend:\n    type: rocksdb\nexecution:\n  checkpointing:\n    dir: s3://analytics-flink/checkpoints\n\
         s3:\n  endpoint: https://s3.eu-west-1.amazonaws.com\n",
    )
    .expect("write");
    let (code, findings) = check(&home.display().to_string());
    assert!(findings.is_empty() && code == Some(0), "after the advice: {}", summary(&findings));
}

#[test]
fn flink_1_20_with_both_files_warns_about_the_settings_of_the_ignored_config_yaml() {
    let (code, findings) = check("fixtures/check/flink-1.20-both-conf-files");
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    let f = &findings[0];
    assert_eq!((f["rule"].as_str(), f["severity"].as_str()), (Some("flink-conf-file-ignored"), Some("warning")));
    let message = f["message"].as_str().unwrap_or("");
    assert!(message.contains("Flink 1.20.3 reads `flink-conf.yaml`"), "{message}");
    assert!(message.contains("`s3.endpoint`") && message.contains("`s3.path.style.access`"), "{message}");
    assert!(!message.contains("jobmanager"), "keys set alike in both files are not listed: {message}");
    assert!(f["file"].as_str().is_some_and(|p| p.ends_with("conf/config.yaml")), "{f}");

    // A config.yaml that only repeats flink-conf.yaml is harmless: an info, exit 0.
    let home = copy_case("flink-1.20-both-conf-files", "both-same-flink-1.20").join("flink-1.20.3");
    std::fs::write(
        home.join("conf/config.yaml"),
        "jobmanager:\n  rpc:\n    address: localhost\nparallelism:\n  default: 4\ns3:\n  endpoint: https://s3.eu-west-1.amazonaws.com\n",
    )
    .expect("write");
    let (code, findings) = check(&home.display().to_string());
    assert_eq!(code, Some(0), "{}", summary(&findings));
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    assert_eq!(findings[0]["severity"], "info");

    // Following the advice (delete the file that is not read): clean.
    std::fs::remove_file(home.join("conf/config.yaml")).expect("rm");
    let (code, findings) = check(&home.display().to_string());
    assert!(findings.is_empty() && code == Some(0), "after the advice: {}", summary(&findings));
}

#[test]
fn two_flink_dists_in_lib_are_one_error_naming_the_jar_to_remove() {
    let (code, findings) = check("fixtures/check/flink-1.18-two-flink-dists");
    assert_eq!(code, Some(1));
    // One finding: not one per Flink module compared against the wrong flink-dist.
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    let f = &findings[0];
    assert_eq!((f["rule"].as_str(), f["severity"].as_str()), (Some("jar-version-mismatch"), Some("error")));
    assert!(f["message"].as_str().unwrap_or("").contains("Multiple flink-dist*.jar"), "{f}");
    let help = f["help"].as_str().unwrap_or("");
    let remove = help.split('`').nth(1).expect("a path to remove in the help");
    assert!(remove.ends_with("lib/flink-dist-1.17.2.jar"), "{help}");

    let case = copy_case("flink-1.18-two-flink-dists", "advice-two-dists");
    let base = root().join("fixtures/check/flink-1.18-two-flink-dists");
    let relative = Path::new(remove).strip_prefix(rel(&base)).expect("path under the case");
    std::fs::remove_file(case.join(relative)).expect("rm the jar the help names");
    let (code, findings) = check(&case.display().to_string());
    assert!(findings.is_empty() && code == Some(0), "after the advice: {}", summary(&findings));
}

#[test]
fn a_flink_module_of_another_release_is_sent_to_the_folder_that_ships_it() {
    let (code, findings) = check("fixtures/check/flink-1.20-table-runtime-from-1.19");
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    let help = findings[0]["help"].as_str().unwrap_or("");
    assert!(help.contains("copy it from the `lib/` of the Flink 1.20.3 distribution"), "{help}");

    // The advice holds: the pristine 1.20.3 distribution has flink-table-runtime in lib/; copy it from there.
    let pristine = rebuild_home(&inventory("apache-flink-libraries-1.20.3"), &scratch("pristine-for-advice"));
    let case = copy_case("flink-1.20-table-runtime-from-1.19", "advice-table-runtime");
    let lib = case.join("flink-1.20.3/lib");
    std::fs::remove_file(lib.join("flink-table-runtime-1.19.1.jar")).expect("rm");
    std::fs::copy(pristine.join("lib/flink-table-runtime-1.20.3.jar"), lib.join("flink-table-runtime-1.20.3.jar"))
        .expect("the folder named by the help ships the jar");
    let (code, findings) = check(&case.display().to_string());
    assert!(findings.is_empty() && code == Some(0), "after the advice: {}", summary(&findings));
}

#[test]
fn a_flink_dist_in_a_sub_folder_of_lib_counts_too() {
    // Flink's scripts put every jar under lib/ on the classpath (`find lib -name '*.jar'`), so a "backup" folder
    // inside lib/ does not take the old flink-dist out of it.
    let case = copy_case("flink-1.18-two-flink-dists", "two-dists-backup");
    let lib = case.join("flink-1.18.1/lib");
    std::fs::create_dir_all(lib.join("backup")).expect("mkdir");
    std::fs::rename(lib.join("flink-dist-1.17.2.jar"), lib.join("backup/flink-dist-1.17.2.jar")).expect("mv");
    let (code, findings) = check(&case.display().to_string());
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    assert!(findings[0]["file"].as_str().is_some_and(|f| f.ends_with("lib/backup/flink-dist-1.17.2.jar")));
    assert!(findings[0]["message"].as_str().is_some_and(|m| m.contains("flink-1.18.1/lib/ holds 2 flink-dist")));
}

#[test]
fn s3lint_config_marks_the_file_flink_does_not_read() {
    let out = s3lint(&["config", "fixtures/check/flink-1.20-both-conf-files"]);
    let text = stdout(&out);
    assert!(text.contains("conf/config.yaml (flink-yaml) — not read by Flink 1.20.3"), "{text}");
    assert!(!text.contains("flink-conf.yaml (flink-conf) — not read"), "{text}");
    let out = s3lint(&["config", "--format", "json", "fixtures/check/flink-1.20-both-conf-files"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let ignored: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["ignored"] == true)
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert!(ignored[0].ends_with("conf/config.yaml"));
}

#[test]
fn both_files_without_a_known_flink_version_and_a_file_checked_alone_are_infos() {
    // The conf directory alone: no flink-dist tells the version, and it decides which file counts.
    let (code, findings) = check("fixtures/check/flink-1.20-both-conf-files/flink-1.20.3/conf");
    assert_eq!(code, Some(0), "{}", summary(&findings));
    let ours: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "flink-conf-file-ignored").collect();
    assert_eq!(ours.len(), 1, "{}", summary(&findings));
    assert_eq!(ours[0]["severity"], "info");
    assert!(ours[0]["message"].as_str().is_some_and(|m| m.contains("the Flink version is not known")));

    // flink-conf.yaml named alone on Flink 2: Flink reads the config.yaml beside it, which was not checked.
    let out = s3lint(&[
        "check",
        "--format",
        "json",
        "--flink-version",
        "2.2.1",
        "fixtures/check/flink-1.20-both-conf-files/flink-1.20.3/conf/flink-conf.yaml",
    ]);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    let ours: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "flink-conf-file-ignored").collect();
    assert_eq!(ours.len(), 1, "{}", summary(findings));
    assert_eq!(ours[0]["severity"], "info");
    let message = ours[0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("reads `fixtures/check/flink-1.20-both-conf-files/flink-1.20.3/conf/config.yaml`"),
        "{message}"
    );
}

#[test]
fn a_pyflink_home_without_an_s3_plugin_is_told_where_to_get_one() {
    // apache-flink-libraries ships no S3 filesystem in opt/: the advice cannot be "copy it from opt/".
    let dir = scratch("pyflink-no-s3-plugin");
    let home = rebuild_home(&inventory("apache-flink-libraries-2.2.1"), &dir);
    std::fs::create_dir_all(home.join("conf")).expect("conf");
    std::fs::write(
        home.join("conf/config.yaml"),
        "execution:\n  checkpointing:\n    dir: s3://analytics-flink/checkpoints\n",
    )
    .expect("write");
    let (code, findings) = check(&home.display().to_string());
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{}", summary(&findings));
    assert_eq!(findings[0]["rule"], "fs-s3-impl-missing");
    let help = findings[0]["help"].as_str().unwrap_or("");
    assert!(
        help.contains("`flink-s3-fs-hadoop-2.2.1.jar` into its own folder `plugins/s3-fs-hadoop/`")
            && help.contains("`org.apache.flink:flink-s3-fs-hadoop:2.2.1` from Maven Central"),
        "{help}"
    );
    // Following it: the plugin jar of that version in plugins/s3-fs-hadoop/.
    common::jars::write_jar(
        &home.join("plugins/s3-fs-hadoop/flink-s3-fs-hadoop-2.2.1.jar"),
        &[(
            "META-INF/maven/org.apache.flink/flink-s3-fs-hadoop/pom.properties".to_string(),
            common::jars::pom_properties("org.apache.flink", "flink-s3-fs-hadoop", "2.2.1"),
        )],
    );
    let (code, findings) = check(&home.display().to_string());
    assert!(findings.is_empty() && code == Some(0), "after the advice: {}", summary(&findings));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_hadoop_conf_dir_named_only_in_an_unread_flink_conf_yaml_is_not_loaded() {
    let case = copy_case("flink-2.2-legacy-conf-only", "unread-hadoop-conf-dir");
    let hadoop_conf = case.join("hadoop-conf");
    std::fs::create_dir_all(&hadoop_conf).expect("mkdir");
    std::fs::write(
        hadoop_conf.join("core-site.xml"),
        "<configuration><property><name>fs.s3a.endpoint</name><value>s3.eu-west-1.amazonaws.com</value></property></configuration>\n",
    )
    .expect("write");
    let conf = case.join("flink-2.2.1/conf/flink-conf.yaml");
    let text = std::fs::read_to_string(&conf).expect("read");
    std::fs::write(&conf, format!("{text}env.hadoop.conf.dir: {}\n", hadoop_conf.display())).expect("write");
    let home = case.join("flink-2.2.1");
    let out = s3lint(&["check", "--fail-on", "never", &home.display().to_string()]);
    let summary = stdout(&out).lines().rfind(|l| l.starts_with("s3lint:")).unwrap_or("").to_string();
    assert!(
        summary.contains("1 file and"),
        "Flink 2 never reads flink-conf.yaml, so not its Hadoop conf dir: {summary}"
    );
}

/// A scheme no installed plugin serves, in a PyFlink home whose `opt/` ships no S3 plugin: the help names the
/// versioned jar, its `plugins/` folder and its Maven coordinates (not "from `opt/`", which holds none).
#[test]
fn an_unserved_scheme_names_the_plugin_jar_of_this_flink_release() {
    let dir = std::env::temp_dir().join(format!("s3lint-unserved-s3p-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    common::copy_tree(&common::root().join("fixtures/check/flink-1.20-both-conf-files"), &dir);
    let home = dir.join("flink-1.20.3");
    let _ = std::fs::remove_file(home.join("conf/config.yaml"));
    std::fs::write(home.join("conf/flink-conf.yaml"), "state.checkpoints.dir: s3p://acme-checkpoints/flink\n").unwrap();
    let out = common::s3lint(&["check", "--format", "json", home.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "scheme-mismatch")
        .unwrap_or_else(|| panic!("no scheme-mismatch: {doc}"))
        .clone();
    let help = finding["help"].as_str().unwrap();
    assert!(help.contains("`flink-s3-fs-presto-1.20.3.jar`"), "{help}");
    assert!(help.contains("`plugins/s3-fs-presto/`"), "{help}");
    assert!(help.contains("`org.apache.flink:flink-s3-fs-presto:1.20.3`"), "{help}");
    assert!(!help.contains("(from `opt/`)"), "{help}");
}

//! Pristine distributions check clean: every home recorded in `tests/data/inventories/` (by
//! `tests/oracle/inventory/run.sh`, from the real PyPI packages) is rebuilt in its real layout from tiny jars
//! holding exactly the recorded manifest fields, `pom.properties` and `NOTICE` lines, and `s3lint check` must
//! report nothing at all on it — a correct deployment exits 0.

mod common;

use std::path::Path;

use common::jars::{inventory, rebuild_home, scratch};
use common::*;
use serde_json::Value;

/// `s3lint check` on `paths`: (exit code, findings as one line each, the human summary line).
fn check(paths: &[&Path]) -> (Option<i32>, Vec<String>, String) {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["check", "--format", "json"];
    args.extend(shown.iter().map(String::as_str));
    let out = s3lint(&args);
    let doc: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    let findings = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {} {}: {}", f["severity"], f["rule"], f["file"], f["message"]))
        .collect();
    let mut human_args = vec!["check", "--fail-on", "info"];
    human_args.extend(shown.iter().map(String::as_str));
    let human = stdout(&s3lint(&human_args));
    let summary = human.lines().rfind(|l| l.starts_with("s3lint:")).unwrap_or("").to_string();
    (out.status.code(), findings, summary)
}

/// The number of jars of an inventory that sit where s3lint reads jars in that layout.
fn jars_under(inv: &Value, folders: &[&str]) -> usize {
    inv["jars"]
        .as_array()
        .expect("jars")
        .iter()
        .filter_map(|j| j["path"].as_str())
        .filter(|p| folders.iter().any(|f| p.starts_with(f)))
        .count()
}

fn assert_clean(name: &str, paths: &[&Path], expected_jars: usize) {
    let (code, findings, summary) = check(paths);
    assert!(
        findings.is_empty() && code == Some(0),
        "{name}: a pristine distribution must check clean, got exit {code:?} and {} finding(s):\n{}",
        findings.len(),
        findings.join("\n")
    );
    assert!(
        summary.contains(&format!("{expected_jars} jars checked")) && summary.contains("0 infos"),
        "{name}: expected {expected_jars} jars read and no finding at all, got `{summary}`"
    );
}

/// pyspark's `jars/` folder, read as a directory of jars (one classpath: what `spark-submit` puts on the JVM's
/// classpath). Its `connect-repl/` sub-folder is not on that classpath.
#[test]
fn pristine_pyspark_jars_check_clean() {
    for stem in ["pyspark-3.5.6", "pyspark-4.0.1"] {
        let inv = inventory(stem);
        let dir = scratch(&format!("pristine-{stem}"));
        let home = rebuild_home(&inv, &dir);
        let direct = inv["jars"]
            .as_array()
            .expect("jars")
            .iter()
            .filter_map(|j| j["path"].as_str())
            .filter(|p| p.starts_with("jars/") && p.matches('/').count() == 1)
            .count();
        assert!(direct > 200, "{stem}: the inventory lists only {direct} jars in jars/");
        assert_clean(stem, &[&home.join("jars")], direct);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// apache-flink-libraries' `pyflink/` home as the package ships it (`lib/`, `opt/`, `plugins/<name>/`, `bin/`),
/// then again with the configuration file the binary distribution of that version ships in `conf/`
/// (`flink-conf.yaml` up to 1.18, `config.yaml` from 1.19) so that it is a complete Flink home.
#[test]
fn pristine_flink_homes_check_clean() {
    for (stem, conf_file, conf_text) in [
        ("apache-flink-libraries-1.18.1", "flink-conf.yaml", LEGACY_CONF),
        ("apache-flink-libraries-1.20.3", "config.yaml", STANDARD_CONF),
        ("apache-flink-libraries-2.2.1", "config.yaml", STANDARD_CONF),
    ] {
        let inv = inventory(stem);
        let dir = scratch(&format!("pristine-{stem}"));
        let home = rebuild_home(&inv, &dir);
        let read = jars_under(&inv, &["lib/", "opt/", "plugins/"]);
        assert!(read > 20, "{stem}: the inventory lists only {read} jars in lib/, opt/ and plugins/");
        assert_clean(stem, &[&home], read);
        std::fs::create_dir_all(home.join("conf")).expect("conf dir");
        std::fs::write(home.join("conf").join(conf_file), conf_text).expect("write conf");
        assert_clean(&format!("{stem} with conf/{conf_file}"), &[&home], read);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The start of the `flink-conf.yaml` of Flink 1.18's binary distribution (its uncommented keys).
const LEGACY_CONF: &str = "jobmanager.rpc.address: localhost\njobmanager.rpc.port: 6123\njobmanager.bind-host: localhost\n\
jobmanager.memory.process.size: 1600m\ntaskmanager.bind-host: localhost\ntaskmanager.host: localhost\n\
taskmanager.memory.process.size: 1728m\ntaskmanager.numberOfTaskSlots: 1\nparallelism.default: 1\n\
jobmanager.execution.failover-strategy: region\nrest.address: localhost\nrest.bind-address: localhost\n";

/// The nested `config.yaml` of Flink 1.19+'s binary distribution (its uncommented keys).
const STANDARD_CONF: &str = "env:\n  java:\n    opts:\n      all: --add-exports=java.base/sun.net.util=ALL-UNNAMED\n\
jobmanager:\n  bind-host: localhost\n  rpc:\n    address: localhost\n    port: 6123\n  memory:\n    process:\n      size: 1600m\n\
  execution:\n    failover-strategy: region\n\
taskmanager:\n  bind-host: localhost\n  host: localhost\n  numberOfTaskSlots: 1\n  memory:\n    process:\n      size: 1728m\n\
parallelism:\n  default: 1\n\
rest:\n  address: localhost\n  bind-address: localhost\n";

/// `rules/jars.yaml`'s `flink.distribution` (the folder each jar ships in, used in advice) agrees with the real
/// layout of every Flink inventory, and lists every Flink jar of `lib/`, `opt/` and `plugins/`.
#[test]
fn the_distribution_layout_in_jars_yaml_is_the_real_one() {
    let flink = &s3lint::knowledge::jars::knowledge().flink;
    for stem in ["apache-flink-libraries-1.18.1", "apache-flink-libraries-1.20.3", "apache-flink-libraries-2.2.1"] {
        let inv = inventory(stem);
        for path in inv["jars"].as_array().expect("jars").iter().filter_map(|j| j["path"].as_str()) {
            let (folder, file) = path.rsplit_once('/').expect("a jar in a folder");
            let artifact = s3lint::deployment::classpath::parse_file_name(file);
            let name = artifact.base_name();
            if !name.starts_with("flink-") || folder == "bin" {
                continue;
            }
            assert_eq!(flink.ships_in(name), Some(folder), "{stem}: {path} ships in {folder}/");
        }
    }
}

/// sagemaker-pyspark 1.4.5's `jars/` puts hadoop-aws 3.3.1 with the aws-java-sdk-bundle it was built with
/// (1.11.901) next to individual aws-java-sdk-* 1.12.262 modules for its own SageMaker client. On one classpath
/// that is the mix Hadoop's troubleshooting guide warns about (the same `com.amazonaws` classes twice, in two
/// versions), so this pristine package is not clean: exactly that one error, and no other finding.
#[test]
fn sagemaker_pyspark_jars_mix_the_sdk_bundle_with_sdk_modules() {
    let inv = inventory("sagemaker-pyspark-1.4.5");
    let dir = scratch("pristine-sagemaker");
    let home = rebuild_home(&inv, &dir);
    let (code, findings, summary) = check(&[&home.join("jars")]);
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{}", findings.join("\n"));
    assert!(findings[0].contains("jar-version-mismatch") && findings[0].contains("aws-java-sdk-bundle-1.11.901.jar"));
    assert!(summary.contains("9 jars checked"), "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}

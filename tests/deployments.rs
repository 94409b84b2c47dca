//! One deployment per home, through the binary: a folder holding Flink 1.18.1, Flink 1.20.3 and Spark homes
//! (rebuilt in their real layout from the committed inventories of the PyPI distributions) and a loose Hadoop
//! configuration directory is checked as four deployments. Each home checks clean on its own, the folder gives
//! exactly the union of the per-deployment findings, and every output names each deployment. Jars in a folder
//! that is no Flink, Spark or Hadoop layout are read as a classpath of their own, and the output says so.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::jars::{inventory, pom_properties, rebuild_home, scratch, write_jar};
use common::*;
use serde_json::Value;

/// The start of the `flink-conf.yaml` of Flink 1.18's binary distribution.
const LEGACY_CONF: &str = "jobmanager.rpc.address: localhost\njobmanager.rpc.port: 6123\n\
taskmanager.numberOfTaskSlots: 1\nparallelism.default: 1\n";
/// The nested `config.yaml` of Flink 1.19+'s binary distribution (a few of its keys).
const STANDARD_CONF: &str = "jobmanager:\n  rpc:\n    address: localhost\n    port: 6123\n\
taskmanager:\n  numberOfTaskSlots: 1\nparallelism:\n  default: 1\n";
/// A Hadoop configuration with one misspelt S3A key (`unknown-key`), so the loose deployment has a finding.
const CORE_SITE: &str = "<?xml version=\"1.0\"?>\n<configuration>\n  <property>\n    <name>fs.s3a.endpiont</name>\n\
    <value>s3.eu-west-1.amazonaws.com</value>\n  </property>\n</configuration>\n";

/// Rebuilds the home of inventory `stem` as `dir/name`, with `conf/<file>` holding `conf` when given.
fn home(dir: &Path, stem: &str, name: &str, conf: Option<(&str, &str)>) -> PathBuf {
    let staging = dir.join(format!(".staging-{name}"));
    let built = rebuild_home(&inventory(stem), &staging);
    let home = dir.join(name);
    std::fs::rename(&built, &home).expect("move home");
    let _ = std::fs::remove_dir_all(&staging);
    if let Some((file, text)) = conf {
        std::fs::create_dir_all(home.join("conf")).expect("conf dir");
        std::fs::write(home.join("conf").join(file), text).expect("write conf");
    }
    home
}

/// The repository of the issue: three homes and a loose Hadoop configuration directory.
fn repository(tag: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = scratch(tag);
    let homes = vec![
        home(&dir, "apache-flink-libraries-1.18.1", "flink-1.18.1", Some(("flink-conf.yaml", LEGACY_CONF))),
        home(&dir, "apache-flink-libraries-1.20.3", "flink-1.20.3", Some(("config.yaml", STANDARD_CONF))),
        home(&dir, "pyspark-3.5.6", "spark-3.5.6", None),
    ];
    std::fs::create_dir_all(dir.join("hadoop-conf")).expect("hadoop-conf");
    std::fs::write(dir.join("hadoop-conf/core-site.xml"), CORE_SITE).expect("core-site");
    (dir, homes)
}

/// `s3lint check --format json PATHS`: the exit code and the document.
fn check_json(paths: &[&Path]) -> (Option<i32>, Value) {
    let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let out = s3lint_from(&root(), &args);
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&out)));
    (out.status.code(), doc)
}

/// The findings of a JSON document as `rule file message` lines (without the deployment field).
fn findings(doc: &Value) -> BTreeSet<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {} {}", f["rule"], f["file"], f["message"]))
        .collect()
}

#[test]
fn a_folder_of_homes_is_checked_home_by_home() {
    let (dir, homes) = repository("homes-union");
    let mut union = BTreeSet::new();
    for home in &homes {
        let (code, doc) = check_json(&[home]);
        let found = findings(&doc);
        assert!(found.is_empty() && code == Some(0), "{} alone must check clean: {found:#?}", home.display());
        union.extend(found);
    }
    let (_, loose) = check_json(&[&dir.join("hadoop-conf")]);
    let loose = findings(&loose);
    assert!(loose.iter().any(|f| f.contains("unknown-key")), "{loose:#?}");
    union.extend(loose);

    let (code, doc) = check_json(&[&dir]);
    assert_eq!(findings(&doc), union, "the folder must give exactly the union of its deployments' findings");
    assert_eq!(code, Some(1), "the worst deployment decides the exit code (the loose conf's warning)");
    let deployments = doc["deployments"].as_array().expect("deployments");
    let described: Vec<(String, String, Value)> = deployments
        .iter()
        .map(|d| (d["root"].as_str().unwrap_or("").to_string(), d["kind"].to_string(), d["versions"].clone()))
        .collect();
    let shown = |p: &Path| p.display().to_string();
    assert_eq!(described.len(), 4, "{described:#?}");
    assert_eq!((described[0].0.clone(), described[0].1.as_str()), (shown(&homes[0]), "\"flink\""));
    assert_eq!(described[0].2["flink"], "1.18.1");
    assert_eq!((described[1].0.clone(), described[1].1.as_str()), (shown(&homes[1]), "\"flink\""));
    assert_eq!(described[1].2["flink"], "1.20.3");
    assert_eq!((described[2].0.clone(), described[2].1.as_str()), (shown(&homes[2]), "\"spark\""));
    assert_eq!(described[2].2["spark"], "3.5.6");
    assert_eq!((described[3].0.clone(), described[3].1.as_str()), (shown(&dir), "\"files\""));
    // Each finding names its deployment; the loose conf's finding belongs to the `files` deployment.
    for f in doc["findings"].as_array().expect("findings") {
        assert_eq!(f["deployment"], shown(&dir), "{f}");
    }
    let total: u64 = deployments.iter().map(|d| d["summary"]["warnings"].as_u64().unwrap_or(0)).sum();
    assert_eq!(doc["summary"]["warnings"].as_u64(), Some(total));

    // Human: a heading and a summary per deployment, then the total.
    let out = s3lint_from(&root(), &["check".to_string(), shown(&dir)]);
    let text = stdout(&out);
    for (i, home) in homes.iter().enumerate() {
        let kind = if i < 2 { "Flink home" } else { "Spark home" };
        assert!(text.contains(&format!("deployment {} of 4: {kind} `{}`", i + 1, shown(home))), "{text}");
        assert!(text.contains(&format!("s3lint: `{}`: ", shown(home))), "{text}");
    }
    assert!(text.contains("Flink 1.18.1") && text.contains("Flink 1.20.3") && text.contains("Spark 3.5.6"), "{text}");
    let last = text.lines().rfind(|l| !l.is_empty()).unwrap_or("");
    assert!(last.starts_with("s3lint: 4 deployments, ") && last.contains("1 warning"), "{last}");
    assert!(!text.contains("but Flink is"), "no jar is compared with another home's flink-dist:\n{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn homes_named_on_the_command_line_are_separate_and_other_paths_stay_together() {
    let (dir, homes) = repository("homes-given");
    let (code, doc) = check_json(&[&homes[0], &homes[1]]);
    assert_eq!(code, Some(0), "{:#?}", findings(&doc));
    assert_eq!(doc["deployments"].as_array().map(Vec::len), Some(2));
    // One home with a conf dir beside it: one deployment, as before.
    let (_, doc) = check_json(&[&homes[0], &dir.join("hadoop-conf")]);
    let deployments = doc["deployments"].as_array().expect("deployments");
    assert_eq!(deployments.len(), 1);
    assert_eq!(deployments[0]["kind"], "flink");
    assert_eq!(deployments[0]["summary"]["files"], 2);
    // SARIF and GitHub name the deployment of each finding when there are several.
    let sarif = stdout(&s3lint_from(&root(), &["check", "--format", "sarif", dir.to_str().expect("utf-8")]));
    let sarif: Value = serde_json::from_str(&sarif).expect("SARIF JSON");
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["deployments"].as_array().map(Vec::len), Some(4));
    assert_eq!(run["results"][0]["properties"]["deployment"], dir.display().to_string());
    let github = stdout(&s3lint_from(&root(), &["check", "--format", "github", dir.to_str().expect("utf-8")]));
    assert!(github.contains(&format!("title=s3lint unknown-key ({})", dir.display()).replace(':', "%3A")), "{github}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_shows_each_deployment() {
    let (dir, homes) = repository("homes-config");
    let text = stdout(&s3lint_from(&root(), &["config", dir.to_str().expect("utf-8")]));
    assert!(text.contains(&format!("## deployment 1 of 4: flink `{}` (Flink 1.18.1", homes[0].display())), "{text}");
    assert!(text.contains("fs.s3a.endpiont = s3.eu-west-1.amazonaws.com"), "{text}");
    let json = stdout(&s3lint_from(&root(), &["config", "--format", "json", dir.to_str().expect("utf-8")]));
    let doc: Value = serde_json::from_str(&json).expect("JSON");
    let list = doc["deployments"].as_array().expect("deployments");
    assert_eq!(list.len(), 4);
    assert_eq!(list[1]["files"][0], homes[1].join("conf/config.yaml").display().to_string());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `jars/` folder beside a `core-site.xml` (no Flink, Spark or Hadoop layout): its jars are read as one
/// classpath, the output says so, and their mistakes are found (hadoop-common and hadoop-aws of two releases).
#[test]
fn jars_beside_a_core_site_are_read_as_a_classpath_of_their_own() {
    let dir = scratch("homes-loose-jars");
    let jar = |folder: &str, group: &str, artifact: &str, version: &str| {
        let path = dir.join(folder).join(format!("{artifact}-{version}.jar"));
        let entry = format!("META-INF/maven/{group}/{artifact}/pom.properties");
        write_jar(&path, &[(entry, pom_properties(group, artifact, version))]);
    };
    jar("jars", "org.apache.hadoop", "hadoop-common", "3.3.6");
    jar("jars", "org.apache.hadoop", "hadoop-aws", "3.3.4");
    jar("jars", "com.amazonaws", "aws-java-sdk-bundle", "1.12.262");
    std::fs::write(dir.join("core-site.xml"), CORE_SITE.replace("endpiont", "endpoint")).expect("core-site");
    let out = s3lint_from(&root(), &["check".to_string(), dir.display().to_string()]);
    let text = stdout(&out);
    let jars = format!("{}/", dir.join("jars").display());
    assert!(text.contains(&format!("read `{jars}` (3 jars) as a classpath of its own")), "{text}");
    assert!(text.contains("jar-version-mismatch"), "the jars are checked:\n{text}");
    assert_eq!(out.status.code(), Some(1));
    let (_, doc) = check_json(&[&dir]);
    let cps = doc["deployments"][0]["classpaths"].as_array().expect("classpaths");
    assert!(cps.iter().any(|c| c["kind"] == "directory" && c["jars"] == 3 && c["name"] == jars.as_str()), "{cps:#?}");
    assert_eq!(doc["deployments"][0]["versions"]["hadoop"], "3.3.6");
    let _ = std::fs::remove_dir_all(&dir);
}

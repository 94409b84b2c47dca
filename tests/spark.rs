//! Spark deployments through the binary: Spark homes and pyspark's layout built from the real pyspark 3.5.6
//! jar list (fixtures/tools/make_spark_fixtures.sh), `spark-defaults.conf` read as Spark reads it, its
//! `spark.hadoop.*` keys judged as the Hadoop keys they become, and help in Spark's terms.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let out = s3lint(args);
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", stdout(&out)));
    (out.status.code(), doc)
}

fn findings(doc: &Value) -> Vec<&Value> {
    doc["findings"].as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

fn rules(doc: &Value) -> Vec<String> {
    findings(doc).iter().map(|f| f["rule"].as_str().unwrap_or_default().to_string()).collect()
}

fn case(name: &str) -> String {
    format!("fixtures/check/{name}")
}

#[test]
fn a_correct_spark_home_with_hadoop_aws_from_packages_or_jars_checks_clean() {
    for name in ["spark-3.5-s3a-packages-clean", "spark-3.5-hadoop-aws-in-jars"] {
        let (code, doc) = json(&["check", "--format", "json", &case(name)]);
        assert_eq!(code, Some(0), "{name}: {doc}");
        assert!(findings(&doc).is_empty(), "{name}: {doc}");
    }
}

#[test]
fn the_pristine_pyspark_jars_folder_is_read_as_sparks_classpath() {
    let out = s3lint(&["check", &case("pyspark-3.5.6-pristine")]);
    let text = stdout(&out);
    assert!(text.contains("252 jars checked"), "{text}");
    // The only findings left are the jar-identity false alarms of issue 10 item 2 (spire/algebra sharing an sbt
    // manifest title, jdo-api vs javax.jdo), which the jar-identity work removes; nothing about Spark or S3A.
    let (_, doc) = json(&["check", "--format", "json", &case("pyspark-3.5.6-pristine")]);
    for f in findings(&doc) {
        let message = f["message"].as_str().unwrap_or_default();
        assert_eq!(f["rule"], "jar-version-mismatch", "{f}");
        assert!(message.contains("spire_2.12") || message.contains("jdo-api"), "{f}");
    }
}

#[test]
fn missing_hadoop_aws_is_one_error_with_the_spark_packages_line_of_the_hadoop_in_jars() {
    let (code, doc) = json(&["check", "--format", "json", &case("spark-3.5-hadoop-aws-missing")]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&doc), ["jar-missing-dependency"], "{doc}");
    let f = findings(&doc)[0];
    let help = f["help"].as_str().unwrap_or_default();
    assert!(help.contains("`spark.jars.packages org.apache.hadoop:hadoop-aws:3.3.4`"), "{help}");
    assert!(help.contains("--packages org.apache.hadoop:hadoop-aws:3.3.4"), "{help}");
    assert!(!help.contains("Flink") && !help.contains("lib/"), "{help}");
    assert!(f["file"].as_str().unwrap_or_default().ends_with("conf/spark-defaults.conf"), "{f}");
    assert_eq!(f["range"]["start"]["line"], 4, "{f}");
}

#[test]
fn hadoop_aws_of_another_release_in_spark_packages_is_an_error_at_the_coordinate() {
    let (code, doc) = json(&["check", "--format", "json", &case("spark-3.5-hadoop-aws-package-mismatch")]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&doc), ["jar-version-mismatch"], "{doc}");
    let f = findings(&doc)[0];
    assert_eq!(f["severity"], "error");
    let start = &f["range"]["start"];
    assert_eq!((start["line"].as_u64(), start["column"].as_u64()), (Some(2), Some(80)), "{f}");
    let help = f["help"].as_str().unwrap_or_default();
    assert!(help.contains("`org.apache.hadoop:hadoop-aws:3.3.4`"), "{help}");
}

#[test]
fn a_misspelt_spark_hadoop_key_gets_a_suggestion_with_its_prefix() {
    let (code, doc) = json(&["check", "--format", "json", &case("spark-3.5-misspelt-s3a-key")]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&doc), ["unknown-key"], "{doc}");
    let help = findings(&doc)[0]["help"].as_str().unwrap_or_default().to_string();
    assert_eq!(help, "Rename it to `spark.hadoop.fs.s3a.endpoint`.");
}

#[test]
fn plaintext_spark_hadoop_credentials_are_found_and_never_printed() {
    let secrets =
        ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "AKIAZ7Q3EXAMPLEKEYID4", "EXAMPLEKEY", "XIvYXdzEXAMPLETOKEN"];
    let (code, doc) = json(&["check", "--format", "json", &case("spark-3.5-plaintext-secret")]);
    assert_eq!(code, Some(1));
    let found = rules(&doc);
    assert_eq!(found.iter().filter(|r| *r == "plaintext-credentials").count(), 2, "{doc}");
    // `fs.s3a.endpoint` without `spark.hadoop.` is dropped by spark-submit; `-Dspark.…` in the executor's JVM
    // options makes Spark refuse to start.
    assert_eq!(found.iter().filter(|r| *r == "spark-conf-ignored-key").count(), 2, "{doc}");
    assert!(!found.contains(&"endpoint-region-conflict".to_string()), "a dropped key is not applied: {doc}");
    for format in ["human", "json", "sarif", "github"] {
        let out = s3lint(&["check", "--format", format, &case("spark-3.5-plaintext-secret")]);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        for s in secrets {
            assert!(!all.contains(s), "{format} prints {s}:\n{all}");
        }
    }
    let out = s3lint(&["config", &case("spark-3.5-plaintext-secret")]);
    let all = stdout(&out);
    assert!(all.contains("spark.hadoop.fs.s3a.secret.key"), "{all}");
    for s in secrets {
        assert!(!all.contains(s), "config prints {s}:\n{all}");
    }
}

#[test]
fn s3_uris_without_fs_s3_impl_get_the_spark_hadoop_impl_line() {
    let (code, doc) = json(&["check", "--format", "json", &case("spark-3.5-s3-scheme-no-impl")]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&doc), ["fs-s3-impl-missing"], "{doc}");
    let help = findings(&doc)[0]["help"].as_str().unwrap_or_default().to_string();
    assert!(help.contains("`spark.hadoop.fs.s3.impl org.apache.hadoop.fs.s3a.S3AFileSystem`"), "{help}");
    assert!(!help.contains("Flink"), "{help}");
}

#[test]
fn a_spark_defaults_conf_given_alone_is_read() {
    let file = "fixtures/check/spark-3.5-misspelt-s3a-key/spark-3.5.6-bin-hadoop3/conf/spark-defaults.conf";
    let (code, doc) = json(&["check", "--format", "json", file]);
    assert_eq!(code, Some(1), "{doc}");
    assert!(rules(&doc).contains(&"unknown-key".to_string()), "{doc}");
}

#[test]
fn spark_conf_dir_is_read_for_a_spark_home() {
    let dir = std::env::temp_dir().join(format!("s3lint-spark-conf-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("spark-defaults.conf"), "spark.hadoop.fs.s3a.endpiont http://x:9000\n").expect("write");
    let out = Command::new(binary())
        .args(["check", "--format", "json", &case("spark-3.5-s3a-packages-clean")])
        .current_dir(root())
        .env("SPARK_CONF_DIR", &dir)
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_CLASSPATH")
        .output()
        .expect("run");
    let _ = std::fs::remove_dir_all(&dir);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(rules(&doc), ["unknown-key"], "{doc}");
}

#[test]
fn a_malformed_unicode_escape_cannot_be_checked_and_says_where() {
    let out = s3lint(&["check", "fixtures/readers/spark/malformed-unicode.conf"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("malformed-unicode.conf:2:10"), "{err}");
    assert!(err.contains("Malformed \\uxxxx encoding."), "{err}");
}

/// Copies a fixture deployment into a fresh temporary directory.
fn copy_case(name: &str) -> std::path::PathBuf {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    let to = std::env::temp_dir().join(format!("s3lint-spark-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy(&root().join("fixtures/check").join(name), &to);
    to
}

#[test]
fn the_suggested_spark_packages_line_makes_the_deployment_check_clean() {
    for (name, home) in [
        ("spark-3.5-hadoop-aws-missing", "spark-3.5.6-bin-hadoop3"),
        ("spark-4.0-hadoop-aws-missing", "spark-4.0.1-bin-hadoop3"),
    ] {
        let (_, doc) = json(&["check", "--format", "json", &case(name)]);
        let help = findings(&doc)[0]["help"].as_str().unwrap_or_default().to_string();
        // The line to copy, as printed between backticks.
        let line = help.split('`').find(|p| p.starts_with("spark.jars.packages ")).expect("a spark.jars.packages line");
        let dir = copy_case(name);
        let conf = dir.join(home).join("conf/spark-defaults.conf");
        let mut text = std::fs::read_to_string(&conf).expect("read");
        text.push_str(line);
        text.push('\n');
        std::fs::write(&conf, text).expect("write");
        let out = s3lint(&["check", "--format", "json", &dir.display().to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
        let after: Value = serde_json::from_str(&stdout(&out)).expect("json");
        assert_eq!(out.status.code(), Some(0), "{name} with `{line}`: {after}");
    }
}

#[test]
fn spark_4_needs_the_hadoop_3_4_release_and_its_v2_sdk() {
    let (code, doc) = json(&["check", "--format", "json", &case("spark-4.0-hadoop-aws-missing")]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&doc), ["jar-missing-dependency"], "{doc}");
    let help = findings(&doc)[0]["help"].as_str().unwrap_or_default().to_string();
    assert!(
        help.contains("org.apache.hadoop:hadoop-aws:3.4.1") && help.contains("software.amazon.awssdk:bundle"),
        "{help}"
    );
}

#[test]
fn the_pristine_pyspark_4_jars_folder_has_no_spark_or_s3a_finding() {
    let (_, doc) = json(&["check", "--format", "json", &case("pyspark-4.0.1-pristine")]);
    for f in findings(&doc) {
        // Left: jdo-api vs javax.jdo, the jar-identity false alarm of issue 10 item 2.
        assert!(f["message"].as_str().unwrap_or_default().contains("jdo-api"), "{f}");
    }
}

#[test]
fn jars_named_by_spark_jars_or_extra_class_path_join_sparks_classpath() {
    let jars = root().join("fixtures/check/spark-3.5-hadoop-aws-in-jars/spark-3.5.6-bin-hadoop3/jars");
    let lines = |extra: &std::path::Path| {
        [
            format!(
                "spark.driver.extraClassPath {}/*\nspark.executor.extraClassPath {}/*\n",
                extra.display(),
                extra.display()
            ),
            format!(
                "spark.jars file://{}/hadoop-aws-3.3.4.jar, {}/aws-java-sdk-bundle-1.12.262.jar\n",
                extra.display(),
                extra.display()
            ),
        ]
    };
    for variant in 0..2 {
        let dir = copy_case("spark-3.5-hadoop-aws-missing");
        let extra = dir.join("extra");
        std::fs::create_dir_all(&extra).expect("mkdir");
        for jar in ["hadoop-aws-3.3.4.jar", "aws-java-sdk-bundle-1.12.262.jar"] {
            std::fs::copy(jars.join(jar), extra.join(jar)).expect("copy");
        }
        let conf = dir.join("spark-3.5.6-bin-hadoop3/conf/spark-defaults.conf");
        let mut text = std::fs::read_to_string(&conf).expect("read");
        text.push_str(&lines(&extra)[variant]);
        std::fs::write(&conf, text).expect("write");
        // Only the Spark home is given: the extra jars are found through spark-defaults.conf alone.
        let home = dir.join("spark-3.5.6-bin-hadoop3");
        let out = s3lint(&["check", "--format", "json", &home.display().to_string()]);
        let _ = std::fs::remove_dir_all(&dir);
        let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
        assert_eq!(out.status.code(), Some(0), "variant {variant}: {doc}");
    }
}

/// The verdicts of Spark 3.5.6's own `MavenUtils.extractMavenCoordinates` on these items (run once with the
/// pyspark jars): `group/artifact:version` is accepted, an empty item between commas, two parts, a blank part and
/// a trailing `:` are refused.
#[test]
fn spark_packages_items_are_judged_as_spark_submit_judges_them() {
    let dir = copy_case("spark-3.5-hadoop-aws-missing");
    let conf = dir.join("spark-3.5.6-bin-hadoop3/conf/spark-defaults.conf");
    let mut text = std::fs::read_to_string(&conf).expect("read");
    text.push_str("spark.jars.packages org.apache.hadoop/hadoop-aws:3.3.4,,io.delta:delta-spark_2.12,a::c,x:y:,\n");
    std::fs::write(&conf, text).expect("write");
    let out = s3lint(&["check", "--format", "json", &dir.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
    // hadoop-aws in the `/` form counts: no missing-dependency finding; four refused items.
    assert_eq!(rules(&doc), ["spark-package-invalid"; 4], "{doc}");
    let messages: Vec<&str> = findings(&doc).iter().map(|f| f["message"].as_str().unwrap_or_default()).collect();
    assert!(messages[0].contains("The coordinate provided is: \""), "{}", messages[0]);
    assert!(messages[1].contains("The coordinate provided is: io.delta:delta-spark_2.12\""), "{}", messages[1]);
    assert!(messages[2].contains("The artifactId cannot be null or be whitespace."), "{}", messages[2]);
    assert!(messages[3].contains("The coordinate provided is: x:y:\""), "{}", messages[3]);
}

/// In spark-defaults.conf every Hadoop key a help suggests is written as the user writes it there, with the
/// `spark.hadoop.` prefix (a bare `fs.s3a.…` line would be dropped by spark-submit).
#[test]
fn help_for_spark_defaults_lines_names_hadoop_keys_with_the_spark_hadoop_prefix() {
    let (_, doc) = json(&["check", "--format", "json", &case("spark-3.5-hadoop-keys-advice")]);
    let mut found = rules(&doc);
    found.sort();
    assert_eq!(
        found,
        ["credentials-provider-issue", "deprecated-key", "endpoint-region-conflict", "unknown-key"],
        "{doc}"
    );
    for name in std::fs::read_dir(root().join("fixtures/check")).expect("cases").flatten() {
        let name = name.file_name().to_string_lossy().into_owned();
        if !name.starts_with("spark-") {
            continue;
        }
        let (_, doc) = json(&["check", "--format", "json", &case(&name)]);
        for f in findings(&doc) {
            let help = f["help"].as_str().unwrap_or_default();
            let bare = help
                .split('`')
                .skip(1)
                .step_by(2)
                .find(|quoted| ["fs.s3a.", "fs.s3.", "hadoop.security."].iter().any(|p| quoted.starts_with(p)));
            assert!(bare.is_none(), "{name}: `{}` without spark.hadoop. in: {help}", bare.unwrap_or_default());
        }
    }
}

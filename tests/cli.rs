//! The command-line contract: exit codes, `--fail-on`, errors that name the file, `rules` and `explain`.

mod common;

use common::*;

#[test]
fn a_missing_path_cannot_be_checked() {
    let out = s3lint(&["check", "fixtures/check/no-such-deployment"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("fixtures/check/no-such-deployment") && err.contains("no such file"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_directory_without_any_configuration_cannot_be_checked() {
    let out = s3lint(&["check", "fixtures/tools"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("no Hadoop"), "{}", stderr(&out));
}

#[test]
fn a_binary_file_is_refused_with_its_position() {
    let dir = std::env::temp_dir().join(format!("s3lint-cli-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("core-site.xml");
    std::fs::write(&file, b"<?xml version=\"1.0\"?>\n<configuration>\x00\x01\x02</configuration>").unwrap();
    let out = s3lint(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("core-site.xml:2:16") && err.contains("binary"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let dir = std::env::temp_dir().join(format!("s3lint-cli-latin1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("flink-conf.yaml");
    std::fs::write(&file, b"jobmanager.rpc.address: localhost\n# r\xe9seau\n").unwrap();
    let out = s3lint(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("flink-conf.yaml:2:4"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn fail_on_sets_the_exit_code_threshold() {
    // Only warnings (plaintext keys) in this deployment.
    let case = "fixtures/check/flink-plaintext-keys";
    assert_eq!(s3lint(&["check", case]).status.code(), Some(1));
    assert_eq!(s3lint(&["check", "--fail-on", "warning", case]).status.code(), Some(1));
    assert_eq!(s3lint(&["check", "--fail-on", "error", case]).status.code(), Some(0));
    assert_eq!(s3lint(&["check", "--fail-on", "never", case]).status.code(), Some(0));
    // Only infos: the guide's empty S3A placeholders.
    let infos = "fixtures/check/guide-s3a-hadoop-route";
    assert_eq!(s3lint(&["check", infos]).status.code(), Some(0));
    assert_eq!(s3lint(&["check", "--fail-on", "info", infos]).status.code(), Some(1));
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(s3lint(&["check", "--fail-on", "sometimes", "."]).status.code(), Some(2));
    assert_eq!(s3lint(&["check", "--format", "xml", "."]).status.code(), Some(2));
    assert_eq!(s3lint(&["explain", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let out = s3lint(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let list = stdout(&out);
    for id in [
        "fs-s3-impl-missing",
        "s3a-buffer-dir-missing",
        "plaintext-credentials",
        "empty-credentials",
        "flink-conf-unparsed-line",
        "duplicate-key",
        "unresolved-variable",
        "hadoop-xml-ignored-content",
        "file-unreadable",
        "secret-build-arg",
        "image-jar-root-only",
        "enabled-plugin-missing",
        "dockerfile-unfollowed",
    ] {
        assert!(list.contains(id), "{id} missing from:\n{list}");
        let doc = stdout(&s3lint(&["explain", id]));
        for section in ["## What it catches", "## Why it matters", "## How to fix"] {
            // Each heading at the start of its line, as Markdown needs it.
            assert!(doc.lines().any(|l| l == section), "{id}: no {section}:\n{doc}");
        }
    }
    let doc = stdout(&s3lint(&["explain", "s3a-buffer-dir-missing"]));
    assert!(doc.contains("LocalDirAllocator"), "{doc}");
}

#[test]
fn human_output_points_at_file_line_and_column() {
    let out = s3lint(&["check", "fixtures/check/flink-1.4-hadoop-s3a-no-buffer-dir"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("s3a-buffer-dir-missing"), "{text}");
    assert!(text.contains("fixtures/check/flink-1.4-hadoop-s3a-no-buffer-dir/hadoop-conf/core-site.xml:7:1"), "{text}");
    assert!(text.contains("1 error"), "{text}");
    // Piped output is plain: no ANSI escapes.
    assert!(!text.contains('\u{1b}'), "colour escapes in piped output");
}

#[test]
fn project_settings_ignore_rules_and_override_severities() {
    let dir = std::env::temp_dir().join(format!("s3lint-cli-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = root().join("fixtures/check/flink-plaintext-keys");
    let settings = dir.join("s3lint.yaml");
    std::fs::write(&settings, "ignore: [plaintext-credentials]\n").unwrap();
    let out = s3lint(&["check", "--format", "json", "--config", settings.to_str().unwrap(), case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("plaintext-credentials"));

    std::fs::write(&settings, "severity:\n  plaintext-credentials: error\n").unwrap();
    let out = s3lint(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "error",
        "--config",
        settings.to_str().unwrap(),
        case.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("\"severity\": \"error\""));

    std::fs::write(&settings, "ignore: [plaintext-credential]\n").unwrap();
    let out = s3lint(&["check", "--config", settings.to_str().unwrap(), case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown rule `plaintext-credential`"), "{}", stderr(&out));

    std::fs::write(&settings, "ignore: [\n").unwrap();
    let out = s3lint(&["check", "--config", settings.to_str().unwrap(), case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("s3lint.yaml:"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}

/// The rules and files of a JSON report.
fn rule_files(out: &std::process::Output) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(&stdout(out)).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["rule"].as_str().unwrap_or("").to_string(), f["file"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn classpath_flag_and_hadoop_classpath_add_jars_to_the_deployment() {
    // A Hadoop conf dir that selects S3A, checked with the jars of a Hadoop 3.4 tools/lib that holds the v1 SDK.
    let conf = "fixtures/check/guide-s3a-hadoop-route/hadoop-conf";
    let jars = "fixtures/check/hadoop-3.4-v1-sdk-and-s3n/hadoop-3.4.0/share/hadoop/tools/lib";
    let sdk = format!("{jars}/aws-java-sdk-bundle-1.12.329.jar");
    let flag = s3lint(&["check", "--format", "json", "--fail-on", "never", conf, "--classpath", &format!("{jars}/*")]);
    assert_eq!(flag.status.code(), Some(0), "{}", stderr(&flag));
    assert!(rule_files(&flag).contains(&("jar-version-mismatch".to_string(), sdk.clone())), "{}", stdout(&flag));

    let env = std::process::Command::new(env!("CARGO_BIN_EXE_s3lint"))
        .args(["check", "--format", "json", "--fail-on", "never", conf])
        .current_dir(root())
        .env_remove("HADOOP_CONF_DIR")
        .env("HADOOP_CLASSPATH", format!("/etc/hadoop/conf:{jars}/*"))
        .output()
        .expect("run s3lint");
    assert!(rule_files(&env).contains(&("jar-version-mismatch".to_string(), sdk)), "{}", stdout(&env));

    // Without the jars, nothing is known about the classpath and no jar rule speaks.
    let alone = s3lint(&["check", "--format", "json", "--fail-on", "never", conf]);
    assert!(rule_files(&alone).iter().all(|(r, _)| !r.starts_with("jar-")), "{}", stdout(&alone));
}

#[test]
fn flink_version_flag_applies_when_flink_dist_is_absent() {
    // A lib/ copied without flink-dist: only --flink-version tells that the S3 plugin does not belong in lib/.
    let dir = std::env::temp_dir().join(format!("s3lint-cli-flink-version-{}", std::process::id()));
    let lib = dir.join("flink/lib");
    let conf = dir.join("flink/conf");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::copy(
        root().join("fixtures/check/flink-1.15-plugin-in-lib/flink-1.15.4/lib/flink-s3-fs-hadoop-1.15.4.jar"),
        lib.join("flink-s3-fs-hadoop-1.15.4.jar"),
    )
    .unwrap();
    std::fs::write(conf.join("flink-conf.yaml"), "state.checkpoints.dir: s3://acme/checkpoints\n").unwrap();
    let path = dir.join("flink");
    let path = path.to_str().unwrap();
    let without = s3lint(&["check", "--format", "json", "--fail-on", "never", path]);
    assert!(rule_files(&without).iter().all(|(r, _)| r != "s3-plugin-layout"), "{}", stdout(&without));
    let with = s3lint(&["check", "--format", "json", "--fail-on", "never", "--flink-version", "1.15.4", path]);
    assert!(rule_files(&with).iter().any(|(r, _)| r == "s3-plugin-layout"), "{}", stdout(&with));
    std::fs::remove_dir_all(&dir).ok();
}

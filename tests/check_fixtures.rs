//! Every deployment under `fixtures/check/<case>/` is checked and its JSON output compared with the case's
//! `expected.json`; a case that cannot be checked has `expected-error.txt` instead (exit 2, message on stderr,
//! and the JSON document with the error in `errors` on stdout).
//! `S3LINT_BLESS=1 cargo test --test check_fixtures` rewrites the expected files; review the diff.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn every_fixture_deployment_matches_its_expected_output() {
    let mut failures = Vec::new();
    for case in check_cases() {
        let arg = rel(&case);
        let out = s3lint(&["check", "--format", "json", &arg]);
        let code = out.status.code();
        let error_file = case.join("expected-error.txt");
        if error_file.exists() || (blessing() && code == Some(2)) {
            let got = stderr(&out);
            if blessing() {
                std::fs::write(&error_file, &got).expect("write expected-error.txt");
                continue;
            }
            let want = std::fs::read_to_string(&error_file).expect("read expected-error.txt");
            if code != Some(2) || got != want || !is_error_document(&stdout(&out)) {
                failures.push(format!("{arg}: exit {code:?}\n--- want stderr\n{want}--- got stderr\n{got}"));
            }
            continue;
        }
        let got = stdout(&out);
        let expected_file = case.join("expected.json");
        if blessing() {
            std::fs::write(&expected_file, &got).expect("write expected.json");
            continue;
        }
        let want = std::fs::read_to_string(&expected_file).unwrap_or_else(|_| panic!("{arg}: no expected.json"));
        let doc: Value = serde_json::from_str(&got).unwrap_or_else(|e| panic!("{arg}: output is not JSON: {e}\n{got}"));
        let failing = doc["summary"]["errors"].as_u64().unwrap_or(0) + doc["summary"]["warnings"].as_u64().unwrap_or(0);
        let want_code = if failing > 0 { 1 } else { 0 };
        if got != want || code != Some(want_code) {
            failures.push(format!("{arg}: exit {code:?} (want {want_code})\n--- want\n{want}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{} case(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// The rules each case must (and must not) report: the reason each fixture exists, independent of the exact
/// expected file.
#[test]
fn each_rule_fires_on_its_positive_fixtures_and_not_on_its_negatives() {
    let table: &[(&str, &[&str], &[&str])] = &[
        ("flink-1.17-plugin-iam", &[], &["fs-s3-impl-missing", "plaintext-credentials", "s3a-buffer-dir-missing"]),
        ("flink-1.15-plugin-only-in-opt", &["fs-s3-impl-missing"], &["s3a-buffer-dir-missing"]),
        ("flink-1.4-hadoop-s3a-no-buffer-dir", &["s3a-buffer-dir-missing"], &["fs-s3-impl-missing"]),
        (
            "guide-s3a-hadoop-route",
            &["empty-credentials"],
            &["s3a-buffer-dir-missing", "fs-s3-impl-missing", "plaintext-credentials"],
        ),
        ("guide-native-s3-empty-keys", &["empty-credentials"], &["fs-s3-impl-missing", "s3a-buffer-dir-missing"]),
        ("flink-plaintext-keys", &["plaintext-credentials"], &["fs-s3-impl-missing", "empty-credentials"]),
        ("hadoop-conf-plaintext-keys", &["plaintext-credentials"], &["s3a-buffer-dir-missing", "fs-s3-impl-missing"]),
        ("hadoop-defaultfs-s3-no-impl", &["fs-s3-impl-missing"], &["s3a-buffer-dir-missing", "plaintext-credentials"]),
        (
            "hadoop-s3a-clean",
            &[],
            &["fs-s3-impl-missing", "s3a-buffer-dir-missing", "plaintext-credentials", "duplicate-key"],
        ),
        ("hadoop-final-and-variables", &["duplicate-key", "unresolved-variable"], &["s3a-buffer-dir-missing"]),
        (
            "flink-conf-legacy-traps",
            &["flink-conf-unparsed-line", "duplicate-key", "plaintext-credentials"],
            &["fs-s3-impl-missing"],
        ),
        (
            "flink-1.19-config-yaml-nested-keys",
            &["plaintext-credentials"],
            &["flink-conf-unparsed-line", "fs-s3-impl-missing"],
        ),
        // Classpath: the guide's jar lists, versions, plugin layout, schemes.
        (
            "hadoop-2.7-s3a-missing-helpers",
            &["jar-missing-dependency"],
            &["jar-version-mismatch", "s3a-buffer-dir-missing"],
        ),
        ("hadoop-2.6-s3a-guide-jars", &[], &["jar-missing-dependency", "jar-version-mismatch", "fs-s3-impl-missing"]),
        ("guide-s3a-hadoop-route", &[], &["jar-missing-dependency", "jar-version-mismatch"]),
        ("guide-native-s3-empty-keys", &[], &["jar-missing-dependency", "jar-version-mismatch"]),
        ("native-s3-missing-guava", &["jar-missing-dependency"], &["jar-version-mismatch", "empty-credentials"]),
        (
            "flink-1.8-hadoop-aws-older-than-uber",
            &["jar-version-mismatch"],
            &["jar-missing-dependency", "s3-plugin-layout"],
        ),
        (
            "flink-1.5-presto-1.4-snapshot-in-lib",
            &["jar-version-mismatch"],
            &["s3-plugin-layout", "fs-s3-impl-missing"],
        ),
        ("flink-1.15-plugin-in-lib", &["s3-plugin-layout"], &["fs-s3-impl-missing", "jar-version-mismatch"]),
        ("flink-1.18-plugin-folders", &["s3-plugin-layout"], &["fs-s3-impl-missing", "scheme-mismatch"]),
        ("flink-1.16-both-plugins-s3-scheme", &["s3-plugin-layout"], &["scheme-mismatch", "jar-version-mismatch"]),
        ("flink-1.17-presto-only-s3a-uri", &["s3-plugin-layout", "scheme-mismatch"], &["jar-missing-dependency"]),
        ("flink-1.17-corrupt-jars", &["jar-unreadable"], &["fs-s3-impl-missing", "s3-plugin-layout"]),
        ("hadoop-3.4-v1-sdk-and-s3n", &["jar-version-mismatch", "scheme-mismatch"], &["jar-missing-dependency"]),
        ("hadoop-3.3-mixed-release-and-sdk", &["jar-version-mismatch"], &["jar-missing-dependency", "scheme-mismatch"]),
        ("hadoop-3.3.4-s3a-clean", &[], &["jar-version-mismatch", "jar-missing-dependency", "scheme-mismatch"]),
        (
            "emr-6-emrfs",
            &[],
            &["unknown-key", "deprecated-key", "invalid-value", "fs-s3-impl-missing", "scheme-mismatch"],
        ),
        (
            "cdp-vendor-hadoop-sdk",
            &[],
            &["jar-version-mismatch", "jar-missing-dependency", "credentials-provider-issue"],
        ),
        (
            "flink-1.17-plugin-iam",
            &[],
            &[
                "jar-version-mismatch",
                "jar-missing-dependency",
                "s3-plugin-layout",
                "scheme-mismatch",
                "jar-unreadable",
            ],
        ),
        // Spark: spark-defaults.conf, Spark's jars/, spark.jars.packages.
        ("spark-3.5-s3a-packages-clean", &[], &["jar-missing-dependency", "jar-version-mismatch", "scheme-mismatch"]),
        ("spark-3.5-hadoop-aws-in-jars", &[], &["jar-missing-dependency", "s3a-buffer-dir-missing"]),
        ("spark-3.5-hadoop-aws-missing", &["jar-missing-dependency"], &["scheme-mismatch", "s3a-buffer-dir-missing"]),
        ("spark-4.0-hadoop-aws-missing", &["jar-missing-dependency"], &["scheme-mismatch", "jar-version-mismatch"]),
        ("spark-3.5-hadoop-aws-package-mismatch", &["jar-version-mismatch"], &["jar-missing-dependency"]),
        ("spark-3.5-misspelt-s3a-key", &["unknown-key"], &["jar-missing-dependency"]),
        ("spark-3.5-sdk-package-mismatch", &["jar-version-mismatch"], &["jar-missing-dependency"]),
        ("spark-3.5-sagemaker-jars-copied", &["jar-version-mismatch"], &["jar-missing-dependency", "scheme-mismatch"]),
        (
            "spark-3.5-hadoop-keys-advice",
            &["endpoint-region-conflict", "deprecated-key", "credentials-provider-issue", "unknown-key"],
            &["plaintext-credentials", "spark-conf-ignored-key"],
        ),
        (
            "spark-3.5-plaintext-secret",
            &["plaintext-credentials", "spark-conf-ignored-key"],
            &["endpoint-region-conflict"],
        ),
        ("spark-3.5-s3-scheme-no-impl", &["fs-s3-impl-missing"], &["jar-missing-dependency", "scheme-mismatch"]),
        // Key catalogue: names, values, deprecations, regions, providers.
        (
            "hadoop-3.4-s3a-40-settings-clean",
            &[],
            &[
                "unknown-key",
                "invalid-value",
                "deprecated-key",
                "endpoint-region-conflict",
                "credentials-provider-issue",
            ],
        ),
        ("hadoop-s3a-key-typos", &["unknown-key"], &["invalid-value", "deprecated-key"]),
        ("hadoop-3.3-invalid-values", &["invalid-value"], &["unknown-key", "unresolved-variable"]),
        ("hadoop-3.3-deprecated-keys", &["deprecated-key"], &["unknown-key", "invalid-value"]),
        ("guide-native-s3-empty-keys", &[], &["deprecated-key", "unknown-key", "signature-v4-region"]),
        ("flink-1.17-plugin-iam", &[], &["deprecated-key", "unknown-key", "invalid-value", "endpoint-region-conflict"]),
        (
            "flink-1.20-renamed-and-misspelt-keys",
            &["deprecated-key", "unknown-key", "invalid-value"],
            &["flink-conf-unparsed-line"],
        ),
        ("native-s3-jets3t-eu-central-1", &["signature-v4-region"], &["jar-missing-dependency", "fs-s3-impl-missing"]),
        (
            "s3a-eu-central-1-after-migration",
            &[],
            &["signature-v4-region", "jar-missing-dependency", "endpoint-region-conflict"],
        ),
        ("flink-1.18-endpoint-region-conflict", &["endpoint-region-conflict"], &["unknown-key", "invalid-value"]),
        (
            "flink-1.18-minio-path-style",
            &[],
            &["endpoint-region-conflict", "credentials-provider-issue", "unknown-key"],
        ),
        ("hadoop-3.4-credential-providers", &["credentials-provider-issue"], &["unknown-key", "jar-version-mismatch"]),
        (
            "hadoop-3.3-v2-provider",
            &["credentials-provider-issue"],
            &["jar-version-mismatch", "jar-missing-dependency"],
        ),
    ];
    for (case, must, must_not) in table {
        let out = s3lint(&["check", "--format", "json", "--fail-on", "never", &format!("fixtures/check/{case}")]);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", stderr(&out));
        let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
        let rules: Vec<&str> =
            doc["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
        for r in *must {
            assert!(rules.contains(r), "{case}: expected {r}, got {rules:?}");
        }
        for r in *must_not {
            assert!(!rules.contains(r), "{case}: did not expect {r}, got {rules:?}");
        }
    }
}

/// The `--format json` output of a check that could not run: no findings, one error with its file and message.
fn is_error_document(out: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(out) else { return false };
    let errors = doc["errors"].as_array().map(Vec::as_slice).unwrap_or_default();
    doc["version"] == 1
        && doc["findings"].as_array().is_some_and(Vec::is_empty)
        && errors.len() == 1
        && errors[0]["file"].as_str().is_some_and(|f| !f.is_empty())
        && errors[0]["message"].as_str().is_some_and(|m| !m.is_empty())
}

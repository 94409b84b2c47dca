//! `diagnose --deployment`: a diagnosis is linked to the deployment's findings of the rules its case names, and
//! when none fired, the deployment facts that bear on the failure are listed (JSON `deployment_facts`).

mod common;

use common::*;
use serde_json::Value;

fn diagnose(trace: &str, deployment: &str, format: &str) -> (Option<i32>, String) {
    let out = s3lint(&[
        "diagnose",
        "--format",
        format,
        &format!("fixtures/diagnose/cases/{trace}.txt"),
        "--deployment",
        &format!("fixtures/check/{deployment}"),
    ]);
    (out.status.code(), stdout(&out))
}

fn first_diagnosis(trace: &str, deployment: &str) -> Value {
    let (code, out) = diagnose(trace, deployment, "json");
    assert_eq!(code, Some(0), "{trace}: {out}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    doc["diagnoses"][0].clone()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().unwrap_or_default().to_string()).collect()
}

/// Each real trace of a failure, with a fixture deployment that has the mistake behind it: the diagnosis shows
/// the finding of the rule that explains it.
#[test]
fn each_diagnosis_links_the_finding_that_explains_it() {
    let table = [
        // The report: Flink's "supported through the following plugin(s)" with the plugin only in opt/.
        ("flink-s3-plugin-missing", "flink-1.15-plugin-only-in-opt", "fs-s3-impl-missing"),
        ("flink-unsupported-scheme-no-hadoop", "flink-1.17-presto-only-s3a-uri", "scheme-mismatch"),
        ("hadoop-no-filesystem-for-scheme", "hadoop-defaultfs-s3-no-impl", "fs-s3-impl-missing"),
        ("s3a-buffer-dir-npe", "flink-1.4-hadoop-s3a-no-buffer-dir", "s3a-buffer-dir-missing"),
        ("aws-sdk-v2-missing", "hadoop-3.4-v1-sdk-and-s3n", "jar-version-mismatch"),
        ("jets3t-400-bad-request-sigv4", "native-s3-jets3t-eu-central-1", "signature-v4-region"),
        ("s3a-credential-provider-wrong-interface", "hadoop-3.3-v2-provider", "credentials-provider-issue"),
        ("hadoop-aws-common-mismatch", "hadoop-3.3-mixed-release-and-sdk", "jar-version-mismatch"),
        ("s3guard-no-longer-supported", "hadoop-3.3-deprecated-keys", "deprecated-key"),
        ("s3a-permanent-redirect", "flink-1.18-endpoint-region-conflict", "endpoint-region-conflict"),
        ("s3n-credentials-missing", "guide-native-s3-empty-keys", "empty-credentials"),
    ];
    for (trace, deployment, rule) in table {
        let d = first_diagnosis(trace, deployment);
        assert_eq!(d["case"], trace, "{trace}");
        let linked: Vec<&str> =
            d["deployment_findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
        assert!(linked.contains(&rule), "{trace} x {deployment}: want {rule}, linked {linked:?}");
        let (_, human) = diagnose(trace, deployment, "human");
        assert!(!human.contains("no finding of those rules"), "{trace} x {deployment}:\n{human}");
        assert!(human.contains(&format!("[{rule}]")), "{trace} x {deployment}:\n{human}");
    }
}

#[test]
fn without_a_finding_the_deployment_facts_that_made_the_failure_likely_are_listed() {
    // The plugin is installed here: the failing process did not run this deployment's plugins/.
    let d = first_diagnosis("flink-s3-plugin-missing", "flink-1.17-plugin-iam");
    assert!(d["deployment_findings"].as_array().expect("array").is_empty(), "{d:#}");
    let facts = strings(&d["deployment_facts"]);
    for want in ["`flink-s3-fs-hadoop-1.17.2.jar` in plugins/s3-fs-hadoop/", "Flink 1.17.2"] {
        assert!(facts.iter().any(|f| f == want), "want {want:?} in {facts:#?}");
    }
    let (_, human) = diagnose("flink-s3-plugin-missing", "flink-1.17-plugin-iam", "human");
    assert!(human.contains("no finding of those rules; what it holds that bears on it:"), "{human}");
    assert!(human.contains("    - Flink 1.17.2\n"), "{human}");

    // An SDK mismatch on a clean Hadoop home: the versions in use.
    let d = first_diagnosis("aws-sdk-nosuchmethod", "hadoop-3.3.4-s3a-clean");
    let facts = strings(&d["deployment_facts"]);
    assert!(
        facts.iter().any(|f| f.starts_with("hadoop-aws 3.3.4 with aws-java-sdk-bundle 1.12.262 on ")),
        "{facts:#?}"
    );

    // A loaded Flink S3 plugin: the Hadoop and SDK it bundles (from its NOTICE), not the empty lib/.
    let d = first_diagnosis("aws-sdk-nosuchmethod", "flink-1.18-plugin-bundled-hadoop-3.3-timeouts");
    assert_eq!(
        strings(&d["deployment_facts"]),
        [
            "`flink-s3-fs-hadoop-1.18.1.jar` in plugins/s3-fs-hadoop/, bundling aws-java-sdk-core 1.12.319 and hadoop-aws 3.3.4",
            "Flink 1.18.1"
        ]
    );

    // No plugin at all under plugins/: said first.
    let d = first_diagnosis("flink-s3-plugin-missing", "flink-1.15-plugin-only-in-opt");
    assert_eq!(
        strings(&d["deployment_facts"]).first().map(String::as_str),
        Some("no S3 plugin under plugins/<folder>/")
    );

    // A case no rule covers (IAM): the credential setup, never a secret value.
    let (_, human) = diagnose("s3-access-denied", "hadoop-conf-plaintext-keys", "human");
    assert!(human.contains("no check rule covers this failure"), "{human}");
    assert!(human.contains("`fs.s3a.secret.key` is set ("), "{human}");
}

/// Every rule whose finding can explain a run-time failure is named by some failure case, so `--deployment` can
/// link it (plaintext credentials and build arguments leak but do not fail; an unreadable file, an unused ignore
/// and a Dockerfile step s3lint cannot follow are `check`'s own).
#[test]
fn every_rule_that_can_explain_a_failure_is_named_by_a_case() {
    let catalog = s3lint::knowledge::Catalog::builtin().expect("catalogue");
    let named: Vec<&str> = catalog.cases.iter().flat_map(|c| c.lint_rules.iter().map(String::as_str)).collect();
    let not_failures =
        ["plaintext-credentials", "file-unreadable", "unused-ignore", "secret-build-arg", "dockerfile-unfollowed"];
    let missing: Vec<&str> = s3lint::lint::rules::all()
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| !not_failures.contains(id) && !named.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules no failure case names: {missing:?}");
}

/// A jar that only root can read in an image that runs as another user explains the `ClassNotFoundException` of
/// S3AFileSystem and the `NoClassDefFoundError` of the SDK, through the Dockerfile of
/// `fixtures/check/code-bitnami-spark-add-url-root-only`.
#[test]
fn a_root_only_jar_of_an_image_explains_the_missing_class() {
    for trace in ["hadoop-s3a-class-not-found", "aws-sdk-v1-missing"] {
        let d = first_diagnosis(trace, "code-bitnami-spark-add-url-root-only");
        assert_eq!(d["case"], trace, "{d:#}");
        let linked: Vec<&str> =
            d["deployment_findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
        assert!(linked.contains(&"image-jar-root-only"), "{trace}: linked {linked:?}");
    }
}

/// The official Flink image's entrypoint refusing an `ENABLE_BUILT_IN_PLUGINS` jar (no Java trace: its own echo
/// line) is diagnosed, and the Dockerfile line that names the jar is linked.
#[test]
fn the_entrypoint_refusing_a_plugin_links_the_enable_built_in_plugins_line() {
    let d = first_diagnosis("flink-image-enabled-plugin-missing", "code-flink-1.17-enable-plugins-wrong-version");
    assert_eq!(d["case"], "flink-image-enabled-plugin-missing", "{d:#}");
    let linked = d["deployment_findings"].as_array().expect("findings");
    let f = linked.iter().find(|f| f["rule"] == "enabled-plugin-missing").unwrap_or_else(|| panic!("{d:#}"));
    assert_eq!(f["range"]["start"]["line"], 4, "{f:#}");
}

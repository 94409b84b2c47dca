//! The reader over the real-world-shaped manifests of `fixtures/readers/k8s/`.

use super::*;
use crate::source::SourceFile;

fn read_fixture(name: &str) -> (SourceMap, Manifest) {
    let path = format!("{}/fixtures/readers/k8s/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert!(declares_operator_kind(&text));
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new(name, &path, text));
    let m = read(&sources, file).unwrap_or_else(|e| panic!("{e}"));
    (sources, m)
}

/// `line:column` of a location (shared by the reader tests of `dockerfile/` and `manifest/`).
pub(crate) fn pos(sources: &SourceMap, at: Location) -> String {
    let p = sources.get(at.file).position(at.span.start);
    format!("{}:{}", p.line, p.column)
}

fn env<'a>(r: &'a Resource, name: &str) -> &'a EnvVar {
    r.env.iter().find(|e| e.name.value == name).unwrap_or_else(|| panic!("no env {name}"))
}

#[test]
fn clean_flink_deployment() {
    let (s, m) = read_fixture("flinkdeployment-clean.yaml");
    assert_eq!(m.resources.len(), 1);
    let r = &m.resources[0];
    assert_eq!(r.kind, Kind::FlinkDeployment);
    assert_eq!(r.image.as_ref().unwrap().value, "flink:1.17.1-scala_2.12-java11");
    assert_eq!(r.version.as_ref().map(|v| v.value.as_str()), Some("v1_17"));
    let keys: Vec<&str> = r.config.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["taskmanager.numberOfTaskSlots", "state.checkpoints.dir", "s3.endpoint"]);
    assert_eq!(r.config[0].value, "2");
    assert_eq!(pos(&s, r.config[1].key_at), "11:5");
    assert_eq!(pos(&s, r.config[1].value_at), "11:28");
    let plugins = env(r, "ENABLE_BUILT_IN_PLUGINS");
    assert_eq!(plugins.container, "podTemplate/flink-main-container");
    assert!(matches!(&plugins.value, EnvValue::Literal(v) if v.value == "flink-s3-fs-hadoop-1.17.1.jar"));
    assert_eq!(
        env(r, "AWS_SECRET_ACCESS_KEY").value,
        EnvValue::SecretRef { name: "s3-credentials".into(), key: "secret-key".into() }
    );
    assert_eq!(r.job_jar.as_ref().unwrap().value, "local:///opt/flink/usrlib/orders-aggregator.jar");
    let mut sources = s;
    assert!(mark_secrets(&m, &mut sources).is_empty(), "credentials come from a Secret");
}

#[test]
fn plaintext_credentials_in_flink_configuration_and_pod_env_are_marked() {
    let (mut s, m) = read_fixture("flinkdeployment-plaintext.yaml");
    let kinds: Vec<Kind> = m.resources.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [Kind::FlinkDeployment, Kind::FlinkSessionJob], "the ConfigMap is skipped");
    let r = &m.resources[0];
    assert_eq!(r.version.as_ref().unwrap().value, "v2_0");
    let secret = r.config.iter().find(|e| e.key == "s3.secret-key").expect("nested keys flattened");
    assert_eq!(pos(&s, secret.value_at), "18:19");
    let literal = env(r, "AWS_SECRET_ACCESS_KEY");
    assert_eq!(literal.container, "taskManager.podTemplate/flink-main-container");
    let EnvValue::Literal(v) = &literal.value else { panic!("literal") };
    assert_eq!(pos(&s, v.at), "27:24");
    assert_eq!(r.env_from[0].1, "secretRef");
    assert_eq!(r.env_from[0].2.value, "more-credentials");
    assert_eq!(m.resources[1].job_jar.as_ref().unwrap().value, "s3://artifacts/jobs/clickstream-1.0.jar");
    let values = mark_secrets(&m, &mut s);
    assert!(values.contains(&"AKIAIOSFODNN7EXAMPLE".to_string()));
    let shown = s.get(m.file).redacted_text();
    assert!(!shown.contains("wJalrXUtnFEMI/K7MDENG"), "{shown}");
    assert!(!shown.contains("AKIAIOSFODNN7EXAMPLE"));
    assert!(shown.contains("value: \"wJal"), "the quote is kept, the secret masked after 4 characters");
}

#[test]
fn spark_application_conf_hadoop_conf_deps_and_env() {
    let (mut s, m) = read_fixture("sparkapplication.yaml");
    let r = &m.resources[0];
    assert_eq!(r.kind, Kind::SparkApplication);
    assert_eq!(r.version.as_ref().unwrap().value, "3.5.3");
    let packages: Vec<&str> = r.packages.iter().map(|p| p.value.as_str()).collect();
    assert_eq!(packages, ["org.apache.hadoop:hadoop-aws:3.3.1", "com.amazonaws:aws-java-sdk-bundle:1.12.262"]);
    assert_eq!(pos(&s, r.packages[0].at), "15:9");
    assert_eq!(r.repositories[0].value, "https://repo1.maven.org/maven2");
    assert_eq!(r.config[0].key, "spark.hadoop.fs.s3a.path.style.access");
    assert_eq!(r.config[0].value, "true");
    let hadoop: Vec<&str> = r.hadoop_conf.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(hadoop, ["fs.s3a.endpoint", "fs.s3a.access.key", "fs.s3a.secret.key"]);
    assert_eq!(pos(&s, r.hadoop_conf[2].value_at), "25:24");
    assert_eq!(
        env(r, "AWS_SECRET_ACCESS_KEY").value,
        EnvValue::SecretRef { name: "s3-credentials".into(), key: "secret-key".into() }
    );
    let id = env(r, "AWS_ACCESS_KEY_ID");
    assert_eq!(id.container, "executor");
    assert!(matches!(&id.value, EnvValue::Literal(v) if pos(&s, v.at) == "38:26"));
    let values = mark_secrets(&m, &mut s);
    assert_eq!(values.len(), 3, "two hadoopConf credentials and one literal env");
    assert!(!s.get(m.file).redacted_text().contains("minio-secret-value"));
}

#[test]
fn scheduled_application_reads_its_template() {
    let (s, m) = read_fixture("scheduled-sparkapplication.yaml");
    let r = &m.resources[0];
    assert_eq!(r.kind, Kind::ScheduledSparkApplication);
    assert_eq!(r.image.as_ref().unwrap().value, "apache/spark:3.5.3-python3");
    assert_eq!(r.hadoop_conf[0].key, "fs.s3a.aws.credentials.provider");
    assert_eq!(pos(&s, r.hadoop_conf[0].key_at), "14:7");
}

#[test]
fn invalid_yaml_is_an_error_with_a_position_and_other_kinds_are_skipped() {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("m.yaml", "m.yaml", "kind: FlinkDeployment\nspec: [a\n"));
    let e = read(&sources, file).unwrap_err();
    assert!(e.message.starts_with("invalid YAML"), "{e}");
    assert!(e.position.is_some());
    let file = sources.add(SourceFile::new("d.yaml", "d.yaml", "kind: Deployment\nspec: {}\n"));
    assert!(read(&sources, file).unwrap().resources.is_empty());
    assert!(!declares_operator_kind("kind: Deployment\n"));
    // The operator's CustomResourceDefinition names the kind indented, under `spec.names`: it is no resource.
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: flink.apache.org\n  names:\n    kind: FlinkDeployment\n    plural: flinkdeployments\n";
    assert!(!declares_operator_kind(crd));
}

#[test]
fn no_prefix_of_any_fixture_panics() {
    let dir = format!("{}/fixtures/readers/k8s", env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    texts.push("kind: SparkApplication\nspec:\n  hadoopConf:\n    fs.s3a.secret.key: \"é\\\"ü\nnext\"\n".into());
    for text in &texts {
        every_prefix(text, |sources, file| {
            if let Ok(m) = read(sources, file) {
                let _ = mark_secrets(&m, sources);
            }
        });
    }
}

/// Runs `read` over every prefix of `text` (cut at character boundaries), then renders the masked text: a
/// reader must never panic on a truncated file.
pub(crate) fn every_prefix(text: &str, read: impl Fn(&mut SourceMap, crate::source::FileId)) {
    for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("f", "f", &text[..end]));
        read(&mut sources, file);
        let _ = sources.get(file).redacted_text();
    }
}

//! Deployments written as code, through the binary: Dockerfiles, operator manifests and compose files found by
//! name and content, each checked as a deployment of its own, its findings at the lines of the file that causes
//! them, and a manifest joined to the Dockerfile that builds its image.

mod common;

use common::*;
use serde_json::Value;

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = s3lint(&all);
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), doc)
}

/// `(rule, file name, line)` of every finding.
fn places(doc: &Value) -> Vec<(String, String, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            let name = file.rsplit('/').next().unwrap_or("").to_string();
            (f["rule"].as_str().unwrap().to_string(), name, f["range"]["start"]["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-code-{tag}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_clean_flinkdeployment_and_a_clean_spark_dockerfile_exit_0_with_no_finding() {
    for case in
        ["code-flinkdeployment-1.17-clean", "code-spark-3.5-dockerfile-s3a-clean", "code-sparkapplication-clean"]
    {
        let (code, doc) = json(&[&format!("fixtures/check/{case}")]);
        assert_eq!(code, Some(0), "{case}: {doc}");
        assert_eq!(doc["findings"].as_array().unwrap().len(), 0, "{case}: no finding at any severity: {doc}");
        assert_eq!(doc["deployments"].as_array().unwrap().len(), 1, "{case}: {doc}");
        assert!(doc["deployments"][0]["code"]["kind"].is_string(), "{case}: {doc}");
    }
}

#[test]
fn a_dockerfile_or_manifest_named_on_the_command_line_is_read_as_code() {
    let (code, doc) = json(&["fixtures/check/code-flink-1.17-dockerfile-plugin-in-lib/Dockerfile"]);
    assert_eq!(code, Some(1), "{doc}");
    assert_eq!(places(&doc), vec![("s3-plugin-layout".into(), "Dockerfile".into(), 3)], "{doc}");
    let d = &doc["deployments"][0];
    assert_eq!(d["code"]["kind"], "dockerfile");
    assert_eq!(d["versions"]["flink"], "1.17.1", "the exact tag gives the version: {d}");
    let (code, doc) = json(&["fixtures/check/code-flinkdeployment-no-s3-plugin/deploy/flink.yaml"]);
    assert_eq!(code, Some(1), "{doc}");
    assert_eq!(places(&doc), vec![("fs-s3-impl-missing".into(), "flink.yaml".into(), 11)], "{doc}");
    assert_eq!(doc["deployments"][0]["root"].as_str().unwrap().rsplit('#').next(), Some("FlinkDeployment/sessions"));
}

#[test]
fn a_manifest_runs_the_image_its_repository_builds() {
    // A Makefile builds the job image from docker/Dockerfile (no S3 plugin); the manifest's checkpoints are on s3://.
    let (code, doc) = json(&["fixtures/check/code-flinkdeployment-joined-dockerfile-no-plugin"]);
    assert_eq!(code, Some(1), "{doc}");
    assert_eq!(places(&doc), vec![("fs-s3-impl-missing".into(), "orders-job.yaml".into(), 9)], "{doc}");
    let manifest =
        doc["deployments"].as_array().unwrap().iter().find(|d| d["code"]["kind"] == "flink-deployment").unwrap();
    let built = manifest["code"]["built_from"].as_str().unwrap_or_else(|| panic!("{manifest}"));
    assert!(built.ends_with("docker/Dockerfile"), "{built}");
    // The same manifest with the plugin enabled the documented way is clean: the finding came from the join.
    let dir = scratch("joined");
    copy_tree(&root().join("fixtures/check/code-flinkdeployment-joined-dockerfile-no-plugin"), &dir);
    let path = dir.join("docker/Dockerfile");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}ENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.17.2.jar\n")).unwrap();
    let (code, doc) = json(&[dir.to_str().unwrap()]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn files_an_image_copies_belong_to_it_and_are_reported_once() {
    let (_, doc) = json(&["fixtures/check/code-flink-1.18-dockerfile-copied-conf-typos"]);
    assert_eq!(places(&doc), vec![("unknown-key".into(), "flink-conf.yaml".into(), 4)], "{doc}");
    let roots: Vec<&str> = doc["deployments"].as_array().unwrap().iter().map(|d| d["root"].as_str().unwrap()).collect();
    assert_eq!(roots.len(), 1, "the conf/ folder is not a deployment of its own: {roots:?}");
    // A compose file whose two services share FLINK_PROPERTIES through a merge key: each secret reported once.
    let (_, doc) = json(&["fixtures/check/code-compose-flink-properties-minio"]);
    let secrets: Vec<_> = places(&doc).into_iter().filter(|p| p.0 == "plaintext-credentials").collect();
    assert_eq!(
        secrets,
        vec![
            ("plaintext-credentials".into(), "docker-compose.yml".into(), 7),
            ("plaintext-credentials".into(), "docker-compose.yml".into(), 8)
        ],
        "{doc}"
    );
}

#[test]
fn what_is_not_a_flink_or_spark_deployment_is_left_alone() {
    let dir = scratch("other");
    std::fs::write(dir.join("Dockerfile"), "FROM node:20-alpine\nCOPY . /app\nRUN npm ci\n").unwrap();
    std::fs::write(dir.join("service.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n").unwrap();
    let out = s3lint(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("operator manifest"), "{}", stderr(&out));
    // A Helm template beside a Flink Dockerfile is not read as a manifest (it is not YAML before rendering).
    let (code, doc) = json(&["fixtures/check/code-helm-template-not-yaml"]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_broken_manifest_found_by_walking_is_reported_and_the_rest_checked() {
    let dir = scratch("broken");
    copy_tree(&root().join("fixtures/check/code-flinkdeployment-no-s3-plugin"), &dir);
    std::fs::write(dir.join("bad.yaml"), "kind: FlinkDeployment\nspec:\n  image: [flink\n").unwrap();
    let (code, doc) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{doc}");
    let mut rules: Vec<String> = places(&doc).into_iter().map(|p| format!("{} {}", p.0, p.1)).collect();
    rules.sort();
    assert_eq!(rules, vec!["file-unreadable bad.yaml", "fs-s3-impl-missing flink.yaml"], "{doc}");
    let unreadable = doc["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "file-unreadable").unwrap();
    assert!(unreadable["message"].as_str().unwrap().contains("could not be read as code"), "{unreadable}");
    assert!(unreadable["help"].as_str().unwrap().starts_with("Fix the file"), "{unreadable}");
    // Named on the command line, the same file cannot be checked: exit 2 at its place.
    let out = s3lint(&["check", dir.join("bad.yaml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.yaml:4:1"), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn hostile_code_files_are_clear_errors_within_bounds() {
    let dir = scratch("hostile");
    // Thousands of services: refused with a reason, not read thousands of times.
    let mut compose = String::from("services:\n");
    for i in 0..5000 {
        compose.push_str(&format!("  s{i}:\n    image: flink:1.18.1\n"));
    }
    std::fs::write(dir.join("docker-compose.yml"), &compose).unwrap();
    let out = s3lint(&["check", dir.join("docker-compose.yml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("5000 services"), "{}", stderr(&out));
    // A binary file named Dockerfile beside it, walked: reported, the run goes on.
    std::fs::write(dir.join("Dockerfile"), b"FROM flink:1.18.1\0\x01\x02").unwrap();
    let (code, doc) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{doc}");
    let mut rules: Vec<(String, String)> = places(&doc).into_iter().map(|p| (p.0, p.1)).collect();
    rules.sort();
    assert_eq!(
        rules,
        vec![("file-unreadable".into(), "Dockerfile".into()), ("file-unreadable".into(), "docker-compose.yml".into())],
        "{doc}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Writes `files` under a fresh scratch dir and returns the exit code and findings of checking it.
fn check_files(tag: &str, files: &[(&str, &str)]) -> (Option<i32>, Value) {
    let dir = scratch(tag);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    json(&[dir.to_str().unwrap()])
}

/// The help of the one finding of `rule`.
fn help_of(doc: &Value, rule: &str) -> String {
    let found: Vec<_> = doc["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect();
    assert_eq!(found.len(), 1, "{doc}");
    found[0]["help"].as_str().unwrap().to_string()
}

const ORDERS_JOB: &str = "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nmetadata:\n  name: orders\nspec:\n  image: flink:1.17.2-scala_2.12-java11\n  flinkVersion: v1_17\n  flinkConfiguration:\n    state.checkpoints.dir: s3://orders/checkpoints\n  job:\n    jarURI: local:///opt/flink/usrlib/orders.jar\n";

#[test]
fn a_manifest_without_the_plugin_is_told_to_enable_the_image_s_own_where_it_is_written_and_that_holds() {
    let (code, doc) = check_files("enable-manifest", &[("k8s/orders.yaml", ORDERS_JOB)]);
    assert_eq!(code, Some(1));
    let help = help_of(&doc, "fs-s3-impl-missing");
    assert!(
        help.contains("`ENABLE_BUILT_IN_PLUGINS` = `flink-s3-fs-hadoop-1.17.2.jar` on the `flink-main-container` of `spec.podTemplate`"),
        "{help}"
    );
    // No core-site.xml and no hadoop-aws in the image: `fs.s3.impl` alone would not help, so it is not offered.
    assert!(!help.contains("fs.s3.impl"), "{help}");
    let env = "  podTemplate:\n    spec:\n      containers:\n        - name: flink-main-container\n          env:\n            - name: ENABLE_BUILT_IN_PLUGINS\n              value: flink-s3-fs-hadoop-1.17.2.jar\n";
    let (code, doc) = check_files("enable-manifest-fixed", &[("k8s/orders.yaml", &format!("{ORDERS_JOB}{env}"))]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");

    // Joined to the Dockerfile that builds its image, the help also offers the Dockerfile's ENV.
    let job = ORDERS_JOB.replace("flink:1.17.2-scala_2.12-java11", "registry.example.com/orders:1.0");
    let image = "FROM flink:1.17.2-scala_2.12-java11\nCOPY target/orders.jar /opt/flink/usrlib/orders.jar\n";
    let make = "image:\n\tdocker build -t registry.example.com/orders:1.0 -f docker/Dockerfile .\n";
    let files = [("k8s/orders.yaml", job.as_str()), ("docker/Dockerfile", image), ("Makefile", make)];
    let (_, doc) = check_files("enable-joined", &files);
    let help = help_of(&doc, "fs-s3-impl-missing");
    assert!(help.contains("or `ENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.17.2.jar` in "), "{help}");
    let enabled = format!("{image}ENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.17.2.jar\n");
    let files = [("k8s/orders.yaml", job.as_str()), ("docker/Dockerfile", enabled.as_str()), ("Makefile", make)];
    let (code, doc) = check_files("enable-joined-fixed", &files);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
}

#[test]
fn a_dockerfile_or_compose_service_without_the_plugin_gets_advice_that_holds_as_printed() {
    let file = "FROM flink:1.17.2-scala_2.12-java11\nENV FLINK_PROPERTIES=\"state.checkpoints.dir: s3://orders/checkpoints\"\n";
    let (_, doc) = check_files("enable-dockerfile", &[("Dockerfile", file)]);
    let help = help_of(&doc, "fs-s3-impl-missing");
    let copy = "RUN mkdir -p /opt/flink/plugins/s3-fs-hadoop && cp /opt/flink/opt/flink-s3-fs-hadoop-1.17.2.jar /opt/flink/plugins/s3-fs-hadoop/";
    let env = "ENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.17.2.jar";
    assert!(help.contains(&format!("`{copy}`")) && help.contains(&format!("`{env}`")), "{help}");
    for (tag, line) in [("copy", copy), ("env", env)] {
        let (code, doc) =
            check_files(&format!("enable-dockerfile-{tag}"), &[("Dockerfile", &format!("{file}{line}\n"))]);
        assert_eq!((code, places(&doc)), (Some(0), vec![]), "{tag}: {doc}");
    }
    // With hadoop-aws put into lib/, mapping s3:// to S3A is another way, and it is offered too.
    let aws = "RUN wget -P /opt/flink/lib https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar\n";
    let (_, doc) = check_files("enable-dockerfile-aws", &[("Dockerfile", &format!("{file}{aws}"))]);
    let help = help_of(&doc, "fs-s3-impl-missing");
    assert!(help.contains(env) && help.contains("`fs.s3.impl`"), "{help}");

    let service = "services:\n  jobmanager:\n    image: flink:1.18.1-scala_2.12\n    command: jobmanager\n    environment:\n      FLINK_PROPERTIES: |\n        state.checkpoints.dir: s3://ck/flink\n";
    let (_, doc) = check_files("enable-compose", &[("docker-compose.yml", service)]);
    let help = help_of(&doc, "fs-s3-impl-missing");
    assert!(
        help.contains("`ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.18.1.jar` in the service's `environment`"),
        "{help}"
    );
    let enabled = service.replace(
        "    environment:\n",
        "    environment:\n      ENABLE_BUILT_IN_PLUGINS: flink-s3-fs-hadoop-1.18.1.jar\n",
    );
    let (code, doc) = check_files("enable-compose-fixed", &[("docker-compose.yml", &enabled)]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
}

#[test]
fn the_plugin_copied_into_lib_of_an_image_is_told_to_be_enabled_instead_and_that_holds() {
    let case = root().join("fixtures/check/code-flink-1.17-dockerfile-plugin-in-lib/Dockerfile");
    let text = std::fs::read_to_string(case).unwrap();
    let (_, doc) = check_files("lib-dockerfile", &[("Dockerfile", &text)]);
    let help = help_of(&doc, "s3-plugin-layout");
    let env = "ENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.17.1.jar";
    assert!(
        help.starts_with("Instead of putting it into lib/, enable") && help.contains(&format!("`{env}`")),
        "{help}"
    );
    let fixed = text.replace("RUN cp ./opt/flink-s3-fs-hadoop-*.jar ./lib/", env);
    let (code, doc) = check_files("lib-dockerfile-fixed", &[("Dockerfile", &fixed)]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
    // A downloaded plugin (not the image's own, which `mv` took out of opt/) is moved by a RUN after the line.
    let moved = text.replace("RUN cp ./opt/", "RUN mv ./opt/");
    let (_, doc) = check_files("lib-dockerfile-mv", &[("Dockerfile", &moved)]);
    let help = help_of(&doc, "s3-plugin-layout");
    let run = "RUN mkdir -p /opt/flink/plugins/s3-fs-hadoop && mv /opt/flink/lib/flink-s3-fs-hadoop-1.17.1.jar /opt/flink/plugins/s3-fs-hadoop/";
    assert!(help.contains(&format!("`{run}`")), "{help}");
    let (code, doc) = check_files("lib-dockerfile-mv-fixed", &[("Dockerfile", &format!("{moved}{run}\n"))]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
}

#[test]
fn a_session_job_runs_with_its_session_cluster_of_another_manifest_and_the_advice_for_it_holds() {
    let case = root().join("fixtures/check/code-flink-session-job-cluster-elsewhere-no-plugin/k8s");
    let cluster = std::fs::read_to_string(case.join("session-cluster.yaml")).unwrap();
    let job = std::fs::read_to_string(case.join("clicks-job.yaml")).unwrap();
    // An unrelated manifest beside them is not read into the job's deployment.
    let other = ORDERS_JOB.replace("name: orders", "name: orders-app");
    let files = [
        ("k8s/session-cluster.yaml", cluster.as_str()),
        ("k8s/clicks-job.yaml", job.as_str()),
        ("k8s/orders.yaml", other.as_str()),
    ];
    let (code, doc) = check_files("session-job", &files);
    assert_eq!(code, Some(1));
    let found = places(&doc);
    assert!(found.contains(&("fs-s3-impl-missing".into(), "clicks-job.yaml".into(), 13)), "{found:?}");
    let job_deployment =
        doc["deployments"].as_array().unwrap().iter().find(|d| d["code"]["kind"] == "flink-session-job").unwrap();
    assert_eq!(
        job_deployment["versions"]["flink"], "1.18.1",
        "the cluster's image gives the release: {job_deployment}"
    );
    assert_eq!(job_deployment["code"]["image"], "flink:1.18.1-scala_2.12-java11", "{job_deployment}");
    assert_eq!(job_deployment["summary"]["files"], 2, "the job's manifest and its cluster's: {job_deployment}");
    let help = doc["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "fs-s3-impl-missing").unwrap()["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        help.contains("of `spec.podTemplate` of FlinkDeployment `analytics-session` (the session cluster)"),
        "{help}"
    );
    // A job of another namespace is not run by that cluster: nothing of it is joined.
    let elsewhere = job.replace("namespace: flink", "namespace: analytics");
    let files = [("k8s/session-cluster.yaml", cluster.as_str()), ("k8s/clicks-job.yaml", elsewhere.as_str())];
    let (_, doc) = check_files("session-job-other-namespace", &files);
    let job_deployment =
        doc["deployments"].as_array().unwrap().iter().find(|d| d["code"]["kind"] == "flink-session-job").unwrap();
    assert_eq!(job_deployment["code"]["image"], Value::Null, "{job_deployment}");
    assert_eq!(job_deployment["summary"]["files"], 1, "{job_deployment}");
    // The plugin enabled on the cluster's pods, as the help says: the job is clean.
    let env = "  podTemplate:\n    spec:\n      containers:\n        - name: flink-main-container\n          env:\n            - name: ENABLE_BUILT_IN_PLUGINS\n              value: flink-s3-fs-hadoop-1.18.1.jar\n";
    let enabled = format!("{cluster}{env}");
    let files = [("k8s/session-cluster.yaml", enabled.as_str()), ("k8s/clicks-job.yaml", job.as_str())];
    let (code, doc) = check_files("session-job-fixed", &files);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
}

#[test]
fn a_shaded_hadoop_uber_jar_beside_hadoop_3_jars_is_a_second_hadoop_told_to_go() {
    let m2 = "https://repo1.maven.org/maven2";
    let file = format!(
        "FROM flink:1.20.2-java11\nRUN wget -P /opt/flink/lib {m2}/org/apache/hadoop/hadoop-common/3.3.4/hadoop-common-3.3.4.jar \\\n    {m2}/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar \\\n    {m2}/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar \\\n    {m2}/org/apache/flink/flink-shaded-hadoop-2-uber/2.8.3-10.0/flink-shaded-hadoop-2-uber-2.8.3-10.0.jar\n"
    );
    let (code, doc) = check_files("uber-beside-hadoop3", &[("Dockerfile", &file)]);
    assert_eq!(code, Some(1));
    let found: Vec<&Value> =
        doc["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "jar-version-mismatch").collect();
    assert_eq!(found.len(), 1, "{doc}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("hadoop-common 2.8.3 (inside `flink-shaded-hadoop-2-uber-2.8.3-10.0.jar`)"),
        "{message}"
    );
    assert!(found[0]["help"].as_str().unwrap().starts_with("Remove `flink-shaded-hadoop-2-uber-2.8.3-10.0.jar`"));
    // As the help says: without the uber jar, one Hadoop.
    let fixed = file.replace(" \\\n    https://repo1.maven.org/maven2/org/apache/flink/flink-shaded-hadoop-2-uber/2.8.3-10.0/flink-shaded-hadoop-2-uber-2.8.3-10.0.jar", "");
    assert_ne!(fixed, file);
    let (code, doc) = check_files("uber-removed", &[("Dockerfile", &fixed)]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
}

#[test]
fn a_compose_build_arg_sets_the_dockerfile_arg_the_image_tag_is_made_of() {
    let dockerfile = "ARG FLINK_VERSION\nFROM flink:${FLINK_VERSION}-scala_2.12-java11\nARG FLINK_VERSION\n";
    for args in ["      args:\n        - FLINK_VERSION=1.17.1\n", "      args:\n        FLINK_VERSION: \"1.17.1\"\n"] {
        let compose = format!(
            "services:\n  jobmanager:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n{args}    command: jobmanager\n    environment:\n      - ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.17.0.jar\n"
        );
        let (code, doc) =
            check_files("compose-build-args", &[("docker-compose.yml", &compose), ("docker/Dockerfile", dockerfile)]);
        assert_eq!(code, Some(1), "{doc}");
        let service =
            doc["deployments"].as_array().unwrap().iter().find(|d| d["code"]["kind"] == "compose-service").unwrap();
        assert_eq!(service["versions"]["flink"], "1.17.1", "{args}: {service}");
        let found = places(&doc);
        assert!(
            found.contains(&("enabled-plugin-missing".into(), "docker-compose.yml".into(), 10)),
            "{args}: {found:?}"
        );
    }
}

#[test]
fn a_build_tool_wrapper_jar_or_cache_beside_a_dockerfile_is_no_classpath() {
    let dir = scratch("wrapper-jars");
    let file = "FROM flink:1.17.2-scala_2.12-java11\nCOPY build/libs/job.jar /opt/flink/usrlib/job.jar\n";
    std::fs::write(dir.join("Dockerfile"), file).unwrap();
    for folder in ["gradle/wrapper", ".mvn/wrapper", ".gradle/caches/jars-9", ".m2/repository/org/x/1.0"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        // Not even a zip: were it read, it would be a jar-unreadable finding.
        std::fs::write(dir.join(folder).join("wrapper.jar"), b"not a zip").unwrap();
    }
    let (code, doc) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{doc}");
    let roots: Vec<&str> = doc["deployments"].as_array().unwrap().iter().map(|d| d["root"].as_str().unwrap()).collect();
    assert_eq!(roots.len(), 1, "only the Dockerfile: {roots:?}");
}

#[test]
fn a_repository_whose_dockerfiles_build_no_flink_or_spark_image_is_told_so() {
    let dir = scratch("no-flink-image");
    std::fs::write(dir.join("Dockerfile"), "FROM eclipse-temurin:17-jre-jammy\nRUN echo building flink itself\n")
        .unwrap();
    let (code, doc) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    let message = doc["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("the 1 Dockerfile(s), operator manifest(s) or compose file(s) found here build or run no Flink or Spark image"),
        "{doc}"
    );
}

#[test]
fn a_credential_written_in_compose_build_args_is_reported_and_never_shown() {
    let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
    let dockerfile = "ARG FLINK_VERSION\nFROM flink:${FLINK_VERSION}-scala_2.12-java11\nARG AWS_SECRET_ACCESS_KEY\n";
    let compose = format!(
        "services:\n  jobmanager:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n      args:\n        - FLINK_VERSION=1.18.1\n        - AWS_SECRET_ACCESS_KEY={secret}\n        - AWS_ACCESS_KEY_ID\n    command: jobmanager\n"
    );
    let files = [("docker-compose.yml", compose.as_str()), ("docker/Dockerfile", dockerfile)];
    let (code, doc) = check_files("compose-build-secret", &files);
    assert_eq!(code, Some(1));
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "plaintext-credentials" && f["file"].as_str().unwrap().ends_with("docker-compose.yml"))
        .collect();
    assert_eq!(found.len(), 1, "the literal one, not the one taken from the shell: {doc}");
    assert_eq!(found[0]["range"]["start"]["line"], 8);
    assert!(
        found[0]["message"].as_str().unwrap().starts_with("build argument `AWS_SECRET_ACCESS_KEY` of `jobmanager`")
    );
    assert!(!doc.to_string().contains("FEMIK7"), "{doc}");
}

#[test]
fn a_flink_image_before_plugins_is_told_to_put_the_filesystem_into_lib_and_that_holds() {
    let file = "FROM flink:1.8.3-scala_2.12\nENV FLINK_PROPERTIES=\"state.checkpoints.dir: s3://b/ck\"\n";
    let (_, doc) = check_files("flink-1.8-image", &[("Dockerfile", file)]);
    let help = help_of(&doc, "fs-s3-impl-missing");
    let copy = "RUN cp /opt/flink/opt/flink-s3-fs-hadoop-1.8.3.jar /opt/flink/lib/";
    assert!(help.contains(&format!("`{copy}`")) && !help.contains("plugins/"), "{help}");
    let (code, doc) = check_files("flink-1.8-image-fixed", &[("Dockerfile", &format!("{file}{copy}\n"))]);
    assert_eq!((code, places(&doc)), (Some(0), vec![]), "{doc}");
}

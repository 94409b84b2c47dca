use super::{credential_kind, key_as_written};
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::code::CodeKind;
use crate::lint::facts::locate;
use crate::lint::{Finding, Rule, RuleMeta};
use crate::redact::{AWS_KEY_ID, SecretName, URI_USERINFO, classify, redact_value};

declare_rule! {
    /// ## What it catches
    /// AWS credentials written into a configuration file in any spelling: Flink's `s3.access-key` /
    /// `s3.secret-key` (and `s3.access.key` / `s3.secret.key`, `s3a.*`, `fs.s3a.*` in flink-conf.yaml),
    /// Hadoop's `fs.s3a.access.key` / `fs.s3a.secret.key` / `fs.s3a.session.token`, their per-bucket forms
    /// `fs.s3a.bucket.NAME.*`, Hadoop 2's `fs.s3.awsAccessKeyId` / `fs.s3.awsSecretAccessKey` and `fs.s3n.*`,
    /// Presto's `presto.s3.*-key`; any value that looks like an AWS access key id (`AKIA…`, `ASIA…`) under any
    /// key; and credentials inside a URI (`s3a://KEY:SECRET@bucket`). In a Kubernetes manifest or docker-compose
    /// file also a container's environment variable named as an AWS, S3 or MinIO credential
    /// (`AWS_SECRET_ACCESS_KEY`, `AWS_ACCESS_KEY_ID`, `AWS_SESSION_TOKEN`, `S3_SECRET_KEY`, `MINIO_ROOT_PASSWORD`, and
    /// near misses such as `AWS_SECRET_ACESS_KEY`) whose value is written in the file — not one taken from a Secret
    /// (`valueFrom.secretKeyRef`, `envFrom`, the Spark Operator's `envSecretKeyRefs`), from the shell running compose
    /// (`- NAME`, `${NAME}`), or empty. (A Dockerfile `ENV` is `secret-build-arg`.)
    ///
    /// ## Why it matters
    /// Configuration files are copied into images, ConfigMaps, CI logs and support tickets. A long-term key in
    /// one of them is a standing leak; Flink also prints `s3.access-key` in clear in its logs. Values written as
    /// `${env.NAME}` are not reported: Hadoop takes them from the environment.
    ///
    /// ## How to fix
    /// Remove the key. On AWS use an IAM role (EC2 instance profile, EKS IRSA or Pod Identity, EMR role): S3A and
    /// both Flink S3 plugins pick it up through the default credential chain. Elsewhere keep credentials out of
    /// the file: a Hadoop credential provider (`hadoop credential create fs.s3a.secret.key -provider
    /// jceks://…` and `hadoop.security.credential.provider.path`), or the `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` environment variables. In a manifest take them from a Secret (`valueFrom.secretKeyRef`);
    /// in compose list the name only (`environment: - AWS_SECRET_ACCESS_KEY`) or use an `env_file:` kept out of the
    /// repository. Rotate any key that was committed.
    pub PlaintextCredentials => "plaintext-credentials", Warning, "AWS access/secret keys written in a configuration file"
}

impl Rule for PlaintextCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for s in d.all_settings() {
            let raw = &s.entry.raw;
            if raw.trim().is_empty() {
                continue;
            }
            if let Some(kind) = credential_kind(s.key) {
                if raw.contains("${") {
                    continue;
                }
                out.push(
                    Self::META
                        .finding(
                            s.entry.value_at,
                            format!(
                                "{} holds a plaintext {} (`{}`)",
                                key_as_written(&s),
                                kind.what,
                                redact_value(s.entry.value.trim())
                            ),
                            help_for(&s),
                        )
                        .with_key(s.entry.key.clone()),
                );
                continue;
            }
            if let Some(m) = AWS_KEY_ID.find(raw) {
                out.push(
                    Self::META
                        .finding(
                            locate(d, s, m.as_str()),
                            format!(
                                "the value of `{}` contains an AWS access key id (`{}`)",
                                s.entry.key,
                                redact_value(m.as_str())
                            ),
                            help_for(&s),
                        )
                        .with_key(s.entry.key.clone()),
                );
            } else if let Some(c) = URI_USERINFO.captures(raw) {
                let user = c.get(2).map(|m| m.as_str()).unwrap_or("");
                out.push(
                    Self::META
                        .finding(
                            locate(d, s, user),
                            format!("the value of `{}` has credentials inside a URI (`{}://{}:…@`); S3A rejects such URIs and they end up in logs", s.entry.key, &c[1], redact_value(user)),
                            help_for(&s),
                        )
                        .with_key(s.entry.key.clone()),
                );
            }
        }
        environment(d, out);
    }
}

/// The help for a credential in a compose service's `build.args`.
const COMPOSE_BUILD_HELP: &str = "Take it out of `build.args` and of the Dockerfile's `ARG`s: a build step that needs it reads a build secret \
(compose `build.secrets` with `RUN --mount=type=secret,…`), and the running container gets credentials from an IAM role or from \
`environment: - AWS_SECRET_ACCESS_KEY` taken from the shell. Rotate a key that was ever committed.";

const HELP: &str = "Remove it and let the AWS default credential chain find an IAM role (instance profile, EKS IRSA/Pod Identity); \
otherwise store it in a Hadoop credential provider (`hadoop credential create … -provider jceks://…` with `hadoop.security.credential.provider.path`) \
or pass AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment. Rotate a key that was ever committed.";

/// The help for Spark's `spark-defaults.conf`: the provider path is a Hadoop key, so it takes Spark's prefix.
const SPARK_HELP: &str = "Remove it and let the AWS default credential chain find an IAM role (instance profile, EKS IRSA/Pod Identity); \
otherwise store it in a Hadoop credential provider (`hadoop credential create … -provider jceks://…` with `spark.hadoop.hadoop.security.credential.provider.path`) \
or pass AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment of the driver and executors (Spark sets the S3A keys from them). Rotate a key that was ever committed.";

fn help_for(s: &crate::deployment::Setting<'_>) -> &'static str {
    if s.config.kind.is_spark() { SPARK_HELP } else { HELP }
}

/// Literal credentials in the environment a manifest or compose file gives a container (not a Dockerfile's
/// `ENV`, which is `secret-build-arg`'s): a credential-named variable with a value written in the file, or any
/// variable whose value holds an AWS access key id.
fn environment(d: &Deployment, out: &mut Vec<Finding>) {
    let Some(code) = &d.code else { return };
    let image_file = code.image.as_ref().map(|i| i.file);
    for e in &code.env {
        let Some(v) = &e.literal else { continue };
        if e.container == "image" || Some(e.name.at.file) == image_file || !written_literally(&v.value) {
            continue;
        }
        let name = &e.name.value;
        let what = match (aws_credential(name), AWS_KEY_ID.find(&v.value)) {
            (Some(what), _) => format!("holds a plaintext {what} (`{}`)", redact_value(v.value.trim())),
            (None, Some(m)) => format!("holds an AWS access key id (`{}`)", redact_value(m.as_str())),
            (None, None) => continue,
        };
        let help = if code.kind == CodeKind::ComposeService {
            COMPOSE_HELP
        } else if e.container.starts_with("ConfigMap") {
            CONFIG_MAP_HELP
        } else {
            KUBERNETES_HELP
        };
        // A compose service's `build.args`: passed to the build as `--build-arg`, kept in the image's history.
        let (message, help) = match e.container.strip_suffix(" build.args") {
            Some(service) => (
                format!("build argument `{name}` of `{service}` {what}, and the image keeps it (`docker history`)"),
                COMPOSE_BUILD_HELP,
            ),
            None => (format!("environment variable `{name}` of `{}` {what}", e.container), help),
        };
        out.push(PlaintextCredentials::META.finding(v.at, message, help).with_key(name.clone()));
    }
}

/// What an AWS (or S3-compatible store's) credential variable holds, by the name judgement the secret pass uses
/// ([`classify`]), for names of AWS, S3 or MinIO (`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
/// `S3_SECRET_KEY`, `MINIO_ROOT_PASSWORD`, near misses such as `AWS_SECRET_ACESS_KEY`).
fn aws_credential(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let aws = words.iter().any(|w| matches!(*w, "aws" | "s3" | "minio")) || lower.starts_with("aws");
    if !aws {
        return None;
    }
    match classify(name)? {
        SecretName::KeyId => Some("access key id"),
        SecretName::Secret if lower.contains("token") => Some("session token"),
        SecretName::Secret if lower.contains("pass") => Some("password"),
        SecretName::Secret => Some("secret access key"),
        SecretName::Authorization => None,
    }
}

/// False for a value the container gets from elsewhere: compose's `${VAR}` / `$VAR` interpolation from the
/// shell, or nothing.
fn written_literally(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !v.starts_with('$') && !v.contains("${")
}

const KUBERNETES_HELP: &str = "Prefer an IAM role for the pod's service account (EKS IRSA or Pod Identity): the AWS default credential chain finds it. \
Otherwise take the value from a Kubernetes Secret: in the container's `env`, `valueFrom.secretKeyRef` with the Secret's `name` and `key` instead of `value` \
(the Spark Operator also reads `envSecretKeyRefs`), or the whole Secret through `envFrom[].secretRef`. Rotate a key that was ever committed.";

const CONFIG_MAP_HELP: &str = "A ConfigMap is not a secret store: anyone who may read the namespace's configuration reads it. \
Prefer an IAM role for the pod's service account (EKS IRSA or Pod Identity); otherwise move the value into a Kubernetes Secret \
and give it to the containers with `envFrom[].secretRef` (or `valueFrom.secretKeyRef`). Rotate a key that was ever committed.";

const COMPOSE_HELP: &str = "Do not write the value in the compose file: list the name only (`environment: - AWS_SECRET_ACCESS_KEY`, taken from the shell that runs docker compose), \
or use an `env_file:` kept out of the repository; on AWS prefer an IAM role. Rotate a key that was ever committed.";

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{all_text, at, compose, dockerfile, findings, fixture, manifest};

    fn env_findings(d: &crate::deployment::Deployment) -> Vec<crate::lint::Finding> {
        findings(d, "plaintext-credentials")
            .into_iter()
            .filter(|f| f.message.starts_with("environment variable"))
            .collect()
    }

    #[test]
    fn a_literal_secret_in_a_pod_template_is_reported_at_its_value_never_shown() {
        let ds = manifest(&fixture("k8s/flinkdeployment-plaintext.yaml"), None);
        let found = env_findings(&ds[0]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(at(&ds[0], f).0, "27:24");
        assert_eq!(f.key.as_deref(), Some("AWS_SECRET_ACCESS_KEY"));
        assert!(
            f.message.contains(
                "of `taskManager.podTemplate/flink-main-container` holds a plaintext secret access key (`wJal…`)"
            ),
            "{}",
            f.message
        );
        assert!(!all_text(f).contains("wJalrXUtnFEMI/K7MDENG"), "{f:?}");
        assert!(f.help.contains("`valueFrom.secretKeyRef` with the Secret's `name` and `key`"), "{}", f.help);
        // The flinkConfiguration keys are reported as before.
        assert!(findings(&ds[0], "plaintext-credentials").iter().any(|f| f.key.as_deref() == Some("s3.secret-key")));
    }

    #[test]
    fn secret_refs_and_other_variables_are_not_reported() {
        for d in manifest(&fixture("k8s/flinkdeployment-clean.yaml"), None) {
            assert!(findings(&d, "plaintext-credentials").is_empty());
        }
        let ds = manifest(&fixture("k8s/sparkapplication.yaml"), None);
        let found = env_findings(&ds[0]);
        // envVars AWS_ACCESS_KEY_ID: AKIA… is literal; envSecretKeyRefs and AWS_REGION are not credentials in text.
        let names: Vec<(&str, String)> =
            found.iter().map(|f| (f.key.as_deref().unwrap_or(""), at(&ds[0], f).0)).collect();
        assert_eq!(names, [("AWS_ACCESS_KEY_ID", "38:26".to_string())]);
        assert!(found[0].message.contains("holds a plaintext access key id (`AKIA"), "{}", found[0].message);
    }

    #[test]
    fn compose_literals_are_reported_but_not_names_taken_from_the_shell() {
        let text = "services:\n  jm:\n    image: flink:1.18.1\n    environment:\n      - AWS_SECRET_ACCESS_KEY\n      - AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\n      - AWS_SESSION_TOKEN=\n      - AWS_SECRET_ACESS_KEY=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo\n  minio:\n    image: minio/minio\n    environment:\n      MINIO_ROOT_PASSWORD: minio-secret-1234\n      GITHUB_TOKEN: ghp_notans3credential000000000000\n";
        let ds = compose(text);
        let jm = env_findings(&ds[0]);
        assert_eq!(jm.len(), 1, "{jm:#?}");
        assert_eq!(
            jm[0].key.as_deref(),
            Some("AWS_SECRET_ACESS_KEY"),
            "a near miss is judged as the secret pass judges it"
        );
        assert_eq!(at(&ds[0], &jm[0]).0, "8:30");
        assert!(jm[0].help.contains("environment: - AWS_SECRET_ACCESS_KEY"), "{}", jm[0].help);
        assert!(!all_text(&jm[0]).contains("Zm9vYmFyYmF6"));
        // The MinIO service is the store, not a Flink or Spark deployment: s3lint does not check it.
        assert_eq!(ds.len(), 1, "only the Flink service is a deployment");
    }

    #[test]
    fn a_config_map_credential_is_told_to_move_into_a_secret() {
        let mut d = manifest(&fixture("k8s/flinkdeployment-clean.yaml"), None).remove(0);
        // What discovery adds for a ConfigMap of the same file that `envFrom.configMapRef` names.
        let text = &d.sources.get(d.code.as_ref().unwrap().file).text;
        let start = text.find("orders-aggregator").unwrap();
        let at = crate::source::Location::new(
            d.code.as_ref().unwrap().file,
            crate::source::Span::new(start, start + "orders-aggregator".len()),
        );
        let located = |value: &str| crate::deployment::manifest::Located { value: value.into(), at };
        d.code.as_mut().unwrap().env.push(crate::deployment::code::CodeEnv {
            container: "ConfigMap flink-s3-env".into(),
            name: located("AWS_SECRET_ACCESS_KEY"),
            literal: Some(located("orders-aggregator")),
        });
        let found = env_findings(&d);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("of `ConfigMap flink-s3-env`"), "{}", found[0].message);
        assert!(found[0].help.starts_with("A ConfigMap is not a secret store"), "{}", found[0].help);
        assert!(
            found[0].help.contains("with `envFrom[].secretRef` (or `valueFrom.secretKeyRef`)"),
            "{}",
            found[0].help
        );
    }

    #[test]
    fn a_dockerfile_env_is_left_to_secret_build_arg() {
        let d = dockerfile(&fixture("dockerfile/secret-build-args.Dockerfile"));
        assert!(env_findings(&d).is_empty());
        assert!(!findings(&d, "secret-build-arg").is_empty());
    }
}

//! Kubernetes manifest reader: the Flink Kubernetes Operator's `FlinkDeployment` and `FlinkSessionJob`
//! (`flink.apache.org/v1beta1`) and the Spark Operator's `SparkApplication` and `ScheduledSparkApplication`
//! (`sparkoperator.k8s.io/v1beta2`), in multi-document YAML, every key and value with its span.
//!
//! What is read: `spec.image`, `spec.flinkVersion` / `spec.sparkVersion`; `spec.flinkConfiguration` (nested maps
//! flattened with `.`) as Flink configuration; `spec.sparkConf` as Spark configuration and `spec.hadoopConf` as
//! Hadoop keys (the operator passes them as `spark.hadoop.<key>`); `spec.deps.jars`, `packages`, `repositories`;
//! the job jar; and the environment of every container: Flink's `spec.podTemplate`,
//! `spec.jobManager.podTemplate`, `spec.taskManager.podTemplate` (`containers`, `initContainers`: `env`,
//! `envFrom`), Spark's `spec.driver` / `spec.executor` (`env`, `envVars`, `envSecretKeyRefs`, `envFrom`). A
//! `ScheduledSparkApplication`'s `spec.template` is read as the application's spec. Other kinds are skipped.

pub mod compose;
pub mod yaml;

#[cfg(test)]
pub(crate) mod tests;

use super::config::Entry;
use crate::source::{FileId, LoadError, Location, SourceMap, Span};
use yaml::{Node, Scalar};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `FlinkDeployment`.
    FlinkDeployment,
    /// `FlinkSessionJob`.
    FlinkSessionJob,
    /// `SparkApplication`.
    SparkApplication,
    /// `ScheduledSparkApplication` (its `spec.template` is the application).
    ScheduledSparkApplication,
}

/// A value with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The value.
    pub value: String,
    /// Where it is written.
    pub at: Location,
}

/// Where an environment variable's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// Written in the manifest (`value:` / `envVars`): a credential here is in plain text.
    Literal(Located),
    /// `valueFrom.secretKeyRef` / `envSecretKeyRefs`: the Secret's name and key.
    SecretRef {
        /// The Secret.
        name: String,
        /// The key in it.
        key: String,
    },
    /// `valueFrom.configMapKeyRef`, `fieldRef` or `resourceFieldRef`: not a secret store.
    OtherRef(String),
    /// No value.
    Empty,
}

/// One environment variable of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The container (`jobManager.podTemplate/flink-main-container`, `driver`).
    pub container: String,
    /// The variable's name.
    pub name: Located,
    /// Its value.
    pub value: EnvValue,
}

/// One resource of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Its kind.
    pub kind: Kind,
    /// Where `kind:` is written.
    pub kind_at: Location,
    /// `metadata.name`.
    pub name: Option<Located>,
    /// `spec.image`.
    pub image: Option<Located>,
    /// `metadata.namespace`, when written (else the namespace `kubectl apply` is given).
    pub namespace: Option<String>,
    /// `spec.deploymentName` of a `FlinkSessionJob`: the session cluster's `FlinkDeployment`.
    pub deployment_name: Option<Located>,
    /// `spec.flinkVersion` (`v1_17`) or `spec.sparkVersion` (`3.5.3`).
    pub version: Option<Located>,
    /// Flink configuration (`spec.flinkConfiguration`) or Spark configuration (`spec.sparkConf`).
    pub config: Vec<Entry>,
    /// `spec.hadoopConf` (Spark): Hadoop keys.
    pub hadoop_conf: Vec<Entry>,
    /// `spec.deps.jars`.
    pub jars: Vec<Located>,
    /// `spec.deps.packages` (Maven coordinates `group:artifact:version`).
    pub packages: Vec<Located>,
    /// `spec.deps.repositories`.
    pub repositories: Vec<Located>,
    /// `spec.job.jarURI` (Flink) or `spec.mainApplicationFile` (Spark).
    pub job_jar: Option<Located>,
    /// Every container's environment.
    pub env: Vec<EnvVar>,
    /// `envFrom` sources: `(container, "secretRef"|"configMapRef", name)`.
    pub env_from: Vec<(String, &'static str, Located)>,
}

/// A `ConfigMap` of the same file: its `data` entries, each name and value with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigMap {
    /// `metadata.name`.
    pub name: Option<Located>,
    /// `data` (and `stringData`-like plain entries): key and value.
    pub data: Vec<(Located, Located)>,
}

/// A manifest file: the resources of interest in it, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The file.
    pub file: FileId,
    /// The resources.
    pub resources: Vec<Resource>,
    /// The ConfigMaps beside them (what `envFrom.configMapRef` or a mounted volume gives a container).
    pub config_maps: Vec<ConfigMap>,
}

/// Reads a manifest already added to `sources`.
pub fn read(sources: &SourceMap, file: FileId) -> Result<Manifest, LoadError> {
    let source = sources.get(file);
    let docs = yaml::parse(&source.text)
        .map_err(|(at, message)| LoadError::at(source, at, format!("invalid YAML: {message}")))?;
    let mut resources = Vec::new();
    let mut config_maps = Vec::new();
    for doc in docs {
        let Some(root) = doc.root else { continue };
        if let Some(r) = resource(file, &root) {
            resources.push(r);
        } else if root.get("kind").and_then(Node::scalar).is_some_and(|k| k.value == "ConfigMap") {
            let data = root.get("data").map_or(&[][..], Node::entries);
            config_maps.push(ConfigMap {
                name: root.at(&["metadata", "name"]).and_then(Node::scalar).map(|s| located(file, s)),
                data: data.iter().filter_map(|(k, v)| Some((located(file, k), located(file, v.scalar()?)))).collect(),
            });
        }
    }
    Ok(Manifest { file, resources, config_maps })
}

/// True when a YAML text declares one of the kinds this reader reads (for discovery by content).
pub fn declares_operator_kind(text: &str) -> bool {
    // At the start of a line: a document's own `kind:`, not the `names.kind` of the CustomResourceDefinition that
    // declares the type (the operators' CRDs name `FlinkDeployment` and `SparkApplication` indented).
    text.lines().any(|l| l.strip_prefix("kind:").is_some_and(|k| kind(k.trim().trim_matches(['"', '\''])).is_some()))
}

fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "FlinkDeployment" => Kind::FlinkDeployment,
        "FlinkSessionJob" => Kind::FlinkSessionJob,
        "SparkApplication" => Kind::SparkApplication,
        "ScheduledSparkApplication" => Kind::ScheduledSparkApplication,
        _ => return None,
    })
}

fn located(file: FileId, s: &Scalar) -> Located {
    Located { value: s.value.clone(), at: Location::new(file, s.at) }
}

fn resource(file: FileId, root: &Node) -> Option<Resource> {
    let kind_scalar = root.get("kind")?.scalar()?;
    let kind = kind(&kind_scalar.value)?;
    let loc = |s: &Scalar| located(file, s);
    let mut spec = root.get("spec");
    if kind == Kind::ScheduledSparkApplication {
        spec = spec.and_then(|s| s.get("template"));
    }
    let empty = Node::Map(Vec::new(), Span::default());
    let spec = spec.unwrap_or(&empty);
    let text = |path: &[&str]| spec.at(path).and_then(Node::scalar).map(loc);
    let list = |path: &[&str]| {
        spec.at(path).map_or(Vec::new(), |n| n.items().iter().filter_map(Node::scalar).map(loc).collect())
    };
    let mut r = Resource {
        kind,
        kind_at: Location::new(file, kind_scalar.at),
        name: root.at(&["metadata", "name"]).and_then(Node::scalar).map(loc),
        image: text(&["image"]),
        namespace: root.at(&["metadata", "namespace"]).and_then(Node::scalar).map(|n| n.value.clone()),
        deployment_name: if kind == Kind::FlinkSessionJob { text(&["deploymentName"]) } else { None },
        version: None,
        config: Vec::new(),
        hadoop_conf: Vec::new(),
        jars: list(&["deps", "jars"]),
        packages: list(&["deps", "packages"]),
        repositories: list(&["deps", "repositories"]),
        job_jar: None,
        env: Vec::new(),
        env_from: Vec::new(),
    };
    match kind {
        Kind::FlinkDeployment | Kind::FlinkSessionJob => {
            r.version = text(&["flinkVersion"]);
            r.job_jar = text(&["job", "jarURI"]);
            if let Some(conf) = spec.get("flinkConfiguration") {
                flatten(file, conf, "", &mut r.config);
            }
            for (label, path) in [
                ("podTemplate", &["podTemplate"][..]),
                ("jobManager.podTemplate", &["jobManager", "podTemplate"][..]),
                ("taskManager.podTemplate", &["taskManager", "podTemplate"][..]),
            ] {
                let Some(pod) = spec.at(path).and_then(|p| p.get("spec")) else { continue };
                for list in ["containers", "initContainers"] {
                    for c in pod.get(list).map_or(&[][..], Node::items) {
                        let name = c.get("name").and_then(Node::scalar).map_or("?", |s| s.value.as_str());
                        container_env(file, &format!("{label}/{name}"), c, &mut r);
                    }
                }
            }
        }
        Kind::SparkApplication | Kind::ScheduledSparkApplication => {
            r.version = text(&["sparkVersion"]);
            r.job_jar = text(&["mainApplicationFile"]);
            if let Some(conf) = spec.get("sparkConf") {
                flatten(file, conf, "", &mut r.config);
            }
            if let Some(conf) = spec.get("hadoopConf") {
                flatten(file, conf, "", &mut r.hadoop_conf);
            }
            for role in ["driver", "executor"] {
                let Some(c) = spec.get(role) else { continue };
                container_env(file, role, c, &mut r);
                for (k, v) in c.get("envVars").map_or(&[][..], Node::entries) {
                    let value = v.scalar().map_or(EnvValue::Empty, |s| EnvValue::Literal(located(file, s)));
                    r.env.push(EnvVar { container: role.into(), name: located(file, k), value });
                }
                for (k, v) in c.get("envSecretKeyRefs").map_or(&[][..], Node::entries) {
                    r.env.push(EnvVar { container: role.into(), name: located(file, k), value: secret_ref(v) });
                }
            }
        }
    }
    Some(r)
}

fn secret_ref(v: &Node) -> EnvValue {
    let field = |k: &str| v.get(k).and_then(Node::scalar).map(|s| s.value.clone()).unwrap_or_default();
    EnvValue::SecretRef { name: field("name"), key: field("key") }
}

/// A container's `env` list and `envFrom`.
fn container_env(file: FileId, container: &str, c: &Node, r: &mut Resource) {
    for e in c.get("env").map_or(&[][..], Node::items) {
        let Some(name) = e.get("name").and_then(Node::scalar) else { continue };
        let value = if let Some(v) = e.get("value").and_then(Node::scalar) {
            EnvValue::Literal(located(file, v))
        } else if let Some(from) = e.get("valueFrom") {
            match from.get("secretKeyRef") {
                Some(s) => secret_ref(s),
                None => EnvValue::OtherRef(from.entries().first().map(|(k, _)| k.value.clone()).unwrap_or_default()),
            }
        } else {
            EnvValue::Empty
        };
        r.env.push(EnvVar { container: container.to_string(), name: located(file, name), value });
    }
    for from in c.get("envFrom").map_or(&[][..], Node::items) {
        for kind in ["secretRef", "configMapRef"] {
            if let Some(n) = from.at(&[kind, "name"]).and_then(Node::scalar) {
                r.env_from.push((container.to_string(), kind, located(file, n)));
            }
        }
    }
}

/// Flattens a configuration map into entries (`s3: {access-key: x}` is `s3.access-key`); a list value is kept
/// as its items joined with `;` (how Flink reads a list option written as a string).
fn flatten(file: FileId, node: &Node, prefix: &str, out: &mut Vec<Entry>) {
    for (k, v) in node.entries() {
        let key = if prefix.is_empty() { k.value.clone() } else { format!("{prefix}.{}", k.value) };
        let key_at = Location::new(file, k.at);
        match v {
            Node::Map(..) => flatten(file, v, &key, out),
            Node::Seq(items, span) => {
                let value: Vec<&str> = items.iter().filter_map(Node::scalar).map(|s| s.value.as_str()).collect();
                let value = value.join(";");
                out.push(entry(key, value, key_at, Location::new(file, *span)));
            }
            Node::Scalar(s) => {
                let value = if v.scalar().is_some() { s.value.clone() } else { String::new() };
                out.push(entry(key, value, key_at, Location::new(file, s.at)));
            }
        }
    }
}

fn entry(key: String, value: String, key_at: Location, value_at: Location) -> Entry {
    Entry { key, raw: value.clone(), value, key_at, value_at, is_final: false, machine_dependent: false }
}

/// Marks as secret every literal value of a credential-named environment variable and every configuration value
/// of a credential key; returns the values for the final scrub (to be called from the deployment's secret pass
/// once the reader is wired in).
pub fn mark_secrets(manifest: &Manifest, sources: &mut SourceMap) -> Vec<String> {
    let mut values = Vec::new();
    let mut mark = |at: Location, value: &str| {
        let source = sources.get_mut(at.file);
        let written = source.text.get(at.span.start..at.span.end).unwrap_or("");
        // A quoted scalar: the quotes are not part of the secret (its first characters are what is shown).
        let quoted = written.len() >= 2 && (written.starts_with('"') || written.starts_with('\''));
        let span = if quoted { Span::new(at.span.start + 1, at.span.end - 1) } else { at.span };
        source.mark_secret(span);
        if !value.is_empty() {
            values.push(value.to_string());
        }
    };
    for (k, v) in manifest.config_maps.iter().flat_map(|c| &c.data) {
        if crate::redact::classify(&k.value).is_some() {
            mark(v.at, &v.value);
        }
    }
    for r in &manifest.resources {
        for e in &r.env {
            if let (EnvValue::Literal(v), true) = (&e.value, crate::redact::classify(&e.name.value).is_some()) {
                mark(v.at, &v.value);
            }
        }
        for c in r.config.iter().chain(&r.hadoop_conf) {
            if crate::redact::classify(&c.key).is_some() {
                mark(c.value_at, &c.value);
            }
        }
    }
    values
}

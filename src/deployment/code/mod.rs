//! Deployments written as code: a `Dockerfile`, a Flink Kubernetes Operator or Spark Operator manifest, a
//! docker-compose service. Each becomes a [`super::Deployment`] of its own — the image's jars (the base image's
//! distribution, what the build adds and removes) with the Dockerfile line that put each there, the
//! configuration the manifest or compose file holds, with its spans — so every rule applies and points at the
//! line that causes it. What only code has (environment variables, build arguments, the entrypoint's
//! `ENABLE_BUILT_IN_PLUGINS`) is kept here for the rules that read it.

mod assemble;
pub mod find;
mod image;
pub mod join;
mod mounts;
mod session;

pub use assemble::deployments;
pub(crate) use image::other_line;

use super::dockerfile::{EnabledPlugin, Image};
use super::manifest::compose::Service;
use super::manifest::{Located, Resource};
use crate::source::FileId;

/// What a deployment written as code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// The image a `Dockerfile` builds.
    Dockerfile,
    /// A Flink Kubernetes Operator `FlinkDeployment`.
    FlinkDeployment,
    /// A Flink Kubernetes Operator `FlinkSessionJob`.
    FlinkSessionJob,
    /// A Spark Operator `SparkApplication`.
    SparkApplication,
    /// A Spark Operator `ScheduledSparkApplication`.
    ScheduledSparkApplication,
    /// One service of a docker-compose file.
    ComposeService,
}

impl CodeKind {
    /// The name used in every output (`dockerfile`, `flink-deployment`, …, `compose-service`).
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Dockerfile => "dockerfile",
            CodeKind::FlinkDeployment => "flink-deployment",
            CodeKind::FlinkSessionJob => "flink-session-job",
            CodeKind::SparkApplication => "spark-application",
            CodeKind::ScheduledSparkApplication => "scheduled-spark-application",
            CodeKind::ComposeService => "compose-service",
        }
    }
}

/// An environment variable a container of the deployment gets, as written in the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeEnv {
    /// The container (`flink-main-container`, `driver`, the compose service), or `image` for a Dockerfile `ENV`.
    pub container: String,
    /// The variable's name.
    pub name: Located,
    /// Its value when written literally in the file (`value:`, `NAME=value`); `None` when it comes from a
    /// Secret, a ConfigMap, the shell running compose, or is empty.
    pub literal: Option<Located>,
}

/// What a deployment written as code holds besides configuration and jars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// What it is.
    pub kind: CodeKind,
    /// The file it is read from (the Dockerfile, the manifest, the compose file).
    pub file: FileId,
    /// The resource's `metadata.name`, the compose service's name, or the Dockerfile's path.
    pub name: String,
    /// The image reference the deployment runs (`spec.image`, `services.*.image`; a Dockerfile's `FROM`).
    pub runs: Option<Located>,
    /// The image model of the Dockerfile: the deployment's own, or the one that builds the image a manifest or
    /// compose service runs (joined by image name, or by compose `build:`).
    pub image: Option<Image>,
    /// The manifest resource, for a manifest deployment.
    pub resource: Option<Resource>,
    /// The compose service, for a compose deployment.
    pub service: Option<Service>,
    /// Environment variables of every container, as written.
    pub env: Vec<CodeEnv>,
    /// The jars the official Flink image's entrypoint is told to enable (`ENABLE_BUILT_IN_PLUGINS`), from the
    /// Dockerfile, the pod templates or the compose environment, each judged against the image's `opt/`.
    pub enabled_plugins: Vec<EnabledPlugin>,
}

/// Every configuration definition `(key, value as written)` a code file of `kind` holds when its text is `text`:
/// `FLINK_PROPERTIES` lines of a Dockerfile or of compose services, a manifest's `flinkConfiguration`,
/// `sparkConf` and `hadoopConf` — what `--fix` compares before and after an edit.
pub fn definitions(
    kind: CodeKind,
    source: &crate::source::SourceFile,
    text: &str,
) -> Result<Vec<(String, String)>, String> {
    use crate::source::{SourceFile, SourceMap};
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(source.display.clone(), source.path.clone(), text));
    let entries: Vec<super::config::Entry> = match kind {
        CodeKind::Dockerfile => super::dockerfile::read(&sources, id).map_err(|e| e.to_string())?.flink_properties,
        CodeKind::ComposeService => super::manifest::compose::read(&sources, id)
            .map_err(|e| e.to_string())?
            .services
            .into_iter()
            .flat_map(|s| s.flink_properties)
            .collect(),
        _ => super::manifest::read(&sources, id)
            .map_err(|e| e.to_string())?
            .resources
            .into_iter()
            .flat_map(|r| r.config.into_iter().chain(r.hadoop_conf))
            .collect(),
    };
    Ok(entries.into_iter().map(|e| (e.key, e.raw)).collect())
}

impl Code {
    /// What kind of code file `file` is in this deployment: its own file, or the Dockerfile joined to it.
    pub fn kind_of(&self, file: FileId) -> Option<CodeKind> {
        if file == self.file {
            Some(self.kind)
        } else if self.image.as_ref().is_some_and(|i| i.file == file) {
            Some(CodeKind::Dockerfile)
        } else {
            None
        }
    }
}

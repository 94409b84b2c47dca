//! A Flink Kubernetes Operator `FlinkSessionJob` runs in the session cluster its `spec.deploymentName` names:
//! the `FlinkDeployment` of that `metadata.name`, in the same manifest or another one of the repository. The
//! cluster's image (its jars, its Flink release), its pod-template environment (`ENABLE_BUILT_IN_PLUGINS`) and
//! its `flinkConfiguration` (the filesystems are set up when the cluster starts) are what the job runs with.

use super::find::{CodeFile, CodeFileKind};
use crate::deployment::Deployment;
use crate::deployment::discover::DiscoverOptions;
use crate::deployment::manifest::{self, Kind, Manifest, Resource};
use crate::source::{LoadError, SourceFile, SourceMap};

/// The session cluster of `job` (a `FlinkSessionJob` of `here`, the manifest of `file`), with its locations in
/// `d`'s source map: a resource of `here`, else of the first other manifest of `files` that holds a
/// `FlinkDeployment` of that name (then that file joins `d`, its credentials marked secret). `None` without a
/// `spec.deploymentName` or when no manifest of the run defines the cluster.
pub fn cluster(
    job: &Resource,
    here: &Manifest,
    file: &CodeFile,
    files: &[CodeFile],
    d: &mut Deployment,
    options: &DiscoverOptions,
) -> Result<Option<Resource>, LoadError> {
    let Some(name) = job.deployment_name.as_ref().map(|n| n.value.as_str()) else { return Ok(None) };
    let is_cluster = |r: &Resource| r.kind == Kind::FlinkDeployment && r.name.as_ref().is_some_and(|n| n.value == name);
    if let Some(r) = here.resources.iter().find(|r| is_cluster(r)) {
        return Ok(Some(r.clone()));
    }
    for other in files.iter().filter(|o| o.kind == CodeFileKind::Manifest && o.path != file.path) {
        // A literal `name: <cluster>` must be in the file before it is parsed: most manifests are not the one.
        let Ok(text) = super::assemble::read(other, options) else { continue };
        if !text.contains(name) {
            continue;
        }
        // Looked at on its own first, so that a file without the cluster does not join the deployment.
        let mut alone = SourceMap::new();
        let probe = alone.add(SourceFile::new(other.display.clone(), other.path.clone(), text.clone()));
        if !manifest::read(&alone, probe).is_ok_and(|m| m.resources.iter().any(is_cluster)) {
            continue;
        }
        let id = d.sources.add(SourceFile::new(other.display.clone(), other.path.clone(), text));
        let m = manifest::read(&d.sources, id)?;
        let Some(r) = m.resources.iter().find(|r| is_cluster(r)).cloned() else { continue };
        let secrets = manifest::mark_secrets(&Manifest { resources: vec![r.clone()], ..m }, &mut d.sources);
        d.secrets.extend(secrets);
        return Ok(Some(r));
    }
    Ok(None)
}

//! A Flink Kubernetes Operator `FlinkSessionJob` runs in the session cluster its `spec.deploymentName` names:
//! the `FlinkDeployment` of that `metadata.name`, in the same manifest or another one of the repository. The
//! cluster's image (its jars, its Flink release), its pod-template environment (`ENABLE_BUILT_IN_PLUGINS`) and
//! its `flinkConfiguration` (the filesystems are set up when the cluster starts) are what the job runs with.

use std::cell::OnceCell;

use super::find::{CodeFile, CodeFileKind};
use crate::deployment::Deployment;
use crate::deployment::discover::DiscoverOptions;
use crate::deployment::manifest::{self, Kind, Manifest, Resource};
use crate::source::{LoadError, SourceFile, SourceMap};

/// Which manifest of the run defines which `FlinkDeployment`: built the first time a session job asks, by reading
/// every manifest once (each read charged to the run's budget), so that many jobs cost one pass, not one each.
#[derive(Default)]
pub struct Clusters {
    index: OnceCell<Vec<(String, Option<String>, usize)>>,
}

impl Clusters {
    /// The index into `files` of the manifest that defines FlinkDeployment `name` in `namespace` (either left
    /// out matches any).
    fn file_of(
        &self,
        name: &str,
        namespace: Option<&str>,
        files: &[CodeFile],
        options: &DiscoverOptions,
    ) -> Option<usize> {
        let index = self.index.get_or_init(|| {
            let mut out = Vec::new();
            for (i, f) in files.iter().enumerate().filter(|(_, f)| f.kind == CodeFileKind::Manifest) {
                let Ok(text) = super::assemble::read(f, options) else { continue };
                let mut alone = SourceMap::new();
                let id = alone.add(SourceFile::new(f.display.clone(), f.path.clone(), text));
                let Ok(m) = manifest::read(&alone, id) else { continue };
                for r in m.resources.iter().filter(|r| r.kind == Kind::FlinkDeployment) {
                    if let Some(n) = &r.name {
                        out.push((n.value.clone(), r.namespace.clone(), i));
                    }
                }
            }
            out
        });
        let same = |ns: &Option<String>| ns.as_deref().zip(namespace).is_none_or(|(a, b)| a == b);
        index.iter().find(|(n, ns, _)| n == name && same(ns)).map(|(_, _, i)| *i)
    }
}

/// The session cluster of `job` (a `FlinkSessionJob` of `here`, the manifest of `file`), with its locations in
/// `d`'s source map: a resource of `here`, else of the manifest of `files` that defines a `FlinkDeployment` of
/// that name (that file then joins `d`, its credentials marked secret). `None` without a `spec.deploymentName` or
/// when no manifest of the run defines the cluster.
pub fn cluster(
    job: &Resource,
    here: &Manifest,
    file: &CodeFile,
    (files, clusters): (&[CodeFile], &Clusters),
    d: &mut Deployment,
    options: &DiscoverOptions,
) -> Result<Option<Resource>, LoadError> {
    let Some(name) = job.deployment_name.as_ref().map(|n| n.value.as_str()) else { return Ok(None) };
    // The operator looks the cluster up in the job's own namespace: two written namespaces must agree (one left
    // out is the namespace both are applied to).
    let same_namespace = |r: &Resource| match (&r.namespace, &job.namespace) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let is_cluster = |r: &Resource| {
        r.kind == Kind::FlinkDeployment && r.name.as_ref().is_some_and(|n| n.value == name) && same_namespace(r)
    };
    if let Some(r) = here.resources.iter().find(|r| is_cluster(r)) {
        return Ok(Some(r.clone()));
    }
    let namespace = job.namespace.as_deref();
    let found = clusters.file_of(name, namespace, files, options).map(|i| &files[i]);
    let Some(other) = found.filter(|o| o.path != file.path) else {
        return Ok(None);
    };
    let Ok(text) = super::assemble::read(other, options) else { return Ok(None) };
    let id = d.sources.add(SourceFile::new(other.display.clone(), other.path.clone(), text));
    let m = manifest::read(&d.sources, id)?;
    let Some(r) = m.resources.iter().find(|r| is_cluster(r)).cloned() else { return Ok(None) };
    let secrets = manifest::mark_secrets(&Manifest { resources: vec![r.clone()], ..m }, &mut d.sources);
    d.secrets.extend(secrets);
    Ok(Some(r))
}

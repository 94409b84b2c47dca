//! s3lint: a linter for Flink/Hadoop deployments on Amazon S3, and (soon) a diagnoser of their stack traces.
//!
//! Data flow of `check`: paths --[`deployment::discover`]--> [`deployment::Deployment`] (configuration files read
//! the way Hadoop and Flink read them, with spans; the merged key view; jars) --[`lint::run`]--> findings
//! --[`report`]--> human, JSON, SARIF or GitHub output.

pub mod deployment;
pub mod diagnose;
pub mod input;
pub mod knowledge;
pub mod lint;
pub mod redact;
pub mod report;
pub mod source;
pub mod yaml_depth;

use std::path::PathBuf;

use deployment::Deployment;
use deployment::discover::{DiscoverOptions, discover, discover_each};
use lint::Finding;
use lint::suppress::ProjectSettings;
use source::LoadError;

/// Reads the deployment made of `paths`, runs every rule over it, and applies the project's settings and the
/// inline ignores.
pub fn check(
    paths: &[PathBuf],
    options: &DiscoverOptions,
    settings: &ProjectSettings,
) -> Result<(Deployment, Vec<Finding>), LoadError> {
    let deployment = discover(paths, options)?;
    let findings = lint::suppress::apply(&deployment, lint::run(&deployment), settings);
    Ok((deployment, findings))
}

/// Reads the deployments `paths` hold — one per Flink, Spark or Hadoop home when a PATH holds several, one for
/// the files that belong to none (see [`deployment::homes`]) — and checks each on its own, in the order found.
pub fn check_each(
    paths: &[PathBuf],
    options: &DiscoverOptions,
    settings: &ProjectSettings,
) -> Result<Vec<(Deployment, Vec<Finding>)>, LoadError> {
    let deployments = discover_each(paths, options)?;
    Ok(deployments
        .into_iter()
        .map(|d| {
            let findings = lint::suppress::apply(&d, lint::run(&d), settings);
            (d, findings)
        })
        .collect())
}

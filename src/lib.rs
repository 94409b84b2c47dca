//! s3lint: a linter for Flink/Hadoop deployments on Amazon S3, and (soon) a diagnoser of their stack traces.
//!
//! Data flow of `check`: paths --[`deployment::discover`]--> [`deployment::Deployment`] (configuration files read
//! the way Hadoop and Flink read them, with spans; the merged key view; jars) --[`lint::run`]--> findings
//! --[`report`]--> human, JSON, SARIF or GitHub output.

pub mod deployment;
pub mod diagnose;
pub mod fix;
pub mod input;
pub mod knowledge;
pub mod lint;
pub mod redact;
pub mod report;
pub mod source;
pub mod yaml_depth;

use std::path::PathBuf;

use deployment::Deployment;
use deployment::discover::{DiscoverOptions, discover};
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

/// `check --fix`: makes the safe fixes ([`fix::plan`]) of a checked deployment, then checks it again. Returns
/// the new deployment and findings, and one line per fix made (and per fix given up).
pub fn check_fixed(
    paths: &[PathBuf],
    options: &DiscoverOptions,
    settings: &ProjectSettings,
    (deployment, findings): (Deployment, Vec<Finding>),
) -> Result<(Deployment, Vec<Finding>, Vec<String>), LoadError> {
    let plan = fix::plan(&deployment, &findings);
    let mut said: Vec<String> = plan.summary(&deployment).into_iter().map(|l| format!("fixed {l}")).collect();
    said.extend(plan.skipped.iter().map(|s| format!("not fixed: {s}")));
    plan.apply(&deployment).map_err(|e| LoadError::file("--fix", e))?;
    let (deployment, findings) = check(paths, options, settings)?;
    Ok((deployment, findings, said))
}

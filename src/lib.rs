//! s3lint: a linter for Flink/Hadoop deployments on Amazon S3, and (soon) a diagnoser of their stack traces.
//!
//! Data flow of `check`: paths --[`deployment::discover`]--> [`deployment::Deployment`] (configuration files read
//! the way Hadoop and Flink read them, with spans; the merged key view; jars) --[`lint::run`]--> findings
//! --[`report`]--> human, JSON, SARIF or GitHub output.
//!
//! This file is the face the command line (`main.rs`) and the language server ([`server`]) both use: check a
//! deployment ([`check`]), check one editor buffer in its deployment ([`check_buffer`]), read the configuration
//! ([`read_configuration`]), recognise failures ([`diagnose_log`]) and explain a rule or case ([`explain`]).

pub mod deployment;
pub mod diagnose;
pub mod fix;
pub mod input;
pub mod knowledge;
pub mod lint;
pub mod redact;
pub mod report;
pub mod server;
pub mod source;
pub mod yaml_depth;

use std::path::{Path, PathBuf};

use deployment::Deployment;
use deployment::discover::{Buffer, DiscoverOptions, discover, discover_each};
use diagnose::DiagnoseResult;
use knowledge::Catalog;
use lint::suppress::ProjectSettings;
use lint::{Finding, Target};
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

/// Reads the configuration of the deployment made of `paths` as Hadoop, Flink and Spark read it (`s3lint config`),
/// without running the rules.
pub fn read_configuration(paths: &[PathBuf], options: &DiscoverOptions) -> Result<Deployment, LoadError> {
    discover(paths, options)
}

/// Checks an editor's unsaved `text` of the configuration file `path` in the deployment `path` belongs to (see
/// [`deployment_roots`]): the buffer's text replaces the file's, which need not exist yet. Returns the findings
/// located in that file only, with every text redacted like [`check`]'s.
pub fn check_buffer(
    path: &Path,
    text: String,
    options: &DiscoverOptions,
    settings: &ProjectSettings,
) -> Result<(Deployment, Vec<Finding>), LoadError> {
    let mut options = options.clone();
    let buffer = Buffer { path: path.to_path_buf(), text };
    if buffer.is_code() {
        options.buffer = Some(buffer);
        return check_code_buffer(path, &options, settings);
    }
    options.buffer = Some(buffer);
    let (deployment, findings) = check(&deployment_roots(path), &options, settings)?;
    let file = options.buffer.as_ref().and_then(|b| buffer_file(&deployment, b));
    let findings =
        findings.into_iter().filter(|f| matches!(&f.target, Target::Source(l) if Some(l.file) == file)).collect();
    Ok((deployment, findings))
}

/// [`check_buffer`] of a Dockerfile, manifest or compose file: the deployments it makes (one per resource or
/// service), the findings in the file of all of them, returned with the first deployment (holding every
/// deployment's secrets, for the last scrub).
fn check_code_buffer(
    path: &Path,
    options: &DiscoverOptions,
    settings: &ProjectSettings,
) -> Result<(Deployment, Vec<Finding>), LoadError> {
    let checked = check_each(&[path.to_path_buf()], options, settings)?;
    let buffer = options.buffer.as_ref().expect("a buffer");
    let mut findings = Vec::new();
    let mut secrets = Vec::new();
    for (d, fs) in &checked {
        let file = buffer_file(d, buffer);
        findings.extend(fs.iter().filter(|f| matches!(&f.target, Target::Source(l) if Some(l.file) == file)).cloned());
        secrets.extend(d.secrets.iter().cloned());
    }
    let mut first = checked.into_iter().next().map(|(d, _)| d).unwrap_or_default();
    first.secrets = secrets;
    Ok((first, findings))
}

/// The id under which the buffer's file was read.
fn buffer_file(deployment: &Deployment, buffer: &Buffer) -> Option<source::FileId> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let wanted = canonical(&buffer.path);
    deployment.sources.iter().find(|(_, f)| f.path == buffer.path || canonical(&f.path) == wanted).map(|(id, _)| id)
}

/// The paths `check` is given to see a configuration file in its deployment: the Flink or Spark home of a
/// `conf/` file, the Hadoop home of an `etc/hadoop/` file, else the file's folder — and the file itself, for a
/// file walking that folder would not pick up (`my-cluster.conf`). Relative when `file` is.
pub fn deployment_roots(file: &Path) -> Vec<PathBuf> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let absolute = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
    let name = |p: &Path| p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let home = absolute
        .parent()
        .filter(|_| name(&absolute) == "conf")
        .filter(|h| ["lib", "plugins", "jars"].iter().any(|d| h.join(d).is_dir()));
    let hadoop_home = absolute
        .parent()
        .filter(|etc| name(&absolute) == "hadoop" && name(etc) == "etc")
        .and_then(Path::parent)
        .filter(|h| h.join("share/hadoop").is_dir());
    let root = if home.is_some() {
        up(&dir)
    } else if hadoop_home.is_some() {
        up(&up(&dir))
    } else {
        dir
    };
    vec![root, file.to_path_buf()]
}

/// The folder above `dir` (`conf` -> `.`, `/opt/flink/conf` -> `/opt/flink`), written without `..` when it can be.
fn up(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if matches!(dir.components().next_back(), Some(std::path::Component::Normal(_))) => {
            if p.as_os_str().is_empty() { PathBuf::from(".") } else { p.to_path_buf() }
        }
        _ => dir.join(".."),
    }
}

/// The built-in failure catalogue plus the cases of `extra` files (`--rules`).
pub fn failure_catalog(extra: &[PathBuf], budget: &input::Budget) -> Result<Catalog, String> {
    let mut catalog = Catalog::builtin()?;
    for path in extra {
        let display = path.display().to_string();
        let text = input::read_text(path, &display, budget).map_err(|e| LoadError::from(e).to_string())?;
        catalog.extend_from_str(&text, &display)?;
    }
    Ok(catalog)
}

/// Recognises the known S3 failures in a stack trace or a whole log (`s3lint diagnose`).
pub fn diagnose_log<R: std::io::Read>(input: R, catalog: &Catalog) -> std::io::Result<DiagnoseResult<'_>> {
    diagnose::diagnose(input, catalog)
}

/// The `s3lint explain` text of a lint rule or a failure case of `catalog`, `None` when no such id exists.
pub fn explain(id: &str, catalog: &Catalog) -> Option<String> {
    if let Some(r) = lint::rules::find(id) {
        let m = r.meta();
        return Some(format!(
            "{} ({})\n\n{}",
            m.id,
            m.default_severity.as_str(),
            m.doc.strip_prefix(' ').unwrap_or(m.doc).replace("\n ", "\n")
        ));
    }
    catalog.find(id).map(explain_case)
}

/// The `explain` text of a failure case.
fn explain_case(c: &knowledge::FailureCase) -> String {
    let mut out = format!("{} ({})\n{}\n\n{}\n\nFix:\n", c.id, c.category, c.title, c.explanation);
    for (i, step) in c.fix.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, step));
    }
    if !c.lint_rules.is_empty() {
        out.push_str(&format!("\nCaught before deploy by: {}\n", c.lint_rules.join(", ")));
    }
    if !c.sources.is_empty() {
        out.push_str("\nSources:\n");
        for s in &c.sources {
            out.push_str(&format!("  - {s}\n"));
        }
    }
    out
}

/// One checked deployment: it and its findings.
pub type Checked = (Deployment, Vec<Finding>);

/// `check --fix`: makes the safe fixes ([`fix::plan`]) of every checked deployment, then checks `paths` again.
/// Returns the new deployments and findings, and one line per fix made (and per fix given up).
pub fn check_fixed(
    paths: &[PathBuf],
    options: &DiscoverOptions,
    settings: &ProjectSettings,
    checked: Vec<Checked>,
) -> Result<(Vec<Checked>, Vec<String>), LoadError> {
    let mut said = Vec::new();
    for (deployment, findings) in &checked {
        let plan = fix::plan(deployment, findings);
        said.extend(plan.summary(deployment).into_iter().map(|l| format!("fixed {l}")));
        said.extend(plan.skipped.iter().map(|s| format!("not fixed: {s}")));
        plan.apply(deployment).map_err(|e| LoadError::file("--fix", e))?;
    }
    Ok((check_each(paths, options, settings)?, said))
}

/// Reads the deployments `paths` hold — one per Flink, Spark or Hadoop home when a PATH holds several, one for
/// the files that belong to none (see [`deployment::homes`]) — and checks each on its own, in the order found.
pub fn check_each(
    paths: &[PathBuf],
    options: &DiscoverOptions,
    settings: &ProjectSettings,
) -> Result<Vec<(Deployment, Vec<Finding>)>, LoadError> {
    let deployments = discover_each(paths, options)?;
    // A finding an earlier deployment already reported at the same place (the Dockerfile's jar finding again in
    // the manifest that runs its image; the `FLINK_PROPERTIES` a compose anchor gives two services) is reported
    // once, with the first deployment.
    let mut reported = std::collections::HashSet::new();
    Ok(deployments
        .into_iter()
        .map(|d| {
            let mut findings = lint::suppress::apply(&d, lint::run(&d), settings);
            findings.retain(|f| reported.insert(finding_identity(&d, f)));
            (d, findings)
        })
        .collect())
}

/// What makes two deployments' findings the same: rule, file, place and message.
fn finding_identity(d: &Deployment, f: &Finding) -> (&'static str, String, usize, usize, String) {
    match &f.target {
        Target::Source(at) => {
            (f.rule, d.sources.get(at.file).display.clone(), at.span.start, at.span.end, f.message.clone())
        }
        Target::Path(p) => (f.rule, p.clone(), 0, 0, f.message.clone()),
    }
}

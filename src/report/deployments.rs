//! The report of one command line that checked several deployments (one per home, see
//! [`crate::deployment::homes`]): which deployment each finding belongs to, what each deployment is (root, kind,
//! versions, the classpaths its jars were read as), a summary per deployment and a total.
//!
//! With one deployment every format is the single-deployment report, plus (JSON, SARIF) the additive
//! `deployment` field of each finding and the `deployments` list, and (human) a line for each folder of jars read
//! as a classpath of its own.

use serde_json::{Value, json};

use super::human::{findings_at, plural, summary_at};
use super::{Format, Summary};
use crate::deployment::{ClasspathKind, Deployment};
use crate::lint::Finding;

/// A deployment and its findings, as `check` returns them.
pub type Checked = (Deployment, Vec<Finding>);

/// Renders every deployment's findings in `format`; `quiet` (human): the findings only.
pub fn render_each(checked: &[Checked], format: Format, color: bool, quiet: bool) -> String {
    let text = match format {
        Format::Human => human(checked, color, quiet, super::wrap::output_width()),
        Format::Json => json(checked),
        Format::Sarif => super::sarif::render_each(checked, std::env::current_dir().ok().as_deref()),
        Format::Github => super::github::render_each(checked),
    };
    let secrets: Vec<String> = checked.iter().flat_map(|(d, _)| d.secrets.iter().cloned()).collect();
    crate::redact::Scrubber::new(&secrets, super::ESCAPED_FORMS).scrub(&text)
}

/// The versions a deployment shows, for its heading: `Flink 1.18.1, Hadoop 3.3.4`.
pub fn versions(d: &Deployment) -> String {
    let known: Vec<String> = [("Flink", &d.flink_version), ("Spark", &d.spark_version), ("Hadoop", &d.hadoop_version)]
        .into_iter()
        .filter_map(|(name, v)| v.as_ref().map(|v| format!("{name} {}", v.version)))
        .collect();
    if known.is_empty() { "no Flink, Spark or Hadoop version found".to_string() } else { known.join(", ") }
}

/// The name of a classpath kind in every output.
pub fn classpath_kind(kind: ClasspathKind) -> &'static str {
    match kind {
        ClasspathKind::FlinkLib => "flink-lib",
        ClasspathKind::FlinkPlugin => "flink-plugin",
        ClasspathKind::HadoopHome => "hadoop-home",
        ClasspathKind::Given => "given",
        ClasspathKind::Directory => "directory",
        ClasspathKind::SparkJars => "spark-jars",
    }
}

/// The human lines saying which folders of jars were read as a classpath of their own.
fn notes(d: &Deployment) -> String {
    let mut out = String::new();
    for cp in d.classpaths.iter().filter(|c| c.kind == ClasspathKind::Directory) {
        let n = cp.jars.len();
        out.push_str(&format!(
            "s3lint: read `{}` ({n} jar{}) as a classpath of its own: a folder of jars outside any Flink, Spark or \
             Hadoop layout, loaded together\n",
            cp.name,
            plural(n)
        ));
    }
    out
}

fn human(checked: &[Checked], color: bool, quiet: bool, width: Option<usize>) -> String {
    let mut out = String::new();
    if let [(d, findings)] = checked {
        out.push_str(&findings_at(d, findings, color, width));
        if !quiet {
            out.push_str(&notes(d));
            out.push_str(&summary_at(d, findings, "", width));
        }
        return out;
    }
    let n = checked.len();
    for (i, (d, findings)) in checked.iter().enumerate() {
        if !quiet {
            let heading = format!(
                "s3lint: deployment {} of {n}: {} `{}` ({})\n\n",
                i + 1,
                kind_words(d),
                d.origin.root,
                versions(d)
            );
            out.push_str(&super::wrap::fill(&heading, width, "", ""));
        }
        out.push_str(&findings_at(d, findings, color, width));
        if !quiet {
            out.push_str(&notes(d));
            out.push_str(&summary_at(d, findings, &format!("`{}`: ", d.origin.root), width));
            out.push('\n');
        }
    }
    if !quiet {
        let t = total(checked);
        let jars: usize = checked.iter().map(|(d, _)| d.jars.len()).sum();
        let total = format!(
            "s3lint: {n} deployments, {} file{} and {jars} jar{} checked: {} error{}, {} warning{}, {} info{} in all\n",
            t.files,
            plural(t.files),
            plural(jars),
            t.errors,
            plural(t.errors),
            t.warnings,
            plural(t.warnings),
            t.infos,
            plural(t.infos)
        );
        out.push_str(&super::wrap::fill(&total, width, "", ""));
        out.push('\n');
    }
    out
}

/// `Flink home`, `Spark home`, `Hadoop home`, `files`; for code, what it is (`Dockerfile of a Flink image`,
/// `FlinkDeployment`, `compose service running Spark`).
fn kind_words(d: &Deployment) -> &'static str {
    use crate::deployment::code::CodeKind;
    use crate::deployment::homes::HomeKind;
    if let Some(c) = &d.code {
        return match (c.kind, d.origin.kind) {
            (CodeKind::Dockerfile, HomeKind::Flink) => "Dockerfile of a Flink image",
            (CodeKind::Dockerfile, HomeKind::Spark) => "Dockerfile of a Spark image",
            (CodeKind::Dockerfile, _) => "Dockerfile",
            (CodeKind::FlinkDeployment, _) => "FlinkDeployment",
            (CodeKind::FlinkSessionJob, _) => "FlinkSessionJob",
            (CodeKind::SparkApplication, _) => "SparkApplication",
            (CodeKind::ScheduledSparkApplication, _) => "ScheduledSparkApplication",
            (CodeKind::ComposeService, HomeKind::Flink) => "compose service running Flink",
            (CodeKind::ComposeService, HomeKind::Spark) => "compose service running Spark",
            (CodeKind::ComposeService, _) => "compose service",
        };
    }
    match d.origin.kind {
        HomeKind::Flink => "Flink home",
        HomeKind::Spark => "Spark home",
        HomeKind::Hadoop => "Hadoop home",
        HomeKind::Files => "files",
    }
}

/// The summaries of all deployments added up.
pub fn total(checked: &[Checked]) -> Summary {
    let mut t = Summary::default();
    for (d, findings) in checked {
        let s = Summary::of(d, findings);
        t.files += s.files;
        t.errors += s.errors;
        t.warnings += s.warnings;
        t.infos += s.infos;
    }
    t
}

/// The `deployments` list of JSON and SARIF: each deployment's root, kind, versions, classpaths and summary.
pub fn list(checked: &[Checked]) -> Value {
    let version = |v: &Option<crate::deployment::KnownVersion>| v.as_ref().map(|v| v.version.to_string());
    checked
        .iter()
        .map(|(d, findings)| {
            let classpaths: Vec<Value> = d
                .classpaths
                .iter()
                .map(|c| json!({ "name": c.name, "kind": classpath_kind(c.kind), "jars": c.jars.len() }))
                .collect();
            let code = d.code.as_ref().map(|c| {
                let built_from =
                    c.image.as_ref().filter(|i| i.file != c.file).map(|i| d.sources.get(i.file).display.clone());
                json!({
                    "kind": c.kind.as_str(),
                    "file": d.sources.get(c.file).display,
                    "name": c.name,
                    "image": c.runs.as_ref().map(|r| r.value.clone()),
                    "built_from": built_from,
                })
            });
            let mut item = json!({
                "root": d.origin.root,
                "kind": d.origin.kind.as_str(),
                "versions": {
                    "flink": version(&d.flink_version),
                    "spark": version(&d.spark_version),
                    "hadoop": version(&d.hadoop_version),
                },
                "classpaths": classpaths,
                "summary": Summary::of(d, findings),
            });
            // Additive: only a deployment written as code (a Dockerfile, a manifest resource, a compose service).
            if let Some(code) = code {
                item["code"] = code;
            }
            item
        })
        .collect()
}

fn json(checked: &[Checked]) -> String {
    let items: Vec<Value> = checked
        .iter()
        .flat_map(|(d, findings)| {
            findings.iter().map(move |f| {
                let mut v = super::json::finding_value(d, f);
                v["deployment"] = json!(d.origin.root);
                v
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "tool": { "name": "s3lint", "version": env!("CARGO_PKG_VERSION") },
        "findings": items,
        "summary": total(checked),
        "deployments": list(checked),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

//! Test support for the rules that read deployments written as code: deployments built from Dockerfile, manifest
//! and compose text through the real readers, filled the way discovery fills them (the code model, the image's
//! jars as virtual jars, the manifest's configuration as configuration files, the secrets marked).

use std::path::PathBuf;

use crate::deployment::code::{Code, CodeEnv, CodeKind};
use crate::deployment::config::{ConfigFile, ConfigKind, Entry};
use crate::deployment::dockerfile::{self, EnabledPlugin, Image};
use crate::deployment::manifest::compose;
use crate::deployment::manifest::{self, EnvValue, Kind, Located};
use crate::deployment::{Classpath, ClasspathKind, Deployment, JarPlace, JarRef};
use crate::lint::{Finding, Target};
use crate::source::{FileId, Location, SourceFile, SourceMap, Span};

/// The text of `fixtures/readers/<path>`.
pub(crate) fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/readers/{path}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

/// The deployment of one Dockerfile.
pub(crate) fn dockerfile(text: &str) -> Deployment {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", text));
    let image = dockerfile::read(&sources, file).unwrap_or_else(|e| panic!("{e}"));
    let secrets = dockerfile::mark_secrets(&image, &mut sources);
    let mut d = deployment(sources, secrets);
    add_image_jars(&mut d, &image);
    if !image.flink_properties.is_empty() {
        d.configs.push(config(file, ConfigKind::FlinkYaml, &image.flink_properties));
    }
    // The Dockerfile's ENVs as the container's environment (credential-named ones are what the model keeps).
    let env = image
        .secrets
        .iter()
        .filter(|s| s.instruction == "ENV")
        .map(|s| CodeEnv {
            container: "image".into(),
            name: Located { value: s.name.clone(), at: s.name_at },
            literal: s.value_at.map(|at| Located { value: String::new(), at }),
        })
        .collect();
    d.code = Some(Code {
        kind: CodeKind::Dockerfile,
        file,
        name: "Dockerfile".into(),
        runs: None,
        enabled_plugins: image.enabled_plugins.clone(),
        image: Some(image),
        resource: None,
        service: None,
        env,
    });
    d.index();
    d
}

fn deployment(sources: SourceMap, secrets: Vec<String>) -> Deployment {
    let mut d = Deployment::default();
    d.sources = sources;
    d.secrets = secrets;
    d
}

/// The image's jars as the deployment's virtual jars (read, shown by their path in the image).
fn add_image_jars(d: &mut Deployment, image: &Image) {
    for j in &image.jars {
        let place = match j.place.jar_place() {
            Some(p) => p,
            None if j.place == dockerfile::Place::SparkJars => JarPlace::SparkJars,
            None => continue,
        };
        let mut jar = JarRef::new(PathBuf::from(&j.path), j.path.clone(), place);
        jar.artifact = j.artifact.clone();
        jar.declared_at = j.at;
        jar.read = true;
        d.jars.push(jar);
    }
    let spark: Vec<usize> = (0..d.jars.len()).filter(|i| d.jars[*i].place == JarPlace::SparkJars).collect();
    if !spark.is_empty() {
        let root = PathBuf::from("/opt/spark/jars");
        let name = "/opt/spark/jars/".to_string();
        d.classpaths.push(Classpath { kind: ClasspathKind::SparkJars, root, name, jars: spark });
    }
}

fn config(file: FileId, kind: ConfigKind, entries: &[Entry]) -> ConfigFile {
    ConfigFile { file, kind, entries: entries.to_vec(), definitions: entries.to_vec(), notes: Vec::new() }
}

/// One deployment per resource of a manifest; `image` is the Dockerfile that builds the image it runs, if any.
pub(crate) fn manifest(text: &str, image: Option<&str>) -> Vec<Deployment> {
    let mut base = SourceMap::new();
    let file = base.add(SourceFile::new("manifest.yaml", "manifest.yaml", text));
    let m = manifest::read(&base, file).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for r in &m.resources {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("manifest.yaml", "manifest.yaml", text));
        let mut secrets = manifest::mark_secrets(
            &manifest::Manifest { file, resources: vec![r.clone()], config_maps: m.config_maps.clone() },
            &mut sources,
        );
        let image = image.map(|t| {
            let f = sources.add(SourceFile::new("Dockerfile", "Dockerfile", t));
            let image = dockerfile::read(&sources, f).unwrap_or_else(|e| panic!("{e}"));
            secrets.extend(dockerfile::mark_secrets(&image, &mut sources));
            image
        });
        let mut d = deployment(sources, secrets);
        if let Some(image) = &image {
            add_image_jars(&mut d, image);
        }
        let flink = matches!(r.kind, Kind::FlinkDeployment | Kind::FlinkSessionJob);
        let kind = if flink { ConfigKind::FlinkYaml } else { ConfigKind::SparkConf };
        d.configs.push(config(file, kind, &r.config));
        if !r.hadoop_conf.is_empty() {
            d.configs.push(config(file, ConfigKind::HadoopXml, &r.hadoop_conf));
        }
        let env = r
            .env
            .iter()
            .map(|e| CodeEnv {
                container: e.container.clone(),
                name: e.name.clone(),
                literal: match &e.value {
                    EnvValue::Literal(v) if !v.value.is_empty() => Some(v.clone()),
                    _ => None,
                },
            })
            .collect();
        let mut enabled_plugins = image.as_ref().map(|i| i.enabled_plugins.clone()).unwrap_or_default();
        let written = r.env.iter().filter(|e| e.name.value == "ENABLE_BUILT_IN_PLUGINS");
        let written = written.filter_map(|e| match &e.value {
            EnvValue::Literal(v) => Some(v),
            _ => None,
        });
        enabled_plugins.extend(written.flat_map(|v| judge_plugins(&d.sources, v, r.image.as_ref())));
        let kind = match r.kind {
            Kind::FlinkDeployment => CodeKind::FlinkDeployment,
            Kind::FlinkSessionJob => CodeKind::FlinkSessionJob,
            Kind::SparkApplication => CodeKind::SparkApplication,
            Kind::ScheduledSparkApplication => CodeKind::ScheduledSparkApplication,
        };
        d.code = Some(Code {
            kind,
            file,
            name: r.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
            runs: r.image.clone(),
            image,
            resource: Some(r.clone()),
            service: None,
            env,
            enabled_plugins,
        });
        d.index();
        out.push(d);
    }
    out
}

/// The jars an `ENABLE_BUILT_IN_PLUGINS` value names, judged against the `opt/` of the image the deployment runs
/// (as discovery judges them: known only for an official image with an exact tag).
fn judge_plugins(sources: &SourceMap, value: &Located, runs: Option<&Located>) -> Vec<EnabledPlugin> {
    let shipped =
        runs.and_then(|r| dockerfile::image::known(&r.value)).filter(|k| k.version.as_ref().is_some_and(|v| v.exact));
    let shipped: Option<Vec<String>> =
        shipped.map(|k| k.shipped_jars().iter().map(|p| p.rsplit('/').next().unwrap_or("").to_string()).collect());
    let text = &sources.get(value.at.file).text[value.at.span.start..value.at.span.end];
    let mut out = Vec::new();
    let mut from = 0;
    for name in value.value.split([';', ' ', '\n']).filter(|n| !n.is_empty()) {
        let start = text[from..].find(name).map(|i| from + i).unwrap_or(0);
        from = start + name.len();
        let span = Span::new(value.at.span.start + start, value.at.span.start + start + name.len());
        out.push(EnabledPlugin {
            jar: name.to_string(),
            folder: name.strip_suffix(".jar").unwrap_or(name).to_string(),
            exists: shipped.as_ref().map(|s| s.iter().any(|j| j == name)),
            at: Location::new(value.at.file, span),
        });
    }
    out
}

/// One deployment per service of a compose file.
pub(crate) fn compose(text: &str) -> Vec<Deployment> {
    let mut base = SourceMap::new();
    let file = base.add(SourceFile::new("compose.yaml", "compose.yaml", text));
    let c = compose::read(&base, file).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for s in c.services {
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("compose.yaml", "compose.yaml", text));
        let one = compose::Compose { file, services: vec![s.clone()] };
        let secrets = compose::mark_secrets(&one, &mut sources);
        let mut d = deployment(sources, secrets);
        if !s.flink_properties.is_empty() {
            d.configs.push(config(file, ConfigKind::FlinkYaml, &s.flink_properties));
        }
        let enabled_plugins =
            s.enabled_plugins.iter().flat_map(|v| judge_plugins(&d.sources, v, s.image.as_ref())).collect();
        let env = s
            .environment
            .iter()
            .map(|e| CodeEnv {
                container: s.name.value.clone(),
                name: e.name.clone(),
                literal: e.value.clone().filter(|v| !v.value.is_empty()),
            })
            .collect();
        d.code = Some(Code {
            kind: CodeKind::ComposeService,
            file,
            name: s.name.value.clone(),
            runs: s.image.clone(),
            image: None,
            resource: None,
            service: Some(s),
            env,
            enabled_plugins,
        });
        d.index();
        out.push(d);
    }
    out
}

/// The findings of one rule, after the whole lint pass (retargeting, redaction).
pub(crate) fn findings(d: &Deployment, rule: &str) -> Vec<Finding> {
    crate::lint::run(d).into_iter().filter(|f| f.rule == rule).collect()
}

/// `line:column` and the text a finding points at.
pub(crate) fn at(d: &Deployment, f: &Finding) -> (String, String) {
    let Target::Source(at) = &f.target else { panic!("{f:?} points at a path") };
    let source = d.sources.get(at.file);
    let p = source.position(at.span.start);
    (format!("{}:{}", p.line, p.column), source.text[at.span.start..at.span.end].to_string())
}

/// Every text of a finding, for "never shows the secret" checks.
pub(crate) fn all_text(f: &Finding) -> String {
    format!("{} {} {:?} {:?}", f.message, f.help, f.key, f.suggestion)
}

//! Code files -> deployments: one per Dockerfile that builds a Flink or Spark image, one per operator resource
//! of a manifest, one per compose service that runs Flink or Spark. A manifest or service whose image a
//! Dockerfile of the repository builds ([`super::join`]) gets that Dockerfile's jars instead of the base image's.

use std::path::{Path, PathBuf};

use super::find::{CodeFile, CodeFileKind};
use super::image::{self, add_base_jars, config_of, enable_plugins, plugin_names, properties_config, set_versions};
use super::join::Builds;
use super::{Code, CodeEnv, CodeKind};
use crate::deployment::config::ConfigKind;
use crate::deployment::discover::DiscoverOptions;
use crate::deployment::dockerfile::{self, Image, KnownImage};
use crate::deployment::homes::{HomeKind, Origin};
use crate::deployment::manifest::{self, EnvValue, Kind, Located, compose};
use crate::deployment::{Deployment, UnreadableFile, classpath};
use crate::input::{ReadError, read_bytes, utf8_text};
use crate::source::{FileId, LoadError, SourceFile, SourceMap};

/// Reads every code file into its deployments, in the order found (Dockerfiles first, so that a finding a joined
/// manifest repeats is reported with the Dockerfile).
pub fn deployments(
    files: &[CodeFile],
    builds: &Builds,
    options: &DiscoverOptions,
) -> Result<Vec<Deployment>, LoadError> {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    let clusters = super::session::Clusters::default();
    let order = [CodeFileKind::Dockerfile, CodeFileKind::Manifest, CodeFileKind::Compose];
    for kind in order {
        for f in files.iter().filter(|f| f.kind == kind) {
            let text = match read(f, options) {
                Ok(t) => t,
                Err(ReadError::Unreadable(e)) | Err(ReadError::Refused(e)) if !f.explicit => {
                    unreadable.push(UnreadableFile { display: f.display.clone(), reason: e.message, malformed: false });
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let made = match kind {
                CodeFileKind::Dockerfile => dockerfile_deployment(f, text, options).map(|d| d.into_iter().collect()),
                CodeFileKind::Manifest => manifest_deployments(f, &text, builds, (files, &clusters), options),
                CodeFileKind::Compose => compose_deployments(f, &text, builds, options),
            };
            match made {
                Ok(ds) => out.extend(ds),
                // A walked file that does not parse (a Helm template, a half-written file) is not the end of the
                // check: it is reported as a file s3lint could not read.
                Err(e) if !f.explicit => {
                    let reason = format!("it could not be read as code ({e})");
                    unreadable.push(UnreadableFile { display: f.display.clone(), reason, malformed: true })
                }
                Err(e) => return Err(e),
            }
        }
    }
    if let Some(first) = out.first_mut() {
        first.unreadable.extend(unreadable);
    } else if !unreadable.is_empty() {
        out.push(Deployment { unreadable, ..Default::default() });
    }
    Ok(out)
}

/// The text of a code file (an editor's unsaved buffer in its place), charged to the run's budget.
pub(super) fn read(f: &CodeFile, options: &DiscoverOptions) -> Result<String, ReadError> {
    if let Some(b) = options.buffer.as_ref().filter(|b| same_file(&b.path, &f.path)) {
        options
            .budget
            .charge(b.text.len() as u64)
            .map_err(|s| ReadError::Refused(LoadError::file(&f.display, s.to_string())))?;
        return Ok(b.text.clone());
    }
    let bytes = read_bytes(&f.path, &f.display, &options.budget)?;
    utf8_text(bytes, &f.path, &f.display).map_err(ReadError::Refused)
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    a == b || canonical(a) == canonical(b)
}

/// A deployment holding the file `display` with `text`.
fn start(path: &Path, display: &str, text: String, options: &DiscoverOptions) -> (Deployment, FileId) {
    let mut d = Deployment { sources: SourceMap::with_budget(options.budget.clone()), ..Default::default() };
    let id = d.sources.add(SourceFile::new(display.to_string(), path.to_path_buf(), text));
    (d, id)
}

/// The options a deployment inside an image is built with: nothing of this machine's classpath or environment.
fn image_options(options: &DiscoverOptions) -> DiscoverOptions {
    DiscoverOptions { budget: options.budget.clone(), ..Default::default() }
}

/// Identifies the jars, groups them into classpaths, sets the versions the image names, marks the secrets and
/// builds the key view.
fn finish(d: &mut Deployment, known: Option<&KnownImage>, image_ref: &str, options: &DiscoverOptions) {
    classpath::build(d, &image_options(options));
    set_versions(d, known, image_ref);
    d.configs.sort_by_key(|c| !c.kind.is_spark());
    crate::deployment::secrets::mark(d);
    d.index();
    // `spec.deps.packages` (read as `spark.jars.packages` items) join Spark's classpath: needs the key view.
    crate::deployment::spark_classpath::add_packages(d);
}

fn origin(known: Option<&KnownImage>, root: String) -> Origin {
    let kind = match known.map(|k| k.product) {
        Some(dockerfile::Product::Flink) => HomeKind::Flink,
        Some(dockerfile::Product::Spark) => HomeKind::Spark,
        None => HomeKind::Files,
    };
    Origin { root, kind }
}

fn dockerfile_deployment(
    f: &CodeFile,
    text: String,
    options: &DiscoverOptions,
) -> Result<Option<Deployment>, LoadError> {
    let (mut d, id) = start(&f.path, &f.display, text, options);
    let image = image::add_dockerfile(&mut d, id, &[])?;
    if !image::is_relevant(&image) {
        return Ok(None);
    }
    super::mounts::read_copied(&mut d, &f.path, &image, options)?;
    let known = image.base.known.clone();
    let flink = exact_version(known.as_ref());
    d.configs.extend(properties_config(id, &image.flink_properties, flink.as_ref()));
    let secrets = dockerfile::mark_secrets(&image, &mut d.sources);
    d.secrets.extend(secrets);
    d.origin = origin(known.as_ref(), f.display.clone());
    let base = image.base.image.clone();
    d.code = Some(Code {
        kind: CodeKind::Dockerfile,
        file: id,
        name: f.display.clone(),
        runs: Some(Located { value: base.clone(), at: image.base.at }),
        enabled_plugins: image.enabled_plugins.clone(),
        image: Some(image),
        resource: None,
        service: None,
        env: Vec::new(),
    });
    finish(&mut d, known.as_ref(), &base, options);
    Ok(Some(d))
}

fn exact_version(known: Option<&KnownImage>) -> Option<crate::deployment::version::Version> {
    known
        .and_then(|k| k.version.as_ref())
        .filter(|v| v.exact)
        .map(|v| crate::deployment::version::Version::parse(&v.version))
}

/// The image a manifest or service runs: the Dockerfile that builds it (its jars; the base it is built from), or
/// the known base image itself.
fn add_runtime_image(
    d: &mut Deployment,
    image_ref: &Located,
    dockerfile_path: Option<(&PathBuf, &[(String, String)])>,
    options: &DiscoverOptions,
) -> Result<(Option<KnownImage>, Option<Image>), LoadError> {
    if let Some((path, build_args)) = dockerfile_path {
        let display = path.display().to_string();
        let bytes = read_bytes(path, &display, &options.budget).map_err(LoadError::from)?;
        let text = utf8_text(bytes, path, &display)?;
        let id = d.sources.add(SourceFile::new(display, path.clone(), text));
        let image = image::add_dockerfile(d, id, build_args)?;
        super::mounts::read_copied(d, path, &image, options)?;
        let secrets = dockerfile::mark_secrets(&image, &mut d.sources);
        d.secrets.extend(secrets);
        return Ok((image.base.known.clone(), Some(image)));
    }
    let known = dockerfile::image::known(&image_ref.value);
    if let Some(k) = &known {
        add_base_jars(d, k, image_ref.at);
    }
    Ok((known, None))
}

/// Most deployments one manifest or compose file makes (a real one has a handful; each is read from its own
/// copy of the text, so a file of thousands would otherwise cost time and memory quadratic in its size).
const MAX_DEPLOYMENTS_PER_FILE: usize = 64;

/// `count` deployments of `f`, each copy of its text charged to the run's budget; more than
/// [`MAX_DEPLOYMENTS_PER_FILE`] is an error.
fn bounded(f: &CodeFile, text: &str, count: usize, what: &str, options: &DiscoverOptions) -> Result<usize, LoadError> {
    if count > MAX_DEPLOYMENTS_PER_FILE {
        return Err(LoadError::file(
            &f.display,
            format!("holds {count} {what}; s3lint checks at most {MAX_DEPLOYMENTS_PER_FILE} per file: split the file"),
        ));
    }
    let copies = (count as u64).saturating_mul(text.len() as u64);
    options.budget.charge(copies).map_err(|spent| LoadError::file(&f.display, spent.to_string()))?;
    Ok(count)
}

fn code_kind(kind: Kind) -> CodeKind {
    match kind {
        Kind::FlinkDeployment => CodeKind::FlinkDeployment,
        Kind::FlinkSessionJob => CodeKind::FlinkSessionJob,
        Kind::SparkApplication => CodeKind::SparkApplication,
        Kind::ScheduledSparkApplication => CodeKind::ScheduledSparkApplication,
    }
}

fn manifest_deployments(
    f: &CodeFile,
    text: &str,
    builds: &Builds,
    others: (&[CodeFile], &super::session::Clusters),
    options: &DiscoverOptions,
) -> Result<Vec<Deployment>, LoadError> {
    // Parsed once: every deployment's copy of the text is the first file of its source map, so the locations of
    // this parse hold in each of them.
    let m = {
        let (d, id) = start(&f.path, &f.display, text.to_string(), options);
        manifest::read(&d.sources, id)?
    };
    let count = bounded(f, text, m.resources.len(), "Flink or Spark operator resources", options)?;
    let mut out = Vec::new();
    for i in 0..count {
        let (mut d, id) = start(&f.path, &f.display, text.to_string(), options);
        debug_assert_eq!(id, m.file);
        let mut r = m.resources[i].clone();
        // A session job runs with its session cluster's image, environment and configuration.
        let session = match r.kind {
            Kind::FlinkSessionJob => super::session::cluster(&r, &m, f, others, &mut d, options)?,
            _ => None,
        };
        if let Some(s) = &session {
            r.image = r.image.clone().or_else(|| s.image.clone());
            r.version = r.version.clone().or_else(|| s.version.clone());
        }
        let built = r.image.as_ref().and_then(|img| builds.dockerfile_of(&img.value));
        let (known, built_image) = match &r.image {
            Some(img) => add_runtime_image(&mut d, img, built.as_ref().map(|p| (p, &[][..])), options)?,
            None => (None, None),
        };
        let flink = matches!(r.kind, Kind::FlinkDeployment | Kind::FlinkSessionJob);
        if let Some(s) = &session {
            d.configs.push(config_of(s.kind_at.file, ConfigKind::FlinkYaml, s.config.clone()));
        }
        if flink {
            d.configs.push(config_of(id, ConfigKind::FlinkYaml, r.config.clone()));
        } else {
            d.configs.push(config_of(id, ConfigKind::SparkConf, r.config.clone()));
            if !r.hadoop_conf.is_empty() {
                d.configs.push(config_of(id, ConfigKind::HadoopXml, r.hadoop_conf.clone()));
            }
            // `spec.deps.packages` are spark-submit's `--packages`: each coordinate read as an item of
            // `spark.jars.packages`, at its own line.
            for p in &r.packages {
                let def = crate::deployment::config::Entry {
                    key: "spark.jars.packages".into(),
                    value: p.value.clone(),
                    raw: p.value.clone(),
                    key_at: p.at,
                    value_at: p.at,
                    is_final: false,
                    machine_dependent: false,
                };
                d.configs.push(config_of(id, ConfigKind::SparkConf, vec![def]));
            }
            for j in &r.jars {
                let name = j.value.rsplit('/').next().unwrap_or("").to_string();
                if name.ends_with(".jar") {
                    let shown = j.value.clone();
                    let mut jar = image::virtual_jar(
                        &shown,
                        crate::deployment::JarPlace::SparkConfigured,
                        classpath::parse_file_name(&name),
                        j.at,
                    );
                    jar.display = shown;
                    d.jars.push(jar);
                }
            }
        }
        let mut env = Vec::new();
        let mut plugins = Vec::new();
        let cluster_env = session.iter().flat_map(|s| {
            let cluster = s.name.as_ref().map_or(String::new(), |n| n.value.clone());
            s.env.iter().map(move |e| (format!("FlinkDeployment {cluster}: {}", e.container), e))
        });
        for (container, e) in r.env.iter().map(|e| (e.container.clone(), e)).chain(cluster_env) {
            let literal = match &e.value {
                EnvValue::Literal(v) if !v.value.is_empty() => Some(v.clone()),
                _ => None,
            };
            if e.name.value == "ENABLE_BUILT_IN_PLUGINS"
                && let Some(v) = &literal
            {
                let written = &d.sources.get(v.at.file).text;
                plugins.extend(plugin_names(written, &v.value, v.at));
            }
            env.push(CodeEnv { container, name: e.name.clone(), literal });
        }
        // A ConfigMap of the file is what `envFrom.configMapRef` gives the containers: a credential written in
        // one is as plain as one in `env`.
        for cm in &m.config_maps {
            let shown = cm.name.as_ref().map_or("ConfigMap".to_string(), |n| format!("ConfigMap {}", n.value));
            for (k, v) in &cm.data {
                let literal = (!v.value.is_empty()).then(|| v.clone());
                env.push(CodeEnv { container: shown.clone(), name: k.clone(), literal });
            }
        }
        let enabled = enable_plugins(&mut d, &plugins, known.as_ref());
        let secrets = manifest::mark_secrets(&m, &mut d.sources);
        d.secrets.extend(secrets);
        let name = r.name.as_ref().map(|n| n.value.clone()).unwrap_or_default();
        let kind = code_kind(r.kind);
        let product_known = known.clone().or_else(|| fallback_known(flink));
        d.origin = origin(product_known.as_ref(), format!("{}#{}/{}", f.display, kind_name(r.kind), name));
        let image_ref = r.image.as_ref().map(|i| i.value.clone()).unwrap_or_default();
        d.code = Some(Code {
            kind,
            file: id,
            name,
            runs: r.image.clone(),
            image: built_image,
            enabled_plugins: enabled,
            resource: Some(r),
            service: None,
            env,
        });
        finish(&mut d, known.as_ref(), &image_ref, options);
        flink_version_of_spec(&mut d);
        out.push(d);
    }
    Ok(out)
}

/// `spec.flinkVersion` (`v1_17`, `v2_0`) as the Flink version when the image names none exactly and no Flink
/// jar of the deployment has a version to compare with it: the operator's word for the release line decides
/// which keys are deprecated or renamed, never a jar's patch release.
fn flink_version_of_spec(d: &mut Deployment) {
    let Some(spec) = d.code.as_ref().and_then(|c| c.resource.as_ref()).and_then(|r| r.version.clone()) else {
        return;
    };
    let is_flink =
        d.code.as_ref().is_some_and(|c| matches!(c.kind, CodeKind::FlinkDeployment | CodeKind::FlinkSessionJob));
    let versioned_flink_jar = d.jars.iter().any(|j| j.artifact.in_group("org.apache.flink") && j.version().is_some())
        || d.jars.iter().any(|j| j.file_name.starts_with("flink-") && j.version().is_some());
    if !is_flink || d.flink_version.is_some() || versioned_flink_jar {
        return;
    }
    let line = spec.value.trim_start_matches('v').replace('_', ".");
    let numbers: Vec<&str> = line.split('.').collect();
    if numbers.len() == 2 && numbers.iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
        let version = crate::deployment::version::Version::parse(&line);
        d.flink_version =
            Some(crate::deployment::KnownVersion { version, from: format!("spec.flinkVersion `{}`", spec.value) });
    }
}

/// A stand-in known image for the product of an operator resource whose image is not known (only its kind is
/// used: the deployment's origin).
fn fallback_known(flink: bool) -> Option<KnownImage> {
    dockerfile::image::known(if flink { "flink" } else { "apache/spark" })
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::FlinkDeployment => "FlinkDeployment",
        Kind::FlinkSessionJob => "FlinkSessionJob",
        Kind::SparkApplication => "SparkApplication",
        Kind::ScheduledSparkApplication => "ScheduledSparkApplication",
    }
}

fn compose_deployments(
    f: &CodeFile,
    text: &str,
    builds: &Builds,
    options: &DiscoverOptions,
) -> Result<Vec<Deployment>, LoadError> {
    // Parsed once, as a manifest is (see `manifest_deployments`).
    let c = {
        let (d, id) = start(&f.path, &f.display, text.to_string(), options);
        compose::read(&d.sources, id)?
    };
    let count = bounded(f, text, c.services.len(), "services", options)?;
    let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut out = Vec::new();
    for i in 0..count {
        let (mut d, id) = start(&f.path, &f.display, text.to_string(), options);
        debug_assert_eq!(id, c.file);
        let s = c.services[i].clone();
        // The service's own `build:` is built with its `build.args`; a Dockerfile found by image name is not.
        let build_args: Vec<(String, String)> = s
            .build_args
            .iter()
            .filter_map(|a| Some((a.name.value.trim().to_string(), a.value.as_ref()?.value.clone())))
            .collect();
        let built = match super::join::compose_dockerfile(&dir, &s) {
            Some(p) => Some((p, build_args.as_slice())),
            None => s.image.as_ref().and_then(|i| builds.dockerfile_of(&i.value)).map(|p| (p, &[][..])),
        };
        let image_ref = s.image.clone().or_else(|| s.build.as_ref().map(|(ctx, _)| ctx.clone()));
        let Some(image_ref) = image_ref else { continue };
        let (known, built_image) =
            add_runtime_image(&mut d, &image_ref, built.as_ref().map(|(p, a)| (p, *a)), options)?;
        if known.is_none() && built_image.as_ref().is_none_or(|i| !image::is_relevant(i)) {
            continue; // MinIO, ZooKeeper, a database: not Flink or Spark.
        }
        let flink = exact_version(known.as_ref());
        d.configs.extend(properties_config(id, &s.flink_properties, flink.as_ref()));
        super::mounts::read_mounted(&mut d, &dir, &s, known.as_ref(), options)?;
        let names: Vec<_> = s.enabled_plugins.iter().map(|p| (p.value.clone(), p.at)).collect();
        let enabled = enable_plugins(&mut d, &names, known.as_ref());
        // The build arguments too: a credential written there is as plain, and docker keeps it in the image.
        let build = format!("{} build.args", s.name.value);
        let variables = s.environment.iter().map(|e| (s.name.value.clone(), e));
        let env = variables
            .chain(s.build_args.iter().map(|e| (build.clone(), e)))
            .map(|(container, e)| CodeEnv {
                container,
                name: e.name.clone(),
                literal: e.value.clone().filter(|v| !v.value.is_empty() && !v.value.starts_with('$')),
            })
            .collect();
        let secrets = compose::mark_secrets(&c, &mut d.sources);
        d.secrets.extend(secrets);
        d.origin = origin(known.as_ref(), format!("{}#services/{}", f.display, s.name.value));
        d.code = Some(Code {
            kind: CodeKind::ComposeService,
            file: id,
            name: s.name.value.clone(),
            runs: Some(image_ref.clone()),
            image: built_image,
            enabled_plugins: enabled,
            resource: None,
            service: Some(s),
            env,
        });
        finish(&mut d, known.as_ref(), &image_ref.value, options);
        out.push(d);
    }
    Ok(out)
}

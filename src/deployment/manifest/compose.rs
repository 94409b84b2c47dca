//! docker-compose reader: each service's `image` and `build`, its `environment` (a map, or a list of
//! `NAME=value` items), the official Flink image's `FLINK_PROPERTIES` block and `ENABLE_BUILT_IN_PLUGINS` in it
//! (read as [`crate::deployment::dockerfile::entrypoint`] describes), `env_file`s, and `volumes` that mount files
//! (short `host:container[:mode]` or long `source:`/`target:` syntax), so a mounted `flink-conf.yaml` or
//! `core-site.xml` of the repository can be read as the container's configuration.

use super::yaml::{self, Node, Scalar};
use super::{Located, located};
use crate::deployment::config::Entry;
use crate::deployment::dockerfile::entrypoint::{Finder, flink_properties};
use crate::source::{FileId, LoadError, Location, SourceMap, Span};

/// One `environment` variable of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The name.
    pub name: Located,
    /// The value as written (`None` for `- NAME` or `NAME:` with nothing: taken from the shell running compose).
    pub value: Option<Located>,
}

/// A bind mount of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The host path as written (relative to the compose file's directory when it starts with `.`).
    pub source: String,
    /// The path in the container.
    pub target: String,
    /// Where the mount is written.
    pub at: Location,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The service's name.
    pub name: Located,
    /// `image:`.
    pub image: Option<Located>,
    /// `build:` (a context path, or `build.context`), with `build.dockerfile` when given.
    pub build: Option<(Located, Option<Located>)>,
    /// `build.args` (a map, or a list of `NAME=value`), each name and value at its span: the Dockerfile's
    /// `ARG`s as the build sets them. A bare `NAME` (taken from the shell) has no value here.
    pub build_args: Vec<EnvVar>,
    /// `environment:`.
    pub environment: Vec<EnvVar>,
    /// `FLINK_PROPERTIES` lines as configuration entries, each key and value at its own line.
    pub flink_properties: Vec<Entry>,
    /// `ENABLE_BUILT_IN_PLUGINS` names.
    pub enabled_plugins: Vec<Located>,
    /// `env_file:` paths.
    pub env_files: Vec<Located>,
    /// Bind mounts.
    pub mounts: Vec<Mount>,
}

/// A compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compose {
    /// The file.
    pub file: FileId,
    /// The services, in order.
    pub services: Vec<Service>,
}

/// Reads a compose file already added to `sources`.
pub fn read(sources: &SourceMap, file: FileId) -> Result<Compose, LoadError> {
    let source = sources.get(file);
    let text = source.text.as_str();
    let docs = yaml::parse(text).map_err(|(at, m)| LoadError::at(source, at, format!("invalid YAML: {m}")))?;
    let root = docs.into_iter().find_map(|d| d.root);
    let mut services = Vec::new();
    for (name, s) in root.as_ref().and_then(|r| r.get("services")).map_or(&[][..], Node::entries) {
        services.push(service(file, text, name, s));
    }
    Ok(Compose { file, services })
}

fn service(file: FileId, text: &str, name: &Scalar, s: &Node) -> Service {
    let loc = |x: &Scalar| located(file, x);
    let build = s.get("build").and_then(|b| match b.scalar() {
        Some(ctx) => Some((loc(ctx), None)),
        None => b
            .get("context")
            .and_then(Node::scalar)
            .map(|c| (loc(c), b.get("dockerfile").and_then(Node::scalar).map(loc))),
    });
    let build_args = variables(file, text, s.get("build").and_then(|b| b.get("args")));
    let mut out = Service {
        name: loc(name),
        image: s.get("image").and_then(Node::scalar).map(loc),
        build,
        build_args,
        environment: Vec::new(),
        flink_properties: Vec::new(),
        enabled_plugins: Vec::new(),
        env_files: match s.get("env_file") {
            Some(n) if n.scalar().is_some() => n.scalar().map(loc).into_iter().collect(),
            Some(n) => {
                n.items().iter().filter_map(|i| i.scalar().or_else(|| i.get("path")?.scalar())).map(loc).collect()
            }
            None => Vec::new(),
        },
        mounts: s.get("volumes").map_or(&[][..], Node::items).iter().filter_map(|v| mount(file, v)).collect(),
    };
    out.environment = variables(file, text, s.get("environment"));
    for e in &out.environment {
        let Some(v) = &e.value else { continue };
        let within = Span::new(v.at.span.start, text.len());
        match e.name.value.as_str() {
            "FLINK_PROPERTIES" => out.flink_properties = flink_properties(&v.value, Finder::new(text, within), file),
            "ENABLE_BUILT_IN_PLUGINS" => {
                let mut find = Finder::new(text, within);
                out.enabled_plugins = v
                    .value
                    .split([';', ' ', '\t', '\n'])
                    .filter(|n| !n.is_empty())
                    .map(|n| Located { value: n.to_string(), at: Location::new(file, find.next(n)) })
                    .collect();
            }
            _ => {}
        }
    }
    out
}

/// A map's entries with YAML merge keys resolved, as compose resolves them (`<<: *defaults`, `<<: [*a, *b]`,
/// common with `x-` extension fields): the merged maps' entries first, each overridden by the map's own key of the
/// same name; an earlier map of a merge list wins over a later one.
fn merged(map: &Node) -> Vec<(&Scalar, &Node)> {
    let own: Vec<(&Scalar, &Node)> =
        map.entries().iter().filter(|(k, _)| k.value != "<<").map(|(k, v)| (k, v)).collect();
    let mut out: Vec<(&Scalar, &Node)> = Vec::new();
    for (_, m) in map.entries().iter().filter(|(k, _)| k.value == "<<") {
        let maps: Vec<&Node> = match m {
            Node::Seq(items, _) => items.iter().collect(),
            other => vec![other],
        };
        for inherited in maps {
            for (k, v) in inherited.entries() {
                let shadowed = own.iter().chain(out.iter()).any(|(o, _)| o.value == k.value);
                if !shadowed {
                    out.push((k, v));
                }
            }
        }
    }
    out.extend(own);
    out
}

/// A bind mount: `./conf:/opt/flink/conf[:ro]` or `{type: bind, source, target}`; named volumes are skipped.
fn mount(file: FileId, v: &Node) -> Option<Mount> {
    if let Some(s) = v.scalar() {
        let mut parts = s.value.splitn(3, ':');
        let (source, target) = (parts.next()?, parts.next()?);
        let is_path = source.starts_with(['.', '/', '~']) || source.starts_with("${");
        return is_path.then(|| Mount {
            source: source.to_string(),
            target: target.to_string(),
            at: Location::new(file, s.at),
        });
    }
    let field = |k: &str| v.get(k).and_then(Node::scalar);
    let kind = field("type").map_or("volume", |t| t.value.as_str());
    (kind == "bind").then_some(())?;
    let (source, target) = (field("source")?, field("target")?);
    Some(Mount { source: source.value.clone(), target: target.value.clone(), at: Location::new(file, source.at) })
}

/// The variables of an `environment:` or `build.args:` node: a map (merge keys resolved), or a list of
/// `NAME=value` / `NAME` items whose name and value spans are cut out of the item where it is written.
fn variables(file: FileId, text: &str, node: Option<&Node>) -> Vec<EnvVar> {
    let mut out = Vec::new();
    for (k, v) in node.map(merged).unwrap_or_default() {
        out.push(EnvVar { name: located(file, k), value: v.scalar().map(|s| located(file, s)) });
    }
    for item in node.map_or(&[][..], Node::items).iter().filter_map(Node::scalar) {
        let (n, v) = item.value.split_once('=').map_or((item.value.as_str(), None), |(n, v)| (n, Some(v)));
        let mut find = Finder::new(text, Span::new(item.at.start, text.len()));
        let name_at = find.next(n);
        let value = v.map(|v| Located { value: v.to_string(), at: Location::new(file, find.next(v.trim_start())) });
        out.push(EnvVar { name: Located { value: n.to_string(), at: Location::new(file, name_at) }, value });
    }
    out
}

/// Marks literal credentials (credential-named variables, credential keys in `FLINK_PROPERTIES`) as secret and
/// returns them for the final scrub.
pub fn mark_secrets(compose: &Compose, sources: &mut SourceMap) -> Vec<String> {
    let mut values = Vec::new();
    for s in &compose.services {
        let env =
            s.environment.iter().chain(&s.build_args).filter(|e| crate::redact::classify(&e.name.value).is_some());
        let env = env.filter_map(|e| e.value.as_ref().map(|v| (v.at, v.value.clone())));
        let props = s.flink_properties.iter().filter(|e| crate::redact::classify(&e.key).is_some());
        for (at, value) in env.chain(props.map(|e| (e.value_at, e.value.clone()))) {
            sources.get_mut(at.file).mark_secret(at.span);
            if !value.is_empty() && !value.starts_with('$') {
                values.push(value);
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn read_fixture(name: &str) -> (SourceMap, Compose) {
        let path = format!("{}/fixtures/readers/k8s/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("fixture");
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new(name, &path, text));
        let c = read(&sources, file).unwrap_or_else(|e| panic!("{e}"));
        (sources, c)
    }

    use crate::deployment::manifest::tests::{every_prefix, pos};

    #[test]
    fn flink_session_cluster_with_properties_block_plugins_and_mounts() {
        let (mut s, c) = read_fixture("compose-flink.yaml");
        let names: Vec<&str> = c.services.iter().map(|s| s.name.value.as_str()).collect();
        assert_eq!(names, ["jobmanager", "taskmanager", "minio"]);
        let jm = &c.services[0];
        assert_eq!(jm.image.as_ref().unwrap().value, "flink:1.18.1-scala_2.12");
        let keys: Vec<(&str, &str)> = jm.flink_properties.iter().map(|e| (e.key.as_str(), e.value.as_str())).collect();
        assert_eq!(keys[0], ("jobmanager.rpc.address", "jobmanager"));
        assert_eq!(keys[2], ("s3.endpoint", "http://minio:9000"));
        assert_eq!(pos(&s, jm.flink_properties[2].key_at), "12:9");
        assert_eq!(pos(&s, jm.flink_properties[2].value_at), "12:22");
        assert_eq!(jm.enabled_plugins[0].value, "flink-s3-fs-presto-1.18.1.jar");
        assert_eq!(pos(&s, jm.enabled_plugins[0].at), "16:33");
        assert_eq!(jm.mounts[0].target, "/opt/flink/conf/log4j-console.properties");
        let tm = &c.services[1];
        assert_eq!(tm.build.as_ref().map(|b| b.0.value.as_str()), Some("./flink"));
        assert_eq!(tm.build.as_ref().and_then(|b| b.1.as_ref()).map(|d| d.value.as_str()), Some("Dockerfile.flink"));
        let env: Vec<&str> = tm.environment.iter().map(|e| e.name.value.as_str()).collect();
        assert_eq!(env, ["FLINK_PROPERTIES", "AWS_REGION"]);
        let values = mark_secrets(&c, &mut s);
        assert_eq!(
            values,
            ["minio", "minio-secret-1234", "minio-secret-1234"],
            "s3.access-key, s3.secret-key, MINIO_ROOT_PASSWORD"
        );
        let shown = s.get(c.file).redacted_text();
        assert!(!shown.contains("minio-secret-1234"), "{shown}");
    }

    #[test]
    fn every_prefix_reads_or_fails_cleanly() {
        let text =
            std::fs::read_to_string(format!("{}/fixtures/readers/k8s/compose-flink.yaml", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        every_prefix(&text, |sources, file| {
            if let Ok(c) = read(sources, file) {
                let _ = mark_secrets(&c, sources);
            }
        });
    }
}

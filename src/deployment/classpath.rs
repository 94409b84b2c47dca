//! The jar inventory: every jar of a deployment identified as Maven coordinates (group, artifact, version,
//! classifier), the classpaths the jars form, and the Flink and Hadoop versions they show.
//!
//! A jar is identified, in order, from its own `META-INF/maven/<group>/<artifact>/pom.properties` (the one
//! whose artifact the file name names — a jar may carry only bundled artifacts' poms), from the Maven
//! coordinates of its file name (`hadoop-aws-2.7.3.jar`, `flink-dist_2.11-1.5.0.jar`,
//! `flink-s3-fs-presto-1.4-SNAPSHOT.jar`) with the group from `META-INF/MANIFEST.MF` when the manifest's version
//! agrees, and from the manifest's version for a file name without one. A manifest title never names the
//! artifact (sbt titles `spire_2.12` and `algebra_2.12` both `core`). Only the zip's central directory and those
//! few small entries are read, so a distribution with hundreds of jars stays fast.
//! Shaded jars (`flink-s3-fs-*`, `flink-shaded-hadoop*`, `hadoop-client-*`) also report what they bundle, from
//! the `pom.properties` of other artifacts they carry and the `- group:artifact:version` lines of
//! `META-INF/NOTICE`. A file that is not a readable zip is recorded as unreadable (the `jar-unreadable` rule
//! reports it), never an error.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::discover::DiscoverOptions;
use super::version::Version;
use super::{Classpath, ClasspathKind, Deployment, JarPlace, JarRef, KnownVersion};

/// The largest entry read from a jar (manifests, `pom.properties`, `NOTICE`); larger ones are cut.
const MAX_ENTRY_BYTES: u64 = 256 * 1024;
/// The most `pom.properties` entries read from one shaded jar.
const MAX_BUNDLED_POMS: usize = 200;
/// The most bytes inflated from one jar's entries in all (a jar of 200 compressed 256 KiB "pom.properties"
/// would otherwise cost 50 MB of inflating; real ones hold a few KiB).
const MAX_JAR_METADATA_BYTES: u64 = 4 * 1024 * 1024;

/// Artifact-id prefixes of jars that bundle (shade) other artifacts whose versions matter.
const SHADED_PREFIXES: [&str; 5] =
    ["flink-s3-fs-", "flink-shaded-hadoop", "hadoop-client-api", "hadoop-client-runtime", "flink-fs-hadoop-shaded"];

/// Words that may follow a version in a jar's file name: qualifiers, vendor builds and classifiers.
const VERSION_WORDS: [&str; 17] = [
    "snapshot", "final", "ga", "release", "alpha", "beta", "rc", "cr", "m", "sp", "jre", "android", "amzn", "tests",
    "test", "sources", "shaded",
];

/// Classifiers Maven appends after the version (`hadoop-common-2.7.3-tests.jar`).
const CLASSIFIERS: [&str; 5] = ["tests", "test", "sources", "javadoc", "shaded"];

/// Maven coordinates of a jar (or of an artifact a shaded jar bundles).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Artifact {
    /// `groupId`, when known (`org.apache.hadoop`); file names do not tell it.
    pub group: Option<String>,
    /// `artifactId`, with any Scala suffix (`flink-dist_2.11`).
    pub artifact: String,
    /// The version as written (`1.4-SNAPSHOT`).
    pub version: Option<String>,
    /// The classifier (`tests`), if any.
    pub classifier: Option<String>,
}

impl Artifact {
    /// The version, parsed for comparison.
    pub fn version(&self) -> Option<Version> {
        self.version.as_deref().map(Version::parse)
    }

    /// The artifact id without a Scala suffix (`flink-dist_2.11` -> `flink-dist`).
    pub fn base_name(&self) -> &str {
        match self.artifact.rfind('_') {
            Some(i) if self.artifact[i + 1..].starts_with("2.") => &self.artifact[..i],
            _ => &self.artifact,
        }
    }

    /// True when the group is `group`, or unknown and the artifact id is typical of it.
    pub fn in_group(&self, group: &str) -> bool {
        match &self.group {
            Some(g) => g == group,
            None => match group {
                "org.apache.hadoop" => self.artifact.starts_with("hadoop-"),
                "org.apache.flink" => self.artifact.starts_with("flink-"),
                "com.amazonaws" => self.artifact.starts_with("aws-java-sdk"),
                "software.amazon.awssdk" => {
                    self.artifact == "bundle" && self.version().and_then(|v| v.line()).is_some_and(|l| l.0 == 2)
                }
                _ => false,
            },
        }
    }

    /// `group:artifact:version` (unknown parts left out).
    pub fn coordinates(&self) -> String {
        let mut s = String::new();
        if let Some(g) = &self.group {
            s.push_str(g);
            s.push(':');
        }
        s.push_str(&self.artifact);
        if let Some(v) = &self.version {
            s.push(':');
            s.push_str(v);
        }
        s
    }

    /// True for jars that bundle other artifacts (shaded/uber jars).
    pub fn is_shaded(&self) -> bool {
        SHADED_PREFIXES.iter().any(|p| self.artifact.starts_with(p))
    }
}

/// Where a jar's identity was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdSource {
    /// `META-INF/maven/<group>/<artifact>/pom.properties`.
    PomProperties,
    /// `Implementation-*` / `Bundle-*` attributes of `META-INF/MANIFEST.MF`.
    Manifest,
    /// The file name.
    FileName,
}

/// What reading a jar tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The jar's own coordinates.
    pub artifact: Artifact,
    /// Where they were read from.
    pub source: IdSource,
    /// What it bundles (shaded jars only).
    pub bundles: Vec<Artifact>,
}

/// Splits a jar file name into artifact, version and classifier: `hadoop-aws-2.7.3.jar`,
/// `flink-dist_2.11-1.5.0.jar`, `flink-s3-fs-presto-1.4-SNAPSHOT.jar`, `log4j-1.2-api-2.17.1.jar`,
/// `flink-shaded-hadoop-2-uber-2.8.3-10.0.jar`, `hadoop-common-2.7.3-tests.jar`. A name without a version gives
/// the stem as artifact and no version.
pub fn parse_file_name(file_name: &str) -> Artifact {
    let stem = file_name.strip_suffix(".jar").or_else(|| file_name.strip_suffix(".JAR")).unwrap_or(file_name);
    let bytes = stem.as_bytes();
    for (i, _) in stem.match_indices('-') {
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) || i == 0 {
            continue;
        }
        let rest = &stem[i + 1..];
        if rest.split('-').all(is_version_segment) {
            let mut segments: Vec<&str> = rest.split('-').collect();
            let mut classifier = None;
            if segments.len() > 1
                && let Some(last) = segments.last().filter(|s| CLASSIFIERS.contains(&s.to_ascii_lowercase().as_str()))
            {
                classifier = Some(last.to_string());
                segments.pop();
            }
            return Artifact {
                group: None,
                artifact: stem[..i].to_string(),
                version: Some(segments.join("-")),
                classifier,
            };
        }
    }
    Artifact { group: None, artifact: stem.to_string(), version: None, classifier: None }
}

/// A segment after the version's first `-`: starts with a digit, contains one (`cdh6`, `rc1`), or is a known word.
fn is_version_segment(s: &str) -> bool {
    !s.is_empty() && (s.bytes().any(|b| b.is_ascii_digit()) || VERSION_WORDS.contains(&s.to_ascii_lowercase().as_str()))
}

/// Reads `pom.properties` text (`groupId=`, `artifactId=`, `version=`; `#` comments).
pub fn parse_pom_properties(text: &str) -> Option<Artifact> {
    let mut group = None;
    let mut artifact = None;
    let mut version = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let Some((k, v)) = line.split_once(['=', ':']) else { continue };
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match k.trim() {
            "groupId" => group = Some(v.to_string()),
            "artifactId" => artifact = Some(v.to_string()),
            "version" => version = Some(v.to_string()),
            _ => {}
        }
    }
    Some(Artifact { group, artifact: artifact?, version, classifier: None })
}

/// The main section of `META-INF/MANIFEST.MF`: attribute name -> value (continuation lines joined).
pub fn parse_manifest(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if line.is_empty() {
            break; // the main section ends at the first blank line
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some(v) = last.as_ref().and_then(|k| out.get_mut(k)) {
                let v: &mut String = v;
                v.push_str(cont);
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_string();
            out.insert(k.clone(), v.trim().to_string());
            last = Some(k);
        }
    }
    out
}

/// What a manifest adds to a jar's file-name identity. The artifact id is never taken from the manifest: an
/// `Implementation-Title` is a display name (sbt writes the module name, `core` for `spire_2.12` and
/// `algebra_2.12` alike), so two artifacts would merge on it. When the file name carries a version, the manifest
/// only confirms it and adds the group (`Implementation-Vendor-Id`), and only when its own version agrees — a
/// shaded jar may carry a bundled artifact's manifest (`hadoop-client-runtime-3.3.4.jar` says "Apache Hadoop
/// shaded Protobuf 3.7", version 1.1.1). When the file name has no version, the manifest's
/// `Implementation-Version` or `Bundle-Version` is the version.
fn manifest_identity(attrs: &BTreeMap<String, String>, from_name: &Artifact) -> Option<Artifact> {
    let id_like = |s: &&String| !s.is_empty() && !s.contains(char::is_whitespace);
    let version = attrs.get("Implementation-Version").or_else(|| attrs.get("Bundle-Version")).filter(id_like)?;
    if let Some(named) = &from_name.version
        && !versions_agree(named, version)
    {
        return None;
    }
    let group = attrs.get("Implementation-Vendor-Id").filter(id_like).cloned();
    Some(Artifact {
        group,
        artifact: from_name.artifact.clone(),
        version: Some(from_name.version.clone().unwrap_or_else(|| version.clone())),
        classifier: from_name.classifier.clone(),
    })
}

/// True when two spellings name one release: the numbers of one start with the numbers of the other
/// (`2.5.1` and OSGi's `2.5.1.final_20221101`, `1.5.5-4` and `1.5.5.4`).
fn versions_agree(a: &str, b: &str) -> bool {
    let (a, b) = (Version::parse(a).numbers(), Version::parse(b).numbers());
    let n = a.len().min(b.len());
    n > 0 && a[..n] == b[..n]
}

/// The `- group:artifact:version` (or `group:artifact:classifier:version`) lines of a Flink-style `NOTICE`.
pub fn parse_notice(text: &str) -> Vec<Artifact> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(item) = line.trim().strip_prefix("- ") else { continue };
        let coords = item.split_whitespace().next().unwrap_or("");
        let parts: Vec<&str> = coords.split(':').collect();
        if !(3..=4).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
            continue;
        }
        let (classifier, version) = if parts.len() == 4 { (Some(parts[2]), parts[3]) } else { (None, parts[2]) };
        if !version.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        out.push(Artifact {
            group: Some(parts[0].to_string()),
            artifact: parts[1].to_string(),
            version: Some(version.to_string()),
            classifier: classifier.map(str::to_string),
        });
    }
    out
}

/// The `META-INF/` entries a jar's identity is read from, found in one pass over the central directory.
struct JarEntries {
    archive: rawzip::ZipArchive<rawzip::FileReader>,
    /// Entry name -> where its data is and how it is compressed.
    found: Vec<(String, rawzip::ZipArchiveEntryWayfinder, rawzip::CompressionMethod)>,
    /// Bytes inflated so far (at most [`MAX_JAR_METADATA_BYTES`]).
    inflated: std::cell::Cell<u64>,
}

impl JarEntries {
    /// Opens the zip and records `META-INF/MANIFEST.MF`, `META-INF/NOTICE[.txt]` and every
    /// `META-INF/maven/*/*/pom.properties`, without materialising the rest of the central directory.
    fn open(file: File) -> Result<Self, String> {
        let mut buffer = vec![0u8; rawzip::RECOMMENDED_BUFFER_SIZE];
        let archive =
            rawzip::ZipArchive::from_file(file, &mut buffer).map_err(|e| format!("not a valid jar (zip) file: {e}"))?;
        let mut found = Vec::new();
        let mut entries = archive.entries(&mut buffer);
        loop {
            let entry = match entries.next_entry() {
                Ok(Some(entry)) => entry,
                Ok(None) => break,
                Err(e) => return Err(format!("not a valid jar (zip) file: {e}")),
            };
            let name = entry.file_path().as_bytes();
            let Some(rest) = name.strip_prefix(b"META-INF/") else { continue };
            let wanted = rest == b"MANIFEST.MF"
                || rest == b"NOTICE"
                || rest == b"NOTICE.txt"
                || (rest.starts_with(b"maven/") && rest.ends_with(b"/pom.properties"));
            if wanted
                && found.len() < MAX_BUNDLED_POMS + 3
                && let Ok(name) = std::str::from_utf8(name)
            {
                found.push((name.to_string(), entry.wayfinder(), entry.compression_method()));
            }
        }
        Ok(JarEntries { archive, found, inflated: std::cell::Cell::new(0) })
    }

    /// Names of the `pom.properties` entries, with the artifact id their path names.
    fn poms(&self) -> Vec<(String, String)> {
        self.found
            .iter()
            .filter_map(|(name, _, _)| {
                let rest = name.strip_prefix("META-INF/maven/")?.strip_suffix("/pom.properties")?;
                let (_, artifact) = rest.split_once('/')?;
                Some((name.clone(), artifact.to_string()))
            })
            .collect()
    }

    /// Reads one recorded entry, at most [`MAX_ENTRY_BYTES`] (and what is left of [`MAX_JAR_METADATA_BYTES`]), as
    /// text; `None` when absent, unreadable or over the limit.
    fn read(&self, name: &str) -> Option<String> {
        let (_, wayfinder, method) = self.found.iter().find(|(n, _, _)| n == name)?;
        let limit = MAX_ENTRY_BYTES.min(MAX_JAR_METADATA_BYTES.saturating_sub(self.inflated.get()));
        if limit == 0 {
            return None;
        }
        let entry = self.archive.get_entry(*wayfinder).ok()?;
        let mut bytes = Vec::new();
        let reader = entry.reader();
        match *method {
            rawzip::CompressionMethod::STORE => reader.take(limit).read_to_end(&mut bytes).ok()?,
            rawzip::CompressionMethod::DEFLATE => {
                flate2::read::DeflateDecoder::new(reader).take(limit).read_to_end(&mut bytes).ok()?
            }
            _ => return None,
        };
        self.inflated.set(self.inflated.get() + bytes.len() as u64);
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The jar's own `pom.properties` (entry name and coordinates), among all it carries: the one of the artifact the
/// file name names (`hadoop-aws` for `hadoop-aws-3.3.4.jar`), or whose `artifactId-version` the file name
/// starts with (`hive-shims-0.23-2.3.9.jar`), or the only one when the file name has no version (a renamed
/// `s3.jar`). Any other is a bundled artifact's: `scala-compiler-2.12.18.jar` carries only jline's.
fn own_pom(
    zip: &JarEntries,
    poms: &[(String, String)],
    file_name: &str,
    from_name: &Artifact,
) -> Option<(String, Artifact)> {
    let read = |entry: &str| zip.read(entry).and_then(|t| parse_pom_properties(&t)).map(|a| (entry.to_string(), a));
    if let Some((entry, _)) = poms.iter().find(|(_, a)| *a == from_name.artifact) {
        return read(entry);
    }
    for (entry, artifact) in poms.iter().filter(|(_, a)| file_name.starts_with(&format!("{a}-"))) {
        if let Some((entry, a)) = read(entry)
            && a.version.as_ref().is_some_and(|v| file_name.starts_with(&format!("{artifact}-{v}")))
        {
            return Some((entry, a));
        }
    }
    match poms {
        [(entry, _)] if from_name.version.is_none() => read(entry),
        _ => None,
    }
}

/// Identifies the jar at `path`; `Err(reason)` when it is not a readable, non-empty zip.
pub fn identify(path: &Path) -> Result<Identity, String> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let from_name = parse_file_name(&file_name);
    let file = crate::input::open_regular(path, "").map_err(|e| e.error().message.clone())?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Err("the file is empty (0 bytes), not a jar".to_string());
    }
    let zip = JarEntries::open(file)?;
    let poms = zip.poms();
    let shaded_by_name = from_name.is_shaded();
    let own_pom = own_pom(&zip, &poms, &file_name, &from_name);
    let mut artifact = None;
    let mut source = IdSource::FileName;
    if let Some((_, a)) = &own_pom {
        artifact = Some(Artifact { classifier: from_name.classifier.clone(), ..a.clone() });
        source = IdSource::PomProperties;
    }
    if artifact.is_none() {
        let attrs = zip.read("META-INF/MANIFEST.MF").map(|t| parse_manifest(&t)).unwrap_or_default();
        if let Some(a) = manifest_identity(&attrs, &from_name) {
            artifact = Some(a);
            source = IdSource::Manifest;
        }
    }
    let artifact = artifact.unwrap_or_else(|| from_name.clone());
    let mut bundles = Vec::new();
    if shaded_by_name || artifact.is_shaded() {
        let own_entry = own_pom.as_ref().map(|(entry, _)| entry.as_str());
        for (name, _) in poms.iter().filter(|(entry, _)| Some(entry.as_str()) != own_entry).take(MAX_BUNDLED_POMS) {
            if let Some(a) = zip.read(name).and_then(|t| parse_pom_properties(&t)) {
                bundles.push(a);
            }
        }
        if let Some(text) = zip.read("META-INF/NOTICE").or_else(|| zip.read("META-INF/NOTICE.txt")) {
            for a in parse_notice(&text) {
                if !bundles.iter().any(|b| b.group == a.group && b.artifact == a.artifact) {
                    bundles.push(a);
                }
            }
        }
        bundles.retain(|b| b.artifact != artifact.artifact);
        if !bundles.iter().any(|b| b.artifact == "hadoop-common")
            && let Some(hadoop) = bundled_by_name(&artifact)
        {
            bundles.push(hadoop);
        }
    }
    Ok(Identity { artifact, source, bundles })
}

/// What a shaded jar's own version says it bundles: `flink-shaded-hadoop-2-uber-2.8.3-10.0` holds hadoop-common
/// 2.8.3 (the Hadoop version is the first part of the version). Also for jars known only by name (in an image).
pub fn bundled_by_name(artifact: &Artifact) -> Option<Artifact> {
    if !artifact.artifact.starts_with("flink-shaded-hadoop-2") {
        return None;
    }
    let hadoop = artifact.version.as_deref().and_then(|v| v.split_once('-')).map(|(h, _)| h)?;
    Some(Artifact {
        group: Some("org.apache.hadoop".to_string()),
        artifact: "hadoop-common".to_string(),
        version: Some(hadoop.to_string()),
        classifier: None,
    })
}

/// Expands a `hadoop classpath`-style list: `:`-separated entries, each a jar, a directory (its jars), or a
/// `dir/*` wildcard (the jars in `dir`, as Java reads it; `dir/hadoop-*.jar` patterns also work). Relative entries
/// are taken from `base`. Entries that do not exist are skipped, as Java skips them. Returns `(path, display)`.
pub fn expand_classpath(spec: &str, base: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in spec.split(':').map(str::trim).filter(|e| !e.is_empty()) {
        let path = Path::new(entry);
        let full = if path.is_absolute() { path.to_path_buf() } else { base.join(path) };
        let name = full.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.contains('*') {
            let dir = full.parent().map(Path::to_path_buf).unwrap_or_default();
            let pattern = if name == "*" { "*.jar".to_string() } else { name };
            let shown_dir = Path::new(entry).parent().map(Path::to_path_buf).unwrap_or_default();
            out.extend(
                jars_in(&dir, Some(&pattern)).into_iter().map(|(p, n)| (p, shown_dir.join(n).display().to_string())),
            );
        } else if full.is_dir() {
            out.extend(
                jars_in(&full, None).into_iter().map(|(p, n)| (p, Path::new(entry).join(n).display().to_string())),
            );
        } else if full.is_file() && is_jar_name(&name) {
            out.push((full, entry.to_string()));
        }
    }
    out
}

fn is_jar_name(name: &str) -> bool {
    name.ends_with(".jar") || name.ends_with(".JAR")
}

/// The jars directly in `dir` (sorted by name), optionally matching a `*` pattern.
fn jars_in(dir: &Path, pattern: Option<&str>) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<(PathBuf, String)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
        .filter(|(p, n)| is_jar_name(n) && p.is_file() && pattern.is_none_or(|pat| wildcard_match(pat, n)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let Some((first, rest)) = parts.split_first() else { return pattern == name };
    let Some(mut remaining) = name.strip_prefix(first) else { return false };
    for (i, part) in rest.iter().enumerate() {
        if i == rest.len() - 1 {
            return remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.is_empty()
}

/// Completes the deployment's jar inventory after the walk: adds the jars of `--classpath` and `HADOOP_CLASSPATH`,
/// drops duplicates of one file, identifies every jar, forms the classpaths and finds the Flink and Hadoop versions.
pub fn build(d: &mut Deployment, options: &DiscoverOptions) {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut seen: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut jars = Vec::new();
    for jar in std::mem::take(&mut d.jars) {
        let key = canonical(&jar.path);
        if let std::collections::btree_map::Entry::Vacant(e) = seen.entry(key) {
            e.insert(jars.len());
            jars.push(jar);
        }
    }
    // The given classpath: `--classpath`, then HADOOP_CLASSPATH (Flink's launcher appends it to its classpath).
    let base = std::env::current_dir().unwrap_or_default();
    let mut given = Vec::new();
    let specs = options.classpath.iter().chain(options.env.vars.get("HADOOP_CLASSPATH"));
    for spec in specs {
        for (path, display) in expand_classpath(spec, &base) {
            let key = canonical(&path);
            let index = match seen.get(&key) {
                Some(i) => *i,
                None => {
                    seen.insert(key, jars.len());
                    jars.push(JarRef::new(path, display, JarPlace::Classpath));
                    jars.len() - 1
                }
            };
            if !given.contains(&index) {
                given.push(index);
            }
        }
    }
    for jar in jars.iter_mut().filter(|j| !j.read) {
        jar.read = true;
        match identify(&jar.path) {
            Ok(id) => {
                jar.artifact = id.artifact;
                jar.identified_by = id.source;
                jar.bundles = id.bundles;
            }
            Err(reason) => jar.unreadable = Some(reason),
        }
    }
    d.jars = jars;
    d.classpaths = classpaths(&d.jars, &given);
    d.flink_version = flink_version(d, options);
    d.hadoop_version = hadoop_version(d, options);
    d.spark_version = super::spark_classpath::spark_version(d);
}

/// Groups jars into classpaths: each Flink `lib/` (plus the given classpath), each plugin folder, each Hadoop
/// home, each directory of jars; the given classpath alone when there is no Flink `lib/`.
fn classpaths(jars: &[JarRef], given: &[usize]) -> Vec<Classpath> {
    let mut out: Vec<Classpath> = Vec::new();
    let mut add = |kind: ClasspathKind, root: PathBuf, name: String, index: usize| match out
        .iter_mut()
        .find(|c| c.kind == kind && c.root == root)
    {
        Some(c) => c.jars.push(index),
        None => out.push(Classpath { kind, root, name, jars: vec![index] }),
    };
    for (i, jar) in jars.iter().enumerate() {
        let parent = jar.path.parent().unwrap_or(Path::new(""));
        let shown_parent = Path::new(&jar.display).parent().unwrap_or(Path::new("")).display().to_string();
        match &jar.place {
            JarPlace::Lib => {
                let (root, shown) = lib_dir(&jar.path, &jar.display);
                add(ClasspathKind::FlinkLib, root, shown, i)
            }
            JarPlace::Plugin(Some(_)) => {
                add(ClasspathKind::FlinkPlugin, parent.to_path_buf(), format!("{shown_parent}/"), i)
            }
            JarPlace::HadoopShare => {
                let (root, shown) = hadoop_home(&jar.path, &jar.display);
                add(ClasspathKind::HadoopHome, root, shown, i)
            }
            JarPlace::Directory => add(ClasspathKind::Directory, parent.to_path_buf(), format!("{shown_parent}/"), i),
            JarPlace::SparkJars => add(ClasspathKind::SparkJars, parent.to_path_buf(), format!("{shown_parent}/"), i),
            JarPlace::Plugin(None)
            | JarPlace::Opt
            | JarPlace::Classpath
            | JarPlace::SparkConfigured
            | JarPlace::SparkPackage => {}
        }
    }
    super::spark_classpath::join(&mut out, jars);
    if !given.is_empty() {
        let libs: Vec<usize> =
            out.iter().enumerate().filter(|(_, c)| c.kind == ClasspathKind::FlinkLib).map(|(i, _)| i).collect();
        if libs.is_empty() {
            out.push(Classpath {
                kind: ClasspathKind::Given,
                root: PathBuf::new(),
                name: "the given classpath (--classpath / HADOOP_CLASSPATH)".to_string(),
                jars: given.to_vec(),
            });
        } else {
            for l in libs {
                let cp = &mut out[l];
                cp.name = format!("{} with HADOOP_CLASSPATH / --classpath", cp.name);
                for g in given {
                    if !cp.jars.contains(g) {
                        cp.jars.push(*g);
                    }
                }
            }
        }
    }
    out
}

/// The Flink `lib/` of a jar in it or in a sub-folder of it (Flink loads both), and how to show it.
fn lib_dir(path: &Path, display: &str) -> (PathBuf, String) {
    let parent = path.parent().unwrap_or(Path::new(""));
    let shown_parent = Path::new(display).parent().unwrap_or(Path::new(""));
    let up = parent.ancestors().position(|a| a.file_name().is_some_and(|n| n == "lib")).unwrap_or(0);
    let root = parent.ancestors().nth(up).unwrap_or(parent);
    let shown = shown_parent.ancestors().nth(up).unwrap_or(shown_parent);
    (root.to_path_buf(), format!("{}/", shown.display()))
}

/// The Hadoop home of a jar under `share/hadoop/`: the directory above `share`, and how to show it.
fn hadoop_home(path: &Path, display: &str) -> (PathBuf, String) {
    let cut = |s: &str| s.find("share/hadoop/").map(|i| s[..i].to_string());
    let root = cut(&path.to_string_lossy()).map(PathBuf::from).unwrap_or_default();
    let shown = cut(display).map(|s| format!("{s}share/hadoop/")).unwrap_or_else(|| display.to_string());
    (root, shown)
}

/// The Flink version: the flink-dist on a Flink `lib/` (of several, the one whose version most other Flink jars
/// of `lib/` share, then the first), else the first anywhere, else `--flink-version`.
fn flink_version(d: &Deployment, options: &DiscoverOptions) -> Option<KnownVersion> {
    let is_dist = |j: &&JarRef| j.unreadable.is_none() && j.artifact.base_name() == "flink-dist";
    let in_lib: Vec<&JarRef> = d.jars.iter().filter(|j| j.place == JarPlace::Lib).collect();
    let agreeing = |dist: &JarRef| {
        in_lib
            .iter()
            .filter(|j| !is_dist(j) && j.artifact.in_group("org.apache.flink") && j.version().is_some())
            .filter(|j| j.version() == dist.version())
            .count()
    };
    let mut best: Option<(&JarRef, usize)> = None;
    for dist in in_lib.iter().copied().filter(|j| is_dist(j)) {
        let n = agreeing(dist);
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((dist, n));
        }
    }
    let dist = best.map(|(j, _)| j).or_else(|| d.jars.iter().find(is_dist));
    if let Some(v) = dist.and_then(|j| j.artifact.version.clone().map(|v| (v, j.display.clone()))) {
        return Some(KnownVersion { version: Version::parse(&v.0), from: v.1 });
    }
    options
        .flink_version
        .as_deref()
        .map(|v| KnownVersion { version: Version::parse(v), from: "--flink-version".into() })
}

/// The Hadoop version of Flink's classpath (else of the other classpaths in [`Deployment::main_classpath`]
/// order): hadoop-common, else a shaded Hadoop jar's bundled hadoop-common, else hadoop-aws; else
/// `--hadoop-version`. Plugins' own shaded Hadoop does not count: it is isolated from everything else.
fn hadoop_version(d: &Deployment, options: &DiscoverOptions) -> Option<KnownVersion> {
    let order = [
        ClasspathKind::FlinkLib,
        ClasspathKind::SparkJars,
        ClasspathKind::Given,
        ClasspathKind::HadoopHome,
        ClasspathKind::Directory,
    ];
    for kind in order {
        for cp in d.classpaths.iter().filter(|c| c.kind == kind) {
            if let Some((v, jar)) = classpath_hadoop_version(d, cp) {
                return Some(KnownVersion { version: v, from: jar.display.clone() });
            }
        }
    }
    options
        .hadoop_version
        .as_deref()
        .map(|v| KnownVersion { version: Version::parse(v), from: "--hadoop-version".into() })
}

/// The Hadoop version a classpath shows, and the jar that shows it: hadoop-common, else a bundled hadoop-common
/// (shaded uber jar), else hadoop-aws.
pub fn classpath_hadoop_version<'a>(d: &'a Deployment, cp: &'a Classpath) -> Option<(Version, &'a JarRef)> {
    let jars: Vec<&JarRef> = d.jars_of(cp).filter(|j| j.unreadable.is_none()).collect();
    let own = |name: &str| {
        jars.iter().find(|j| {
            j.artifact.artifact == name && j.artifact.in_group("org.apache.hadoop") && j.artifact.classifier.is_none()
        })
    };
    if let Some(j) = own("hadoop-common")
        && let Some(v) = j.version()
    {
        return Some((v, j));
    }
    for j in &jars {
        if let Some(b) = j.bundles.iter().find(|b| b.artifact == "hadoop-common")
            && let Some(v) = b.version()
        {
            return Some((v, j));
        }
    }
    // Spark ships Hadoop as the shaded client (`hadoop-client-api`, `hadoop-client-runtime`), not hadoop-common.
    for name in ["hadoop-client-api", "hadoop-aws"] {
        if let Some(j) = own(name)
            && let Some(v) = j.version()
        {
            return Some((v, j));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(file: &str) -> (String, Option<String>, Option<String>) {
        let a = parse_file_name(file);
        (a.artifact, a.version, a.classifier)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn file_names_split_into_artifact_version_and_classifier() {
        assert_eq!(name("hadoop-aws-2.7.3.jar"), ("hadoop-aws".into(), s("2.7.3"), None));
        assert_eq!(name("flink-dist_2.11-1.5.0.jar"), ("flink-dist_2.11".into(), s("1.5.0"), None));
        assert_eq!(name("flink-s3-fs-presto-1.4-SNAPSHOT.jar"), ("flink-s3-fs-presto".into(), s("1.4-SNAPSHOT"), None));
        assert_eq!(name("aws-java-sdk-s3-1.11.183.jar"), ("aws-java-sdk-s3".into(), s("1.11.183"), None));
        assert_eq!(name("bundle-2.23.19.jar"), ("bundle".into(), s("2.23.19"), None));
        assert_eq!(name("log4j-1.2-api-2.17.1.jar"), ("log4j-1.2-api".into(), s("2.17.1"), None));
        assert_eq!(
            name("flink-shaded-hadoop-2-uber-2.8.3-10.0.jar"),
            ("flink-shaded-hadoop-2-uber".into(), s("2.8.3-10.0"), None)
        );
        assert_eq!(name("hadoop-common-2.7.3-tests.jar"), ("hadoop-common".into(), s("2.7.3"), s("tests")));
        assert_eq!(name("guava-11.0.2.jar"), ("guava".into(), s("11.0.2"), None));
        assert_eq!(name("my-udfs.jar"), ("my-udfs".into(), None, None));
        assert_eq!(Artifact { artifact: "flink-dist_2.12".into(), ..Default::default() }.base_name(), "flink-dist");
    }

    #[test]
    fn pom_properties_and_manifests_are_read_as_maven_writes_them() {
        let pom = "#Generated by Maven\n#Tue Nov 20 10:00:00 UTC 2018\nversion=2.7.3\ngroupId=org.apache.hadoop\nartifactId=hadoop-aws\n";
        let a = parse_pom_properties(pom).expect("pom");
        assert_eq!(a.coordinates(), "org.apache.hadoop:hadoop-aws:2.7.3");
        let mf = "Manifest-Version: 1.0\r\nImplementation-Title: flink-dist\r\nImplementation-Version: 1.17\r\n .2\r\n\r\nName: x\r\nImplementation-Version: 9\r\n";
        let attrs = parse_manifest(mf);
        assert_eq!(attrs.get("Implementation-Version").map(String::as_str), Some("1.17.2"));
        let notice = "flink-s3-fs-hadoop\nThis project bundles the following dependencies under the Apache Software License 2.0\n\n- org.apache.hadoop:hadoop-aws:3.3.4\n- com.amazonaws:aws-java-sdk-bundle:1.12.262\n- not:coordinates\n";
        let bundled: Vec<String> = parse_notice(notice).iter().map(Artifact::coordinates).collect();
        assert_eq!(bundled, ["org.apache.hadoop:hadoop-aws:3.3.4", "com.amazonaws:aws-java-sdk-bundle:1.12.262"]);
    }

    #[test]
    fn fixture_jars_are_identified_from_their_contents() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check");
        let uber = identify(
            &root.join("flink-1.8-hadoop-aws-older-than-uber/flink-1.8.3/lib/flink-shaded-hadoop-2-uber-2.8.3-7.0.jar"),
        )
        .expect("readable");
        assert_eq!(uber.source, IdSource::PomProperties);
        assert_eq!(uber.artifact.coordinates(), "org.apache.flink:flink-shaded-hadoop-2-uber:2.8.3-7.0");
        let bundled: Vec<String> = uber.bundles.iter().map(Artifact::coordinates).collect();
        assert_eq!(bundled, ["org.apache.hadoop:hadoop-common:2.8.3", "org.apache.hadoop:hadoop-hdfs:2.8.3"]);
        let html = identify(&root.join("flink-1.17-corrupt-jars/flink-1.17.2/lib/flink-connector-kafka-1.17.2.jar"));
        assert!(html.as_ref().is_err_and(|e| e.contains("not a valid jar")), "{html:?}");
        let empty = identify(&root.join("flink-1.17-corrupt-jars/flink-1.17.2/lib/flink-json-1.17.2.jar"));
        assert!(empty.as_ref().is_err_and(|e| e.contains("empty")), "{empty:?}");
        assert!(identify(&root.join("no-such.jar")).is_err());
    }

    #[test]
    fn classpath_strings_expand_like_java() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"));
        let lib = "fixtures/check/guide-s3a-hadoop-route/flink-1.4.2/lib";
        let spec =
            format!("{lib}/aws-java-sdk-*.jar::/nonexistent/*:{lib}/hadoop-aws-2.7.3.jar:{lib}/log4j-1.2.17.jar/");
        let got: Vec<String> = expand_classpath(&spec, base).into_iter().map(|(_, shown)| shown).collect();
        assert_eq!(
            got,
            [
                format!("{lib}/aws-java-sdk-core-1.11.183.jar"),
                format!("{lib}/aws-java-sdk-kms-1.11.183.jar"),
                format!("{lib}/aws-java-sdk-s3-1.11.183.jar"),
                format!("{lib}/hadoop-aws-2.7.3.jar"),
            ]
        );
        assert_eq!(expand_classpath(&format!("{lib}/*"), base).len(), 13);
        assert!(wildcard_match("hadoop-*.jar", "hadoop-aws-2.7.3.jar"));
        assert!(!wildcard_match("hadoop-*.jar", "aws-java-sdk-1.7.4.jar"));
    }
}

//! `Dockerfile` reader: what image a Dockerfile builds, as far as S3 is concerned — the base image (Flink or
//! Spark, its version and home), the jars the image ends with and where each came from, the official Flink
//! image's `ENABLE_BUILT_IN_PLUGINS` and `FLINK_PROPERTIES`, and build arguments or environment variables that
//! hold AWS credentials (they stay in the image's history).
//!
//! By stage: [`parse`] is the Dockerfile syntax (continuations, heredocs, directives, exec form), [`words`] the
//! word splitting and `${VAR}` expansion, [`shell`] the `RUN` commands that place jars, [`image`] what a base
//! image reference means, and `build` replays the final stage's instructions over a model of the image's jar
//! directories. Only the final stage is the image; `COPY --from=<stage>` takes jars from an earlier stage.

pub mod image;
pub mod parse;
pub mod shell;
pub mod words;

mod build;
pub mod entrypoint;
pub mod naming;
#[cfg(test)]
mod tests;

use super::JarPlace;
use super::classpath::Artifact;
use super::config::Entry;
use crate::source::{FileId, LoadError, Location, SourceMap};

pub use image::{KnownImage, Product, TagVersion};

/// Where a jar ended up inside the image, relative to the product's home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Flink's `lib/`: on the classpath.
    FlinkLib,
    /// Flink's `opt/`: shipped, not loaded.
    FlinkOpt,
    /// Under Flink's `plugins/`: in a folder of its own (`Some`), or directly in `plugins/` (`None`, not loaded).
    FlinkPlugin(Option<String>),
    /// Spark's `jars/`: on the classpath of the driver and executors.
    SparkJars,
    /// Anywhere else (`/tmp`, a directory the image's configuration may name).
    Other,
}

impl Place {
    /// The deployment model's place for a Flink jar (`None` for Spark's `jars/` and other directories).
    pub fn jar_place(&self) -> Option<JarPlace> {
        match self {
            Place::FlinkLib => Some(JarPlace::Lib),
            Place::FlinkOpt => Some(JarPlace::Opt),
            Place::FlinkPlugin(folder) => Some(JarPlace::Plugin(folder.clone())),
            Place::SparkJars | Place::Other => None,
        }
    }
}

/// How a jar got into the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped by the base image's distribution (e.g. Flink's `opt/flink-s3-fs-hadoop-<version>.jar`).
    Base,
    /// Downloaded from this URL (`RUN wget`/`curl`, `ADD <url>`).
    Download(String),
    /// Copied from the build context (`COPY`/`ADD <path>`): the path as written.
    Context(String),
    /// Copied from an earlier stage (`COPY --from=<stage>`).
    Stage(String),
    /// The entrypoint's `ENABLE_BUILT_IN_PLUGINS` links it from `opt/` when the container starts.
    EnabledPlugin,
}

/// Where a jar's version was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionFrom {
    /// The file name (`hadoop-aws-3.3.4.jar`).
    FileName,
    /// A Maven repository URL (`…/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar`): group too.
    MavenUrl,
    /// The base image's tag (`flink:1.17.1` ships `opt/flink-s3-fs-hadoop-1.17.1.jar`).
    ImageTag,
    /// Not known (a variable given at build time, a floating tag).
    Unknown,
}

/// A jar the image ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageJar {
    /// The absolute path inside the image (`/opt/flink/lib/flink-s3-fs-hadoop-1.17.1.jar`); a `*` stands for what
    /// is not known (a floating tag's patch release, a glob of the build context).
    pub path: String,
    /// The file name.
    pub file_name: String,
    /// Where it sits.
    pub place: Place,
    /// What it is: from the file name, or group/artifact/version from a Maven URL.
    pub artifact: Artifact,
    /// Where the version was read.
    pub version_from: VersionFrom,
    /// How it got there.
    pub origin: Origin,
    /// The instruction that put it there (`None` for the base image's own jars).
    pub at: Option<Location>,
    /// True when only its owner can read it and the image runs as another user: `ADD <url>` writes the file with
    /// mode 600 ("In the case where source is a remote file URL, the destination will have permissions of
    /// 600", Dockerfile reference, "Adding files from a URL") owned by root unless `--chown` says otherwise; a
    /// `--chmod` lifts it.
    pub root_only: bool,
    /// The owner `--chown` gives it (`flink:flink`), when given.
    pub owner: Option<String>,
}

/// A jar of the base image or an earlier instruction that the build deletes (`rm /opt/spark/jars/hadoop-*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The pattern or path as resolved.
    pub pattern: String,
    /// The jars it removed that the reader knew of (file names).
    pub jars: Vec<String>,
    /// The command.
    pub at: Location,
}

/// A file or folder the build copies from the build context (`COPY conf/flink-conf.yaml /opt/flink/conf/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// The source as written, relative to the build context.
    pub source: String,
    /// Where it lands in the image (for a folder, the folder it is copied into).
    pub target: String,
    /// The instruction.
    pub at: Location,
}

/// A jar named in `ENABLE_BUILT_IN_PLUGINS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnabledPlugin {
    /// The name as written (`flink-s3-fs-hadoop-1.17.1.jar`).
    pub jar: String,
    /// The folder the entrypoint links it into (`plugins/flink-s3-fs-hadoop-1.17.1/`).
    pub folder: String,
    /// True when the image's `opt/` holds a jar of that name (false: the entrypoint exits at start-up with
    /// "Plugin … does not exist. Exiting."); `None` when the image's `opt/` is not known.
    pub exists: Option<bool>,
    /// Where the name is written.
    pub at: Location,
}

/// A build argument or environment variable whose name holds a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretVariable {
    /// The variable's name (`AWS_SECRET_ACCESS_KEY`).
    pub name: String,
    /// `ARG` or `ENV`.
    pub instruction: &'static str,
    /// Where the name is written.
    pub name_at: Location,
    /// Where its value is written, when the Dockerfile gives one (never printed).
    pub value_at: Option<Location>,
}

/// What the reader noticed but could not turn into jars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A `RUN` command that places files (names a jar or jar directory) that the reader does not follow.
    UnfollowedRun,
    /// A jar path that depends on a value unknown when linting (an `ARG` set with `--build-arg`).
    UnknownPath,
    /// A `COPY` of a build-context directory into a jar directory: its jars are in the repository, not listed.
    ContextDirectory,
    /// A base image the reader does not know: its jars are not known.
    UnknownBase,
}

/// A reader's observation with its location; the message never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What was noticed.
    pub kind: NoteKind,
    /// Where.
    pub at: Location,
    /// A sentence for the user.
    pub message: String,
}

/// The final stage's `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The image reference after `ARG` expansion (`flink:1.17.1-scala_2.12`).
    pub image: String,
    /// Where it is written.
    pub at: Location,
    /// The known image it names, through earlier stages (`FROM flink:1.17 AS base` … `FROM base`).
    pub known: Option<KnownImage>,
}

/// What a Dockerfile builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The Dockerfile.
    pub file: FileId,
    /// The final stage's base image.
    pub base: Base,
    /// The number of stages.
    pub stages: usize,
    /// The jars of the product's jar directories (and any other jar the build placed), in path order.
    pub jars: Vec<ImageJar>,
    /// Deletions of jars.
    pub removed: Vec<Removed>,
    /// Files and folders the final stage copies from the build context (not jars, not URLs).
    pub copied: Vec<CopiedFile>,
    /// `FLINK_PROPERTIES` lines as configuration entries (key and value spans in the Dockerfile).
    pub flink_properties: Vec<Entry>,
    /// `ENABLE_BUILT_IN_PLUGINS` names.
    pub enabled_plugins: Vec<EnabledPlugin>,
    /// `ARG`/`ENV` variables (of every stage) that hold credentials.
    pub secrets: Vec<SecretVariable>,
    /// The last `USER` of the final stage, else the base image's.
    pub user: Option<(String, Option<Location>)>,
    /// What the reader could not follow.
    pub notes: Vec<Note>,
}

/// Reads a Dockerfile already added to `sources`.
pub fn read(sources: &SourceMap, file: FileId) -> Result<Image, LoadError> {
    read_with_args(sources, file, &[])
}

/// Reads a Dockerfile built with `--build-arg NAME=value` for each of `args` (a compose service's `build.args`):
/// each replaces the default of the `ARG` of that name, wherever it is declared.
pub fn read_with_args(sources: &SourceMap, file: FileId, args: &[(String, String)]) -> Result<Image, LoadError> {
    let source = sources.get(file);
    let parsed = parse::parse(&source.text).map_err(|e| LoadError::at(source, e.at, e.message))?;
    build::build(file, &source.text, &parsed, args).map_err(|(at, message)| LoadError::at(source, at, message))
}

/// Marks the values of [`Image::secrets`] as secret in `sources` and returns them for the final scrub (to be
/// called from the deployment's secret pass once the reader is wired in).
pub fn mark_secrets(image: &Image, sources: &mut SourceMap) -> Vec<String> {
    let mut values = Vec::new();
    for s in &image.secrets {
        if let Some(at) = s.value_at {
            let source = sources.get_mut(at.file);
            if let Some(v) = source.text.get(at.span.start..at.span.end) {
                let v = v.trim_matches(['"', '\'']).to_string();
                if !v.is_empty() && !v.starts_with('$') {
                    values.push(v);
                }
            }
            source.mark_secret(at.span);
        }
    }
    values
}

//! What a configuration reader yields: the entries the real reader sees, each with where it was written,
//! and the notes a reader makes where the user's intent and the real reader may differ.

use serde::Serialize;

use crate::source::Location;

/// Which reader a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigKind {
    /// Hadoop `*-site.xml`, read like `org.apache.hadoop.conf.Configuration`.
    HadoopXml,
    /// Flink's legacy `flink-conf.yaml`, read with Flink's line reader.
    FlinkConf,
    /// Flink 1.19+ `config.yaml`, standard YAML with nested keys flattened with `.`.
    FlinkYaml,
    /// Spark's `spark-defaults.conf`, read like `java.util.Properties` as Spark loads it.
    SparkConf,
}

impl ConfigKind {
    /// The contract name (`hadoop-xml`, `flink-conf`, `flink-yaml`, `spark-conf`).
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigKind::HadoopXml => "hadoop-xml",
            ConfigKind::FlinkConf => "flink-conf",
            ConfigKind::FlinkYaml => "flink-yaml",
            ConfigKind::SparkConf => "spark-conf",
        }
    }

    /// True for the two Flink formats.
    pub fn is_flink(self) -> bool {
        matches!(self, ConfigKind::FlinkConf | ConfigKind::FlinkYaml)
    }

    /// True for Spark's `spark-defaults.conf`.
    pub fn is_spark(self) -> bool {
        self == ConfigKind::SparkConf
    }
}

/// One key definition as written by the user, with the value the real reader gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key (Hadoop: trimmed `<name>`; Flink: trimmed key / flattened path).
    pub key: String,
    /// The value as the real reader returns it (Hadoop: after `${var}` expansion; not trimmed).
    /// Empty when the definition has an empty value.
    pub value: String,
    /// The value as written (decoded entities/CDATA, before expansion).
    pub raw: String,
    /// Where the key is written (the `<name>` text, the YAML key).
    pub key_at: Location,
    /// Where the value is written (the `<value>` text; for an empty value, the empty element or the key).
    pub value_at: Location,
    /// Hadoop `<final>true</final>`.
    pub is_final: bool,
    /// The resolved value used a JVM system property of this machine (`${user.name}`, `${java.io.tmpdir}`)
    /// or an environment variable, so it may differ on the deployment's machines.
    pub machine_dependent: bool,
}

/// What a reader noticed that a rule may report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// A key defined again; the later definition wins (`related` = the earlier one).
    Duplicate,
    /// A later definition ignored because an earlier one is `<final>true</final>` (`related` = the final one).
    FinalOverrideIgnored,
    /// A `${var}` that the reader leaves literal (undefined or self-referencing).
    UnresolvedVariable,
    /// A Flink legacy line the reader skips (no `": "` separator, empty key or value, list item, nested block).
    UnparsedLine,
    /// A Flink legacy value cut short at a `#`.
    ValueCutAtHash,
    /// A Flink legacy value in quotes: the quotes are kept as part of the value.
    QuotedValue,
    /// An element Hadoop's parser ignores silently (e.g. `<nmae>` inside `<property>`).
    IgnoredElement,
    /// A `<property>` that has no `<name>`, so Hadoop skips it.
    PropertyWithoutName,
    /// A root element other than `<configuration>` (still read by Hadoop).
    UnexpectedRoot,
    /// An XInclude whose target is missing but has an `xi:fallback`.
    IncludeFallbackUsed,
    /// A Flink legacy `name: value` line indented under a `parent:` line: the legacy reader reads it as the
    /// top-level key `name`, not `parent.name` as the user probably meant.
    NestedKeyAsTopLevel,
    /// A `spark-defaults.conf` key that does not start with `spark.`: spark-submit drops it.
    NonSparkKey,
}

/// A reader's observation, with where it applies. The message never contains a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderNote {
    /// What was noticed.
    pub kind: NoteKind,
    /// The key concerned, if any.
    pub key: Option<String>,
    /// Where.
    pub at: Location,
    /// An earlier definition this note refers to (for duplicates and final overrides).
    pub related: Option<Location>,
    /// A sentence for the user, saying what the real reader does (e.g. Flink's own warning text).
    pub message: String,
}

/// One configuration file as its real reader sees it when loaded alone.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// The file read (XIncluded files appear as the `Location`s of their entries).
    pub file: crate::source::FileId,
    /// Which reader.
    pub kind: ConfigKind,
    /// The effective view: one entry per key the real reader returns (empty values absent),
    /// in the order of their first definition in the document.
    pub entries: Vec<Entry>,
    /// Every definition as written, in document order, including overridden ones and ones with
    /// an empty value (which the reader treats as absent).
    pub definitions: Vec<Entry>,
    /// What the reader noticed.
    pub notes: Vec<ReaderNote>,
}

impl ConfigFile {
    /// The effective entry for `key`, if the reader returns one.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

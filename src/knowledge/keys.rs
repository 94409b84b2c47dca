//! The S3 configuration key catalogue from `rules/keys.yaml` (embedded at build time): every `fs.s3a.*` key of
//! Hadoop's `core-default.xml` and S3A's `Constants.java` (with removed ones), the legacy `fs.s3.*` / `fs.s3n.*`
//! keys, Flink's own S3 options and the Flink keys that carry filesystem URIs — each with its value type (as the
//! real reader parses it), default, versions and deprecation, and the source it was taken from.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::near::{self, Candidates};

/// The embedded catalogue.
pub const BUILTIN_KEYS: &str = include_str!("../../rules/keys.yaml");

/// How the real reader parses a key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    /// `Configuration.getBoolean`: `true` / `false` (any case); anything else silently becomes the default.
    Bool,
    /// `getInt`: a decimal (or `0x` hex) 32-bit integer; anything else throws `NumberFormatException`.
    Int,
    /// `getLong`: a decimal (or `0x` hex) 64-bit integer.
    Long,
    /// `getDouble` / `getFloat`.
    Double,
    /// `getLongBytes`: an integer with an optional single binary prefix `k m g t p e` (any case): `64M`.
    Size,
    /// `getTimeDuration`: an integer with an optional unit `ns us ms s m h d`; a bare number uses the key's unit.
    Duration,
    /// `getClass`: one fully-qualified class name.
    Class,
    /// `getClasses` / `getTrimmedStrings` of class names: a comma-separated list.
    Classes,
    /// One of a fixed set of values (see [`KeyInfo::values`]).
    Enum,
    /// Free text.
    String,
    /// A local path.
    Path,
    /// Comma-separated local paths.
    Paths,
    /// A filesystem URI.
    Uri,
    /// A secret read through `Configuration.getPassword`.
    Password,
}

/// One Hadoop key of the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyInfo {
    /// The key.
    pub key: String,
    /// How its value is parsed.
    #[serde(rename = "type")]
    pub value_type: ValueType,
    /// The newest default, as written in `core-default.xml` / `Constants.java`.
    #[serde(default)]
    pub default: Option<String>,
    /// For durations: the unit a bare number means.
    #[serde(default)]
    pub unit: Option<String>,
    /// For enums: the accepted values.
    #[serde(default)]
    pub values: Vec<String>,
    /// For enums: Hadoop compares the value exactly (`AWSCannedACL.valueOf`), not ignoring case.
    #[serde(default)]
    pub case_sensitive: bool,
    /// How older Hadoop lines read the key where that differs from the newest (type, default, unit), oldest
    /// change last: see [`KeyInfo::reading`].
    #[serde(default)]
    pub older: Vec<OlderReading>,
    /// The first Hadoop line that has it.
    #[serde(default)]
    pub since: Option<String>,
    /// The first Hadoop version where it has no effect any more.
    #[serde(default)]
    pub removed_in: Option<String>,
    /// Present when deprecated or removed: the replacement key, or what to do instead.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// The first Hadoop line in which it is deprecated, where known (before it, the key is simply valid).
    #[serde(default)]
    pub deprecated_in: Option<String>,
    /// Whether S3A propagates it per bucket (`fs.s3a.bucket.NAME.KEY`); `fs.s3a.*` keys default to yes.
    #[serde(default)]
    pub per_bucket: Option<bool>,
    /// Source tags from the `sources` table.
    pub source: String,
}

/// How the Hadoop releases before `before` read a key, where that differs from the newest release: `getInt`
/// instead of `getTimeDuration` (no unit suffix allowed), another default, another unit for a bare number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OlderReading {
    /// The first Hadoop line that reads the key the newer way.
    pub before: String,
    /// The oldest line whose default this entry was checked against; below it the default is not claimed
    /// (unless an older entry gives it). The type and unit hold for every release before `before`.
    #[serde(default)]
    pub from: Option<String>,
    /// The type before it, when it changed.
    #[serde(rename = "type", default)]
    pub value_type: Option<ValueType>,
    /// The default before it, when it changed.
    #[serde(default)]
    pub default: Option<String>,
    /// The unit of a bare number before it, when it changed.
    #[serde(default)]
    pub unit: Option<String>,
    /// Source tags from the `sources` table.
    pub source: String,
}

/// How one Hadoop release reads a key: [`KeyInfo::reading`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading<'a> {
    /// How the value is parsed.
    pub value_type: ValueType,
    /// The default, if any.
    pub default: Option<&'a str>,
    /// For durations and plain-number times: what a bare number means.
    pub unit: Option<&'a str>,
    /// When the type is an older one: the first line that reads the key as the newer type.
    pub until: Option<&'a str>,
}

impl KeyInfo {
    /// How Hadoop `version` reads the key. With no known version: the newest reading, except that a default the
    /// older releases could not parse (a duration with a unit where they read a plain number) is replaced by
    /// their default, so a value taken from it holds on every release.
    pub fn reading(&self, version: Option<&crate::deployment::version::Version>) -> Reading<'_> {
        let newest = Reading {
            value_type: self.value_type,
            default: self.default.as_deref(),
            unit: self.unit.as_deref(),
            until: None,
        };
        let Some(version) = version else {
            let plain = self.older.iter().find(|o| o.value_type.is_some_and(|t| t.is_plain_integer()));
            return match plain {
                Some(o) => Reading { default: o.default.as_deref().or(newest.default), ..newest },
                None => newest,
            };
        };
        // Oldest change last: the reading of `version` folds every change made after it, newest first.
        use crate::deployment::version::Version;
        let mut r = newest;
        for o in self.older.iter().filter(|o| *version < Version::parse(&o.before)) {
            let checked = o.from.as_deref().is_none_or(|from| *version >= Version::parse(from));
            r = Reading {
                value_type: o.value_type.unwrap_or(r.value_type),
                default: if checked { o.default.as_deref().or(r.default) } else { None },
                unit: o.unit.as_deref().or(r.unit),
                until: if o.value_type.is_some() { Some(&o.before) } else { r.until },
            };
        }
        r
    }
}

impl ValueType {
    /// `getInt` / `getLong`: a plain number, no suffix.
    pub fn is_plain_integer(self) -> bool {
        matches!(self, ValueType::Int | ValueType::Long)
    }
}

/// One Flink key of the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlinkKeyInfo {
    /// The key.
    pub key: String,
    /// How its value is parsed.
    #[serde(rename = "type")]
    pub value_type: ValueType,
    /// The key this one is a fallback spelling of (`s3.access.key` for `s3.access-key`).
    #[serde(default)]
    pub fallback_of: Option<String>,
    /// Which filesystem reads it: `hadoop`, `presto`, `both`, or `core` (Flink itself).
    pub plugin: String,
    /// The default, if any.
    #[serde(default)]
    pub default: Option<String>,
    /// Present when deprecated: the replacement key, or what to do instead.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// The first Flink version that has it.
    #[serde(default)]
    pub since: Option<String>,
    /// The first Flink version that no longer reads it.
    #[serde(default)]
    pub removed_in: Option<String>,
    /// For enums: the accepted values.
    #[serde(default)]
    pub values: Vec<String>,
    /// Source tags from the `sources` table.
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    sources: BTreeMap<String, String>,
    keys: Vec<KeyInfo>,
    flink: Vec<FlinkKeyInfo>,
}

/// The whole catalogue, indexed.
#[derive(Debug)]
pub struct KeyCatalogue {
    /// Source tag -> citation.
    pub sources: BTreeMap<String, String>,
    /// Hadoop keys, in file order.
    pub keys: Vec<KeyInfo>,
    /// Flink keys, in file order.
    pub flink: Vec<FlinkKeyInfo>,
    by_key: BTreeMap<String, usize>,
    by_flink_key: BTreeMap<String, usize>,
    /// The did-you-mean candidate sets, built once (see [`KeyCatalogue::suggest`]).
    near: NearSets,
}

/// The names [`KeyCatalogue::suggest`] chooses from, one set per namespace.
#[derive(Debug)]
struct NearSets {
    /// `fs.s3a.KEY` suffixes (`KEY`), for per-bucket keys.
    bucket: Candidates,
    /// Keys under `fs.s3`.
    fs_s3: Candidates,
    /// Flink's `s3.` spellings: S3A suffixes under `s3.`, Flink's `s3.*` options, Presto's `s3.*` names.
    flink_s3: Candidates,
    /// S3A suffixes under `s3a.`.
    flink_s3a: Candidates,
    /// Flink's own filesystem keys.
    core: Candidates,
}

impl NearSets {
    fn new(keys: &[KeyInfo], flink: &[FlinkKeyInfo]) -> Self {
        let suffixes = || keys.iter().filter_map(|k| k.key.strip_prefix("fs.s3a."));
        let mut flink_s3: Vec<String> = suffixes().map(|s| format!("s3.{s}")).collect();
        flink_s3.extend(flink.iter().filter(|f| f.key.starts_with("s3.")).map(|f| f.key.clone()));
        // The Presto plugin reads Flink's `s3.X` as `presto.s3.X`.
        flink_s3.extend(flink.iter().filter_map(|f| f.key.strip_prefix("presto.")).map(str::to_string));
        NearSets {
            bucket: Candidates::new(suffixes().filter(|s| !s.starts_with("bucket.")).map(str::to_string)),
            fs_s3: Candidates::new(keys.iter().map(|k| k.key.clone()).filter(|k| k.starts_with("fs.s3"))),
            flink_s3: Candidates::new(flink_s3),
            flink_s3a: Candidates::new(suffixes().map(|s| format!("s3a.{s}"))),
            core: Candidates::new(flink.iter().filter(|f| f.plugin == "core").map(|f| f.key.clone())),
        }
    }
}

impl KeyCatalogue {
    /// Parses and validates the YAML: every cited source exists, no key is listed twice, enums have values.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::validated(serde_yaml::from_str(text).map_err(|e| e.to_string())?)
    }

    /// The same from the JSON `build.rs` made of the embedded YAML (faster to read at start-up).
    fn from_builtin_json() -> Result<Self, String> {
        Self::validated(
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/keys.json"))).map_err(|e| e.to_string())?,
        )
    }

    fn validated(raw: RawCatalogue) -> Result<Self, String> {
        let cited = |source: &str, key: &str| super::check_cited(&raw.sources, source, &format!("`{key}`"));
        let mut by_key = BTreeMap::new();
        for (i, k) in raw.keys.iter().enumerate() {
            cited(&k.source, &k.key)?;
            for o in &k.older {
                cited(&o.source, &k.key)?;
            }
            if by_key.insert(k.key.clone(), i).is_some() {
                return Err(format!("`{}` is listed twice", k.key));
            }
            if k.value_type == ValueType::Enum && k.values.is_empty() {
                return Err(format!("`{}` is an enum without values", k.key));
            }
        }
        let mut by_flink_key = BTreeMap::new();
        for (i, k) in raw.flink.iter().enumerate() {
            cited(&k.source, &k.key)?;
            if by_flink_key.insert(k.key.clone(), i).is_some() {
                return Err(format!("Flink key `{}` is listed twice", k.key));
            }
        }
        let near = NearSets::new(&raw.keys, &raw.flink);
        Ok(KeyCatalogue { sources: raw.sources, keys: raw.keys, flink: raw.flink, by_key, by_flink_key, near })
    }

    /// The Hadoop key, if catalogued.
    pub fn get(&self, key: &str) -> Option<&KeyInfo> {
        self.by_key.get(key).map(|i| &self.keys[*i])
    }

    /// The Flink key, if catalogued.
    pub fn flink(&self, key: &str) -> Option<&FlinkKeyInfo> {
        self.by_flink_key.get(key).map(|i| &self.flink[*i])
    }

    /// The catalogued Hadoop key that a written key stands for: itself, or for `fs.s3a.bucket.NAME.KEY` the base
    /// `fs.s3a.KEY` (with the bucket name). `None` when unknown.
    pub fn resolve<'a>(&'a self, key: &str) -> Option<(&'a KeyInfo, Option<String>)> {
        if let Some((bucket, rest)) = split_per_bucket(key) {
            return self.get(&format!("fs.s3a.{rest}")).map(|k| (k, Some(bucket.to_string())));
        }
        self.get(key).map(|k| (k, None))
    }

    /// True when a key written in Hadoop's configuration is known: catalogued (also per bucket), or one of
    /// Hadoop's generic per-scheme keys (`fs.<scheme>.impl.disable.cache`).
    pub fn knows(&self, key: &str) -> bool {
        self.resolve(key).is_some() || key.ends_with(".impl.disable.cache")
    }

    /// The catalogued key closest to an unknown one, in the user's own spelling: `fs.s3a.acess.key` ->
    /// `fs.s3a.access.key`, `fs.s3a.bucket.logs.endpoint.regoin` -> `fs.s3a.bucket.logs.endpoint.region`, Flink's
    /// `s3.acess-key` -> `s3.access-key` (Flink options and S3A keys under `s3.`).
    pub fn suggest(&self, written: &str) -> Option<String> {
        if let Some((bucket, rest)) = split_per_bucket(written) {
            return self.near.bucket.closest_within(rest, 3).map(|s| format!("fs.s3a.bucket.{bucket}.{s}"));
        }
        let near = &self.near;
        let (set, max) = if written.starts_with("fs.s3") {
            (&near.fs_s3, 3)
        } else if written.starts_with("s3.") {
            (&near.flink_s3, 3)
        } else if written.starts_with("s3a.") {
            (&near.flink_s3a, 3)
        } else {
            // Flink's own filesystem keys (checkpoint, savepoint, HA directories): only near misses, since Flink
            // has many more keys than this catalogue holds.
            (&near.core, 2)
        };
        set.closest_within(written, max).map(str::to_string)
    }

    /// Every Hadoop key under `prefix`, for suggestions.
    pub fn keys_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.keys.iter().map(|k| k.key.as_str()).filter(move |k| k.starts_with(prefix))
    }
}

/// `fs.s3a.bucket.NAME.REST` -> `(NAME, REST)`.
pub fn split_per_bucket(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("fs.s3a.bucket.")?;
    let (bucket, suffix) = rest.split_once('.')?;
    (!bucket.is_empty() && !suffix.is_empty()).then_some((bucket, suffix))
}

static CATALOGUE: LazyLock<KeyCatalogue> =
    LazyLock::new(|| KeyCatalogue::from_builtin_json().unwrap_or_else(|e| panic!("rules/keys.yaml: {e}")));

/// The embedded catalogue (validated by this module's tests).
pub fn catalogue() -> &'static KeyCatalogue {
    &CATALOGUE
}

/// Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and swaps of two
/// neighbouring characters), for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// The candidate closest to `word` by [`edit_distance`], if it is close enough (at most 3 edits, and fewer than
/// a third of the word) and no other candidate is as close.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_within(word, candidates, 3)
}

/// [`closest`] with at most `max` edits (candidates more than `max` characters longer or shorter are skipped
/// unread, the others compared in time linear in their length).
pub fn closest_within<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    let w: Vec<char> = word.chars().collect();
    let limit = near::limit_for(w.len(), max);
    let chars: Vec<(Vec<char>, &str)> = candidates
        .into_iter()
        .filter(|c| c.len().abs_diff(word.len()) <= 4 * limit)
        .map(|c| (c.chars().collect(), c))
        .collect();
    near::best(&w, limit, chars.iter().map(|(c, name)| (c.as_slice(), *name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_built_at_compile_time_reads_as_the_yaml() {
        let yaml: RawCatalogue = serde_yaml::from_str(BUILTIN_KEYS).expect("YAML");
        let json: RawCatalogue =
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/keys.json"))).expect("JSON");
        assert_eq!(format!("{yaml:?}"), format!("{json:?}"));
    }

    #[test]
    fn embedded_catalogue_parses() {
        let k = KeyCatalogue::parse(BUILTIN_KEYS).expect("rules/keys.yaml is valid");
        assert!(k.keys.len() > 100, "{}", k.keys.len());
        assert!(k.get("fs.s3a.connection.maximum").is_some_and(|c| c.value_type == ValueType::Int));
        assert!(k.flink("s3.access-key").is_some());
    }

    #[test]
    fn older_releases_read_some_keys_as_plain_numbers_with_their_own_defaults() {
        use crate::deployment::version::Version;
        let k = catalogue().get("fs.s3a.connection.timeout").expect("catalogued");
        let on = |v: &str| k.reading(Some(&Version::parse(v)));
        assert_eq!(
            (on("3.3.6").value_type, on("3.3.6").default, on("3.3.6").until),
            (ValueType::Int, Some("200000"), Some("3.4"))
        );
        assert_eq!(
            (on("3.4.1").value_type, on("3.4.1").default, on("3.4.1").until),
            (ValueType::Duration, Some("200s"), None)
        );
        // Unknown release: the default every release parses.
        assert_eq!(k.reading(None).default, Some("200000"));
        let request = catalogue().get("fs.s3a.connection.request.timeout").expect("catalogued");
        assert_eq!(request.reading(Some(&Version::parse("3.3.4"))).unit, Some("s"));
        assert_eq!(request.reading(Some(&Version::parse("3.4.0"))).unit, Some("ms"));
        let max = catalogue().get("fs.s3a.connection.maximum").expect("catalogued");
        assert_eq!(max.reading(Some(&Version::parse("3.3.4"))).default, Some("96"));
        assert_eq!(max.reading(Some(&Version::parse("2.7.3"))).default, Some("15"));
        // Between the lines checked, no default is claimed.
        assert_eq!(max.reading(Some(&Version::parse("3.1.1"))).default, None);
        let size = catalogue().get("fs.s3a.multipart.size").expect("catalogued");
        let old = size.reading(Some(&Version::parse("2.7.3")));
        assert_eq!((old.value_type, old.default), (ValueType::Long, Some("104857600")));
        assert_eq!(size.reading(Some(&Version::parse("2.8.5"))).value_type, ValueType::Size);
        assert_eq!(max.reading(None).default, Some("500"));
    }

    #[test]
    fn per_bucket_keys_resolve_to_their_base_key() {
        let k = catalogue();
        let (info, bucket) = k.resolve("fs.s3a.bucket.nightly-etl.endpoint").expect("known");
        assert_eq!((info.key.as_str(), bucket.as_deref()), ("fs.s3a.endpoint", Some("nightly-etl")));
        assert!(k.resolve("fs.s3a.bucket.nightly-etl.endpoint.regoin").is_none());
        assert_eq!(split_per_bucket("fs.s3a.bucket.x"), None);
    }

    #[test]
    fn every_s3a_key_of_core_default_3_3_and_3_4_is_catalogued() {
        for (release, list) in [
            ("3.3", include_str!("../../tests/data/core-default-3.3-s3a-keys.txt")),
            ("3.4", include_str!("../../tests/data/core-default-3.4-s3a-keys.txt")),
        ] {
            let keys: Vec<&str> =
                list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
            assert!(keys.len() > 80, "{release}: only {} keys listed", keys.len());
            let missing: Vec<&&str> = keys.iter().filter(|k| catalogue().get(k).is_none()).collect();
            assert!(missing.is_empty(), "core-default.xml {release} keys missing from rules/keys.yaml: {missing:?}");
        }
    }

    #[test]
    fn real_misspellings_get_the_right_suggestion() {
        let text = include_str!("../../tests/data/misspellings.txt");
        let mut checked = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let (typo, want) = line.split_once('\t').expect("TYPO<TAB>SUGGESTION");
            assert!(!catalogue().knows(typo) && catalogue().flink(typo).is_none(), "`{typo}` is a real key");
            assert_eq!(catalogue().suggest(typo).as_deref(), Some(want), "suggestion for `{typo}`");
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} misspellings");
    }

    #[test]
    fn edit_distance_counts_swaps_as_one_edit() {
        assert_eq!(edit_distance("acess", "access"), 1);
        assert_eq!(edit_distance("regoin", "region"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(closest("fs.s3a.acess.key", ["fs.s3a.access.key", "fs.s3a.secret.key"]), Some("fs.s3a.access.key"));
        assert_eq!(closest("abcd", ["abce", "abcf"]), None, "a tie suggests nothing");
        assert_eq!(closest("fs.s3a.totally.different", ["fs.s3a.access.key"]), None);
    }
}

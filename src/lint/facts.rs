//! Facts about a deployment that several rules need: which filesystem URIs the configuration uses, and which
//! filesystem class a Hadoop key selects.

use std::sync::LazyLock;

use regex::Regex;

use crate::deployment::config::ConfigKind;
use crate::deployment::{Deployment, Setting};
use crate::source::{Location, Span};

/// The S3A filesystem class.
pub const S3A_CLASS: &str = "org.apache.hadoop.fs.s3a.S3AFileSystem";
/// Hadoop 2's NativeS3FileSystem (jets3t), removed in Hadoop 3.
pub const NATIVE_S3_CLASS: &str = "org.apache.hadoop.fs.s3native.NativeS3FileSystem";

static S3_URI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(s3|s3a|s3n|s3p)://[^\s,;'\x22<>]*").expect("valid regex"));

/// A filesystem URI written in a configuration value.
#[derive(Debug, Clone, Copy)]
pub struct SchemeUse<'a> {
    /// `s3`, `s3a`, `s3n` or `s3p`.
    pub scheme: &'a str,
    /// The URI as written.
    pub uri: &'a str,
    /// The definition that holds it.
    pub setting: Setting<'a>,
    /// The URI's bytes in the file (the whole value when the URI cannot be located in the text).
    pub at: Location,
}

/// Every S3 URI in an effective configuration value, in discovery order.
pub fn scheme_uses(d: &Deployment) -> Vec<SchemeUse<'_>> {
    let mut out = Vec::new();
    for setting in d.effective_settings() {
        for m in S3_URI.find_iter(&setting.entry.value) {
            let uri = m.as_str();
            let scheme = &uri[..uri.find("://").unwrap_or(0)];
            out.push(SchemeUse { scheme, uri, setting, at: locate(d, setting, uri) });
        }
    }
    out
}

/// The bucket of an S3 URI (lower-cased), without any `KEY:SECRET@` in front of it; `None` for an empty or
/// `${...}` bucket.
pub fn bucket_of(uri: &str) -> Option<String> {
    // A secret key with a `/` in it would otherwise end the authority early (`s3a://KEY:SE/CRET@bucket`).
    let uri = crate::redact::without_userinfo(uri);
    let rest = &uri[uri.find("://")? + 3..];
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    (!host.is_empty() && !host.contains('$')).then(|| host.to_ascii_lowercase())
}

/// The location of `needle` inside the written value of `setting`, or the whole value.
pub fn locate(d: &Deployment, setting: Setting<'_>, needle: &str) -> Location {
    let at = setting.entry.value_at;
    let text = &d.sources.get(at.file).text;
    match text.get(at.span.start..at.span.end).and_then(|v| v.find(needle)) {
        Some(i) => Location::new(at.file, Span::new(at.span.start + i, at.span.start + i + needle.len())),
        None => at,
    }
}

/// Effective Hadoop XML definitions of `key` (Flink files cannot set Hadoop's `fs.<scheme>.impl`).
pub fn hadoop_settings<'a>(d: &'a Deployment, key: &'a str) -> impl Iterator<Item = Setting<'a>> + 'a {
    d.settings(key).filter(|s| s.config.kind == ConfigKind::HadoopXml)
}

/// The effective `fs.<scheme>.impl` definition in Hadoop XML that names `class`, if any.
pub fn impl_selecting<'a>(d: &'a Deployment, scheme: &str, class: &str) -> Option<Setting<'a>> {
    let key = format!("fs.{scheme}.impl");
    d.effective_settings()
        .find(|s| s.config.kind == ConfigKind::HadoopXml && s.key == key && s.entry.value.trim() == class)
}

/// The class `fs.<scheme>.impl` names when it is not one of Hadoop's own S3 filesystems — EMRFS
/// (`com.amazon.ws.emr.hadoop.fs.EmrFileSystem`) or another vendor's — whose own keys then live under
/// `fs.<scheme>.`, so Hadoop's catalogue does not apply to them.
pub fn foreign_impl<'a>(d: &'a Deployment, scheme: &str) -> Option<&'a str> {
    const HADOOP: [&str; 3] = [S3A_CLASS, NATIVE_S3_CLASS, "org.apache.hadoop.fs.s3.S3FileSystem"];
    let class = d.value(&format!("fs.{scheme}.impl"))?.entry.value.trim();
    (!class.is_empty() && !HADOOP.contains(&class)).then_some(class)
}

/// True when a key lies under `fs.<scheme>.` of a scheme that a non-Hadoop filesystem serves (see [`foreign_impl`]).
pub fn under_foreign_impl(d: &Deployment, key: &str) -> bool {
    ["s3", "s3n"].iter().any(|scheme| {
        key.strip_prefix("fs.").and_then(|k| k.strip_prefix(scheme)).is_some_and(|rest| rest.starts_with('.'))
            && !key.ends_with(".impl")
            && foreign_impl(d, scheme).is_some()
    })
}

/// `file:line:column` of a location, for messages.
pub fn describe(d: &Deployment, at: Location) -> String {
    let f = d.sources.get(at.file);
    let p = f.position(at.span.start);
    format!("{}:{}:{}", f.display, p.line, p.column)
}

/// The Hadoop release whose S3A reads a setting: the main classpath's for Hadoop XML, the Flink plugin's bundled
/// Hadoop for Flink keys (unknown unless the plugin jar says which it bundles).
pub fn hadoop_reading(d: &Deployment, s: &Setting<'_>) -> Option<crate::deployment::version::Version> {
    if !s.config.kind.is_flink() {
        return d.hadoop_version.as_ref().map(|h| h.version.clone());
    }
    let plugins = d.installed_s3_plugins();
    let (_, jar) = plugins.iter().find(|(p, _)| *p == crate::deployment::FlinkS3Plugin::Hadoop)?;
    jar.bundles.iter().find(|b| b.artifact == "hadoop-aws" || b.artifact == "hadoop-common").and_then(|b| b.version())
}

#[cfg(test)]
mod tests {
    use super::bucket_of;

    #[test]
    fn buckets_are_read_without_credentials() {
        assert_eq!(bucket_of("s3a://my-bucket/checkpoints").as_deref(), Some("my-bucket"));
        assert_eq!(bucket_of("s3://My-Bucket").as_deref(), Some("my-bucket"));
        assert_eq!(bucket_of("s3n://AKIAXXXX:secret@logs/path").as_deref(), Some("logs"));
        assert_eq!(bucket_of("s3a://AKIAXXXX:se/cr+et@logs/path").as_deref(), Some("logs"));
        assert_eq!(bucket_of("s3a:///path"), None);
        assert_eq!(bucket_of("s3a://${env.BUCKET}/x"), None);
    }
}

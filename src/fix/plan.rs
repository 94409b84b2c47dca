//! Which findings get a fix, and the check of every planned file edit: the edited text, read again by the
//! file's own reader, must hold exactly the definitions planned (renamed keys with their values, added keys)
//! and nothing else changed.

use crate::deployment::config::{ConfigFile, ConfigKind};
use crate::deployment::environment::Environment;
use crate::deployment::version::Version;
use crate::deployment::{Deployment, FlinkS3Plugin, JarPlace, Setting};
use crate::knowledge::keys::catalogue;
use crate::lint::classpath_facts::hadoop_aws;
use crate::lint::spark_help::{key_as_written, spark_terms};
use crate::lint::{Finding, Target};
use crate::source::{FileId, Location, SourceFile, SourceMap, Span};

use super::edits::{Effect, TextEdit, apply, resolve};
use super::{Plan, insert, moves};

/// The buffer directory added: absolute, on the local disk of every Unix machine; S3A creates it.
pub const BUFFER_DIR: &str = "/tmp/s3a";
/// The class `fs.s3.impl` is set to.
pub const S3A_CLASS: &str = "org.apache.hadoop.fs.s3a.S3AFileSystem";

/// The fixes for `findings` of `d` (see the module doc of [`crate::fix`]).
pub fn plan(d: &Deployment, findings: &[Finding]) -> Plan {
    let mut planned = Vec::new();
    let mut plan = Plan::default();
    for f in findings {
        match f.rule {
            "unknown-key" | "deprecated-key" => planned.extend(rename(d, f)),
            "s3a-buffer-dir-missing" if buffer_dir_unset(d) => {
                planned.extend(add(d, hadoop_target(d, f), "fs.s3a.buffer.dir", BUFFER_DIR, f.rule));
            }
            "fs-s3-impl-missing" => planned.extend(s3_impl(d, f)),
            "enabled-plugin-missing" => planned.extend(plugin_name(d, f)),
            "s3-plugin-layout" => {
                let Target::Path(display) = &f.target else { continue };
                let jar = d.jars.iter().find(|j| &j.display == display);
                let jar = jar.filter(|j| matches!(j.place, JarPlace::Lib | JarPlace::Plugin(None)));
                if let Some(m) = jar.and_then(|j| moves::plan(d, j))
                    && !plan.moves.contains(&m)
                {
                    plan.moves.push(m);
                }
            }
            _ => {}
        }
    }
    let (kept, dropped) = resolve(planned);
    plan.skipped.extend(dropped.iter().map(|e| format!("{}: clashes with another fix", e.what)));
    let mut files: Vec<FileId> = kept.iter().map(|e| e.file).collect();
    files.dedup();
    for file in files {
        let edits: Vec<&TextEdit> = kept.iter().filter(|e| e.file == file).collect();
        match verify(d, file, &edits) {
            Ok(()) => plan.edits.extend(edits.into_iter().cloned()),
            Err(why) => plan.skipped.push(format!("{}: not fixed, {why}", d.sources.get(file).display)),
        }
    }
    plan
}

/// The rename a misspelt or deprecated key's suggestion stands for, when it is safe: the suggestion is a key
/// name, the span holds no secret, the file does not define the new key yet, and (deprecated Hadoop keys) the
/// deployment's Hadoop reads the successor.
fn rename(d: &Deployment, f: &Finding) -> Option<TextEdit> {
    let (Target::Source(at), Some(suggestion)) = (&f.target, &f.suggestion) else { return None };
    if f.suggestion_at.is_some() || !is_key_name(suggestion) {
        return None;
    }
    let s = d.all_settings().find(|s| s.entry.key_at == *at)?;
    let source = d.sources.get(at.file);
    let text = source.text.get(at.span.start..at.span.end)?;
    let to = format!("{}{suggestion}", s.entry.key.strip_suffix(text)?);
    if touches_secret(source, at.span) || s.config.definitions.iter().any(|e| e.key == to) || !known(&s, &to) {
        return None;
    }
    if f.rule == "deprecated-key" && !successor_is_read(d, &s, &to) {
        return None;
    }
    let from = s.entry.key.clone();
    Some(TextEdit {
        file: at.file,
        span: at.span,
        replacement: suggestion.clone(),
        rule: f.rule,
        what: format!("rename `{from}` to `{to}`"),
        effect: Effect::Rename { from, to },
    })
}

/// The jar name of `ENABLE_BUILT_IN_PLUGINS` replaced by the one the image's `opt/` ships (the rule's
/// suggestion, which it accepts).
fn plugin_name(d: &Deployment, f: &Finding) -> Option<TextEdit> {
    let (Target::Source(at), Some(suggestion)) = (&f.target, &f.suggestion) else { return None };
    let source = d.sources.get(at.file);
    let name = source.text.get(at.span.start..at.span.end)?;
    let plain = |t: &str| t.ends_with(".jar") && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
    if touches_secret(source, at.span) || !plain(name) || !plain(suggestion) {
        return None;
    }
    Some(TextEdit {
        file: at.file,
        span: at.span,
        replacement: suggestion.clone(),
        rule: f.rule,
        what: format!("enable `{suggestion}` instead of `{name}`"),
        effect: Effect::Other,
    })
}

/// A Flink key's successor is checked by the rule against the Flink version; a Hadoop key's must be read by
/// the deployment's known Hadoop release.
fn successor_is_read(d: &Deployment, s: &Setting<'_>, to: &str) -> bool {
    if s.config.kind.is_flink() && catalogue().flink(&s.entry.key).is_some_and(|i| i.deprecated.is_some()) {
        return true;
    }
    let Some(hadoop) = d.hadoop_version.as_ref().map(|h| &h.version) else { return false };
    let key = to.strip_prefix("spark.hadoop.").unwrap_or(to);
    catalogue().get(key).is_some_and(|i| i.since.as_deref().is_none_or(|since| Version::parse(since) <= *hadoop))
}

/// True when the key a rename gives is one the catalogue knows (a Flink key, or the Hadoop key it becomes).
fn known(s: &Setting<'_>, to: &str) -> bool {
    let k = catalogue();
    let hadoop = if s.config.kind.is_flink() {
        crate::deployment::flink_keys::hadoop_key(to).unwrap_or_else(|| to.to_string())
    } else {
        to.strip_prefix("spark.hadoop.").unwrap_or(to).to_string()
    };
    k.knows(&hadoop) || (s.config.kind.is_flink() && k.flink(to).is_some())
}

fn is_key_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn touches_secret(source: &SourceFile, span: Span) -> bool {
    source.secret_spans().iter().any(|s| s.start < span.end.max(span.start + 1) && span.start < s.end)
}

fn buffer_dir_unset(d: &Deployment) -> bool {
    !d.all_settings().any(|s| {
        s.key == "fs.s3a.buffer.dir" || (s.key.starts_with("fs.s3a.bucket.") && s.key.ends_with(".buffer.dir"))
    })
}

/// The file a Hadoop key is added to: the deployment's `core-site.xml` (else its only Hadoop XML file), or the
/// `spark-defaults.conf` the finding points at. A Flink configuration file is never the place: on Flink's
/// Hadoop route Hadoop reads core-site.xml, and only the S3 plugin reads S3A keys from Flink's file.
fn hadoop_target<'a>(d: &'a Deployment, f: &Finding) -> Option<&'a ConfigFile> {
    let read = |c: &&ConfigFile| d.configs.iter().position(|x| std::ptr::eq(x, *c)).is_some_and(|i| !d.is_unread(i));
    let xml: Vec<&ConfigFile> = d.configs.iter().filter(|c| c.kind == ConfigKind::HadoopXml).filter(read).collect();
    let named = |c: &&&ConfigFile| d.sources.get(c.file).path.file_name().is_some_and(|n| n == "core-site.xml");
    match xml.iter().find(named) {
        Some(c) => return Some(c),
        None if xml.len() == 1 => return Some(xml[0]),
        None if !xml.is_empty() => return None,
        None => {}
    }
    let Target::Source(at) = &f.target else { return None };
    d.configs.iter().find(|c| c.file == at.file && c.kind.is_spark())
}

/// The edit that defines `key` (a Hadoop key; written with `spark.hadoop.` in spark-defaults.conf) in `config`.
fn add(d: &Deployment, config: Option<&ConfigFile>, key: &str, value: &str, rule: &'static str) -> Option<TextEdit> {
    let config = config?;
    let key = key_as_written(config.kind, key);
    let file = d.sources.get(config.file);
    let (span, replacement) = insert::add_key(file, config, &key, value)?;
    Some(TextEdit {
        file: config.file,
        span,
        replacement,
        rule,
        what: format!("add `{key}` = `{value}`"),
        effect: Effect::Add { key, value: value.to_string() },
    })
}

/// `fs.s3.impl` (and the buffer directory S3A then needs on the Hadoop route) where the deployment already runs
/// S3A through Hadoop: Spark with hadoop-aws; a Flink home with hadoop-aws on its classpath and no S3 plugin in
/// `opt/` (installing the plugin is then the other way, the user's choice); a Hadoop configuration of S3A with no
/// classpath shown.
fn s3_impl(d: &Deployment, f: &Finding) -> Vec<TextEdit> {
    let aws_on_classpath = d.main_classpath().is_some_and(|cp| hadoop_aws(d, cp).is_some());
    let runs_s3a = if spark_terms(d) {
        aws_on_classpath || crate::deployment::spark_classpath::hadoop_aws_package(d).is_some()
    } else if d.is_flink() {
        let plugin_shipped =
            d.jars.iter().any(|j| j.place == JarPlace::Opt && j.flink_s3_plugin() == Some(FlinkS3Plugin::Hadoop));
        aws_on_classpath && !plugin_shipped && d.installed_s3_plugins().is_empty()
    } else {
        (aws_on_classpath || !d.classpath_known())
            && d.effective_settings().any(|s| s.config.kind == ConfigKind::HadoopXml && s.key.starts_with("fs.s3a."))
    };
    let target = hadoop_target(d, f);
    if !runs_s3a || target.is_none() {
        return Vec::new();
    }
    let mut out: Vec<TextEdit> = add(d, target, "fs.s3.impl", S3A_CLASS, f.rule).into_iter().collect();
    if !spark_terms(d) && buffer_dir_unset(d) {
        out.extend(add(d, target, "fs.s3a.buffer.dir", BUFFER_DIR, f.rule));
    }
    out
}

/// Reads the edited text of `file` again with its reader: the definitions must be the old ones with the planned
/// renames and additions, and nothing else.
fn verify(d: &Deployment, file: FileId, edits: &[&TextEdit]) -> Result<(), String> {
    let source = d.sources.get(file);
    if edits.iter().any(|e| touches_secret(source, e.span)) {
        return Err("an edit would touch a secret".into());
    }
    let kind = d
        .configs
        .iter()
        .find(|c| c.file == file || c.definitions.iter().any(|e| e.key_at.file == file))
        .map(|c| c.kind)
        .ok_or("it is no configuration file")?;
    // A Dockerfile, manifest or compose file is read again by its own reader; nothing is added to one (where a
    // key goes in a manifest is for its author to choose).
    let code = d.code.as_ref().and_then(|c| c.kind_of(file));
    if code.is_some() && edits.iter().any(|e| matches!(e.effect, Effect::Add { .. })) {
        return Err("keys are not added to a Dockerfile, manifest or compose file: add it yourself".into());
    }
    let read = |text: &str| match code {
        Some(kind) => crate::deployment::code::definitions(kind, source, text),
        None => definitions(kind, source, text),
    };
    let before = read(&source.text).map_err(|e| format!("it cannot be read alone ({e})"))?;
    let after = read(&apply(&source.text, edits)).map_err(|e| format!("the edited file would not read ({e})"))?;
    let mut want = before.clone();
    for e in edits {
        match &e.effect {
            Effect::Rename { from, to } => match want.iter_mut().find(|(k, _)| k == from) {
                Some(def) => def.0 = to.clone(),
                None => return Err(format!("`{from}` is not defined there")),
            },
            Effect::Add { key, value } => want.push((key.clone(), value.clone())),
            Effect::Other => {}
        }
    }
    let (mut want, mut got) = (want, after);
    want.sort();
    got.sort();
    if want == got { Ok(()) } else { Err("its reader would see more than the planned change".into()) }
}

/// Every definition (key, value as written) the reader of `kind` finds in `text`, read as `source`'s file.
fn definitions(kind: ConfigKind, source: &SourceFile, text: &str) -> Result<Vec<(String, String)>, String> {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(source.display.clone(), source.path.clone(), text));
    let config = match kind {
        ConfigKind::HadoopXml => crate::deployment::hadoop_xml::read(&mut sources, id, &Environment::default()),
        ConfigKind::FlinkConf => Ok(crate::deployment::flink_conf::read(&sources, id)),
        ConfigKind::FlinkYaml => crate::deployment::flink_yaml::read(&sources, id),
        ConfigKind::SparkConf => crate::deployment::spark_conf::read(&sources, id),
    }
    .map_err(|e| e.to_string())?;
    let own = |l: &Location| l.file == id;
    Ok(config.definitions.iter().filter(|e| own(&e.key_at)).map(|e| (e.key.clone(), e.raw.clone())).collect())
}

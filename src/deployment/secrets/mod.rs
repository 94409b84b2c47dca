//! What is secret in a deployment, decided once after every file is read and before anything is rendered.
//!
//! Each secret is marked as a span of its [`SourceFile`](crate::source::SourceFile) (so every snippet shows a
//! masked copy) and its value is kept in [`Deployment::secrets`] for the final scrub of every output. Secrets
//! are:
//!
//! * the values of every credential key in every spelling, and of near misses of them (any key the
//!   did-you-mean of [`crate::knowledge::keys`] maps to a credential key: `s3.secert-key`, `fs.s3a.proxy.pasword`);
//! * the pieces a secret's `${var}` expands from (`fs.s3a.secret.key = pre${my.holder}` makes `my.holder`
//!   secret), and any value that expands from a secret;
//! * in any value or text of any file: URI user-info, AWS key ids, `name=value` assignments whose name holds a
//!   credential — commented-out definitions, `-Daws.secretKey=…` in `env.java.opts`, lines a reader dropped
//!   ([`crate::redact::text`]);
//! * Flink lines whose key holds a credential however the reader took them (`s3.secret-key:SECRET`, a tab, a
//!   lone CR, a YAML list or block under the key, `# s3.secret-key SECRET`);
//! * in Hadoop XML, every text of a `<property>` whose name holds a credential or that has no name
//!   (a misspelt `<vaule>`, a `<description>`, a comment) ([`xml`]).

mod xml;

use std::collections::{HashMap, HashSet};

use super::Deployment;
use super::config::{ConfigFile, ConfigKind, Entry};
use crate::knowledge::keys::catalogue;
use crate::redact::{SecretName, classify, secret_ranges_with};
use crate::source::{FileId, Span};

/// Heuristic finds shorter than this are masked in snippets but not scrubbed from every output, where a short
/// common word would be masked everywhere.
const MIN_SCRUBBED: usize = 8;

impl Deployment {
    /// True when the value of this definition is a secret as a whole (it is shown as its 4-character prefix).
    /// Values that merely contain a secret (a URI with user-info) are shown through [`crate::redact::mask_text`].
    pub fn is_secret_value(&self, e: &Entry) -> bool {
        self.sources.get(e.value_at.file).is_secret(e.value_at.span)
    }
}

/// Judges names, remembering each answer: every spelling ([`classify`]) and near misses of catalogued keys.
#[derive(Default)]
struct Judge {
    known: HashMap<String, Option<SecretName>>,
}

impl Judge {
    fn judge(&mut self, name: &str) -> Option<SecretName> {
        if let Some(kind) = self.known.get(name) {
            return *kind;
        }
        let kind = classify(name).or_else(|| near_miss(name));
        self.known.insert(name.to_string(), kind);
        kind
    }
}

/// The credential key an unknown key in an S3 namespace is a misspelling of, by the catalogue's did-you-mean.
fn near_miss(name: &str) -> Option<SecretName> {
    // Spark passes `spark.hadoop.X` to Hadoop as `X`.
    let name = super::spark_conf::hadoop_key(name).unwrap_or(name);
    let k = catalogue();
    let in_scope = ["fs.s3", "s3.", "s3a."].iter().any(|p| name.starts_with(p));
    if !in_scope || k.knows(name) || k.flink(name).is_some() {
        return None;
    }
    k.suggest(name).and_then(|s| classify(&s))
}

/// What the passes found: spans to mark, values to scrub.
#[derive(Default)]
struct Found {
    marks: Vec<(FileId, Span)>,
    values: Vec<String>,
}

impl Found {
    fn secret(&mut self, file: FileId, span: Span, text: &str) {
        self.marks.push((file, span));
        if text.chars().count() >= MIN_SCRUBBED {
            self.values.push(text.to_string());
        }
    }
}

/// Marks every secret of the deployment in its sources and collects the values for the final scrub.
pub(crate) fn mark(d: &mut Deployment) {
    let mut judge = Judge::default();
    let mut found = Found::default();
    let mut kinds: HashMap<FileId, ConfigKind> = HashMap::new();
    for config in &d.configs {
        kinds.insert(config.file, config.kind);
        for def in &config.definitions {
            kinds.entry(def.value_at.file).or_insert(config.kind);
        }
        definitions(d, config, &mut judge, &mut found);
    }
    for (id, source) in d.sources.iter() {
        let text = source.text.as_str();
        for r in secret_ranges_with(text, &mut |n| judge.judge(n)) {
            found.secret(id, Span::new(r.start, r.end), &text[r]);
        }
        match kinds.get(&id) {
            Some(ConfigKind::HadoopXml) | None => {
                let spans = xml::property_secrets(text, &mut |n| judge.judge(n));
                found.marks.extend(spans.into_iter().map(|s| (id, s)));
            }
            // `key value`, `key=value`, `# key value`: the same first-word shape as Flink's lines.
            Some(ConfigKind::FlinkConf | ConfigKind::FlinkYaml | ConfigKind::SparkConf) => {
                flink_lines(id, text, &mut judge, &mut found)
            }
        }
    }
    // In file order, so that each mark lands at the end of the file's sorted spans (no shifting).
    found.marks.sort_by_key(|(file, span)| (*file, span.start, span.end));
    for (file, span) in found.marks {
        d.sources.get_mut(file).mark_secret(span);
    }
    d.secrets.extend(found.values);
    d.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    d.secrets.dedup();
}

/// The definitions of one file: values of secret keys (and of the keys their `${var}`s name), and the secrets
/// inside other values.
fn definitions(d: &Deployment, config: &ConfigFile, judge: &mut Judge, found: &mut Found) {
    let secret_keys = secret_keys(config, judge);
    for def in &config.definitions {
        let text = &d.sources.get(def.value_at.file).text;
        if secret_keys.contains(def.key.as_str()) {
            if def.value.is_empty() && def.raw.is_empty() {
                continue;
            }
            let mut at = def.value_at.span;
            if config.kind.is_flink() {
                // A secret cut at `#` by Flink's reader goes on in the "comment": mask to the end of the line.
                let rest = text.get(at.end..).unwrap_or("");
                at.end += rest.find(['\n', '\r']).unwrap_or(rest.len());
            }
            found.marks.push((def.value_at.file, at));
            if !def.value.contains("${") {
                // A `${VAR}` Hadoop left unexpanded is a name, not a secret value.
                found.values.push(def.value.clone());
            }
            if def.raw != def.value && !def.raw.contains("${") {
                found.values.push(def.raw.clone());
            }
            continue;
        }
        let ranges = secret_ranges_with(&def.value, &mut |n| judge.judge(n));
        if ranges.is_empty() {
            continue;
        }
        let at = def.value_at.span;
        let written_as_read = text.get(at.start..at.end) == Some(def.value.as_str());
        for r in ranges {
            let span = if written_as_read { Span::new(at.start + r.start, at.start + r.end) } else { at };
            found.secret(def.value_at.file, span, &def.value[r]);
        }
    }
}

/// The keys of a file whose values are secret: credential keys and their near misses, the keys a secret's
/// `${var}` names, and keys whose values expand from a secret — until nothing changes.
fn secret_keys<'a>(config: &'a ConfigFile, judge: &mut Judge) -> HashSet<&'a str> {
    let mut secret: HashSet<&str> =
        config.definitions.iter().map(|d| d.key.as_str()).filter(|k| judge.judge(k).is_some()).collect();
    let defined: HashSet<&str> = config.definitions.iter().map(|d| d.key.as_str()).collect();
    let refs: Vec<(&str, Vec<&str>)> = config
        .definitions
        .iter()
        .filter(|d| d.raw.contains("${"))
        .map(|d| (d.key.as_str(), variables(&d.raw).filter(|v| defined.contains(v)).collect::<Vec<_>>()))
        .filter(|(_, vars)| !vars.is_empty())
        .collect();
    loop {
        let before = secret.len();
        for (key, vars) in &refs {
            if secret.contains(key) {
                secret.extend(vars.iter().copied());
            } else if vars.iter().any(|v| secret.contains(v)) {
                secret.insert(key);
            }
        }
        if secret.len() == before {
            return secret;
        }
    }
}

/// The names of the `${name}` references in a raw value.
fn variables(raw: &str) -> impl Iterator<Item = &str> {
    raw.split("${").skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.trim()))
}

/// Flink lines (legacy or YAML) whose first word holds a credential, however the reader took them: the rest of
/// the line after `:`, `=`, a tab or spaces; a commented-out one (`# s3.secret-key …`); and with nothing after
/// the key, the lines indented under it or listed below it (a YAML list or block).
fn flink_lines(file: FileId, text: &str, judge: &mut Judge, found: &mut Found) {
    let mut block: Option<usize> = None;
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let at = start;
        start += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let content = line.trim_start_matches(|c: char| c <= ' ');
        let indent = line.len() - content.len();
        let content = content.trim_end_matches(|c: char| c <= ' ');
        if content.is_empty() {
            continue;
        }
        if let Some(open) = block {
            if indent > open || (indent == open && content.starts_with('-')) {
                let item = content.strip_prefix('-').map_or(content, |c| c.trim_start());
                let from = at + indent + (content.len() - item.len());
                found.secret(file, Span::new(from, at + indent + content.len()), item);
                continue;
            }
            block = None;
        }
        let name_at = content.len() - content.trim_start_matches(['#', '-', ' ', '\t', '"', '\'']).len();
        let name: String = content[name_at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            .collect();
        if name.is_empty() || judge.judge(&name).is_none() {
            continue;
        }
        let after = &content[name_at + name.len()..];
        let value = after.trim_start_matches(['"', '\'', ' ', '\t', ':', '=']);
        let from = at + indent + content.len() - value.len();
        if value.is_empty() || is_block_indicator(value) {
            block = Some(indent);
        } else if !value.starts_with("${") {
            found.secret(file, Span::new(from, at + indent + content.len()), value);
        }
    }
}

/// A YAML block scalar's header (`|`, `>-`, `|+2`): the value is on the lines below.
fn is_block_indicator(value: &str) -> bool {
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::keys::ValueType;

    #[test]
    fn every_catalogued_password_key_is_secret() {
        let k = catalogue();
        for key in k.keys.iter().filter(|k| k.value_type == ValueType::Password) {
            assert!(classify(&key.key).is_some(), "{}", key.key);
        }
        for key in k.flink.iter().filter(|k| k.value_type == ValueType::Password) {
            assert!(classify(&key.key).is_some(), "{}", key.key);
        }
    }

    #[test]
    fn near_misses_of_credential_keys_are_secret() {
        let mut judge = Judge::default();
        for k in ["s3.secert-key", "fs.s3a.secrte.key", "fs.s3a.proxy.pasword", "fs.s3a.sesion.token", "s3.acces-key"] {
            assert!(judge.judge(k).is_some(), "{k}");
        }
        for k in ["fs.s3a.endpoint.regoin", "s3.endpoint", "fs.s3a.buffer.dirr"] {
            assert!(judge.judge(k).is_none(), "{k}");
        }
    }

    fn flink_secrets(text: &str) -> Vec<String> {
        let mut found = Found::default();
        flink_lines(FileId(0), text, &mut Judge::default(), &mut found);
        found.marks.iter().map(|(_, s)| text[s.start..s.end].to_string()).collect()
    }

    #[test]
    fn flink_lines_the_reader_dropped() {
        let text = "a: b\ns3.secret-key:Zr8/jKq2nospace\rs3.secret-key:\tZr8/jKq2tab\n# s3.secret-key Zr8/jKq2c\n\
                    s3.access-key:\n  - ABCDEFGHIJKLMNOP\n  - second\nnext: value\nfs.s3a.secret.key: |\n  Zr8/jKq2blk\n\
                    s3.secret-key: ${env.SK}\n";
        assert_eq!(
            flink_secrets(text),
            ["Zr8/jKq2nospace", "Zr8/jKq2tab", "Zr8/jKq2c", "ABCDEFGHIJKLMNOP", "second", "Zr8/jKq2blk"]
        );
    }

    #[test]
    fn variables_of_a_value() {
        assert_eq!(variables("pre${my.holder}mid${ env.X }").collect::<Vec<_>>(), ["my.holder", "env.X"]);
    }
}

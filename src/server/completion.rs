//! Completion of key names in the S3 namespaces, as the file's reader spells them: Hadoop's `fs.s3a.*` (and
//! per bucket, `fs.s3a.bucket.<bucket>.*`) in `*-site.xml`; `spark.hadoop.fs.s3a.*` in `spark-defaults.conf`;
//! Flink's `s3.*` (its options and the S3A keys its plugin forwards) and `fs.s3a.*` in Flink's files.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent, MarkupKind};
use lsp_types::{Range, TextEdit};

use crate::knowledge::keys::{catalogue, split_per_bucket};

/// Which spelling the file's reader expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Hadoop `*-site.xml`.
    Hadoop,
    /// Spark `spark-defaults.conf`: Hadoop keys with `spark.hadoop.`.
    Spark,
    /// Flink `flink-conf.yaml` / `config.yaml`.
    Flink,
}

impl Dialect {
    /// The dialect of a configuration file, by its name.
    pub fn of(path: &std::path::Path) -> Dialect {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".xml") {
            Dialect::Hadoop
        } else if name.ends_with(".conf") || name.starts_with("spark-defaults") {
            Dialect::Spark
        } else {
            Dialect::Flink
        }
    }
}

/// Most items sent with their documentation.
const MAX_DOCUMENTED: usize = 40;

/// The key names that start with `prefix` (the key-like word before the cursor), each replacing `replace`.
pub fn complete(prefix: &str, dialect: Dialect, replace: Range) -> Vec<CompletionItem> {
    let mut names: Vec<String> = candidates(prefix, dialect).into_iter().filter(|n| n.starts_with(prefix)).collect();
    names.sort();
    names.dedup();
    // Documentation only for a short list: a bare `fs.s3a.` lists hundreds of keys on every keystroke.
    let documented = names.len() <= MAX_DOCUMENTED;
    names
        .into_iter()
        .map(|name| {
            let doc = documented.then(|| super::hover::describe(&name)).flatten();
            CompletionItem {
                label: name.clone(),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: detail(&name),
                documentation: doc
                    .map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, name.clone()))),
                filter_text: Some(name),
                ..Default::default()
            }
        })
        .collect()
}

/// Every name of the dialect's namespaces; per bucket, the bucket written in `prefix`.
fn candidates(prefix: &str, dialect: Dialect) -> Vec<String> {
    let cat = catalogue();
    let hadoop = || cat.keys.iter().map(|k| k.key.clone()).filter(|k| k.starts_with("fs.s3"));
    let s3a_suffixes = || {
        cat.keys
            .iter()
            .filter(|k| k.per_bucket.unwrap_or(true))
            .filter_map(|k| k.key.strip_prefix("fs.s3a."))
            .filter(|s| !s.starts_with("bucket."))
    };
    let mut out: Vec<String> = match dialect {
        Dialect::Hadoop => hadoop().collect(),
        Dialect::Spark => hadoop().map(|k| format!("spark.hadoop.{k}")).collect(),
        Dialect::Flink => {
            let mut v: Vec<String> = cat.flink.iter().map(|f| f.key.clone()).collect();
            v.extend(s3a_suffixes().map(|s| format!("s3.{s}")));
            v.extend(hadoop().filter(|k| k.starts_with("fs.s3a.")));
            v
        }
    };
    // fs.s3a.bucket.<bucket>.<key>, once the bucket is written.
    let hadoop_prefix = prefix.strip_prefix("spark.hadoop.").unwrap_or(prefix);
    let spark = if dialect == Dialect::Spark { "spark.hadoop." } else { "" };
    if let Some(rest) = hadoop_prefix.strip_prefix("fs.s3a.bucket.")
        && let Some((bucket, _)) = rest.split_once('.').filter(|(b, _)| !b.is_empty())
    {
        out.extend(s3a_suffixes().map(|s| format!("{spark}fs.s3a.bucket.{bucket}.{s}")));
    }
    out
}

/// One line: the type and default.
fn detail(name: &str) -> Option<String> {
    let cat = catalogue();
    let key = name.strip_prefix("spark.hadoop.").unwrap_or(name);
    let (t, d) = if let Some(f) = cat.flink(key) {
        (f.value_type, f.default.clone())
    } else {
        let hadoop = match key.strip_prefix("s3.") {
            Some(rest) if split_per_bucket(key).is_none() => format!("fs.s3a.{rest}"),
            _ => key.to_string(),
        };
        let (k, _) = cat.resolve(&hadoop)?;
        (k.value_type, k.default.clone())
    };
    let t = format!("{t:?}").to_lowercase();
    Some(match d {
        Some(d) => format!("{t}, default {d}"),
        None => t,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(prefix: &str, dialect: Dialect) -> Vec<String> {
        complete(prefix, dialect, Range::default()).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn each_dialect_completes_its_own_spelling() {
        assert!(labels("fs.s3a.end", Dialect::Hadoop).contains(&"fs.s3a.endpoint".to_string()));
        assert!(labels("spark.hadoop.fs.s3a.end", Dialect::Spark).contains(&"spark.hadoop.fs.s3a.endpoint".into()));
        let flink = labels("s3.", Dialect::Flink);
        assert!(flink.contains(&"s3.access-key".to_string()) && flink.contains(&"s3.connection.maximum".into()));
        assert!(labels("fs.s3a.end", Dialect::Spark).is_empty());
    }

    #[test]
    fn per_bucket_keys_use_the_bucket_written() {
        let names = labels("fs.s3a.bucket.logs.end", Dialect::Hadoop);
        assert!(names.contains(&"fs.s3a.bucket.logs.endpoint".to_string()), "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("fs.s3a.bucket.logs.end")));
    }
}

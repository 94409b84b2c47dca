//! Suppressions: the project file `.s3lint.yaml` (`ignore`, per-rule `severity`) and inline comments —
//! `<!-- s3lint: ignore RULE[, RULE] -->` directly before a `<property>` in Hadoop XML, and
//! `# s3lint: ignore RULE` at the end of a Flink configuration line or alone on the line above it.
//! An inline ignore that silenced nothing is reported (`unused-ignore`, info) so stale ones don't pile up.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Finding, Rule, RuleMeta, Severity, Target};
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::ConfigKind;
use crate::input::{Budget, read_text};
use crate::source::{FileId, LoadError, Location, Span};
use crate::yaml_depth::{MAX_DEPTH, too_deep};

/// The project file `.s3lint.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSettings {
    /// Rules never reported.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Per-rule severity overrides.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            other => Err(serde::de::Error::custom(format!("unknown severity `{other}` (error, warning, info)"))),
        }
    }
}

impl ProjectSettings {
    /// Reads `path` (charged to `budget`); a missing default file is no settings, a malformed one is an error.
    pub fn load(path: &Path, required: bool, budget: &Budget) -> Result<Self, LoadError> {
        let display = path.display().to_string();
        if !required && std::fs::symlink_metadata(path).is_err() {
            return Ok(Self::default());
        }
        let text = read_text(path, &display, budget)?;
        if let Some(at) = too_deep(&text, MAX_DEPTH) {
            let probe = crate::source::SourceFile::new(display.clone(), path, text);
            return Err(LoadError::at(
                &probe,
                at,
                format!("invalid s3lint settings: YAML nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let settings: ProjectSettings = serde_yaml::from_str(&text).map_err(|e| LoadError {
            file: display.clone(),
            position: e.location().map(|l| crate::source::Position {
                line: l.line(),
                column: l.column(),
                offset: l.index(),
            }),
            message: crate::redact::mask_text(&format!("invalid s3lint settings: {e}")),
        })?;
        for id in settings.ignore.iter().chain(settings.severity.keys()) {
            if super::rules::find(id).is_none() {
                return Err(LoadError::file(display, format!("unknown rule `{id}` (see `s3lint rules`)")));
            }
        }
        Ok(settings)
    }
}

declare_rule! {
    /// ## What it catches
    /// An inline `s3lint: ignore RULE` comment that silenced nothing: the rule no longer fires there, the
    /// comment is not directly above a `<property>` (XML) or on/above a setting line (Flink), or the rule id is
    /// misspelt.
    ///
    /// ## Why it matters
    /// Stale suppressions hide the next real problem on that line and mislead readers about what is checked.
    ///
    /// ## How to fix
    /// Remove the comment, or fix its placement or rule id.
    pub UnusedIgnore => "unused-ignore", Info, "an inline s3lint ignore that silenced nothing"
}

impl Rule for UnusedIgnore {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by [`apply`], which knows what each ignore silenced.
    fn check(&self, _: &Deployment, _: &mut Vec<Finding>) {}
}

static XML_IGNORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<!--\s*s3lint:\s*ignore\s+([A-Za-z0-9, -]+?)\s*-->").expect("valid regex"));
static YAML_IGNORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"#\s*s3lint:\s*ignore\s+([A-Za-z0-9, -]+?)\s*$").expect("valid regex"));

/// One inline ignore: which rules, over which bytes, written where.
struct Ignore {
    rules: Vec<String>,
    file: FileId,
    covers: Span,
    comment: Span,
    used: bool,
}

/// Drops suppressed findings, applies severity overrides, and reports unused inline ignores.
pub fn apply(d: &Deployment, findings: Vec<Finding>, settings: &ProjectSettings) -> Vec<Finding> {
    let mut ignores = inline_ignores(d);
    let index = IgnoreIndex::new(&ignores);
    let mut out = Vec::new();
    for mut f in findings {
        if settings.ignore.iter().any(|r| r == f.rule) {
            continue;
        }
        if let Target::Source(at) = f.target
            && let Some(i) = index.find(&ignores, at.file, at.span.start, f.rule)
        {
            ignores[i].used = true;
            continue;
        }
        if let Some(s) = settings.severity.get(f.rule) {
            f.severity = *s;
        }
        out.push(f);
    }
    for i in ignores.iter().filter(|i| !i.used) {
        if settings.ignore.iter().any(|r| i.rules.contains(r)) {
            continue;
        }
        let unknown: Vec<&String> = i.rules.iter().filter(|r| super::rules::find(r).is_none()).collect();
        let message = if unknown.is_empty() {
            format!("this `s3lint: ignore {}` silenced nothing", i.rules.join(", "))
        } else {
            format!(
                "this `s3lint: ignore` names unknown rule(s) {}",
                unknown.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let mut f = UnusedIgnore::META.finding(
            Location::new(i.file, i.comment),
            message,
            "Remove the comment, or fix its placement or rule id.",
        );
        if let Some(s) = settings.severity.get(f.rule) {
            f.severity = *s;
        }
        if !settings.ignore.iter().any(|r| r == f.rule) {
            out.push(f);
        }
    }
    out.sort_by(|a, b| super::sort_key(a).cmp(&super::sort_key(b)));
    out
}

/// The ignores of each file sorted by where their cover starts, with the furthest cover end so far, so that the
/// ignores covering an offset are found without scanning them all.
struct IgnoreIndex {
    /// File -> (cover start, furthest cover end up to here, index into the ignores), sorted by cover start.
    by_file: HashMap<FileId, Vec<(usize, usize, usize)>>,
}

impl IgnoreIndex {
    fn new(ignores: &[Ignore]) -> Self {
        let mut by_file: HashMap<FileId, Vec<(usize, usize, usize)>> = HashMap::new();
        for (i, ig) in ignores.iter().enumerate() {
            by_file.entry(ig.file).or_default().push((ig.covers.start, ig.covers.end, i));
        }
        for list in by_file.values_mut() {
            list.sort_unstable();
            let mut furthest = 0;
            for entry in list.iter_mut() {
                furthest = furthest.max(entry.1);
                entry.1 = furthest;
            }
        }
        IgnoreIndex { by_file }
    }

    /// The first ignore (in document order of the list) for `rule` whose cover holds `offset` of `file`.
    fn find(&self, ignores: &[Ignore], file: FileId, offset: usize, rule: &str) -> Option<usize> {
        let list = self.by_file.get(&file)?;
        let upto = list.partition_point(|(start, _, _)| *start <= offset);
        let mut best: Option<usize> = None;
        for &(_, furthest, i) in list[..upto].iter().rev() {
            if furthest < offset {
                break;
            }
            let ig = &ignores[i];
            if ig.covers.start <= offset && offset <= ig.covers.end && ig.rules.iter().any(|r| r == rule) {
                best = Some(best.map_or(i, |b| b.min(i)));
            }
        }
        best
    }
}

fn inline_ignores(d: &Deployment) -> Vec<Ignore> {
    let mut out = Vec::new();
    let mut files: Vec<(FileId, ConfigKind)> = Vec::new();
    for c in &d.configs {
        files.push((c.file, c.kind));
        for def in &c.definitions {
            if def.key_at.file != c.file && !files.iter().any(|(f, _)| *f == def.key_at.file) {
                files.push((def.key_at.file, c.kind));
            }
        }
    }
    for (file, kind) in files {
        let src = d.sources.get(file);
        let text = &src.text;
        if kind == ConfigKind::HadoopXml {
            for c in XML_IGNORE.captures_iter(text) {
                let (Some(whole), Some(list)) = (c.get(0), c.get(1)) else { continue };
                let rest = &text[whole.end()..];
                let trimmed = rest.trim_start();
                if !trimmed.starts_with("<property") {
                    out.push(Ignore {
                        rules: split(list.as_str()),
                        file,
                        covers: Span::new(0, 0),
                        comment: Span::new(whole.start(), whole.end()),
                        used: false,
                    });
                    continue;
                }
                let start = whole.end() + (rest.len() - trimmed.len());
                let end = trimmed
                    .find("</property>")
                    .map(|e| start + e + "</property>".len())
                    .or_else(|| trimmed.find("/>").map(|e| start + e + 2))
                    .unwrap_or(text.len());
                out.push(Ignore {
                    rules: split(list.as_str()),
                    file,
                    covers: Span::new(start, end),
                    comment: Span::new(whole.start(), whole.end()),
                    used: false,
                });
            }
        } else {
            for line in 1..=src.line_count() {
                let line_text = src.line_text(line);
                let Some(c) = YAML_IGNORE.captures(line_text) else { continue };
                let (Some(whole), Some(list)) = (c.get(0), c.get(1)) else { continue };
                let span = src.line_span(line);
                let alone = line_text[..whole.start()].trim().is_empty();
                let target = if alone { src.line_span(line + 1) } else { span };
                let comment = Span::new(span.start + whole.start(), span.start + whole.end());
                out.push(Ignore { rules: split(list.as_str()), file, covers: target, comment, used: false });
            }
        }
    }
    out
}

fn split(list: &str) -> Vec<String> {
    list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

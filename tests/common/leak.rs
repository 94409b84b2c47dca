//! The secret oracle shared by the leak tests: is any part of a secret beyond its 4-character prefix in an
//! output, in any form the output may hold it (as is, JSON-decoded, GitHub-unescaped, wrapped over lines)?

use aho_corasick::AhoCorasick;

/// The longest run of a secret's characters an output may show (its 4-character prefix; one more, so that a
/// match is never a coincidence of 4 characters).
const SHOWN: usize = 5;
/// A run this long of a lower-cased secret found in the lower-cased output is a leak too (a bucket name taken
/// from a URI with credentials is lower-cased); longer, since lower-casing makes coincidences likelier.
const SHOWN_LOWER: usize = 9;

/// What to run on a case.
#[derive(Debug, Clone, Copy)]
pub enum Run {
    /// `check` in every format.
    Check,
    /// `config` in every format.
    Config,
    /// `diagnose` of the case's `trace.log` in every format.
    Diagnose,
}

impl Run {
    /// The command lines of this run on `case`.
    pub fn commands(self, case: &str) -> Vec<Vec<String>> {
        let (cmd, formats, target): (&str, &[&str], String) = match self {
            Run::Check => ("check", &["human", "json", "sarif", "github"], case.to_string()),
            Run::Config => ("config", &["human", "json"], case.to_string()),
            Run::Diagnose => ("diagnose", &["human", "json"], format!("{case}/trace.log")),
        };
        formats
            .iter()
            .map(|f| {
                let mut args = vec![cmd.to_string(), "--format".to_string(), f.to_string(), target.clone()];
                if cmd == "check" {
                    args.splice(1..1, ["--fail-on".to_string(), "never".to_string()]);
                }
                args
            })
            .collect()
    }
}

/// The forms an output can hold a secret in.
fn views(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) {
        let mut strings = String::new();
        collect(&doc, &mut strings);
        out.push(strings);
    }
    let github = text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",");
    out.push(github.replace("%25", "%"));
    // A message wrapped by the terminal renderer: line breaks and the box drawing after them removed.
    static WRAP: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\r?\n[ \t│·├╰╭─▶]*").expect("regex"));
    let unwrapped = WRAP.replace_all(text, "").into_owned();
    out.push(unwrapped);
    out.into_iter().map(|v| v.to_lowercase()).collect()
}

fn collect(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| collect(i, out)),
        _ => {}
    }
}

/// The runs of secrets' characters that must not appear in an output, searched with one automaton per case.
pub struct Oracle {
    exact: Option<AhoCorasick>,
    folded: Option<AhoCorasick>,
}

impl Oracle {
    /// The oracle for `secrets`.
    pub fn new(secrets: &[String]) -> Self {
        let runs = |n: usize| -> Vec<String> {
            let mut out: Vec<String> = secrets
                .iter()
                .flat_map(|s| {
                    let chars: Vec<char> = s.chars().collect();
                    chars.windows((n + 1).min(chars.len())).map(|w| w.iter().collect::<String>()).collect::<Vec<_>>()
                })
                .collect();
            out.sort();
            out.dedup();
            out
        };
        let build = |runs: Vec<String>, fold: bool| {
            (!runs.is_empty())
                .then(|| AhoCorasick::builder().ascii_case_insensitive(fold).build(&runs).expect("automaton"))
        };
        Oracle { exact: build(runs(SHOWN), false), folded: build(runs(SHOWN_LOWER), true) }
    }

    /// The first run of a secret found in `text`, in any of its views, if any.
    pub fn leaked(&self, text: &str) -> Option<String> {
        for view in views(text) {
            for ac in self.exact.iter().chain(&self.folded) {
                if let Some(m) = ac.find(&view) {
                    return Some(view[m.range()].to_string());
                }
            }
        }
        None
    }
}

/// The first run of more than [`SHOWN`] characters of a secret found in `text`, if any.
pub fn leaked(text: &str, secrets: &[String]) -> Option<String> {
    Oracle::new(secrets).leaked(text)
}

/// Fails when `text` shows any secret beyond its prefix.
pub fn assert_no_leak(what: &str, text: &str, secrets: &[String]) {
    if let Some(piece) = leaked(text, secrets) {
        panic!("{what} shows {piece:?} of a secret:\n{text}");
    }
}

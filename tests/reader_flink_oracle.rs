//! The Flink readers against golden files written by real Flink (`tests/oracle/flink/run.sh`):
//! for every case directory under `fixtures/readers/flink-conf`, `fixtures/readers/flink-yaml` and
//! `fixtures/readers/flink-yaml/malformed`, the reader's entries must equal what Flink's
//! `GlobalConfiguration.loadConfiguration(dir).toMap()` returned, and the reader must refuse exactly the
//! files Flink refuses (at the line of snakeyaml's problem mark, when Flink's message has one).
//! No Java is needed: the goldens are checked in.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use s3lint::deployment::config::{ConfigFile, NoteKind};
use s3lint::deployment::{flink_conf, flink_yaml};
use s3lint::source::{LoadError, SourceFile, SourceMap};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/readers")
}

/// The case directories under `dir` that hold `file_name`, sorted.
fn cases(dir: &Path, file_name: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(file_name).is_file())
        .collect();
    out.sort();
    out
}

fn golden(case: &Path) -> Value {
    let path = case.join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn golden_entries(golden: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = golden["entries"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or_else(|| panic!("{k} in {e}")).to_string();
                    (s("key"), s("value"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn entries(config: &ConfigFile) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = config.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect();
    out.sort();
    out
}

fn load(case: &Path, file_name: &str) -> (SourceMap, s3lint::source::FileId) {
    let path = case.join(file_name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(path.display().to_string(), &path, text));
    (sources, id)
}

/// The line number Java's `BufferedReader.readLine` gives the line holding byte `offset`.
fn java_line(text: &str, offset: usize) -> usize {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if text.as_bytes().get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

#[test]
fn legacy_reader_matches_flink() {
    let cases = cases(&root().join("flink-conf"), "flink-conf.yaml");
    assert!(cases.len() >= 5, "fixtures missing: {cases:?}");
    for case in cases {
        let golden = golden(&case);
        let (sources, id) = load(&case, "flink-conf.yaml");
        let config = flink_conf::read(&sources, id);
        assert_eq!(entries(&config), golden_entries(&golden), "entries of {}", case.display());

        // Flink warns about exactly the lines noted as unparsed.
        let text = &sources.get(id).text;
        let ours: BTreeSet<usize> = config
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::UnparsedLine)
            .map(|n| java_line(text, n.at.span.start))
            .collect();
        let flink: BTreeSet<usize> = golden["warnings"]
            .as_array()
            .map(|a| a.iter().filter_map(|w| w["line"].as_u64()).map(|l| l as usize).collect())
            .unwrap_or_default();
        assert_eq!(ours, flink, "unparsed lines of {}", case.display());
        for note in &config.notes {
            for entry in &config.definitions {
                assert!(
                    entry.value.len() < 3 || !note.message.contains(&entry.value),
                    "a note repeats a value in {}: {}",
                    case.display(),
                    note.message
                );
            }
        }
    }
}

#[test]
fn yaml_reader_matches_flink() {
    let cases = cases(&root().join("flink-yaml"), "config.yaml");
    assert!(cases.len() >= 5, "fixtures missing: {cases:?}");
    let mut failures = Vec::new();
    for case in cases {
        let golden = golden(&case);
        if let Some(e) = golden.get("error") {
            failures.push(format!("{}: Flink refused a case meant to load: {e}", case.display()));
            continue;
        }
        let (sources, id) = load(&case, "config.yaml");
        let config = match flink_yaml::read(&sources, id) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}: refused: {e}", case.display()));
                continue;
            }
        };
        let (ours, flink) = (entries(&config), golden_entries(&golden));
        if ours != flink {
            let only_ours: Vec<_> = ours.iter().filter(|e| !flink.contains(e)).collect();
            let only_flink: Vec<_> = flink.iter().filter(|e| !ours.contains(e)).collect();
            failures.push(format!("{}:\n  ours only:  {only_ours:?}\n  Flink only: {only_flink:?}", case.display()));
        }
        let text = &sources.get(id).text;
        for e in &config.definitions {
            let key = &text[e.key_at.span.start..e.key_at.span.end];
            if key.is_empty() {
                failures.push(format!("{}: empty key span for {}", case.display(), e.key));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_reader_refuses_what_flink_refuses() {
    let cases = cases(&root().join("flink-yaml/malformed"), "config.yaml");
    assert!(cases.len() >= 8, "fixtures missing: {cases:?}");
    let mut failures = Vec::new();
    for case in cases {
        let golden = golden(&case);
        let Some(flink_error) = golden["error"].as_str() else {
            failures.push(format!("{}: Flink accepted it", case.display()));
            continue;
        };
        let (sources, id) = load(&case, "config.yaml");
        let err: LoadError = match flink_yaml::read(&sources, id) {
            Ok(c) => {
                failures.push(format!("{}: accepted; Flink: {flink_error}; ours: {:?}", case.display(), entries(&c)));
                continue;
            }
            Err(e) => e,
        };
        let Some(position) = err.position else {
            failures.push(format!("{}: no position in {err}", case.display()));
            continue;
        };
        // Flink names a problem mark and often a context mark ("while scanning a quoted scalar" at its
        // opening quote); either is a right place to point at. Without a mark, any position will do.
        let line = |k: &str| golden[k].as_u64().unwrap_or(0) as usize;
        let (problem, context) = (line("line"), line("context_line"));
        if problem > 0 && position.line != problem && position.line != context {
            failures.push(format!(
                "{}: line {} (Flink: problem at line {problem}, context at line {context})\n  ours:  {err}\n  Flink: {flink_error}",
                case.display(),
                position.line
            ));
        }
        if err.message.contains("AKIA") {
            failures.push(format!("{}: error shows a value: {err}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

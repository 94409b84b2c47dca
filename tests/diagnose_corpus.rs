//! The labelled corpus of `fixtures/diagnose/`: every trace with its expected category — `labels.yaml` in each
//! corpus folder (genuine traces printed by the real classes, traces as users posted them, negatives) and the
//! older `expected.yaml`. Prints top-1 accuracy and false positives, and fails below 95% or on any false positive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use s3lint::diagnose::diagnose;
use s3lint::knowledge::{CATEGORIES, Catalog};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Label {
    /// One category, `a|b` when two are equally right, or null: nothing may be diagnosed.
    category: Option<String>,
    /// Where it was posted, or how it was produced.
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OldExpected {
    case: Option<String>,
    #[serde(default)]
    category: Option<String>,
}

struct Entry {
    file: PathBuf,
    want: Option<Vec<String>>,
    origin: &'static str,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/diagnose")
}

fn label_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            label_files(&p, out);
        } else if p.file_name().is_some_and(|n| n == "labels.yaml") {
            out.push(p);
        }
    }
}

fn corpus() -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut files = Vec::new();
    label_files(&root(), &mut files);
    for labels in files {
        let dir = labels.parent().unwrap().to_path_buf();
        let text = std::fs::read_to_string(&labels).unwrap();
        let map: BTreeMap<String, Label> =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", labels.display()));
        let origin = if dir.to_string_lossy().contains("genuine") {
            "genuine"
        } else if dir.ends_with("posted-negative") {
            "posted-negative"
        } else {
            "posted"
        };
        for (file, label) in map {
            assert!(label.source.as_deref().is_some_and(|s| !s.is_empty()), "{file}: no source");
            let want = label.category.map(|c| c.split('|').map(|s| s.trim().to_string()).collect::<Vec<_>>());
            for c in want.iter().flatten() {
                assert!(CATEGORIES.contains(&c.as_str()), "{file}: unknown category {c}");
            }
            entries.push(Entry { file: dir.join(&file), want, origin });
        }
    }
    let old: BTreeMap<String, OldExpected> =
        serde_yaml::from_str(&std::fs::read_to_string(root().join("expected.yaml")).unwrap()).unwrap();
    for (file, e) in old {
        if entries.iter().any(|x: &Entry| x.file == root().join(&file)) {
            continue;
        }
        let want = e.case.map(|_| vec![e.category.expect("category")]);
        let origin = if file.starts_with("negative/") { "negative" } else { "hand-written" };
        entries.push(Entry { file: root().join(file), want, origin });
    }
    entries
}

#[test]
fn corpus_top1_accuracy_is_at_least_95_percent_with_no_false_positive() {
    let catalog = Catalog::builtin().unwrap();
    let entries = corpus();
    let mut by_origin: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut right, mut false_positives, mut negatives) = (0usize, Vec::new(), 0usize);
    let mut misses = Vec::new();
    for e in &entries {
        let file = std::fs::File::open(&e.file).unwrap_or_else(|err| panic!("{}: {err}", e.file.display()));
        let result = diagnose(file, &catalog).unwrap();
        let got = result.diagnoses.first().map(|d| d.case.category.as_str());
        let ok = match (&e.want, got) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some(w), Some(g)) => w.iter().any(|c| c == g),
            (Some(_), None) => false,
        };
        match &e.want {
            None => {
                negatives += 1;
                if let Some(g) = got {
                    false_positives.push(format!("{} -> {g} ({})", e.file.display(), result.diagnoses[0].case.id));
                }
            }
            Some(want) if !ok => misses.push(format!(
                "{}: want {}, got {}",
                e.file.strip_prefix(root()).unwrap().display(),
                want.join("|"),
                result
                    .diagnoses
                    .first()
                    .map_or("nothing".to_string(), |d| format!("{} ({})", d.case.category, d.case.id))
            )),
            Some(_) => {}
        }
        let slot = by_origin.entry(e.origin).or_default();
        slot.0 += 1;
        slot.1 += usize::from(ok);
        right += usize::from(ok);
    }
    let total = entries.len();
    let accuracy = right as f64 / total as f64;
    println!("diagnose corpus: {right}/{total} right, top-1 accuracy {:.1}%", accuracy * 100.0);
    println!("negatives: {negatives}, false positives: {}", false_positives.len());
    for (origin, (n, ok)) in &by_origin {
        println!("  {origin:<16} {ok:>4}/{n:<4}");
    }
    for m in &misses {
        println!("  miss: {m}");
    }
    for fp in &false_positives {
        println!("  false positive: {fp}");
    }
    let genuine = by_origin.get("genuine").map_or(0, |v| v.0);
    let posted = by_origin.get("posted").map_or(0, |v| v.0) + by_origin.get("posted-negative").map_or(0, |v| v.0);
    assert!(total >= 120, "only {total} traces");
    assert!(false_positives.is_empty(), "{} false positive(s):\n{}", false_positives.len(), false_positives.join("\n"));
    assert!(accuracy >= 0.95, "top-1 accuracy {:.1}% < 95%:\n{}", accuracy * 100.0, misses.join("\n"));
    assert!(negatives >= 30, "only {negatives} negatives");
    assert!(genuine >= 40, "only {genuine} genuine traces");
    assert!(posted >= 40, "only {posted} posted traces");
}

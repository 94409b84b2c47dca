//! Baselines, for adopting s3lint in a repository that already has findings: `check --write-baseline FILE`
//! records today's findings, `check --baseline FILE` reports only the ones that are not recorded.
//!
//! A finding is recorded by its file, rule, key and a SHA-256 of the text it points at (the offending value) —
//! never the value itself, which may be a secret, and never a line number, so that editing elsewhere in a file does
//! not bring recorded findings back, while changing the offending value (or adding a second, identical mistake)
//! does. Each fingerprint is counted: three recorded typos of one key suppress three findings, not a fourth.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Finding, Target};
use crate::deployment::Deployment;
use crate::input::{Budget, read_text};
use crate::source::LoadError;

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The file as shown in reports.
    pub file: String,
    /// The rule id.
    pub rule: String,
    /// The configuration key concerned (empty when none).
    #[serde(default)]
    pub key: String,
    /// SHA-256 (hex) of the text the finding points at; of nothing for a whole-file finding (a jar).
    pub value_sha256: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(flatten)]
    fingerprint: Fingerprint,
    count: usize,
}

/// Recorded findings, by fingerprint, with how many of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<Fingerprint, usize>,
}

/// The fingerprint of a finding of deployment `d`.
pub fn fingerprint(d: &Deployment, f: &Finding) -> Fingerprint {
    let (file, value) = match &f.target {
        Target::Source(at) => {
            let source = d.sources.get(at.file);
            (source.display.clone(), source.text.get(at.span.start..at.span.end).unwrap_or(""))
        }
        Target::Path(display) => (display.clone(), ""),
    };
    let digest = Sha256::digest(value.as_bytes());
    let value_sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    Fingerprint { file, rule: f.rule.to_string(), key: f.key.clone().unwrap_or_default(), value_sha256 }
}

impl Baseline {
    /// The baseline of these findings.
    pub fn of(d: &Deployment, findings: &[Finding]) -> Self {
        let mut counts = BTreeMap::new();
        for f in findings {
            *counts.entry(fingerprint(d, f)).or_insert(0) += 1;
        }
        Baseline { counts }
    }

    /// Adds what `other` records (the baselines of several deployments in one file).
    pub fn extend(&mut self, other: Baseline) {
        for (fingerprint, count) in other.counts {
            *self.counts.entry(fingerprint).or_insert(0) += count;
        }
    }

    /// How many findings it records.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// Whether it records none.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The baseline file's text (JSON, sorted, one entry per fingerprint).
    pub fn to_json(&self) -> String {
        let findings =
            self.counts.iter().map(|(fingerprint, count)| Entry { fingerprint: fingerprint.clone(), count: *count });
        let file = File { version: 1, findings: findings.collect() };
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }

    /// Reads a baseline file written by [`Baseline::to_json`] (charged to `budget`).
    pub fn load(path: &Path, budget: &Budget) -> Result<Self, LoadError> {
        let display = path.display().to_string();
        let text = read_text(path, &display, budget)?;
        Self::from_json(&text, &display)
    }

    /// Parses the text of a baseline file; `display` names it in errors.
    pub fn from_json(text: &str, display: &str) -> Result<Self, LoadError> {
        let file: File = serde_json::from_str(text).map_err(|e| LoadError {
            file: display.to_string(),
            position: Some(crate::source::Position { line: e.line(), column: e.column(), offset: 0 }),
            message: format!("invalid baseline: {e}"),
        })?;
        if file.version != 1 {
            return Err(LoadError::file(display, format!("baseline version {} (this s3lint reads 1)", file.version)));
        }
        let mut counts = BTreeMap::new();
        for e in file.findings {
            *counts.entry(e.fingerprint).or_insert(0) += e.count;
        }
        Ok(Baseline { counts })
    }

    /// The findings not recorded (in their order), and how many were recorded and so left out.
    pub fn filter(&self, d: &Deployment, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        let mut left = self.counts.clone();
        let mut kept = Vec::new();
        let mut dropped = 0;
        for f in findings {
            match left.get_mut(&fingerprint(d, &f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    dropped += 1;
                }
                _ => kept.push(f),
            }
        }
        (kept, dropped)
    }

    /// [`Baseline::filter`] over every checked deployment, recorded findings counted once over all of them.
    pub fn filter_all(&self, checked: Vec<(Deployment, Vec<Finding>)>) -> (Vec<(Deployment, Vec<Finding>)>, usize) {
        let mut left_out = 0;
        let kept = checked
            .into_iter()
            .map(|(d, f)| {
                let (kept, dropped) = self.filter(&d, f);
                left_out += dropped;
                (d, kept)
            })
            .collect();
        (kept, left_out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::discover::{DiscoverOptions, discover};

    fn checked(dir: &Path) -> (Deployment, Vec<Finding>) {
        let d = discover(&[dir.to_path_buf()], &DiscoverOptions::default()).expect("fixture");
        let findings = crate::lint::run(&d);
        (d, findings)
    }

    fn copy_fixture(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("s3lint-baseline-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let from = Path::new("fixtures/check").join(name).join("etc/hadoop/core-site.xml");
        std::fs::copy(from, dir.join("core-site.xml")).unwrap();
        dir
    }

    #[test]
    fn recorded_findings_stay_out_until_their_value_changes() {
        let dir = copy_fixture("hadoop-s3a-key-typos");
        let (d, findings) = checked(&dir);
        assert!(findings.len() >= 3, "{findings:?}");
        let baseline = Baseline::from_json(&Baseline::of(&d, &findings).to_json(), "baseline").expect("baseline JSON");
        assert_eq!(baseline.len(), findings.len());
        assert_eq!(baseline.filter(&d, findings.clone()).0, Vec::<Finding>::new());

        // Lines added above every finding: nothing comes back.
        let file = dir.join("core-site.xml");
        let text = std::fs::read_to_string(&file).unwrap();
        let shifted = text.replacen("<configuration>", "<configuration>\n  <!-- moved -->\n\n", 1);
        std::fs::write(&file, &shifted).unwrap();
        let (d2, findings2) = checked(&dir);
        assert_eq!(findings2.len(), findings.len());
        assert!(baseline.filter(&d2, findings2).0.is_empty());

        // One offending key written differently: that finding alone is new.
        let first = findings[0].key.clone().expect("a key finding");
        let changed = shifted.replacen(&format!("<name>{first}</name>"), &format!("<name>{first}x</name>"), 1);
        assert_ne!(changed, shifted);
        std::fs::write(&file, changed).unwrap();
        let (d3, findings3) = checked(&dir);
        let (kept, dropped) = baseline.filter(&d3, findings3);
        assert_eq!((kept.len(), dropped), (1, findings.len() - 1), "{kept:?}");
    }

    #[test]
    fn a_baseline_never_holds_a_secret() {
        let dir = copy_fixture("hadoop-conf-plaintext-keys");
        let (d, findings) = checked(&dir);
        assert!(findings.iter().any(|f| f.rule == "plaintext-credentials"));
        let json = Baseline::of(&d, &findings).to_json();
        assert!(!d.secrets.is_empty());
        for secret in d.secrets.iter() {
            assert!(!json.contains(secret.as_str()), "baseline holds a secret");
        }
        assert!(json.contains("\"value_sha256\""));
    }
}

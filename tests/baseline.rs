//! `check --write-baseline` / `--baseline` through the binary: recorded findings stay out, new ones and changed
//! values come back, moving lines does not, and the baseline file never holds a secret.

mod common;

use common::{root, s3lint_from};

fn copy(fixture: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-baseline-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("etc/hadoop")).unwrap();
    let from = root().join("fixtures/check").join(fixture).join("etc/hadoop/core-site.xml");
    std::fs::copy(from, dir.join("etc/hadoop/core-site.xml")).unwrap();
    dir
}

#[test]
fn a_baseline_silences_what_it_records_and_nothing_else() {
    let dir = copy("hadoop-s3a-key-typos", "typos");
    let before = s3lint_from(&dir, &["check", "."]);
    assert_eq!(before.status.code(), Some(1));
    let wrote = s3lint_from(&dir, &["check", ".", "--write-baseline", "baseline.json"]);
    assert_eq!(wrote.status.code(), Some(0), "{wrote:?}");
    assert!(String::from_utf8_lossy(&wrote.stderr).contains("recorded 4 finding(s)"), "{wrote:?}");
    let quiet = s3lint_from(&dir, &["check", ".", "--baseline", "baseline.json"]);
    assert_eq!(quiet.status.code(), Some(0), "{quiet:?}");
    assert!(String::from_utf8_lossy(&quiet.stderr).contains("4 finding(s) recorded in the baseline left out"));

    // Lines moved: still nothing. A new typo: exactly that one.
    let file = dir.join("etc/hadoop/core-site.xml");
    let text = std::fs::read_to_string(&file).unwrap();
    let moved = text.replacen("<configuration>", "<configuration>\n<!-- reordered -->\n", 1);
    std::fs::write(&file, &moved).unwrap();
    assert_eq!(s3lint_from(&dir, &["check", ".", "--baseline", "baseline.json"]).status.code(), Some(0));
    let added = moved.replacen(
        "</configuration>",
        "  <property><name>fs.s3a.endpiont</name><value>s3.eu-west-1.amazonaws.com</value></property>\n</configuration>",
        1,
    );
    std::fs::write(&file, added).unwrap();
    let out = s3lint_from(&dir, &["check", ".", "--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc}");
    assert_eq!(findings[0]["key"], "fs.s3a.endpiont");
}

#[test]
fn a_baseline_holds_no_secret_and_a_bad_one_cannot_check() {
    let dir = copy("hadoop-conf-plaintext-keys", "secrets");
    let wrote = s3lint_from(&dir, &["check", ".", "--write-baseline", "baseline.json"]);
    assert_eq!(wrote.status.code(), Some(0), "{wrote:?}");
    let baseline = std::fs::read_to_string(dir.join("baseline.json")).unwrap();
    let config = std::fs::read_to_string(dir.join("etc/hadoop/core-site.xml")).unwrap();
    // Every value of the file (the secrets among them) is absent from the baseline.
    for value in config.split("<value>").skip(1).filter_map(|v| v.split("</value>").next()) {
        if value.len() >= 8 {
            assert!(!baseline.contains(value), "the baseline holds `{}…`", &value[..4]);
        }
    }
    assert!(baseline.contains("plaintext-credentials"));
    std::fs::write(dir.join("broken.json"), "{\"version\": 1, \"findings\": [{\"file\": 3}]}").unwrap();
    let bad = s3lint_from(&dir, &["check", ".", "--baseline", "broken.json"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid baseline"), "{bad:?}");
}

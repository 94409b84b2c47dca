//! No secret from any fixture may appear in any output format of `check` or `config`: at most a 4-character
//! prefix of it.

mod common;

use common::*;

/// Fake credentials planted in fixtures, minus the 4-character prefix that may be shown.
const PLANTED: &[&str] = &[
    "IOSFODNN7EXAMPLE",  // AKIAIOSFODNN7EXAMPLE
    "I44QH8DHBEXAMPLE",  // AKIAI44QH8DHBEXAMPLE
    "Y34FZKBOKMUTVV7A",  // ASIAY34FZKBOKMUTVV7A
    "rXUtnFEMI/K7MDENG", // wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    "bPxRfiCYEXAMPLEKEY",
    "MtGbClwBF/2Zp9Utk",        // je7MtGbClwBF/2Zp9Utk#/h1yCo8nvbEXAMPLEKEY (cut at '#')
    "TJvcXLB89EXAMPLELB8923",   // 9drTJvcXLB89EXAMPLELB8923FB892xMFI
    "b3JpZ2luX2VjEXAMPLEtoken", // the session token
];

fn assert_clean(what: &str, text: &str) {
    for s in PLANTED {
        assert!(!text.contains(s), "{what} prints a secret fragment {s:?}:\n{text}");
    }
}

#[test]
fn no_format_of_check_prints_a_planted_secret() {
    let mut checked = 0;
    for case in check_cases() {
        let arg = rel(&case);
        for format in ["human", "json", "sarif", "github"] {
            let out = s3lint(&["check", "--format", format, "--fail-on", "never", &arg]);
            assert_clean(&format!("check --format {format} {arg}"), &stdout(&out));
            assert_clean(&format!("check --format {format} {arg} (stderr)"), &stderr(&out));
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} runs");
}

#[test]
fn config_view_redacts_secrets() {
    for case in check_cases() {
        let arg = rel(&case);
        for format in ["human", "json"] {
            let out = s3lint(&["config", "--format", format, &arg]);
            assert_clean(&format!("config --format {format} {arg}"), &stdout(&out));
        }
    }
}

#[test]
fn the_planted_secrets_really_are_in_the_fixtures() {
    // Guards the test above: if fixtures lost their secrets, the redaction tests would prove nothing.
    let mut found = std::collections::BTreeSet::new();
    for entry in walk(&root().join("fixtures/check")) {
        if let Ok(text) = std::fs::read_to_string(&entry) {
            for s in PLANTED {
                if text.contains(s) {
                    found.insert(*s);
                }
            }
        }
    }
    assert_eq!(found.len(), PLANTED.len(), "planted secrets found: {found:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

//! No secret from any fixture may appear in any output format of `check`, `config` or `diagnose`: at most a
//! 4-character prefix of it. The planted fixtures of `fixtures/check/`, and one regression test per hand-made leak
//! case of issue 12 in `fixtures/secrets/<case>/` (each lists its fake secrets in `SECRETS`).

mod common;

use common::leak::{Run, assert_no_leak};
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
    "o-secret-value",           // minio-secret-value (a SparkApplication's hadoopConf)
    "-app-secret-2024",         // flink-app-secret-2024 (FLINK_PROPERTIES of a compose file)
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

/// One test per hand-made case: `name: directory, [what to run]`.
macro_rules! leak_cases {
    ($($name:ident: $dir:literal, [$($run:ident),*];)*) => {
        $(
            #[test]
            fn $name() {
                leak_case($dir, &[$(Run::$run),*]);
            }
        )*
        const LEAK_CASES: &[&str] = &[$($dir),*];
    };
}

leak_cases! {
    // 1. URI user-info: a secret with `/`, any scheme, in a value a finding quotes, in a trace.
    uri_secret_with_slash_in_an_endpoint: "p1-endpoint-uri-secret-with-slash", [Check, Config];
    uri_secret_with_slash_in_a_checkpoint_dir: "p1-checkpoint-uri-secret-with-slash", [Check, Config];
    user_info_of_an_https_endpoint: "p1-https-endpoint-user-info", [Check, Config];
    uri_secret_with_slash_in_a_trace: "p1-trace-uri-secret-with-slash", [Diagnose];
    // 2. Lines the readers dropped or did not take for a secret, shown in snippets (and by `config`).
    flink_secret_without_a_space_after_the_colon: "p2-flink-no-space-after-colon", [Check, Config];
    flink_secret_after_a_tab: "p2-flink-tab-after-colon", [Check, Config];
    flink_yaml_list_under_a_secret_key: "p2-flink-list-under-secret-key", [Check, Config];
    flink_secret_on_a_line_ended_by_a_lone_cr: "p2-flink-lone-cr", [Check, Config];
    flink_misspelt_secret_key: "p2-flink-misspelt-secret-key", [Check, Config];
    config_yaml_misspelt_secret_key: "p2-yaml-misspelt-secret-key", [Check, Config];
    hadoop_misspelt_secret_keys: "p2-xml-misspelt-secret-keys", [Check, Config];
    hadoop_vaule_element: "p2-xml-vaule-element", [Check, Config];
    hadoop_commented_out_definition: "p2-xml-commented-out-definition", [Check, Config];
    flink_commented_out_definition: "p2-flink-commented-out-definition", [Check, Config];
    config_yaml_commented_out_definition: "p2-yaml-commented-out-definition", [Check, Config];
    hadoop_description_beside_a_secret: "p2-xml-description-beside-secret", [Check, Config];
    hadoop_property_without_a_name: "p2-xml-property-without-name", [Check, Config];
    hadoop_misspelt_name_element: "p2-xml-misspelt-name-element", [Check, Config];
    // 3. The pieces a secret's `${var}` expands from.
    variables_a_secret_is_made_of: "p3-variable-pieces-of-a-secret", [Check, Config];
    variable_holding_part_of_a_secret: "p3-variable-holder-of-a-secret", [Check, Config];
    // 4. Escaped forms: a secret with `"` and `\` in JSON and SARIF, with `%` in GitHub annotations.
    secret_escaped_in_json: "p4-json-escaped-secret", [Check, Config];
    secret_escaped_in_github_annotations: "p4-github-escaped-secret", [Check];
    // 5. `key=value`, `Header: value` and AWS's names in a trace.
    secret_assignments_in_a_trace: "p5-trace-secret-assignments", [Diagnose];
    // 6. A could-not-check message quoting a malformed `&…;` reference inside a secret.
    entity_reference_inside_a_secret: "p6-malformed-entity-reference", [Check, Config];
    // 7. `-D…secret…=` options in a value of a key that is not a credential key.
    java_options_with_credentials: "p7-java-options-with-credentials", [Check, Config];
}

/// Runs one hand-made case in every format of each command and checks that none shows its secrets.
fn leak_case(dir: &str, runs: &[Run]) {
    let case = format!("fixtures/secrets/{dir}");
    let secrets: Vec<String> = std::fs::read_to_string(root().join(&case).join("SECRETS"))
        .expect("SECRETS")
        .lines()
        .map(str::to_string)
        .collect();
    assert!(!secrets.is_empty(), "{case} lists no secret");
    let mut ran = 0;
    for run in runs {
        for args in run.commands(&case) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = s3lint(&args);
            assert!(out.status.code().is_some_and(|c| c <= 2), "s3lint {args:?} crashed: {out:?}");
            assert_no_leak(&format!("s3lint {}", args.join(" ")), &stdout(&out), &secrets);
            assert_no_leak(&format!("s3lint {} (stderr)", args.join(" ")), &stderr(&out), &secrets);
            ran += 1;
        }
    }
    assert!(ran > 0);
}

#[test]
fn every_hand_made_case_has_its_test() {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("fixtures/secrets"))
        .expect("fixtures/secrets")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = LEAK_CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(dirs, listed);
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

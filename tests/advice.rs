//! Advice that holds: every finding of the fixtures that suggests a replacement (a value, a class, a key) is
//! applied to a copy of its fixture, which is checked again; the same rule must not reject the suggested text at
//! the same place on the same versions (the copy keeps the fixture's jars, so versions are the same).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use s3lint::deployment::discover::DiscoverOptions;
use s3lint::deployment::environment::Environment;
use s3lint::lint::suppress::ProjectSettings;
use s3lint::lint::{Finding, Target};

/// The environment the fixture tests give the binary: the process's, without the caller's Hadoop.
fn options() -> DiscoverOptions {
    let mut env = Environment::from_process();
    for var in ["HADOOP_CONF_DIR", "HADOOP_HOME", "HADOOP_CLASSPATH"] {
        env.vars.remove(var);
    }
    DiscoverOptions { env, ..Default::default() }
}

fn check(dir: &Path) -> Option<(s3lint::deployment::Deployment, Vec<Finding>)> {
    s3lint::check(&[dir.to_path_buf()], &options(), &ProjectSettings::default()).ok()
}

/// One suggestion: where it applies, where its finding points, and what it says.
struct Applied {
    case: String,
    /// The file and byte range the suggestion replaces.
    file: PathBuf,
    start: usize,
    end: usize,
    /// The file and offset the finding points at.
    target_file: PathBuf,
    target_start: usize,
    rule: &'static str,
    suggestion: String,
    message: String,
}

/// The suggestions of one fixture whose file is inside the fixture and read byte for byte as its text (so a
/// span is a byte range of the file).
fn suggestions(case: &Path) -> Vec<Applied> {
    let Some((d, findings)) = check(case) else { return Vec::new() };
    let inside = |at: &s3lint::source::Location| {
        let file = d.sources.get(at.file);
        let relative = file.path.strip_prefix(case).ok()?.to_path_buf();
        (std::fs::read(&file.path).ok().as_deref() == Some(file.text.as_bytes())).then_some(relative)
    };
    let mut out = Vec::new();
    for f in findings {
        let (Some(suggestion), Target::Source(target)) = (f.suggestion.clone(), &f.target) else { continue };
        let at = f.suggestion_at.unwrap_or(*target);
        let (Some(file), Some(target_file)) = (inside(&at), inside(target)) else { continue };
        out.push(Applied {
            case: rel(case),
            file,
            start: at.span.start,
            end: at.span.end,
            target_file,
            target_start: target.span.start,
            rule: f.rule,
            suggestion,
            message: f.message.clone(),
        });
    }
    out
}

#[test]
fn every_suggested_replacement_is_accepted_by_the_rule_that_suggested_it() {
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("advice");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for case in check_cases().iter().filter(|c| !c.join("expected-error.txt").exists()) {
        for (n, s) in suggestions(case).into_iter().enumerate() {
            let copy = scratch.join(format!("{}-{n}", case.file_name().and_then(|f| f.to_str()).unwrap_or("case")));
            copy_tree(case, &copy);
            let path = copy.join(&s.file);
            let mut text = std::fs::read_to_string(&path).expect("read copy");
            text.replace_range(s.start..s.end, &s.suggestion);
            std::fs::write(&path, &text).expect("write copy");
            let Some((d, findings)) = check(&copy) else {
                failures.push(format!("{}: applying `{}` makes the fixture uncheckable", s.case, s.suggestion));
                continue;
            };
            let quoted = format!("`{}`", s.suggestion);
            let rejected = findings.iter().find(|f| {
                let Target::Source(at) = &f.target else { return false };
                f.rule == s.rule
                    && at.span.start == s.target_start
                    && d.sources.get(at.file).path == copy.join(&s.target_file)
                    && f.message.contains(&quoted)
            });
            if let Some(r) = rejected {
                failures.push(format!(
                    "{} {}: `{}` suggested by\n    {}\n  is rejected by {}:\n    {}",
                    s.case,
                    s.file.display(),
                    s.suggestion,
                    s.message,
                    r.rule,
                    r.message
                ));
            }
            checked.push(format!("{} {} -> {}", s.case, s.rule, s.suggestion));
            let _ = std::fs::remove_dir_all(&copy);
        }
    }
    assert!(failures.is_empty(), "{} suggestion(s) do not hold:\n{}", failures.len(), failures.join("\n"));
    // The fixtures hold suggestions of every kind: a value for the release in use, a class, a key.
    for want in [
        "hadoop-3.3-invalid-values invalid-value -> 200000",
        "hadoop-3.4-credential-providers credentials-provider-issue -> org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
    ] {
        assert!(checked.iter().any(|c| c.ends_with(want) || c.contains(want)), "not checked: {want}\n{checked:#?}");
    }
    assert!(checked.len() >= 10, "only {} suggestions checked: {checked:#?}", checked.len());
    println!("{} suggestions applied and re-checked:\n{}", checked.len(), checked.join("\n"));
}

/// The findings of one fixture through the binary, as (rule, message, help).
fn findings_of(case: &str) -> Vec<(String, String, String)> {
    let out = s3lint(&["check", "--format", "json", "--fail-on", "never", &format!("fixtures/check/{case}")]);
    assert_eq!(out.status.code(), Some(0), "{case}: {}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let text = |f: &serde_json::Value, k: &str| f[k].as_str().unwrap_or_default().to_string();
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (text(f, "rule"), text(f, "message"), text(f, "help")))
        .collect()
}

/// The help of the finding whose message starts with `start`.
fn help_for(findings: &[(String, String, String)], start: &str) -> String {
    findings
        .iter()
        .find(|(_, m, _)| m.starts_with(start))
        .map(|(_, _, h)| h.clone())
        .unwrap_or_else(|| panic!("no finding starting with {start}: {findings:#?}"))
}

#[test]
fn timeouts_on_hadoop_3_3_are_advised_as_the_plain_numbers_3_3_reads() {
    let f = findings_of("hadoop-3.3-invalid-values");
    let help = help_for(&f, "`fs.s3a.connection.timeout` = `200s`");
    assert_eq!(help, "Write an integer (milliseconds) value, e.g. the default `200000`.");
    // 3.3's own default, not 3.4's `500`.
    assert!(help_for(&f, "`fs.s3a.connection.maximum`").ends_with("the default `96`."));
    let f = findings_of("hadoop-3.3-unqualified-providers");
    assert!(help_for(&f, "`fs.s3a.connection.establish.timeout` = `30s`").ends_with("the default `5000`."));
    assert!(help_for(&f, "`fs.s3a.threads.keepalivetime` = `1m`").contains("integer (seconds)"));
    // Hadoop 2.7 read part sizes with getLong (no `64M`) and had its own defaults.
    let f = findings_of("flink-1.4-hadoop-2.7-size-suffixes");
    assert_eq!(
        help_for(&f, "`fs.s3a.multipart.size` = `128M` has a size suffix, but Hadoop 2.7.3"),
        "Write an integer (bytes) value, e.g. the default `104857600`."
    );
    assert!(help_for(&f, "`fs.s3a.connection.timeout` = `60s`").ends_with("the default `50000`."));
    assert!(help_for(&f, "`fs.s3a.connection.maximum`").ends_with("the default `15`."));
    // A Flink S3 plugin reads Flink's `s3.*` keys with the Hadoop it bundles (3.3.4 in Flink 1.18's NOTICE).
    let f = findings_of("flink-1.18-plugin-bundled-hadoop-3.3-timeouts");
    assert!(help_for(&f, "`s3.connection.timeout` = `200s` has a unit, but Hadoop 3.3.4").ends_with("`200000`."));
    assert_eq!(
        help_for(&f, "`EnvironmentVariableCredentialsProvider` in `s3.aws.credentials.provider`"),
        "Write `com.amazonaws.auth.EnvironmentVariableCredentialsProvider`."
    );
    // The same value is fine on 3.4, where the keys are durations.
    let clean = findings_of("hadoop-3.4-s3a-40-settings-clean");
    assert!(clean.iter().all(|(r, _, _)| r != "invalid-value"), "{clean:#?}");
}

#[test]
fn unqualified_and_misspelt_providers_get_the_class_of_the_sdk_in_use() {
    let v1 = "com.amazonaws.auth.EnvironmentVariableCredentialsProvider";
    let v2 = "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider";
    for (case, want) in [("hadoop-3.3-unqualified-providers", v1), ("hadoop-3.4-unqualified-providers", v2)] {
        let f = findings_of(case);
        for written in [
            "`EnvironmentVariableCredentialsProvider` in",
            "`com.amazonaws.auth.EnviromentVariableCredentialsProvider` in",
        ] {
            assert_eq!(help_for(&f, written), format!("Write `{want}`."), "{case}: {written}");
        }
        // An unqualified name is not also called "not a Java class name" by invalid-value.
        assert!(f.iter().all(|(_, m, _)| !m.contains("which is not a Java class name")), "{case}: {f:#?}");
    }
    // Both SDKs have it and 3.4 maps the v1 name to S3A's IAM provider: the v2 class of the name written.
    let f = findings_of("hadoop-3.4-unqualified-providers");
    assert_eq!(
        help_for(&f, "`InstanceProfileCredentialsProvider` in"),
        "Write `software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider`."
    );
    let f = findings_of("hadoop-3.3-unqualified-providers");
    assert_eq!(
        help_for(&f, "`org.apache.hadoop.fs.s3a.auth.SimpleAWSCredentialsProvider` in"),
        "Write `org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider`."
    );
    assert_eq!(
        help_for(&f, "`IAMInstanceCredentialsProvider` in"),
        "Write `org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider`."
    );
}

/// "a" before a word that starts with a vowel letter (other than `u`, often a "you" sound: a URI, a unit), in
/// any finding of the fixtures, any rule's `explain` text or any failure case's text.
#[test]
fn no_a_before_a_vowel_in_messages_and_rule_texts() {
    let wrong = regex::Regex::new(r"\b[Aa] `?[aeioAEIO][A-Za-z]").expect("regex");
    let mut texts = Vec::new();
    for case in check_cases() {
        texts.push((rel(&case), stdout(&s3lint(&["check", "--format", "json", &rel(&case)]))));
    }
    for r in s3lint::lint::rules::all() {
        let id = r.meta().id;
        texts.push((format!("explain {id}"), stdout(&s3lint(&["explain", id]))));
    }
    // What `diagnose` prints: every failure case's title, explanation and fix steps.
    for c in s3lint::knowledge::Catalog::builtin().expect("catalogue").cases {
        texts.push((format!("case {}", c.id), format!("{}\n{}\n{}", c.title, c.explanation, c.fix.join("\n"))));
    }
    let bad: Vec<String> = texts
        .iter()
        .flat_map(|(what, t)| {
            wrong
                .find_iter(t)
                .map(move |m| format!("{what}: …{}…", t[m.start()..].chars().take(30).collect::<String>()))
        })
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

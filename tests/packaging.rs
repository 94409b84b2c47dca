//! The packaging users wire s3lint in with: the composite GitHub Action (`action.yml`) and the pre-commit hook
//! (`.pre-commit-hooks.yaml`), run as their hosts run them, with the built binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{binary, root};

fn yaml(name: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-packaging-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the Action's `check` step script as the runner would (bash, the step's env, `$GITHUB_OUTPUT`), with the
/// binary "installed" where the install step puts it. Returns (stdout, the step's outputs file, the SARIF path).
fn run_action_check(fixture: &str, fail_on: &str) -> (String, String, PathBuf) {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_sequence().expect("composite steps");
    let check = steps.iter().find(|s| s["id"].as_str() == Some("check")).expect("a step with id `check`");
    let script = check["run"].as_str().expect("check step script");
    let dir = scratch(&fixture.replace('/', "-"));
    let bin = dir.join("runner-temp/s3lint/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(binary(), bin.join("s3lint")).unwrap();
    let outputs = dir.join("github-output");
    let sarif = dir.join("s3lint.sarif");
    let out = Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(root())
        .env("RUNNER_TEMP", dir.join("runner-temp"))
        .env("GITHUB_OUTPUT", &outputs)
        .env("S3LINT_PATHS", fixture)
        .env("S3LINT_FAIL_ON", fail_on)
        .env("S3LINT_SARIF", &sarif)
        .env("NO_COLOR", "1")
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_CLASSPATH")
        .output()
        .unwrap();
    assert!(out.status.success(), "the step itself must not fail (the last step does): {out:?}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), std::fs::read_to_string(&outputs).unwrap_or_default(), sarif)
}

#[test]
fn the_action_annotates_writes_sarif_and_fails_only_in_its_last_step() {
    let (stdout, outputs, sarif) = run_action_check("fixtures/check/hadoop-3.3-invalid-values", "warning");
    assert!(
        stdout.lines().any(|l| l.starts_with("::error file=fixtures/check/hadoop-3.3-invalid-values/")),
        "{stdout}"
    );
    assert_eq!(outputs.trim(), "exit-code=1");
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "invalid-value"), "{log}");
    // The last step turns the recorded exit code into the job's result.
    let steps = yaml("action.yml")["runs"]["steps"].as_sequence().unwrap().clone();
    let last = steps.last().unwrap();
    let status =
        Command::new("bash").args(["-c", last["run"].as_str().unwrap()]).env("S3LINT_EXIT", "1").status().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn the_action_passes_a_clean_deployment() {
    let (stdout, outputs, sarif) = run_action_check("fixtures/check/hadoop-3.3.4-s3a-clean", "warning");
    assert!(!stdout.contains("::error"), "{stdout}");
    assert_eq!(outputs.trim(), "exit-code=0");
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

fn hook() -> serde_yaml::Value {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().expect("a list of hooks").clone();
    hooks.into_iter().find(|h| h["id"].as_str() == Some("s3lint-check")).expect("hook s3lint-check")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_pre_commit_hook_selects_configuration_files_only() {
    let hook = hook();
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for yes in [
        "core-site.xml",
        "etc/hadoop/hdfs-site.xml",
        "conf/flink-conf.yaml",
        "conf/config.yaml",
        "spark/conf/spark-defaults.conf",
        "deploy/prod/yarn-site.xml",
        ".s3lint.yaml",
    ] {
        assert!(files.is_match(yes), "{yes}");
    }
    for no in ["README.md", "conf/log4j.properties", "k8s/values.yaml", "core-site.xml.bak", "lib/flink-dist.jar"] {
        assert!(!files.is_match(no), "{no}");
    }
    // Every configuration file of the fixtures is one the hook hands over.
    let mut all = Vec::new();
    files_under(&root().join("fixtures/check"), &mut all);
    let configs: Vec<&PathBuf> = all
        .iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with("-site.xml") || name == "flink-conf.yaml" || name == "spark-defaults.conf"
        })
        .collect();
    assert!(configs.len() > 40, "{}", configs.len());
    for p in configs {
        let relative = p.strip_prefix(root()).unwrap().to_string_lossy();
        assert!(files.is_match(&relative), "{relative}");
    }
}

#[test]
fn the_pre_commit_hook_entry_checks_the_changed_files() {
    let hook = hook();
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "s3lint");
    let run = |file: &str| {
        Command::new(binary())
            .args(&entry[1..])
            .arg(file)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .env_remove("HADOOP_CONF_DIR")
            .output()
            .unwrap()
    };
    let bad = run("fixtures/check/hadoop-s3a-key-typos/etc/hadoop/core-site.xml");
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stdout).contains("unknown-key"), "{bad:?}");
    let good = run("fixtures/check/hadoop-s3a-clean/etc/hadoop/core-site.xml");
    assert_eq!(good.status.code(), Some(0), "{good:?}");
}

/// The bash completion script, loaded into a real bash, completes subcommands and `check`'s options.
#[test]
fn bash_completion_completes_subcommands_and_options() {
    let script = common::s3lint(&["completions", "bash"]);
    assert!(script.status.success(), "{script:?}");
    let dir = scratch("completion");
    let file = dir.join("s3lint.bash");
    std::fs::write(&file, &script.stdout).unwrap();
    let complete = |words: &str| {
        let program = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _s3lint s3lint \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        );
        let out = Command::new("bash").args(["-c", &program]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect::<Vec<_>>()
    };
    let subcommands = complete("s3lint di");
    assert_eq!(subcommands, ["diagnose"]);
    let options = complete("s3lint check --fa");
    assert!(options.contains(&"--fail-on".to_string()), "{options:?}");
    let values = complete("s3lint check --format ''");
    for format in ["human", "json", "sarif", "github"] {
        assert!(values.contains(&format.to_string()), "{values:?}");
    }
}

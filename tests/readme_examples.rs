//! The README's example runs are what the binary prints: every block that shows one `s3lint check` command and
//! its output (on a 110-column terminal, as the README says) is run again and compared line by line, so the
//! README cannot drift from the tool.

mod common;

use std::process::Command;

use common::*;

/// `(command line, printed lines)` of every README block that starts with one `$ … s3lint check …` line and has
/// no other command.
fn examples() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut out = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in readme.lines() {
        match (&mut block, line.starts_with("```")) {
            (None, true) => block = Some(Vec::new()),
            (Some(lines), true) => {
                let commands = lines.iter().filter(|l| l.starts_with("$ ")).count();
                if commands == 1 && lines.first().is_some_and(|l| l.starts_with("$ ") && l.contains("s3lint check")) {
                    out.push((lines[0].to_string(), lines[1..].iter().map(|l| l.to_string()).collect()));
                }
                block = None;
            }
            (Some(lines), false) => lines.push(line),
            (None, false) => {}
        }
    }
    out
}

/// Lines without trailing blanks, and without the blank lines that end the output.
fn tidy(lines: Vec<&str>) -> Vec<&str> {
    let mut lines: Vec<&str> = lines.into_iter().map(str::trim_end).collect();
    while lines.last() == Some(&"") {
        lines.pop();
    }
    lines
}

#[test]
fn every_check_example_of_the_readme_prints_what_the_readme_shows() {
    let examples = examples();
    assert!(examples.len() >= 3, "the README's first screen and its code section show check runs: {examples:?}");
    for (command, shown) in examples {
        // `$ [cd DIR && ]s3lint check ARGS      # comment`
        let line = command.trim_start_matches("$ ");
        let line = line.split("  #").next().unwrap_or(line).trim();
        let (dir, line) = match line.strip_prefix("cd ").and_then(|l| l.split_once(" && ")) {
            Some((dir, rest)) => (root().join(dir), rest),
            None => (root(), line),
        };
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let out = Command::new(binary())
            .args(&args)
            .current_dir(&dir)
            .env("COLUMNS", "110")
            .env("NO_COLOR", "1")
            .env_remove("HADOOP_CONF_DIR")
            .env_remove("HADOOP_HOME")
            .env_remove("HADOOP_CLASSPATH")
            .env_remove("SPARK_CONF_DIR")
            .output()
            .expect("run s3lint");
        let printed = format!("{}{}", stdout(&out), stderr(&out));
        let printed = tidy(printed.lines().collect());
        let shown = tidy(shown.iter().map(String::as_str).collect());
        assert_eq!(printed, shown, "{command}\n--- printed:\n{}", printed.join("\n"));
    }
}

//! CLI habits of linters (ruff, actionlint, hadolint): `--quiet`, `--output FORMAT=PATH`, `--color`,
//! did-you-mean for `explain`, `config`'s own wording for a missing path, and a hint when `diagnose` waits for
//! a terminal.

mod common;

use std::process::Command;

use common::*;

#[test]
fn explain_suggests_the_closest_rule_or_case() {
    let out = s3lint(&["explain", "s3a-bufer-dir-missing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `s3a-buffer-dir-missing`?"), "{}", stderr(&out));
    let out = s3lint(&["explain", "flink-no-filesystem-for-schem"]);
    assert!(stderr(&out).contains("did you mean `flink-no-filesystem-for-scheme`?"), "{}", stderr(&out));
    let out = s3lint(&["explain", "nothing-like-any-id"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("did you mean") && stderr(&out).contains("s3lint rules"), "{}", stderr(&out));
}

#[test]
fn config_of_a_missing_path_says_no_such_file() {
    let out = s3lint(&["config", "fixtures/check/no-such-deployment"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no such file") && !err.contains("could not check"), "{err}");
}

#[test]
fn quiet_prints_findings_without_the_summary() {
    let clean = s3lint(&["check", "--quiet", "fixtures/check/hadoop-s3a-clean"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "");
    let case = "fixtures/check/hadoop-s3a-key-typos";
    let loud = stdout(&s3lint(&["check", case]));
    let quiet = s3lint(&["check", "-q", case]);
    assert_eq!(quiet.status.code(), Some(1));
    let quiet = stdout(&quiet);
    assert!(quiet.contains("unknown-key") && !quiet.contains("checked:"), "{quiet}");
    assert!(loud.starts_with(&quiet) && loud.contains("checked:"), "{quiet}\n---\n{loud}");
}

#[test]
fn output_writes_more_formats_beside_the_main_one() {
    let dir = std::env::temp_dir().join(format!("s3lint-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sarif, json) = (dir.join("out.sarif"), dir.join("out.json"));
    let case = "fixtures/check/hadoop-s3a-key-typos";
    let out = s3lint(&[
        "check",
        case,
        "--output",
        &format!("sarif={}", sarif.display()),
        "--output",
        &format!("json={}", json.display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("checked:"), "the human report still goes to stdout");
    assert_eq!(std::fs::read_to_string(&sarif).unwrap(), stdout(&s3lint(&["check", "--format", "sarif", case])));
    assert_eq!(std::fs::read_to_string(&json).unwrap(), stdout(&s3lint(&["check", "--format", "json", case])));

    // A check that cannot run still writes the machine document.
    let bad = s3lint(&["check", "fixtures/check/malformed-core-site", "--output", &format!("json={}", json.display())]);
    assert_eq!(bad.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["errors"][0]["line"], 9);

    let unwritable = s3lint(&["check", case, "--output", &format!("json={}", dir.join("no/such/dir.json").display())]);
    assert_eq!(unwritable.status.code(), Some(2));
    assert!(stderr(&unwritable).contains("cannot write"), "{}", stderr(&unwritable));
    let unknown = s3lint(&["check", case, "--output", "xml=out.xml"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unknown format `xml`"), "{}", stderr(&unknown));
    std::fs::remove_dir_all(&dir).ok();
}

fn coloured(args: &[&str], env: &[(&str, &str)]) -> bool {
    let mut cmd = Command::new(binary());
    cmd.args(args).current_dir(root()).env_remove("NO_COLOR").env_remove("FORCE_COLOR").env_remove("HADOOP_CONF_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run s3lint");
    out.stdout.contains(&0x1b)
}

#[test]
fn color_is_chosen_by_flag_then_environment_then_terminal() {
    let check = ["check", "fixtures/check/hadoop-s3a-key-typos"];
    let with = |flag: &'static str| [&check[..], &["--color", flag]].concat();
    assert!(!coloured(&check, &[]), "a pipe is not a terminal");
    assert!(coloured(&with("always"), &[("NO_COLOR", "1")]));
    assert!(!coloured(&with("never"), &[("FORCE_COLOR", "1")]));
    assert!(coloured(&check, &[("FORCE_COLOR", "1")]));
    assert!(!coloured(&check, &[("FORCE_COLOR", "0")]));
    assert!(!coloured(&with("auto"), &[]));
}

/// `diagnose` reading a terminal says so on stderr instead of waiting silently (a pseudo-terminal as stdin;
/// Ctrl-D ends the input).
#[cfg(target_os = "linux")]
#[test]
fn diagnose_on_a_terminal_says_what_it_waits_for() {
    use std::io::Write;
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors; the null pointers ask for no name and default settings.
    let rc =
        unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned here only.
    let (mut master, slave) = unsafe { (std::fs::File::from_raw_fd(master), std::fs::File::from_raw_fd(slave)) };
    let child = Command::new(binary())
        .arg("diagnose")
        .stdin(slave)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run s3lint");
    master.write_all(b"java.lang.OutOfMemoryError: Java heap space\n\x04").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Ctrl-D"), "{}", stderr(&out));
    // Piped input gets no hint.
    let piped = s3lint(&["diagnose", "fixtures/diagnose/guide/buffer-dir-npe.txt"]);
    assert!(!stderr(&piped).contains("Ctrl-D"), "{}", stderr(&piped));
}

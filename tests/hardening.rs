//! Hostile and huge input through the real binary (issue 12, problems 8–12): no panic, no hang, no unbounded
//! memory, a clear exit 2 at file:line:column where a budget is exceeded, a finding (not an abort) for what
//! cannot be read under a walked directory. Inputs are generated here, at test time; every run has a time limit
//! generous enough for a loaded 2-core machine (the tight figures are in `bench/`).
//!
//! `S3LINT_TEST_BIN=/path/to/s3lint` runs these tests against another build (an older one fails them).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// CPU time (user + system) of the run: unlike wall time, not inflated by other work on the machine.
    cpu: Duration,
}

fn bin() -> PathBuf {
    std::env::var_os("S3LINT_TEST_BIN").map(PathBuf::from).unwrap_or_else(|| env!("CARGO_BIN_EXE_s3lint").into())
}

/// Runs s3lint with `args` in `dir`, killed after `limit` (then `code` is `None`); memory is capped at 2 GiB so a
/// runaway read fails instead of taking the machine.
fn run_in(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let start = Instant::now();
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_CLASSPATH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                let cap = libc::rlimit { rlim_cur: 2 << 30, rlim_max: 2 << 30 };
                libc::setrlimit(libc::RLIMIT_AS, &cap);
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().expect("run s3lint");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let readers = (
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = out.read_to_end(&mut s);
            s
        }),
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = err.read_to_end(&mut s);
            s
        }),
    );
    let (code, cpu) = loop {
        if let Some(done) = reap(&mut child) {
            break done;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break (None, limit);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&readers.0.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&readers.1.join().unwrap_or_default()).into_owned();
    Run { code, stdout, stderr, elapsed, cpu }
}

/// The exit code and CPU time of `child` if it has ended.
#[cfg(unix)]
fn reap(child: &mut std::process::Child) -> Option<(Option<i32>, Duration)> {
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: valid pointers to locals; WNOHANG returns at once.
    let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
    if got != pid {
        return None;
    }
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Some((code, tv(usage.ru_utime) + tv(usage.ru_stime)))
}

#[cfg(not(unix))]
fn reap(child: &mut std::process::Child) -> Option<(Option<i32>, Duration)> {
    child.try_wait().expect("wait").map(|status| (status.code(), Duration::ZERO))
}

/// Asserts that four times the input costs at most eight times the CPU (linear, with room for noise; a
/// quadratic cost takes sixteen times): `small` and `large` are runs on inputs of size N and 4N.
fn assert_linear(small: &Run, large: &Run, what: &str) {
    let bound = small.cpu * 8 + Duration::from_millis(300);
    eprintln!(
        "{what}: CPU {:?} for N, {:?} for 4N (wall {:?}, {:?})",
        small.cpu, large.cpu, small.elapsed, large.elapsed
    );
    assert!(large.cpu <= bound, "{what}: CPU {:?} for 4N against {:?} for N: not linear", large.cpu, small.cpu);
}

/// A fresh directory for one test.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-hardening-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Asserts the run ended by itself with `code`, without a panic.
fn expect(run: &Run, code: i32, what: &str) {
    assert!(run.code.is_some(), "{what}: ended by a signal or still running after {:?}", run.elapsed);
    assert!(!run.stderr.contains("panicked"), "{what}: panic\n{}", run.stderr);
    assert_eq!(run.code, Some(code), "{what}: exit code\nstdout: {}\nstderr: {}", tail(&run.stdout), tail(&run.stderr));
}

fn tail(s: &str) -> &str {
    let start = s.len().saturating_sub(2000);
    let start = (start..s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
    &s[start..]
}

fn property(name: &str, value: &str) -> String {
    format!("<property><name>{name}</name><value>{value}</value></property>")
}

const SECS: Duration = Duration::from_secs(20);

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

// ---- 8: a finding past column 65,535 -------------------------------------------------------------------------

#[test]
fn findings_on_very_long_lines_render_in_human_output() {
    let dir = scratch("long-lines");
    let pad = format!("<!--{}-->", "x".repeat(70_000));
    std::fs::create_dir_all(dir.join("xml")).unwrap();
    std::fs::write(
        dir.join("xml/core-site.xml"),
        format!("<configuration>{pad}{}</configuration>", property("fs.s3a.acess.key", "x")),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("legacy/conf")).unwrap();
    // Java's trim drops the indentation: the key starts at column 70,001.
    std::fs::write(dir.join("legacy/conf/flink-conf.yaml"), format!("{}s3.acess-key: x", " ".repeat(70_000))).unwrap();
    std::fs::create_dir_all(dir.join("yaml/conf")).unwrap();
    std::fs::write(dir.join("yaml/conf/config.yaml"), format!("{{a: '{}', s3.acess-key: x}}\n", "y".repeat(70_000)))
        .unwrap();
    for case in ["xml", "legacy", "yaml"] {
        let run = run_in(&dir, &["check", case], SECS);
        expect(&run, 1, case);
        assert!(run.stdout.contains("unknown-key"), "{case}: {}", tail(&run.stdout));
        assert!(run.stdout.contains(":70"), "{case}: the column is shown: {}", tail(&run.stdout));
        assert!(run.stdout.len() < 20_000, "{case}: the snippet is cut around the span ({} bytes)", run.stdout.len());
    }
    std::fs::remove_dir_all(&dir).ok();
}

// ---- 9: devices and FIFOs ------------------------------------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn devices_are_never_read_as_files() {
    let dir = scratch("devices");
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("conf/core-site.xml")).unwrap();
    std::fs::write(dir.join("conf/flink-conf.yaml"), "s3.acess-key: x\n").unwrap();
    // Under a walked directory: a finding, and the rest is checked.
    let run = run_in(&dir, &["check", "--format", "json", "conf"], SECS);
    expect(&run, 1, "walked /dev/zero");
    assert!(run.stdout.contains("file-unreadable") && run.stdout.contains("character device"), "{}", run.stdout);
    assert!(run.stdout.contains("unknown-key"), "the rest is checked: {}", run.stdout);
    // Named on the command line: could not check.
    let run = run_in(&dir, &["check", "conf/core-site.xml"], SECS);
    expect(&run, 2, "named /dev/zero");
    assert!(run.stderr.contains("character"), "{}", run.stderr);
    // As an XInclude target, --config and --rules.
    std::fs::create_dir_all(dir.join("inc")).unwrap();
    std::fs::write(
        dir.join("inc/core-site.xml"),
        "<configuration xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n  <xi:include href=\"/dev/zero\"/>\n</configuration>\n",
    )
    .unwrap();
    let run = run_in(&dir, &["check", "inc"], SECS);
    expect(&run, 2, "XInclude of /dev/zero");
    assert!(run.stderr.contains("core-site.xml:2:3") && run.stderr.contains("character"), "{}", run.stderr);
    let run = run_in(&dir, &["check", "--config", "/dev/zero", "conf/flink-conf.yaml"], SECS);
    expect(&run, 2, "--config /dev/zero");
    let run = run_in(&dir, &["diagnose", "--rules", "/dev/zero", "/dev/null"], SECS);
    expect(&run, 2, "--rules /dev/zero");
    let run = run_in(&dir, &["diagnose", "/dev/zero"], SECS);
    expect(&run, 2, "diagnose /dev/zero");
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn fifos_never_block() {
    let dir = scratch("fifos");
    std::fs::create_dir_all(dir.join("home/conf")).unwrap();
    std::fs::create_dir_all(dir.join("home/lib")).unwrap();
    std::fs::write(dir.join("home/conf/flink-conf.yaml"), "s3.acess-key: x\n").unwrap();
    mkfifo(&dir.join("home/conf/core-site.xml"));
    mkfifo(&dir.join("home/lib/flink-dist-1.17.2.jar"));
    let run = run_in(&dir, &["check", "--format", "json", "home"], SECS);
    expect(&run, 1, "walked FIFOs");
    assert!(run.stdout.contains("file-unreadable") && run.stdout.contains("FIFO"), "{}", run.stdout);
    assert!(run.stdout.contains("jar-unreadable"), "{}", run.stdout);
    assert!(run.stdout.contains("unknown-key"), "the rest is checked: {}", run.stdout);
    mkfifo(&dir.join("core-site.xml"));
    let run = run_in(&dir, &["check", "core-site.xml"], SECS);
    expect(&run, 2, "named FIFO");
    assert!(run.stderr.contains("FIFO"), "{}", run.stderr);
    let run = run_in(&dir, &["check", "--config", "core-site.xml", "home/conf/flink-conf.yaml"], SECS);
    expect(&run, 2, "--config FIFO");
    let run = run_in(&dir, &["diagnose", "core-site.xml"], SECS);
    expect(&run, 2, "diagnose FIFO");
    assert!(run.stderr.contains("diagnose -"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

// ---- 10: budgets ---------------------------------------------------------------------------------------------

const XI: &str = "xmlns:xi=\"http://www.w3.org/2001/XInclude\"";

#[test]
fn an_xinclude_dag_is_not_expanded_exponentially() {
    let dir = scratch("xinclude-dag");
    for i in 0..30 {
        let body = if i < 29 {
            format!("<xi:include href=\"f{}.xml\"/><xi:include href=\"f{}.xml\"/>", i + 1, i + 1)
        } else {
            property("fs.s3a.endpoint", "s3.amazonaws.com")
        };
        let name = if i == 0 { "core-site.xml".to_string() } else { format!("f{i}.xml") };
        std::fs::write(dir.join(name), format!("<configuration {XI}>\n{body}\n</configuration>\n")).unwrap();
    }
    let run = run_in(&dir, &["check", "core-site.xml"], SECS);
    expect(&run, 2, "XInclude DAG");
    assert!(run.stderr.contains("XIncludes") && run.stderr.contains(":2:"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn many_includes_of_one_large_file_stop_at_the_budget() {
    let dir = scratch("xinclude-large");
    let value = "v".repeat(30 * 1024 * 1024 - 200);
    std::fs::write(dir.join("big.xml"), format!("<configuration>{}</configuration>", property("big", &value))).unwrap();
    drop(value);
    let includes = "<xi:include href=\"big.xml\"/>\n".repeat(40);
    std::fs::write(dir.join("core-site.xml"), format!("<configuration {XI}>\n{includes}</configuration>\n")).unwrap();
    let run = run_in(&dir, &["check", "core-site.xml"], Duration::from_secs(40));
    expect(&run, 2, "40 includes of 30 MB");
    assert!(run.stderr.contains("core-site.xml:") && run.stderr.contains("MiB"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn variable_fan_out_stops_at_the_budget() {
    let dir = scratch("fan-out");
    let mut body = property("big", &"b".repeat(200 * 1024));
    let refs = "${big}".repeat(19);
    for i in 0..20_000 {
        body.push_str(&property(&format!("k{i}"), &refs));
        body.push('\n');
    }
    std::fs::write(dir.join("core-site.xml"), format!("<configuration>\n{body}</configuration>\n")).unwrap();
    let run = run_in(&dir, &["config", "core-site.xml"], SECS);
    expect(&run, 2, "${var} fan-out");
    assert!(run.stderr.contains("core-site.xml:") && run.stderr.contains("MiB"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

// ---- 11: linear time -----------------------------------------------------------------------------------------

/// A core-site.xml with `n` misspelt per-bucket keys and `n` per-bucket secret keys.
fn findings_file(dir: &Path, n: usize) -> String {
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&property(&format!("fs.s3a.bucket.b{i}.endpoint.regoin"), "us-east-1"));
        body.push('\n');
        body.push_str(&property(&format!("fs.s3a.bucket.b{i}.secret.key"), &format!("wJalrXUtnFEMI{i:08}K7MDENGbPx")));
        body.push('\n');
    }
    let name = format!("core-site-{n}.xml");
    std::fs::write(dir.join(&name), format!("<configuration>\n{body}</configuration>\n")).unwrap();
    name
}

#[test]
fn findings_render_in_linear_time_in_every_format() {
    let dir = scratch("many-findings");
    let (small, large) = (findings_file(&dir, 500), findings_file(&dir, 2_000));
    for format in ["human", "json", "sarif", "github"] {
        let runs: Vec<Run> = [&small, &large]
            .iter()
            .map(|file| {
                let run = run_in(&dir, &["check", "--format", format, file], SECS);
                expect(&run, 1, format);
                run
            })
            .collect();
        assert!(runs[1].stdout.contains("fs.s3a.bucket.b1999.endpoint.region"), "{format}: did-you-mean");
        assert_linear(&runs[0], &runs[1], format);
    }
    let run = run_in(&dir, &["config", "--format", "json", &large], SECS);
    expect(&run, 0, "config");
    std::fs::remove_dir_all(&dir).ok();
}

/// A config.yaml case: its name, the text for size N, and N.
type YamlCase = (&'static str, fn(usize) -> String, usize);

#[test]
fn config_yaml_long_lines_huge_integers_and_many_anchored_keys_are_linear() {
    let dir = scratch("yaml");
    let cases: [YamlCase; 4] = [
        ("flow-line", |n| format!("taskmanager.extra: [{}x]\n", "x, ".repeat(n)), 25_000),
        (
            "flow-map",
            |n| format!("{{{}}}\n", (0..n).map(|i| format!("k{i}: v")).collect::<Vec<_>>().join(", ")),
            10_000,
        ),
        ("big-integer", |n| format!("taskmanager.numberOfTaskSlots: {}\n", "7".repeat(n)), 100_000),
        ("anchors", |n| (0..n).map(|i| format!("k{i}: &a{i} v{i}\n")).collect(), 10_000),
    ];
    for (name, make, n) in cases {
        let runs: Vec<Run> = [n, 4 * n]
            .iter()
            .map(|size| {
                let case = format!("{name}-{size}");
                std::fs::create_dir_all(dir.join(&case).join("conf")).unwrap();
                std::fs::write(dir.join(&case).join("conf/config.yaml"), make(*size)).unwrap();
                let run = run_in(&dir, &["check", "--format", "json", &case], SECS);
                expect(&run, 0, &case);
                run
            })
            .collect();
        assert_linear(&runs[0], &runs[1], name);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deeply_nested_settings_and_rules_are_refused_at_once() {
    let dir = scratch("nested");
    std::fs::write(dir.join("flink-conf.yaml"), "jobmanager.rpc.address: localhost\n").unwrap();
    std::fs::write(dir.join("s3lint.yaml"), format!("ignore: {}\n", "[".repeat(100_000))).unwrap();
    let run = run_in(&dir, &["check", "--config", "s3lint.yaml", "flink-conf.yaml"], SECS);
    expect(&run, 2, "nested --config");
    assert!(run.stderr.contains("s3lint.yaml:1:") && run.stderr.contains("nested deeper"), "{}", run.stderr);
    std::fs::write(dir.join(".s3lint.yaml"), format!("ignore: {}\n", "[".repeat(100_000))).unwrap();
    let run = run_in(&dir, &["check", "flink-conf.yaml"], SECS);
    expect(&run, 2, "nested .s3lint.yaml");
    std::fs::write(dir.join("rules.yaml"), format!("cases: {}\n", "[".repeat(100_000))).unwrap();
    let run = run_in(&dir, &["diagnose", "--rules", "rules.yaml", "flink-conf.yaml"], SECS);
    expect(&run, 2, "nested --rules");
    assert!(run.stderr.contains("rules.yaml:1:") && run.stderr.contains("nested deeper"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

// ---- 12: over-strict -----------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn dangling_and_looping_symlinks_under_a_walked_path_are_findings() {
    let dir = scratch("symlinks");
    std::fs::create_dir_all(dir.join("home/conf")).unwrap();
    std::fs::create_dir_all(dir.join("home/lib")).unwrap();
    std::fs::write(dir.join("home/conf/flink-conf.yaml"), "s3.acess-key: x\n").unwrap();
    std::os::unix::fs::symlink("missing-site.xml", dir.join("home/conf/core-site.xml")).unwrap();
    std::os::unix::fs::symlink("hdfs-site.xml", dir.join("home/conf/hdfs-site.xml")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.jar", dir.join("home/lib/hadoop-aws-3.3.4.jar")).unwrap();
    // Not a file s3lint reads: no finding.
    std::os::unix::fs::symlink("gone.log", dir.join("home/conf/taskmanager.log")).unwrap();
    let run = run_in(&dir, &["check", "--format", "json", "home"], SECS);
    expect(&run, 1, "dangling symlinks");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let unreadable: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "file-unreadable")
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(unreadable.len(), 3, "{unreadable:?}");
    assert!(unreadable.iter().any(|f| f.ends_with("core-site.xml")), "{unreadable:?}");
    assert!(run.stdout.contains("does not exist") && run.stdout.contains("points back at itself"), "{}", run.stdout);
    assert!(run.stdout.contains("unknown-key"), "the rest is checked: {}", run.stdout);
    // Named on the command line: could not check.
    let run = run_in(&dir, &["check", "home/conf/core-site.xml"], SECS);
    expect(&run, 2, "named dangling symlink");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_iso_8859_1_core_site_is_read_like_hadoop_reads_it() {
    let dir = scratch("latin1");
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<configuration>\n  <!-- réseau de production -->\n  {}\n  {}\n</configuration>\n",
        property("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com"),
        property("s3lint.note", "café"),
    );
    // ISO-8859-1: every character one byte (`é` is 0xE9, which is not UTF-8).
    let bytes: Vec<u8> = text.chars().map(|c| u8::try_from(c as u32).expect("latin-1")).collect();
    std::fs::write(dir.join("core-site.xml"), &bytes).unwrap();
    let run = run_in(&dir, &["config", "--format", "json", "core-site.xml"], SECS);
    expect(&run, 0, "ISO-8859-1 core-site.xml");
    assert!(run.stdout.contains("\"café\""), "{}", run.stdout);
    let run = run_in(&dir, &["check", "core-site.xml"], SECS);
    expect(&run, 0, "check ISO-8859-1");
    std::fs::remove_dir_all(&dir).ok();
}

// ---- crashes found by fuzzing (fuzz/) ------------------------------------------------------------------------

/// check_pipeline: a URI that ends inside its user-info (`s3a://bucket:` followed by a space) made the bucket
/// parser slice past the end of the URI (a panic in every `check` of such a deployment).
#[test]
fn a_uri_cut_short_after_its_user_name_does_not_panic() {
    let dir = scratch("fuzz-uri-cut-short");
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    std::fs::write(
        dir.join("conf/flink-conf.yaml"),
        "state.checkpoints.dir: s3a://acmeackend: files\nstate.savepoints.dir: s3a://acme-clicks/flink/savepoints\n",
    )
    .unwrap();
    for format in ["human", "json"] {
        let run = run_in(&dir, &["check", "--format", format, "--fail-on", "never", "conf"], SECS);
        expect(&run, 0, format);
    }
    std::fs::remove_dir_all(&dir).ok();
}

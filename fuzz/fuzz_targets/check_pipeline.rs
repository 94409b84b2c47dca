//! The whole `check` pipeline on a temporary deployment made from the input, then every renderer (human, JSON,
//! SARIF, GitHub, `config` human and JSON), with a secret oracle: a secret access key and an access key id are
//! planted as credential definitions in every file, and neither may appear in any output beyond its first
//! 4 characters (nor in a could-not-check message).
//!
//! The input is split at NUL bytes into `etc/hadoop/core-site.xml`, `conf/flink-conf.yaml`, `conf/config.yaml`
//! and `etc/hadoop/s3-site.xml` (a file core-site.xml may XInclude); an empty part writes no file. The first two
//! bytes of each part choose where the planted definition goes.
//!
//! With `S3LINT_FUZZ_LEAKS=DIR` a leak is written to DIR (one file per input) instead of aborting, so a run can
//! go on looking for crashes while leaks are counted apart.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use s3lint::deployment::discover::DiscoverOptions;
use s3lint::deployment::environment::Environment;
use s3lint::lint::suppress::ProjectSettings;
use s3lint::report::{self, Format, config_view};

const SECRET: &str = "Zr8/jKq2wPL9+vB7xYt3EXAMPLEsecretKEYzz8Qm";
const KEY_ID: &str = "AKIAFUZZPLANTED7KEY2";

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    base.join(format!("s3lint-fuzz-check-{}", std::process::id()))
});

/// Inserts `line` at the line boundary the part's first two bytes choose.
fn plant(text: &str, choice: usize, line: &str) -> String {
    let boundaries: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let at = boundaries[choice % boundaries.len()];
    format!("{}{line}{}", &text[..at], &text[at..])
}

fn part(data: &[u8]) -> (usize, String) {
    let choice = data.iter().take(2).fold(0usize, |a, b| a * 256 + *b as usize);
    (choice, String::from_utf8_lossy(data.get(2..).unwrap_or(&[])).into_owned())
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    if raw.contains(&SECRET[..5]) || raw.contains(&KEY_ID[..5]) {
        return;
    }
    let dir = &*DIR;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("etc/hadoop")).expect("temp dir");
    std::fs::create_dir_all(dir.join("conf")).expect("temp dir");
    let parts: Vec<&[u8]> = data.splitn(4, |b| *b == 0).collect();
    let files = ["etc/hadoop/core-site.xml", "conf/flink-conf.yaml", "conf/config.yaml", "etc/hadoop/s3-site.xml"];
    for (i, bytes) in parts.iter().enumerate() {
        if bytes.is_empty() {
            continue;
        }
        let (choice, text) = part(bytes);
        let text = if i == 0 || i == 3 {
            let property = format!(
                "<property><name>fs.s3a.secret.key</name><value>{SECRET}</value></property>\n\
                 <property><name>fs.s3a.access.key</name><value>{KEY_ID}</value></property>\n"
            );
            // Inside the root element when there is one.
            match text.find("<configuration>") {
                Some(at) if choice % 2 == 0 => {
                    let at = at + "<configuration>".len();
                    format!("{}{property}{}", &text[..at], &text[at..])
                }
                _ => plant(&text, choice, &property),
            }
        } else {
            plant(&text, choice, &format!("s3.secret-key: {SECRET}\ns3.access-key: {KEY_ID}\n"))
        };
        std::fs::write(dir.join(files[i]), text).expect("write");
    }
    let options = DiscoverOptions { env: Environment::with_properties(&[("user.name", "fuzz")]), ..Default::default() };
    let mut outputs = Vec::new();
    match s3lint::check(&[dir.clone()], &options, &ProjectSettings::default()) {
        Ok((deployment, findings)) => {
            for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
                outputs.push(report::render(&deployment, &findings, format, false));
            }
            // As `s3lint config` prints them.
            outputs.push(config_view::human(&deployment));
            outputs.push(config_view::json(&deployment));
        }
        Err(e) => outputs.push(e.to_string()),
    }
    for out in &outputs {
        for planted in [SECRET, KEY_ID] {
            if out.contains(&planted[..5]) {
                leak(data, planted, out);
            }
        }
    }
});

fn leak(data: &[u8], planted: &str, output: &str) {
    match std::env::var_os("S3LINT_FUZZ_LEAKS") {
        Some(to) => {
            let hash = data.iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ *b as u64).wrapping_mul(0x100000001b3));
            let to = PathBuf::from(to);
            let _ = std::fs::create_dir_all(&to);
            let _ = std::fs::write(to.join(format!("leak-{hash:016x}")), data);
        }
        None => panic!("the planted secret {}… appears in the output:\n{output}", &planted[..4]),
    }
}

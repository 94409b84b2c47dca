//! Property test of issue 12: random deployments (core-site.xml, flink-conf.yaml, config.yaml) and logs with
//! fake secrets placed by a grammar of the places secrets hide in, rendered in every format of `check`,
//! `config` and `diagnose` (through the library; the first cases also through the binary): no secret beyond its
//! 4-character prefix ever appears, and the ordinary values placed beside them (bucket names, directories)
//! still do.
//!
//! `S3LINT_SECRET_CASES` sets the number of cases (default 32, a few seconds), `S3LINT_SECRET_SEED` the first
//! seed; a failure prints the seed and the generated files.

mod common;

use std::path::{Path, PathBuf};

use common::leak::{Oracle, Run};
use s3lint::deployment::discover::{DiscoverOptions, discover};
use s3lint::knowledge::Catalog;
use s3lint::lint::suppress::ProjectSettings;
use s3lint::report::{self, Format, config_view, diagnosis};

/// splitmix64: small, seedable, good enough to pick grammar productions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// One generated case: its files, the secrets they hold, and values that must still be shown.
#[derive(Default)]
struct Case {
    files: Vec<(String, String)>,
    secrets: Vec<String>,
    shown: Vec<String>,
}

impl Case {
    /// A fresh fake secret: AWS-like (letters, digits, `/`, `+`), sometimes with characters outputs escape.
    fn secret(&mut self, r: &mut Rng, special: &str) -> String {
        let n = 18 + r.below(23);
        let mut s: String = (0..n).map(|_| char::from(r.pick(ALNUM))).collect();
        // Always a letter first (YAML plain scalars, XML names) and some of AWS's `/` and `+` inside.
        s.replace_range(0..1, "Q");
        for c in ['/', '+'] {
            if r.chance(70) {
                let at = 5 + r.below(n - 6);
                s.replace_range(at..at + 1, &c.to_string());
            }
        }
        if !special.is_empty() && r.chance(40) {
            let c = special.as_bytes()[r.below(special.len())] as char;
            let at = 6 + r.below(n - 7);
            s.replace_range(at..at + 1, &c.to_string());
        }
        self.secrets.push(s.clone());
        s
    }

    /// An AWS access key id.
    fn key_id(&mut self, r: &mut Rng) -> String {
        let prefix = r.pick(&["AKIA", "ASIA", "AROA", "AIDA"]);
        let id = format!(
            "{prefix}{}",
            (0..16).map(|_| char::from(r.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))).collect::<String>()
        );
        self.secrets.push(id.clone());
        id
    }

    /// A name that `config` must show (a bucket, a directory).
    fn plain(&mut self, r: &mut Rng, what: &str) -> String {
        let s =
            format!("{what}-{}", (0..8).map(|_| char::from(r.pick(b"abcdefghijklmnopqrstuvwxyz"))).collect::<String>());
        self.shown.push(s.clone());
        s
    }
}

/// Hadoop spellings of credential keys.
const HADOOP_SECRET_KEYS: &[&str] = &[
    "fs.s3a.secret.key",
    "fs.s3a.session.token",
    "fs.s3a.bucket.logs.secret.key",
    "fs.s3a.proxy.password",
    "fs.s3a.encryption.key",
    "fs.s3.awsSecretAccessKey",
    "fs.s3n.awsSecretAccessKey",
    "fs.s3a.server-side-encryption.key",
];
/// Their near misses (what `unknown-key` flags).
const HADOOP_NEAR_MISSES: &[&str] =
    &["fs.s3a.secrte.key", "fs.s3a.secert.key", "fs.s3a.proxy.pasword", "fs.s3a.sesion.token"];
/// Flink spellings (and near misses).
const FLINK_SECRET_KEYS: &[&str] =
    &["s3.secret-key", "s3.secret.key", "fs.s3a.secret.key", "s3a.secret.key", "fs.s3a.secret-key", "s3.secert-key"];
/// Names a log line may assign a secret to.
const LOG_NAMES: &[&str] = &[
    "fs.s3a.secret.key",
    "aws_secret_access_key",
    "AWS_SECRET_ACCESS_KEY",
    "secretKey",
    "password",
    "aws_session_token",
    "AWS_SESSION_TOKEN",
    "s3.secret-key",
    "fs.s3a.session.token",
    "sessionToken",
];

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

fn prop(name: &str, value: &str) -> String {
    format!("  <property>\n    <name>{name}</name>\n    <value>{}</value>\n  </property>\n", xml_escape(value))
}

/// A core-site.xml with secrets in the places Hadoop users put them.
fn core_site(c: &mut Case, r: &mut Rng) -> String {
    let mut body = String::new();
    let dir = c.plain(r, "/mnt/s3a");
    body.push_str(&prop("fs.s3a.buffer.dir", &dir));
    for _ in 0..1 + r.below(5) {
        match r.below(14) {
            0 => {
                let s = c.secret(r, "\"\\%&<#:,");
                body.push_str(&prop(r.pick(HADOOP_SECRET_KEYS), &s));
                if r.chance(30) {
                    // The same secret pasted under a key whose value findings quote.
                    body.push_str(&prop(r.pick(&["fs.s3a.aws.credentials.provider", "fs.s3a.endpoint"]), &s));
                }
            }
            1 => {
                let s = c.secret(r, "");
                body.push_str(&prop(r.pick(HADOOP_NEAR_MISSES), &s));
            }
            2 => {
                let (a, b) = (c.secret(r, ""), c.secret(r, ""));
                body.push_str(&prop(r.pick(HADOOP_SECRET_KEYS), "pre${creds.one}${creds.two}"));
                body.push_str(&prop("creds.one", &a));
                body.push_str(&prop("creds.two", &b));
            }
            3 => {
                let (k, s, b) = (c.key_id(r), c.secret(r, ""), c.plain(r, "bucket"));
                // A key of its own, so that no later definition hides it.
                body.push_str(&prop(&format!("fs.s3a.bucket.{b}.endpoint"), &format!("s3a://{k}:{s}@{b}/")));
            }
            4 => {
                let s = c.secret(r, "");
                body.push_str(&prop("fs.s3a.endpoint", &format!("https://admin:{s}@minio.example.local:9000")));
            }
            5 => {
                let s = c.secret(r, "");
                let key = r.pick(HADOOP_SECRET_KEYS);
                match r.below(2) {
                    0 => body.push_str(&format!("  <!-- {key}={s} -->\n")),
                    _ => body.push_str(&format!(
                        "  <!--\n  <property><name>{key}</name><value>{s}</value></property>\n  -->\n"
                    )),
                }
            }
            6 => {
                let s = c.secret(r, "");
                let key = r.pick(HADOOP_SECRET_KEYS);
                body.push_str(&format!(
                    "  <property>\n    <name>{key}</name>\n    <vaule>{s}</vaule>\n  </property>\n"
                ));
            }
            7 => {
                let (s, old) = (c.secret(r, ""), c.secret(r, ""));
                let key = r.pick(HADOOP_SECRET_KEYS);
                body.push_str(&format!(
                    "  <property>\n    <name>{key}</name>\n    <value>{s}</value>\n    <description>the one before was {old}</description>\n  </property>\n"
                ));
            }
            8 => {
                let s = c.secret(r, "");
                let name = r.pick(&["", "<nmae>fs.s3a.secret.key</nmae>\n    ", "<name></name>\n    "]);
                body.push_str(&format!("  <property>\n    {name}<value>{s}</value>\n  </property>\n"));
            }
            9 => {
                let (s, k) = (c.secret(r, ""), c.secret(r, ""));
                body.push_str(&prop(
                    "mapreduce.map.java.opts",
                    &format!("-Xmx2g -Daws.secretKey={s} -Daws.accessKeyId={k}"),
                ));
            }
            10 => {
                let k = c.key_id(r);
                body.push_str(&prop("reporting.uploader.id", &k));
            }
            11 => {
                let s = c.secret(r, "");
                let attr = r.pick(&["value", "vaule"]);
                body.push_str(&format!("  <property name=\"{}\" {attr}=\"{s}\"/>\n", r.pick(HADOOP_SECRET_KEYS)));
            }
            12 => {
                let (u, s) = (c.key_id(r), c.secret(r, ""));
                let scheme = r.pick(&["s3n", "s3p", "jdbc:mysql", "ftp", "hdfs"]);
                let b = c.plain(r, "host");
                body.push_str(&prop(&format!("audit.sink.{b}"), &format!("{scheme}://{u}:{s}@{b}:3306/db")));
            }
            _ => {
                // Findings beside the secrets, so that snippets show the lines around them.
                body.push_str(&prop(
                    r.pick(&["fs.s3a.endpoint.regoin", "fs.s3a.connection.maximum", "fs.s3a.acess.key"]),
                    "abc",
                ));
            }
        }
    }
    if r.chance(5) {
        // A stray `&` inside a secret: the file cannot be read (exit 2), the message must not quote it.
        let s = c.secret(r, "");
        body.push_str(&format!(
            "  <property>\n    <name>fs.s3a.secret.key</name>\n    <value>Zr8&{s};</value>\n  </property>\n"
        ));
    }
    if r.chance(15) {
        // Secrets in an XIncluded file.
        let s = c.secret(r, "");
        let included = format!("<configuration>\n{}</configuration>\n", prop(r.pick(HADOOP_SECRET_KEYS), &s));
        c.files.push(("etc/hadoop/secrets.xml".into(), included));
        let xi = "  <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"secrets.xml\"/>\n";
        body.push_str(xi);
    }
    format!("<?xml version=\"1.0\"?>\n<configuration>\n{body}</configuration>\n")
}

/// A flink-conf.yaml with secrets written the ways Flink users write them, well or badly.
fn flink_conf(c: &mut Case, r: &mut Rng) -> String {
    let mut lines = Vec::new();
    let b = c.plain(r, "ckpt");
    lines.push(format!("state.checkpoints.dir: s3://{b}/flink"));
    for _ in 0..1 + r.below(5) {
        let key = r.pick(FLINK_SECRET_KEYS);
        match r.below(13) {
            0 => lines.push(format!("{key}: {}", c.secret(r, "\"\\%:,"))),
            1 => lines.push(format!("{key}:{}", c.secret(r, ""))),
            2 => lines.push(format!("{key}:\t{}", c.secret(r, ""))),
            3 => lines.push(format!("{key}:\n  - {}", c.secret(r, ""))),
            4 => lines.push(format!("# {key}: {}", c.secret(r, ""))),
            5 => lines.push(format!("{key}: {}#{}", c.secret(r, ""), c.secret(r, ""))),
            6 => lines.push(format!("s3.access-key: {}", c.key_id(r))),
            7 => lines.push(format!(
                "env.java.opts: -XX:+UseG1GC -Daws.secretKey={} -Daws.accessKeyId={}",
                c.secret(r, ""),
                c.secret(r, "")
            )),
            8 => {
                let (u, s, b) = (c.key_id(r), c.secret(r, ""), c.plain(r, "bucket"));
                // A key of its own, so that no later definition hides it.
                lines.push(format!("state.savepoints.dir.{b}: s3://{u}:{s}@{b}/savepoints"));
            }
            9 => lines.push(format!("s3.endpoint: https://admin:{}@minio.example.local:9000", c.secret(r, ""))),
            10 => lines.push(format!("{key}: |\n  {}", c.secret(r, ""))),
            11 => lines.push(format!("fs.s3a.bucket.logs.secret.key: {}", c.secret(r, ""))),
            _ => lines.push(
                r.pick(&["s3.acess-key: placeholder", "parallelism.default:4", "s3:", "  endpoint: x"]).to_string(),
            ),
        }
    }
    let eol = r.pick(&["\n", "\n", "\r\n", "\r"]);
    lines.join(eol).replace('\n', eol) + eol
}

/// A Flink 1.19+ config.yaml (valid YAML, so nested keys and lists are read).
fn config_yaml(c: &mut Case, r: &mut Rng) -> String {
    let b = c.plain(r, "ckpt");
    let mut out = format!("state:\n  checkpoints:\n    dir: s3://{b}/flink\n");
    let mut s3 = Vec::new();
    for n in 0..1 + r.below(4) {
        match r.below(10) {
            0 => s3.push(format!("  secret-key: {}", c.secret(r, ""))),
            1 => s3.push(format!("  secert-key{n}: '{}'", c.secret(r, "\"\\%:,#"))),
            2 => s3.push(format!("  access-key: {}", c.key_id(r))),
            3 => out.push_str(&format!("fs.s3a.secret.key{n}:\n  - {}\n", c.secret(r, ""))),
            4 => out.push_str(&format!("# s3.secret-key: {}\n", c.secret(r, ""))),
            5 => out.push_str(&format!("env.java.opts{n}: -Daws.secretKey={} -Xmx1g\n", c.secret(r, ""))),
            6 => out.push_str(&format!("s3.endpoint{n}: https://admin:{}@minio.example.local:9000\n", c.secret(r, ""))),
            7 => out.push_str(&format!("s3.secret.key{n}: |\n  {}\n", c.secret(r, ""))),
            8 if r.chance(20) => out.push_str(&format!("s3.session-token{n}: !{}\n", c.secret(r, ""))),
            _ => out.push_str(&format!("s3.acess-key{n}: x\n")),
        }
    }
    s3.sort();
    s3.dedup_by(|a, b| a.split(':').next() == b.split(':').next());
    if !s3.is_empty() {
        out.push_str(&format!("s3:\n{}\n", s3.join("\n")));
    }
    out
}

/// A log with an S3 failure whose messages and neighbouring lines carry secrets.
fn log(c: &mut Case, r: &mut Rng) -> String {
    let b = "etl-events";
    let mut payload = Vec::new();
    for _ in 0..1 + r.below(4) {
        payload.push(match r.below(13) {
            0 => format!("{}={}", r.pick(LOG_NAMES), c.secret(r, "%,")),
            1 => format!("{}: {}", r.pick(&["X-Amz-Security-Token", "x-amz-security-token"]), c.secret(r, "")),
            2 => format!("Authorization: Basic {}", c.secret(r, "")),
            3 => format!("Authorization: AWS {}:{}", c.key_id(r), c.secret(r, "")),
            4 => format!(
                "Authorization: AWS4-HMAC-SHA256 Credential={}/20240502/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature={}",
                c.key_id(r),
                c.secret(r, "")
            ),
            5 => format!("https://{b}.s3.amazonaws.com/k?X-Amz-Credential={}%2F20240502&X-Amz-Signature={}&X-Amz-Security-Token={}", c.key_id(r), c.secret(r, ""), c.secret(r, "")),
            6 => format!("{{\"password\":\"{}\"}}", c.secret(r, "")),
            9 => format!("{} = {}", r.pick(LOG_NAMES), c.secret(r, "")),
            10 => format!("{{\"{}\": \"{}\"}}", r.pick(LOG_NAMES), c.secret(r, ",: ")),
            11 => format!("-D{}={}", r.pick(&["aws.secretKey", "fs.s3a.secret.key", "aws.accessKeyId"]), c.secret(r, "")),
            12 => format!("jdbc:postgresql://etl:{}@db.internal:5432/meta", c.secret(r, "")),
            7 => format!("s3a://{}:{}@{b}/k", c.key_id(r), c.secret(r, "")),
            _ => c.key_id(r),
        });
    }
    let payload = payload.join(" ");
    let first = format!(
        "java.nio.file.AccessDeniedException: s3a://{b}/flink/chk-17: getFileStatus on s3a://{b}/flink/chk-17: {payload}: \
         com.amazonaws.services.s3.model.AmazonS3Exception: Forbidden (Service: Amazon S3; Status Code: 403; Error Code: 403 Forbidden; Request ID: 7QJ4SX2MCDY3F0A1)"
    );
    let frames = "\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:230)\n\
                  \tat org.apache.hadoop.fs.s3a.S3AFileSystem.getFileStatus(S3AFileSystem.java:2093)\n";
    match r.below(3) {
        0 => format!(
            "2024-05-02 10:11:12,345 WARN  org.apache.flink.runtime.taskmanager.Task - failed\n{first}\n{frames}"
        ),
        1 => format!(
            "{first}\n{frames}Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: {payload}\n{frames}"
        ),
        _ => {
            let escaped = serde_json::to_string(&format!("{first}\n{frames}")).expect("json");
            format!("{{\"level\":\"WARN\",\"message\":{escaped}}}\n")
        }
    }
}

/// One case: a deployment of one to three configuration files and a log.
fn generate(seed: u64) -> Case {
    let mut r = Rng(seed);
    let mut c = Case::default();
    let kinds = 1 + r.below(7);
    if kinds & 1 != 0 {
        let text = core_site(&mut c, &mut r);
        c.files.push(("etc/hadoop/core-site.xml".into(), text));
    }
    if kinds & 2 != 0 {
        let text = flink_conf(&mut c, &mut r);
        c.files.push(("flink/conf/flink-conf.yaml".into(), text));
    }
    if kinds & 4 != 0 {
        let text = config_yaml(&mut c, &mut r);
        c.files.push(("flink2/conf/config.yaml".into(), text));
    }
    let text = log(&mut c, &mut r);
    c.files.push(("trace.log".into(), text));
    c
}

/// Every output of every command over the case in `dir`, each with a name for the failure message.
fn outputs(dir: &Path, catalog: &Catalog) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let paths: Vec<PathBuf> = ["etc", "flink", "flink2"].iter().map(|p| dir.join(p)).filter(|p| p.exists()).collect();
    let options = DiscoverOptions::default();
    let checked = s3lint::check(&paths, &options, &ProjectSettings::default());
    match &checked {
        Ok((d, findings)) => {
            for (name, format) in
                [("human", Format::Human), ("json", Format::Json), ("sarif", Format::Sarif), ("github", Format::Github)]
            {
                out.push((format!("check --format {name}"), report::render(d, findings, format, name == "human")));
            }
        }
        Err(e) => out.push(("check (could not check)".into(), e.to_string())),
    }
    match discover(&paths, &options) {
        Ok(d) => {
            out.push(("config --format human".into(), config_view::human(&d)));
            out.push(("config --format json".into(), config_view::json(&d)));
        }
        Err(e) => out.push(("config (could not check)".into(), e.to_string())),
    }
    let log = std::fs::read(dir.join("trace.log")).expect("log");
    let result = s3lint::diagnose::diagnose(log.as_slice(), catalog).expect("diagnose");
    let deployment = checked.as_ref().ok().map(|(d, f)| (d, f.as_slice()));
    out.push(("diagnose --format human".into(), diagnosis::human(&result, None, true)));
    out.push(("diagnose --format json".into(), diagnosis::json(&result, None)));
    out.push(("diagnose --deployment --format human".into(), diagnosis::human(&result, deployment, false)));
    out.push(("diagnose --deployment --format json".into(), diagnosis::json(&result, deployment)));
    out
}

/// The same through the binary (`check`, `config`, `diagnose` in every format, stdout and stderr).
fn binary_outputs(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let d = dir.display().to_string();
    for run in [Run::Check, Run::Config, Run::Diagnose] {
        for args in run.commands(&d) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = common::s3lint(&args);
            out.push((format!("s3lint {}", args.join(" ")), format!("{}\n{}", common::stdout(&o), common::stderr(&o))));
        }
    }
    out
}

#[test]
fn no_output_shows_a_generated_secret() {
    let cases: u64 = std::env::var("S3LINT_SECRET_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32);
    let first: u64 = std::env::var("S3LINT_SECRET_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let catalog = Catalog::builtin().expect("catalogue");
    let root = std::env::temp_dir().join(format!("s3lint-secrets-{}", std::process::id()));
    let (mut outputs_checked, mut secrets_placed) = (0usize, 0usize);
    for seed in first..first + cases {
        let case = generate(seed);
        let dir = root.join(seed.to_string());
        for (path, text) in &case.files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        let mut all = outputs(&dir, &catalog);
        if seed < first + 2 {
            all.extend(binary_outputs(&dir));
        }
        let files = || case.files.iter().map(|(p, t)| format!("--- {p}\n{t}")).collect::<Vec<_>>().join("\n");
        let oracle = Oracle::new(&case.secrets);
        for (what, text) in &all {
            if let Some(piece) = oracle.leaked(text) {
                panic!("seed {seed}: {what} shows {piece:?} of a secret:\n{text}\n\nfiles:\n{}", files());
            }
        }
        // No false alarm: the ordinary names placed beside the secrets are still shown by `config`.
        if let Some((_, config)) = all.iter().find(|(w, _)| w == "config --format json") {
            for name in &case.shown {
                assert!(
                    config.contains(name.as_str()),
                    "seed {seed}: config hides {name:?}:\n{config}\n\nfiles:\n{}",
                    files()
                );
            }
        }
        outputs_checked += all.len();
        secrets_placed += case.secrets.len();
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&root);
    eprintln!("{cases} cases, {secrets_placed} secrets placed, {outputs_checked} outputs checked");
}

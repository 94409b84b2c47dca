use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::ConfigFile;
use crate::deployment::flink_conf_file::{Instead, LEGACY, STANDARD, conf_dirs};
use crate::lint::{Finding, Rule, RuleMeta, Severity};
use crate::source::{Location, Span};

declare_rule! {
    /// ## What it catches
    /// A Flink configuration file that the deployment's Flink version does not read (as `GlobalConfiguration`
    /// decides, verified on Flink 1.18, 1.20 and 2.2):
    /// - Flink 2.x with `conf/flink-conf.yaml` and no `conf/config.yaml`: Flink 2 reads only `config.yaml` and
    ///   fails to start without it (error); up to 1.18 the same with `config.yaml` and no `flink-conf.yaml`;
    /// - both files in one conf directory: Flink 1.19 and 1.20 read `flink-conf.yaml` and ignore `config.yaml`,
    ///   Flink 2.x reads `config.yaml` and ignores `flink-conf.yaml`, Flink up to 1.18 knows only
    ///   `flink-conf.yaml`. A warning when the ignored file sets keys that the read file does not set to the
    ///   same value (an edit made there has no effect), an info when it only repeats the read file; an info when
    ///   the Flink version is unknown, since it decides which one counts.
    ///
    /// The settings of a file Flink does not read are not in effect for the other checks (no "deprecated" or
    /// "invalid value" advice, no scheme or filesystem decided by keys that never apply, no reader notes about
    /// its lines); secrets written in it are still reported, and so are misspelt keys.
    ///
    /// ## Why it matters
    /// Flink reads exactly one file. The other one is silently ignored: credentials, endpoints or checkpoint
    /// directories written there do not apply, and a Flink 2 home configured only through `flink-conf.yaml`
    /// does not start at all ("The Flink config file '…/config.yaml' … does not exist.").
    ///
    /// ## How to fix
    /// Keep one file, the one your Flink version reads: `config.yaml` (standard YAML) from Flink 1.19 on — Flink
    /// 2's `bin/migrate-config-file.sh` converts a `flink-conf.yaml` —, `flink-conf.yaml` up to 1.18. Move the
    /// settings you need into it and delete the other.
    pub FlinkConfFileIgnored => "flink-conf-file-ignored", Warning, "a flink-conf.yaml / config.yaml that this Flink version does not read"
}

impl Rule for FlinkConfFileIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some(flink) = &d.flink_version else {
            unknown_version(d, out);
            return;
        };
        let v = &flink.version;
        for u in &d.unread_configs {
            let config = &d.configs[u.config];
            let name = file_name(d, config);
            let at = first_key(d, config);
            let finding = match &u.instead {
                Instead::Missing(required) => {
                    let why = if *required == STANDARD {
                        format!("Flink {v} reads only `{STANDARD}` (`{LEGACY}` is no longer supported since Flink 2.0)")
                    } else {
                        format!("Flink {v} reads only `{LEGACY}` (`{STANDARD}` is read from Flink 1.19 on)")
                    };
                    let help = if *required == STANDARD {
                        format!("Convert it to `{STANDARD}` in the same directory (run `bin/migrate-config-file.sh` in the Flink home, which writes conf/{STANDARD} from conf/{LEGACY}), then delete `{LEGACY}`.")
                    } else {
                        format!("Write these settings as flat `key: value` lines in `{LEGACY}` in the same directory, and delete `{STANDARD}`.")
                    };
                    Self::META
                        .finding(
                            at,
                            format!("`{name}` is not read: {why}, and fails to start without `{required}` beside it (\"The Flink config file '…/{required}' … does not exist.\")"),
                            help,
                        )
                        .with_severity(Severity::Error)
                }
                Instead::Config(read) => ignored_beside(d, config, &d.configs[*read], v, at),
                Instead::NotChecked(path) => Self::META
                    .finding(
                        at,
                        format!("`{name}` is not read: Flink {v} reads `{path}` from this directory instead (not checked here: name its directory to check it)"),
                        keep_one_help(v),
                    )
                    .with_severity(Severity::Info),
            };
            out.push(finding);
        }
    }
}

/// An unread file beside the one Flink reads: a warning when it sets keys the read file does not set alike.
fn ignored_beside(
    d: &Deployment,
    ignored: &ConfigFile,
    read: &ConfigFile,
    v: &crate::deployment::version::Version,
    at: Location,
) -> Finding {
    let (name, read_name) = (file_name(d, ignored), file_name(d, read));
    let differing: Vec<&crate::deployment::config::Entry> = ignored
        .entries
        .iter()
        .filter(|e| read.get(&e.key).is_none_or(|r| normalise(&r.value) != normalise(&e.value)))
        .collect();
    let why = if v.at_least(2, 0) {
        format!("Flink {v} reads only `{STANDARD}`")
    } else if v.at_least(1, 19) {
        format!("Flink {v} reads `{LEGACY}` when a conf directory holds both")
    } else {
        format!("Flink {v} reads only `{LEGACY}`")
    };
    let Some(first) = differing.first() else {
        return FlinkConfFileIgnored::META
            .finding(
                at,
                format!("`{name}` is not read: {why}; it only repeats settings of `{read_name}`"),
                keep_one_help(v),
            )
            .with_severity(Severity::Info)
            .with_related(first_key(d, read), format!("`{read_name}` is read"));
    };
    let mut keys: Vec<String> = differing.iter().take(5).map(|e| format!("`{}`", e.key)).collect();
    if differing.len() > 5 {
        keys.push(format!("and {} more", differing.len() - 5));
    }
    FlinkConfFileIgnored::META
        .finding(
            first.key_at,
            format!(
                "`{name}` is not read: {why}, so {} of its settings do not apply ({} — missing from `{read_name}` or set differently there)",
                differing.len(),
                keys.join(", ")
            ),
            keep_one_help(v),
        )
        .with_key(first.key.clone())
        .with_related(first_key(d, read), format!("`{read_name}` is the file Flink reads"))
}

/// Both files in one conf directory while the Flink version is unknown: which one counts depends on it.
fn unknown_version(d: &Deployment, out: &mut Vec<Finding>) {
    for dir in conf_dirs(d) {
        let (Some(legacy), Some(standard)) = (dir.legacy, dir.standard) else { continue };
        out.push(
            FlinkConfFileIgnored::META
                .finding(
                    first_key(d, &d.configs[standard]),
                    format!("both `{LEGACY}` and `{STANDARD}` are in this directory: Flink up to 1.20 reads `{LEGACY}` and ignores `{STANDARD}`, Flink 2.x reads only `{STANDARD}`; the Flink version is not known here"),
                    "Keep only the file your Flink version reads, or pass `--flink-version` so that s3lint checks the one it reads.",
                )
                .with_severity(Severity::Info)
                .with_related(first_key(d, &d.configs[legacy]), format!("`{LEGACY}`")),
        );
    }
}

fn keep_one_help(v: &crate::deployment::version::Version) -> String {
    if v.at_least(2, 0) {
        format!("Move the settings you need into `{STANDARD}` and delete `{LEGACY}`: Flink 2 never reads it.")
    } else if v.at_least(1, 19) {
        format!(
            "Keep one file: delete `{STANDARD}` (after moving what you need into `{LEGACY}`), or delete `{LEGACY}` to switch to `{STANDARD}` — Flink 2 reads only `{STANDARD}`."
        )
    } else {
        format!("Move the settings you need into `{LEGACY}` and delete `{STANDARD}`: Flink before 1.19 never reads it.")
    }
}

/// A value compared across the two formats: trimmed, without one pair of surrounding quotes.
fn normalise(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

fn file_name<'a>(d: &'a Deployment, c: &ConfigFile) -> &'a str {
    let path = &d.sources.get(c.file).path;
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Where a whole-file finding points: the file's first definition, else its first line.
fn first_key(d: &Deployment, c: &ConfigFile) -> Location {
    match c.definitions.first() {
        Some(e) => e.key_at,
        None => Location::new(c.file, Span::new(0, d.sources.get(c.file).line_span(1).end)),
    }
}

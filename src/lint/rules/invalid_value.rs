use std::sync::LazyLock;

use regex::Regex;

use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::version::Version;
use crate::knowledge::keys::{ValueType, catalogue};
use crate::lint::facts::under_foreign_impl;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A value the real reader cannot parse for its key's type (from `rules/keys.yaml`):
    /// - integers (`fs.s3a.connection.maximum: lots`, `1,000`) — Hadoop's `getInt` / `getLong`;
    /// - sizes with a suffix Hadoop's `getLongBytes` does not take (`fs.s3a.multipart.size: 64MB`: only one
    ///   letter of `k m g t p e` is allowed, `64M`);
    /// - durations `getTimeDuration` cannot read (`1.5s`, `30 sec`: an integer and one of `ns us ms s m h d`);
    /// - booleans other than `true` / `false` (`fs.s3a.path.style.access: yes`), which Hadoop silently replaces by
    ///   the default;
    /// - values outside an option's fixed set (`fs.s3a.fast.upload.buffer: memory`);
    /// - class names that are not Java class names (a path, a space in the middle).
    ///
    /// Flink's own S3 options (`s3.entropy.length`, ...) are checked the way Flink reads them.
    ///
    /// ## Why it matters
    /// Unparseable numbers, sizes, durations and class names throw (`NumberFormatException`,
    /// `IllegalArgumentException: Invalid size prefix 'B' in '64MB'`) when the filesystem is created — at the
    /// first checkpoint, not at deploy time. A boolean Hadoop cannot read is worse: it is silently the default, so
    /// `yes` for `fs.s3a.path.style.access` means virtual-host addressing and a MinIO endpoint that cannot be
    /// resolved.
    ///
    /// ## How to fix
    /// Write the value as the message shows (`64M`, `true`, `60s`). Values that use `${...}` or differ per machine
    /// are not checked.
    pub InvalidValue => "invalid-value", Error, "a value the real reader cannot parse for the key's type"
}

static CLASS_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$").expect("valid regex"));

/// Why a value does not parse (what the reader does with it), and how bad that is.
struct Problem {
    why: String,
    severity: Severity,
}

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let k = catalogue();
        for s in d.effective_settings() {
            let value = s.entry.value.as_str();
            if s.entry.machine_dependent || value.contains("${") || under_foreign_impl(d, s.key) {
                continue;
            }
            let flink_own = s.config.kind.is_flink().then(|| k.flink(&s.entry.key)).flatten();
            let hadoop = crate::lint::facts::hadoop_reading(d, &s);
            let hadoop = hadoop.as_ref();
            let problem = match flink_own {
                Some(f) => flink_problem(f.value_type, value),
                None => match k.resolve(s.key) {
                    Some((info, _)) => hadoop_problem(info, value, hadoop),
                    None => None,
                },
            };
            let Some(p) = problem else { continue };
            let (help, suggestion) = help_for(s.key, hadoop);
            let mut finding = Self::META
                .finding(s.entry.value_at, format!("`{}` = `{}` {}", s.entry.key, value.trim(), p.why), help)
                .with_key(s.entry.key.clone())
                .with_severity(p.severity);
            finding.suggestion = suggestion;
            out.push(finding);
        }
    }
}

/// What to write instead, and the value to write when there is one (the default for the release in use, which
/// the same check accepts on that release).
fn help_for(key: &str, hadoop: Option<&Version>) -> (String, Option<String>) {
    let Some((info, _)) = catalogue().resolve(key) else {
        return ("Write a value of the type the key takes (see `s3lint explain invalid-value`).".to_string(), None);
    };
    let reading = info.reading(hadoop);
    if reading.value_type == ValueType::Enum {
        let default = reading.default.filter(|d| info.values.iter().any(|v| v == d));
        return (format!("Write one of {}.", list(&info.values)), default.map(str::to_string));
    }
    if reading.value_type == ValueType::Classes {
        let e_g = reading.default.map(|d| format!(", e.g. the default `{d}`")).unwrap_or_default();
        return (format!("Write fully-qualified class names, separated by commas{e_g}."), None);
    }
    let what = match (info.value_type, reading.value_type) {
        (ValueType::Size, ValueType::Int | ValueType::Long) => "integer (bytes)",
        _ => describe(reading.value_type, reading.unit),
    };
    match reading.default {
        Some(default) => {
            (format!("Write {} {what} value, e.g. the default `{default}`.", article(what)), Some(default.to_string()))
        }
        None => (format!("Write {} {what} value (see `s3lint explain invalid-value`).", article(what)), None),
    }
}

/// `a` or `an` before a word, by its first sound (written vowels; none of these words starts with a silent or
/// a spoken-consonant vowel).
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" }
}

fn describe(t: ValueType, unit: Option<&str>) -> &'static str {
    match t {
        ValueType::Bool => "boolean",
        ValueType::Int | ValueType::Long => match unit {
            Some("ms") => "integer (milliseconds)",
            Some("s") => "integer (seconds)",
            _ => "integer",
        },
        ValueType::Double => "number",
        ValueType::Size => "size",
        ValueType::Duration => "duration",
        ValueType::Class | ValueType::Classes => "fully-qualified class-name",
        ValueType::Enum => "listed",
        _ => "valid",
    }
}

/// `ms` -> `milliseconds`, as Hadoop's TimeUnit names them.
fn unit_name(unit: &str) -> &'static str {
    match unit {
        "ns" => "nanoseconds",
        "us" => "microseconds",
        "s" => "seconds",
        "m" => "minutes",
        "h" => "hours",
        "d" => "days",
        _ => "milliseconds",
    }
}

fn error(why: impl Into<String>) -> Option<Problem> {
    Some(Problem { why: why.into(), severity: Severity::Error })
}

fn warning(why: impl Into<String>) -> Option<Problem> {
    Some(Problem { why: why.into(), severity: Severity::Warning })
}

/// Java's `Integer.parseInt` / `Long.parseLong` after Hadoop's trim and `0x` handling.
fn parses_as_integer(v: &str, bits: u32) -> bool {
    let v = v.trim();
    let (negative, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    let (radix, digits) = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) => (16, hex),
        None => (10, digits),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    let Ok(n) = i128::from_str_radix(digits, radix) else { return false };
    let n = if negative { -n } else { n };
    let max = (1i128 << (bits - 1)) - 1;
    (-max - 1..=max).contains(&n)
}

/// Hadoop's `StringUtils.TraditionalBinaryPrefix.string2long`: digits with at most one prefix letter.
fn parses_as_size(v: &str) -> Result<(), String> {
    let v = v.trim();
    let Some(last) = v.chars().last() else { return Err("is empty".into()) };
    if last.is_ascii_digit() {
        return if parses_as_integer(v, 64) { Ok(()) } else { Err("is not a number".into()) };
    }
    if !"kmgtpeKMGTPE".contains(last) {
        return Err(format!(
            "has the size prefix '{last}', which Hadoop rejects (\"Invalid size prefix '{last}'\"; allowed: one of k, m, g, t, p, e, any case, as in `64M`)"
        ));
    }
    let number = &v[..v.len() - last.len_utf8()];
    if parses_as_integer(number, 64) && !number.trim().is_empty() && number.trim() == number {
        Ok(())
    } else {
        Err(format!("is not an integer followed by one prefix letter (Hadoop reads `{number}` as the number)"))
    }
}

/// Hadoop's `getTimeDurationHelper`: an integer with an optional unit suffix.
fn parses_as_duration(v: &str) -> bool {
    let v = v.trim().to_ascii_lowercase();
    let number = ["ns", "us", "ms", "s", "m", "h", "d"].iter().find_map(|u| v.strip_suffix(u)).unwrap_or(&v);
    parses_as_integer(number, 64) && number.trim() == number
}

fn hadoop_problem(info: &crate::knowledge::keys::KeyInfo, value: &str, hadoop: Option<&Version>) -> Option<Problem> {
    let trimmed = value.trim();
    let reading = info.reading(hadoop);
    match reading.value_type {
        ValueType::Bool => {
            if matches!(trimmed.to_ascii_lowercase().as_str(), "true" | "false") {
                return None;
            }
            let default = reading.default.unwrap_or("false");
            warning(format!(
                "is not `true` or `false`: Hadoop's getBoolean silently uses the default (`{default}`) instead"
            ))
        }
        ValueType::Int | ValueType::Long => {
            let bits = if reading.value_type == ValueType::Int { 32 } else { 64 };
            if parses_as_integer(trimmed, bits) {
                return None;
            }
            // A key that newer releases read as a duration or a size: say why the suffix is the problem.
            if let (Some(v), Some(until)) = (hadoop, reading.until) {
                if info.value_type == ValueType::Duration && parses_as_duration(trimmed) {
                    let unit = reading.unit.map(unit_name).unwrap_or("milliseconds");
                    return error(format!(
                        "has a unit, but Hadoop {v} reads this key as a plain number of {unit} (units are accepted from {until} on): creating the filesystem fails with NumberFormatException"
                    ));
                }
                if info.value_type == ValueType::Size && parses_as_size(trimmed).is_ok() {
                    return error(format!(
                        "has a size suffix, but Hadoop {v} reads this key as a plain number of bytes (suffixes such as `64M` are accepted from {until} on): creating the filesystem fails with NumberFormatException"
                    ));
                }
            }
            let what = if bits == 32 { "a 32-bit integer" } else { "an integer" };
            error(format!("is not {what}: creating the filesystem fails with NumberFormatException"))
        }
        ValueType::Double => {
            if trimmed.parse::<f64>().is_ok() {
                return None;
            }
            error("is not a number: creating the filesystem fails with NumberFormatException")
        }
        ValueType::Size => match parses_as_size(trimmed) {
            Ok(()) => None,
            Err(why) => error(format!("{why}: creating the filesystem fails")),
        },
        ValueType::Duration => {
            if parses_as_duration(trimmed) {
                return None;
            }
            error(
                "is not a duration Hadoop's getTimeDuration reads (an integer with one of ns, us, ms, s, m, h, d, as in `60s`): creating the filesystem fails with NumberFormatException",
            )
        }
        ValueType::Enum => {
            let lower = trimmed.to_ascii_lowercase();
            let exact = info.values.iter().any(|v| v == value);
            if exact || (!info.case_sensitive && info.values.iter().any(|v| v.to_ascii_lowercase() == lower)) {
                return None;
            }
            if info.case_sensitive {
                return error(format!(
                    "is not exactly one of {} (Hadoop compares case and spaces exactly): creating the filesystem fails with IllegalArgumentException",
                    list(&info.values)
                ));
            }
            warning(format!("is not one of {}: S3A rejects it or falls back to a default", list(&info.values)))
        }
        ValueType::Class => {
            if CLASS_NAME.is_match(trimmed) {
                return None;
            }
            error("is not a Java class name: loading it fails with ClassNotFoundException")
        }
        ValueType::Classes => {
            // An unqualified or misspelt credential provider is `credentials-provider-issue`'s, with a did-you-mean.
            let provider_list = info.key.ends_with("credentials.provider");
            let bad = trimmed.split(',').map(str::trim).find(|c| {
                !c.is_empty()
                    && !CLASS_NAME.is_match(c)
                    && (!provider_list || crate::knowledge::aws::facts().meant(c).is_empty())
            })?;
            error(format!(
                "lists `{bad}`, which is not a Java class name: loading it fails with ClassNotFoundException"
            ))
        }
        _ => None,
    }
}

/// Flink's own S3 options, parsed as Flink's `Configuration` converts strings.
fn flink_problem(t: ValueType, value: &str) -> Option<Problem> {
    let trimmed = value.trim();
    match t {
        ValueType::Bool if !matches!(trimmed.to_ascii_lowercase().as_str(), "true" | "false") => error(
            "is not `true` or `false`: Flink refuses it (IllegalArgumentException) when the filesystem is configured",
        ),
        ValueType::Int if !parses_as_integer(trimmed, 32) => {
            error("is not an integer: Flink refuses it (IllegalArgumentException) when the filesystem is configured")
        }
        ValueType::Long if !parses_as_integer(trimmed, 64) => {
            error("is not an integer: Flink refuses it (IllegalArgumentException) when the filesystem is configured")
        }
        _ => None,
    }
}

fn list(values: &[String]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_as_java_does() {
        assert!(parses_as_integer("96", 32));
        assert!(parses_as_integer(" 96 ", 32));
        assert!(parses_as_integer("0x60", 32));
        assert!(parses_as_integer("-1", 32));
        assert!(parses_as_integer("+5", 32));
        assert!(!parses_as_integer("lots", 32));
        assert!(!parses_as_integer("1,000", 32));
        assert!(!parses_as_integer("2147483648", 32));
        assert!(parses_as_integer("2147483648", 64));
        assert!(!parses_as_integer("", 32));
        assert!(!parses_as_integer("1.5", 64));
    }

    #[test]
    fn sizes_take_one_binary_prefix_letter() {
        assert!(parses_as_size("64M").is_ok());
        assert!(parses_as_size("64m").is_ok());
        assert!(parses_as_size("134217728").is_ok());
        assert!(parses_as_size("1G").is_ok());
        assert!(parses_as_size("64MB").unwrap_err().contains("'B'"));
        assert!(parses_as_size("64 M").is_err());
        assert!(parses_as_size("M").is_err());
        assert!(parses_as_size("1.5G").is_err());
    }

    #[test]
    fn durations_take_an_integer_and_one_unit() {
        for ok in ["60s", "60", "5m", "24h", "200000", "30S", "1d", "500ms", "0"] {
            assert!(parses_as_duration(ok), "{ok}");
        }
        for bad in ["1.5s", "30 sec", "sixty", "60 s", "s", "5min"] {
            assert!(!parses_as_duration(bad), "{bad}");
        }
    }
}

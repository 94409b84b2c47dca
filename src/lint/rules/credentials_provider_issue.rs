use crate::declare_rule;
use crate::deployment::version::Version;
use crate::deployment::{Deployment, Setting};
use crate::knowledge::aws::{ProviderSdk, facts};
use crate::knowledge::keys::split_per_bucket;
use crate::lint::classpath_facts::sdk_jars;
use crate::lint::{Finding, Rule, RuleMeta, Severity};
use crate::source::Location;

declare_rule! {
    /// ## What it catches
    /// Problems in the credential provider lists `fs.s3a.aws.credentials.provider` (also per bucket, and Flink's
    /// `s3.aws.credentials.provider`) and `fs.s3a.assumed.role.credentials.provider`:
    /// - a misspelt class in S3A's or an AWS SDK's package (`org.apache.hadoop.fs.s3a.SimpleAWSCredentialProvider`);
    /// - an AWS SDK v2 class on a Hadoop before 3.4, which uses SDK v1;
    /// - an SDK v1 class on Hadoop 3.4+: remapped to its v2 equivalent with a warning where Hadoop knows one, and
    ///   failing without the v1 SDK on the classpath where it does not;
    /// - a provider whose keys are not set when it is the only one: `TemporaryAWSCredentialsProvider` without
    ///   `fs.s3a.session.token`, `SimpleAWSCredentialsProvider` without the key pair,
    ///   `AssumedRoleCredentialProvider` without `fs.s3a.assumed.role.arn`.
    ///
    /// ## Why it matters
    /// S3A instantiates every listed class when the filesystem is created: an unknown class fails with
    /// `ClassNotFoundException`, a class of the other SDK with `Class ... does not implement
    /// AWSCredentialsProvider` / `AwsCredentialsProvider`, and a provider without its keys with `No AWS Credentials
    /// provided by TemporaryAWSCredentialsProvider`.
    ///
    /// ## How to fix
    /// Use the S3A providers (`org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider` for instance and
    /// container roles, `TemporaryAWSCredentialsProvider` / `SimpleAWSCredentialsProvider` with their keys in a
    /// credential provider), or the SDK classes of the SDK your Hadoop uses (v2
    /// `software.amazon.awssdk.auth.credentials.*` from Hadoop 3.4, v1 `com.amazonaws.auth.*` before).
    pub CredentialsProviderIssue => "credentials-provider-issue", Error, "unknown, misspelt or wrong-SDK credential provider classes"
}

impl Rule for CredentialsProviderIssue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for s in d.effective_settings().filter(|s| is_provider_key(s.key)) {
            let classes: Vec<&str> = s.entry.value.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
            let hadoop = crate::lint::facts::hadoop_reading(d, &s);
            for class in &classes {
                if let Some(f) = check_class(d, &s, class, hadoop.as_ref()) {
                    out.push(f.with_key(s.entry.key.clone()));
                }
            }
            if let [only] = classes.as_slice()
                && let Some(f) = missing_keys(d, &s, only)
            {
                out.push(f.with_key(s.entry.key.clone()));
            }
        }
    }
}

fn is_provider_key(key: &str) -> bool {
    let suffix = split_per_bucket(key).map(|(_, rest)| rest).or_else(|| key.strip_prefix("fs.s3a."));
    matches!(suffix, Some("aws.credentials.provider" | "assumed.role.credentials.provider"))
}

fn check_class(d: &Deployment, s: &Setting<'_>, class: &str, hadoop: Option<&Version>) -> Option<Finding> {
    let aws = facts();
    let at = crate::lint::facts::locate(d, *s, class);
    let Some(known) = aws.provider(class) else {
        // Hadoop 3.4's `fs.s3a.aws.credentials.provider.mapping` (`name=class,...`) may define the name.
        let mapped = d
            .value("fs.s3a.aws.credentials.provider.mapping")
            .is_some_and(|m| m.entry.value.split(',').any(|e| e.split('=').next().map(str::trim) == Some(class)));
        return if mapped { None } else { unknown_class(s, class, hadoop, at) };
    };
    let v34 = Version::parse("3.4");
    let h = hadoop?;
    match known.sdk {
        ProviderSdk::V2 if *h < v34 => {
            let message = format!("`{class}` is an AWS SDK v2 provider, but Hadoop {h} uses AWS SDK v1: creating the filesystem fails (ClassNotFoundException, or \"does not implement AWSCredentialsProvider\")");
            Some(match aws.for_hadoop(known, Some(h)) {
                Some(v1) => CredentialsProviderIssue::META
                    .finding(at, format!("{message}; its SDK v1 counterpart is `{v1}`"), format!("Write `{v1}`."))
                    .with_suggestion(v1),
                None => CredentialsProviderIssue::META.finding(
                    at,
                    message,
                    "Use the S3A provider for the same source (`org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider` for roles) or the SDK v1 class in `com.amazonaws.auth`.",
                ),
            })
        }
        ProviderSdk::V1 if *h >= v34 => match &known.v2 {
            Some(v2) => Some(
                CredentialsProviderIssue::META
                    .finding(
                        at,
                        format!("`{class}` is an AWS SDK v1 provider; Hadoop {h} uses SDK v2 and replaces it with `{v2}`, logging a warning"),
                        format!("Write `{v2}`."),
                    )
                    .with_severity(Severity::Info)
                    .with_suggestion(v2.clone()),
            ),
            None => {
                let v1_present = d
                    .main_classpath()
                    .is_some_and(|cp| sdk_jars(d, cp).iter().any(|j| !j.generation.is_v2()));
                let (severity, consequence) = if v1_present {
                    (Severity::Warning, "it is loaded through the v1 SDK jar on the classpath, a compatibility path for custom providers only")
                } else {
                    (Severity::Error, "without the v1 SDK on the classpath, creating the filesystem fails (\"does not implement AwsCredentialsProvider\")")
                };
                let message = format!("`{class}` is an AWS SDK v1 provider, but Hadoop {h} uses AWS SDK v2: {consequence}");
                Some(match aws.for_hadoop(known, Some(h)) {
                    Some(v2) => CredentialsProviderIssue::META
                        .finding(at, message, format!("Write its SDK v2 counterpart `{v2}`."))
                        .with_severity(severity)
                        .with_suggestion(v2),
                    None => CredentialsProviderIssue::META
                        .finding(at, message, "Use its SDK v2 counterpart in `software.amazon.awssdk.auth.credentials`, or an S3A provider.")
                        .with_severity(severity),
                })
            }
        },
        _ => None,
    }
}

/// A class that is no known provider but is near one (misspelt, unqualified, in the wrong package): a did-you-mean
/// with the fully-qualified class valid for the Hadoop release in use.
fn unknown_class(s: &Setting<'_>, class: &str, hadoop: Option<&Version>, at: Location) -> Option<Finding> {
    let aws = facts();
    let meant = aws.meant(class);
    let first = meant.first()?;
    let mut choices: Vec<&str> = meant.iter().filter_map(|k| aws.for_hadoop(k, hadoop)).collect();
    choices.dedup();
    // On a known release every choice is valid there: the one of the name written, else the first.
    if hadoop.is_some() && choices.len() > 1 {
        let written = aws_simple(class).to_ascii_lowercase();
        let same = choices.iter().position(|c| aws_simple(c).to_ascii_lowercase() == written).unwrap_or(0);
        choices = vec![choices[same]];
    }
    let what = match aws.known_package(class) {
        Some(package) => format!("is not a class of {package}*"),
        None if !class.contains('.') => "is not a fully-qualified class name".to_string(),
        None => "is not a known credential provider class".to_string(),
    };
    let key = &s.entry.key;
    let fails = "creating the filesystem fails with ClassNotFoundException";
    if let [only] = choices.as_slice() {
        let on = hadoop.map(|h| format!(" (Hadoop {h})")).unwrap_or_default();
        return Some(
            CredentialsProviderIssue::META
                .finding(
                    at,
                    format!("`{class}` in `{key}` {what}: {fails}; did you mean `{only}`{on}?"),
                    format!("Write `{only}`."),
                )
                .with_suggestion(*only),
        );
    }
    // The Hadoop release is unknown and both SDKs have the class: name both, each with the releases it is for.
    let simple = aws_simple(&first.class);
    let v1 = meant.iter().find(|k| k.sdk == ProviderSdk::V1).map(|k| k.class.as_str());
    let v2 = meant.iter().find(|k| k.sdk == ProviderSdk::V2).map(|k| k.class.as_str());
    let options = match (v1, v2) {
        (Some(v1), Some(v2)) => {
            format!("`{v1}` (AWS SDK v1, Hadoop before 3.4) or `{v2}` (AWS SDK v2, Hadoop 3.4 and later)")
        }
        _ => meant.iter().map(|k| format!("`{}`", k.class)).collect::<Vec<_>>().join(" or "),
    };
    Some(CredentialsProviderIssue::META.finding(
        at,
        format!("`{class}` in `{key}` {what}: {fails}; did you mean {options}?"),
        format!("Write the fully-qualified `{simple}` of the AWS SDK your Hadoop uses: {options}."),
    ))
}

fn aws_simple(class: &str) -> &str {
    crate::knowledge::aws::simple_name(class)
}

/// A lone provider whose keys are not set anywhere (and no credential provider file could hold them).
fn missing_keys(d: &Deployment, s: &Setting<'_>, class: &str) -> Option<Finding> {
    let known = facts().provider(class)?;
    // Keys may sit in a credential provider file, which s3lint cannot open.
    let provider_file = ["hadoop.security.credential.provider.path", "fs.s3a.security.credential.provider.path"]
        .iter()
        .any(|k| d.value(k).is_some());
    if known.needs.is_empty() || provider_file {
        return None;
    }
    let bucket = split_per_bucket(s.key).map(|(b, _)| b);
    let set = |key: &str| {
        let own = bucket.and_then(|b| d.value(&key.replacen("fs.s3a.", &format!("fs.s3a.bucket.{b}."), 1)));
        own.or_else(|| d.value(key)).is_some_and(|v| !v.entry.value.trim().is_empty())
    };
    let missing: Vec<&str> = known.needs.iter().map(String::as_str).filter(|k| !set(k)).collect();
    if missing.is_empty() {
        return None;
    }
    let simple = class.rsplit('.').next().unwrap_or(class);
    let list = missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    // In spark-defaults.conf, Hadoop keys are written with Spark's `spark.hadoop.` prefix.
    let written = |k: &str| crate::lint::spark_help::key_as_written(s.config.kind, k);
    let set_list = missing.iter().map(|k| format!("`{}`", written(k))).collect::<Vec<_>>().join(", ");
    let path_key = written("hadoop.security.credential.provider.path");
    Some(CredentialsProviderIssue::META.finding(
        crate::lint::facts::locate(d, *s, class),
        format!("`{simple}` is the only credential provider, but {list} {} not set: every request fails with \"No AWS Credentials provided by {simple}\"", if missing.len() == 1 { "is" } else { "are" }),
        format!("Set {set_list} (in a Hadoop credential provider, `{path_key}`, not in plain text), or use a provider that needs no keys, such as `org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider`."),
    ))
}

use crate::declare_rule;
use crate::deployment::version::Version;
use crate::deployment::{Deployment, Setting};
use crate::knowledge::aws::{facts, region_of};
use crate::lint::classpath_facts::{HadoopFs, find, hadoop_fs_uses};
use crate::lint::facts::{bucket_of, impl_selecting};
use crate::lint::{Finding, Rule, RuleMeta, Severity};
use crate::source::Location;

/// Hadoop 2's `s3://` block filesystem, which signs with jets3t too.
const S3_BLOCK_CLASS: &str = "org.apache.hadoop.fs.s3.S3FileSystem";

declare_rule! {
    /// ## What it catches
    /// Hadoop's jets3t-based filesystems — NativeS3FileSystem (`s3n://`, or `fs.s3.impl` naming it) and the old
    /// `s3://` block filesystem — with a jets3t older than 0.9.4 (any Hadoop up to 2.7.2, or an old `jets3t-*.jar`
    /// on the classpath), while the configuration points at a region that accepts only AWS Signature Version 4:
    /// eu-central-1 and every region launched after January 2014 (us-east-2, eu-west-2, ap-south-1, ...). The
    /// region is read from endpoint and region keys (`fs.s3a.endpoint`, `fs.s3a.endpoint.region`, per-bucket
    /// endpoints, Flink's `s3.endpoint`); a bucket name that carries such a region is a warning. With no region
    /// in sight it is advice: S3 has not accepted Signature Version 2 for buckets created since June 2020.
    ///
    /// ## Why it matters
    /// jets3t 0.9.0 signs every request with Signature Version 2. Such regions reject it, and every access fails
    /// with `java.io.IOException: s3://bucket/path : 400 : Bad Request` caused by
    /// `org.jets3t.service.impl.rest.HttpException` — the Flink-on-AWS guide's "400: Bad Request" issue.
    ///
    /// ## How to fix
    /// Use S3A, which signs v4: `fs.s3.impl` = `org.apache.hadoop.fs.s3a.S3AFileSystem` (hadoop-aws of Hadoop 2.7+
    /// with its AWS SDK), or on Flink 1.9+ the `flink-s3-fs-hadoop` plugin. The guide's only workaround for
    /// NativeS3 itself is a bucket in a region that still accepts Signature Version 2.
    pub SignatureV4Region => "signature-v4-region", Error, "jets3t/NativeS3 against a region that accepts only signature v4"
}

impl Rule for SignatureV4Region {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some((selector, what)) = jets3t_filesystem(d) else { return };
        let Some(jets3t) = old_jets3t(d) else { return };
        let aws = facts();
        let regional = d
            .effective_settings()
            .filter(|s| is_region_key(s))
            .find_map(|s| region_of(&s.entry.value).filter(|r| aws.sigv4_only(r)).map(|r| (s, r)));
        let consequence = "jets3t signs requests with Signature Version 2, so every request fails with `400 : Bad Request` (org.jets3t.service.impl.rest.HttpException)";
        let help = "Use S3A, which signs v4: set `fs.s3.impl` to `org.apache.hadoop.fs.s3a.S3AFileSystem` (hadoop-aws 2.7+ with its AWS SDK), or install the `flink-s3-fs-hadoop` plugin; the only NativeS3 workaround is a bucket in a Signature Version 2 region.";
        if let Some((s, region)) = regional {
            out.push(
                Self::META
                    .finding(
                        s.entry.value_at,
                        format!("{what} with {jets3t}, but `{}` names {region}, which accepts only Signature Version 4: {consequence}", s.entry.key),
                        help,
                    )
                    .with_key(s.entry.key.clone())
                    .with_related(selector, format!("{what} is selected here")),
            );
            return;
        }
        if let Some((at, bucket, region)) = bucket_region(d) {
            out.push(
                Self::META
                    .finding(
                        at,
                        format!("{what} with {jets3t}, and bucket `{bucket}` is named for {region}, which accepts only Signature Version 4: if the bucket is there, {consequence}"),
                        help,
                    )
                    .with_severity(Severity::Warning)
                    .with_related(selector, format!("{what} is selected here")),
            );
            return;
        }
        out.push(
            Self::META
                .finding(
                    selector,
                    format!("{what} with {jets3t}, which signs only with Signature Version 2: buckets in regions launched after January 2014, and every bucket created since June 2020, reject it with `400 : Bad Request`"),
                    help,
                )
                .with_severity(Severity::Info),
        );
    }
}

/// The jets3t-based filesystem in use: where it is selected and how to name it.
fn jets3t_filesystem(d: &Deployment) -> Option<(Location, &'static str)> {
    if let Some(u) = hadoop_fs_uses(d).into_iter().find(|u| u.fs == HadoopFs::NativeS3) {
        return Some((u.at, "NativeS3FileSystem is used"));
    }
    impl_selecting(d, "s3", S3_BLOCK_CLASS)
        .map(|s| (s.entry.value_at, "the s3:// block filesystem (S3FileSystem) is used"))
}

/// The old jets3t in use, described: from a `jets3t-*.jar` on the main classpath, else from the Hadoop version.
fn old_jets3t(d: &Deployment) -> Option<String> {
    let aws = facts();
    let v4 = Version::parse(&aws.jets3t_sigv4_since.version);
    if let Some(jar) = d.main_classpath().and_then(|cp| find(d, cp, "jets3t")) {
        let v = jar.version()?;
        return (v < v4).then(|| format!("jets3t {v} (`{}`)", jar.file_name));
    }
    let h = d.hadoop_version.as_ref()?;
    let last_old = Version::parse(&aws.hadoop_with_old_jets3t_until.version);
    (h.version <= last_old).then(|| format!("Hadoop {}'s jets3t 0.9.0", h.version))
}

/// Endpoint and region keys of S3 filesystems (Hadoop's, and Flink's as S3A sees them).
fn is_region_key(s: &Setting<'_>) -> bool {
    let k = s.key;
    (k.starts_with("fs.s3") || k.starts_with("presto.s3.") || k == "aws.region")
        && (k.ends_with("endpoint") || k.ends_with("region") || k.ends_with("s3-endpoint"))
}

/// A bucket of an S3 URI whose name carries a v4-only region code (`acme-logs-eu-central-1`).
fn bucket_region(d: &Deployment) -> Option<(Location, String, String)> {
    let aws = facts();
    for u in crate::lint::facts::scheme_uses(d) {
        let Some(bucket) = bucket_of(u.uri) else { continue };
        let parts: Vec<&str> = bucket.split(['-', '.']).collect();
        for n in [3, 4] {
            for w in parts.windows(n) {
                let candidate = w.join("-");
                if region_of(&candidate).is_some() && aws.sigv4_only(&candidate) {
                    return Some((u.at, bucket.clone(), candidate));
                }
            }
        }
    }
    None
}

use crate::declare_rule;
use crate::deployment::{Deployment, Setting};
use crate::knowledge::aws::{is_aws_endpoint, region_of};
use crate::knowledge::keys::split_per_bucket;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// S3A endpoint settings that disagree, for all buckets or for one (`fs.s3a.bucket.NAME.*`), in Hadoop XML or
    /// through Flink's `s3.*` keys:
    /// - `fs.s3a.endpoint` names one region (`s3.eu-west-1.amazonaws.com`) and `fs.s3a.endpoint.region` another;
    /// - a non-AWS endpoint (MinIO, Ceph, an IP address, `http://minio:9000`) without
    ///   `fs.s3a.path.style.access` = `true` (Flink: `s3.path.style.access: true`).
    ///
    /// ## Why it matters
    /// Requests are signed for `fs.s3a.endpoint.region` and sent to the endpoint's region, so S3 rejects every one
    /// (`400 Bad Request`, `AuthorizationHeaderMalformed: the region 'us-east-1' is wrong; expecting
    /// 'eu-west-1'`) or redirects it (`301 Moved Permanently`). Without path-style access S3A addresses
    /// `http://BUCKET.minio:9000/`, a host name that does not resolve (`UnknownHostException`), unless the store
    /// has wildcard DNS.
    ///
    /// ## How to fix
    /// Make the region match the endpoint (or drop one of the two: S3A derives the region from an AWS endpoint);
    /// for third-party stores set `fs.s3a.path.style.access` to `true` next to the endpoint.
    pub EndpointRegionConflict => "endpoint-region-conflict", Error, "endpoint, region and path-style settings that disagree"
}

impl Rule for EndpointRegionConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let endpoints: Vec<Setting<'_>> =
            d.effective_settings().filter(|s| scoped(s.key, "endpoint").is_some()).collect();
        for e in endpoints {
            let Some(scope) = scoped(e.key, "endpoint") else { continue };
            let value = e.entry.value.trim();
            // Quotes kept by Flink's legacy reader are flink-conf-unparsed-line's; variables are not resolved here.
            if value.is_empty() || value.contains("${") || value.starts_with(['\'', '"']) {
                continue;
            }
            let region = lookup(d, &scope, "endpoint.region");
            if let (Some(r), Some(endpoint_region)) = (region, region_of(value)) {
                let set = r.entry.value.trim();
                if !set.is_empty() && !set.contains("${") && set != endpoint_region {
                    out.push(
                        Self::META
                            .finding(
                                e.entry.value_at,
                                format!(
                                    "`{}` is in {endpoint_region} but `{}` says `{set}`: requests are signed for {set} and sent to {endpoint_region}, which rejects them (400 AuthorizationHeaderMalformed / 301 redirect)",
                                    e.entry.key, r.entry.key
                                ),
                                format!("Set `{}` to `{endpoint_region}`, or remove it and let S3A take the region from the endpoint.", r.entry.key),
                            )
                            .with_key(e.entry.key.clone())
                            .with_related(r.entry.value_at, format!("the region is set to `{set}` here"))
                            .with_suggestion_at(r.entry.value_at, endpoint_region.clone()),
                    );
                }
            }
            if !is_aws_endpoint(value) {
                let path_style = lookup(d, &scope, "path.style.access");
                let on = path_style.is_some_and(|p| p.entry.value.trim().eq_ignore_ascii_case("true"));
                if !on {
                    let (how, related) = match path_style {
                        Some(p) => (format!("`{}` is `{}`", p.entry.key, p.entry.value.trim()), Some(p.entry.value_at)),
                        None => ("path-style access is not enabled".to_string(), None),
                    };
                    let flink = e.config.kind.is_flink();
                    let key = if flink {
                        "s3.path.style.access"
                    } else if e.config.kind.is_spark() {
                        "spark.hadoop.fs.s3a.path.style.access"
                    } else {
                        "fs.s3a.path.style.access"
                    };
                    let mut f = Self::META
                        .finding(
                            e.entry.value_at,
                            format!(
                                "`{}` is `{value}`, not an AWS endpoint, and {how}: S3A will address `BUCKET.{}` (virtual-host style), which such stores rarely resolve (UnknownHostException)",
                                e.entry.key,
                                host_of(value)
                            ),
                            format!("Set `{key}` to `true` for this endpoint (unless the store has wildcard DNS for bucket host names)."),
                        )
                        .with_key(e.entry.key.clone())
                        .with_severity(Severity::Warning);
                    if let Some(at) = related {
                        f = f.with_related(at, "path-style access is set here");
                    }
                    out.push(f);
                }
            }
        }
    }
}

/// The scope of an S3A key ending in `.{suffix}`: `Some(None)` for `fs.s3a.{suffix}`, `Some(Some(bucket))` for
/// `fs.s3a.bucket.BUCKET.{suffix}`.
fn scoped(key: &str, suffix: &str) -> Option<Option<String>> {
    if key.strip_prefix("fs.s3a.") == Some(suffix) {
        return Some(None);
    }
    match split_per_bucket(key) {
        Some((bucket, rest)) if rest == suffix => Some(Some(bucket.to_string())),
        _ => None,
    }
}

/// The effective value of `fs.s3a.{suffix}` for a scope: the bucket's own, else the global one.
fn lookup<'a>(d: &'a Deployment, scope: &Option<String>, suffix: &str) -> Option<Setting<'a>> {
    let own = scope.as_ref().and_then(|b| d.value(&format!("fs.s3a.bucket.{b}.{suffix}")));
    own.or_else(|| d.value(&format!("fs.s3a.{suffix}")))
}

/// The host (and port) of an endpoint, without any user-info.
fn host_of(value: &str) -> String {
    let value = crate::redact::without_userinfo(value);
    let rest = value.split("://").last().unwrap_or(&value);
    rest.split('/').next().unwrap_or(rest).to_string()
}

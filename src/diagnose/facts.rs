//! Typed facts read out of trace text: what S3 (or another AWS service) answered — HTTP status, AWS error code,
//! request id —, which S3A operation on which path, the endpoint host and its region, the SDK generation (and its
//! shading), URI schemes, the log level, and the class that failed to link. The matcher scores failure cases on
//! these facts as well as on wording, and the reports show them.
//!
//! Facts come from every exception of a chain (quoted causes included) and from lone log lines. Paths never keep a
//! URI's user-info, so no credential ends up in a fact.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::knowledge::pattern::compile_ascii;

pub use super::chain::Level;
use super::chain::{Chain, Exception};

/// Everything known about one chain (or one lone line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The AWS service that answered, normalised to lower case without `amazon`/`aws` (`s3`, `kms`, `sts`,
    /// `kinesis`, `dynamodb`, `glue`…).
    pub service: Option<String>,
    /// HTTP status of the failed request.
    pub status: Option<u16>,
    /// AWS error code, canonical (`AccessDenied`; `403 Forbidden` → `Forbidden`; `503 Slow Down` → `SlowDown`).
    pub error_code: Option<String>,
    /// AWS request id.
    pub request_id: Option<String>,
    /// The S3A (or other client) operation: `getFileStatus`, `PUT 0-byte object`, `open`, `HEAD`…
    pub operation: Option<String>,
    /// The first S3 URI, without user-info: `s3a://bucket/key`.
    pub path: Option<String>,
    /// The S3 endpoint host (or the host that could not be resolved or reached).
    pub host: Option<String>,
    /// The AWS region of the endpoint or the one S3 says the bucket is in.
    pub region: Option<String>,
    /// Which client: `v1`, `v2`, `v1 (EMRFS-shaded)`, `v1 (Flink-shaded)`, `Databricks-shaded`, `jets3t`, `MinIO`…
    pub sdk: Option<&'static str>,
    /// URI schemes named (`s3`, `s3a`, `s3n`, `s3p`).
    pub schemes: Vec<String>,
    /// The level of the line the failure was logged on.
    pub level: Option<Level>,
    /// The class (dotted) a linkage error names: `com.amazonaws.AmazonClientException`.
    pub missing_class: Option<String>,
    /// The linkage error's own simple name (`NoClassDefFoundError`, `NoSuchMethodError`…).
    pub linkage_error: Option<String>,
    /// Proof that S3 is involved: an S3 class, frame, URI, host or service.
    pub s3: bool,
    /// Index (in the chain) of the exception the status / error code was read from.
    pub answer_at: Option<usize>,
    /// Index (in the chain) of the linkage error.
    pub linkage_at: Option<usize>,
    /// Whether an S3A credential provider is in the chain (STS errors then concern S3).
    pub credential_provider: bool,
}

static STATUS: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(r"[Ss]tatus ?[Cc]ode\s*[:=]\s*(\d{3})\b|\bResponseCode:\s*(\d{3})\b|\bHTTP/\d(?:\.\d)?\s+(\d{3})\b|\bstatus[=:]\s*(\d{3})\b").unwrap()
});
static ERROR_CODE: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(concat!(
        r"(?:Error Code|ErrorCode|errorCode|error code)\s*[:=]\s*([A-Za-z0-9.][A-Za-z0-9. ]*?)\s*(?:[;,)\n]|$)",
        r"|<Code>\s*([A-Za-z0-9.]+)\s*</Code>",
        r"|ErrorResponse\s*\(\s*code\s*=\s*([A-Za-z0-9.]+)",
        r"|Request ID: [^)\n]*\)\s*:\s*([A-Z][A-Za-z0-9.]+)\b",
    ))
    .unwrap()
});
static SERVICE: LazyLock<Regex> =
    LazyLock::new(|| compile_ascii(r"\bService:\s*([A-Za-z][A-Za-z0-9 ]*?)\s*[;,)]").unwrap());
static REQUEST_ID: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(
        r"(?:Request ID|RequestId|requestId|request id)\s*[:=]\s*([A-Za-z0-9+/=_-]{4,})|<RequestId>([^<]+)</RequestId>",
    )
    .unwrap()
});
static OPERATION: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(r"(?:^|: )([A-Za-z][\w-]*(?: [\w-]+){0,3}?) +on +(s3[an]?://[^\s:]+|[\w./=-]+):(?:\s|$)").unwrap()
});
static OPEN_OPERATION: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(r"(?:^|: )(open|read|write|delete|rename|copy|create|mkdirs|list[A-Za-z]*) s3[an]?://").unwrap()
});
static URI: LazyLock<Regex> = LazyLock::new(|| compile_ascii(r#"\b(s3[anp]?)://([^\s'"`;,)\]<>]*)"#).unwrap());
static SCHEME_WORD: LazyLock<Regex> = LazyLock::new(|| compile_ascii(r#"[Ss]cheme[:\s]+["'`]?(s3[anp]?)\b"#).unwrap());
static AWS_HOST: LazyLock<Regex> =
    LazyLock::new(|| compile_ascii(r"\b((?:[a-z0-9-]+\.)*s3[a-z0-9.-]*\.amazonaws\.com(?:\.cn)?)\b").unwrap());
static HOST_REGION: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(r"s3[.-](?:dualstack\.|fips\.|external-1\.)?([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.").unwrap()
});
static NAMED_REGION: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(r"(?:expecting|bucket is in|[Rr]egion)\s*[:=]?\s*'?([a-z]{2}(?:-gov)?-[a-z]+-\d)\b").unwrap()
});
static CONNECT_HOST: LazyLock<Regex> = LazyLock::new(|| {
    compile_ascii(
        r"(?:Connect to|connect to|Unable to execute HTTP request:)\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})(?::\d+)?",
    )
    .unwrap()
});
/// Literals that show S3 is involved: S3 filesystem classes and packages, S3 URIs and endpoints, S3's service
/// name. A literal search (built in microseconds) rather than a regex, as it runs on every class and frame.
static S3_CONTEXT: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    // A contiguous NFA: a DFA would take longer to build than a short input takes to diagnose.
    AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build([
            "fs.s3a.",
            "fs.s3native",
            "S3AFileSystem",
            "S3AInputStream",
            "S3ABlockOutputStream",
            "S3AUtils",
            "PrestoS3FileSystem",
            "TrinoS3FileSystem",
            "NativeS3FileSystem",
            "S3FileSystem",
            "flink.fs.s3",
            ".services.s3.",
            "AmazonS3",
            "S3Client",
            "S3FileIO",
            "S3InputStream",
            "EmrFileSystem",
            "emr.hadoop.fs",
            "jets3t",
            "io.minio",
            "s3://",
            "s3a://",
            "s3n://",
            "s3p://",
            "Service: S3",
            "Service: Amazon S3",
            ".s3.",
            "s3.amazonaws.com",
            "amazonaws.com",
        ])
        .ok()
});

/// Whether `text` shows that S3 is involved (`amazonaws.com` only with an `s3` host part).
fn mentions_s3(text: &str) -> bool {
    let Some(ac) = S3_CONTEXT.as_ref() else { return false };
    ac.find_iter(text).any(|m| {
        &text[m.start()..m.end()] != "amazonaws.com"
            || text[..m.start()].rsplit(['/', ' ', '@']).next().is_some_and(|h| h.contains("s3"))
    })
}

/// Whether `text` names S3A's credential-provider machinery (STS errors there concern S3).
fn mentions_credential_provider(text: &str) -> bool {
    ["AssumedRoleCredentialProvider", "fs.s3a.auth.", "S3ARetryPolicy", "S3AUtils"].iter().any(|w| text.contains(w))
}

/// Linkage errors: the class they name says what is missing.
pub const LINKAGE_ERRORS: [&str; 10] = [
    "NoClassDefFoundError",
    "ClassNotFoundException",
    "NoSuchMethodError",
    "NoSuchFieldError",
    "IllegalAccessError",
    "AbstractMethodError",
    "IncompatibleClassChangeError",
    "UnsatisfiedLinkError",
    "VerifyError",
    "ClassCastException",
];

/// Linkage errors about a member (field, method) rather than a class.
const MEMBER_ERRORS: [&str; 4] = ["NoSuchMethodError", "NoSuchFieldError", "AbstractMethodError", "IllegalAccessError"];

/// `ServiceUnavailable`-style canonical form of an error code as written: digits and spaces removed
/// (`403 Forbidden` → `Forbidden`, `503 Slow Down` → `SlowDown`).
pub fn canonical_code(written: &str) -> String {
    let t = written.trim().trim_start_matches(|c: char| c.is_ascii_digit()).trim();
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Codes that only restate the HTTP status (S3 sends no body to a HEAD request): the status decides.
pub fn is_generic_code(code: &str) -> bool {
    ["Forbidden", "BadRequest", "NotFound", "MovedPermanently", "null", "Unknown", ""]
        .iter()
        .any(|generic| code.eq_ignore_ascii_case(generic))
}

/// A service name as written (`Amazon S3`, `AWSKMS`, `AWSSecurityTokenService`, `AmazonKinesis`) normalised.
pub fn canonical_service(written: &str) -> String {
    let mut s: String = written.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    for prefix in ["amazon", "aws"] {
        if let Some(rest) = s.strip_prefix(prefix)
            && !rest.is_empty()
        {
            s = rest.to_string();
        }
    }
    match s.as_str() {
        "securitytokenservice" | "sts" => "sts".into(),
        "dynamodbv2" | "dynamodb" => "dynamodb".into(),
        "simplestorageservice" => "s3".into(),
        _ => s,
    }
}

/// The service an exception class belongs to, when its name says (`AmazonS3Exception` → `s3`).
fn service_of_class(class: &str) -> Option<&'static str> {
    let simple = class.rsplit('.').next().unwrap_or(class);
    let pkg = class.strip_suffix(simple).unwrap_or("");
    if simple == "AmazonS3Exception" || pkg.contains(".services.s3.") || simple == "S3Exception" {
        return Some("s3");
    }
    const BY_NAME: [(&str, &str); 12] = [
        ("Kinesis", "kinesis"),
        ("DynamoDB", "dynamodb"),
        ("DynamoDb", "dynamodb"),
        ("Glue", "glue"),
        ("CloudWatch", "cloudwatch"),
        ("Sqs", "sqs"),
        ("SQS", "sqs"),
        ("SecretsManager", "secretsmanager"),
        ("SecurityTokenService", "sts"),
        ("Sts", "sts"),
        ("KMS", "kms"),
        ("Kms", "kms"),
    ];
    BY_NAME.iter().find(|(word, _)| simple.contains(word)).map(|(_, s)| *s)
}

/// The SDK (or client) generation a class name shows.
fn sdk_of(text: &str) -> Option<&'static str> {
    if text.contains("emr.hadoop.fs.shaded.com.amazonaws") {
        Some("v1 (EMRFS-shaded)")
    } else if text.contains("flink.fs.s3") && text.contains("shaded.com.amazonaws") {
        Some("v1 (Flink-shaded)")
    } else if text.contains("shaded.databricks") || text.contains("com.databricks.") && text.contains("amazonaws") {
        Some("v1 (Databricks-shaded)")
    } else if text.contains("software.amazon.awssdk") {
        Some("v2")
    } else if text.contains("com.amazonaws.") {
        Some("v1")
    } else if text.contains("org.jets3t") {
        Some("jets3t")
    } else if text.contains("io.minio") {
        Some("MinIO")
    } else if text.contains("org.jclouds") {
        Some("jclouds")
    } else {
        None
    }
}

/// The class name with known shading prefixes removed (`com.amazon.ws.emr.hadoop.fs.shaded.com.amazonaws.X` →
/// `com.amazonaws.X`, `shaded.databricks.org.apache.hadoop.fs.s3a.X` → `org.apache.hadoop.fs.s3a.X`).
pub fn unshaded(class: &str) -> &str {
    let mut rest = class;
    while let Some((i, marker)) = ["shaded.", "shade.", "thirdparty.", "relocated.", "repackaged."]
        .iter()
        .filter_map(|m| rest.find(m).filter(|&i| i == 0 || rest.as_bytes()[i - 1] == b'.').map(|i| (i, *m)))
        .min()
    {
        let after = &rest[i + marker.len()..];
        // Skip segments until a usual root package starts.
        let mut tail = after;
        let mut found = None;
        for _ in 0..4 {
            if ["com.", "org.", "software.", "io.", "net.", "javax."].iter().any(|r| tail.starts_with(r)) {
                found = Some(tail);
                break;
            }
            match tail.find('.') {
                Some(dot) => tail = &tail[dot + 1..],
                None => break,
            }
        }
        match found {
            Some(t) => rest = t,
            None => break,
        }
    }
    rest
}

/// The class a linkage error's message names: `com/amazonaws/AmazonClientException` → `com.amazonaws.
/// AmazonClientException`; for method and field errors the owner class (`'void com.x.TransferManager.<init>(…)'`
/// → `com.x.TransferManager`).
pub fn missing_class(error: &str, message: &str) -> Option<String> {
    let method = matches!(error, "NoSuchMethodError" | "NoSuchFieldError" | "AbstractMethodError");
    let message = message.lines().next().unwrap_or("");
    let message = message.strip_prefix("Could not initialize class ").unwrap_or(message);
    let message = message.strip_prefix("Class ").unwrap_or(message);
    let message = message.strip_prefix("tried to access ").unwrap_or(message);
    for raw in message.split(|c: char| c.is_whitespace() || "'\"`(,;".contains(c)) {
        let token = raw.trim_end_matches([':', '.', ')']);
        if !token.contains(['.', '/']) || !token.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let dotted = token.replace('/', ".");
        let mut segments: Vec<&str> = dotted.split('.').filter(|s| !s.is_empty()).collect();
        if segments.len() < 2 || !segments.iter().all(|s| s.chars().all(|c| c.is_alphanumeric() || "_$<>-".contains(c)))
        {
            continue;
        }
        if method && segments.len() > 2 {
            let last = segments[segments.len() - 1];
            if last.starts_with(|c: char| c.is_ascii_lowercase()) || last.starts_with('<') {
                segments.pop();
            }
        }
        if !segments.iter().any(|s| s.starts_with(|c: char| c.is_ascii_uppercase())) {
            continue;
        }
        return Some(segments.join("."));
    }
    None
}

/// For a member error whose message names no class (`NoSuchFieldError: SIGNING_NAME`): the class of the top frame,
/// which is where the stale reference was made.
fn frame_class(ex: &Exception) -> Option<String> {
    let frame = ex.frames.first()?;
    let name = frame.text.split('(').next()?;
    let name = name.rsplit('/').next().unwrap_or(name);
    let (class, _method) = name.rsplit_once('.')?;
    class.contains('.').then(|| class.to_string())
}

/// The package of a dotted class name (everything before the first upper-case segment).
pub fn package_of(class: &str) -> &str {
    let mut end = 0;
    for (i, segment) in class.split('.').enumerate() {
        if segment.starts_with(|c: char| c.is_ascii_uppercase()) {
            break;
        }
        end += segment.len() + usize::from(i > 0);
    }
    &class[..end.min(class.len())]
}

/// `s3a://user:se/cret@bucket/key` → `s3a://bucket/key` (user-info may hold `/`, as AWS secrets do).
fn uri_without_userinfo(scheme: &str, after_scheme: &str) -> String {
    let rest = after_scheme.rsplit_once('@').map_or(after_scheme, |(_, r)| r);
    format!("{scheme}://{}", rest.trim_end_matches(['.', ':']))
}

impl Facts {
    /// Reads the facts of a whole chain: every exception in input order; deeper answers override outer ones.
    pub fn of_chain(chain: &Chain) -> Facts {
        let mut f = Facts::default();
        // Input order (quoted causes sit on their parent's line, after it): deeper answers come later.
        let mut order: Vec<usize> = (0..chain.exceptions.len()).collect();
        order.sort_by_key(|&i| (chain.exceptions[i].line, chain.exceptions[i].depth));
        for i in order {
            f.add_exception(i, &chain.exceptions[i]);
        }
        if let Some(context) = &chain.context {
            // The log line that printed the trace says where, not what S3 answered.
            let mut c = Facts::default();
            c.add_text(None, context);
            f.s3 |= c.s3;
            f.path = f.path.or(c.path);
            for scheme in c.schemes {
                if !f.schemes.contains(&scheme) {
                    f.schemes.push(scheme);
                }
            }
        }
        f
    }

    fn add_exception(&mut self, index: usize, ex: &Exception) {
        let class = unshaded(&ex.class);
        let simple = class.rsplit('.').next().unwrap_or(class);
        if self.sdk.is_none() {
            self.sdk = sdk_of(&ex.class);
        }
        if let Some(service) = service_of_class(class)
            && self.service.is_none()
        {
            self.service = Some(service.to_string());
        }
        if LINKAGE_ERRORS.contains(&simple)
            && let Some(missing) = missing_class(simple, &ex.message)
                .or_else(|| MEMBER_ERRORS.contains(&simple).then(|| frame_class(ex)).flatten())
        {
            // The deepest linkage error is the cause; an outer one only repeats it.
            self.missing_class = Some(unshaded(&missing).to_string());
            self.linkage_error = Some(simple.to_string());
            self.linkage_at = Some(index);
            if self.sdk.is_none() {
                self.sdk = sdk_of(&missing);
            }
        }
        if !self.s3 && mentions_s3(&ex.class) {
            self.s3 = true;
        }
        self.add_text(Some(index), &ex.message);
        for frame in &ex.frames {
            if self.sdk.is_none() {
                self.sdk = sdk_of(&frame.text);
            }
            if !self.s3 && mentions_s3(&frame.text) {
                self.s3 = true;
            }
            if !self.credential_provider && mentions_credential_provider(&frame.text) {
                self.credential_provider = true;
            }
        }
        if !self.credential_provider && mentions_credential_provider(&ex.message) {
            self.credential_provider = true;
        }
    }

    /// Reads the facts of one piece of text (a message or a lone log line); `index` is the exception it belongs to.
    pub fn add_text(&mut self, index: Option<usize>, text: &str) {
        let text = super::header::cut(text, 16 << 10);
        if !self.s3 && mentions_s3(text) {
            self.s3 = true;
        }
        if (text.contains("tatus") || text.contains("ResponseCode") || text.contains("HTTP/"))
            && let Some(c) = STATUS.captures(text)
            && let Some(n) = (1..=4).find_map(|i| c.get(i)).and_then(|m| m.as_str().parse().ok())
        {
            self.status = Some(n);
            self.answer_at = index.or(self.answer_at);
        }
        if (text.contains("rror") || text.contains("<Code>") || text.contains("Request ID"))
            && let Some(c) = ERROR_CODE.captures(text)
            && let Some(m) = (1..=4).find_map(|i| c.get(i))
        {
            let code = canonical_code(m.as_str());
            if !code.is_empty() {
                // A generic code never hides a specific one read before.
                if !(is_generic_code(&code) && self.error_code.as_deref().is_some_and(|c| !is_generic_code(c))) {
                    self.error_code = Some(code);
                }
                self.answer_at = index.or(self.answer_at);
            }
        }
        if text.contains("Service:")
            && let Some(c) = SERVICE.captures(text)
        {
            self.service = Some(canonical_service(&c[1]));
        }
        if (text.contains("equest") || text.contains("RequestId"))
            && let Some(c) = REQUEST_ID.captures(text)
            && let Some(m) = c.get(1).or_else(|| c.get(2))
            && m.as_str() != "null"
        {
            self.request_id = Some(m.as_str().to_string());
        }
        if self.operation.is_none()
            && (text.contains(" on ") || text.contains(" s3"))
            && let Some(c) = OPERATION.captures(text).or_else(|| OPEN_OPERATION.captures(text))
        {
            self.operation = Some(c[1].trim().to_string());
        }
        for c in URI.captures_iter(if text.contains("://") { text } else { "" }).take(8) {
            let scheme = c[1].to_string();
            if self.path.is_none() && !c[2].is_empty() && !c[2].starts_with('/') {
                self.path = Some(uri_without_userinfo(&scheme, &c[2]));
            }
            if !self.schemes.contains(&scheme) {
                self.schemes.push(scheme);
            }
        }
        if text.contains("cheme")
            && let Some(c) = SCHEME_WORD.captures(text)
        {
            let scheme = c[1].to_string();
            if !self.schemes.contains(&scheme) {
                self.schemes.push(scheme);
            }
        }
        if self.host.is_none() {
            if let Some(m) = AWS_HOST.find(if text.contains("amazonaws") { text } else { "" }) {
                self.host = Some(m.as_str().to_string());
            } else if (text.contains("onnect to") || text.contains("HTTP request"))
                && let Some(c) = CONNECT_HOST.captures(text)
            {
                self.host = Some(c[1].to_string());
            }
        }
        if self.region.is_none() {
            if let Some(c) = self.host.as_deref().and_then(|h| HOST_REGION.captures(h)) {
                self.region = Some(c[1].to_string());
            } else if (text.contains("egion") || text.contains("xpecting"))
                && let Some(c) = NAMED_REGION.captures(text)
            {
                self.region = Some(c[1].to_string());
            }
        }
        if self.sdk.is_none() {
            self.sdk = sdk_of(text);
        }
    }

    /// The service, when it is known to be another one than S3 (whether KMS or STS still concern S3 is the
    /// matcher's guard to decide).
    pub fn other_service(&self) -> Option<&str> {
        self.service.as_deref().filter(|s| *s != "s3")
    }

    /// The canonical error code when it says more than the status.
    pub fn specific_code(&self) -> Option<&str> {
        self.error_code.as_deref().filter(|c| !is_generic_code(c))
    }

    /// One sentence of what S3 answered, for the human report: `S3 answered 403 AccessDenied to getFileStatus on
    /// s3a://b/k (request id X, SDK v1)`. `None` when nothing was answered or linked.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.status.is_some() || self.error_code.is_some() {
            let who = match self.service.as_deref() {
                None | Some("s3") => "S3".to_string(),
                Some(other) => other.to_uppercase(),
            };
            let mut answer = format!("{who} answered");
            if let Some(s) = self.status {
                answer.push_str(&format!(" {s}"));
            }
            if let Some(c) = &self.error_code {
                answer.push_str(&format!(" {c}"));
            }
            match (&self.operation, &self.path) {
                (Some(op), Some(p)) => answer.push_str(&format!(" to {op} on {p}")),
                (Some(op), None) => answer.push_str(&format!(" to {op}")),
                (None, Some(p)) => answer.push_str(&format!(" for {p}")),
                (None, None) => {}
            }
            parts.push(answer);
        } else if let (Some(err), Some(class)) = (&self.linkage_error, &self.missing_class) {
            parts.push(format!("{err} for {class} (package {})", package_of(class)));
        } else if let Some(p) = &self.path {
            parts.push(format!("while accessing {p}"));
        }
        let mut extra = Vec::new();
        if let Some(h) = &self.host {
            extra.push(format!("endpoint {h}"));
        }
        if let Some(r) = &self.region {
            extra.push(format!("region {r}"));
        }
        if let Some(id) = &self.request_id {
            extra.push(format!("request id {id}"));
        }
        match self.sdk {
            Some(sdk) if sdk.starts_with('v') => extra.push(format!("SDK {sdk}")),
            Some(client) => extra.push(format!("client {client}")),
            None => {}
        }
        if parts.is_empty() && extra.is_empty() {
            return None;
        }
        let mut s = parts.join("; ");
        if !extra.is_empty() {
            if s.is_empty() {
                s = extra.join(", ");
            } else {
                s.push_str(&format!(" ({})", extra.join(", ")));
            }
        }
        Some(s)
    }
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;

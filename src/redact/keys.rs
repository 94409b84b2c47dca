//! Which names hold secrets: configuration keys in every spelling (Hadoop's `fs.s3a.secret.key`, Flink's
//! `s3.secret-key`, Hadoop 2's `fs.s3.awsSecretAccessKey`), the names AWS tools and SDKs use
//! (`aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`, `secretKey`, `-Daws.secretKey`), HTTP headers and query
//! parameters (`Authorization`, `X-Amz-Security-Token`, `X-Amz-Credential`, `X-Amz-Signature`), and near misses
//! of them (`s3.secert-key`, `fs.s3a.secrte.key`, `fs.s3a.proxy.pasword`).
//!
//! A name is split into lower-case words at `.`, `-`, `_`, `/`, `:` and camel-case humps
//! (`awsSecretAccessKey` → `aws secret access key`), and judged by its words, so one rule covers every spelling.

/// What the value of a name is, when it is a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName {
    /// A secret: a secret key, password, session token, signature, SSE-C key.
    Secret,
    /// An AWS access key id (`fs.s3a.access.key`, `aws_access_key_id`): redacted like a secret.
    KeyId,
    /// An HTTP `Authorization` header: its value is a scheme word followed by the credentials.
    Authorization,
}

/// First words of names that describe a problem with a credential rather than hold one (AWS error codes such
/// as `InvalidAccessKeyId`, `ExpiredToken`, `MissingSecurityHeader`).
const DESCRIBES_A_PROBLEM: &[&str] = &[
    "invalid",
    "expired",
    "missing",
    "unknown",
    "malformed",
    "incomplete",
    "bad",
    "wrong",
    "illegal",
    "no",
    "empty",
    "null",
    "unsupported",
    "unrecognized",
];

/// How a name is classified, or `None` when its value is not a credential.
pub fn classify(name: &str) -> Option<SecretName> {
    let words = words(name);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let last = *w.last()?;
    if DESCRIBES_A_PROBLEM.contains(&w[0]) {
        // An error code or message (`InvalidAccessKeyId: …`, `ExpiredToken: …`), not a credential.
        return None;
    }
    let ends = |tail: &[&str]| w.len() >= tail.len() && w[w.len() - tail.len()..] == *tail;
    if w.iter().any(|x| near(x, "secret") || near(x, "password") || matches!(*x, "passwd" | "passphrase" | "oauth2")) {
        return Some(SecretName::Secret);
    }
    if last == "authorization" {
        return Some(SecretName::Authorization);
    }
    let secret_tail = (last == "token" && !w.contains(&"continuation"))
        || matches!(last, "credential" | "apikey" | "privatekey" | "signature")
        || ends(&["encryption", "key"])
        || ends(&["session", "key"])
        || ends(&["api", "key"])
        || ends(&["private", "key"]);
    if secret_tail {
        return Some(SecretName::Secret);
    }
    let access = |i: usize| w.get(i).is_some_and(|x| near(x, "access"));
    let n = w.len();
    let key_id = matches!(last, "accesskeyid" | "accesskey")
        || (n >= 2 && w[n - 1] == "key" && access(n - 2))
        || (n >= 3 && w[n - 1] == "id" && w[n - 2] == "key" && access(n - 3));
    key_id.then_some(SecretName::KeyId)
}

/// True when the value of `name` must be redacted in every output.
pub fn must_redact_key(name: &str) -> bool {
    classify(name).is_some()
}

/// The lower-case words of a name: split at punctuation and at camel-case humps (`AWSSecretKey` → `aws secret
/// key`); a leading `-D` of a Java system property (`-Daws.secretKey`) is dropped.
fn words(name: &str) -> Vec<String> {
    let name = name.strip_prefix("-D").unwrap_or_else(|| name.trim_start_matches('-'));
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let hump = c.is_uppercase()
            && prev.is_some_and(|p| p.is_lowercase() || (p.is_uppercase() && next.is_some_and(char::is_lowercase)));
        if hump && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `word` is `target` or one edit away from it (an insertion, deletion, substitution or swap of neighbours):
/// `secert`, `secrte`, `pasword`. Only for words of five letters or more, so short words never match by accident.
fn near(word: &str, target: &str) -> bool {
    if word == target {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (word.chars().collect(), target.chars().collect());
    if a.len() < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    crate::knowledge::keys::edit_distance(word, target) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_in_every_spelling() {
        for k in [
            "fs.s3a.secret.key",
            "fs.s3a.bucket.prod.secret.key",
            "s3.secret-key",
            "s3.secret.key",
            "fs.s3.awsSecretAccessKey",
            "fs.s3n.awsSecretAccessKey",
            "fs.s3a.session.token",
            "fs.s3a.proxy.password",
            "fs.s3a.encryption.key",
            "fs.s3a.server-side-encryption.key",
            "fs.s3a.server-side-encryption-key",
            "presto.s3.secret-key",
            "aws_secret_access_key",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "aws_session_token",
            "secretKey",
            "-Daws.secretKey",
            "password",
            "X-Amz-Security-Token",
            "X-Amz-Credential",
            "X-Amz-Signature",
            "Credential",
            "Signature",
            "s3.secert-key",
            "fs.s3a.secrte.key",
            "fs.s3a.proxy.pasword",
            "fs.azure.account.oauth2.client.id",
        ] {
            assert_eq!(classify(k), Some(SecretName::Secret), "{k}");
        }
        for k in [
            "fs.s3a.access.key",
            "s3.access-key",
            "fs.s3.awsAccessKeyId",
            "fs.s3n.awsAccessKeyId",
            "aws_access_key_id",
            "AWS_ACCESS_KEY_ID",
            "accessKeyId",
            "-Daws.accessKeyId",
            "fs.s3a.acess.key",
        ] {
            assert_eq!(classify(k), Some(SecretName::KeyId), "{k}");
        }
        assert_eq!(classify("Authorization"), Some(SecretName::Authorization));
    }

    #[test]
    fn ordinary_names_are_not_secret() {
        for k in [
            "fs.s3a.buffer.dir",
            "fs.s3a.endpoint",
            "fs.s3a.encryption.algorithm",
            "s3.entropy.key",
            "fs.s3a.aws.credentials.provider",
            "fs.s3a.delegation.token.binding",
            "hadoop.security.credential.provider.path",
            "fs.s3a.proxy.username",
            "fs.s3a.access.grants.enabled",
            "fs.s3a.accesspoint.required",
            "state.checkpoints.dir",
            "Dir.key",
            "ContinuationToken",
            "InvalidAccessKeyId",
            "ExpiredToken",
            "InvalidToken",
            "PWD",
            "select",
            "Request ID",
            "Status Code",
        ] {
            assert_eq!(classify(k), None, "{k}");
        }
    }

    #[test]
    fn words_split_punctuation_and_humps() {
        assert_eq!(words("fs.s3.awsSecretAccessKey"), ["fs", "s3", "aws", "secret", "access", "key"]);
        assert_eq!(words("AWSSecretKey"), ["aws", "secret", "key"]);
        assert_eq!(words("-Daws.accessKeyId"), ["aws", "access", "key", "id"]);
        assert_eq!(words("X-Amz-Security-Token"), ["x", "amz", "security", "token"]);
    }
}

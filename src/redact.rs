//! Which keys and values are secrets, and how they are shown: at most a 4-character prefix.

use std::sync::LazyLock;

use regex::Regex;

/// How many leading characters of a secret may be shown.
pub const KEEP_CHARS: usize = 4;

/// The shown form of a secret value: its first 4 characters (fewer for short values) and `…`.
pub fn redact_value(value: &str) -> String {
    let n = value.chars().count();
    // Short values show less, so that a short secret is never shown whole.
    let keep = if n >= 16 { KEEP_CHARS } else { n / 4 };
    let prefix: String = value.chars().take(keep).collect();
    format!("{prefix}…")
}

static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (secret | password | passwd | credential$ | session\.token$ | session\.key$ | session-token$
        | (^|\.)token$ | encryption\.key$ | server-side-encryption\.key$ | awssecretaccesskey$
        | apikey | api-key | \.oauth2\. )",
    )
    .expect("valid regex")
});

static ACCESS_KEY_ID_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(access[.-]key$|accesskeyid$|access\.key\.id$)").expect("valid regex"));

/// True when the value of `key` is a secret (secret keys, session tokens, passwords, SSE-C keys):
/// it is never shown beyond a 4-character prefix.
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEY.is_match(key)
}

/// True when `key` holds an AWS access key id (`fs.s3a.access.key`, `s3.access-key`, `fs.s3.awsAccessKeyId`, ...).
/// Key ids are credentials too and are redacted like secrets.
pub fn is_access_key_id_key(key: &str) -> bool {
    ACCESS_KEY_ID_KEY.is_match(key)
}

/// True when the value of `key` must be redacted in every output.
pub fn must_redact_key(key: &str) -> bool {
    is_secret_key(key) || is_access_key_id_key(key)
}

/// AWS access key ids: long-term `AKIA…`, temporary `ASIA…` (and the other documented unique-id prefixes).
pub static AWS_KEY_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{12,}\b").expect("valid regex"));

/// Credentials written into a URI: `s3a://KEY:SECRET@bucket`.
pub static URI_USERINFO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(s3[an]?|s3p)://([^/@\s:]+):([^/@\s]+)@").expect("valid regex"));

/// The byte ranges in `text` that look like credentials whatever key holds them:
/// AWS key ids and the user/password part of `s3a://KEY:SECRET@bucket` URIs.
pub fn credential_like_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = AWS_KEY_ID.find_iter(text).map(|m| (m.start(), m.end())).collect();
    for c in URI_USERINFO.captures_iter(text) {
        for g in [2, 3] {
            if let Some(m) = c.get(g) {
                out.push((m.start(), m.end()));
            }
        }
    }
    out
}

/// Replaces, in `text`, every occurrence of each secret in `secrets` by its redacted form.
/// Used as the last step before any output is written.
/// One pass over `text` (Aho-Corasick, the longest secret winning where several match), so the cost does not
/// grow with the number of secrets times the length of the output.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let patterns: Vec<&str> = secrets.iter().map(String::as_str).filter(|s| s.chars().count() >= 4).collect();
    if patterns.is_empty() {
        return text.to_string();
    }
    let Ok(searcher) =
        aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(&patterns)
    else {
        // Too many patterns for the automaton: the slow way, one secret at a time.
        let mut out = text.to_string();
        for s in patterns {
            if out.contains(s) {
                out = out.replace(s, &redact_value(s));
            }
        }
        return out;
    };
    let mut out = String::with_capacity(text.len());
    searcher.replace_all_with(text, &mut out, |_, found, dst| {
        dst.push_str(&redact_value(found));
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_in_every_spelling() {
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
            "presto.s3.secret-key",
        ] {
            assert!(must_redact_key(k), "{k}");
        }
        for k in ["fs.s3a.access.key", "s3.access-key", "fs.s3.awsAccessKeyId", "fs.s3n.awsAccessKeyId"] {
            assert!(is_access_key_id_key(k), "{k}");
        }
        for k in ["fs.s3a.buffer.dir", "fs.s3a.endpoint", "fs.s3a.encryption.algorithm", "s3.entropy.key"] {
            assert!(!must_redact_key(k), "{k}");
        }
    }

    #[test]
    fn redacted_values_keep_at_most_four_characters() {
        assert_eq!(redact_value("AKIAIOSFODNN7EXAMPLE"), "AKIA…");
        assert_eq!(redact_value("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "wJal…");
        assert_eq!(redact_value("short"), "s…");
        assert_eq!(redact_value("abc"), "…");
    }

    #[test]
    fn finds_key_ids_and_uri_credentials() {
        let t = "s3a://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI@bucket/x and ASIAY34FZKBOKMUTVV7A";
        let r = credential_like_ranges(t);
        assert!(r.contains(&(6, 26)));
        assert!(r.iter().any(|&(s, e)| &t[s..e] == "wJalrXUtnFEMI"));
        assert!(r.iter().any(|&(s, e)| &t[s..e] == "ASIAY34FZKBOKMUTVV7A"));
        assert_eq!(scrub("x=wJalrXUtnFEMI/K7MDENG", &["wJalrXUtnFEMI/K7MDENG".into()]), "x=wJal…");
    }
}

//! Which keys and values are secrets, and how they are shown: at most a 4-character prefix.
//!
//! [`keys`] judges names (every spelling of a credential key, AWS's and HTTP's names, near misses), [`text`]
//! finds secrets in free text by their shape, and [`Scrubber`] is the last line of defence of every output: it
//! replaces any known secret value left, in each escaped form it may take there; [`Fragments`] finds pieces of
//! known secrets in a message.

pub mod fragments;
pub mod keys;
pub mod text;

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

pub use fragments::Fragments;
pub use keys::{SecretName, classify, must_redact_key};
pub use text::{AWS_KEY_ID, mask_json, mask_text, secret_ranges, secret_ranges_with, without_userinfo};

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

/// The text of a user's file quoted in an error message about a place near a secret (an entity name, a tag):
/// whole when it has at most 4 characters, else its first 4 characters and `…`.
pub fn quote_prefix(text: &str) -> String {
    if text.chars().count() <= KEEP_CHARS {
        return text.to_string();
    }
    let prefix: String = text.chars().take(KEEP_CHARS).collect();
    format!("{prefix}…")
}

/// Credentials written into an S3 URI: `s3a://KEY:SECRET@bucket` (what `plaintext-credentials` reports; every
/// URI's user-info is masked by [`mask_text`] whatever its scheme).
pub static URI_USERINFO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(s3[an]?|s3p)://([^/@\s:]+):([^/@\s]+)@").expect("valid regex"));

/// How a secret may be written in an output: as is, JSON-escaped, escaped for a GitHub workflow command, ...
pub type Form = fn(&str) -> String;

/// The secret as is.
pub fn plain(s: &str) -> String {
    s.to_string()
}

/// Replaces every known secret value, in each of the forms it may take in an output, by the same form of its
/// redaction. Built once per output (an Aho-Corasick automaton over all forms of all secrets), so scrubbing is
/// linear in the text whatever the number of secrets.
pub struct Scrubber {
    automaton: Option<AhoCorasick>,
    replacements: Vec<String>,
}

impl Scrubber {
    /// A scrubber for `secrets` (values shorter than 4 characters are left alone: they would match everywhere)
    /// in every form of `forms`.
    pub fn new(secrets: &[String], forms: &[Form]) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut replacements = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in secrets.iter().filter(|s| s.chars().count() >= KEEP_CHARS) {
            let shown = redact_value(s);
            for form in forms {
                let pattern = form(s);
                if seen.insert(pattern.clone()) {
                    patterns.push(pattern);
                    replacements.push(form(&shown));
                }
            }
        }
        let automaton = (!patterns.is_empty())
            .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok())
            .flatten();
        Scrubber { automaton, replacements }
    }

    /// `text` with every form of every secret replaced.
    pub fn scrub(&self, text: &str) -> String {
        match &self.automaton {
            Some(ac) => ac.replace_all(text, &self.replacements),
            None => text.to_string(),
        }
    }
}

/// Replaces, in `text`, every occurrence of each secret in `secrets` by its redacted form.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    Scrubber::new(secrets, &[plain]).scrub(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_values_keep_at_most_four_characters() {
        assert_eq!(redact_value("AKIAIOSFODNN7EXAMPLE"), "AKIA…");
        assert_eq!(redact_value("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "wJal…");
        assert_eq!(redact_value("short"), "s…");
        assert_eq!(redact_value("abc"), "…");
        assert_eq!(quote_prefix("amp"), "amp");
        assert_eq!(quote_prefix("wJalrXUtnFEMI"), "wJal…");
    }

    #[test]
    fn scrubs_every_form_of_every_secret() {
        assert_eq!(scrub("x=wJalrXUtnFEMI/K7MDENG", &["wJalrXUtnFEMI/K7MDENG".into()]), "x=wJal…");
        let quoted: Form = |s| s.replace('"', "\\\"");
        let s = Scrubber::new(&["ab\"cdefghijklmnopq".into(), "abc".into()], &[plain, quoted]);
        assert_eq!(s.scrub(r#"["ab\"cdefghijklmnopq", ab"cdefghijklmnopq, abc]"#), r#"["ab\"c…", ab"c…, abc]"#);
    }
}

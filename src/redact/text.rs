//! Secrets in free text — log lines, exception messages, comments, lines a reader dropped, values of keys that
//! are not credential keys (`env.java.opts: -Daws.secretKey=…`) — found by their shape:
//!
//! * `name=value`, `name: value`, `name:value`, `"name": "value"`, `name => value`, `-Dname=value`, and
//!   `<name>NAME</name> <value>VALUE</value>` (also in a comment, with a misspelt `<vaule>`), whenever the name
//!   holds a credential ([`super::keys::classify`]); an `Authorization` header's credentials after its scheme
//!   word (`Basic …`, `AWS4-HMAC-SHA256 Credential=…`);
//! * the user-info of a URI of any scheme (`s3a://KEY:SECRET@bucket`, `https://admin:pa/ss+w@host`), where the
//!   password may contain `/`, `+`, `:` and `?`;
//! * AWS-shaped ids (`AKIA…`, `ASIA…`, `AROA…` and the other unique-id prefixes).
//!
//! [`secret_ranges`] says where they are, [`mask_text`] replaces each by its 4-character prefix and `…`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::keys::{SecretName, classify};
use super::redact_value;

/// AWS access key ids and other unique ids: long-term `AKIA…`, temporary `ASIA…`, role `AROA…`, user `AIDA…`, …
pub static AWS_KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(AKIA|ASIA|AROA|AIDA|ANPA|AGPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b").expect("valid regex")
});

/// An AWS id cut short at the end of a text (a message shortened for display).
static CUT_KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(AKIA|ASIA|AROA|AIDA|ANPA|AGPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{2,}$").expect("valid regex")
});

/// The byte ranges of `text` that hold secrets (sorted, not overlapping).
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    secret_ranges_with(text, &mut classify)
}

/// [`secret_ranges`] with another judge of names (one that also knows near misses of catalogued keys).
pub fn secret_ranges_with(text: &str, judge: &mut dyn FnMut(&str) -> Option<SecretName>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = AWS_KEY_ID.find_iter(text).map(|m| m.range()).collect();
    out.extend(CUT_KEY_ID.find(text).map(|m| m.range()));
    uri_userinfo(text, &mut out);
    assignments(text, judge, &mut out);
    merge(out)
}

/// `text` with every secret replaced by its redacted form (`wJal…`).
pub fn mask_text(text: &str) -> String {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&text[at..r.start]);
        out.push_str(&redact_value(&text[r.clone()]));
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Masks every string in a JSON document (not the object keys, which are the document's own field names).
pub fn mask_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            let masked = mask_text(s);
            if masked != *s {
                *s = masked;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(mask_json),
        _ => {}
    }
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A character that ends an unquoted value (or a URI's user-info).
fn stops(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>' | b',' | b';' | b'&' | b')' | b']' | b'}' | b'|')
}

/// A redaction is never redacted again (`Prob…`), so masking twice changes nothing.
fn already_masked(value: &str) -> bool {
    value.contains('…')
}

/// The user and password of `scheme://user:password@host`, any scheme. A user alone (`jceks://hdfs@nn/…`,
/// `ssh://git@host`) is not a credential; a key id in that place is still masked as a key id.
fn uri_userinfo(text: &str, out: &mut Vec<Range<usize>>) {
    for info in userinfos(text) {
        for r in [info.user, info.password] {
            if !already_masked(&text[r.clone()]) {
                out.push(r);
            }
        }
    }
}

/// `uri` without its user-info (`s3a://KEY:SE/CRET@bucket/k` → `s3a://bucket/k`), for the rules that take a
/// bucket or host from a URI.
pub fn without_userinfo(uri: &str) -> std::borrow::Cow<'_, str> {
    let infos = userinfos(uri);
    if infos.is_empty() {
        return std::borrow::Cow::Borrowed(uri);
    }
    let mut out = String::with_capacity(uri.len());
    let mut from = 0;
    for info in infos {
        if info.user.start < from {
            continue;
        }
        out.push_str(&uri[from..info.user.start]);
        // A text cut short inside the password has no `@`: `at` is its end.
        from = (info.at + 1).min(uri.len());
    }
    out.push_str(&uri[from..]);
    std::borrow::Cow::Owned(out)
}

/// The user-info of one URI: user, password, and the `@` that ends it.
struct UserInfo {
    user: Range<usize>,
    password: Range<usize>,
    at: usize,
}

/// The `user:password` user-info of every URI in `text`. The password may hold `/`, `?`, `#`, `:` and `+` (AWS secret keys do);
/// `host:9000/path@x` is a port and a path, not a password.
fn userinfos(text: &str) -> Vec<UserInfo> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find("://")).map(|i| from + i) {
        from = i + 3;
        if i == 0 || !b[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let start = i + 3;
        let mut j = start;
        while j < b.len() && !stops(b[j]) && !matches!(b[j], b':' | b'@' | b'/' | b'?' | b'#' | b'\\') {
            j += 1;
        }
        if b.get(j) != Some(&b':') {
            continue;
        }
        let mut at = j + 1;
        while at < b.len() && !stops(b[at]) && b[at] != b'@' && b[at] != b'\\' {
            at += 1;
        }
        // A text cut short (a message shortened for display) may end inside the password.
        let cut_short = at == b.len() || (at + 1 == b.len() && b[at] == b'@');
        if !cut_short
            && (b.get(at) != Some(&b'@') || !b.get(at + 1).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'['))
        {
            continue;
        }
        let password = j + 1..at;
        let digits = b[password.clone()].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && (password.start + digits == password.end || b[password.start + digits] == b'/') {
            continue;
        }
        out.push(UserInfo { user: start..j, password, at });
        from = at + 1;
    }
    out
}

/// Name characters: letters, digits, `_`, `.`, `-`.
fn name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')
}

/// The values of `name=value`-shaped assignments whose name holds a credential.
fn assignments(text: &str, judge: &mut dyn FnMut(&str) -> Option<SecretName>, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() || b[i] == b'-') || (i > 0 && name_char(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && name_char(b[i]) {
            i += 1;
        }
        let name = &text[start..i];
        if let Some(value) = value_after(text, start, i)
            && !value.is_empty()
            && let Some(kind) = judge(name)
        {
            let value = if kind == SecretName::Authorization { after_scheme(text, value) } else { value };
            let v = &text[value.clone()];
            if !v.is_empty() && !v.starts_with("${") && !already_masked(v) {
                out.push(value);
            }
        }
    }
}

/// The value assigned to the name at `start..end`, if a separator follows it.
fn value_after(text: &str, start: usize, end: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let before = start.checked_sub(1).map(|p| b[p]);
    let mut p = end;
    // A quoted name (`"password": …`, `\"password\":…`) takes a quoted value.
    let quote = match before {
        Some(q @ (b'"' | b'\'' | b'`')) if b.get(p) == Some(&q) => {
            p += 1;
            Some(q)
        }
        Some(q @ (b'"' | b'\'')) if b.get(p) == Some(&b'\\') && b.get(p + 1) == Some(&q) => {
            p += 2;
            Some(q)
        }
        _ => None,
    };
    p = skip_blanks(b, p);
    match (b.get(p), b.get(p + 1)) {
        (Some(b'='), Some(b'>')) => p += 2,
        (Some(b'='), next) if next != Some(&b'=') => p += 1,
        (Some(b':'), next) if next != Some(&b':') && next != Some(&b'/') => p += 1,
        (Some(b'<'), Some(b'/')) if quote.is_none() && text[..start].trim_end().ends_with('>') => {
            return xml_value(text, p);
        }
        _ => return None,
    }
    p = skip_blanks(b, p);
    let opened = match b.get(p) {
        Some(b'\\') if matches!(b.get(p + 1), Some(b'"' | b'\'')) => Some((b[p + 1], true)),
        Some(q @ (b'"' | b'\'' | b'`')) => Some((*q, false)),
        _ => None,
    };
    if quote.is_some() && opened.is_none() {
        return None;
    }
    match opened {
        Some((q, escaped)) => {
            let from = p + if escaped { 2 } else { 1 };
            let line_end = text[from..].find(['\n', '\r']).map_or(text.len(), |e| from + e);
            let close = if escaped { [b'\\', q].to_vec() } else { vec![q] };
            let end = b[from..line_end]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(line_end, |e| from + e);
            Some(from..end)
        }
        None => {
            // `…secretKey=VALUE: Forbidden` — the colon is the message's, not the value's.
            let mut end = unquoted_end(b, p);
            while end > p && b[end - 1] == b':' {
                end -= 1;
            }
            Some(p..end)
        }
    }
}

/// The end of an unquoted value: whitespace, a quote, `<`, `,`, `;`, `&`, a closing bracket, or an escape
/// (`\"`, `\n`) of JSON-encoded text.
fn unquoted_end(b: &[u8], from: usize) -> usize {
    let mut e = from;
    while e < b.len() {
        let c = b[e];
        let hard = c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>');
        let escape = c == b'\\' && matches!(b.get(e + 1), Some(b'"' | b'\'' | b'n' | b'r' | b't' | b'\\'));
        if hard || escape || (stops(c) && soft_stop(b, e)) {
            break;
        }
        e += 1;
    }
    e
}

/// `,` `;` `&` `)` `]` `}` `|` end a value only where a separator would: before white space or punctuation, or
/// before the next `name=` (`a=1,b=2`, `?X-Amz-Credential=…&X-Amz-Signature=…`). Inside a secret they are
/// followed by more of it (`pa,ss`, `&amp;` in XML text).
fn soft_stop(b: &[u8], at: usize) -> bool {
    let Some(&next) = b.get(at + 1) else { return true };
    if !(next.is_ascii_alphanumeric() || matches!(next, b'/' | b'+' | b'=' | b'-' | b'_' | b'.')) {
        return true;
    }
    if matches!(b[at], b',' | b';' | b'&') {
        let name = b[at + 1..].iter().take_while(|c| name_char(**c)).count();
        return name > 0 && b.get(at + 1 + name) == Some(&b'=');
    }
    false
}

fn skip_blanks(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && (b[p] == b' ' || b[p] == b'\t') {
        p += 1;
    }
    p
}

/// After `…NAME` + `</name>`: the text of the next element (`<value>`, a misspelt `<vaule>`, CDATA).
fn xml_value(text: &str, p: usize) -> Option<Range<usize>> {
    let close = text[p..].find('>')? + p + 1;
    if !text[p + 2..close - 1].bytes().all(|c| name_char(c) || c == b':') {
        return None;
    }
    let rest = &text[close..];
    let open = close + (rest.len() - rest.trim_start().len());
    let tag = text[open..].strip_prefix('<')?;
    if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let from = open + text[open..].find('>')? + 1;
    if text[..from].ends_with("/>") {
        return None;
    }
    if let Some(inner) = text[from..].strip_prefix("<![CDATA[") {
        let start = text.len() - inner.len();
        return Some(start..inner.find("]]>").map_or(text.len(), |e| start + e));
    }
    let end = text[from..].find('<').map_or(text.len(), |e| from + e);
    Some(from..end)
}

/// An `Authorization` value's credentials: after its scheme word (`Basic`, `Bearer`, `AWS`) when one is there;
/// nothing when they are `Name=value` parameters (`AWS4-HMAC-SHA256 Credential=…, Signature=…`), which are
/// judged by their own names.
fn after_scheme(text: &str, value: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    let word = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
    let word_end = word(value.start);
    if word_end == value.end && b.get(word_end) == Some(&b' ') {
        let from = skip_blanks(b, word_end);
        if from < b.len() && !stops(b[from]) {
            let name_end = word(from);
            let parameter = name_end > from && b.get(name_end) == Some(&b'=') && b.get(name_end + 1) != Some(&b'=');
            return if parameter { from..from } else { from..unquoted_end(b, from) };
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(t: &str) -> String {
        mask_text(t)
    }

    #[test]
    fn assignments_in_log_lines() {
        let t = "fs.s3a.secret.key=Zr8/jKq2abcdefghijkl aws_secret_access_key = Zr8/jKq2abcdefghijkm \
                 X-Amz-Security-Token: IQoJb3JpZ2luX2VjEAAAAAAA password=hunter2hunter2 secretKey=Zr8/jKq2abcdefghijkn \
                 AWS_SECRET_ACCESS_KEY=Zr8/jKq2abcdefghijko";
        let m = masked(t);
        assert!(!m.contains("jKq2"), "{m}");
        assert!(!m.contains("b3JpZ2"), "{m}");
        assert!(!m.contains("hunter2h"), "{m}");
        assert!(m.contains("fs.s3a.secret.key=Zr8/…"), "{m}");
        assert_eq!(masked("secretKey=Zr8/jKq2abcdefgh: Forbidden"), "secretKey=Zr8/…: Forbidden");
        assert!(m.contains("X-Amz-Security-Token: IQoJ…"), "{m}");
    }

    #[test]
    fn quoted_and_json_escaped_values() {
        let m = masked(r#"{"password": "a b c d e f g h", "user": "bob"} {\"secretKey\":\"Zr8/jKq2abcdefgh\"}"#);
        assert!(m.contains(r#""password": "a b…""#), "{m}");
        assert!(m.contains(r#""user": "bob""#), "{m}");
        assert!(!m.contains("jKq2"), "{m}");
        assert!(m.contains(r#"\"secretKey\":\"Zr8/…\"}"#), "{m}");
    }

    #[test]
    fn authorization_headers_and_query_parameters() {
        let m = masked(
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIAQQQQRRRRSSSSTTTT/20240101/us-east-1/s3/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
        );
        assert!(!m.contains("QQQQRRRR") && !m.contains("80f77d5f"), "{m}");
        assert!(m.contains("Authorization: AWS4-HMAC-SHA256 Credential=AKIA…"), "{m}");
        assert!(m.contains("SignedHeaders=host"), "{m}");
        assert!(!masked("Authorization: Basic dXNlcjpwYXNzd29yZA==").contains("cjpw"));
        let q = masked("GET /b/k?X-Amz-Credential=AKIAQQQQRRRRSSSSTTTT%2F2024&X-Amz-Signature=deadbeefdeadbeef&x=1");
        let c = masked("password=ab,cdefghij;klm&amp;nopq, next=1 (secretKey=Zr8/jKq2abcdefgh), x");
        assert_eq!(c, "password=ab,c…, next=1 (secretKey=Zr8/…), x");
        assert!(!q.contains("QQQQ") && !q.contains("beefdead") && q.ends_with("&x=1"), "{q}");
    }

    #[test]
    fn uri_user_info_of_any_scheme() {
        let m = masked("s3a://ASIAQQQQRRRRSSSSTTTT:Zr8/jKq2+abcdefgh@bucket/k https://admin:s3cr3t/pa+ss@minio:9000/");
        assert!(!m.contains("jKq2") && !m.contains("QQQQ") && !m.contains("cr3t/pa"), "{m}");
        assert!(m.contains("@bucket/k") && m.contains("@minio:9000/"), "{m}");
        assert_eq!(without_userinfo("s3a://AKIAX:Zr8/jK+q@bucket/k and s3://b/c"), "s3a://bucket/k and s3://b/c");
        for plain in [
            "jceks://hdfs@batch-nn:8020/user/etl/s3.jceks",
            "ssh://git@github.com/x",
            "http://minio.local:9000/bucket",
            "s3a://bucket/dir/a@b:c",
            "https://host:8443/a/b@c",
            "s3://b/k",
        ] {
            assert_eq!(masked(plain), plain);
        }
    }

    #[test]
    fn java_options_and_xml_pairs() {
        let m = masked("-Xmx1g -Daws.secretKey=Zr8/jKq2abcdefgh -Daws.accessKeyId=ABCDEFGHIJKLMNOP -Dfoo=bar");
        assert!(!m.contains("jKq2") && !m.contains("EFGHIJ") && m.ends_with("-Dfoo=bar"), "{m}");
        let x = masked("<!-- <name>fs.s3a.secret.key</name>\n  <vaule>Zr8/jKq2abcdefgh</vaule> -->");
        assert!(!x.contains("jKq2"), "{x}");
        let c = masked("<name>fs.s3a.secret.key</name><value><![CDATA[Zr8/jKq2 abc]]></value>");
        assert!(!c.contains("jKq2"), "{c}");
    }

    #[test]
    fn any_text_is_masked_without_panicking_and_twice_is_once() {
        let alphabet: Vec<char> = "aZ9/+:@=\"',\\<>&;() \n\té…-_.AKIASIA".chars().collect();
        let mut state: u64 = 7;
        for _ in 0..3000 {
            let len = (state >> 33) as usize % 40;
            let text: String = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    alphabet[(state >> 33) as usize % alphabet.len()]
                })
                .collect();
            let once = masked(&format!("s3a://{text}"));
            assert_eq!(masked(&once), once, "{text:?}");
            let _ = masked(&format!("password={text}"));
            let _ = masked(&text);
        }
    }

    #[test]
    fn the_failure_catalogue_is_left_alone() {
        // `diagnose` masks its whole report, catalogue text included.
        let catalog = crate::knowledge::Catalog::builtin().expect("catalogue");
        for case in &catalog.cases {
            for t in [&case.title, &case.explanation].into_iter().chain(&case.fix) {
                assert_eq!(masked(t), *t, "{}", case.id);
            }
        }
    }

    #[test]
    fn ordinary_text_is_left_alone_and_masking_is_idempotent() {
        for t in [
            "Status Code: 403; Error Code: AccessDenied; Request ID: 4442587FB7D0A2F9",
            "getFileStatus on s3a://bucket/path: Forbidden",
            "Set `fs.s3a.secret.key` and `fs.s3a.access.key`, or use an IAM role",
            "the key `fs.s3a.secret.key`: see the docs",
            "fs.s3a.endpoint=s3.eu-central-1.amazonaws.com",
            "a == b, x :: y, password=${env.PW}",
        ] {
            assert_eq!(masked(t), t);
        }
        assert_eq!(masked("cut: s3a://AROA2VICU2X6T"), "cut: s3a://ARO…");
        assert_eq!(masked("cut: s3a://AROA2VICU2X6TI7V6YS5:QJSoebYEG/3V"), "cut: s3a://AROA…:QJS…");
        assert_eq!(masked("cut: jdbc:postgresql://etl:QJSoebYEG/3V@"), "cut: jdbc:postgresql://…:QJS…@");
        let once = masked("secretKey=Zr8/jKq2abcdefgh AKIAQQQQRRRRSSSSTTTT s3a://u:p4ssw0rdxyz@b/");
        assert_eq!(masked(&once), once);
        assert!(once.contains("AKIA…"), "{once}");
    }
}

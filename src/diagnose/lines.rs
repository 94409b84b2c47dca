//! Evidence outside the classic trace shape: a log line that reports an S3 failure without an exception header
//! (`ERROR Committer: … (Service: S3, Status Code: 403, …)`, MinIO's `ErrorResponse(code=…)`), a class only
//! mentioned in a log line, Clojure's `Execution error (X) at …` header, and exceptions quoted inside another
//! exception's message (`ExecutionException: java.lang.NoSuchMethodError: …`, S3A's `getFileStatus on s3a://b/k:
//! com.amazonaws…AmazonS3Exception: …`), which are causes and are matched as such.

use super::chain::{Chain, Exception, Link, MAX_HEADER_BYTES, MAX_MESSAGE_BYTES};
use super::facts::LINKAGE_ERRORS;
use super::header::{cut, is_bare_throwable_name, is_throwable_name, is_token_byte, may_precede_class};
use super::unwrap::level_of;

/// Words the scan's prefilter searches for, besides exception headers, because a line can report an S3 failure
/// without a class (`ERROR Committer: Access Denied (Service: S3, …)`, `<Code>SlowDown</Code>`, `No FileSystem for
/// scheme: s3`). Kept to rare words: every literal slows the search over ordinary log lines. `Error Code` and
/// `ErrorResponse` are found through the `Error` candidate (see the scan's plausibility check).
/// (`does not exist. Exiting`: the official Flink image's entrypoint refusing an `ENABLE_BUILT_IN_PLUGINS` jar.)
pub(super) const SIGNALS: [&str; 9] = [
    "(Service: ",
    "<Code>",
    "Denied",
    "Forbidden",
    "scheme",
    "Slow Down",
    "SlowDown",
    "HTTP/1.1 ",
    "does not exist. Exiting",
];

/// What makes a line that the prefilter selected evidence on its own.
const LONE_SIGNALS: [&str; 4] = ["Error Code", "ErrorResponse", "Status Code", "does not exist"];

/// How deep quoted exceptions are followed inside one message.
const MAX_QUOTED_DEPTH: usize = 4;

/// Whether a line holds one of the [`SIGNALS`] (or an answer's field names).
pub(super) fn has_signal(text: &str) -> bool {
    // One pass for all words: this runs on every line that ends a trace, the common case in a dense log.
    static WORDS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(SIGNALS.iter().chain(LONE_SIGNALS.iter()))
            .ok()
    });
    match &*WORDS {
        Some(words) => words.is_match(text),
        None => SIGNALS.iter().chain(LONE_SIGNALS.iter()).any(|s| text.contains(s)),
    }
}

/// A one-line "chain" for a line that is evidence on its own, or `None` for an ordinary line.
pub(super) fn lone_line(content: &str, no: usize) -> Option<Chain> {
    let trimmed = content.trim();
    if !has_signal(trimmed) {
        return None;
    }
    let text = cut(trimmed, MAX_MESSAGE_BYTES);
    let (class, message) = match quoted_exception(text) {
        Some((class, rest)) => (class, rest),
        None => ("", text),
    };
    let exception = Exception {
        class: class.to_string(),
        message: message.trim().to_string(),
        line: no,
        message_lines: vec![no],
        frames: Vec::new(),
        link: Link::Head,
        depth: 0,
        parent: None,
        header: cut(trimmed, MAX_HEADER_BYTES).to_string(),
        omitted: 0,
        quoted: false,
    };
    let mut chain = Chain {
        exceptions: vec![exception],
        end_line: no,
        truncated: false,
        level: level_of(trimmed),
        lone: true,
        context: None,
    };
    expand_quoted(&mut chain);
    Some(chain)
}

/// Emits the lone-line chain of `content`, if it is one.
pub(super) fn emit_lone(content: &str, no: usize, emit: &mut dyn FnMut(Chain)) {
    if let Some(chain) = lone_line(content, no) {
        emit(chain);
    }
}

/// Clojure's header: `Execution error (AmazonS3Exception) at com.x.Y/z (Y.java:1).` → the class.
pub(super) fn clojure_header(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix("Execution error (")?;
    let close = rest.find(')')?;
    let class = &rest[..close];
    let tail = rest[close + 1..].trim_start();
    (!class.is_empty() && class.bytes().all(is_token_byte) && (tail.is_empty() || tail.starts_with("at ")))
        .then_some(class)
}

/// The first exception class quoted in `text` as a header would write it (`pkg.FooException:` or `FooException:`
/// with a message, or at the very end): the class and the message after it.
pub(super) fn quoted_exception(text: &str) -> Option<(&str, &str)> {
    if !["Exception", "Error", "Throwable"].iter().any(|w| text.contains(w)) {
        return None;
    }
    let bytes = text.as_bytes();
    // A quoted header ends at a `:` (or at the end of the text): look only at the name right before each.
    let ends = memchr::memchr_iter(b':', bytes).chain(std::iter::once(bytes.len()));
    for colon in ends {
        let mut end = colon;
        if colon == bytes.len() {
            end = text.trim_end().len();
        } else if !(colon + 1 == bytes.len() || matches!(bytes[colon + 1], b' ' | b'\t' | b'\n')) {
            continue;
        }
        let mut start = end;
        while start > 0 && is_token_byte(bytes[start - 1]) {
            start -= 1;
        }
        while end > start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        if start == end || (start > 0 && !may_precede_class(bytes[start - 1])) {
            continue;
        }
        let name = &text[start..end];
        if is_throwable_name(name) || is_bare_throwable_name(name) {
            let rest = text.get(colon + 1..).unwrap_or("");
            return Some((name, rest.trim_start()));
        }
    }
    None
}

/// Adds, for every exception whose message quotes another exception, that exception as its cause (and so on,
/// [`MAX_QUOTED_DEPTH`] deep). Quoted causes are marked [`Exception::quoted`] and share their parent's line.
pub(super) fn expand_quoted(chain: &mut Chain) {
    let original = chain.exceptions.len();
    for index in 0..original {
        let mut parent = index;
        for _ in 0..MAX_QUOTED_DEPTH {
            if chain.exceptions.len() >= super::chain::MAX_CHAIN_EXCEPTIONS {
                return;
            }
            let p = &chain.exceptions[parent];
            let simple = p.class.rsplit('.').next().unwrap_or(&p.class);
            if LINKAGE_ERRORS.contains(&simple) {
                // Its message is the name of the class that failed to link, not a cause.
                break;
            }
            let Some((class, message)) = quoted_exception(&p.message) else { break };
            // The trace's own `Caused by:` already says it.
            let told = chain.exceptions.iter().any(|e| e.parent == Some(parent) && !e.quoted && e.class == class);
            if told {
                break;
            }
            let quoted = Exception {
                class: class.to_string(),
                message: message.to_string(),
                line: p.line,
                message_lines: vec![p.line],
                frames: Vec::new(),
                link: Link::CausedBy,
                depth: p.depth + 1,
                parent: Some(parent),
                header: p.header.clone(),
                omitted: 0,
                quoted: true,
            };
            chain.exceptions.push(quoted);
            parent = chain.exceptions.len() - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_without_a_class_is_evidence_when_it_reports_an_answer() {
        let chain = lone_line(
            "2024-05-02 10:00:01 ERROR FileOutputCommitter: Access Denied (Service: S3, Status Code: 403, Request ID: X1)",
            7,
        )
        .expect("evidence");
        assert!(chain.lone);
        assert_eq!(chain.exceptions[0].class, "");
        assert_eq!(chain.level, Some(super::super::chain::Level::Error));
        assert!(lone_line("2024-05-02 10:00:01 INFO Task: switched to RUNNING", 8).is_none());
    }

    #[test]
    fn quoted_exceptions_become_causes() {
        let chains = super::super::scan::parse(
            "java.util.concurrent.ExecutionException: java.lang.NoSuchMethodError: com.amazonaws.services.s3.transfer.TransferManager.<init>(Lcom/amazonaws/services/s3/AmazonS3;)V\n\tat a.b.C.d(C.java:1)\n",
        );
        let chain = &chains[0];
        let classes: Vec<&str> = chain.exceptions.iter().map(|e| e.class.as_str()).collect();
        assert_eq!(classes, ["java.util.concurrent.ExecutionException", "java.lang.NoSuchMethodError"]);
        assert!(chain.exceptions[1].quoted);
        assert_eq!(chain.exceptions[1].parent, Some(0));
        assert!(chain.exceptions[1].message.starts_with("com.amazonaws.services.s3.transfer.TransferManager"));
    }

    #[test]
    fn bare_class_names_and_clojure_headers() {
        assert_eq!(
            quoted_exception("| Error AmazonS3Exception: Forbidden (Service: Amazon S3; Status Code: 403)"),
            Some(("AmazonS3Exception", "Forbidden (Service: Amazon S3; Status Code: 403)"))
        );
        assert_eq!(quoted_exception("the Exception: was logged"), None);
        assert_eq!(
            clojure_header(
                "Execution error (AmazonS3Exception) at com.amazonaws.http.AmazonHttpClient$RequestExecutor/handleErrorResponse (AmazonHttpClient.java:1799)."
            ),
            Some("AmazonS3Exception")
        );
        assert_eq!(clojure_header("Execution error: x"), None);
    }
}

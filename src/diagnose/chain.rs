//! The exception chain model every later stage works on: frames, exceptions linked by `Caused by` /
//! `Suppressed`, whole chains, and the caps that bound one chain's memory.

use std::sync::Arc;

/// Frames kept per chain; later ones are read and dropped, and the chain is marked truncated.
pub const MAX_CHAIN_FRAMES: usize = 2000;
/// Exceptions kept per chain; later ones are read and dropped, and the chain is marked truncated.
pub const MAX_CHAIN_EXCEPTIONS: usize = 256;
/// Bytes of text (headers, messages, frames) kept per chain; what is beyond is dropped, and the chain is marked
/// truncated.
pub const MAX_CHAIN_BYTES: usize = 1 << 20;
/// Bytes of one exception's message kept (continuation lines included); what is beyond is dropped, and the chain
/// is marked truncated.
pub const MAX_MESSAGE_BYTES: usize = 64 << 10;
/// Continuation lines one message may have; a longer run of non-frame lines ends the chain.
pub const MAX_MESSAGE_LINES: usize = 100;
/// Blank lines tolerated inside a chain (before a frame, `... N more` or `Caused by:` carries on).
pub(super) const MAX_BLANK_LINES: usize = 2;
/// Bytes kept of an exception's header line ([`Exception::header`]) and of one frame.
pub(super) const MAX_HEADER_BYTES: usize = 4096;

/// A log record's level, as printed by log4j, logback, JUL and the like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// TRACE / FINEST.
    Trace,
    /// DEBUG / FINE.
    Debug,
    /// INFO.
    Info,
    /// WARN / WARNING.
    Warn,
    /// ERROR / SEVERE.
    Error,
    /// FATAL.
    Fatal,
}

impl Level {
    /// The level a word names (`ERROR`, `WARN`, `[INFO]`, `"level":"error"` after unquoting).
    pub fn from_word(word: &str) -> Option<Level> {
        Some(match word {
            "TRACE" | "trace" | "FINEST" | "FINER" => Level::Trace,
            "DEBUG" | "debug" | "FINE" => Level::Debug,
            "INFO" | "info" => Level::Info,
            "WARN" | "warn" | "WARNING" | "warning" => Level::Warn,
            "ERROR" | "error" | "SEVERE" => Level::Error,
            "FATAL" | "fatal" => Level::Fatal,
            _ => return None,
        })
    }

    /// The level's name as JSON shows it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }

    /// Below WARN: a record that reports, not a failure (retried requests, request metrics).
    pub fn is_informational(self) -> bool {
        self < Level::Warn
    }
}

/// One stack frame line. Its text is shared, not copied, when a chain is copied (repeated traces are read by
/// copying the chain read the first time; see `repeats`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The frame without `at ` and without packaging data, e.g.
    /// `org.apache.hadoop.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410)`.
    pub text: Arc<str>,
    /// Packaging data logback and log4j2 append to a frame, without brackets and `~`, e.g.
    /// `hadoop-aws-3.3.4.jar:?` from `... ~[hadoop-aws-3.3.4.jar:?]`.
    pub packaging: Option<Arc<str>>,
    /// 1-based input line.
    pub line: usize,
}

/// Whether an exception is the head of a chain or linked to the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The first exception of a chain (also a `Caused by:` pasted without what it caused).
    Head,
    /// `Caused by: X` (or the Java exception a `Py4JJavaError` wraps, written `: X`).
    CausedBy,
    /// `Suppressed: X`.
    Suppressed,
}

/// One exception in a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The class as written, e.g. `java.io.IOException`, `o.a.h.fs.s3a.AWSBadRequestException`.
    pub class: String,
    /// The full message; continuation lines joined with `'\n'`, each trimmed of the trace's indentation.
    pub message: String,
    /// 1-based input line of the header (`Caused by: X: msg`, or the line the head was found on).
    pub line: usize,
    /// Input lines the message spans, header line first (one entry for a trace inside a JSON line).
    pub message_lines: Vec<usize>,
    /// The frames, in order.
    pub frames: Vec<Frame>,
    /// How this exception is linked to the one before it.
    pub link: Link,
    /// 0 for the head, 1 for its first `Caused by`, ...; a `Suppressed` one is one deeper than the exception it
    /// is attached to.
    pub depth: usize,
    /// Index in [`Chain::exceptions`] of the exception this one is the cause of or is suppressed by.
    pub parent: Option<usize>,
    /// The header line as written (container prefix removed, trimmed, cut to 4 KiB): evidence to show a user.
    pub header: String,
    /// Frames the trace says it left out (`... 25 more`, `... 25 common frames omitted`).
    pub omitted: usize,
    /// Not a header of its own: quoted inside its parent's message (`Wrapper: pkg.Cause: message`).
    pub quoted: bool,
}

/// A whole chain: head first, then its `Caused by`s in order (`Suppressed` entries included, marked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// The exceptions in input order.
    pub exceptions: Vec<Exception>,
    /// 1-based input line of the chain's last line.
    pub end_line: usize,
    /// Whether frames, exceptions or text were dropped because the chain exceeded a cap.
    pub truncated: bool,
    /// The log level of the line the head was found on, when it has one.
    pub level: Option<Level>,
    /// Not a trace but one log line (no exception header with frames): evidence all the same.
    pub lone: bool,
    /// The line just before the head (the log statement that printed the trace), as context.
    pub context: Option<String>,
}

impl Chain {
    /// The first exception.
    pub fn head(&self) -> Option<&Exception> {
        self.exceptions.first()
    }

    /// The last exception of the head's `Caused by` line (suppressed exceptions and their causes not followed).
    pub fn root_cause(&self) -> Option<&Exception> {
        let mut current = 0;
        let mut found = self.exceptions.first()?;
        while let Some((index, next)) = self
            .exceptions
            .iter()
            .enumerate()
            .skip(current + 1)
            .find(|(_, e)| e.link == Link::CausedBy && e.parent == Some(current))
        {
            current = index;
            found = next;
        }
        Some(found)
    }
}

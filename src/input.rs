//! Every file s3lint reads comes in through here: configuration files, XIncludes, jars, `--config`, `--rules`,
//! `.s3lint.yaml` and the `diagnose` input. Only regular files are opened (a FIFO would block the open or the
//! read forever, a device such as `/dev/zero` never ends), the type is checked before opening and again on the
//! opened handle, which is opened non-blocking, no file yields more than [`MAX_FILE_BYTES`] whatever size it
//! reports, and all the bytes a run takes in — files read, XInclude expansions, `${var}` expansion output,
//! flattened YAML keys — are charged to one [`Budget`].

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::source::{LoadError, SourceFile, io_reason};

/// Largest file s3lint reads; larger ones are refused ("could not check").
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// What one run may take in, all files and expansions together (see [`Budget`]).
pub const RUN_BUDGET_BYTES: u64 = 128 * 1024 * 1024;

/// The bytes one run may still take in: every file read and every expansion (XIncludes, `${var}` output,
/// flattened YAML keys) is charged, so no input, however crafted, makes s3lint use unbounded memory or time.
/// Clones share the same account.
#[derive(Debug, Clone)]
pub struct Budget {
    limit: u64,
    used: Arc<AtomicU64>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(RUN_BUDGET_BYTES)
    }
}

/// A [`Budget`] that is spent: the charge that did not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spent {
    /// The budget's limit in bytes.
    pub limit: u64,
}

impl std::fmt::Display for Spent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3lint reads and expands at most {} in one run", human_bytes(self.limit))
    }
}

impl Budget {
    /// A budget of `limit` bytes.
    pub fn new(limit: u64) -> Self {
        Budget { limit, used: Arc::new(AtomicU64::new(0)) }
    }

    /// The limit in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Bytes charged so far.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Charges `bytes`; `Err` (and nothing charged) when they do not fit in what is left.
    pub fn charge(&self, bytes: u64) -> Result<(), Spent> {
        let mut used = self.used.load(Ordering::Relaxed);
        loop {
            let next = used.saturating_add(bytes);
            if next > self.limit {
                return Err(Spent { limit: self.limit });
            }
            match self.used.compare_exchange_weak(used, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Ok(()),
                Err(now) => used = now,
            }
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Missing, not a regular file, or refused by the system: nothing could be read.
    Unreadable(LoadError),
    /// Readable, but refused by s3lint: binary, not text in its encoding, too large, over the run's budget.
    Refused(LoadError),
}

impl ReadError {
    /// The error, whatever the kind.
    pub fn error(&self) -> &LoadError {
        match self {
            ReadError::Unreadable(e) | ReadError::Refused(e) => e,
        }
    }
}

impl From<ReadError> for LoadError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Unreadable(e) | ReadError::Refused(e) => e,
        }
    }
}

/// What kind of file system object `meta` describes, for messages (`a FIFO (named pipe)`, ...).
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        return "a regular file";
    }
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The reason a non-regular file is refused.
fn not_regular(meta: &Metadata) -> String {
    match kind_of(meta) {
        "a directory" => "is a directory, not a file".to_string(),
        kind => format!("is {kind}, not a regular file; s3lint reads only regular files"),
    }
}

/// Opens `path` for reading if it is a regular file: the type is checked before opening (a FIFO is never
/// opened), the open does not block (`O_NONBLOCK`), and the opened handle is checked again (the path may have
/// been replaced in between). Errors name the file as `display`.
pub fn open_regular(path: &Path, display: &str) -> Result<File, ReadError> {
    let unreadable = |reason: String| ReadError::Unreadable(LoadError::file(display, reason));
    let meta = std::fs::metadata(path).map_err(|e| unreadable(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(unreadable(not_regular(&meta)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| unreadable(io_reason(&e)))?;
    let meta = file.metadata().map_err(|e| unreadable(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(unreadable(not_regular(&meta)));
    }
    Ok(file)
}

/// Reads the whole regular file at `path` — at most [`MAX_FILE_BYTES`], whatever size it reports — and charges
/// the bytes to `budget`.
pub fn read_bytes(path: &Path, display: &str, budget: &Budget) -> Result<Vec<u8>, ReadError> {
    let refused = |reason: String| ReadError::Refused(LoadError::file(display, reason));
    let file = open_regular(path, display)?;
    let reported = file.metadata().map(|m| m.len()).unwrap_or(0);
    if reported > MAX_FILE_BYTES {
        return Err(refused(format!(
            "file is {reported} bytes; configuration files larger than {MAX_FILE_BYTES} bytes are not read"
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(reported).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Unreadable(LoadError::file(display, io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refused(format!("file is larger than {MAX_FILE_BYTES} bytes; such files are not read")));
    }
    budget.charge(bytes.len() as u64).map_err(|spent| refused(format!("not read: {spent}")))?;
    Ok(bytes)
}

/// Reads standard input as the text of the file `display` (`check -`): at most [`MAX_FILE_BYTES`], UTF-8 (a
/// byte-order mark dropped). The bytes are charged to the budget when the text is read as configuration.
pub fn read_stdin_text(display: &str) -> Result<String, LoadError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LoadError::file("-", format!("standard input: {}", io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::file("-", format!("standard input is larger than {MAX_FILE_BYTES} bytes; not read")));
    }
    utf8_text(bytes, Path::new(display), display)
}

/// Reads a text file: [`read_bytes`], then [`utf8_text`].
pub fn read_text(path: &Path, display: &str, budget: &Budget) -> Result<String, ReadError> {
    let bytes = read_bytes(path, display, budget)?;
    utf8_text(bytes, path, display).map_err(ReadError::Refused)
}

/// The text of a UTF-8 file (a byte-order mark dropped); binary data (a NUL byte) and invalid UTF-8 are refused
/// with the position of the first bad byte.
pub fn utf8_text(bytes: Vec<u8>, path: &Path, display: &str) -> Result<String, LoadError> {
    if let Some(nul) = memchr::memchr(0, &bytes) {
        return Err(binary_at(&bytes, nul, path, display));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let probe = SourceFile::new(display, path, String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned());
        LoadError::at(&probe, good, "invalid UTF-8: the file is not text in UTF-8")
    })
}

/// The error for a NUL byte at `nul` of a text file.
pub fn binary_at(bytes: &[u8], nul: usize, path: &Path, display: &str) -> LoadError {
    let probe = SourceFile::new(display, path, String::from_utf8_lossy(&bytes[..nul]).into_owned());
    LoadError::at(&probe, probe.text.len(), "binary data (a NUL byte): this is not a text configuration file")
}

/// `64 MiB`, `512 KiB`, `100 bytes`.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_shared_by_clones_and_refuses_what_does_not_fit() {
        let b = Budget::new(10);
        let c = b.clone();
        assert!(b.charge(6).is_ok());
        assert_eq!(c.charge(5), Err(Spent { limit: 10 }));
        assert!(c.charge(4).is_ok());
        assert_eq!(b.used(), 10);
        assert!(b.charge(0).is_ok());
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = std::env::temp_dir().join(format!("s3lint-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let budget = Budget::default();
        let e = read_bytes(&dir, "d", &budget).expect_err("a directory");
        assert!(matches!(&e, ReadError::Unreadable(e) if e.message.contains("is a directory")), "{e:?}");
        #[cfg(target_os = "linux")]
        {
            let e = read_bytes(Path::new("/dev/zero"), "zero", &budget).expect_err("a device");
            assert!(e.error().message.contains("a character device"), "{e:?}");
        }
        let e = read_bytes(&dir.join("missing"), "m", &budget).expect_err("missing");
        assert!(e.error().message.contains("no such file"), "{e:?}");
        std::fs::write(dir.join("f"), "abc").expect("write");
        assert_eq!(read_bytes(&dir.join("f"), "f", &budget).expect("a file"), b"abc");
        assert_eq!(budget.used(), 3);
        let small = Budget::new(2);
        let e = read_bytes(&dir.join("f"), "f", &small).expect_err("over budget");
        assert!(matches!(&e, ReadError::Refused(e) if e.message.contains("at most 2 bytes")), "{e:?}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn text_is_utf8_without_nul() {
        let p = Path::new("f");
        assert_eq!(utf8_text(b"\xEF\xBB\xBFa: 1".to_vec(), p, "f").expect("bom"), "a: 1");
        let e = utf8_text(b"a\nb\x00".to_vec(), p, "f").expect_err("nul");
        assert_eq!(e.position.map(|p| (p.line, p.column)), Some((2, 2)));
        let e = utf8_text(b"a\nr\xe9".to_vec(), p, "f").expect_err("latin-1");
        assert_eq!(e.position.map(|p| (p.line, p.column)), Some((2, 2)));
        assert_eq!(human_bytes(128 * 1024 * 1024), "128 MiB");
    }
}

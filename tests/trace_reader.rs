//! The streaming trace reader over inputs of realistic size and over hostile ones: a ~20 MB log with three traces
//! buried in it (read whole and in odd-sized pieces), binary data, NUL bytes, invalid UTF-8, and one huge line.

use std::io::{self, Read};

use s3lint::diagnose::chain::{Chain, Link};
use s3lint::diagnose::scan::{MAX_LINE_BYTES, ScanStats, scan};

/// A reader handing out at most `piece` bytes per call, to move line and chunk boundaries around.
struct Pieces<'a> {
    data: &'a [u8],
    piece: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.piece.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn scan_all(input: impl Read) -> (Vec<Chain>, ScanStats) {
    let mut chains = Vec::new();
    let stats = scan(input, |chain| chains.push(chain)).expect("reading from memory cannot fail");
    (chains, stats)
}

/// A Flink TaskManager log of about `target` bytes: ordinary lines (some mentioning errors in prose), with the
/// traces' lines inserted at the given line numbers. Returns the log and its number of lines.
fn flink_log(target: usize, traces: &[(usize, &[&str])]) -> (String, usize) {
    let mut log = String::with_capacity(target + 4096);
    let mut line = 0;
    let mut next = traces.iter().peekable();
    while log.len() < target || next.peek().is_some() {
        if let Some((_, lines)) = next.next_if(|(at, _)| *at == line + 1) {
            for text in *lines {
                log.push_str(text);
                log.push('\n');
                line += 1;
            }
            continue;
        }
        line += 1;
        let (s, ms) = (line / 1000 % 60, line % 1000);
        match line % 7 {
            0 => log.push_str(&format!(
                "2024-03-01 12:{:02}:{s:02},{ms:03} INFO  org.apache.flink.runtime.checkpoint.CheckpointCoordinator [] - Completed checkpoint {line} for job 4f1c2a (183421 bytes, checkpointDuration=412 ms, finalizationTime=3 ms).\n",
                line / 60000 % 60
            )),
            3 => log.push_str(&format!(
                "2024-03-01 12:00:{s:02},{ms:03} WARN  org.apache.flink.runtime.taskmanager.Task [] - Error rate of sink below threshold; ErrorHandler not invoked (line {line}).\n"
            )),
            5 => log.push_str(&format!(
                "2024-03-01 12:00:{s:02},{ms:03} DEBUG org.apache.hadoop.fs.s3a.S3AFileSystem [] - Getting path status for s3a://bucket/checkpoints/4f1c2a/chk-{line}/_metadata (checkpoints/4f1c2a/chk-{line}/_metadata); needEmptyDirectory=false\n"
            )),
            _ => log.push_str(&format!(
                "2024-03-01 12:00:{s:02},{ms:03} INFO  org.apache.flink.streaming.runtime.tasks.StreamTask [] - Sink: s3-sink (1/4)#0 processed record batch {line} without Exception handling needed.\n"
            )),
        }
    }
    (log, line)
}

const TRACE_A: &[&str] = &[
    "2024-03-01 12:10:00,000 ERROR org.apache.flink.runtime.taskmanager.Task [] - Sink: s3-sink (1/4)#0 switched from RUNNING to FAILED.",
    "java.io.IOException: Could not create output stream for s3://bucket/out/part-0-0",
    "\tat org.apache.flink.fs.s3.common.writer.S3RecoverableWriter.open(S3RecoverableWriter.java:90) ~[?:?]",
    "\tat org.apache.flink.streaming.api.functions.sink.filesystem.Bucket.rollPartFile(Bucket.java:226) ~[flink-dist-1.17.1.jar:1.17.1]",
    "Caused by: java.lang.NullPointerException",
    "\tat org.apache.hadoop.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268) ~[?:?]",
    "\t... 2 more",
];

const TRACE_B: &[&str] = &[
    "2024-03-01 12:20:00,000 WARN  org.apache.flink.runtime.checkpoint.CheckpointCoordinator [] - Could not complete checkpoint 42: org.apache.hadoop.fs.s3a.AWSBadRequestException: PUT 0-byte object on checkpoints/: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request (Service: Amazon S3; Status Code: 400; Error Code: 400 Bad Request)",
    "\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:243)",
    "Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request (Service: Amazon S3; Status Code: 400; Error Code: 400 Bad Request)",
    "\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponseHandling(AmazonHttpClient.java:1819)",
    "\t... 20 more",
];

const TRACE_C: &[&str] = &[
    r#"{"@timestamp":"2024-03-01T12:30:00.000Z","level":"ERROR","message":"Job failed","stack_trace":"org.apache.flink.core.fs.UnsupportedFileSystemSchemeException: Could not find a file system implementation for scheme 's3'.\n\tat org.apache.flink.core.fs.FileSystem.getUnguardedFileSystem(FileSystem.java:515)\n\tat org.apache.flink.core.fs.FileSystem.get(FileSystem.java:409)\n"}"#,
];

#[test]
fn finds_exactly_the_three_traces_buried_in_a_20_mb_log() {
    let (log, lines) = flink_log(20 << 20, &[(40_001, TRACE_A), (90_001, TRACE_B), (130_001, TRACE_C)]);
    assert!(log.len() >= 20 << 20);

    let check = |chains: &[Chain], stats: ScanStats| {
        assert_eq!(stats, ScanStats { bytes: log.len() as u64, lines: lines as u64, chains: 3, repeats: 0 });
        let heads: Vec<(usize, &str, usize)> =
            chains.iter().map(|c| (c.exceptions[0].line, c.exceptions[0].class.as_str(), c.exceptions.len())).collect();
        assert_eq!(
            heads,
            [
                (40_002, "java.io.IOException", 2),
                (90_001, "org.apache.hadoop.fs.s3a.AWSBadRequestException", 2),
                (130_001, "org.apache.flink.core.fs.UnsupportedFileSystemSchemeException", 1),
            ]
        );
        let npe = &chains[0].exceptions[1];
        assert_eq!(
            (npe.class.as_str(), npe.line, npe.link, npe.frames.len(), npe.omitted),
            ("java.lang.NullPointerException", 40_005, Link::CausedBy, 1, 2)
        );
        assert_eq!(npe.frames[0].line, 40_006);
        assert_eq!(chains[0].end_line, 40_007);
        let sdk = &chains[1].exceptions[1];
        assert_eq!((sdk.line, sdk.frames[0].line, chains[1].end_line), (90_003, 90_004, 90_005));
        assert_eq!(chains[2].exceptions[0].frames.iter().map(|f| f.line).collect::<Vec<_>>(), [130_001, 130_001]);
    };

    let (chains, stats) = scan_all(log.as_bytes());
    check(&chains, stats);
    // Odd piece sizes put chunk boundaries inside lines and inside the words the search looks for.
    let (pieces, stats) = scan_all(Pieces { data: log.as_bytes(), piece: 65_521 });
    check(&pieces, stats);
    assert_eq!(pieces, chains);
}

#[test]
fn binary_data_and_nul_bytes_do_not_panic() {
    let mut data = Vec::with_capacity(4 << 20);
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    while data.len() < 4 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data.extend_from_slice(&state.to_le_bytes());
        match state % 97 {
            0 => data.extend_from_slice(b"\njava.io.IOException: \xff\xfe\0bad\n\tat a.b.C(\0"),
            1 => data.extend_from_slice(b"Caused by: \0\0Exception\r\n\t... 9"),
            2 => data.extend_from_slice(b"{\"stack_trace\":\"x.y.ZError: \\ud800\\n\\tat "),
            _ => {}
        }
    }
    let (chains, stats) = scan_all(data.as_slice());
    assert_eq!(stats.bytes, data.len() as u64);
    assert_eq!(stats.chains, chains.len() as u64);

    // A real trace with NULs and invalid UTF-8 in it is still read, lossily.
    let text = b"\0\0\0\njava.io.IOException: bad \xff\xfe byte\0s\n\tat a.b.C.d(C.java:1)\n\0\n";
    let (chains, _) = scan_all(&text[..]);
    assert_eq!(chains.len(), 1);
    assert_eq!(chains[0].exceptions[0].message, "bad \u{FFFD}\u{FFFD} byte\0s");
    assert_eq!((chains[0].exceptions[0].line, chains[0].exceptions[0].frames.len()), (2, 1));
}

#[test]
fn a_50_mb_line_is_cut_not_fatal() {
    let mut data = Vec::with_capacity(51 << 20);
    data.extend_from_slice(b"java.io.IOException: ");
    data.resize(50 << 20, b'x');
    data.extend_from_slice(b"\n\tat a.b.C.d(C.java:1)\nordinary\n");
    data.extend_from_slice(&[b'y'; 3 << 20]);
    data.extend_from_slice(b" java.lang.IllegalStateException: after the long lines\n\tat a.b.C.e(C.java:2)");
    let (chains, stats) = scan_all(data.as_slice());
    assert_eq!(stats.lines, 5);
    assert_eq!(chains.len(), 1, "the second header sits beyond the first MAX_LINE_BYTES of its line: {MAX_LINE_BYTES}");
    let e = &chains[0].exceptions[0];
    assert_eq!((e.class.as_str(), e.line, e.frames.len()), ("java.io.IOException", 1, 1));
    assert_eq!(e.frames[0].line, 2);
    assert!(chains[0].truncated);
    assert!(e.message.len() < MAX_LINE_BYTES);
}

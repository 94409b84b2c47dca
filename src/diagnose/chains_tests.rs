//! Tests of the chain reader, through `parse`.

use super::super::header::*;
use super::super::scan::{ScanStats, parse, parse_line_by_line, scan};
use super::super::unwrap::*;
use super::*;

fn one(text: &str) -> Chain {
    let mut chains = parse(text);
    assert_eq!(chains.len(), 1, "chains: {chains:#?}");
    chains.remove(0)
}

fn classes(chain: &Chain) -> Vec<&str> {
    chain.exceptions.iter().filter(|e| !e.quoted).map(|e| e.class.as_str()).collect()
}

#[test]
fn flink_log_prefix_line_then_header_on_next_line() {
    let text = [
        "2024-03-01 12:00:00,900 INFO  org.apache.flink.runtime.taskmanager.Task [] - Sink: s3-sink (1/4)#0 (a1b2) switched from INITIALIZING to RUNNING.",
        "2024-03-01 12:00:01,123 ERROR org.apache.flink.runtime.taskmanager.Task [] - Sink: s3-sink (1/4)#0 (a1b2) switched from RUNNING to FAILED.",
        "java.io.IOException: Could not create output stream for s3://bucket/out/part-0-0",
        "\tat org.apache.flink.fs.s3.common.writer.S3RecoverableWriter.open(S3RecoverableWriter.java:90) ~[?:?]",
        "\tat org.apache.flink.streaming.api.functions.sink.filesystem.Bucket.rollPartFile(Bucket.java:226) ~[flink-dist-1.17.1.jar:1.17.1]",
        "Caused by: org.apache.hadoop.fs.s3a.AWSBadRequestException: PUT 0-byte object  on out/part-0-0: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request (Service: Amazon S3; Status Code: 400; Error Code: 400 Bad Request; Request ID: 5D2B)",
        "\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:243) ~[hadoop-aws-3.3.4.jar:?]",
        "\t... 12 more",
        "Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request (Service: Amazon S3; Status Code: 400; Error Code: 400 Bad Request; Request ID: 5D2B)",
        "\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponseHandling(AmazonHttpClient.java:1819) ~[?:?]",
        "\t... 20 more",
        "2024-03-01 12:00:01,130 INFO  org.apache.flink.runtime.taskmanager.Task [] - Freeing task resources for Sink: s3-sink (1/4)#0 (a1b2).",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(
        classes(&chain),
        [
            "java.io.IOException",
            "org.apache.hadoop.fs.s3a.AWSBadRequestException",
            "com.amazonaws.services.s3.model.AmazonS3Exception"
        ]
    );
    let [head, s3a, sdk] = &chain.exceptions[..] else { panic!() };
    assert_eq!(head.message, "Could not create output stream for s3://bucket/out/part-0-0");
    assert_eq!((head.line, head.link, head.depth, head.parent), (3, Link::Head, 0, None));
    assert_eq!(head.frames.len(), 2);
    assert_eq!(
        &*head.frames[0].text,
        "org.apache.flink.fs.s3.common.writer.S3RecoverableWriter.open(S3RecoverableWriter.java:90)"
    );
    assert_eq!(head.frames[0].packaging.as_deref(), Some("?:?"));
    assert_eq!(head.frames[1].line, 5);
    assert!(s3a.message.starts_with(
        "PUT 0-byte object  on out/part-0-0: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request"
    ));
    assert_eq!((s3a.line, s3a.link, s3a.depth, s3a.parent), (6, Link::CausedBy, 1, Some(0)));
    assert_eq!((s3a.frames.len(), s3a.omitted), (1, 12));
    assert_eq!(s3a.frames[0].packaging.as_deref(), Some("hadoop-aws-3.3.4.jar:?"));
    assert_eq!((sdk.line, sdk.depth, sdk.frames.len(), sdk.omitted), (9, 2, 1, 20));
    assert!(sdk.header.starts_with("Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request"));
    assert_eq!(chain.end_line, 11);
    assert_eq!(chain.root_cause().map(|e| e.line), Some(9));
    assert!(!chain.truncated);
}

#[test]
fn logback_exception_on_the_log_line_after_dash() {
    let text = [
        "2024-03-01 12:00:01.123 WARN  [main] o.a.f.x - java.io.IOException: Failed to rename s3a://bucket/_temporary",
        "\tat org.apache.hadoop.fs.s3a.S3AFileSystem.rename(S3AFileSystem.java:1432)",
        "\tat org.apache.flink.runtime.fs.hdfs.HadoopFileSystem.rename(HadoopFileSystem.java:167)",
        "2024-03-01 12:00:02,001 INFO  o.a.f.r.e.ExecutionGraph [] - Job x (abc) switched from state RUNNING to FAILING with failure cause: org.apache.flink.util.FlinkRuntimeException: Exceeded checkpoint tolerable failure threshold.",
        "\tat org.apache.flink.runtime.checkpoint.CheckpointFailureManager.checkFailureAgainstCounter(CheckpointFailureManager.java:206)",
        "2024-03-01 12:00:03,000 INFO  o.a.f.r.e.ExecutionGraph [] - Restarting.",
    ]
    .join("\n");
    let chains = parse(&text);
    assert_eq!(chains.len(), 2);
    let first = &chains[0].exceptions[0];
    assert_eq!(first.class, "java.io.IOException");
    assert_eq!(first.message, "Failed to rename s3a://bucket/_temporary");
    assert_eq!((first.line, first.frames.len()), (1, 2));
    assert!(first.header.starts_with("2024-03-01 12:00:01.123 WARN  [main] o.a.f.x - java.io.IOException"));
    let second = &chains[1].exceptions[0];
    assert_eq!(second.class, "org.apache.flink.util.FlinkRuntimeException");
    assert_eq!(second.message, "Exceeded checkpoint tolerable failure threshold.");
    assert_eq!((second.line, second.frames.len()), (4, 1));
    assert_eq!(chains[1].end_line, 5);
}

#[test]
fn kubernetes_prefix_on_every_line() {
    let text = [
        "[pod/flink-taskmanager-1-1/flink-main-container] 2024-03-01 12:00:01,123 INFO  org.apache.flink.runtime.taskmanager.Task [] - Source: kafka (1/1) switched from RUNNING to FAILED.",
        "[pod/flink-taskmanager-1-1/flink-main-container] org.apache.hadoop.fs.s3a.AWSClientIOException: doesBucketExist on bucket: com.amazonaws.AmazonClientException: No AWS Credentials provided by BasicAWSCredentialsProvider EnvironmentVariableCredentialsProvider InstanceProfileCredentialsProvider : com.amazonaws.SdkClientException: Unable to load credentials from service endpoint",
        "[pod/flink-taskmanager-1-1/flink-main-container] \tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:177)",
        "[pod/flink-taskmanager-1-1/flink-main-container] \tat org.apache.hadoop.fs.s3a.Invoker.once(Invoker.java:111)",
        "[pod/flink-taskmanager-1-1/flink-main-container] Caused by: com.amazonaws.AmazonClientException: No AWS Credentials provided by BasicAWSCredentialsProvider",
        "[pod/flink-taskmanager-1-1/flink-main-container] \tat org.apache.hadoop.fs.s3a.AWSCredentialProviderList.getCredentials(AWSCredentialProviderList.java:139)",
        "[pod/flink-taskmanager-1-1/flink-main-container] \t... 31 more",
        "[pod/flink-taskmanager-1-1/flink-main-container] 2024-03-01 12:00:01,200 INFO  org.apache.flink.runtime.taskmanager.Task [] - Freeing task resources.",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(
        classes(&chain),
        ["org.apache.hadoop.fs.s3a.AWSClientIOException", "com.amazonaws.AmazonClientException"]
    );
    assert!(chain.exceptions[0].message.starts_with("doesBucketExist on bucket: com.amazonaws.AmazonClientException"));
    assert_eq!((chain.exceptions[0].line, chain.exceptions[0].frames.len()), (2, 2));
    assert_eq!(&*chain.exceptions[0].frames[1].text, "org.apache.hadoop.fs.s3a.Invoker.once(Invoker.java:111)");
    assert_eq!((chain.exceptions[1].line, chain.exceptions[1].frames.len(), chain.exceptions[1].omitted), (5, 1, 31));
    assert_eq!(chain.end_line, 7);
}

#[test]
fn yarn_container_prefix_on_every_line() {
    let text = [
        "container_e08_1709280000000_0001_01_000002: 2024-03-01 12:00:01,123 ERROR org.apache.flink.yarn.YarnTaskExecutorRunner - Fatal error.",
        "container_e08_1709280000000_0001_01_000002: java.lang.RuntimeException: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found",
        "container_e08_1709280000000_0001_01_000002: \tat org.apache.hadoop.conf.Configuration.getClass(Configuration.java:2595)",
        "container_e08_1709280000000_0001_01_000002: \tat org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:3269)",
        "container_e08_1709280000000_0001_01_000002: Caused by: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found",
        "container_e08_1709280000000_0001_01_000002: \tat org.apache.hadoop.conf.Configuration.getClassByName(Configuration.java:2499)",
        "container_e08_1709280000000_0001_01_000002: \t... 2 more",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(classes(&chain), ["java.lang.RuntimeException", "java.lang.ClassNotFoundException"]);
    assert_eq!(
        chain.exceptions[0].message,
        "java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found"
    );
    assert_eq!(chain.exceptions[0].frames.len(), 2);
    assert_eq!(chain.exceptions[1].line, 5);
    assert_eq!(
        chain.exceptions[1].header,
        "Caused by: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found"
    );
}

#[test]
fn docker_compose_and_kubectl_timestamp_prefixes() {
    let text = [
        "flink-jobmanager-1  | 2024-03-01 12:00:01,123 ERROR org.apache.flink.runtime.entrypoint.ClusterEntrypoint [] - Could not start cluster entrypoint.",
        "flink-jobmanager-1  | org.apache.flink.core.fs.UnsupportedFileSystemSchemeException: Could not find a file system implementation for scheme 's3'.",
        "flink-jobmanager-1  | \tat org.apache.flink.core.fs.FileSystem.getUnguardedFileSystem(FileSystem.java:515)",
        "flink-jobmanager-1  | ",
        "2024-03-01T12:00:05.123456789Z java.lang.IllegalArgumentException: AWS Access Key ID and Secret Access Key must be specified",
        "2024-03-01T12:00:05.123457000Z \tat org.apache.hadoop.fs.s3.S3Credentials.initialize(S3Credentials.java:70)",
        "2024-03-01T12:00:05.123458000Z 2024-03-01 12:00:05,124 INFO  org.apache.flink.runtime.Foo [] - next",
    ]
    .join("\n");
    let chains = parse(&text);
    assert_eq!(chains.len(), 2, "{chains:#?}");
    assert_eq!(chains[0].exceptions[0].class, "org.apache.flink.core.fs.UnsupportedFileSystemSchemeException");
    assert_eq!((chains[0].exceptions[0].line, chains[0].exceptions[0].frames.len(), chains[0].end_line), (2, 1, 3));
    assert_eq!(chains[1].exceptions[0].class, "java.lang.IllegalArgumentException");
    assert_eq!((chains[1].exceptions[0].line, chains[1].exceptions[0].frames.len(), chains[1].end_line), (5, 1, 6));
}

#[test]
fn guide_multiline_message_and_space_indented_frames() {
    let text = [
        "java.io.IOException: No file system found with scheme s3,",
        "  referenced in file URI 's3://<bucket>/<endpoint>'.",
        "  at o.a.f.core.fs.FileSystem.get(FileSystem.java:296)",
        "  at o.a.f.core.fs.Path.getFileSystem(Path.java:311)",
        "  at o.a.f.api.common.io.FileOutputFormat.initializeGlobal(FileOutputFormat.java:450)",
        "  at o.a.f.runtime.jobgraph.OutputFormatVertex.initializeOnMaster(OutputFormatVertex.java:89)",
        "  at o.a.f.runtime.jobmanager.JobManager$$anonfun$org$apache$flink$runtime$jobmanager$JobManager$$submitJob$1.apply(JobManager.scala:1024)",
    ]
    .join("\n");
    let chain = one(&text);
    let e = &chain.exceptions[0];
    assert_eq!(e.class, "java.io.IOException");
    assert_eq!(e.message, "No file system found with scheme s3,\nreferenced in file URI 's3://<bucket>/<endpoint>'.");
    assert_eq!(e.message_lines, [1, 2]);
    assert_eq!(e.frames.len(), 5);
    assert_eq!(&*e.frames[0].text, "o.a.f.core.fs.FileSystem.get(FileSystem.java:296)");
    assert_eq!(e.frames[0].line, 3);
    assert_eq!(e.frames[4].line, 7);
}

#[test]
fn guide_caused_by_multiline_message() {
    let text = [
        "org.apache.flink.client.program.ProgramInvocationException: The program execution failed",
        "\tat org.apache.flink.client.program.ClusterClient.run(ClusterClient.java:478)",
        "Caused by: java.io.IOException: No file system found with scheme s3,",
        "  referenced in file URI 's3://<bucket>/<endpoint>'.",
        "  at o.a.f.core.fs.FileSystem.get(FileSystem.java:296)",
        "  ... 25 more",
    ]
    .join("\n");
    let chain = one(&text);
    let cause = &chain.exceptions[1];
    assert_eq!((cause.line, cause.depth, cause.link), (3, 1, Link::CausedBy));
    assert_eq!(
        cause.message,
        "No file system found with scheme s3,\nreferenced in file URI 's3://<bucket>/<endpoint>'."
    );
    assert_eq!(cause.message_lines, [3, 4]);
    assert_eq!((cause.frames.len(), cause.omitted), (1, 25));
}

#[test]
fn guide_abbreviated_packages_and_proxy_frames() {
    let text = [
        "java.lang.IllegalArgumentException: AWS Access Key ID and Secret Access Key must be specified as the username or password (respectively) of a s3n URL, or by setting the fs.s3n.awsAccessKeyId or fs.s3n.awsSecretAccessKey properties (respectively).",
        "  at o.a.h.fs.s3.S3Credentials.initialize(S3Credentials.java:70)",
        "  at o.a.h.fs.s3native.Jets3tNativeFileSystemStore.initialize(Jets3tNativeFileSystemStore.java:80)",
        "  at sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
        "  at sun.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:62)",
        "  at sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
        "  at java.lang.reflect.Method.invoke(Method.java:498)",
        "  at o.a.h.io.retry.RetryInvocationHandler.invokeMethod(RetryInvocationHandler.java:191)",
        "  at o.a.h.io.retry.RetryInvocationHandler.invoke(RetryInvocationHandler.java:102)",
        "  at o.a.h.fs.s3native.$Proxy6.initialize(Unknown Source)",
        "  at o.a.h.fs.s3native.NativeS3FileSystem.initialize(NativeS3FileSystem.java:330)",
        "  at o.a.f.runtime.fs.hdfs.HadoopFileSystem.initialize(HadoopFileSystem.java:321)",
    ]
    .join("\n");
    let chain = one(&text);
    let e = &chain.exceptions[0];
    assert_eq!(e.class, "java.lang.IllegalArgumentException");
    assert!(e.message.ends_with("fs.s3n.awsSecretAccessKey properties (respectively)."));
    assert_eq!(e.frames.len(), 11);
    assert_eq!(&*e.frames[8].text, "o.a.h.fs.s3native.$Proxy6.initialize(Unknown Source)");
    assert_eq!(e.frames[8].line, 10);
    assert_eq!(&*e.frames[2].text, "sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)");
}

#[test]
fn guide_npe_frames_separated_by_trailing_at() {
    let text = [
        "java.io.IOException: Failed to write to s3a://bucket/checkpoints",
        "\tat o.a.f.runtime.state.filesystem.FsCheckpointStreamFactory.createStream(FsCheckpointStreamFactory.java:120)",
        "Caused by: java.lang.NullPointerException at",
        "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268) at",
        "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.getLocalPathForWrite(LocalDirAllocator.java:344) at",
        "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.createTmpFileForWrite(LocalDirAllocator.java:416) at",
        "o.a.h.fs.LocalDirAllocator.createTmpFileForWrite(LocalDirAllocator.java:198) at",
        "o.a.h.fs.s3a.S3AOutputStream.<init>(S3AOutputStream.java:87) at",
        "o.a.h.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410) at",
        "o.a.h.fs.FileSystem.create(FileSystem.java:907) at",
        "o.a.h.fs.FileSystem.create(FileSystem.java:888) at",
        "o.a.h.fs.FileSystem.create(FileSystem.java:785) at",
        "o.a.f.runtime.fs.hdfs.HadoopFileSystem.create(HadoopFileSystem.java:404) at",
        "o.a.f.runtime.fs.hdfs.HadoopFileSystem.create(HadoopFileSystem.java:48) at",
        "... 25 more",
    ]
    .join("\n");
    let chain = one(&text);
    let npe = &chain.exceptions[1];
    assert_eq!(npe.class, "java.lang.NullPointerException");
    assert_eq!(npe.message, "");
    assert_eq!((npe.line, npe.frames.len(), npe.omitted), (3, 11, 25));
    assert_eq!(
        &*npe.frames[0].text,
        "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268)"
    );
    assert_eq!(npe.frames[0].line, 4);
    assert_eq!(&*npe.frames[4].text, "o.a.h.fs.s3a.S3AOutputStream.<init>(S3AOutputStream.java:87)");
    assert_eq!(npe.frames[10].line, 14);
    assert_eq!(chain.end_line, 15);
}

#[test]
fn frames_on_the_same_line_as_the_message() {
    let chain = one(
        "Caused by: java.lang.NullPointerException at o.a.h.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268) at o.a.h.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410) at\no.a.h.fs.FileSystem.create(FileSystem.java:907)",
    );
    let e = &chain.exceptions[0];
    assert_eq!((e.class.as_str(), e.message.as_str(), e.link), ("java.lang.NullPointerException", "", Link::Head));
    assert_eq!(e.frames.iter().map(|f| f.line).collect::<Vec<_>>(), [1, 1, 2]);
    assert_eq!(&*e.frames[1].text, "o.a.h.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410)");
}

#[test]
fn message_ending_in_at_keeps_it_when_no_frame_follows() {
    let text = "java.io.IOException: Bucket not reachable at\n\tat o.a.h.fs.s3a.S3AFileSystem.initialize(S3AFileSystem.java:1)";
    let chain = one(text);
    assert_eq!(chain.exceptions[0].message, "Bucket not reachable at");
    assert_eq!(chain.exceptions[0].frames.len(), 1);
}

#[test]
fn guide_elisions_in_header_and_on_their_own_line() {
    let text = [
        "com.amazonaws.AmazonClientException: Unable to load AWS credentials from any provider in the chain",
        "  at com.amazonaws.auth.AWSCredentialsProviderChain.getCredentials(AWSCredentialsProviderChain.java:117)",
        "  [...]",
        "Caused by: org.jets3t.service.impl.rest.HttpException [...]",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(classes(&chain), ["com.amazonaws.AmazonClientException", "org.jets3t.service.impl.rest.HttpException"]);
    assert_eq!(chain.exceptions[0].frames.len(), 1);
    assert_eq!((chain.exceptions[1].message.as_str(), chain.exceptions[1].line), ("", 4));
    assert_eq!(chain.end_line, 4);
}

#[test]
fn crlf_line_endings() {
    let text = "org.apache.hadoop.fs.UnsupportedFileSystemException: No FileSystem for scheme \"s3\"\r\n\tat org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:3443)\r\n\tat org.apache.hadoop.fs.FileSystem.createFileSystem(FileSystem.java:3466)\r\nCaused by: java.lang.ClassNotFoundException: x\r\n\t... 2 more\r\n";
    let chain = one(text);
    assert_eq!(chain.exceptions[0].message, "No FileSystem for scheme \"s3\"");
    assert_eq!(
        &*chain.exceptions[0].frames[1].text,
        "org.apache.hadoop.fs.FileSystem.createFileSystem(FileSystem.java:3466)"
    );
    assert_eq!(
        (chain.exceptions[1].message.as_str(), chain.exceptions[1].line, chain.exceptions[1].omitted),
        ("x", 4, 2)
    );
}

#[test]
fn json_log_line_with_escaped_trace() {
    let text = [
        r#"{"@timestamp":"2024-03-01T12:00:00.000Z","level":"INFO","message":"Checkpoint 7 started"}"#,
        r#"{"@timestamp":"2024-03-01T12:00:01.123Z","level":"ERROR","logger_name":"org.apache.flink.runtime.taskmanager.Task","message":"Sink failed: java.nio.file.AccessDeniedException: s3a://bucket/out: getFileStatus on s3a://bucket/out","stack_trace":"java.nio.file.AccessDeniedException: s3a://bucket/out: getFileStatus on s3a://bucket/out\n\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:255)\n\tat org.apache.hadoop.fs.s3a.S3AFileSystem.getFileStatus(S3AFileSystem.java:3286)\nCaused by: com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: \"X1\")\n\tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)\n\t... 30 common frames omitted\n"}"#,
        r#"{"@timestamp":"2024-03-01T12:00:02.000Z","level":"INFO","message":"Restarting"}"#,
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(
        classes(&chain),
        ["java.nio.file.AccessDeniedException", "com.amazonaws.services.s3.model.AmazonS3Exception"]
    );
    let cause = &chain.exceptions[1];
    assert_eq!(
        cause.message,
        "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: \"X1\")"
    );
    assert_eq!((cause.line, cause.frames.len(), cause.omitted, cause.depth), (2, 1, 30, 1));
    assert_eq!(chain.exceptions[0].frames.len(), 2);
    assert!(chain.exceptions.iter().flat_map(|e| &e.frames).all(|f| f.line == 2));
    assert_eq!(chain.exceptions[0].message_lines, [2]);
    assert_eq!(chain.end_line, 2);
}

#[test]
fn json_log_line_with_only_a_message_and_unicode_escapes() {
    let text = "{\"level\":\"WARN\",\"message\":\"Retrying: org.apache.hadoop.fs.s3a.AWSBadRequestException: bad \\u00e9 \\ud83d\\ude00\"}";
    let chain = one(text);
    assert_eq!(chain.exceptions[0].class, "org.apache.hadoop.fs.s3a.AWSBadRequestException");
    assert_eq!(chain.exceptions[0].message, "bad \u{e9} \u{1F600}");
    assert_eq!(chain.exceptions[0].line, 1);
}

#[test]
fn pyflink_py4j_error_wraps_the_java_trace() {
    let text = [
        "Traceback (most recent call last):",
        "  File \"/opt/job/word_count.py\", line 42, in <module>",
        "    t_env.execute_sql(\"INSERT INTO sink SELECT * FROM source\").wait()",
        "  File \"/opt/flink/opt/python/py4j-0.10.9.7-src.zip/py4j/protocol.py\", line 326, in get_return_value",
        "py4j.protocol.Py4JJavaError: An error occurred while calling o12.execute.",
        ": org.apache.flink.runtime.client.JobExecutionException: Job execution failed.",
        "\tat org.apache.flink.runtime.jobmaster.JobResult.toJobExecutionResult(JobResult.java:144)",
        "Caused by: org.apache.flink.core.fs.UnsupportedFileSystemSchemeException: Could not find a file system implementation for scheme 's3'.",
        "\tat org.apache.flink.core.fs.FileSystem.getUnguardedFileSystem(FileSystem.java:515)",
        "\t... 9 more",
        "",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(
        classes(&chain),
        [
            "py4j.protocol.Py4JJavaError",
            "org.apache.flink.runtime.client.JobExecutionException",
            "org.apache.flink.core.fs.UnsupportedFileSystemSchemeException"
        ]
    );
    let [py, job, fs] = &chain.exceptions[..] else { panic!() };
    assert_eq!((py.message.as_str(), py.line, py.frames.len()), ("An error occurred while calling o12.execute.", 5, 0));
    assert_eq!((job.message.as_str(), job.line, job.link, job.depth), ("Job execution failed.", 6, Link::CausedBy, 1));
    assert_eq!(job.frames.len(), 1);
    assert_eq!((fs.line, fs.depth, fs.parent, fs.omitted), (8, 2, Some(1), 9));
    assert_eq!(chain.root_cause().map(|e| e.line), Some(8));
}

#[test]
fn many_traces_in_one_log() {
    let text = [
        "2024-03-01 12:00:00,000 INFO  org.apache.flink.runtime.jobmaster.JobMaster [] - Starting execution of job x.",
        "2024-03-01 12:00:01,000 WARN  org.apache.flink.runtime.checkpoint.CheckpointCoordinator [] - Checkpoint 1 failed.",
        "org.apache.flink.runtime.checkpoint.CheckpointException: Asynchronous task checkpoint failed.",
        "\tat org.apache.flink.runtime.checkpoint.PendingCheckpoint.abort(PendingCheckpoint.java:1)",
        "2024-03-01 12:00:02,000 INFO  org.apache.flink.runtime.jobmaster.JobMaster [] - Error rate is fine.",
        "2024-03-01 12:00:03,000 WARN  org.apache.flink.runtime.checkpoint.CheckpointCoordinator [] - Checkpoint 2 failed.",
        "org.apache.flink.runtime.checkpoint.CheckpointException: Asynchronous task checkpoint failed.",
        "\tat org.apache.flink.runtime.checkpoint.PendingCheckpoint.abort(PendingCheckpoint.java:1)",
        "Caused by: java.net.SocketTimeoutException: Read timed out",
        "\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)",
        "",
        "2024-03-01 12:00:04,000 INFO  org.apache.flink.runtime.jobmaster.JobMaster [] - Still running.",
        "software.amazon.awssdk.core.exception.SdkClientException: Unable to execute HTTP request: Connect timed out",
        "\tat software.amazon.awssdk.core.exception.SdkClientException$BuilderImpl.build(SdkClientException.java:111)",
    ]
    .join("\n");
    let chains = parse(&text);
    let heads: Vec<(usize, &str)> =
        chains.iter().map(|c| (c.exceptions[0].line, c.exceptions[0].class.as_str())).collect();
    assert_eq!(
        heads,
        [
            (3, "org.apache.flink.runtime.checkpoint.CheckpointException"),
            (7, "org.apache.flink.runtime.checkpoint.CheckpointException"),
            (13, "software.amazon.awssdk.core.exception.SdkClientException"),
        ]
    );
    assert_eq!(chains[1].exceptions.len(), 2);
    assert_eq!(
        &*chains[1].exceptions[1].frames[0].text,
        "java.base/java.net.SocketInputStream.socketRead0(Native Method)"
    );
    assert_eq!(chains[1].end_line, 10);
}

#[test]
fn prose_and_log_levels_are_not_headers() {
    let text = [
        "Error: disk full",
        "2024-03-01 12:00:00,000 ERROR org.apache.flink.runtime.Foo [] - ERROR while writing",
        "Exception occurred while closing the stream",
        "2024-03-01 12:00:01,000 INFO  org.apache.flink.runtime.Foo [] - Registered class org.apache.flink.MyException",
        "2024-03-01 12:00:02,000 INFO  org.apache.flink.runtime.Foo [] - see https://example.com/java.io.IOException: nothing",
        "2024-03-01 12:00:03,000 INFO  org.apache.flink.runtime.Foo [] - ErrorHandler installed; Throwable handling on",
        "\tat org.apache.flink.Orphan.frame(Orphan.java:1)",
        "Caused by",
        "Caused by: ",
        "Caused by: (nothing)",
    ]
    .join("\n");
    assert_eq!(parse(&text), Vec::<Chain>::new());
}

#[test]
fn known_throwable_names_are_headers() {
    for (line, class) in [
        ("com.amazonaws.SdkClientException: Unable to load credentials", "com.amazonaws.SdkClientException"),
        ("org.jets3t.service.impl.rest.HttpException", "org.jets3t.service.impl.rest.HttpException"),
        // `ThreadDeath` is not a prefilter word (its prefix `Thread` is everywhere); as a cause it is read.
        ("Caused by: java.lang.ThreadDeath", "java.lang.ThreadDeath"),
        ("java.lang.Throwable: x", "java.lang.Throwable"),
        (
            "Exception in thread \"main\" java.lang.NoClassDefFoundError: com/amazonaws/AmazonClientException",
            "java.lang.NoClassDefFoundError",
        ),
        ("org.apache.flink.Outer$InnerError: x", "org.apache.flink.Outer$InnerError"),
    ] {
        let chain = one(line);
        assert_eq!(chain.exceptions[0].class, class, "{line}");
    }
}

#[test]
fn mention_without_trace_is_dropped_but_with_trace_kept() {
    let text = "2024-03-01 12:00:00,000 ERROR x [] - Uncaught error in thread main java.lang.OutOfMemoryError\n\tat java.util.Arrays.copyOf(Arrays.java:3236)";
    let chain = one(text);
    assert_eq!(
        (chain.exceptions[0].class.as_str(), chain.exceptions[0].frames.len()),
        ("java.lang.OutOfMemoryError", 1)
    );
    assert!(parse("2024-03-01 12:00:00,000 INFO x [] - Loaded java.lang.OutOfMemoryError\nnext line").is_empty());
}

#[test]
fn suppressed_exceptions_and_their_causes() {
    let text = [
        "java.io.IOException: Failed to close output stream",
        "\tat org.apache.hadoop.fs.s3a.S3ABlockOutputStream.close(S3ABlockOutputStream.java:421)",
        "\tSuppressed: java.io.IOException: Failed to clean up",
        "\t\tat org.apache.hadoop.fs.s3a.S3AFileSystem.delete(S3AFileSystem.java:2999)",
        "\tCaused by: java.net.UnknownHostException: bucket.s3.amazonaws.com",
        "\t\tat java.net.InetAddress.getAllByName0(InetAddress.java:1281)",
        "\t\t... 3 more",
        "Caused by: com.amazonaws.SdkClientException: Unable to execute HTTP request: bucket.s3.amazonaws.com",
        "\tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)",
        "\t... 1 more",
    ]
    .join("\n");
    let chain = one(&text);
    let summary: Vec<(Link, usize, Option<usize>, usize)> =
        chain.exceptions.iter().map(|e| (e.link, e.depth, e.parent, e.line)).collect();
    assert_eq!(
        summary,
        [
            (Link::Head, 0, None, 1),
            (Link::Suppressed, 1, Some(0), 3),
            (Link::CausedBy, 2, Some(1), 5),
            (Link::CausedBy, 1, Some(0), 8),
        ]
    );
    assert_eq!(chain.root_cause().map(|e| e.class.as_str()), Some("com.amazonaws.SdkClientException"));
}

#[test]
fn orphan_caused_by_starts_a_chain() {
    let text = "\t... 3 more\nCaused by: org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException: No AWS Credentials provided\n\tat org.apache.hadoop.fs.s3a.AWSCredentialProviderList.getCredentials(AWSCredentialProviderList.java:215)";
    let chain = one(text);
    let e = &chain.exceptions[0];
    assert_eq!((e.link, e.depth, e.line, e.frames.len()), (Link::Head, 0, 2, 1));
    assert_eq!(e.message, "No AWS Credentials provided");
}

#[test]
fn unconfirmed_continuation_keeps_only_indented_lines() {
    let text = [
        "java.io.IOException: No file system found with scheme s3,",
        "  referenced in file URI 's3://<bucket>/<endpoint>'.",
        "Some unrelated output",
        "2024-03-01 12:00:00,000 INFO x [] - next",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(
        chain.exceptions[0].message,
        "No file system found with scheme s3,\nreferenced in file URI 's3://<bucket>/<endpoint>'."
    );
    assert_eq!(chain.exceptions[0].message_lines, [1, 2]);
    assert_eq!(chain.end_line, 2);
}

#[test]
fn blank_lines_inside_a_trace_and_after_it() {
    let text = [
        "java.io.IOException: x",
        "\tat a.b.C.d(C.java:1)",
        "",
        "Caused by: java.io.IOException: y",
        "\tat a.b.C.e(C.java:2)",
        "",
        "",
        "",
        "\tat a.b.C.f(C.java:3)",
    ]
    .join("\n");
    let chain = one(&text);
    assert_eq!(chain.exceptions.len(), 2);
    assert_eq!(chain.exceptions[1].frames.len(), 1);
    assert_eq!(chain.end_line, 5);
}

#[test]
fn caps_truncate_a_huge_chain() {
    let mut text = String::from("java.lang.StackOverflowError\n");
    for i in 0..3000 {
        text.push_str(&format!("\tat a.b.C.recurse(C.java:{i})\n"));
    }
    text.push_str("java.io.IOException: after\n\tat a.b.C.d(C.java:1)\n");
    let chains = parse(&text);
    assert_eq!(chains.len(), 2);
    assert_eq!(chains[0].exceptions[0].frames.len(), MAX_CHAIN_FRAMES);
    assert!(chains[0].truncated);
    assert_eq!(chains[0].end_line, 3001);
    assert_eq!(chains[1].exceptions[0].line, 3002);
}

#[test]
fn pathological_lines_stay_linear() {
    let started = std::time::Instant::now();
    let mut text = String::from("java.io.IOException: x");
    text.push_str(&" at a.b(".repeat(100_000));
    text.push('\n');
    text.push_str(&"\tat a.b.C(".repeat(100_000));
    let chain = one(&text);
    assert_eq!(chain.exceptions[0].frames.len(), 1);
    assert_eq!(chain.exceptions[0].frames[0].text.len(), 4096);
    assert!(chain.truncated);
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn scan_reports_stats() {
    let text = "a\nb\njava.io.IOException: x\n\tat a.b.C.d(C.java:1)\nlast";
    let mut seen = Vec::new();
    let stats = scan(text.as_bytes(), |c| seen.push(c)).unwrap_or_default();
    assert_eq!(stats, ScanStats { bytes: text.len() as u64, lines: 5, chains: 1, repeats: 0 });
    assert_eq!(seen[0].exceptions[0].line, 3);
}

#[test]
fn helpers() {
    assert_eq!(elision("... 25 more"), Some(25));
    assert_eq!(elision("... 7 common frames omitted"), Some(7));
    assert_eq!(elision("[...]"), Some(0));
    assert_eq!(elision("at x"), None);
    assert!(looks_like_frame("java.base/java.lang.Thread.run(Thread.java:829)"));
    assert!(looks_like_frame("o.a.f.r.JobMaster$$Lambda$1234/0x0000000800d5d840.apply(Unknown Source)"));
    assert!(!looks_like_frame("the host (x)"));
    assert_eq!(split_packaging("a.B.c(B.java:1) ~[b.jar:1.0]"), ("a.B.c(B.java:1)", Some("b.jar:1.0")));
    assert_eq!(split_packaging("a.B.c(B.java:1) [?:?]"), ("a.B.c(B.java:1)", Some("?:?")));
    assert!(is_throwable_name("o.a.h.fs.s3a.AWSBadRequestException"));
    assert!(!is_throwable_name("Error"));
    assert!(!is_throwable_name("Org.Foo.Error"));
    assert!(!is_throwable_name("a.1b.Error"));
    assert_eq!(strip_prefixes("flink-taskmanager-1  | \tat x").0, "\tat x");
    assert_eq!(strip_prefixes("2024-03-01 | INFO x").0, "2024-03-01 | INFO x");
    assert_eq!(strip_prefixes("[main] INFO x").0, "[main] INFO x");
    assert_eq!(decode_escapes(r#"a\"b\\c\/d\n\ud800x\q"#), "a\"b\\c/d\n\u{FFFD}x\\q");
}

/// Every trace of the corpus, repeated in the ways logs repeat them (after other lines, back to back, with one more
/// frame, cut short, with another prefix, with CRLF): reading repeats fast changes nothing, and does happen.
#[test]
fn repeated_traces_read_as_if_read_line_by_line() {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("fixtures/diagnose")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt" || e == "log") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 250, "{} trace files", files.len());
    let mut text = String::new();
    for file in &files {
        let Ok(trace) = std::fs::read_to_string(file) else { continue };
        let trace = trace.trim_end_matches('\n');
        let cut = trace.rsplit_once('\n').map_or("", |(head, _)| head);
        for copy in [
            trace,
            "2024-05-02 10:00:01,001 INFO  org.apache.flink.runtime.taskmanager.Task [] - RUNNING.",
            trace,
            trace,
            &format!("{trace}\n\tat extra.Frame.call(Frame.java:1)"),
            &format!("{trace}\nCaused by: java.io.IOException: more\n\tat extra.Frame.call(Frame.java:2)"),
            cut,
            trace,
            &trace.replace('\n', "\r\n"),
            &trace.replace('\n', "\r\n"),
            &format!("pod-1  | {}", trace.replace('\n', "\npod-1  | ")),
            "",
            trace,
        ] {
            text.push_str(copy);
            text.push('\n');
        }
    }
    let fast = parse(&text);
    let slow = parse_line_by_line(&text);
    assert_eq!(fast.len(), slow.len());
    for (a, b) in fast.iter().zip(&slow) {
        assert_eq!(a, b);
    }
    let stats = scan(text.as_bytes(), |_| ()).unwrap_or_default();
    assert!(stats.repeats * 4 > stats.chains, "{stats:?}");
}

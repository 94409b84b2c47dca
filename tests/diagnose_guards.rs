//! The diagnoser's guards, one test each: what must NOT be called an S3 filesystem failure even though it looks
//! like one, next to the closest input that must be.

use s3lint::diagnose::diagnose;
use s3lint::knowledge::Catalog;

/// The first diagnosis's case id, or `None`.
fn first(text: &str) -> Option<String> {
    let catalog = Catalog::builtin().unwrap();
    let result = diagnose(text.as_bytes(), &catalog).unwrap();
    result.diagnoses.first().map(|d| d.case.id.clone())
}

const SDK_DEBUG_404: &str = "2024-05-02 10:14:07,331 DEBUG com.amazonaws.request [s3a-transfer-1] - Received error response: com.amazonaws.services.s3.model.AmazonS3Exception: Not Found (Service: Amazon S3; Status Code: 404; Error Code: 404 Not Found; Request ID: 8W2K7Q1H3N5P9R0T; S3 Extended Request ID: abc=; Proxy: null)\n";

#[test]
fn info_and_debug_records_without_a_trace_are_not_failures() {
    // The SDK's request logger prints the error fields of a retried (or expected) response.
    assert_eq!(first(SDK_DEBUG_404), None);
    let info_403 = "23/05/01 10:00:00 INFO S3AFileSystem: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: X1Y2Z3) will be retried\n";
    assert_eq!(first(info_403), None);
    // The same answer logged as an error is one.
    let error_403 = info_403.replace(" INFO ", " ERROR ");
    assert_eq!(first(&error_403).as_deref(), Some("s3-access-denied"));
}

#[test]
fn another_aws_services_answer_is_not_an_s3_failure() {
    let kinesis = "com.amazonaws.services.kinesis.model.AmazonKinesisException: The request signature we calculated does not match the signature you provided. (Service: AmazonKinesis; Status Code: 400; Error Code: InvalidSignatureException; Request ID: 1a2b)\n\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1799)\n\tat org.apache.flink.streaming.connectors.kinesis.proxy.KinesisProxy.getRecords(KinesisProxy.java:271)\n";
    assert_eq!(first(kinesis), None);
    let sts_alone = "com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/msk (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied; Request ID: 9f)\n\tat software.amazon.msk.auth.iam.internals.MSKCredentialProvider.loadCredentials(MSKCredentialProvider.java:150)\n";
    assert_eq!(first(sts_alone), None);
    // STS refusing S3A's assumed-role provider is an S3 failure.
    let sts_in_s3a = sts_alone.replace(
        "software.amazon.msk.auth.iam.internals.MSKCredentialProvider.loadCredentials(MSKCredentialProvider.java:150)",
        "org.apache.hadoop.fs.s3a.auth.AssumedRoleCredentialProvider.<init>(AssumedRoleCredentialProvider.java:159)",
    );
    assert_eq!(first(&sts_in_s3a).as_deref(), Some("s3a-assumed-role-denied"));
}

#[test]
fn the_error_code_beats_the_status() {
    let archived = "java.nio.file.AccessDeniedException: s3a://b/k: open s3a://b/k at 0 on s3a://b/k: com.amazonaws.services.s3.model.AmazonS3Exception: The operation is not valid for the object's storage class (Service: Amazon S3; Status Code: 403; Error Code: InvalidObjectState; Request ID: 1)\n\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:255)\n";
    assert_eq!(first(archived).as_deref(), Some("s3-invalid-object-state"));
    let no_body = archived
        .replace("The operation is not valid for the object's storage class", "Forbidden")
        .replace("Error Code: InvalidObjectState", "Error Code: 403 Forbidden");
    assert_eq!(first(&no_body).as_deref(), Some("s3-forbidden-no-error-body"));
}

#[test]
fn a_404_alone_is_not_a_missing_bucket() {
    let missing_key = "java.io.FileNotFoundException: No such file or directory: s3a://bucket/data/part-0000.csv\n\tat org.apache.hadoop.fs.s3a.S3AFileSystem.s3GetFileStatus(S3AFileSystem.java:3356)\nCaused by: com.amazonaws.services.s3.model.AmazonS3Exception: Not Found (Service: Amazon S3; Status Code: 404; Error Code: 404 Not Found; Request ID: 7A)\n\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1879)\n";
    assert_eq!(first(missing_key), None);
    let missing_bucket = missing_key.replace("Error Code: 404 Not Found", "Error Code: NoSuchBucket");
    assert_eq!(first(&missing_bucket).as_deref(), Some("s3-no-such-bucket"));
}

#[test]
fn an_s3_path_or_s3_frames_alone_prove_nothing() {
    let schema = "org.apache.avro.AvroTypeException: Found long, expecting union\n\tat org.apache.avro.io.ResolvingDecoder.doAction(ResolvingDecoder.java:308)\n\tat org.apache.parquet.avro.AvroReadSupport.prepareForRead(AvroReadSupport.java:140)\n\tat org.apache.hadoop.fs.s3a.S3AInputStream.read(S3AInputStream.java:559)\n\tat org.example.Job.read(Job.java:12) reading s3a://lake/events/part-0.parquet\n";
    assert_eq!(first(schema), None);
    let oom = "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n\tat org.apache.hadoop.fs.s3a.S3ADataBlocks$ByteArrayBlock.write(S3ADataBlocks.java:432)\n\tat org.apache.hadoop.fs.s3a.S3ABlockOutputStream.write(S3ABlockOutputStream.java:330)\n";
    assert_eq!(first(oom), None);
    let conflict = "org.apache.iceberg.exceptions.CommitFailedException: Cannot commit glue.db.events because base metadata location 's3://lake/db/events/metadata/00041.metadata.json' is not same as the current Glue location 's3://lake/db/events/metadata/00042.metadata.json'\n\tat org.apache.iceberg.aws.glue.GlueTableOperations.checkMetadataLocation(GlueTableOperations.java:272)\n";
    assert_eq!(first(conflict), None);
}

#[test]
fn linkage_errors_are_judged_by_the_package_of_the_missing_class() {
    let sdk = "java.lang.NoClassDefFoundError: com/amazonaws/services/s3/model/MultiObjectDeleteException\n\tat java.base/java.lang.Class.forName0(Native Method)\n\tat org.apache.hadoop.conf.Configuration.getClassByNameOrNull(Configuration.java:2625)\n";
    assert_eq!(first(sdk).as_deref(), Some("aws-sdk-v1-missing"));
    let v2 = sdk.replace(
        "com/amazonaws/services/s3/model/MultiObjectDeleteException",
        "software/amazon/awssdk/services/s3/model/S3Exception",
    );
    assert_eq!(first(&v2).as_deref(), Some("aws-sdk-v2-missing"));
    let s3a = "java.lang.RuntimeException: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found\n\tat org.apache.hadoop.conf.Configuration.getClass(Configuration.java:2688)\n";
    assert_eq!(first(s3a).as_deref(), Some("hadoop-s3a-class-not-found"));
    let user = "java.lang.NoClassDefFoundError: com/acme/events/EventSchema\n\tat com.acme.jobs.Enrich.open(Enrich.java:41)\n\tat org.apache.hadoop.fs.s3a.S3AFileSystem.open(S3AFileSystem.java:1102)\n";
    assert_eq!(first(user), None);
}

#[test]
fn generic_sdk_http_and_dns_errors_need_proof_that_s3_is_involved() {
    let pool = "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool\n\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)\n\tat org.elasticsearch.client.RestClient.performRequest(RestClient.java:288)\n";
    assert_eq!(first(pool), None);
    let with_s3 = pool.replace(
        "org.elasticsearch.client.RestClient.performRequest(RestClient.java:288)",
        "com.amazonaws.services.s3.AmazonS3Client.invoke(AmazonS3Client.java:5062)",
    );
    assert_eq!(first(&with_s3).as_deref(), Some("s3-connection-pool-timeout"));
    let dns = "java.net.UnknownHostException: kafka-broker-3.internal: Name or service not known\n\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1302)\n\tat org.apache.kafka.clients.ClientUtils.resolve(ClientUtils.java:110)\n";
    assert_eq!(first(dns), None);
}

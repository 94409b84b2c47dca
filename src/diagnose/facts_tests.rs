//! Facts read from the wordings of SDK v1, v2, jets3t, MinIO and S3A.

use super::super::unwrap::level_of;
use super::*;

fn of(text: &str) -> Facts {
    let mut f = Facts::default();
    f.add_text(Some(0), text);
    f
}

#[test]
fn sdk_v1_service_line() {
    let f = of("getFileStatus on s3a://logs/2024/01: com.amazonaws.services.s3.model.AmazonS3Exception: Forbidden \
                (Service: Amazon S3; Status Code: 403; Error Code: 403 Forbidden; Request ID: 5D2B8C1A; S3 Extended Request ID: x=; Proxy: null), S3 Extended Request ID: x=:403 Forbidden");
    assert_eq!(f.service.as_deref(), Some("s3"));
    assert_eq!(f.status, Some(403));
    assert_eq!(f.error_code.as_deref(), Some("Forbidden"));
    assert_eq!(f.specific_code(), None);
    assert_eq!(f.request_id.as_deref(), Some("5D2B8C1A"));
    assert_eq!(f.operation.as_deref(), Some("getFileStatus"));
    assert_eq!(f.path.as_deref(), Some("s3a://logs/2024/01"));
    assert_eq!(f.sdk, Some("v1"));
    assert!(f.s3);
}

#[test]
fn sdk_v1_old_field_line() {
    let f = of("Status Code: 400, AWS Service: Amazon S3, AWS Request ID: 9A8B7C6D5E, AWS Error Code: \
                AuthorizationHeaderMalformed, AWS Error Message: The authorization header is malformed; the region \
                'us-east-1' is wrong; expecting 'eu-central-1'");
    assert_eq!(f.status, Some(400));
    assert_eq!(f.error_code.as_deref(), Some("AuthorizationHeaderMalformed"));
    assert_eq!(f.request_id.as_deref(), Some("9A8B7C6D5E"));
    assert!(f.s3);
}

#[test]
fn sdk_v2_with_s3a_code_suffix() {
    let f = of("getFileStatus on s3a://b/k: software.amazon.awssdk.services.s3.model.S3Exception: Access Denied \
                (Service: S3, Status Code: 403, Request ID: R1D2E3F4G5, Extended Request ID: abc):AccessDenied");
    assert_eq!(f.service.as_deref(), Some("s3"));
    assert_eq!((f.status, f.error_code.as_deref()), (Some(403), Some("AccessDenied")));
    assert_eq!(f.sdk, Some("v2"));
}

#[test]
fn slow_down_and_moved_permanently_are_canonical() {
    assert_eq!(
        of("(Service: Amazon S3; Status Code: 503; Error Code: 503 Slow Down; Request ID: ABCDEF12)")
            .error_code
            .as_deref(),
        Some("SlowDown")
    );
    let f = of("(Service: Amazon S3; Status Code: 301; Error Code: 301 Moved Permanently; Request ID: ABCDEF12)");
    assert_eq!((f.status, f.error_code.as_deref(), f.specific_code()), (Some(301), Some("MovedPermanently"), None));
}

#[test]
fn jets3t_xml_and_minio_error_response() {
    let f = of("S3 Error Message. -- ResponseCode: 403, ResponseStatus: Forbidden, XML Error Message: <?xml \
                version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code><RequestId>7A1B</RequestId></Error>");
    assert_eq!((f.status, f.error_code.as_deref()), (Some(403), Some("SignatureDoesNotMatch")));
    let f = of(
        "ErrorResponse(code = RequestTimeTooSkewed, message = The difference between the request time and the server's time is too large., bucketName = data)",
    );
    assert_eq!(f.error_code.as_deref(), Some("RequestTimeTooSkewed"));
}

#[test]
fn other_services_are_named() {
    assert_eq!(
        of("(Service: AmazonKinesis; Status Code: 400; Error Code: ResourceNotFoundException)").other_service(),
        Some("kinesis")
    );
    assert_eq!(
        of("(Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)").other_service(),
        Some("sts")
    );
    assert_eq!(
        of("(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)").other_service(),
        Some("kms")
    );
}

#[test]
fn hosts_regions_and_schemes() {
    let f = of(
        "Unable to execute HTTP request: Connect to my-bucket.s3.eu-west-3.amazonaws.com:443 failed: connect timed out",
    );
    assert_eq!(f.host.as_deref(), Some("my-bucket.s3.eu-west-3.amazonaws.com"));
    assert_eq!(f.region.as_deref(), Some("eu-west-3"));
    let f = of("HTTP/1.1 400 Bad Request from s3-eu-central-1.amazonaws.com");
    assert_eq!((f.status, f.region.as_deref()), (Some(400), Some("eu-central-1")));
    let f = of("No FileSystem for scheme \"s3\"");
    assert_eq!(f.schemes, ["s3"]);
}

#[test]
fn uri_user_info_never_reaches_a_fact() {
    let f = of("open s3a://AKIAEXAMPLEKEY0000000:abc/def+ghi@bucket/key: failed");
    assert_eq!(f.path.as_deref(), Some("s3a://bucket/key"));
}

#[test]
fn linkage_errors_name_the_missing_class() {
    assert_eq!(
        missing_class("NoClassDefFoundError", "com/amazonaws/AmazonClientException").as_deref(),
        Some("com.amazonaws.AmazonClientException")
    );
    assert_eq!(
        missing_class("ClassNotFoundException", "Class org.apache.hadoop.fs.s3a.S3AFileSystem not found").as_deref(),
        Some("org.apache.hadoop.fs.s3a.S3AFileSystem")
    );
    assert_eq!(
        missing_class(
            "NoSuchMethodError",
            "'void com.amazonaws.services.s3.transfer.TransferManager.<init>(com.amazonaws.services.s3.AmazonS3, java.util.concurrent.ThreadPoolExecutor)'"
        )
        .as_deref(),
        Some("com.amazonaws.services.s3.transfer.TransferManager")
    );
    assert_eq!(
        missing_class(
            "NoSuchMethodError",
            "com.google.common.base.Preconditions.checkArgument(ZLjava/lang/String;Ljava/lang/Object;)V"
        )
        .as_deref(),
        Some("com.google.common.base.Preconditions")
    );
    assert_eq!(
        missing_class("NoClassDefFoundError", "Could not initialize class org.apache.hadoop.fs.s3a.S3AFileSystem")
            .as_deref(),
        Some("org.apache.hadoop.fs.s3a.S3AFileSystem")
    );
    assert_eq!(package_of("org.apache.flink.fs.s3.common.FlinkS3FileSystem"), "org.apache.flink.fs.s3.common");
    assert_eq!(
        package_of("com.amazonaws.services.s3.transfer.TransferManager$1"),
        "com.amazonaws.services.s3.transfer"
    );
}

#[test]
fn shading_prefixes_are_removed() {
    assert_eq!(
        unshaded("com.amazon.ws.emr.hadoop.fs.shaded.com.amazonaws.services.s3.model.AmazonS3Exception"),
        "com.amazonaws.services.s3.model.AmazonS3Exception"
    );
    assert_eq!(
        unshaded("org.apache.flink.fs.s3base.shaded.com.amazonaws.SdkClientException"),
        "com.amazonaws.SdkClientException"
    );
    assert_eq!(
        unshaded("org.apache.flink.fs.shaded.hadoop3.org.apache.hadoop.fs.s3a.S3AFileSystem"),
        "org.apache.hadoop.fs.s3a.S3AFileSystem"
    );
    assert_eq!(
        unshaded("shaded.databricks.org.apache.hadoop.fs.s3a.S3AFileSystem"),
        "org.apache.hadoop.fs.s3a.S3AFileSystem"
    );
    assert_eq!(unshaded("java.io.IOException"), "java.io.IOException");
}

#[test]
fn levels() {
    assert_eq!(
        level_of("2024-03-01 12:00:01,123 ERROR org.apache.flink.runtime.taskmanager.Task [] - x"),
        Some(Level::Error)
    );
    assert_eq!(level_of("23/05/01 10:00:00 INFO S3AFileSystem: x"), Some(Level::Info));
    assert_eq!(level_of("[main] DEBUG com.amazonaws.request - Received error response"), Some(Level::Debug));
    assert_eq!(level_of("java.io.IOException: x"), None);
}

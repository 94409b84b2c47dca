//! s3lint: a linter for Flink/Hadoop deployments on Amazon S3, and a diagnoser of their stack traces.

pub mod deployment;
pub mod redact;
pub mod source;

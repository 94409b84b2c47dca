//! How Flink's S3 filesystems pass Flink keys to Hadoop's S3A (`flink-s3-fs-hadoop`'s `HadoopConfigLoader`):
//! keys under `s3.`, `s3a.` and `fs.s3a.` are copied under `fs.s3a.`, then a few dashed names are mirrored
//! to Hadoop's dotted names (`fs.s3a.access-key` -> `fs.s3a.access.key`).

/// Flink prefixes that `flink-s3-fs-hadoop` copies to `fs.s3a.`.
const HADOOP_PLUGIN_PREFIXES: [&str; 3] = ["fs.s3a.", "s3a.", "s3."];

/// Dashed keys the Hadoop plugin mirrors to Hadoop's own names.
const MIRRORED: [(&str, &str); 3] = [
    ("fs.s3a.access-key", "fs.s3a.access.key"),
    ("fs.s3a.secret-key", "fs.s3a.secret.key"),
    ("fs.s3a.path-style-access", "fs.s3a.path.style.access"),
];

/// The Hadoop key a Flink key becomes in `flink-s3-fs-hadoop`, or `None` when it is not passed to Hadoop.
pub fn hadoop_key(flink_key: &str) -> Option<String> {
    let prefix = HADOOP_PLUGIN_PREFIXES.iter().find(|p| flink_key.starts_with(*p))?;
    let mapped = format!("fs.s3a.{}", &flink_key[prefix.len()..]);
    Some(MIRRORED.iter().find(|(from, _)| *from == mapped).map(|(_, to)| to.to_string()).unwrap_or(mapped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_like_the_hadoop_plugin() {
        assert_eq!(hadoop_key("s3.access-key").as_deref(), Some("fs.s3a.access.key"));
        assert_eq!(hadoop_key("s3.access.key").as_deref(), Some("fs.s3a.access.key"));
        assert_eq!(hadoop_key("s3.secret-key").as_deref(), Some("fs.s3a.secret.key"));
        assert_eq!(hadoop_key("s3a.buffer.dir").as_deref(), Some("fs.s3a.buffer.dir"));
        assert_eq!(hadoop_key("fs.s3a.endpoint").as_deref(), Some("fs.s3a.endpoint"));
        assert_eq!(hadoop_key("s3.path-style-access").as_deref(), Some("fs.s3a.path.style.access"));
        assert_eq!(hadoop_key("s3.connection.maximum").as_deref(), Some("fs.s3a.connection.maximum"));
        assert_eq!(hadoop_key("state.checkpoints.dir"), None);
        assert_eq!(hadoop_key("fs.s3.impl"), None);
    }
}

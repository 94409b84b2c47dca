//! What `check` looks at: the configuration files and jars of one deployment, read as the real readers read them.

pub mod config;
pub mod environment;
pub mod flink_conf;
pub mod flink_yaml;
pub mod hadoop_xml;

//! The process environment and JVM system properties that Hadoop's `${var}` expansion consults.

use std::collections::BTreeMap;

/// Environment variables and (emulated) JVM system properties, injectable for tests.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// Environment variables (`${env.NAME}`).
    pub vars: BTreeMap<String, String>,
    /// JVM system properties (`${user.name}`, `${java.io.tmpdir}`), consulted before configuration keys.
    pub system_properties: BTreeMap<String, String>,
}

impl Environment {
    /// The current process's environment, and the system properties a JVM on this machine would have.
    pub fn from_process() -> Self {
        let vars: BTreeMap<String, String> = std::env::vars().collect();
        let mut props = BTreeMap::new();
        let user = vars.get("USER").or_else(|| vars.get("LOGNAME")).cloned().unwrap_or_else(|| "root".into());
        props.insert("user.name".to_string(), user);
        if let Some(home) = vars.get("HOME") {
            props.insert("user.home".to_string(), home.clone());
        }
        if let Ok(dir) = std::env::current_dir() {
            props.insert("user.dir".to_string(), dir.display().to_string());
        }
        props.insert("java.io.tmpdir".to_string(), "/tmp".to_string());
        props.insert("file.separator".to_string(), "/".to_string());
        props.insert("path.separator".to_string(), ":".to_string());
        props.insert("line.separator".to_string(), "\n".to_string());
        let os = match std::env::consts::OS {
            "linux" => "Linux",
            "macos" => "Mac OS X",
            "windows" => "Windows",
            other => other,
        };
        props.insert("os.name".to_string(), os.to_string());
        Environment { vars, system_properties: props }
    }

    /// An environment with no variables and only the given system properties (for tests and oracles).
    pub fn with_properties(props: &[(&str, &str)]) -> Self {
        Environment {
            vars: BTreeMap::new(),
            system_properties: props.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }
}

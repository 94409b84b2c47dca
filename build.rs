//! Turns the knowledge base (`rules/failures.yaml`, `keys.yaml`, `aws.yaml`, `jars.yaml`, `images.yaml`) into
//! JSON at build time: the binary parses JSON at start-up in a fraction of the time YAML takes, and start-up is
//! most of what a `check` of one small file (an editor or pre-commit hook on every save) or a `diagnose` of a
//! short trace costs. The YAML stays the source of truth; the knowledge modules' tests compare both readings.

fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set"));
    for name in ["failures", "keys", "aws", "jars", "images"] {
        let path = format!("rules/{name}.yaml");
        println!("cargo:rerun-if-changed={path}");
        let yaml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{path}: {e}"));
        std::fs::write(out.join(format!("{name}.json")), json).expect("OUT_DIR is writable");
    }
}

//! Turns `rules/failures.yaml` into JSON at build time: the binary parses JSON at start-up in a fraction of the
//! time YAML takes (the diagnose of a two-line trace is dominated by start-up). The YAML stays the source of truth.

fn main() {
    println!("cargo:rerun-if-changed=rules/failures.yaml");
    let yaml = std::fs::read_to_string("rules/failures.yaml").expect("rules/failures.yaml is readable");
    let value: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("rules/failures.yaml parses");
    let json = serde_json::to_string(&value).expect("rules/failures.yaml converts to JSON");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set")).join("failures.json");
    std::fs::write(out, json).expect("OUT_DIR is writable");
}

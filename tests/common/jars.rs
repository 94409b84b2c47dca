//! Tiny but real jars for tests: zip files holding exactly the `META-INF/` entries a jar's identity is read from
//! (the manifest, `pom.properties`, `NOTICE`), written the way Maven and `java.util.jar` write them. Used to
//! rebuild pristine distributions from their committed inventories (`tests/data/inventories/`) and to build
//! one-off jars for identity tests.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A fresh, empty scratch directory under the system temp dir (removed first if a previous run left it).
pub fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("s3lint-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Writes a jar at `path` (creating its directory) with these `(entry name, text)` entries, in this order,
/// DEFLATE-compressed as the `jar` tool and Maven write them.
pub fn write_jar(path: &Path, entries: &[(String, String)]) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create jar dir");
    }
    let mut out = Vec::new();
    let mut archive = rawzip::ZipArchiveWriter::new(&mut out);
    for (name, text) in entries {
        let (mut entry, config) = archive
            .new_file(name.as_str())
            .compression_method(rawzip::CompressionMethod::DEFLATE)
            .start()
            .expect("start entry");
        let encoder = flate2::write::DeflateEncoder::new(&mut entry, flate2::Compression::default());
        let mut writer = config.wrap(encoder);
        writer.write_all(text.as_bytes()).expect("write entry");
        let (encoder, descriptor) = writer.finish().expect("finish data");
        encoder.finish().expect("finish deflate");
        entry.finish(descriptor).expect("finish entry");
    }
    archive.finish().expect("finish zip");
    std::fs::write(path, out).expect("write jar");
}

/// A manifest's main section with these attributes, each line at most 72 bytes with continuation lines, as
/// `java.util.jar.Manifest` writes it.
pub fn manifest(attrs: &[(&str, &str)]) -> String {
    let mut text = String::from("Manifest-Version: 1.0\r\n");
    for (k, v) in attrs {
        let line = format!("{k}: {v}");
        let mut rest = line.as_str();
        let mut first = true;
        while !rest.is_empty() {
            let room = if first { 72 } else { 71 };
            let mut cut = rest.len().min(room);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            if !first {
                text.push(' ');
            }
            text.push_str(&rest[..cut]);
            text.push_str("\r\n");
            rest = &rest[cut..];
            first = false;
        }
    }
    text.push_str("\r\n");
    text
}

/// A `pom.properties` as Maven writes it.
pub fn pom_properties(group: &str, artifact: &str, version: &str) -> String {
    format!("#Created by Apache Maven 3.8.6\ngroupId={group}\nartifactId={artifact}\nversion={version}\n")
}

/// The entries of one jar of an inventory (`tests/data/inventories/*.json`): its manifest attributes, every
/// `pom.properties` in its recorded order, and its `NOTICE` list lines.
pub fn inventory_entries(jar: &Value) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    if let Some(attrs) = jar["manifest"].as_object() {
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or(""))).collect();
        entries.push(("META-INF/MANIFEST.MF".to_string(), manifest(&attrs)));
    }
    for pom in jar["poms"].as_array().into_iter().flatten() {
        let field = |k: &str| pom[k].as_str().unwrap_or("");
        let mut text = String::from("#Created by Apache Maven\n");
        for k in ["groupId", "artifactId", "version"] {
            if pom.get(k).is_some() {
                text.push_str(&format!("{k}={}\n", field(k)));
            }
        }
        entries.push((field("entry").to_string(), text));
    }
    if let Some(notice) = jar.get("notice") {
        let lines: Vec<&str> = notice["lines"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let text = format!("This project bundles the following dependencies.\n\n{}\n", lines.join("\n"));
        entries.push((notice["entry"].as_str().unwrap_or("META-INF/NOTICE").to_string(), text));
    }
    entries
}

/// Rebuilds the distribution of one inventory under `dir`: every jar at its recorded path below the home
/// directory the inventory names (`dir/pyspark/jars/...`, `dir/pyflink/lib/...`). Returns the home.
pub fn rebuild_home(inventory: &Value, dir: &Path) -> PathBuf {
    let home = dir.join(inventory["home"].as_str().expect("home"));
    for jar in inventory["jars"].as_array().expect("jars") {
        let path = home.join(jar["path"].as_str().expect("path"));
        write_jar(&path, &inventory_entries(jar));
    }
    home
}

/// The inventories committed under `tests/data/inventories/`, by file stem (`pyspark-3.5.6`).
pub fn inventory(stem: &str) -> Value {
    let path = super::root().join("tests/data/inventories").join(format!("{stem}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

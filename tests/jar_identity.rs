//! Jar identity on real jars' entries (from the committed inventories of pristine distributions): the own
//! `pom.properties` first, then the file name's Maven coordinates confirmed by the manifest, never a manifest
//! title or a bundled artifact's `pom.properties` / manifest.

mod common;

use common::jars::{inventory, inventory_entries, manifest, pom_properties, scratch, write_jar};
use s3lint::deployment::classpath::{IdSource, identify};
use serde_json::Value;

/// Rebuilds one jar of an inventory and identifies it: (coordinates, source).
fn identify_from(inv: &Value, file: &str) -> (String, IdSource) {
    let jar = inv["jars"]
        .as_array()
        .expect("jars")
        .iter()
        .find(|j| j["path"].as_str().is_some_and(|p| p.ends_with(&format!("/{file}"))))
        .unwrap_or_else(|| panic!("{file} is not in the inventory"));
    let dir = scratch(&format!("identity-{file}"));
    let path = dir.join(file);
    write_jar(&path, &inventory_entries(jar));
    let id = identify(&path).expect("readable");
    let _ = std::fs::remove_dir_all(&dir);
    (id.artifact.coordinates(), id.source)
}

#[test]
fn sbt_manifest_titles_do_not_rename_artifacts() {
    let spark = inventory("pyspark-3.5.6");
    // Both manifests say `Implementation-Title: core`.
    assert_eq!(identify_from(&spark, "spire_2.12-0.17.0.jar").0, "org.typelevel:spire_2.12:0.17.0");
    assert_eq!(identify_from(&spark, "algebra_2.12-2.0.1.jar").0, "org.typelevel:algebra_2.12:2.0.1");
    // jdo-api's manifest is titled `javax.jdo`, the artifact id of org.datanucleus:javax.jdo.
    assert_eq!(identify_from(&spark, "jdo-api-3.0.1.jar").0, "jdo-api:3.0.1");
    assert_eq!(
        identify_from(&spark, "javax.jdo-3.2.0-m3.jar"),
        ("org.datanucleus:javax.jdo:3.2.0-m3".to_string(), IdSource::PomProperties)
    );
}

#[test]
fn a_bundled_artifacts_pom_or_manifest_is_not_the_jars_own() {
    let spark = inventory("pyspark-3.5.6");
    // scala-compiler carries only jline's pom.properties.
    assert_eq!(identify_from(&spark, "scala-compiler-2.12.18.jar").0, "scala-compiler:2.12.18");
    // hadoop-client-runtime's manifest is the shaded protobuf's (version 1.1.1).
    assert_eq!(identify_from(&spark, "hadoop-client-runtime-3.3.4.jar").0, "hadoop-client-runtime:3.3.4");
    // An artifact id with a version-like part: the file name starts with `artifactId-version` of its pom.
    assert_eq!(
        identify_from(&spark, "hive-shims-0.23-2.3.9.jar"),
        ("org.apache.hive.shims:hive-shims-0.23:2.3.9".to_string(), IdSource::PomProperties)
    );
    // OSGi's spelling of the version confirms the file name's; the manifest adds the group.
    assert_eq!(identify_from(&spark, "ivy-2.5.1.jar"), ("org.apache:ivy:2.5.1".to_string(), IdSource::Manifest));
    let flink = inventory("apache-flink-libraries-2.2.1");
    assert_eq!(identify_from(&flink, "flink-dist-2.2.1.jar").0, "org.apache.flink:flink-dist:2.2.1");
}

#[test]
fn a_renamed_jar_is_identified_from_its_contents() {
    let dir = scratch("identity-renamed");
    let path = dir.join("s3.jar");
    write_jar(
        &path,
        &[
            ("META-INF/MANIFEST.MF".to_string(), manifest(&[("Implementation-Title", "hadoop-aws")])),
            (
                "META-INF/maven/org.apache.hadoop/hadoop-aws/pom.properties".to_string(),
                pom_properties("org.apache.hadoop", "hadoop-aws", "3.3.4"),
            ),
        ],
    );
    let id = identify(&path).expect("readable");
    assert_eq!(
        (id.artifact.coordinates(), id.source),
        ("org.apache.hadoop:hadoop-aws:3.3.4".into(), IdSource::PomProperties)
    );
    // Without a pom and without a version in its name, the manifest gives the version, not the artifact id.
    let path = dir.join("udfs.jar");
    write_jar(
        &path,
        &[(
            "META-INF/MANIFEST.MF".to_string(),
            manifest(&[("Implementation-Title", "core"), ("Implementation-Version", "1.2.0")]),
        )],
    );
    let id = identify(&path).expect("readable");
    assert_eq!((id.artifact.coordinates(), id.source), ("udfs:1.2.0".into(), IdSource::Manifest));
    let _ = std::fs::remove_dir_all(&dir);
}

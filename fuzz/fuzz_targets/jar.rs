//! Jar identification (zip central directory, manifest, pom.properties, NOTICE) on arbitrary bytes written to a
//! file named like a shaded jar, so the bundled-artifact paths run too.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use s3lint::deployment::classpath;

static PATH: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let dir = base.join(format!("s3lint-fuzz-jar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("flink-s3-fs-hadoop-1.17.2.jar")
});

fuzz_target!(|data: &[u8]| {
    if std::fs::write(&*PATH, data).is_ok() {
        let _ = classpath::identify(&PATH);
    }
});

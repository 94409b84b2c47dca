//! The reader over the real-world-shaped Dockerfiles of `fixtures/readers/dockerfile/`.

use super::*;
use crate::source::SourceFile;

fn read_fixture(name: &str) -> (SourceMap, Image) {
    let path = format!("{}/fixtures/readers/dockerfile/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new(name, &path, text));
    let image = read(&sources, file).unwrap_or_else(|e| panic!("{e}"));
    (sources, image)
}

use crate::deployment::manifest::tests::{every_prefix, pos};

fn read_one(text: &str) -> (SourceMap, Image) {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", text.to_string()));
    let image = read(&sources, file).unwrap_or_else(|e| panic!("{e}"));
    (sources, image)
}

fn text(sources: &SourceMap, at: Location) -> &str {
    &sources.get(at.file).text[at.span.start..at.span.end]
}

fn jar<'a>(image: &'a Image, name: &str) -> &'a ImageJar {
    image.jars.iter().find(|j| j.file_name == name).unwrap_or_else(|| {
        let names: Vec<&str> = image.jars.iter().map(|j| j.path.as_str()).collect();
        panic!("no {name} in {names:?}")
    })
}

#[test]
fn plugin_copied_into_lib_keeps_the_image_version_and_points_at_the_run_line() {
    let (s, image) = read_fixture("flink-plugin-in-lib.Dockerfile");
    let known = image.base.known.as_ref().unwrap();
    assert_eq!((known.product, known.home), (Product::Flink, "/opt/flink"));
    assert_eq!(known.version, Some(TagVersion { version: "1.17.1".into(), exact: true }));
    assert_eq!(pos(&s, image.base.at), "2:6");
    // The build put one jar into lib/, next to the distribution's own flink-dist.
    let in_lib: Vec<&ImageJar> = image.jars.iter().filter(|j| j.place == Place::FlinkLib && j.at.is_some()).collect();
    assert_eq!(in_lib.len(), 1);
    let dist = jar(&image, "flink-dist-1.17.1.jar");
    assert_eq!((dist.place.clone(), dist.at, dist.origin.clone()), (Place::FlinkLib, None, Origin::Base));
    let j = in_lib[0];
    assert_eq!(j.path, "/opt/flink/lib/flink-s3-fs-hadoop-1.17.1.jar");
    assert_eq!(j.artifact.version.as_deref(), Some("1.17.1"));
    assert_eq!(j.version_from, VersionFrom::ImageTag);
    assert_eq!(j.origin, Origin::Base);
    assert_eq!(pos(&s, j.at.unwrap()), "4:5");
    assert_eq!(j.place.jar_place(), Some(crate::deployment::JarPlace::Lib));
    // The distribution's own copy stays in opt/.
    assert!(image.jars.iter().any(|j| j.path == "/opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar"));
    assert!(image.notes.is_empty(), "{:?}", image.notes);
}

#[test]
fn presto_of_another_release_is_read_from_the_maven_url() {
    let (s, image) = read_fixture("flink-presto-other-release.Dockerfile");
    let known = image.base.known.as_ref().unwrap();
    assert_eq!(known.version, Some(TagVersion { version: "1.9".into(), exact: false }), "floating tag: minor only");
    let j = jar(&image, "flink-s3-fs-presto-1.10.0.jar");
    assert_eq!(j.place, Place::FlinkPlugin(Some("s3-fs-presto".into())));
    assert_eq!(j.artifact.group.as_deref(), Some("org.apache.flink"));
    assert_eq!(j.artifact.version.as_deref(), Some("1.10.0"));
    assert_eq!(j.version_from, VersionFrom::MavenUrl);
    assert_eq!(pos(&s, j.at.unwrap()), "5:5", "the wget command, on the continuation line");
    // 1.9 gets no more images: the floating tag is its last patch release, and the image's own presto jar is it.
    let own = image.jars.iter().find(|j| j.place == Place::FlinkOpt && j.file_name.contains("presto")).unwrap();
    assert_eq!(own.file_name, "flink-s3-fs-presto-1.9.3.jar");
    assert_eq!((own.artifact.version.as_deref(), own.version_from), (Some("1.9.3"), VersionFrom::ImageTag));
}

#[test]
fn spark_downloads_expand_args_in_urls() {
    let (s, image) = read_fixture("spark-hadoop-aws-mismatch.Dockerfile");
    let known = image.base.known.as_ref().unwrap();
    assert_eq!((known.product, known.home), (Product::Spark, "/opt/spark"));
    let aws = jar(&image, "hadoop-aws-3.3.1.jar");
    assert_eq!((aws.place.clone(), aws.artifact.group.as_deref()), (Place::SparkJars, Some("org.apache.hadoop")));
    assert_eq!(aws.path, "/opt/spark/jars/hadoop-aws-3.3.1.jar");
    let sdk = jar(&image, "aws-java-sdk-bundle-1.12.262.jar");
    assert_eq!(sdk.artifact.group.as_deref(), Some("com.amazonaws"));
    assert_eq!(pos(&s, aws.at.unwrap()), "8:5");
    assert_eq!(pos(&s, sdk.at.unwrap()), "10:8");
    assert_eq!(image.user.as_ref().map(|u| u.0.as_str()), Some("spark"));
    assert!(image.notes.is_empty(), "{:?}", image.notes);
}

#[test]
fn clean_spark_image_with_workdir_relative_downloads() {
    let (_, image) = read_fixture("spark-s3a-clean.Dockerfile");
    let names = |base: bool| -> Vec<&str> {
        let jars = image.jars.iter().filter(|j| j.place == Place::SparkJars && (j.origin == Origin::Base) == base);
        jars.map(|j| j.file_name.as_str()).collect()
    };
    assert_eq!(names(false), ["aws-java-sdk-bundle-1.12.262.jar", "hadoop-aws-3.3.4.jar"]);
    // apache/spark:3.5.3's own jars/: Spark 3.5's Hadoop client, 3.3.4, which the added hadoop-aws matches.
    assert_eq!(
        names(true),
        ["hadoop-client-api-3.3.4.jar", "hadoop-client-runtime-3.3.4.jar", "spark-core_2.12-3.5.3.jar"]
    );
    assert!(image.jars.iter().all(|j| !j.root_only));
    assert!(image.notes.is_empty() && image.secrets.is_empty());
}

#[test]
fn enabled_plugins_are_checked_against_opt_with_spans() {
    let (s, image) = read_fixture("flink-enable-plugins.Dockerfile");
    let p = &image.enabled_plugins;
    assert_eq!(p.len(), 2);
    assert_eq!((p[0].folder.as_str(), p[0].exists), ("flink-s3-fs-presto-1.17.1", Some(true)));
    assert_eq!((p[1].jar.as_str(), p[1].exists), ("flink-s3-fs-hadoop-1.17.0.jar", Some(false)));
    assert_eq!(text(&s, p[1].at), "flink-s3-fs-hadoop-1.17.0.jar");
    assert_eq!(pos(&s, p[1].at), "4:60");
    let linked = jar(&image, "flink-s3-fs-presto-1.17.1.jar");
    assert!(image.jars.iter().any(|j| j.place == Place::FlinkPlugin(Some("flink-s3-fs-presto-1.17.1".into()))));
    assert_eq!(linked.place, Place::FlinkOpt, "the first match by name is the opt/ original");
    let props = &image.flink_properties;
    assert_eq!(props.len(), 1);
    assert_eq!((props[0].key.as_str(), props[0].value.as_str()), ("state.checkpoints.dir", "s3://bucket/checkpoints"));
    assert_eq!(pos(&s, props[0].key_at), "5:23");
    assert_eq!(text(&s, props[0].value_at), "s3://bucket/checkpoints");
}

#[test]
fn multi_stage_copies_from_an_earlier_stage_and_only_the_last_stage_counts() {
    let (s, image) = read_fixture("flink-multistage.Dockerfile");
    assert_eq!(image.stages, 2);
    assert_eq!(image.base.image, "flink:1.18.1-scala_2.12-java11");
    let plugin = image
        .jars
        .iter()
        .find(|j| j.place == Place::FlinkPlugin(Some("s3-fs-hadoop".into())))
        .expect("plugin from the deps stage");
    assert_eq!(plugin.origin, Origin::Stage("deps".into()));
    assert_eq!(plugin.artifact.version.as_deref(), Some("1.18.1"));
    assert_eq!(plugin.version_from, VersionFrom::MavenUrl);
    assert_eq!(pos(&s, plugin.at.unwrap()), "8:1");
    let kafka = jar(&image, "flink-connector-kafka-3.1.0-1.18.jar");
    assert_eq!((kafka.place.clone(), kafka.artifact.version.as_deref()), (Place::FlinkLib, Some("3.1.0-1.18")));
    let job = jar(&image, "job.jar");
    assert_eq!((job.place.clone(), job.origin.clone()), (Place::Other, Origin::Context("target/job.jar".into())));
    assert!(!image.jars.iter().any(|j| j.path.starts_with("/deps")), "the deps stage is not the image");
}

#[test]
fn global_args_expand_in_from_and_redeclared_args_in_run() {
    let (_, image) = read_fixture("flink-args-in-path.Dockerfile");
    assert_eq!(image.base.image, "flink:1.16.2-scala_2.12");
    let j = image.jars.iter().find(|j| j.place == Place::FlinkPlugin(Some("s3-fs-hadoop".into()))).unwrap();
    assert_eq!(j.file_name, "flink-s3-fs-hadoop-1.16.2.jar");
    assert!(image.notes.is_empty(), "{:?}", image.notes);
}

#[test]
fn deleted_hadoop_client_and_a_loop_that_is_not_followed() {
    let (s, image) = read_fixture("spark-replace-hadoop.Dockerfile");
    assert_eq!(image.removed.len(), 1);
    assert_eq!(image.removed[0].pattern, "/opt/spark/jars/hadoop-client-*.jar");
    assert_eq!(pos(&s, image.removed[0].at), "5:5");
    let aws = jar(&image, "hadoop-aws-3.4.1.jar");
    assert_eq!(aws.path, "/opt/spark/jars/hadoop-aws-3.4.1.jar", "after `cd /opt/spark/jars`");
    let notes: Vec<(NoteKind, String)> = image.notes.iter().map(|n| (n.kind, pos(&s, n.at))).collect();
    assert_eq!(notes, [(NoteKind::UnfollowedRun, "8:7".to_string())], "the wget inside the for loop");
    // The rm took the distribution's Hadoop 3.3.4 client jars out of the image.
    assert_eq!(image.removed[0].jars, ["hadoop-client-api-3.3.4.jar", "hadoop-client-runtime-3.3.4.jar"]);
    assert!(!image.jars.iter().any(|j| j.file_name.starts_with("hadoop-client-")), "the loop's wgets are unknown");
    assert!(image.jars.iter().any(|j| j.file_name == "spark-core_2.12-3.5.3.jar"), "only what the glob matched");
}

#[test]
fn spark_images_ship_the_hadoop_client_of_their_line_versioned_as_hadoop() {
    let (_, image) = read_fixture("spark-hadoop-aws-mismatch.Dockerfile");
    let api = jar(&image, "hadoop-client-api-3.3.4.jar");
    assert_eq!(api.path, "/opt/spark/jars/hadoop-client-api-3.3.4.jar");
    assert_eq!((api.artifact.artifact.as_str(), api.artifact.version.as_deref()), ("hadoop-client-api", Some("3.3.4")));
    assert_eq!((api.origin.clone(), api.version_from, api.at), (Origin::Base, VersionFrom::ImageTag, None));
    assert_eq!(jar(&image, "spark-core_2.12-3.5.3.jar").artifact.version.as_deref(), Some("3.5.3"));
    // bitnami/spark's home, on a floating tag: Spark 3.5's patches all ship Hadoop 3.3.4; the Spark jar's patch
    // is not known. The hadoop-aws and SDK jars Bitnami adds are not verified, so none are claimed.
    let (_, bitnami) = read_fixture("bitnami-add-url.Dockerfile");
    let base: Vec<(&str, Option<&str>, VersionFrom)> = bitnami
        .jars
        .iter()
        .filter(|j| j.origin == Origin::Base)
        .map(|j| (j.path.as_str(), j.artifact.version.as_deref(), j.version_from))
        .collect();
    assert_eq!(
        base,
        [
            ("/opt/bitnami/spark/jars/hadoop-client-api-3.3.4.jar", Some("3.3.4"), VersionFrom::ImageTag),
            ("/opt/bitnami/spark/jars/hadoop-client-runtime-3.3.4.jar", Some("3.3.4"), VersionFrom::ImageTag),
            ("/opt/bitnami/spark/jars/spark-core_2.12-3.5.*.jar", Some("3.5"), VersionFrom::Unknown),
        ]
    );
}

#[test]
fn a_floating_tag_of_a_finished_flink_line_is_its_last_patch() {
    let (_, image) =
        read_one("FROM flink:1.15-java11\nRUN cp /opt/flink/opt/flink-s3-fs-presto-*.jar /opt/flink/lib/\n");
    let j = image.jars.iter().find(|j| j.place == Place::FlinkLib && j.at.is_some()).unwrap();
    assert_eq!(j.path, "/opt/flink/lib/flink-s3-fs-presto-1.15.4.jar");
    assert_eq!((j.artifact.version.as_deref(), j.version_from), (Some("1.15.4"), VersionFrom::ImageTag));
    assert!(image.jars.iter().any(|j| j.path == "/opt/flink/lib/flink-dist-1.15.4.jar"));
    // Its opt/ is known: a plugin of another patch named for the entrypoint does not exist there.
    let (_, enabled) = read_one("FROM flink:1.15\nENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.15.3.jar\n");
    assert_eq!(enabled.enabled_plugins[0].exists, Some(false));
    let (_, enabled) = read_one("FROM flink:1.20\nENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.20.0.jar\n");
    assert_eq!(enabled.enabled_plugins[0].exists, None, "1.20 still gets images: its patch is not known");
    let (_, enabled) = read_one("FROM flink:1.20\nENV ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-1.19.1.jar\n");
    assert_eq!(enabled.enabled_plugins[0].exists, Some(false), "another line is never in a 1.20 image");
    // A line that still gets images keeps the patch open.
    let (_, open) = read_one("FROM apache/flink:2.1\n");
    let names: Vec<&str> = open.jars.iter().map(|j| j.file_name.as_str()).collect();
    assert!(names.contains(&"flink-s3-fs-hadoop-2.1.*.jar"), "{names:?}");
}

#[test]
fn add_of_a_url_is_root_only_for_a_non_root_image_unless_chmod() {
    let (_, image) = read_fixture("bitnami-add-url.Dockerfile");
    assert_eq!(image.base.known.as_ref().unwrap().home, "/opt/bitnami/spark");
    assert_eq!(image.user.as_ref().map(|u| u.0.as_str()), Some("1001"));
    let aws = jar(&image, "hadoop-aws-3.3.4.jar");
    assert!(aws.root_only);
    assert_eq!(aws.place, Place::SparkJars);
    assert!(!jar(&image, "aws-java-sdk-bundle-1.12.262.jar").root_only, "--chmod");
    let owned = jar(&image, "wildfly-openssl-1.1.3.Final.jar");
    assert!(!owned.root_only, "--chown to the user the image runs as");
    assert_eq!(owned.artifact.group.as_deref(), Some("org.wildfly.openssl"));
}

#[test]
fn credential_args_and_envs_are_found_and_marked_never_shown() {
    let (mut s, image) = read_fixture("secret-build-args.Dockerfile");
    let found: Vec<(&str, &str, bool)> =
        image.secrets.iter().map(|v| (v.instruction, v.name.as_str(), v.value_at.is_some())).collect();
    assert_eq!(
        found,
        [
            ("ARG", "AWS_ACCESS_KEY_ID", false),
            ("ARG", "AWS_SECRET_ACCESS_KEY", false),
            ("ENV", "AWS_ACCESS_KEY_ID", true),
            ("ENV", "AWS_SECRET_ACCESS_KEY", true),
            ("ENV", "S3_SECRET_KEY", true),
        ]
    );
    assert_eq!(pos(&s, image.secrets[4].name_at), "6:5");
    let values = mark_secrets(&image, &mut s);
    assert_eq!(values, ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"], "a `$VAR` reference is a name, not a secret");
    let shown = s.get(image.file).redacted_text();
    assert!(!shown.contains("wJalrXUtnFEMI/K7MDENG"), "{shown}");
    assert!(shown.contains("ENV S3_SECRET_KEY wJal****"));
    // Messages never carry the value.
    assert!(image.notes.iter().all(|n| !n.message.contains("wJalrXUtnFEMI")));
}

#[test]
fn heredoc_script_is_followed_and_a_loop_inside_noted() {
    let (s, image) = read_fixture("flink-heredoc.Dockerfile");
    let j = image.jars.iter().find(|j| j.place == Place::FlinkPlugin(Some("s3-fs-presto".into()))).unwrap();
    assert_eq!(j.file_name, "flink-s3-fs-presto-1.20.*.jar", "floating tag: the patch is not invented");
    assert_eq!(j.artifact.version.as_deref(), Some("1.20"));
    assert_eq!(pos(&s, j.at.unwrap()), "6:3");
    assert!(!image.jars.iter().any(|j| j.place == Place::FlinkOpt && j.file_name.contains("presto")), "moved");
    assert_eq!(
        image.notes.iter().map(|n| (n.kind, pos(&s, n.at))).collect::<Vec<_>>(),
        [(NoteKind::UnfollowedRun, "7:33".into())]
    );
}

#[test]
fn bad_input_is_an_error_with_a_position() {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", "FROM flink:1.17\nRUN <<EOF\nls\n"));
    let e = read(&sources, file).unwrap_err();
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((2, 1)));
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", "RUN ls\n"));
    assert!(read(&sources, file).unwrap_err().message.contains("before the first FROM"));
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", "# only a comment\n"));
    assert!(read(&sources, file).unwrap_err().message.contains("no FROM"));
}

#[test]
fn maven_urls_give_coordinates() {
    let a = naming::maven_coordinates(
        "https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar",
    )
    .unwrap();
    assert_eq!(
        (a.group.as_deref(), a.artifact.as_str(), a.version.as_deref()),
        (Some("org.apache.hadoop"), "hadoop-aws", Some("3.3.4"))
    );
    let s = naming::maven_coordinates("https://repo.maven.apache.org/maven2/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262-sources.jar").unwrap();
    assert_eq!(s.classifier.as_deref(), Some("sources"));
    assert!(naming::maven_coordinates("https://example.com/downloads/hadoop-aws.jar").is_none());
    assert!(naming::glob("/opt/flink/opt/flink-s3-fs-*.jar", "/opt/flink/opt/flink-s3-fs-hadoop-1.17.1.jar"));
    assert!(!naming::glob("/opt/*.jar", "/opt/flink/x.jar"), "`*` does not cross `/`");
}

#[test]
fn a_stage_built_on_another_inherits_env_but_not_args() {
    let text = "FROM flink:1.17.1 AS base\nARG V=1.17.1\nENV PLUGIN=flink-s3-fs-hadoop\n\
                FROM base\nRUN mkdir plugins/s3 && cp opt/${PLUGIN}-${V}.jar plugins/s3/ \
                && cp opt/${PLUGIN}-1.17.1.jar plugins/s3/\n";
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", text));
    let image = read(&sources, file).unwrap();
    assert_eq!(image.base.known.as_ref().unwrap().home, "/opt/flink", "known through the stage");
    let plugins: Vec<&str> =
        image.jars.iter().filter(|j| matches!(j.place, Place::FlinkPlugin(_))).map(|j| j.file_name.as_str()).collect();
    assert_eq!(plugins, ["flink-s3-fs-hadoop-1.17.1.jar"], "ENV inherited; `V` unknown in the second stage");
    assert_eq!(image.notes.len(), 1, "{:?}", image.notes);
}

#[test]
fn hostile_sizes_stay_linear() {
    let started = std::time::Instant::now();
    let nested = format!("FROM flink\nENV A={}x{}\n", "${B:-".repeat(50_000), "}".repeat(50_000));
    let many_ops =
        format!("FROM flink:1.17.1\n{}", "RUN cp opt/*.jar lib/ && wget -P lib https://h/a/b-1.0.jar\n".repeat(30_000));
    let stages = "FROM flink:1.17.1 AS s\nRUN wget -P lib https://h/a/b-1.0.jar\n".repeat(300);
    let jars: String = (0..3000).map(|i| format!("RUN wget -P lib https://h/a/b{i}-1.0.jar\n")).collect();
    let jars = format!("FROM flink:1.17.1\n{jars}");
    let mut sources = SourceMap::new();
    for text in [nested, many_ops, stages, jars] {
        let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", text));
        match read(&sources, file) {
            Ok(image) => assert!(image.jars.len() <= 2048),
            Err(e) => assert!(e.message.contains("stages"), "{e}"),
        }
    }
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
}

#[test]
fn no_prefix_of_any_fixture_nor_hostile_text_panics() {
    let dir = format!("{}/fixtures/readers/dockerfile", env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    texts.push(
        "FROM flink:1.17.1\nARG \"é=ü\"\nENV AWS_SECRET_ACCESS_KEY=\"ñé\" \\\n é=ß\nRUN cp é.jar lib/ \\\n\n".into(),
    );
    texts.push("FROM a\nRUN [\"sh\", \"-c\", \"cp x.jar /opt/flink/lib/\"]\nCOPY [\"a\"\n".into());
    for text in &texts {
        every_prefix(text, |sources, file| {
            if let Ok(image) = read(sources, file) {
                let _ = mark_secrets(&image, sources);
            }
        });
    }
}

#[test]
fn from_sees_only_global_args_and_copy_from_an_image_takes_its_jars() {
    let text = "ARG TAG=1.18.1\nFROM eclipse-temurin:17 AS tools\nARG TAG=0.0\nENV TAG=9.9\n\
                FROM flink:${TAG}-java17\n\
                COPY --from=flink:1.18.1 /opt/flink/opt/flink-s3-fs-presto-1.18.1.jar /opt/flink/plugins/presto/\n";
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("Dockerfile", "Dockerfile", text));
    let image = read(&sources, file).unwrap();
    assert_eq!(image.base.image, "flink:1.18.1-java17", "the stage's own TAG does not reach FROM");
    let j = jar(&image, "flink-s3-fs-presto-1.18.1.jar");
    let j =
        image.jars.iter().find(|x| x.place == Place::FlinkPlugin(Some("presto".into())) && x.file_name == j.file_name);
    assert_eq!(j.map(|j| j.origin.clone()), Some(Origin::Stage("flink:1.18.1".into())));
}

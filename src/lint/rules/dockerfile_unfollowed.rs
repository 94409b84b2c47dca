use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::dockerfile::NoteKind;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// What s3lint could not see in a Dockerfile, so the image's jars it reports may be incomplete:
    /// - a `RUN` command that places files into a jar directory in a form s3lint does not follow (a `for` loop,
    ///   `$(…)`, a script, a package manager);
    /// - a jar path or URL that depends on a build argument without a default (given with `--build-arg` only);
    /// - a `COPY` of a build-context directory into a jar directory (its jars are in the repository);
    /// - a base image s3lint does not know (not the official `flink`, `apache/flink`, `spark`, `apache/spark` or
    ///   `bitnami/spark`), whose own jars and version are therefore unknown.
    ///
    /// ## Why it matters
    /// Every classpath rule judges the jars s3lint knows the image to hold. A jar placed where s3lint cannot see
    /// it is neither checked (its version, its SDK) nor counted (a missing-jar finding may be wrong).
    ///
    /// ## How to fix
    /// Make the build visible where that is simple: name each jar in its own `COPY`/`ADD`/`wget`/`curl` line
    /// instead of a loop or script; give versions as `ARG NAME=<default>` in the Dockerfile rather than only with
    /// `--build-arg`; build `FROM` an official image (or check the image's directories with `s3lint check` on an
    /// extracted copy). This is advice: nothing is wrong with the image because of it.
    pub DockerfileUnfollowed => "dockerfile-unfollowed", Info, "a Dockerfile step whose jars s3lint could not follow"
}

impl Rule for DockerfileUnfollowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some(image) = super::own_image(d) else { return };
        for n in &image.notes {
            let help = match n.kind {
                NoteKind::UnfollowedRun => {
                    "Name each jar in a command s3lint follows (`COPY`, `ADD`, `wget -P`/`-O`, `curl -o`/`-O`, `cp`, `mv`, `ln -s`) instead of a loop or script, so its version is checked."
                }
                NoteKind::UnknownPath => {
                    "Give the build argument a default in the Dockerfile (`ARG HADOOP_VERSION=3.3.4`) so the jar's name and version are known when linting; `--build-arg` can still override it."
                }
                NoteKind::ContextDirectory => {
                    "Check those jars too: run `s3lint check` on the build-context directory, or copy each jar by name."
                }
                NoteKind::UnknownBase => {
                    "Build `FROM` an official image (`flink:<version>`, `apache/spark:<version>`, `bitnami/spark:<version>`) or check the image's jar directories on an extracted copy of the image."
                }
            };
            out.push(Self::META.finding(n.at, n.message.clone(), help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{at, dockerfile, findings, fixture};

    #[test]
    fn a_loop_in_a_run_is_noted_at_the_command_it_does_not_follow() {
        let d = dockerfile(&fixture("dockerfile/spark-replace-hadoop.Dockerfile"));
        let found = findings(&d, "dockerfile-unfollowed");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(at(&d, &found[0]).0, "8:7");
        assert_eq!(found[0].severity, crate::lint::Severity::Info);
        assert!(found[0].message.contains("`wget` command names a jar or jar directory"), "{}", found[0].message);
        assert!(found[0].help.contains("instead of a loop"));
    }

    #[test]
    fn unknown_bases_and_build_args_without_default_are_noted_with_their_advice() {
        let d = dockerfile(
            "FROM eclipse-temurin:17-jre\nARG V\nADD https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/${V}/hadoop-aws-${V}.jar /opt/jars/\n",
        );
        let found = findings(&d, "dockerfile-unfollowed");
        let got: Vec<String> = found.iter().map(|f| at(&d, f).0).collect();
        assert!(got.contains(&"1:6".to_string()), "{found:#?}");
        assert!(found.iter().any(|f| f.help.contains("Build `FROM` an official image")));
        let followed = dockerfile(&fixture("dockerfile/spark-s3a-clean.Dockerfile"));
        assert!(findings(&followed, "dockerfile-unfollowed").is_empty());
    }
}

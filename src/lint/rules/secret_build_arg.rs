use crate::declare_rule;
use crate::deployment::Deployment;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// A Dockerfile `ARG` or `ENV` whose name holds a credential — `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`, `S3_SECRET_KEY` and the other spellings s3lint judges secret — with or without a value
    /// written in the Dockerfile. The finding points at the variable's name; the value is never shown.
    ///
    /// ## Why it matters
    /// Both persist in the image. An `ENV` value is part of the image's configuration (`docker inspect`) and of the
    /// environment of every container started from it, on every machine that pulls the image. A build argument
    /// given with `--build-arg` is visible to anyone with the image in `docker history` ("Build-time variable
    /// values are visible to any user of the image with the docker history command", Dockerfile reference, in
    /// the warning under `ARG`); an `ENV NAME=$ARG` copies it into the configuration for good. Docker's own
    /// build check `SecretsUsedInArgOrEnv` (Dockerfile frontend 1.9+) warns about the same names:
    /// <https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/>.
    ///
    /// ## How to fix
    /// A credential the build needs (to download from a private bucket) goes in a secret mount, which is never
    /// stored in a layer: `RUN --mount=type=secret,id=aws_secret,env=AWS_SECRET_ACCESS_KEY aws s3 cp …` (the `env=`
    /// option needs `# syntax=docker/dockerfile:1.10` or later; before, read `/run/secrets/<id>`; see
    /// <https://docs.docker.com/build/building/secrets/>), built with
    /// `docker buildx build --secret id=aws_secret,env=AWS_SECRET_ACCESS_KEY .`. A credential the job needs at run
    /// time is not the image's business: use an IAM role (EKS IRSA or Pod Identity, an EC2 instance profile), a
    /// Kubernetes Secret (`valueFrom.secretKeyRef`), or in docker-compose `environment: - AWS_SECRET_ACCESS_KEY`
    /// (taken from the shell that runs compose). Rotate a key that was ever built into an image.
    pub SecretBuildArg => "secret-build-arg", Warning, "a credential passed as a Dockerfile ARG or baked in with ENV"
}

impl Rule for SecretBuildArg {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some(image) = super::own_image(d) else { return };
        for s in &image.secrets {
            let (what, why) = match (s.instruction, s.value_at.is_some()) {
                ("ARG", false) => (
                    "takes a credential as a build argument",
                    "the value given with `--build-arg` is kept in the image's metadata (`docker history`)",
                ),
                ("ARG", true) => (
                    "has a credential as its default",
                    "it is written in the Dockerfile and kept in the image's metadata (`docker history`)",
                ),
                _ => (
                    "bakes a credential into the image",
                    "it is in the image's configuration (`docker inspect`) and the environment of every container run from it",
                ),
            };
            out.push(
                Self::META
                    .finding(s.name_at, format!("`{} {}` {what}: {why}", s.instruction, s.name), HELP)
                    .with_key(s.name.clone()),
            );
        }
    }
}

const HELP: &str = "Keep credentials out of the image. For a build step: `RUN --mount=type=secret,id=aws_secret,env=AWS_SECRET_ACCESS_KEY …` \
(Dockerfile syntax 1.10+; before, read /run/secrets/aws_secret) with `docker buildx build --secret id=aws_secret,env=AWS_SECRET_ACCESS_KEY .`. \
At run time: an IAM role (EKS IRSA/Pod Identity, instance profile), a Kubernetes Secret (`valueFrom.secretKeyRef`), or in compose \
`environment: - AWS_SECRET_ACCESS_KEY` taken from the shell. Rotate a key that was ever built into an image.";

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{all_text, at, dockerfile, findings, fixture, manifest};

    #[test]
    fn args_and_envs_holding_credentials_are_reported_at_their_names_never_with_the_value() {
        let d = dockerfile(&fixture("dockerfile/secret-build-args.Dockerfile"));
        let found = findings(&d, "secret-build-arg");
        let got: Vec<(String, String, Option<&str>)> =
            found.iter().map(|f| (at(&d, f).0, at(&d, f).1, f.key.as_deref())).collect();
        let want = [
            ("2:5", "AWS_ACCESS_KEY_ID"),
            ("3:5", "AWS_SECRET_ACCESS_KEY"),
            ("4:5", "AWS_ACCESS_KEY_ID"),
            ("5:5", "AWS_SECRET_ACCESS_KEY"),
            ("6:5", "S3_SECRET_KEY"),
        ];
        let want: Vec<(String, String, Option<&str>)> =
            want.iter().map(|(p, n)| (p.to_string(), n.to_string(), Some(*n))).collect();
        assert_eq!(got, want);
        assert!(found[0].message.starts_with("`ARG AWS_ACCESS_KEY_ID` takes a credential as a build argument"));
        assert!(found[4].message.starts_with("`ENV S3_SECRET_KEY` bakes a credential into the image"));
        for f in &found {
            assert!(!all_text(f).contains("wJalrXUtnFEMI"), "{f:?}");
            assert!(f.help.contains("--mount=type=secret"));
        }
    }

    #[test]
    fn a_default_value_is_said_and_ordinary_args_are_not_reported() {
        let d = dockerfile(
            "FROM apache/spark:3.5.3\nARG HADOOP_VERSION=3.3.4\nARG AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE\nENV AWS_REGION=eu-west-1\n",
        );
        let found = findings(&d, "secret-build-arg");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(at(&d, &found[0]).0, "3:5");
        assert!(found[0].message.contains("has a credential as its default"), "{}", found[0].message);
        assert!(!all_text(&found[0]).contains("IQoJb3JpZ2lu"));
    }

    #[test]
    fn a_manifest_joined_to_the_dockerfile_does_not_repeat_it() {
        let image = fixture("dockerfile/secret-build-args.Dockerfile");
        for d in manifest(&fixture("k8s/flinkdeployment-clean.yaml"), Some(&image)) {
            assert!(findings(&d, "secret-build-arg").is_empty());
        }
    }
}

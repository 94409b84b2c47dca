#!/usr/bin/env bash
# Records which configuration file each Flink release reads from a conf directory (FlinkConfChoice.java):
#   fixtures/readers/flink-conf-choice/<case>/conf/      the conf directory (flink-conf.yaml and/or config.yaml)
#   fixtures/readers/flink-conf-choice/<case>/expected-<flink version>.json
# for apache-flink-libraries 1.18.1, 1.20.3 and 2.2.1, each installed once with `pip install --no-deps --target`
# under $S3LINT_ORACLE_CACHE (default ~/.cache/s3lint-oracle; the same homes as tests/oracle/inventory/run.sh).
# Needs python3 (pip) and a JDK 17 (javac, java). tests/flink_conf_choice.rs compares s3lint's choice with these.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}"
classes="$cache/flink-choice-classes"
mkdir -p "$classes" "$cache/homes"
javac -d "$classes" "$here/FlinkConfChoice.java"

cd "$repo"
for version in 1.18.1 1.20.3 2.2.1; do
  target="$cache/homes/apache-flink-libraries-$version"
  if [ ! -d "$target/pyflink/lib" ]; then
    python3 -m pip install --quiet --no-deps --no-compile --target "$target" "apache-flink-libraries==$version"
  fi
  for dir in fixtures/readers/flink-conf-choice/*/; do
    dir="${dir%/}"
    java -Dfile.encoding=UTF-8 -cp "$classes:$target/pyflink/lib/*" FlinkConfChoice "$dir/conf" \
      "$dir/expected-$version.json"
    echo "  $dir/expected-$version.json" >&2
  done
done

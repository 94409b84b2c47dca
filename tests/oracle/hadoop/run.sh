#!/usr/bin/env bash
# Regenerates the Hadoop reader goldens: fixtures/readers/hadoop/**/<name>.expected.json, from real Hadoop.
#
#   tests/oracle/hadoop/run.sh            (from anywhere; needs python3 and a JDK 17: javac, java)
#
# Hadoop's jars come from the pyspark wheel (hadoop-client-api/-runtime), installed once into a venv
# under $S3LINT_ORACLE_CACHE (default ~/.cache/s3lint-oracle), never into the repository.
# The JVM runs with a fixed environment and fixed system properties; tests/reader_hadoop_oracle.rs
# builds the same Environment (keep the two in step).
set -euo pipefail

PYSPARK_VERSION=4.3.0   # ships Hadoop 3.5.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}"
venv="$cache/venv"

# shellcheck source=tests/oracle/pyspark-jars.sh
. "$here/../pyspark-jars.sh"
jars="$(pyspark_jars "$venv" "$PYSPARK_VERSION")"

cp=""
for pattern in 'hadoop-client-api-*.jar' 'hadoop-client-runtime-*.jar' 'slf4j-api-*.jar' \
               'log4j-slf4j2-impl-*.jar' 'log4j-api-*.jar' 'log4j-core-*.jar'; do
  # shellcheck disable=SC2086
  jar="$(ls "$jars"/$pattern | head -n 1)"
  cp="$cp:$jar"
done
cp="${cp#:}"

classes="$cache/hadoop-oracle-classes"
rm -rf "$classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" "$here/HadoopConfDump.java"

cd "$repo"
# Every fixture, relative to the repository root (the path Hadoop names in its messages); files under
# include/ are XIncluded by other fixtures and are not inputs themselves.
mapfile -t inputs < <(find fixtures/readers/hadoop -name '*.xml' -not -path '*/include/*' | LC_ALL=C sort)

# The fixed environment: keep in step with `oracle_environment()` in tests/reader_hadoop_oracle.rs.
env -i PATH="$PATH" S3LINT_ORACLE_HOME=/opt/s3lint S3LINT_EMPTY= S3LINT_BUCKET=oracle-bucket \
  java -Xss1m -Duser.name=oracle -Duser.home=/home/oracle -Djava.io.tmpdir=/tmp \
       -Ds3lint.oracle.dir=/srv/oracle \
       -Dlog4j2.configurationFile="$here/log4j2.properties" \
       -cp "$classes:$cp" HadoopConfDump "${inputs[@]}"

echo "wrote ${#inputs[@]} goldens under fixtures/readers/hadoop/"

#!/usr/bin/env bash
# Regenerates the spark-defaults.conf reader goldens: fixtures/readers/spark/<name>.expected.json, from Spark.
#
#   tests/oracle/spark/run.sh            (from anywhere; needs python3 and a JDK 17: javac, java)
#
# Spark's jars come from the pyspark wheel ($PYSPARK_VERSION), installed once into a venv under
# $S3LINT_ORACLE_CACHE (default ~/.cache/s3lint-oracle), never into the repository.
set -euo pipefail

PYSPARK_VERSION="${PYSPARK_VERSION:-3.5.6}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}"
venv="$cache/venv-spark-$PYSPARK_VERSION"

# shellcheck source=tests/oracle/pyspark-jars.sh
. "$here/../pyspark-jars.sh"
jars="$(pyspark_jars "$venv" "$PYSPARK_VERSION")"
cp="$jars/*"

classes="$cache/spark-oracle-classes"
rm -rf "$classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" "$here/SparkConfOracle.java"

cd "$repo"
args=()
count=0
while IFS= read -r input; do
  args+=("$input" "${input%.conf}.expected.json")
  count=$((count + 1))
done < <(find fixtures/readers/spark -name '*.conf' | LC_ALL=C sort)

# A fixed environment: the loader consults none, but the JVM's default charset must not matter.
env -i PATH="$PATH" java -Dfile.encoding=ISO-8859-1 -Duser.name=oracle -Djava.io.tmpdir=/tmp \
  -cp "$classes:$cp" SparkConfOracle "${args[@]}"

echo "wrote $count goldens under fixtures/readers/spark/ (Spark $PYSPARK_VERSION)"

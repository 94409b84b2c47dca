#!/usr/bin/env bash
# Regenerates the golden expected.json of every Flink reader fixture with real Flink:
#   fixtures/readers/flink-conf/<case>/flink-conf.yaml        (legacy reader)
#   fixtures/readers/flink-yaml/<case>/config.yaml            (standard YAML reader)
#   fixtures/readers/flink-yaml/malformed/<case>/config.yaml  (files Flink refuses)
#
# Needs python3 (venv + pip, to install the Flink jars from PyPI) and a JDK (javac, java).
# The jars and compiled classes live in a cache outside the repository:
#   S3LINT_ORACLE_CACHE   (default ~/.cache/s3lint-oracle)
#   FLINK_VERSION         (default 1.20.*; a 1.19+ release reads flink-conf.yaml if present, else config.yaml)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}
version=${FLINK_VERSION:-1.20.*}
venv=$cache/venv

find_lib() {
    find "$venv" -path '*/pyflink/lib/flink-dist-*.jar' -print -quit 2>/dev/null | xargs -r dirname
}

mkdir -p "$cache"
if [ -z "$(find_lib)" ]; then
    echo "installing apache-flink-libraries==$version into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "apache-flink-libraries==$version"
fi
lib=$(find_lib)
[ -n "$lib" ] || { echo "flink-dist jar not found under $venv" >&2; exit 1; }
echo "Flink jars: $lib" >&2

classes=$cache/classes
mkdir -p "$classes"
javac -d "$classes" "$here/FlinkConfOracle.java"

run_case() {
    # The file must be alone in its directory: Flink 1.19/1.20 prefer flink-conf.yaml over config.yaml.
    local dir=$1
    java -Dfile.encoding=UTF-8 -Dorg.apache.logging.log4j.level=WARN \
        -cp "$classes:$lib/*" FlinkConfOracle "$dir" "$dir/expected.json"
    echo "  $(realpath --relative-to="$repo" "$dir")/expected.json" >&2
}

count=0
for file in "$repo"/fixtures/readers/flink-conf/*/flink-conf.yaml \
            "$repo"/fixtures/readers/flink-yaml/*/config.yaml \
            "$repo"/fixtures/readers/flink-yaml/malformed/*/config.yaml; do
    [ -f "$file" ] || continue
    run_case "$(dirname "$file")"
    count=$((count + 1))
done
echo "regenerated $count golden files" >&2

#!/usr/bin/env bash
# A differential run of the spark-defaults.conf reader against Spark's own loader on random files:
#
#   tests/oracle/spark/differential.sh [COUNT] [SEED]     (default 1500 files, seed 11)
#
# Writes COUNT random files (built from the characters Properties.load treats specially: backslashes, `\u`
# escapes and hex digits, CR/LF, separators, comment marks, whitespace, a BOM, non-ASCII, surrogate halves) into
# a temporary directory, has SparkConfOracle (tests/oracle/spark/run.sh must have run once) write their goldens,
# and runs tests/reader_spark_oracle.rs over them (S3LINT_SPARK_ORACLE_DIR). Nothing is written to the repository.
set -euo pipefail
count="${1:-1500}"
seed="${2:-11}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}"
venv="$cache/venv-spark-${PYSPARK_VERSION:-3.5.6}"
jars="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "$count" "$seed" <<'PY'
import random, sys
out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
alpha = ['\\', '\\', '\n', '\r\n', '\r', 'u', '00', 'e9', 'D8', '3D', 'DE', '0', 'F', '=', ':', '#', '!', ' ', '  ',
         '\t', '\f', 'é', '😀', '\ufeff', 'spark.', 'hadoop.', '\x0b', '\x01', 'x']
for i in range(count):
    text = ''.join(random.choice(alpha) for _ in range(random.randint(0, 40)))
    with open(f'{out}/r{i:05}.conf', 'w', encoding='utf-8', newline='') as f:
        f.write(text)
PY
args=()
for f in "$dir"/*.conf; do args+=("$f" "${f%.conf}.expected.json"); done
java -cp "$cache/spark-oracle-classes:$jars/*" SparkConfOracle "${args[@]}"
echo "$count random files, $(grep -l '"error"' "$dir"/*.json | wc -l) refused by Spark"
cd "$repo"
S3LINT_SPARK_ORACLE_DIR="$dir" cargo test --quiet --test reader_spark_oracle

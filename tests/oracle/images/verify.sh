#!/usr/bin/env bash
# Re-derives rules/images.yaml's Spark table from the pyspark source distributions on PyPI and compares.
#
# For every Spark line of rules/images.yaml and every pyspark release its `verified` list names, downloads
# pyspark-<version>.tar.gz (`pip download --no-deps --no-binary :all:`, into $S3LINT_ORACLE_CACHE/dl, default
# ~/.cache/s3lint-oracle/dl, once — never into the repository), lists its `deps/jars/` (what pip installs as
# `pyspark/jars/`), and requires: the line's `hadoop_jars` at exactly the line's `hadoop` version, no other
# version of them, and `spark-core_<first scala>-<version>.jar`. Prints the table it read; exits 1 on a mismatch.
# Not run by `cargo test` (it downloads ~4 GB); needs python3 with PyYAML, pip, tar.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cache=${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}
dl="$cache/dl"
mkdir -p "$dl"

rows=$(python3 - <<'EOF'
import yaml
k = yaml.safe_load(open("rules/images.yaml"))
for line in k["spark"]["lines"]:
    for v in line["verified"]:
        print(line["line"], v, line["hadoop"], ",".join(line["hadoop_jars"]), line["scala"][0])
EOF
)

status=0
printf '%-6s %-8s %-8s %s\n' line pyspark hadoop "jars read"
while read -r line version hadoop artifacts scala; do
  file="$dl/pyspark-$version.tar.gz"
  if [ ! -f "$file" ]; then
    python3 -m pip download --quiet "pyspark==$version" --no-deps --no-binary :all: -d "$dl" >&2
  fi
  jars=$(tar tzf "$file" | sed -n 's|^pyspark-[^/]*/deps/jars/||p')
  found=()
  for a in ${artifacts//,/ }; do
    got=$(grep -E "^$a-[0-9][0-9.]*\.jar$" <<<"$jars" || true)
    found+=("$got")
    if [ "$got" != "$a-$hadoop.jar" ]; then
      echo "MISMATCH: pyspark $version ships '${got//$'\n'/ }', rules/images.yaml says $a-$hadoop.jar" >&2
      status=1
    fi
  done
  core="spark-core_$scala-$version.jar"
  if ! grep -qxF "$core" <<<"$jars"; then
    echo "MISMATCH: pyspark $version has no $core" >&2
    status=1
  fi
  printf '%-6s %-8s %-8s %s\n' "$line" "$version" "$hadoop" "${found[*]} $core"
done <<<"$rows"
exit $status

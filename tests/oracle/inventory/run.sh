#!/usr/bin/env bash
# Records the jar inventories of pristine distributions from PyPI into tests/data/inventories/<name>-<version>.json
# (file names, manifest fields, pom.properties and NOTICE lines — never the jars themselves).
#
#   tests/oracle/inventory/run.sh            (from anywhere; needs python3 with pip)
#
# Each distribution is installed once with `pip install --no-deps --target` under $S3LINT_ORACLE_CACHE
# (default ~/.cache/s3lint-oracle), never into the repository. tests/pristine_distributions.rs rebuilds every
# home from these files and requires `s3lint check` to find nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${S3LINT_ORACLE_CACHE:-$HOME/.cache/s3lint-oracle}"
out="$repo/tests/data/inventories"
mkdir -p "$cache/homes" "$out"

# package==version and the package directory that is the distribution's home once installed.
distributions=(
  "pyspark==3.5.6 pyspark"
  "pyspark==4.0.1 pyspark"
  "apache-flink-libraries==1.18.1 pyflink"
  "apache-flink-libraries==1.20.3 pyflink"
  "apache-flink-libraries==2.2.1 pyflink"
  "sagemaker-pyspark==1.4.5 sagemaker_pyspark"
)

for d in "${distributions[@]}"; do
  read -r spec home <<<"$d"
  name="${spec%%==*}"
  version="${spec##*==}"
  target="$cache/homes/$name-$version"
  if [ ! -d "$target/$home" ]; then
    echo "installing $spec into $target" >&2
    rm -rf "$target"
    python3 -m pip install --quiet --no-deps --no-compile --target "$target" "$spec"
  fi
  python3 "$here/inventory.py" "$target/$home" "$name" "$version" "PyPI $spec, installed with pip --no-deps" \
    "$out/$name-$version.json"
done

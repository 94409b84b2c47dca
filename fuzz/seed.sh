#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures (the corpora are not committed).
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../fixtures
copy() { # target, files...
  local target=$1; shift
  mkdir -p "corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 200000 ] && cp "$f" "corpus/$target/$(echo "${f#../}" | tr '/' '_')"
  done
  echo "corpus/$target: $(ls "corpus/$target" | wc -l) seeds"
}
copy hadoop_xml $(find $fixtures -name '*.xml')
copy flink_conf $(find $fixtures -name 'flink-conf*.yaml') $(find $fixtures/readers/flink-conf -type f)
copy flink_yaml $(find $fixtures -name 'config.yaml') $(find $fixtures/readers/flink-yaml -type f -name '*.yaml')
copy jar $(find $fixtures -name '*.jar' -size -64k)
copy trace $(find $fixtures/diagnose -type f -name '*.txt')
# check_pipeline: each fixture deployment as "\0\0core-site.xml NUL \0\0flink-conf.yaml NUL \0\0config.yaml".
mkdir -p corpus/check_pipeline
for case in $fixtures/check/*/; do
  name=$(basename "$case")
  core=$(find "$case" -name 'core-site.xml' | head -1)
  conf=$(find "$case" -name 'flink-conf.yaml' | head -1)
  yaml=$(find "$case" -path '*conf/config.yaml' | head -1)
  {
    printf '\0\1'; [ -n "$core" ] && cat "$core"; printf '\0'
    printf '\0\1'; [ -n "$conf" ] && cat "$conf"; printf '\0'
    printf '\0\1'; [ -n "$yaml" ] && cat "$yaml"
  } > "corpus/check_pipeline/$name"
done
echo "corpus/check_pipeline: $(ls corpus/check_pipeline | wc -l) seeds"

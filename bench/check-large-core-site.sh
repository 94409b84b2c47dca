#!/usr/bin/env bash
# Benchmark: `s3lint check` in human output on one generated core-site.xml of N properties (default 20,000, about
# half of them with a finding) — best wall time of 10 runs and peak RSS. Usage: bench/check-large-core-site.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
dir=${TMPDIR:-/tmp}/s3lint-bench-core-site-$n
cargo build --release -q
mkdir -p "$dir"
[ -f "$dir/core-site.xml" ] || python3 bench/make_core_site.py "$dir/core-site.xml" "$n"
echo "input: $dir/core-site.xml ($(du -h "$dir/core-site.xml" | cut -f1))"
target/release/s3lint check --fail-on never "$dir/core-site.xml" | tail -1
best=999999
for _ in $(seq 10); do
  s=$(date +%s%N); target/release/s3lint check --fail-on never "$dir/core-site.xml" > /dev/null; e=$(date +%s%N)
  ms=$(( (e - s) / 1000000 )); [ "$ms" -lt "$best" ] && best=$ms
done
echo "wall: best of 10 runs $best ms"
/usr/bin/time -f 'peak RSS %M KiB, user %U s' target/release/s3lint check --fail-on never "$dir/core-site.xml" > /dev/null

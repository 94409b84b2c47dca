#!/usr/bin/env bash
# Benchmark: the start-up cost of `s3lint check` on one small core-site.xml (what an editor or a pre-commit hook
# pays on every save), and of `diagnose` on a two-line trace. Prints mean / best wall time (hyperfine) and the
# least CPU time (perf's task-clock, steadier on a loaded machine). Needs hyperfine (Debian package `hyperfine`).
# Usage: bench/check-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 2; }
cargo build --release -q
dir=${TMPDIR:-/tmp}/s3lint-bench
mkdir -p "$dir"
cat > "$dir/core-site.xml" <<'XML'
<?xml version="1.0"?>
<configuration>
  <property><name>fs.s3a.endpoint</name><value>s3.eu-west-1.amazonaws.com</value></property>
  <property><name>fs.s3a.buffer.dir</name><value>/tmp/s3a</value></property>
</configuration>
XML
printf 'java.io.IOException: No FileSystem for scheme: s3\n\tat org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:2660)\n' > "$dir/two-lines.txt"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | mean / best wall (ms) | least CPU (ms) |"
echo "|---|---|---|"
for args in "check $dir/core-site.xml" "diagnose --format json $dir/two-lines.txt"; do
  # shellcheck disable=SC2086
  hyperfine -N -w 5 -r "${RUNS:-50}" --export-json "$dir/h.json" "target/release/s3lint $args" >/dev/null 2>&1
  read -r mean best < <(python3 -c "import json;r=json.load(open('$dir/h.json'))['results'][0];print(f\"{r['mean']*1000:.2f} {r['min']*1000:.2f}\")")
  cpu=-
  if command -v perf >/dev/null && perf stat -x, -e task-clock true >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    cpu=$(for _ in $(seq 20); do perf stat -x, -e task-clock target/release/s3lint $args 2>&1 >/dev/null | awk -F, '/task-clock/{print $1}'; done | sort -g | head -1)
  fi
  echo "| s3lint $args | $mean / $best | $cpu |"
done

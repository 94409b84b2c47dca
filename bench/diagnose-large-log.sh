#!/usr/bin/env bash
# Benchmark: `s3lint diagnose` on a large TaskManager log (default 1 GiB) — wall time and peak RSS.
# The log is generated (bench/make_log.py) with three S3 traces buried in it. Usage: bench/diagnose-large-log.sh [SIZE_BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1073741824}
log=${TMPDIR:-/tmp}/s3lint-bench-$size.log
cargo build --release -q
[ -f "$log" ] || python3 bench/make_log.py "$log" "$size" \
  fixtures/diagnose/guide/buffer-dir-npe.txt fixtures/diagnose/guide/no-filesystem-for-scheme.txt fixtures/diagnose/guide/bad-request-400.txt
echo "input: $log ($(du -h "$log" | cut -f1))"
/usr/bin/time -f 'wall %e s, peak RSS %M KiB' target/release/s3lint diagnose --format json "$log" > /tmp/s3lint-bench-out.json || true
python3 -c "import json;d=json.load(open('/tmp/s3lint-bench-out.json'));print('diagnoses:', [(x['case'], x['count']) for x in d['diagnoses']], 'lines:', d['stats']['lines'])"
if command -v rg >/dev/null; then
  /usr/bin/time -f 'ripgrep (Exception|Caused by): wall %e s, peak RSS %M KiB' rg -c 'Exception|Caused by' "$log" >/dev/null
else
  /usr/bin/time -f 'grep -cE (Exception|Caused by): wall %e s, peak RSS %M KiB' grep -cE 'Exception|Caused by' "$log" >/dev/null
fi

#!/usr/bin/env bash
# Benchmark: `s3lint diagnose` against `rg -c 'Exception|Caused by'` on the same files, in one run:
#   a sparse 200 MB and 1 GiB TaskManager log (three S3 traces buried in ordinary lines), a dense 100 MB log
#   (a trace every 20 lines, cycling through five failure traces), and a two-line trace (start-up cost).
# Prints a Markdown table: mean and best wall time of each (hyperfine), the ratio of means, s3lint's peak RSS.
# Needs python3, hyperfine and ripgrep (Debian packages `hyperfine`, `ripgrep`). Usage: bench/diagnose-vs-ripgrep.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null && command -v rg >/dev/null || { echo "needs hyperfine and rg" >&2; exit 2; }
cargo build --release -q
dir=${TMPDIR:-/tmp}/s3lint-bench
mkdir -p "$dir"
sparse=(fixtures/diagnose/guide/buffer-dir-npe.txt fixtures/diagnose/guide/no-filesystem-for-scheme.txt fixtures/diagnose/guide/bad-request-400.txt)
dense=(fixtures/diagnose/guide/buffer-dir-npe.txt fixtures/diagnose/cases/s3-access-denied.txt fixtures/diagnose/negative/kafka-timeout.txt
       fixtures/diagnose/genuine/hadoop/s3a-no-such-bucket-ls.txt fixtures/diagnose/posted/minio-spark-s3a-403-cutfirstchar.txt)
[ -f "$dir/sparse-200m.log" ] || python3 bench/make_log.py "$dir/sparse-200m.log" 209715200 "${sparse[@]}"
[ -f "$dir/sparse-1g.log" ] || python3 bench/make_log.py "$dir/sparse-1g.log" 1073741824 "${sparse[@]}"
[ -f "$dir/dense-100m.log" ] || python3 bench/make_log.py --every 20 "$dir/dense-100m.log" 104857600 "${dense[@]}"
printf 'java.io.IOException: No FileSystem for scheme: s3\n\tat org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:2660)\n' > "$dir/two-lines.txt"

mean_min() { # "command line" -> "mean min" in seconds
  hyperfine -N -w 2 -r "${RUNS:-10}" --export-json "$dir/h.json" "$1" >/dev/null 2>&1
  python3 -c "import json;r=json.load(open('$dir/h.json'))['results'][0];print(f\"{r['mean']:.4f} {r['min']:.4f}\")"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
cpu_min() { # command... -> least CPU time (seconds) over 5 runs: steadier than wall time on a loaded machine.
  # perf's task-clock (milliseconds) where perf works, else /usr/bin/time's user + system (10 ms resolution).
  local best=999 t
  for _ in 1 2 3 4 5; do
    if command -v perf >/dev/null && perf stat -x, -e task-clock true >/dev/null 2>&1; then
      t=$(perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/{print $1 / 1000}')
    else
      t=$( { /usr/bin/time -f '%U %S' "$@" >/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    fi
    best=$(python3 -c "print(min($best, $t))")
  done
  printf '%.4f' "$best"
}
echo "| input | s3lint diagnose mean / best (s) | rg -c mean / best (s) | ratio (means) | least CPU s3lint / rg (s), ratio | s3lint peak RSS |"
echo "|---|---|---|---|---|---|"
for f in sparse-200m.log sparse-1g.log dense-100m.log two-lines.txt; do
  read -r sm sb < <(mean_min "target/release/s3lint diagnose --format json $dir/$f")
  read -r rm rb < <(mean_min "rg -c 'Exception|Caused by' $dir/$f")
  sc=$(cpu_min target/release/s3lint diagnose --format json "$dir/$f")
  rc=$(cpu_min rg -c 'Exception|Caused by' "$dir/$f")
  rss=$( { /usr/bin/time -f '%M' target/release/s3lint diagnose --format json "$dir/$f" >/dev/null; } 2>&1 | tail -1)
  ratio=$(python3 -c "print(f'{$sm/$rm:.2f}x')")
  cratio=$(python3 -c "print(f'{$sc/max($rc, 1e-6):.2f}x')")
  echo "| $f ($(du -h "$dir/$f" | cut -f1)) | $sm / $sb | $rm / $rb | $ratio | $sc / $rc, $cratio | $((rss / 1024)) MiB |"
done
target/release/s3lint diagnose --format json "$dir/dense-100m.log" | python3 -c "import json,sys;d=json.load(sys.stdin);print();print('dense log diagnoses:', [(x['case'], x['count']) for x in d['diagnoses']], 'chains:', d['stats']['chains'], 'read as repeats:', d['stats'].get('repeats'))"

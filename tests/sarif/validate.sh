#!/usr/bin/env bash
# Runs Microsoft's SARIF validator (`npx -y @microsoft/sarif-multitool validate`, its SARIF rules and its GitHub
# code-scanning rules) over `s3lint check --format sarif` for every fixture under fixtures/check/ and for
# awkward paths — spaces, `%`, `:`, `#`, non-ASCII — given relative to the working directory, absolute under
# it, and outside it, with findings in files, jar findings and a check that cannot run (exit 2).
# The validator exits 0 even when it reports errors, so its output is read: any error or warning fails.
# Skipped (exit 0) when npx is not installed. S3LINT_BIN picks the binary (default: target/debug/s3lint).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v npx >/dev/null; then
    echo "validate.sh: npx not found, SARIF validation skipped"
    exit 0
fi
bin=${S3LINT_BIN:-target/debug/s3lint}
[ -x "$bin" ] || cargo build --quiet
bin=$(realpath "$bin")

out=$(mktemp -d)
outside=$(mktemp -d)
odd="target/sarif validate 50% a:b #1 réseau"
trap 'rm -rf "$out" "$outside" "$odd"' EXIT
index="$outside/index.txt"
n=0
emit() { # emit CWD PATH: one SARIF file per check, named by number (the validator's command line is a shell's)
    n=$((n + 1))
    (cd "$1" && "$bin" check --format sarif --fail-on never "$2" >"$out/$n.sarif" 2>/dev/null) || true
    if [ ! -s "$out/$n.sarif" ]; then
        echo "validate.sh: no SARIF on stdout for $2" >&2
        exit 1
    fi
    echo "$n.sarif: $2 (from $1)" >>"$index"
}

for case in fixtures/check/*/; do
    emit . "${case%/}"
done
mkdir -p "$odd" "$outside/same $(basename "$odd")"
for case in hadoop-s3a-key-typos flink-1.17-corrupt-jars malformed-core-site; do
    cp -r "fixtures/check/$case" "$odd/"
    cp -r "fixtures/check/$case" "$outside/same $(basename "$odd")/"
    emit . "$odd/$case"                                            # relative, under the working directory
    emit . "$PWD/$odd/$case"                                       # absolute, under the working directory
    emit . "$outside/same $(basename "$odd")/$case"                # absolute, outside it
    emit "$outside" "same $(basename "$odd")/$case"                # relative to another working directory
done

report=$(npx -y @microsoft/sarif-multitool validate --rule-kind '"Sarif;Gh"' "$out" 2>&1)
if ! grep -q "Done. $n files scanned." <<<"$report"; then
    echo "$report"
    echo "validate.sh: the validator did not scan the $n files" >&2
    exit 1
fi
problems=$(grep -E ": (error|warning) [A-Z]+[0-9]+" <<<"$report" || true)
if [ -n "$problems" ]; then
    echo "$problems"
    echo "--- files:"
    cat "$index"
    echo "validate.sh: $(wc -l <<<"$problems") error(s)/warning(s) from the SARIF validator" >&2
    exit 1
fi
echo "validate.sh: $n SARIF logs, 0 errors, 0 warnings (Microsoft SARIF validator, SARIF and GitHub rules)"

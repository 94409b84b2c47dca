#!/usr/bin/env bash
# Regenerates every genuine trace of fixtures/diagnose/genuine/ (see README.md beside this file).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/hadoop/run.sh"
"$here/flink/run.sh"

#!/usr/bin/env bash
# Runs a real LSP client, Neovim headless, against `s3lint server`: opens a copy of a fixture's core-site.xml,
# edits it (non-ASCII text before a misspelt key, so positions are converted for real), waits for the
# diagnostics, hovers, completes, applies the quick fix and checks the finding is gone. Skipped (exit 0) when
# `nvim` is not installed (Debian: `apt-get install neovim`). Needs Neovim 0.7 or newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvim >/dev/null; then
  echo "skipped: nvim is not installed"
  exit 0
fi
bin=${S3LINT_BIN:-target/debug/s3lint}
[ -x "$bin" ] || cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r fixtures/check/hadoop-s3a-key-typos "$work/"
export S3LINT_BIN_ABS FILE RESULT
S3LINT_BIN_ABS=$(realpath "$bin")
FILE="$work/hadoop-s3a-key-typos/etc/hadoop/core-site.xml"
RESULT="$work/result.txt"
status=0
timeout 120 nvim --headless --clean -c "luafile tests/server/nvim.lua" || status=$?
cat "$RESULT" 2>/dev/null || true
if [ "$status" -ne 0 ] || ! grep -q '^ok$' "$RESULT"; then
  echo "FAILED (nvim exit $status)"
  exit 1
fi

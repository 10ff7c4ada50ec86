#!/usr/bin/env bash
# Measures rampart on real specs against its speed and memory targets (benches/lint.rs) and prints
# the results as Markdown, ready for the README.
#
#   scripts/bench.sh [SECTION...]     specs, corpus, small, linearity (default: all of them)
#
# The corpus is RAMPART_CORPUS (default target/corpus), fetched with scripts/fetch-corpus.sh the
# first time; its big/ (the largest specs in JSON and YAML) is made from all/ when missing.
# RAMPART_BENCH_RUNS sets how many runs each median takes (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${RAMPART_CORPUS:-target/corpus}"
if [ -z "$(ls -A "$CORPUS/all" 2>/dev/null)" ]; then
  scripts/fetch-corpus.sh "$CORPUS" >&2
fi
CORPUS="$(cd "$CORPUS" && pwd)"
cargo build --release >&2
MODEL="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores (${MODEL:-unknown CPU}), rampart $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
echo
RAMPART_CORPUS="$CORPUS" cargo bench --bench lint -- "$@"

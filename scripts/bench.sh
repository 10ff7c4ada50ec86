#!/usr/bin/env bash
# Benchmarks rampart on the largest real-world specs (parse-only versus full lint, same run).
# Fetches the corpus with ../shared/corpus/fetch.sh into target/corpus the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${RAMPART_CORPUS:-target/corpus}"
if [ ! -d "$CORPUS/big" ]; then
  ../shared/corpus/fetch.sh "$CORPUS"
fi
RAMPART_CORPUS="$(cd "$CORPUS" && pwd)" cargo bench --bench lint

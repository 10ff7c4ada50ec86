#!/usr/bin/env bash
# Times rampart, Spectral (with the OWASP ruleset) and Redocly CLI (its recommended ruleset) on the
# same files: wall time and peak resident memory of each whole process, writing JSON to a file.
# Prints a Markdown table, ready for the README.
#
#   scripts/compare.sh FILE_OR_DIR...        (a folder stands for its .json, .yaml and .yml files)
#
# Environment:
#   COMPARE_TIMEOUT     seconds each tool may take on one file (default 600)
#   COMPARE_NODE_HEAP   MB of JavaScript heap for Spectral and Redocly (default 8192; Node's own
#                       default is smaller and stops them on the largest specs)
#   RAMPART             the rampart binary (default: target/release/rampart, built from this checkout
#                       first, so that the table names the commit that was measured)
#
# Spectral and Redocly come from the npm registry at pinned versions, installed once into
# ${XDG_CACHE_HOME:-~/.cache}/rampart/compare. Needs node, npm and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

SPECTRAL_CLI=6.16.3
SPECTRAL_OWASP=2.0.1
REDOCLY_CLI=2.77.0
TIMEOUT="${COMPARE_TIMEOUT:-600}"
HEAP="${COMPARE_NODE_HEAP:-8192}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/rampart/compare"
PINS="@stoplight/spectral-cli@$SPECTRAL_CLI @stoplight/spectral-owasp-ruleset@$SPECTRAL_OWASP @redocly/cli@$REDOCLY_CLI"

[ $# -gt 0 ] || { echo "usage: scripts/compare.sh FILE_OR_DIR..." >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh needs GNU time (/usr/bin/time; Debian: apt-get install time)" >&2; exit 2; }

mkdir -p "$CACHE"
if [ "$(cat "$CACHE/.pins" 2>/dev/null)" != "$PINS" ]; then
  echo "installing $PINS into $CACHE" >&2
  echo '{"private": true}' >"$CACHE/package.json"
  # shellcheck disable=SC2086
  (cd "$CACHE" && npm install --no-audit --no-fund --silent --save-exact $PINS >&2)
  echo "$PINS" >"$CACHE/.pins"
fi
# Spectral resolves the ruleset package from the folder of the ruleset file.
printf 'extends:\n  - "@stoplight/spectral-owasp-ruleset"\n' >"$CACHE/.spectral.yaml"

# The release binary is built (or found up to date) so that it is the commit the table names.
RAMPART_GIVEN="${RAMPART:-}"
if [ -z "$RAMPART_GIVEN" ]; then
  cargo build --release >&2
fi
RAMPART="${RAMPART:-$REPO/target/release/rampart}"
RAMPART="$(cd "$(dirname "$RAMPART")" && pwd)/$(basename "$RAMPART")"

files=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$arg" -maxdepth 1 -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0 | sort -z)
  else
    files+=("$arg")
  fi
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
export NODE_OPTIONS="--max-old-space-size=$HEAP"

# measure NAME FILE CMD...: runs CMD from the cache folder (so no project configuration applies),
# standard output to a file; sets ms (wall, around GNU time and timeout), rss (MB, peak resident
# set of the process and its children) and findings, or ms to `>N s` / `failed (exit N)`.
measure() {
  local name="$1" file="$2"
  shift 2
  local out="$WORK/$name.out" rc=0 start end
  start=$(date +%s%N)
  (cd "$CACHE" && /usr/bin/time -o "$WORK/time" -f '%e %M' timeout --kill-after=10 "$TIMEOUT" "$@" >"$out" 2>"$WORK/$name.err") || rc=$?
  end=$(date +%s%N)
  local kb=0
  read -r _ kb < <(grep -E '^[0-9.]+ [0-9]+$' "$WORK/time" | tail -1) || true
  rss=$(awk -v kb="$kb" 'BEGIN { printf "%.0f", kb / 1024 }')
  findings=""
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    ms=">$TIMEOUT s"
    rss="$rss+"
  elif [ "$rc" -gt 1 ]; then
    ms="failed (exit $rc)"
    echo "$name on $file: exit $rc: $(tail -c 300 "$WORK/$name.err")" >&2
  else
    ms=$(((end - start) / 1000000))
    findings=$(count "$name" "$out")
  fi
  rm -f "$out"
}

# count TOOL FILE: the number of findings in a tool's JSON output.
count() {
  node -e '
    const [tool, file] = process.argv.slice(1);
    let n = "?";
    try {
      const j = JSON.parse(require("fs").readFileSync(file, "utf8"));
      if (tool === "spectral") n = j.length;
      else if (tool === "redocly") n = j.totals.errors + j.totals.warnings;
      else n = j.diagnostics.length;
    } catch (e) {}
    console.log(n);
  ' "$1" "$2" 2>/dev/null || echo "?"
}

ratio() {
  case "$2" in
    [0-9]*) awk -v a="$2" -v b="$1" 'BEGIN { if (b > 0) printf "%.0f×", a / b; else print "-" }' ;;
    *) echo "-" ;;
  esac
}

SPECTRAL="$CACHE/node_modules/.bin/spectral"
REDOCLY="$CACHE/node_modules/.bin/redocly"
echo "| file | MB | rampart ms | Spectral ms | Redocly ms | Spectral / rampart | Redocly / rampart | rampart RSS MB | Spectral RSS MB | Redocly RSS MB | findings (rampart / Spectral / Redocly) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for f in "${files[@]}"; do
  abs="$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
  mb=$(awk -v b="$(stat -c %s "$abs")" 'BEGIN { printf (b < 1e5 ? "%.2f" : "%.1f"), b / 1e6 }')
  measure rampart "$abs" "$RAMPART" lint "$abs" --format json
  r_ms=$ms r_rss=$rss r_n=$findings
  measure spectral "$abs" "$SPECTRAL" lint -r "$CACHE/.spectral.yaml" -f json "$abs"
  s_ms=$ms s_rss=$rss s_n=$findings
  measure redocly "$abs" "$REDOCLY" lint --extends recommended --format json "$abs"
  d_ms=$ms d_rss=$rss d_n=$findings
  echo "| $(basename "$f") | $mb | $r_ms | $s_ms | $d_ms | $(ratio "$r_ms" "$s_ms") | $(ratio "$r_ms" "$d_ms") | $r_rss | $s_rss | $d_rss | ${r_n:--} / ${s_n:--} / ${d_n:--} |"
done
echo
echo "Spectral $SPECTRAL_CLI with @stoplight/spectral-owasp-ruleset $SPECTRAL_OWASP; Redocly CLI $REDOCLY_CLI (recommended ruleset);" \
  "rampart $(if [ -n "${RAMPART_GIVEN:-}" ]; then echo "$RAMPART"; else git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'; fi) (default rules); node $(node --version);" \
  "$(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%d); timeout $TIMEOUT s."

#!/usr/bin/env bash
# Whole processes as users run them, side by side with ccusage 20.0.24 on the same generated Claude
# Code tree (issue 19's headline figures): the first daily report on a fresh store, the same again
# with nothing new, status / report monthly / track against a Java hello world, and peak RSS.
# Runs are interleaved (tokenwatch, ccusage, tokenwatch, ...) so both see the same machine; the
# figures are medians of RUNS runs. Writes bench/out/ccusage.md.
#
#   bench/ccusage.sh            RUNS=5, a tree of about 165 MB / 100,000 lines / 1,900 files
#
# ccusage is installed from the npm registry into a temporary directory when npm is available;
# without npm the ccusage rows say so and only tokenwatch's are measured.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
RUNS="${RUNS:-5}"
LINES="${LINES:-100000}"
out="$root/bench/out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
log() { printf '%s ccusage-bench: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

[[ -f app/target/tokenwatch.jar ]] || mvn -B -q -DskipTests package # never install: ~/.m2 is shared
cp_file="$work/benchmarks.cp"
mvn -B -q -o -pl benchmarks dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
benchmarks_cp="$root/benchmarks/target/classes:$(cat "$cp_file")"

tree="$work/claude"
log "generating a Claude Code tree of $LINES lines in 1,900 files"
read -r bytes lines total < <(java -cp "$benchmarks_cp" dev.tokenwatch.benchmarks.ingest.CorpusMain \
  "$tree/projects" "$LINES" 1900 20 2350 full)
export CLAUDE_CONFIG_DIR="$tree"

ccusage=""
if command -v npm >/dev/null 2>&1; then
  log "installing ccusage@20.0.24 from the npm registry into $work/npm"
  if (cd "$work" && mkdir -p npm && cd npm && npm install --silent --no-audit --no-fund ccusage@20.0.24 >/dev/null 2>&1); then
    ccusage="$work/npm/node_modules/.bin/ccusage"
  else
    log "npm install ccusage@20.0.24 failed: ccusage rows are skipped"
  fi
else
  log "npm not found: ccusage rows are skipped"
fi

# The first report needs a fresh store: a state directory of its own per run.
fresh_state() { rm -rf "$work/state"; mkdir -p "$work/state"; }
export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
unset TOKENWATCH_CONFIG

# The command that answers `daily` from the configured source: `report daily` ingests the configured
# sources first where that has landed; otherwise ingest, then report (both timed, as one).
if ./tokenwatch report --help 2>/dev/null | grep -q -- '--no-ingest'; then
  tw_first() { ./tokenwatch report daily --json >/dev/null 2>&1; }
  first_how="\`tokenwatch report daily --json\` (ingests the Claude Code directory first)"
else
  tw_first() { ./tokenwatch ingest --quiet "$tree/projects" >/dev/null 2>&1 && ./tokenwatch report daily --json >/dev/null 2>&1; }
  first_how="\`tokenwatch ingest\` then \`tokenwatch report daily --json\`"
fi
cc_run() { "$ccusage" daily --json --offline --breakdown >/dev/null 2>&1; }

# Wall time of a command in ms; a failing command stops the script (a failed run is no figure).
ms_of() {
  local s e
  s=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { log "failed: $*"; exit 1; }
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
}
kb_of() { /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1; cat "$work/rss"; }
# CPU time (user + system, ms) of a command, its children included: on a loaded machine wall times
# swing with the scheduler, CPU time much less, so both are reported.
cpu_of() {
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null 2>&1 || { log "failed: $*"; exit 1; }
  awk '{printf "%d\n", ($1 + $2) * 1000}' "$work/cpu"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

log "first report on a fresh store, interleaved with ccusage ($RUNS runs each)"
first=() again=() cc=() first_kb=() cc_kb=() first_cpu=() cc_cpu=()
for ((i = 0; i < RUNS; i++)); do
  fresh_state
  first+=("$(ms_of tw_first)")
  again+=("$(ms_of tw_first)")
  fresh_state
  first_cpu+=("$(cpu_of bash -c "$(declare -f tw_first); tw_first")")
  if [[ -n "$ccusage" ]]; then
    cc+=("$(ms_of cc_run)")
    cc_cpu+=("$(cpu_of "$ccusage" daily --json --offline --breakdown)")
  fi
done
fresh_state
first_kb=$(kb_of bash -c "$(declare -f tw_first); tw_first")
if [[ -n "$ccusage" ]]; then
  cc_kb=$(kb_of "$ccusage" daily --json --offline --breakdown)
fi

log "status, report monthly, track against a Java hello world ($RUNS runs each, interleaved)"
mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
  > "$work/hello/Hello.java"
javac -d "$work/hello" "$work/hello/Hello.java"
hello=() status=() monthly=() track=()
# What is timed is the command's own work on the store the first report filled; the check of the
# configured source for new lines is part of the "again" row above.
no_ingest=()
if ./tokenwatch status --help 2>/dev/null | grep -q -- '--no-ingest'; then
  no_ingest=(--no-ingest)
fi
for ((i = 0; i < RUNS; i++)); do
  hello+=("$(ms_of java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp "$work/hello" Hello)")
  status+=("$(ms_of ./tokenwatch status "${no_ingest[@]}")")
  monthly+=("$(ms_of ./tokenwatch report monthly "${no_ingest[@]}")")
  track+=("$(ms_of ./tokenwatch track --model claude-sonnet-4-5 --input 10 --output 5)")
done

m() { printf '%s\n' "$@" | median; }
{
  echo "Tree: $bytes bytes, $lines lines, 1,900 files (generated, seed fixed; token total $total)."
  echo "Medians of $RUNS interleaved runs; machine load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| command | tokenwatch | baseline | baseline's time | ratio | target |"
  echo "|---|---:|---|---:|---:|---|"
  if [[ -n "$ccusage" ]]; then
    awk -v t="$(m "${first[@]}")" -v c="$(m "${cc[@]}")" -v how="$first_how" 'BEGIN {
      printf "| first daily report, fresh store: %s | %d ms | ccusage 20.0.24 `daily --json --offline --breakdown` | %d ms | %.2fx | ≤ 1.0x |\n", how, t, c, t / c }'
    awk -v t="$(m "${first_cpu[@]}")" -v c="$(m "${cc_cpu[@]}")" 'BEGIN {
      printf "| CPU time (user + system) of the first report | %d ms | ccusage | %d ms | %.2fx | (diagnostic) |\n", t, c, t / c }'
    awk -v t="$(m "${again[@]}")" -v c="$(m "${cc[@]}")" 'BEGIN {
      printf "| the same again, nothing new | %d ms | ccusage (re-reads every log) | %d ms | %.2fx | ≤ 0.5x |\n", t, c, t / c }'
    awk -v t="$first_kb" -v c="$cc_kb" 'BEGIN {
      printf "| peak RSS of the first report | %d MB | ccusage | %d MB | %.2fx | ≤ 1.0x |\n", t / 1024, c / 1024, t / c }'
  else
    echo "| first daily report, fresh store | $(m "${first[@]}") ms | ccusage: not measured (no npm) | | | ≤ 1.0x |"
    echo "| the same again, nothing new | $(m "${again[@]}") ms | ccusage: not measured (no npm) | | | ≤ 0.5x |"
  fi
  h=$(m "${hello[@]}")
  for row in "status:$(m "${status[@]}")" "report monthly:$(m "${monthly[@]}")" "track:$(m "${track[@]}")"; do
    awk -v name="${row%%:*}" -v t="${row##*:}" -v h="$h" 'BEGIN {
      printf "| `tokenwatch %s` | %d ms | Java hello world, same JVM options | %d ms | %.1fx | ≤ 3x |\n", name, t, h, t / h }'
  done
} | tee "$out/ccusage.md"

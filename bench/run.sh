#!/usr/bin/env bash
# Builds tokenwatch, runs every benchmark next to its baseline (measured in the same run) and writes
# BENCHMARKS.md at the repository root. Not part of `mvn -B verify` (which only smoke-runs each
# benchmark for a few milliseconds).
#
#   bench/run.sh                 everything, about 35 minutes on 2 cores
#   QUICK=1 bench/run.sh         fewer and shorter iterations, smaller corpora (about 10 minutes)
#
# Settings (environment): FORKS, WARMUP, ITERATIONS, SECONDS_PER_ITERATION for the JMH runs of
# tracking; CORPUS_MB for the ingest benchmark; RUNS for the CLI wall-time medians; MEMORY_LINES
# (two sizes) for the memory check. The per-store benchmarks (file, JDBC, notifiers) use the
# settings their mains state in the output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -n "${QUICK:-}" ]]; then
  : "${FORKS:=1}" "${WARMUP:=2}" "${ITERATIONS:=3}" "${SECONDS_PER_ITERATION:=1}" "${CORPUS_MB:=64}" "${RUNS:=10}"
  : "${MEMORY_LINES:=20000 200000}" "${LEDGER_LINES:=260000}"
fi
FORKS="${FORKS:-1}"
WARMUP="${WARMUP:-3}"
ITERATIONS="${ITERATIONS:-5}"
SECONDS_PER_ITERATION="${SECONDS_PER_ITERATION:-2}"
CORPUS_MB="${CORPUS_MB:-256}"
RUNS="${RUNS:-15}"
MEMORY_LINES="${MEMORY_LINES:-200000 2000000}"
# about 0.38 events a line: 2,600,000 lines make a ledger of about 1,000,000 events
LEDGER_LINES="${LEDGER_LINES:-2600000}"

out="$root/bench/out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
# JMH refuses to start while another JMH run holds /tmp/jmh.lock; this script runs them one after another.
jmh=(-Djmh.ignoreLock=true)

log() { printf '%s bench: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Runs a benchmark main: its full output goes to bench/out/NAME.log, the table it ends with to NAME.md.
run_table() {
  local name="$1"
  shift
  java "${jmh[@]}" "$@" > "$out/$name.log" 2>&1
  grep -E '^(\||corpus:|reIngest)' "$out/$name.log" | tee "$out/$name.md"
}

log "building (mvn -B -q -DskipTests install)"
mvn -B -q -DskipTests install

# The runtime class path of a module, its test classes included (benchmarks of adapters live there).
classpath_of() {
  local module="$1"
  mvn -B -q -o -pl "$module" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/$module.cp" >/dev/null
  printf '%s:%s:%s' "$root/$module/target/test-classes" "$root/$module/target/classes" "$(cat "$work/$module.cp")"
}
benchmarks_cp="$(classpath_of benchmarks)"

log "1/7 TokenTracker.track, in-memory and file store, audit off and on"
run_table track -cp "$benchmarks_cp" dev.tokenwatch.benchmarks.TrackBenchmarkMain \
  "$FORKS" "$WARMUP" "$ITERATIONS" "$SECONDS_PER_ITERATION"

log "2/7 file store"
file_cp="$(classpath_of persistence-file)"
run_table file-store -cp "$file_cp" dev.tokenwatch.persistence.file.bench.BenchmarkMain
# The same two operations in alternating blocks in one JVM: JMH's forks run a minute apart, and this
# disk's speed drifts more than that between them.
java -cp "$file_cp" dev.tokenwatch.persistence.file.bench.InterleavedMain 20 5 20 > "$out/file-store-interleaved.log" 2>&1
grep -E '^(\||[0-9]+ rounds)' "$out/file-store-interleaved.log" | tee "$out/file-store-interleaved.md"

log "3/7 JDBC stores (H2 and embedded PostgreSQL)"
run_table jdbc-store -cp "$(classpath_of persistence-jdbc)" dev.tokenwatch.persistence.jdbc.bench.JdbcBenchmarkMain

log "4/7 ingest into the memory, file and H2 stores (${CORPUS_MB} MB corpus)"
run_table ingest -Dtokenwatch.bench.dir="$work" -cp "$benchmarks_cp" \
  dev.tokenwatch.benchmarks.ingest.IngestBenchmarkMain "$CORPUS_MB" memory,file,h2

log "5/7 CLI wall time (median of $RUNS runs each)"
# The baseline: a Java hello world launched the same way as ./tokenwatch (same JVM options, no
# application class-data archive since it has none of its own to use).
mkdir -p "$work/hello"
cat > "$work/hello/Hello.java" <<'EOF'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
EOF
javac -d "$work/hello" "$work/hello/Hello.java"
jvm_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto)

export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
# status reads Claude Code's logs first: point it at an empty place, not this machine's ~/.claude
export CLAUDE_CONFIG_DIR="$work/claude"
unset TOKENWATCH_CONFIG
./tokenwatch track --model gpt-4o --input 1200 --output 300 >/dev/null 2>&1

# Prints the median wall time in milliseconds of running the given command RUNS times.
median_ms() {
  local times=()
  for ((i = 0; i < RUNS; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
"./tokenwatch" --version >/dev/null # warm the page cache
hello=$(median_ms java "${jvm_opts[@]}" -cp "$work/hello" Hello)
version=$(median_ms ./tokenwatch --version)
status=$(median_ms ./tokenwatch status)
track=$(median_ms ./tokenwatch track --model gpt-4o --input 10 --output 5)
status_no_cds=$(TOKENWATCH_JAVA_OPTS=-Xshare:off median_ms ./tokenwatch status)
{
  echo "| command | median wall time | baseline: hello world | ratio | target |"
  echo "|---|---:|---:|---:|---|"
  awk -v h="$hello" -v v="$version" -v s="$status" -v t="$track" -v n="$status_no_cds" 'BEGIN {
    printf "| `tokenwatch --version` | %d ms | %d ms | %.1fx | |\n", v, h, v / h
    printf "| `tokenwatch status` (file store) | %d ms | %d ms | %.1fx | ≤ 6x |\n", s, h, s / h
    printf "| `tokenwatch track ...` (file store) | %d ms | %d ms | %.1fx | |\n", t, h, t / h
    printf "| `tokenwatch status` without class-data sharing (`-Xshare:off`) | %d ms | %d ms | %.1fx | |\n", n, h, n / h
  }'
} | tee "$out/cli.md"

log "6/7 peak RSS: status, and ingest of two corpus sizes"
# Peak RSS in KB and wall time in seconds of a command, as "KB SECONDS".
rss_kb_s() { /usr/bin/time -f '%M %e' -o "$work/rss" "$@" >/dev/null 2>&1; cat "$work/rss"; }
{
  echo "| what | peak RSS | wall time |"
  echo "|---|---:|---:|"
  read -r kb s < <(rss_kb_s ./tokenwatch status)
  echo "| \`tokenwatch status\` (file store) | $((kb / 1024)) MB | $s s |"
  first_kb=""
  for lines in $MEMORY_LINES; do
    corpus="$work/corpus-$lines"
    read -r bytes actual_lines _ < <(java -cp "$benchmarks_cp" dev.tokenwatch.benchmarks.ingest.CorpusMain "$corpus" "$lines")
    export XDG_STATE_HOME="$work/state-$lines"
    read -r kb s < <(rss_kb_s ./tokenwatch ingest --quiet "$corpus")
    : "${first_kb:=$kb}"
    ratio=$(awk -v a="$kb" -v b="$first_kb" 'BEGIN { printf "%.2f", a / b }')
    echo "| \`tokenwatch ingest\` of $actual_lines lines ($((bytes / 1000000)) MB) into the file store | $((kb / 1024)) MB (${ratio}x the first size) | $s s |"
    read -r kb s < <(rss_kb_s ./tokenwatch status)
    echo "| \`tokenwatch status\` on that store | $((kb / 1024)) MB | $s s |"
  done
} | tee "$out/memory.md"

log "7/7 the ledger: report daily --by model vs status on one store (${LEDGER_LINES} lines)"
# Whole processes on the same store, interleaved run by run (status, report, status, report, ...)
# so both see the same machine; then each command's peak RSS.
ledger_corpus="$work/ledger-corpus"
java -cp "$benchmarks_cp" dev.tokenwatch.benchmarks.ingest.CorpusMain "$ledger_corpus" "$LEDGER_LINES" >/dev/null
# Prints "STATUS_MS REPORT_MS": the medians of RUNS interleaved runs of each.
interleaved_ms() {
  local status_times=() report_times=()
  for ((i = 0; i < RUNS; i++)); do
    local a b c
    a=$(date +%s%N); ./tokenwatch status >/dev/null 2>&1
    b=$(date +%s%N); ./tokenwatch report daily --by model >/dev/null 2>&1
    c=$(date +%s%N)
    status_times+=($(((b - a) / 1000000))); report_times+=($(((c - b) / 1000000)))
  done
  local med='{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
  echo "$(printf '%s\n' "${status_times[@]}" | sort -n | awk "$med") $(printf '%s\n' "${report_times[@]}" | sort -n | awk "$med")"
}
{
  echo "| store | events in the ledger | \`status\` | \`report daily --by model\` | ratio | target | peak RSS status / report | ratio | target |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|---|"
  for store in file h2; do
    ledger_home="$work/ledger-$store"
    mkdir -p "$ledger_home"
    if [[ "$store" == file ]]; then store_yaml="{type: file, path: $ledger_home/usage}"; else store_yaml="{type: jdbc, url: \"jdbc:h2:$ledger_home/usage\"}"; fi
    printf 'budget: {limit: 1000000000000}\nstore: %s\nnotifiers: []\n' "$store_yaml" > "$ledger_home/tokenwatch.yaml"
    export TOKENWATCH_CONFIG="$ledger_home/tokenwatch.yaml" XDG_STATE_HOME="$ledger_home/state"
    ./tokenwatch ingest --quiet "$ledger_corpus" >/dev/null 2>&1
    events=$(./tokenwatch report monthly --json 2>/dev/null | awk -F': ' '/"calls"/ {gsub(/[ ,}]/, "", $2); c = $2} END {print c}')
    read -r s_ms r_ms < <(interleaved_ms)
    read -r s_kb _ < <(rss_kb_s ./tokenwatch status)
    read -r r_kb _ < <(rss_kb_s ./tokenwatch report daily --by model)
    awk -v st="$store" -v e="$events" -v s="$s_ms" -v r="$r_ms" -v sk="$s_kb" -v rk="$r_kb" 'BEGIN {
      printf "| %s | %d | %d ms | %d ms | %.2fx | ≤ 1.5x | %d / %d MB | %.2fx | ≤ 1.2x |\n", st, e, s, r, r / s, sk / 1024, rk / 1024, rk / sk
    }'
  done
  unset TOKENWATCH_CONFIG
} | tee "$out/ledger.md"

log "writing BENCHMARKS.md"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Every figure sits next to a baseline"
  echo "measured in the same run on the same machine: the machine is shared and noisy, so ratios are the claim,"
  echo "absolute numbers are not. Targets are those of the issues; a missed target is marked, never adjusted."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB,"
  echo "$(java -version 2>&1 | head -1), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "JMH settings for tracking: $FORKS fork(s), $WARMUP warm-up and $ITERATIONS measured iterations of ${SECONDS_PER_ITERATION} s."
  echo
  echo "## 1. TokenTracker.track (in-memory and file store, audit trail off and on)"
  echo
  echo "Audit on is the app's audit trail (\`FileAuditTrail\`: each event encoded by Jackson as one JSON line and"
  echo "appended to \`audit.jsonl\` with one \`write\` under the OS lock, so the line is in the kernel when \`track\`"
  echo "returns). Baselines: audit off rows, \`AtomicLong.addAndGet\` plus an array store, the floor of \"count and"
  echo "remember\", same thread count; audit on rows, the same store and thread count with the audit trail off."
  echo "Targets (issue 19): file store with audit on ≥ 0.9x without; in-memory store with audit on ≥ 200,000/s."
  echo
  cat "$out/track.md"
  echo
  echo "## 2. File store"
  echo
  echo "Baseline: a bare loop appending 200-byte records with one \`FileChannel.force\` each. Targets: single-thread"
  echo "\`recordOne\` ≥ 0.5x the baseline; 4 threads ≥ 2x single-thread."
  echo
  cat "$out/file-store.md"
  echo
  echo "The same two operations interleaved in one JVM (blocks of 20, baseline then store, repeated), so both"
  echo "see the same disk at the same moment; a supplement to the JMH table above, whose forks run a minute apart:"
  echo
  cat "$out/file-store-interleaved.md"
  echo
  echo "## 3. JDBC stores"
  echo
  echo "Baseline: a bare JDBC loop doing one \`UPDATE counter SET v = v + ?\` plus one \`INSERT\` per transaction on the"
  echo "same database. Target: ≥ 70% of the baseline."
  echo
  cat "$out/jdbc-store.md"
  echo
  echo "## 4. Ingest (generated Claude Code corpus)"
  echo
  echo "Baseline: a bare single-threaded read of the same files counting line breaks. Targets: first ingest into the"
  echo "file store ≥ 150 MB/s; re-ingest of the unchanged tree ≥ 20x faster than the first."
  echo
  cat "$out/ingest.md"
  echo
  echo "## 5. CLI wall time"
  echo
  echo "Median of $RUNS runs. The launcher (\`./tokenwatch\`) runs C1 only (\`-XX:TieredStopAtLevel=1\`: a CLI run is"
  echo "over before C2 would pay off), Serial GC (no GC threads to start), \`-XX:-UsePerfData\` (no hsperf file) and"
  echo "the application class-data archive (AppCDS): \`mvn package\` lists the classes a training run of \`status\` loads and dumps"
  echo "them into a static archive (Java 17 archives picocli's pre-Java-6 class files only in a static one);"
  echo "the hello world baseline runs with the same options. The application builds no Guice injector for"
  echo "\`--version\`, \`--help\` and \`config\`, scans no class path, and opens only the adapters a command uses."
  echo
  cat "$out/cli.md"
  echo
  echo "## 6. Memory"
  echo
  cat "$out/memory.md"
  echo
  echo "## 7. The usage ledger: a report against status on the same store"
  echo
  echo "A generated Claude Code corpus of $LEDGER_LINES lines ingested into a fresh store, then \`status\` and"
  echo "\`report daily --by model\` run in turn $RUNS times each (medians), then once each under \`/usr/bin/time\`"
  echo "for the peak RSS. Targets (issue 13): the report's wall time at most 1.5x \`status\`'s, its peak RSS at"
  echo "most 1.2x."
  echo
  cat "$out/ledger.md"
  echo
  cat bench/FINDINGS.md
} > BENCHMARKS.md
log "done: BENCHMARKS.md"

#!/usr/bin/env bash
# Start-up per command (issue 19): status, report monthly, track and statusline of the checkouts given
# (default: this one) against a Java hello world started with the launcher's JVM options, whole
# processes, interleaved (hello, then each command of each checkout in turn), medians of RUNS runs:
# wall time and user + system CPU time (the steadier figure on a shared machine), each also as a
# ratio to the hello world's. The store is a temporary one filled from a generated Claude Code tree
# of LINES lines; every checkout reads the same store and the same tree (its implicit ingest finds
# nothing new). Needs each checkout's distribution (mvn -B -o -q -DskipTests package).
#
#   bench/startup.sh                      RUNS=7, LINES=20000, this checkout
#   bench/startup.sh /path/a /path/b      two checkouts side by side (before / after)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-7}"
LINES="${LINES:-20000}"
checkouts=("$@")
((${#checkouts[@]})) || checkouts=("$root")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp_file="$work/benchmarks.cp"
(cd "$root" && mvn -B -q -o -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
java -cp "$root/benchmarks/target/classes:$(cat "$cp_file")" dev.tokenwatch.benchmarks.ingest.CorpusMain \
  "$work/home/.claude/projects" "$LINES" 200 20 500 full >/dev/null
export HOME="$work/home" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
unset TOKENWATCH_CONFIG CLAUDE_CONFIG_DIR
"${checkouts[0]}/tokenwatch" ingest --quiet "$work/home/.claude/projects" >/dev/null

mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
  > "$work/hello/Hello.java"
javac -d "$work/hello" "$work/hello/Hello.java"
# The launcher's options for a short command (see ./tokenwatch), with the JDK's default CDS archive.
hello=(java -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr
  -XX:TieredStopAtLevel=1 -cp "$work/hello" Hello)
commands=("status --no-ingest" "status" "report monthly --no-ingest" "track --model m --input 1 --output 1"
  "statusline")

declare -A wall cpu
one() { # key, command...
  local key="$1" s e
  shift
  s=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null 2>"$work/err" </dev/null \
    || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  e=$(date +%s%N)
  wall[$key]+="$(((e - s) / 1000000)) "
  cpu[$key]+="$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu") "
}
for ((i = 0; i < RUNS; i++)); do
  one hello "${hello[@]}"
  for c in "${commands[@]}"; do
    for d in "${checkouts[@]}"; do
      # shellcheck disable=SC2086 # the command's words
      one "$d|$c" "$d/tokenwatch" $c
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
hw=$(echo "${wall[hello]}" | median)
hc=$(echo "${cpu[hello]}" | median)
echo "Medians of $RUNS interleaved runs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Java hello world: $hw ms wall, $hc ms CPU."
echo
echo "| command | checkout | wall | x hello | CPU (user + sys) | x hello |"
echo "|---|---|---:|---:|---:|---:|"
for c in "${commands[@]}"; do
  for d in "${checkouts[@]}"; do
    w=$(echo "${wall[$d|$c]}" | median)
    u=$(echo "${cpu[$d|$c]}" | median)
    awk -v c="$c" -v d="$d" -v w="$w" -v u="$u" -v hw="$hw" -v hc="$hc" 'BEGIN {
      printf "| `%s` | %s | %d ms | %.2fx | %d ms | %.2fx |\n", c, d, w, w / hw, u, u / hc }'
  done
done

#!/usr/bin/env bash
# Runs the same JMH benchmarks from two builds of tokenwatch in alternating rounds (base, head, base,
# head, ...) so both see the same machine, and prints each benchmark's median score per build and the
# ratio head/base. Both trees must be built (mvn -B -q -DskipTests package, test classes included).
#
#   bench/versions.sh BASE_TREE [ROUNDS] -- JMH_ARGS...
#
# Example: bench/versions.sh /tmp/base 3 -- 'TrackBenchmark.track1Thread' -p store=memory,file -p audit=off
set -euo pipefail
head_tree="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_tree="$(cd "$1" && pwd)"
rounds="${2:-3}"
shift 2
[[ "${1:-}" == "--" ]] && shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The class path of the benchmarks module of a tree, with the adapters' test classes (their benchmarks).
classpath_of() {
  local tree="$1" cp=""
  (cd "$tree" && mvn -B -q -o -pl benchmarks dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp" >/dev/null)
  # the reactor's own modules from the tree itself, not from the local repository
  cp="$(tr ':' '\n' < "$work/cp" | grep -v '/dev/tokenwatch/' | paste -sd:)"
  for m in benchmarks app ingest persistence-file persistence-jdbc notifier-console notifier-slack monitoring-domain; do
    cp="$tree/$m/target/classes:$tree/$m/target/test-classes:$cp"
  done
  printf '%s' "$cp"
}
base_cp="$(classpath_of "$base_tree")"
head_cp="$(classpath_of "$head_tree")"

for ((r = 1; r <= rounds; r++)); do
  for side in base head; do
    cp="$base_cp"; [[ "$side" == head ]] && cp="$head_cp"
    java -Djmh.ignoreLock=true -cp "$cp" org.openjdk.jmh.Main "$@" -rf csv -rff "$work/$side-$r.csv" >"$work/$side-$r.log" 2>&1 \
      || { echo "$side round $r failed:" >&2; tail -20 "$work/$side-$r.log" >&2; exit 1; }
    echo "round $r $side done" >&2
  done
done

# One line per benchmark and parameters: the median score of each side and head/base.
python3 - "$work" "$rounds" <<'PY'
import csv, glob, statistics, sys, os
work, rounds = sys.argv[1], int(sys.argv[2])
scores = {}
for side in ("base", "head"):
    for f in glob.glob(os.path.join(work, side + "-*.csv")):
        with open(f) as fh:
            rows = list(csv.reader(fh))
        header = rows[0]
        params = [i for i, h in enumerate(header) if h.startswith("Param: ")]
        for row in rows[1:]:
            key = row[0].rsplit(".", 2)[-2] + "." + row[0].rsplit(".", 1)[-1] + " " + " ".join(
                header[i][7:] + "=" + row[i] for i in params
                # a parameter at its default of 1 (budgets) is left out: the base may not have it
                if row[i] and not (header[i] == "Param: budgets" and row[i] == "1"))
            scores.setdefault(key, {}).setdefault(side, []).append(float(row[4]))
            scores[key]["unit"] = row[6]
print("| benchmark | base (median of %d) | head (median of %d) | head / base |" % (rounds, rounds))
print("|---|---:|---:|---:|")
for key in sorted(scores):
    s = scores[key]
    b = statistics.median(s["base"]) if "base" in s else None
    h = statistics.median(s["head"]) if "head" in s else None
    ratio = "%.2fx" % (h / b) if b and h else "-"
    fmt = lambda v: "-" if v is None else "{:,.0f} {}".format(v, s["unit"])
    print("| %s | %s | %s | %s |" % (key, fmt(b), fmt(h), ratio))
PY

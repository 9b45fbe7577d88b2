#!/usr/bin/env bash
# Language identification throughput from one bench_langid run: texts/s
# (median of 3 repetitions, CPU time) for supportnlp, CLD2 and fastText
# lid.176 on lingua's sentences and on 300-byte sample tickets, and the
# ratios ours/CLD2 and ours/fastText. Run it on a quiet machine; it prints
# the load average it started and ended with; the repetitions are randomly
# interleaved so that a change of load hits the three systems alike.
# LANGID_BENCH_ARGS adds flags
# (e.g. --benchmark_min_time=0.1 for a quick check).
#
#   benchmarks/eval/langid_speed.sh [BENCH_LANGID_BINARY] [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bench=${1:-$here/build/benchmarks/bench_langid}
work=${2:-$here/build/eval-langid}
mkdir -p "$work"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_out="$work/bench_langid.json" --benchmark_out_format=json ${LANGID_BENCH_ARGS:-} >/dev/null 2>"$work/bench_langid.log"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/bench_langid.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
med = {}  # run name -> median items/s (Google Benchmark derives it from CPU time)
for r in runs:
    if r.get("aggregate_name") == "median":
        med[r["run_name"]] = r.get("items_per_second", 0.0)
print("| input | supportnlp texts/s | CLD2 texts/s | fastText texts/s | ours/CLD2 | ours/fastText |")
print("|---|---|---|---|---|---|")
for arg, name in (("0", "lingua sentences"), ("1", "300-byte tickets")):
    o, c, f = (med.get("BM_Langid%s/%s" % (s, arg), 0.0) for s in ("Ours", "CLD2", "FastText"))
    ratio = lambda a, b: "%.2f" % (a / b) if a and b else "-"
    print("| %s | %.0f | %.0f | %.0f | %s | %s |" % (name, o, c, f, ratio(o, c), ratio(o, f)))
PY

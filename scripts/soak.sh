#!/usr/bin/env bash
# Soak and concurrency checks of the Analyzer and the C API (issue 15), kept
# out of the default test suite because they take many minutes.
#
#   scripts/soak.sh [--tickets N] [--seconds S] [--threads T] [--distinct K]
#       Release build in ${BUILD_DIR:-build}. First the soak:
#       Analyzer::analyze on N generated tickets (default 1,000,000),
#       checking that RSS stays within 10% of its value after warm-up and that
#       no record is lost (RSS curve written to $BUILD_DIR/soak_rss.csv). Then
#       T threads (default 8) share one Analyzer and the C API handles for S
#       seconds (default 60) over K tickets (default 500), every output
#       compared with a single thread's.
#   scripts/soak.sh --tsan [--seconds S] [--threads T] [--distinct K]
#       The threads run alone, for S seconds (default 600) over K tickets
#       (default 150, about one in ten pathological; TSan is 5-15 times
#       slower), in a ThreadSanitizer build in build-tsan-soak (RelWithDebInfo).
#
# Exits non-zero if a check fails (or TSan reports anything).
set -euo pipefail
cd "$(dirname "$0")/.."

tsan=0 tickets=1000000 seconds="" threads=8 distinct=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --tsan) tsan=1; shift ;;
    --tickets) tickets=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --distinct) distinct=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
jobs=${JOBS:-$(nproc)}

if [[ $tsan == 1 ]]; then
  dir=build-tsan-soak
  [[ -f $dir/CMakeCache.txt ]] || cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSUPPORTNLP_SANITIZE=thread -DSUPPORTNLP_BUILD_EXAMPLES=OFF -DSUPPORTNLP_BUILD_TESTS=OFF >/dev/null
  cmake --build "$dir" --parallel "$jobs" --target bench_soak
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
  echo "== ThreadSanitizer: $threads threads for ${seconds:-600} s"
  "$dir/benchmarks/bench_soak" --threads "$threads" --seconds "${seconds:-600}" \
    --distinct "${distinct:-150}"
  exit
fi

dir=${BUILD_DIR:-build}
[[ -f $dir/CMakeCache.txt ]] || cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir" --parallel "$jobs" --target bench_soak
echo "== Soak: $tickets tickets"
"$dir/benchmarks/bench_soak" --tickets "$tickets" --csv "$dir/soak_rss.csv"
echo "== Threads: $threads threads for ${seconds:-60} s"
"$dir/benchmarks/bench_soak" --threads "$threads" --seconds "${seconds:-60}" \
  --distinct "${distinct:-500}"

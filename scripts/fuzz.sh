#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, clang, ASan + UBSan) in
# ${FUZZ_BUILD_DIR:-build-fuzz} and runs each for SECONDS_PER_HARNESS seconds
# (default 15), one after another, then prints executions, coverage and
# crashes per harness. Exits 1 if any harness found a crash, leak, timeout
# (one input taking longer than ${FUZZ_TIMEOUT:-1} s), out-of-memory or
# UBSan report; its input is left in <build>/fuzz/artifacts/<harness>/.
#
#   scripts/fuzz.sh [SECONDS_PER_HARNESS]
#
# Environment:
#   FUZZ_HARNESSES="kb pii"  run only these (default: all)
#   FUZZ_BIG_SEEDS=1         also seed the model harnesses with data/models/*.snlp
#                            (3-8 MB each: far fewer executions per second)
#   FUZZ_TIMEOUT=N           seconds one input may take (default 1)
#   FUZZ_RSS_MB=N            memory limit per harness (default 2048)
#   FUZZ_BUILD_DIR=DIR       build directory (default build-fuzz)
#   FUZZ_CONFIGURE=0         DIR is already configured (scripts/test.sh's
#                            AddressSanitizer pass): build the harnesses only
# Corpora grow across runs in <build>/fuzz/corpus/<harness>/ (not committed);
# seeds are regenerated into <build>/fuzz/seeds/ by fuzz_seeds on each run.
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (scripts/setup.sh installs it)" >&2
  exit 1
fi

echo "== Fuzz build (clang, libFuzzer, ASan+UBSan) in $build"
# FUZZ_CONFIGURE=0: $build is already configured with SUPPORTNLP_FUZZ=ON (the
# AddressSanitizer pass of scripts/test.sh); only make sure the harnesses
# are built.
if [[ "${FUZZ_CONFIGURE:-1}" != 0 ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" \
    -DSUPPORTNLP_SANITIZE="address;undefined" -DSUPPORTNLP_FUZZ=ON \
    -DSUPPORTNLP_BUILD_BENCHMARKS=OFF -DSUPPORTNLP_BUILD_EXAMPLES=OFF >/dev/null
elif ! grep -q '^SUPPORTNLP_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz: FUZZ_CONFIGURE=0 but $build is not configured with SUPPORTNLP_FUZZ=ON" >&2
  exit 1
fi
cmake --build "$build" --target fuzz_all --parallel "$jobs"

work="$build/fuzz"
harnesses=${FUZZ_HARNESSES:-$(sed -n '/^set(SUPPORTNLP_FUZZ_HARNESSES/,/)/p' tests/fuzz/CMakeLists.txt |
  tr -d '()' | sed 's/set//; s/SUPPORTNLP_FUZZ_HARNESSES//' | tr -s ' \n' ' ')}
rm -rf "$work/seeds"
mkdir -p "$work/seeds" "$work/logs"
export SUPPORTNLP_DATA="$PWD/data"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$build/tests/fuzz/fuzz_seeds" "$work/seeds" "$PWD/data" >/dev/null

if [[ "${FUZZ_BIG_SEEDS:-0}" == 1 ]]; then
  cp data/models/intent.snlp "$work/seeds/intent_model/shipped"
  cp data/models/encoder.snlp "$work/seeds/static_encoder/shipped"
  cp data/models/langid.snlp "$work/seeds/langid/shipped"
  for m in data/models/*.snlp; do cp "$m" "$work/seeds/model_file/shipped-$(basename "$m")"; done
fi

echo "== Fuzzing each harness for ${seconds}s"
failed=0
rows=()
for h in $harnesses; do
  corpus="$work/corpus/$h"
  artifacts="$work/artifacts/$h/"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus" "$work/seeds/$h")
  [[ -d "tests/data/fuzz-regressions/$h" ]] && dirs+=("tests/data/fuzz-regressions/$h")
  log="$work/logs/$h.log"
  status=0
  # FUZZ_RUNS (CI): a fixed number of executions from a fixed seed, so the
  # smoke run explores the same inputs every time and a red CI means a
  # reproducible finding, not a lucky mutation; the time limit still bounds it.
  budget=(-max_total_time="$seconds")
  [[ -n ${FUZZ_RUNS:-} ]] && budget+=(-runs="$FUZZ_RUNS" -seed=1)
  "$build/tests/fuzz/fuzz_$h" "${dirs[@]}" "${budget[@]}" \
    -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1 \
    -artifact_prefix="$artifacts" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  line=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
  corp=$(sed -n 's/.*corp: \([0-9]*\).*/\1/p' <<<"$line")
  rate=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$line")
  found=$(find "$artifacts" -type f | wc -l)
  if [[ $status -ne 0 || $found -ne 0 ]]; then
    failed=1
    echo "-- fuzz_$h failed (exit $status); input(s) in $artifacts; end of $log:" >&2
    grep -E 'ERROR|runtime error|SUMMARY|check failed|Test unit written|ALARM|timeout' "$log" | head -20 >&2 || true
  fi
  rows+=("$(printf '%-16s %12s %8s %7s %7s %6s %8s' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$found")")
done

echo
printf '%-16s %12s %8s %7s %7s %6s %8s\n' harness execs exec/s cov ft corpus crashes
printf '%s\n' "${rows[@]}"
exit $failed

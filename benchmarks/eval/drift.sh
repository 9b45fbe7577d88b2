#!/usr/bin/env bash
# Drift evaluation (issue 17), as one JSON object on stdout (progress on
# stderr): the injected emerging issue of data/samples/stream.jsonl flagged
# (last two weeks against the six before), and the false-alarm count over
# 20 random halves of those six weeks; the same on a larger stream generated
# at run time from ../shared/datasets/banking77 (never committed), plus that
# stream without its injected issue. About two minutes on one core.
#
#   benchmarks/eval/drift.sh [SUPPORTNLP_BINARY] [SHARED_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/examples/supportnlp}
shared=${2:-$here/../shared}
exec python3 "$here/benchmarks/eval/drift_eval.py" --cli "$bin" --shared "$shared"

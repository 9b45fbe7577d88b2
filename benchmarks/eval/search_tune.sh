#!/usr/bin/env bash
# Grid search of the hybrid fusion weights on the StackFAQ DEV split only
# (never the test split). Prints one JSON line per setting, best nDCG@10 last.
#
# usage: benchmarks/eval/search_tune.sh [BUILD_DIR] [ENCODER]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build}"
encoder="${2:-$here/data/models/encoder.snlp}"
data="${SUPPORTNLP_SHARED_DIR:-$here/../shared}/datasets/stackfaq"
cli="$build/examples/supportnlp"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$cli" kb build --articles "$data/corpus.tsv" --output "$work/dev.kb" --encoder "$encoder" >&2
{
  for lw in 0.25 0.5 1 2 4; do
    for sat in 2 4 8 16; do
      "$cli" eval search --kb "$work/dev.kb" --encoder "$encoder" --mode hybrid --fusion linear \
        --lexical-weight "$lw" --lexical-saturation "$sat" \
        --queries "$data/queries.dev.tsv" --qrels "$data/qrels.dev.tsv" |
        sed "s/^{/{\"lexical_weight\":$lw,\"lexical_saturation\":$sat,/"
    done
  done
  for dw in 0.25 0.5 1 2; do
    "$cli" eval search --kb "$work/dev.kb" --encoder "$encoder" --mode hybrid --fusion rrf \
      --dense-weight "$dw" --lexical-weight 1 \
      --queries "$data/queries.dev.tsv" --qrels "$data/qrels.dev.tsv" |
      sed "s/^{/{\"dense_weight\":$dw,/"
  done
} | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
for r in sorted(rows, key=lambda r: r["ndcg@10"]):
    print(json.dumps(r))'

#!/usr/bin/env bash
# StackFAQ retrieval: builds the KB from corpus.tsv with the bundled encoder,
# evaluates dense, lexical (BM25) and hybrid search with `supportnlp eval
# search`, and runs Xapian BM25 (python3-xapian, English stemming) on the same
# split for the peer row. Fusion weights are the library defaults, tuned on
# the dev split only (benchmarks/eval/search_tune.sh); report the test split.
#
# usage: benchmarks/eval/search.sh [BUILD_DIR] [SPLIT=test] [ENCODER]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build}"
split="${2:-test}"
encoder="${3:-$here/data/models/encoder.snlp}"
data="${SUPPORTNLP_SHARED_DIR:-$here/../shared}/datasets/stackfaq"
cli="$build/examples/supportnlp"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$cli" kb build --articles "$data/corpus.tsv" --output "$work/stackfaq.kb" --encoder "$encoder" >&2
for mode in dense lexical hybrid; do
  "$cli" eval search --kb "$work/stackfaq.kb" --encoder "$encoder" --mode "$mode" \
    --queries "$data/queries.$split.tsv" --qrels "$data/qrels.$split.tsv" |
    sed "s/^{/{\"split\":\"$split\",\"system\":\"supportnlp\",/"
done
/usr/bin/python3 "$here/benchmarks/eval/search_xapian.py" "$data/corpus.tsv" \
  "$data/queries.$split.tsv" "$data/qrels.$split.tsv" |
  sed "s/^{/{\"split\": \"$split\", \"system\": \"xapian\", /"

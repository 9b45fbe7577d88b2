#!/usr/bin/env bash
# Sample KB (data/kb) retrieval on its judged queries (data/kb/queries.tsv,
# qrels.tsv: 45 questions written for this project, graded 2 = answers it,
# 1 = related): dense, lexical and hybrid rows from `supportnlp eval search`,
# with the default analysis and with sign-in phrase terms off
# (--no-phrases), so the effect of that option is measured. 45 queries are
# a smoke test for the shipped sample, not a benchmark: StackFAQ
# (search.sh) is where quality is measured.
#
# usage: benchmarks/eval/search_sample_kb.sh [BUILD_DIR] [ENCODER]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build}"
encoder="${2:-$here/data/models/encoder.snlp}"
cli="$build/examples/supportnlp"
kb="$here/data/kb"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for variant in default no-phrases; do
  flags=()
  [ "$variant" = no-phrases ] && flags=(--no-phrases)
  "$cli" kb build --articles "$kb/articles.jsonl" --output "$work/$variant.kb" \
    --encoder "$encoder" "${flags[@]}" >&2
  for mode in dense lexical hybrid; do
    "$cli" eval search --kb "$work/$variant.kb" --encoder "$encoder" --mode "$mode" \
      --queries "$kb/queries.tsv" --qrels "$kb/qrels.tsv" |
      sed "s/^{/{\"kb\":\"sample\",\"analysis\":\"$variant\",/"
  done
done

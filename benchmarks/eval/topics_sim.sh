#!/usr/bin/env bash
# Emerging-issue simulation on BANKING77 TRAIN only (docs/topics.md,
# "Simulation"): how the method and defaults of `supportnlp topics` were
# chosen without reading a test split. BANKING77 train is split by text 70/30
# (train part / a batch of about 3,000 texts, as large as the test split);
# each of DRAWS draws holds out 5 intents drawn from all 77, trains an intent
# model on the train part without them and runs `supportnlp topics` (default
# selection) over the batch; a held-out intent passes as in topics.sh.
# VARIANTS: lines "name|extra topics arguments" (default: the shipped
# defaults only). Prints one JSON line per draw and variant, then a summary
# per variant. Intent models are cached in WORK.
set -euo pipefail
DRAWS=${DRAWS:-12}
VARIANTS=${VARIANTS:-"default|"}
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/topics_common.sh" eval-topics-sim # WORK defaults to $BUILD/eval-topics-sim
H=$ROOT/benchmarks/eval/topics_sim.py

$PY "$H" prepare "$SHARED/banking77/train.tsv" "$WORK" "$DRAWS" >&2
: >"$WORK/results.jsonl"
for d in $(seq 1 "$DRAWS"); do
  [ -f "$WORK/intent-$d.snlp" ] ||
    "$S" train intent --train "$WORK/train-$d.tsv" --output "$WORK/intent-$d.snlp" \
      --threads "${THREADS:-2}" --quiet >/dev/null
  while IFS='|' read -r name extra; do
    [ -n "$name" ] || continue
    # shellcheck disable=SC2086 # extra holds several arguments
    "$S" topics --intent "$WORK/intent-$d.snlp" $extra --assignments "$WORK/batch.jsonl" \
      >"$WORK/topics-$d-$name.json"
    score_emerging "\"draw\":$d,\"variant\":\"$name\"" "$WORK/batch.tsv" \
      "$WORK/topics-$d-$name.json" "$WORK/held-$d.json" draw variant
  done <<<"$VARIANTS"
done
$PY "$H" summary "$WORK/results.jsonl"

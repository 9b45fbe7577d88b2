#!/usr/bin/env bash
# Topic discovery evaluation (docs/topics.md):
#  1. clustering quality against gold intents, NMI and ARI, on BANKING77 test
#     (3,080 texts, 77 intents) and CLINC150 test in-scope (4,500, 150), for
#     `supportnlp topics --all` with its defaults (outliers count as one
#     more cluster) and with --reassign 0.4, against scikit-learn TF-IDF +
#     k-means told the gold k, in the same run; with the shipped encoder
#     (trained on the BANKING77 and CLINC150 train splits) and with an
#     encoder trained here on the Bitext sets only (SKIP_FRESH_ENCODER=1
#     skips it);
#  2. emerging issues: an intent model trained on BANKING77 train without 5
#     intents (drawn with seed 17), topics over the BANKING77 test tickets it
#     leaves out of scope or unsure (the default selection: queue confidence
#     below 0.95, chosen on train by topics_novelty.sh, and at least half of
#     the ticket's 10 nearest tickets unsure too, chosen with the clustering
#     defaults on train by topics_sim.sh); each held-out intent must be one
#     topic with purity >= 0.7 holding >= 60% of its test texts;
#  3. throughput: 100,000 tickets from the shared train splits, one thread,
#     wall time and peak memory.
# Prints one JSON object per line. Needs python3-sklearn (scripts/setup.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/datasets}
BUILD=${BUILD:-$ROOT/build}
WORK=${WORK:-$BUILD/eval-topics}
PY=/usr/bin/python3 # Debian's, where python3-sklearn lives
H=$ROOT/benchmarks/eval/topics_eval.py
mkdir -p "$WORK"
cmake --build "$BUILD" --target supportnlp_cli >/dev/null
S=$BUILD/examples/supportnlp

$PY "$H" jsonl "$SHARED/banking77/test.tsv" "$WORK/banking77.jsonl"
$PY "$H" jsonl "$SHARED/clinc150/test.tsv" "$WORK/clinc150.jsonl" oos

encoders=("shipped:$ROOT/data/models/encoder.snlp")
if [ "${SKIP_FRESH_ENCODER:-0}" != 1 ]; then
  B=$SHARED/bitext_customer_support/train.tsv,$SHARED/bitext_llm_v1/train.tsv
  [ -f "$WORK/encoder-bitext.snlp" ] ||
    "$S" train encoder --train "$B" --output "$WORK/encoder-bitext.snlp" --threads 2 --seed 1 --quiet
  encoders+=("bitext-only:$WORK/encoder-bitext.snlp")
fi

for set in banking77 clinc150; do
  drop=""
  [ $set = clinc150 ] && drop=oos
  echo "{\"set\":\"$set\",\"method\":\"tfidf+kmeans (k = gold)\",\"result\":$($PY "$H" peer "$SHARED/$set/test.tsv" $drop)}"
  for e in "${encoders[@]}"; do
    name=${e%%:*}
    path=${e#*:}
    for variant in default reassign; do
      extra=()
      [ $variant = reassign ] && extra=(--reassign 0.4)
      "$S" topics --all --encoder "$path" "${extra[@]}" --assignments "$WORK/$set.jsonl" \
        >"$WORK/$set-$name-$variant.json"
      echo "{\"set\":\"$set\",\"method\":\"topics\",\"encoder\":\"$name\",\"variant\":\"$variant\",\"result\":$($PY "$H" score "$SHARED/$set/test.tsv" "$WORK/$set-$name-$variant.json" $drop)}"
    done
  done
done

# Emerging issues.
held=$($PY "$H" holdout "$SHARED/banking77/train.tsv" "$WORK/banking77-train-72.tsv" 17 5)
echo "{\"held_out_intents\":$held}"
[ -f "$WORK/intent-72.snlp" ] ||
  "$S" train intent --train "$WORK/banking77-train-72.tsv" --output "$WORK/intent-72.snlp" \
    --threads 2 >/dev/null 2>"$WORK/intent-72.log"
"$S" topics --intent "$WORK/intent-72.snlp" --assignments "$WORK/banking77.jsonl" \
  >"$WORK/emerging.json"
echo "{\"emerging\":$($PY "$H" emerging "$SHARED/banking77/test.tsv" "$WORK/emerging.json" "$held")}"
# The same with the selection's earlier default (queue confidence below
# 0.5), and over every test ticket: does the intent form a topic at all once
# its texts are selected?
"$S" topics --intent "$WORK/intent-72.snlp" --max-confidence 0.5 --assignments \
  "$WORK/banking77.jsonl" >"$WORK/emerging-0.5.json"
echo "{\"emerging_max_confidence_0.5\":$($PY "$H" emerging "$SHARED/banking77/test.tsv" "$WORK/emerging-0.5.json" "$held")}"
"$S" topics --all --assignments "$WORK/banking77.jsonl" >"$WORK/emerging-all.json"
echo "{\"emerging_all_tickets\":$($PY "$H" emerging "$SHARED/banking77/test.tsv" "$WORK/emerging-all.json" "$held")}"

# Throughput: 100,000 tickets, one thread.
$PY "$H" stream "$WORK/stream-100k.jsonl" 100000 "$SHARED/banking77/train.tsv" \
  "$SHARED/clinc150/train.tsv" "$SHARED/bitext_customer_support/train.tsv" \
  "$SHARED/bitext_llm_v1/train.tsv"
/usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$S" topics --all "$WORK/stream-100k.jsonl" \
  >"$WORK/stream-100k-topics.json"
read -r wall rss <"$WORK/time.txt"
topics=$($PY -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['topics_found'], r['outliers'], r['clustered'])" "$WORK/stream-100k-topics.json")
set -- $topics
echo "{\"throughput\":{\"tickets\":100000,\"threads\":1,\"wall_seconds\":$wall,\"peak_rss_mb\":$((rss / 1024)),\"topics\":$1,\"outliers\":$2,\"clustered_directly\":$3}}"

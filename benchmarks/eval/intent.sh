#!/usr/bin/env bash
# Intent classification quality, as JSON lines: supportnlp and fastText
# trained and evaluated on the same splits in the same run, side by side.
#
#   benchmarks/eval/intent.sh [SUPPORTNLP_BINARY] [SHARED_DIR] [WORK_DIR] [THREADS]
#
# BANKING77 and Bitext: supportnlp holds out 10% of each label of train for
# early stopping and calibration; fastText trains on all of train. CLINC150:
# both use valid.tsv to pick the out-of-scope threshold (supportnlp also
# early-stops on it). Test splits are only used for the final scores.
# INTENT_TRAIN_FLAGS adds flags to supportnlp's training, e.g.
# INTENT_TRAIN_FLAGS="--dense-view 0" for the n-gram view alone.
# WORK_DIR keeps the models (fastText's .bin files are ~1 GB each; the script
# deletes them after measuring their size unless KEEP_FASTTEXT=1).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/examples/supportnlp}
shared=${2:-$here/../shared}
work=${3:-$here/build/eval-intent}
threads=${4:-2}
d=$shared/datasets
mkdir -p "$work"

run() { # name train test [valid]
  local name=$1 train=$2 test=$3 valid=${4:-}
  local model=$work/$name.snlp
  local report
  # shellcheck disable=SC2086  # INTENT_TRAIN_FLAGS is a list of flags
  report=$("$bin" train intent --train "$train" ${valid:+--valid "$valid"} --output "$model" \
             --threads "$threads" --seed 42 --quiet ${INTENT_TRAIN_FLAGS:-})
  "$bin" eval intent --model "$model" --test "$test" |
    python3 -c 'import json,sys
r=json.loads(sys.stdin.read()); t=json.loads(sys.argv[1])
r.update(dataset=sys.argv[2], system="supportnlp", train_seconds=t["train_seconds"],
         dense_weight=t.get("dense_weight", 0),
         model_bytes=int(sys.argv[3]), validation_accuracy=t["validation_accuracy"],
         oos_threshold=t["oos_threshold"]); print(json.dumps(r))' "$report" "$name" "$(stat -c %s "$model")"
  python3 "$here/benchmarks/eval/intent_fasttext.py" "$name" "$train" "$test" "$work" "$valid" "$threads"
  [ "${KEEP_FASTTEXT:-0}" = 1 ] || rm -f "$work/$name.ft.bin" "$work/$name.ft.vec"
}

run banking77 "$d/banking77/train.tsv" "$d/banking77/test.tsv"
run clinc150 "$d/clinc150/train.tsv" "$d/clinc150/test.tsv" "$d/clinc150/valid.tsv"
run bitext_customer_support "$d/bitext_customer_support/train.tsv" "$d/bitext_customer_support/test.tsv"

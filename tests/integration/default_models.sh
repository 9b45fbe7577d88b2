#!/usr/bin/env bash
# The shipped routing model is what scripts/train-default-models.sh makes
# from the committed inputs (data/train plus ../shared/datasets), byte for
# byte: rebuilt here with one thread (the script uses two) and compared with
# data/models/intent.snlp. Skipped when the shared datasets are absent.
# Registered for the Release build only (a training run under the
# sanitizers would take minutes and prove nothing more).
set -uo pipefail
bin=$1
src=$2
shared=${3:-$src/../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if [ ! -d "$shared/datasets/bitext_customer_support" ]; then
  echo "SKIP: no shared datasets at $shared"
  exit 0
fi
python3 "$src/data/train/build_intent_data.py" "$shared/datasets" "$work/data" 2>/dev/null ||
  fail "build_intent_data.py failed"
# shellcheck disable=SC2046  # the shipped model's flags, word-split on purpose
"$bin" train intent --train "$work/data/train.tsv" --valid "$work/data/valid.tsv" \
  $(cat "$src/data/train/intent-train-flags") --threads 1 --quiet \
  --output "$work/intent.snlp" >/dev/null || fail "training failed"
cmp "$work/intent.snlp" "$src/data/models/intent.snlp" ||
  fail "data/models/intent.snlp is not what scripts/train-default-models.sh builds from the committed inputs"
echo OK

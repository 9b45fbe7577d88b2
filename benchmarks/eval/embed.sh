#!/usr/bin/env bash
# Retrieval quality of the compact encoder, as JSON lines (one per task),
# each with a TF-IDF cosine baseline computed on the same data by the same tool.
#
#   benchmarks/eval/embed.sh [SUPPORTNLP_BINARY] [SHARED_DIR] [WORK_DIR]
#
# 1. The shipped encoder (data/models/encoder.snlp, trained on intent train
#    splits only): nearest-neighbour label accuracy and recall@5/10 of each
#    intent TEST split against its own train split; dense retrieval on
#    StackFAQ dev and test.
# 2. The StackFAQ-adapted evaluation encoder, trained here on the fly (a
#    minute or two on 2 cores): same intent train splits plus StackFAQ corpus
#    title<->answer pairs (CC BY-SA: evaluation only, never shipped). No
#    query or qrels file is used for training. Written to
#    WORK_DIR/encoder-stackfaq.snlp for the hybrid search evaluation.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/examples/supportnlp}
shared=${2:-$here/../shared}
work=${3:-$here/build/eval-embed}
d=$shared/datasets
mkdir -p "$work"
shipped=$here/data/models/encoder.snlp

for set in banking77 clinc150 bitext_customer_support bitext_llm_v1; do
  "$bin" eval encoder --model "$shipped" --train "$d/$set/train.tsv" --test "$d/$set/test.tsv"
done

train=$d/banking77/train.tsv,$d/clinc150/train.tsv,$d/bitext_customer_support/train.tsv,$d/bitext_llm_v1/train.tsv
adapted=$work/encoder-stackfaq.snlp
"$bin" train encoder --train "$train" --pairs "$d/stackfaq/corpus.tsv" --max-features 40000 \
  --threads 2 --seed 1 --output "$adapted" --quiet

for model in "$shipped" "$adapted"; do
  for split in dev test; do
    "$bin" eval encoder --model "$model" --corpus "$d/stackfaq/corpus.tsv" \
      --queries "$d/stackfaq/queries.$split.tsv" --qrels "$d/stackfaq/qrels.$split.tsv"
  done
done

#!/usr/bin/env bash
# How well the shipped default bundle routes tickets: the intent/queue model
# behind `analyze`, measured end to end through `supportnlp analyze` (so the
# language gate is part of what is measured).
#
#   benchmarks/eval/default_bundle.sh [SUPPORTNLP_BINARY] [SHARED_DIR] [WORK_DIR] [BUNDLE_DIR]
#
# Test data, none of it used for training or tuning:
#   - the held-out split of the examples written for the project
#     (data/train/intents/, per language; split by data/train/build_intent_data.py);
#   - the public TEST splits mapped onto the taxonomy (Bitext, BANKING77,
#     CLINC150 in-scope), and CLINC150's 1,000 test oos texts;
#   - data/samples/tickets.jsonl with its hand-written expected_queue.
# Prints Markdown tables (per language, per queue, public splits) and writes
# one JSON line per measurement to WORK_DIR/default_bundle.jsonl.
# BUNDLE_DIR (default data/) is read as `analyze --bundle`, so a candidate
# model can be measured by pointing at a folder holding models/intent.snlp
# and models/langid.snlp.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/examples/supportnlp}
shared=${2:-$here/../shared}
work=${3:-$here/build/eval-default-bundle}
bundle=${4:-$here/data}
mkdir -p "$work"

python3 "$here/data/train/build_intent_data.py" "$shared/datasets" "$work/data" 2>/dev/null
for name in heldout test_bitext test_banking77 test_clinc150; do
  python3 - "$work/data/$name.tsv" "$work/$name.jsonl" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    next(f)
    for i, line in enumerate(f):
        text, label, lang, source = line.rstrip("\n").split("\t")
        out.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
PY
  "$bin" analyze --bundle "$bundle" --format jsonl --kb-top-k 0 --quiet \
    --input "$work/$name.jsonl" >"$work/$name.out"
done
"$bin" analyze --bundle "$bundle" --kb-top-k 0 --quiet \
  --input "$here/data/samples/tickets.jsonl" >"$work/samples.out"
python3 "$here/benchmarks/eval/default_bundle_report.py" "$work" "$here/data/samples/tickets.jsonl" \
  "$bundle/models/intent.snlp"

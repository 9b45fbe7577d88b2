#!/usr/bin/env bash
# 5-fold cross-validation of `supportnlp train sentiment` options on the
# airline TRAINING split (never its test split): folds by sha256 of the text,
# pooled accuracy / macro-F1 / per-class F1 / expected calibration error on
# the held-out folds.
# usage: benchmarks/eval/sentiment_cv.sh <supportnlp-binary> <shared-dir> [train options...]
# e.g.   benchmarks/eval/sentiment_cv.sh build/examples/supportnlp ../shared --nb-weight 0.6
# Environment: CV_THREADS (training threads, default 2; results do not depend
# on it), CV_FOLDS (fold assignment: the hash salt's suffix, default v1; a
# second assignment, e.g. v2, checks that a choice does not hang on one split).
set -euo pipefail
bin=$1
shared=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
threads=${CV_THREADS:-2}
folds=${CV_FOLDS:-v1}
python3 - "$shared/datasets/twitter_airline_sentiment/train.tsv" "$work" "$folds" <<'PY'
import hashlib, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rows = [l for l in lines[1:] if l]
for k in range(5):
    with open(f"{sys.argv[2]}/tr{k}.tsv", "w", encoding="utf-8") as tr, \
         open(f"{sys.argv[2]}/va{k}.tsv", "w", encoding="utf-8") as va:
        tr.write(lines[0] + "\n")
        va.write(lines[0] + "\n")
        for l in rows:
            key = ("sentiment-cv-" + sys.argv[3] + "\0" + l.rsplit("\t", 1)[0]).encode("utf-8")
            h = int(hashlib.sha256(key).hexdigest()[:8], 16) % 5
            (va if h == k else tr).write(l + "\n")
PY
for k in 0 1 2 3 4; do
  "$bin" train sentiment --train "$work/tr$k.tsv" --output "$work/m.snlp" --threads "$threads" --quiet "$@" \
    >/dev/null
  "$bin" eval sentiment --model "$work/m.snlp" --test "$work/va$k.tsv" >"$work/eval$k.json"
done
python3 - "$work" "$* folds=$folds" <<'PY'
import json, sys
C = [[0] * 3 for _ in range(3)]
for k in range(5):
    r = json.load(open(f"{sys.argv[1]}/eval{k}.json"))
    for i in range(3):
        for j in range(3):
            C[i][j] += r["confusion"][i][j]
n = sum(map(sum, C))
# Expected calibration error pooled over the held-out folds (15 bins).
bins = [[0.0, 0.0, 0.0] for _ in range(15)]
for k in range(5):
    for b, row in enumerate(json.load(open(f"{sys.argv[1]}/eval{k}.json"))["calibration_bins"]):
        for i in range(3):
            bins[b][i] += row[i]
ece = sum(abs(conf - ok) for _, conf, ok in bins) / n
f1 = []
for c in range(3):
    p = C[c][c] / max(1, sum(C[k][c] for k in range(3)))
    r = C[c][c] / max(1, sum(C[c]))
    f1.append(2 * p * r / (p + r) if p + r else 0.0)
print(json.dumps({"options": sys.argv[2], "n": n,
                  "accuracy": sum(C[i][i] for i in range(3)) / n,
                  "macro_f1": sum(f1) / 3,
                  "ece": ece,
                  "f1": dict(zip(["negative", "neutral", "positive"], f1))}))
PY

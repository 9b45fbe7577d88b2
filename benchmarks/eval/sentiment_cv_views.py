#!/usr/bin/env python3
"""Out-of-fold probabilities of the learned sentiment model's two views on the
airline TRAINING split (never its test split), for choosing how they are
combined by cross-validation.

The folds are sentiment_cv.sh's (sha256 of the text with a salt, 5 folds).
In each fold two models are trained on the other four folds with the same
options: --nb-weight 0 (the SVM view's probabilities) and --nb-weight 1 (the
NB-LR view's; the SVM view is trained identically and ignored). The held-out
fold's probabilities of both are written to --out as JSON lines
{"fold","gold","svm":[neg,neu,pos],"nb":[...]}, and the pooled accuracy and
macro-F1 of every NB-LR share 0, 0.1, ..., 1 are printed as JSON.

usage: sentiment_cv_views.py <supportnlp-binary> <shared-dir> --out F
                             [--folds v1] [--threads 1] [-- train options...]
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

LABELS = ["negative", "neutral", "positive"]


def scores(rows, weight):
    """Pooled accuracy and macro-F1 of (1 - weight) * svm + weight * nb."""
    conf = [[0] * 3 for _ in range(3)]
    for r in rows:
        p = [(1 - weight) * a + weight * b for a, b in zip(r["svm"], r["nb"])]
        best = 1
        for c in range(3):
            if p[c] > p[best]:
                best = c
        conf[r["gold"]][best] += 1
    n = sum(map(sum, conf))
    f1 = []
    for c in range(3):
        tp = conf[c][c]
        prec = tp / max(1, sum(conf[k][c] for k in range(3)))
        rec = tp / max(1, sum(conf[c]))
        f1.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(conf[i][i] for i in range(3)) / n, sum(f1) / 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("shared")
    ap.add_argument("--out", required=True)
    ap.add_argument("--folds", default="v1")
    ap.add_argument("--threads", default="1")
    a, train_options = ap.parse_known_args()
    a.train_options = [o for o in train_options if o != "--"]

    path = os.path.join(a.shared, "datasets/twitter_airline_sentiment/train.tsv")
    lines = open(path, encoding="utf-8").read().split("\n")
    header, rows = lines[0], [l for l in lines[1:] if l]
    out_rows = []
    with tempfile.TemporaryDirectory() as work:
        for k in range(5):
            tr, va = [], []
            for l in rows:
                key = ("sentiment-cv-" + a.folds + "\0" + l.rsplit("\t", 1)[0]).encode("utf-8")
                h = int(hashlib.sha256(key).hexdigest()[:8], 16) % 5
                (va if h == k else tr).append(l)
            train_path = os.path.join(work, "train.tsv")
            with open(train_path, "w", encoding="utf-8") as f:
                f.write(header + "\n" + "".join(l + "\n" for l in tr))
            held = os.path.join(work, "held.jsonl")
            with open(held, "w", encoding="utf-8") as f:
                for i, l in enumerate(va):
                    f.write(json.dumps({"id": str(i), "text": l.rsplit("\t", 1)[0]}) + "\n")
            probs = {}
            for view, weight in (("svm", "0"), ("nb", "1")):
                model = os.path.join(work, view + ".snlp")
                subprocess.run([a.binary, "train", "sentiment", "--train", train_path, "--output",
                                model, "--threads", a.threads, "--quiet", *a.train_options,
                                "--nb-weight", weight], check=True, stdout=subprocess.DEVNULL)
                res = subprocess.run([a.binary, "sentiment", "--model", model, "--input", held,
                                      "--format", "jsonl"], check=True, capture_output=True,
                                     text=True)
                probs[view] = {}
                for line in res.stdout.splitlines():
                    r = json.loads(line)
                    probs[view][r["id"]] = [r["probabilities"][c] for c in LABELS]
            for i, l in enumerate(va):
                gold = LABELS.index(l.rsplit("\t", 1)[1].strip().lower())
                out_rows.append({"fold": k, "gold": gold, "svm": probs["svm"][str(i)],
                                 "nb": probs["nb"][str(i)]})
    with open(a.out, "w", encoding="utf-8") as f:
        for r in out_rows:
            f.write(json.dumps(r) + "\n")
    table = {}
    for i in range(11):
        acc, mf1 = scores(out_rows, i / 10)
        table[f"{i / 10:.1f}"] = [round(acc, 5), round(mf1, 5)]
    print(json.dumps({"options": " ".join(a.train_options), "folds": a.folds, "n": len(out_rows),
                      "accuracy_macro_f1_by_nb_share": table}))


if __name__ == "__main__":
    sys.exit(main())

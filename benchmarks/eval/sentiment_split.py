#!/usr/bin/env python3
"""Carves a validation split out of a labelled training TSV (text<TAB>label).

Every choice of the learned sentiment model (features, C, stacking) is made
on such a split of the airline *training* data; the test split is only read
once, at the end. Deterministic: each line goes to validation when the first
8 hex digits of sha256(seed + text), scaled to [0, 1), fall below the
fraction, so the split is stratified only in expectation but stable across
runs and machines.

usage: sentiment_split.py TRAIN.tsv OUT_TRAIN.tsv OUT_VALID.tsv [--fraction 0.2] [--seed S]
"""
import argparse
import hashlib


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train")
    ap.add_argument("out_train")
    ap.add_argument("out_valid")
    ap.add_argument("--fraction", type=float, default=0.2)
    ap.add_argument("--seed", default="sentiment-valid-v1")
    a = ap.parse_args()
    n_train = n_valid = 0
    with open(a.train, encoding="utf-8", newline="") as f, \
            open(a.out_train, "w", encoding="utf-8", newline="") as ot, \
            open(a.out_valid, "w", encoding="utf-8", newline="") as ov:
        for i, line in enumerate(f):
            if i == 0 and line.startswith("text\tlabel"):
                ot.write(line)
                ov.write(line)
                continue
            text = line.rsplit("\t", 1)[0]
            h = hashlib.sha256((a.seed + "\0" + text).encode("utf-8")).hexdigest()
            if int(h[:8], 16) / 2**32 < a.fraction:
                ov.write(line)
                n_valid += 1
            else:
                ot.write(line)
                n_train += 1
    print(f"train {n_train}  valid {n_valid}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""fastText peer for benchmarks/eval/intent.sh: trains `fasttext supervised`
(shuffled training file, -epoch 25 -lr 1.0 -wordNgrams 2) on a train split and
scores the test split with the same metrics as `supportnlp eval intent`. With
an `oos` label and a valid split, the out-of-scope confidence threshold is
chosen on valid with the same objective as supportnlp's default (0.75 x
in-scope accuracy + 0.25 x oos recall), never on test.

usage: intent_fasttext.py NAME TRAIN TEST WORKDIR [VALID] [THREADS]
"""
import json, os, random, subprocess, sys, time

name, train, test, work = sys.argv[1:5]
valid = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
threads = sys.argv[6] if len(sys.argv) > 6 else "2"
OOS = "oos"


def read(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
                continue
            if i == 0 and parts[0] == "text" and parts[1] == "label":
                continue
            rows.append((" ".join(parts[0].split()), parts[1].strip()))
    return rows


os.makedirs(work, exist_ok=True)
tr = read(train)
random.Random(42).shuffle(tr)  # input files are grouped by label
ft_train = os.path.join(work, name + ".ft.train")
with open(ft_train, "w", encoding="utf-8") as f:
    for text, label in tr:
        f.write("__label__%s %s\n" % (label, text))
prefix = os.path.join(work, name + ".ft")
t0 = time.time()
subprocess.run(["fasttext", "supervised", "-input", ft_train, "-output", prefix, "-epoch", "25",
                "-lr", "1.0", "-wordNgrams", "2", "-thread", threads, "-seed", "42", "-verbose", "0"],
               check=True, stdout=subprocess.DEVNULL)
train_seconds = time.time() - t0


def predict(rows):
    path = os.path.join(work, name + ".ft.input")
    with open(path, "w", encoding="utf-8") as f:
        for text, _ in rows:
            f.write(text + "\n")
    t0 = time.time()
    out = subprocess.run(["fasttext", "predict-prob", prefix + ".bin", path, "1"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    secs = time.time() - t0
    preds = []
    for line in out:
        parts = line.split()
        if len(parts) >= 2:
            preds.append((parts[0][len("__label__"):], float(parts[1])))
        else:
            preds.append(("", 0.0))
    return preds, secs


labels = {l for _, l in tr}
has_oos = OOS in labels
threshold = 0.0
if has_oos and valid:
    va = read(valid)
    vp, _ = predict(va)
    n_in = sum(1 for _, g in va if g != OOS)
    n_oos = len(va) - n_in
    best = -1
    for t in sorted({0.0} | {c for _, c in vp}):
        in_ok = oos_ok = 0
        for (_, g), (p, c) in zip(va, vp):
            flagged = p == OOS or c < t
            if g == OOS:
                oos_ok += flagged
            elif not flagged and p == g:
                in_ok += 1
        obj = 0.75 * in_ok / n_in + 0.25 * oos_ok / n_oos
        if obj > best + 1e-12:
            best, threshold = obj, t

te = read(test)
tp, secs = predict(te)
n = len(te)
ok = in_n = in_ok = flagged = flagged_oos = n_oos = 0
tpc, fpc, fnc, gold_labels = {}, {}, {}, set()
for (_, g), (p, c) in zip(te, tp):
    out = p == OOS or (has_oos and c < threshold)
    decided = OOS if (out and has_oos) else p
    gold_labels.add(g)
    if g == OOS:
        n_oos += 1
        flagged_oos += out
    else:
        in_n += 1
        in_ok += (not out) and p == g
    flagged += out
    if decided == g:
        ok += 1
        tpc[g] = tpc.get(g, 0) + 1
    else:
        fpc[decided] = fpc.get(decided, 0) + 1
        fnc[g] = fnc.get(g, 0) + 1
f1s = []
for g in gold_labels:
    d = 2 * tpc.get(g, 0) + fpc.get(g, 0) + fnc.get(g, 0)
    f1s.append(2 * tpc.get(g, 0) / d if d else 0.0)
print(json.dumps({
    "dataset": name, "system": "fasttext (epoch 25, lr 1.0, wordNgrams 2)", "n": n,
    "accuracy": ok / n, "macro_f1": sum(f1s) / len(f1s),
    "in_scope_accuracy": in_ok / in_n if in_n else 0.0,
    "oos_recall": flagged_oos / n_oos if n_oos else 0.0,
    "oos_precision": flagged_oos / flagged if (flagged and n_oos) else 0.0,
    "oos_threshold": threshold, "train_seconds": round(train_seconds, 2),
    "model_bytes": os.path.getsize(prefix + ".bin"),
    "texts_per_second_cli_incl_load": n / secs if secs else 0.0}))

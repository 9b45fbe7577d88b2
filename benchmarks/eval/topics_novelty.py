#!/usr/bin/env python3
"""Helper of benchmarks/eval/topics_novelty.sh: chooses the rule that picks
the tickets `supportnlp topics` clusters by default, on BANKING77 TRAIN only.

The 5 intents the emerging-issue evaluation holds out (topics.sh, seed 17)
are dropped from every file written here, so the choice never sees them. The
remaining 72 intents' train texts are split per intent (sha256 order, 25% ->
a validation split); each simulation draw holds out 5 other intents, an
intent model is trained on the rest of the split's train part, and the
validation texts are scored by it. Prints JSON."""
import json
import math
import random
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from topics_eval import read_tsv, split_by_label, write_draws, write_jsonl, write_tsv  # noqa: E402


def eval_held(labels):
    return sorted(random.Random(17).sample(sorted(labels), 5))


def cmd_prepare(args):
    """prepare TRAIN.tsv OUTDIR DRAWS: OUTDIR/valid.tsv, valid.jsonl and for
    each draw d: train-d.tsv and .jsonl (train part without its 5 intents),
    held-d.json."""
    rows = read_tsv(args[0])
    out, draws = args[1], int(args[2])
    labels = sorted(set(label for _, label in rows))
    excluded = set(eval_held(labels))
    rows = [r for r in rows if r[1] not in excluded]
    train, valid = split_by_label(rows, "novelty", lambda n: n // 4)
    write_tsv(f"{out}/valid.tsv", valid)
    write_jsonl(f"{out}/valid.jsonl", valid)
    pool = sorted(set(label for _, label in rows))
    write_draws(out, train, pool, draws, 1000, jsonl=True)
    print(json.dumps({"excluded_eval_intents": sorted(excluded), "intents": len(pool),
                      "train": len(train), "valid": len(valid), "draws": draws}))


def auroc(pos, neg):
    """P(score of a positive > score of a negative), ties half."""
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        r = (i + j + 1) / 2
        rank_sum += r * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0) if n1 and n0 else float("nan")


def signals(intent_jsonl):
    out = []
    with open(intent_jsonl) as f:
        for line in f:
            r = json.loads(line)
            p = [t["confidence"] for t in r.get("top", [])]
            p2 = p[1] if len(p) > 1 else 0.0
            ent = -sum(x * math.log(x) for x in p if x > 0)
            out.append({"conf": r["confidence"], "queue": r["queue"]["confidence"],
                        "oos": r["out_of_scope"], "margin": p[0] - p2 if p else 0.0,
                        "entropy": ent})
    return out


def cmd_signals(args):
    """signals VALID.tsv HELD.json INTENT.jsonl: AUROC of each novelty signal
    (held-out intents' texts positive), and their distribution."""
    rows = read_tsv(args[0])
    held = set(json.load(open(args[1])))
    sig = signals(args[2])
    res = {}
    for name, sign in (("conf", -1), ("queue", -1), ("margin", -1), ("entropy", 1)):
        pos = [sign * s[name] for s, (_, l) in zip(sig, rows) if l in held]
        neg = [sign * s[name] for s, (_, l) in zip(sig, rows) if l not in held]
        res[name] = round(auroc(pos, neg), 4)
    res["oos_flagged_held"] = sum(s["oos"] for s, (_, l) in zip(sig, rows) if l in held)
    res["oos_flagged_known"] = sum(s["oos"] for s, (_, l) in zip(sig, rows) if l not in held)
    print(json.dumps(res))


def cmd_encoder(args):
    """encoder VALID.tsv VALID.emb.jsonl TRAIN.tsv TRAIN.emb.jsonl HELD.json:
    AUROC of encoder-space novelty (held-out intents' texts positive): 1 -
    cosine to the nearest known intent's centroid, and 1 - mean cosine to
    the 10 nearest training texts. Vectors from `supportnlp embed`."""
    import numpy as np

    def vectors(path):
        return np.array([json.loads(l)["vector"] for l in open(path)], dtype=np.float32)

    vl = [label for _, label in read_tsv(args[0])]
    tl = [label for _, label in read_tsv(args[2])]
    v, t = vectors(args[1]), vectors(args[3])
    held = set(json.load(open(args[4])))
    sims = v @ t.T
    known = sorted(set(tl))
    c = np.stack([t[[i for i, l in enumerate(tl) if l == k]].mean(0) for k in known])
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    scores = {"centroid": -(v @ c.T).max(1), "knn10": -np.sort(sims, axis=1)[:, -10:].mean(1)}
    print(json.dumps({name: round(auroc([s[i] for i in range(len(vl)) if vl[i] in held],
                                        [s[i] for i in range(len(vl)) if vl[i] not in held]), 4)
                      for name, s in scores.items()}))


def cmd_select(args):
    """select VALID.tsv INTENT.jsonl THRESHOLD OUT.jsonl: the validation texts
    the rule keeps (out of scope or queue confidence < THRESHOLD), as
    {"id","text"} with id = their row in VALID.tsv."""
    rows = read_tsv(args[0])
    t = float(args[2])
    n = 0
    with open(args[3], "w", encoding="utf-8") as out:
        for i, s in enumerate(signals(args[1])):
            if s["oos"] or not s["queue"] >= t:
                out.write(json.dumps({"id": i, "text": rows[i][0]}, ensure_ascii=False) + "\n")
                n += 1
    print(n)


def cmd_choose(args):
    """choose RESULTS.jsonl: per threshold, held-out intents passing summed
    over the draws; the rule is the threshold with the most, ties going to
    the smaller threshold (fewer tickets to read)."""
    per = {}
    for line in open(args[0]):
        r = json.loads(line)
        p = per.setdefault(r["threshold"], {"passed": 0, "of": 0, "selected": 0, "other_topics": 0})
        p["passed"] += r["passed"]
        p["of"] += len(r["held_out"])
        p["selected"] += r["selected_tickets"]
        p["other_topics"] += r["other_topics"]
    best = max(sorted(per), key=lambda t: (per[t]["passed"], -t))
    print(json.dumps({"per_threshold": {str(t): per[t] for t in sorted(per)}, "chosen": best}))


if __name__ == "__main__":
    {"prepare": cmd_prepare, "signals": cmd_signals, "encoder": cmd_encoder, "select": cmd_select,
     "choose": cmd_choose}[sys.argv[1]](sys.argv[2:])

#!/usr/bin/env python3
"""Helper of benchmarks/eval/topics_sim.sh: the emerging-issue simulation on
BANKING77 TRAIN only, used to choose the method and defaults of `supportnlp
topics` (docs/topics.md, "Simulation").

BANKING77 train is split by text (sha256 order within each intent): 70% a
train part, 30% a simulated "test" batch (about 3,000 texts, 39 per intent,
the size and density of the real test split). Each draw holds out 5 intents
drawn at random from all 77 (seed 2000 + draw): an intent model is trained on
the train part without them, `supportnlp topics` runs over the batch, and
each held-out intent passes as in topics.sh (its best topic has purity >= 0.7
and holds >= 60% of its batch texts). Prints JSON."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from topics_eval import read_tsv, split_by_label, write_draws, write_jsonl, write_tsv  # noqa: E402


def cmd_prepare(args):
    """prepare TRAIN.tsv OUTDIR DRAWS: OUTDIR/batch.tsv, batch.jsonl and per
    draw d: train-d.tsv (train part without its 5 intents), held-d.json."""
    rows = read_tsv(args[0])
    out, draws = args[1], int(args[2])
    train, batch = split_by_label(rows, "sim", lambda n: round(n * 0.3))
    write_tsv(f"{out}/batch.tsv", batch)
    write_jsonl(f"{out}/batch.jsonl", batch)
    labels = sorted(set(label for _, label in rows))
    write_draws(out, train, labels, draws, 2000)
    print(json.dumps({"intents": len(labels), "train": len(train), "batch": len(batch),
                      "draws": draws}))


def cmd_summary(args):
    """summary RESULTS.jsonl: per variant, over the draws: held-out intents
    passing, mean purity and coverage of their best topics, misses by
    purity and by coverage, selected tickets, other (spurious) topics and
    the tickets in them."""
    per = {}
    for line in open(args[0]):
        r = json.loads(line)
        p = per.setdefault(r["variant"], {"draws": 0, "passed": 0, "of": 0, "purity": [],
                                          "coverage": [], "fail_purity": 0, "fail_coverage": 0,
                                          "selected": 0, "other_topics": 0,
                                          "other_topic_tickets": 0})
        p["draws"] += 1
        p["passed"] += r["passed"]
        p["selected"] += r["selected_tickets"]
        p["other_topics"] += r["other_topics"]
        p["other_topic_tickets"] += sum(r["other_topic_sizes"])
        for h in r["held_out"]:
            p["of"] += 1
            p["purity"].append(h["purity"])
            p["coverage"].append(h["coverage"])
            p["fail_purity"] += h["purity"] < 0.7
            p["fail_coverage"] += h["coverage"] < 0.6
    out = {}
    for v, p in per.items():
        n = max(1, p["draws"])
        pur, cov = sorted(p["purity"]), sorted(p["coverage"])
        out[v] = {"passed": f'{p["passed"]}/{p["of"]}',
                  "purity_mean": round(sum(pur) / len(pur), 3),
                  "purity_p10": pur[len(pur) // 10],
                  "coverage_mean": round(sum(cov) / len(cov), 3),
                  "coverage_p10": cov[len(cov) // 10],
                  "fail_purity": p["fail_purity"], "fail_coverage": p["fail_coverage"],
                  "selected_mean": round(p["selected"] / n),
                  "other_topics_mean": round(p["other_topics"] / n, 1),
                  "other_topic_tickets_mean": round(p["other_topic_tickets"] / n)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    {"prepare": cmd_prepare, "summary": cmd_summary}[sys.argv[1]](sys.argv[2:])

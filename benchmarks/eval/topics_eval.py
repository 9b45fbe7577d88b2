#!/usr/bin/env python3
"""Helper of benchmarks/eval/topics.sh: turns labelled TSV splits into JSON
Lines for `supportnlp topics`, scores its assignments against the gold labels
(NMI, ARI), runs the peer (scikit-learn TF-IDF + k-means with k = the gold
number of labels), checks emerging-issue detection, and generates the
throughput stream. Prints JSON."""
import hashlib
import json
import random
import sys


def read_tsv(path, drop_label=None):
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            line = line.rstrip("\n")
            if "\t" not in line:
                continue
            text, label = line.rsplit("\t", 1)
            if label == drop_label:
                continue
            rows.append((text, label))
    return rows


def write_tsv(path, rows, skip_labels=()):
    """A labelled TSV (header "text\tlabel") of (text, label) rows."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("text\tlabel\n")
        for text, label in rows:
            if label not in skip_labels:
                out.write(f"{text}\t{label}\n")


def write_jsonl(path, rows, ids=True, skip_labels=()):
    """{"id": i, "text": ...} per (text, label) row (without ids: {"text"})."""
    with open(path, "w", encoding="utf-8") as out:
        for i, (text, label) in enumerate(r for r in rows if r[1] not in skip_labels):
            record = {"id": i, "text": text} if ids else {"text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def split_by_label(rows, salt, cut):
    """Each label's texts in sha256(salt + NUL + text) order; the first
    cut(n) of a label's n texts go to the second list, the rest to the first.
    Returns (rest, first), labels in sorted order."""
    by_label = {}
    for text, label in rows:
        by_label.setdefault(label, []).append(text)
    rest, first = [], []
    for label, texts in sorted(by_label.items()):
        texts.sort(key=lambda t: hashlib.sha256((salt + "\0" + t).encode()).hexdigest())
        n = cut(len(texts))
        first += [(t, label) for t in texts[:n]]
        rest += [(t, label) for t in texts[n:]]
    return rest, first


def write_draws(out, train, labels, draws, seed, jsonl=False):
    """Simulation draws d = 1..draws: 5 of `labels` held out (random seed
    seed + d), OUT/held-d.json, and OUT/train-d.tsv (and with `jsonl`,
    train-d.jsonl of texts without ids) of `train` without them."""
    for d in range(1, draws + 1):
        held = sorted(random.Random(seed + d).sample(labels, 5))
        write_tsv(f"{out}/train-{d}.tsv", train, held)
        if jsonl:
            write_jsonl(f"{out}/train-{d}.jsonl", train, ids=False, skip_labels=held)
        with open(f"{out}/held-{d}.json", "w") as f:
            json.dump(held, f)


def cmd_jsonl(args):
    """jsonl IN.tsv OUT.jsonl [drop_label]: {"id": i, "text": ...} per row."""
    write_jsonl(args[1], read_tsv(args[0], args[2] if len(args) > 2 else None))


def assignments(report_path):
    with open(report_path, encoding="utf-8") as f:
        rep = json.load(f)
    return rep, {int(a["id"]): a["topic"] for a in rep["assignments"]}


def cmd_score(args):
    """score IN.tsv REPORT.json [drop_label]: NMI / ARI of the topics (outliers
    counted as one more cluster, and separately the clustered tickets only)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    rows = read_tsv(args[0], args[2] if len(args) > 2 else None)
    rep, assign = assignments(args[1])
    gold = [label for _, label in rows]
    pred = [assign.get(i, -1) for i in range(len(rows))]
    kept = [i for i, p in enumerate(pred) if p >= 0]
    res = {
        "texts": len(rows),
        "gold_labels": len(set(gold)),
        "topics": rep["topics_found"],
        "outlier_share": round(1 - len(kept) / max(1, len(rows)), 4),
        "nmi": round(normalized_mutual_info_score(gold, pred), 4),
        "ari": round(adjusted_rand_score(gold, pred), 4),
        "nmi_clustered_only": round(normalized_mutual_info_score(
            [gold[i] for i in kept], [pred[i] for i in kept]), 4) if kept else 0.0,
    }
    print(json.dumps(res))


def cmd_peer(args):
    """peer IN.tsv [drop_label]: TF-IDF + k-means (k = gold count), scikit-learn."""
    import time
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    rows = read_tsv(args[0], args[1] if len(args) > 1 else None)
    texts = [t for t, _ in rows]
    gold = [label for _, label in rows]
    k = len(set(gold))
    t0 = time.time()
    x = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
    pred = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x)
    print(json.dumps({
        "peer": "sklearn TfidfVectorizer(sublinear_tf, min_df=2, english stop words) + KMeans(k=gold, n_init=10, seed 0)",
        "k": k,
        "nmi": round(normalized_mutual_info_score(gold, pred), 4),
        "ari": round(adjusted_rand_score(gold, pred), 4),
        "seconds": round(time.time() - t0, 2),
    }))


def cmd_holdout(args):
    """holdout TRAIN.tsv OUT_TRAIN.tsv SEED N: drops N intents chosen with SEED."""
    rows = read_tsv(args[0])
    labels = sorted(set(label for _, label in rows))
    held = sorted(random.Random(int(args[2])).sample(labels, int(args[3])))
    write_tsv(args[1], rows, held)
    print(json.dumps(held))


def cmd_emerging(args):
    """emerging TEST.tsv REPORT.json HELD_JSON: per held-out intent, the topic
    holding most of its selected texts, that topic's purity and the share of
    the intent's test texts it holds; then the other topics' sizes."""
    rows = read_tsv(args[0])
    held = json.loads(args[2])
    rep, assign = assignments(args[1])
    sizes = {t["id"]: t["size"] for t in rep["topics"]}
    members = {}
    for i, t in assign.items():
        if t >= 0:
            members.setdefault(t, []).append(rows[i][1])
    out, used = [], set()
    for label in held:
        total = sum(1 for _, l in rows if l == label)
        selected = sum(1 for i in assign if rows[i][1] == label)
        best, best_n = None, 0
        for t, labs in members.items():
            n = labs.count(label)
            if n > best_n:
                best, best_n = t, n
        purity = best_n / len(members[best]) if best is not None else 0.0
        coverage = best_n / total
        used.add(best)
        kw = next((t["keywords"][:5] for t in rep["topics"] if t["id"] == best), [])
        out.append({"intent": label, "test_texts": total, "selected": selected, "topic": best,
                    "topic_size": sizes.get(best, 0), "purity": round(purity, 3),
                    "coverage": round(coverage, 3), "keywords": kw,
                    "pass": purity >= 0.7 and coverage >= 0.6})
    others = sorted((sizes[t] for t in sizes if t not in used), reverse=True)
    print(json.dumps({"held_out": out, "passed": sum(o["pass"] for o in out),
                      "selected_tickets": rep["selected"], "outliers": rep["outliers"],
                      "other_topics": len(others), "other_topic_sizes": others}))


def cmd_stream(args):
    """stream OUT.jsonl N TSV...: N tickets drawn (with replacement, seed 7)
    from the given train splits, lightly varied so texts repeat rarely."""
    texts = []
    for path in args[2:]:
        texts += [t for t, _ in read_tsv(path)]
    rng = random.Random(7)
    openers = ["", "", "", "hi, ", "hello, ", "hey ", "good morning, ", "quick question: "]
    closers = ["", "", "", " thanks", " please help", " thank you!", " asap", " cheers"]
    with open(args[0], "w", encoding="utf-8") as out:
        for i in range(int(args[1])):
            t = rng.choice(openers) + rng.choice(texts) + rng.choice(closers)
            ts = 1767225600 + rng.randrange(56 * 86400)
            out.write(json.dumps({"id": i, "text": t, "timestamp": ts}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    {"jsonl": cmd_jsonl, "score": cmd_score, "peer": cmd_peer, "holdout": cmd_holdout,
     "emerging": cmd_emerging, "stream": cmd_stream}[sys.argv[1]](sys.argv[2:])

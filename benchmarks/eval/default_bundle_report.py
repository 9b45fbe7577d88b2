#!/usr/bin/env python3
"""Tables for benchmarks/eval/default_bundle.sh (see there). Standard library only.

  default_bundle_report.py WORK_DIR SAMPLE_TICKETS INTENT_MODEL
"""
import collections
import json
import os
import re
import sys

OOS = "out_of_scope"


def load(work, name):
    gold = []
    with open(os.path.join(work, "data", name + ".tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            text, label, lang, source = line.rstrip("\n").split("\t")
            gold.append({"label": label, "lang": lang, "source": source})
    preds = [json.loads(l) for l in open(os.path.join(work, name + ".out"), encoding="utf-8")]
    if len(preds) != len(gold):
        sys.exit(f"{name}: {len(gold)} texts but {len(preds)} answers")
    return list(zip(gold, preds))


def queue_of(label):
    return OOS if label == OOS else label.split(".", 1)[0]


def decision(pred):
    """The routed intent (out_of_scope when flagged), the argmax intent
    without the threshold, the queue, and the confidence."""
    intent = pred.get("intent", {})
    routed = OOS if intent.get("out_of_scope", True) else intent.get("label", "")
    argmax = intent.get("label", "") or OOS
    return routed, argmax, pred.get("queue", {}).get("label", OOS), intent.get("confidence", 0.0)


def macro_f1(pairs):
    labels = {g for g, _ in pairs}
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def ece(conf_correct, bins=15):
    total = [0.0] * bins
    acc = [0.0] * bins
    count = [0] * bins
    for c, ok in conf_correct:
        b = min(bins - 1, max(0, int(c * bins)))
        total[b] += c
        acc[b] += 1.0 if ok else 0.0
        count[b] += 1
    n = len(conf_correct)
    return sum(abs(acc[b] - total[b]) for b in range(bins)) / n if n else 0.0


def summarize(rows):
    """Scores of a list of (gold, pred)."""
    pairs, queue_pairs, conf = [], [], []
    in_scope = in_ok = in_ok_nothreshold = 0
    oos = oos_flagged = 0
    for g, p in rows:
        routed, argmax, queue, c = decision(p)
        pairs.append((g["label"], routed))
        queue_pairs.append((queue_of(g["label"]), queue))
        conf.append((c, routed == g["label"]))
        if g["label"] == OOS:
            oos += 1
            oos_flagged += routed == OOS
        else:
            in_scope += 1
            in_ok += routed == g["label"]
            in_ok_nothreshold += argmax == g["label"]
    n = len(rows)
    return {
        "n": n,
        "accuracy": sum(g == p for g, p in pairs) / n if n else 0.0,
        "macro_f1": macro_f1(pairs),
        "queue_accuracy": sum(g == p for g, p in queue_pairs) / n if n else 0.0,
        "queue_macro_f1": macro_f1(queue_pairs),
        "in_scope": in_scope,
        "in_scope_accuracy": in_ok / in_scope if in_scope else None,
        "in_scope_accuracy_no_threshold": in_ok_nothreshold / in_scope if in_scope else None,
        "oos": oos,
        "oos_recall": oos_flagged / oos if oos else None,
        "ece": ece(conf),
    }


def fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def main():
    work, samples_path, model = sys.argv[1:4]
    out = open(os.path.join(work, "default_bundle.jsonl"), "w", encoding="utf-8")

    def emit(record):
        out.write(json.dumps(record) + "\n")

    size = os.path.getsize(model)
    meta = open(model, "rb").read()
    m = re.search(rb'"oos_threshold":([0-9.eE+-]+)', meta)
    threshold = float(m.group(1)) if m else None
    print(f"model {model}: {size:,} bytes, out-of-scope threshold {threshold}")

    held = load(work, "heldout")
    print("\n### Held-out project-written examples, per language (intent level; queue level)\n")
    print("| language | n | accuracy | macro-F1 | queue acc. | queue macro-F1 | in-scope acc. (no threshold) | oos recall | ECE |")
    print("|---|---|---|---|---|---|---|---|---|")
    by_lang = collections.defaultdict(list)
    for g, p in held:
        by_lang[g["lang"]].append((g, p))
    for lang in sorted(by_lang) + ["all"]:
        s = summarize(held if lang == "all" else by_lang[lang])
        emit({"set": "heldout", "language": lang, **s})
        print(f"| {lang} | {s['n']} | {fmt(s['accuracy'])} | {fmt(s['macro_f1'])} | {fmt(s['queue_accuracy'])} | "
              f"{fmt(s['queue_macro_f1'])} | {fmt(s['in_scope_accuracy'])} ({fmt(s['in_scope_accuracy_no_threshold'])}) | "
              f"{fmt(s['oos_recall'])} | {fmt(s['ece'])} |")
    s = summarize(held)
    keep = s["in_scope_accuracy"] / s["in_scope_accuracy_no_threshold"] if s["in_scope_accuracy_no_threshold"] else None
    print(f"\nThe threshold keeps {fmt(keep)} of the held-out in-scope accuracy it has without it (target >= 0.97).")
    emit({"set": "heldout", "threshold_accuracy_kept": keep})

    print("\n### Held-out examples per queue (all languages)\n")
    print("| queue | n | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    qp = [(queue_of(g["label"]), decision(p)[2]) for g, p in held]
    for q in sorted({g for g, _ in qp}):
        tp = sum(1 for g, p in qp if g == q and p == q)
        npred = sum(1 for _, p in qp if p == q)
        ngold = sum(1 for g, _ in qp if g == q)
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        emit({"set": "heldout", "queue": q, "n": ngold, "precision": prec, "recall": rec, "f1": f1})
        print(f"| {q} | {ngold} | {fmt(prec)} | {fmt(rec)} | {fmt(f1)} |")

    print("\n### Public test splits mapped onto the taxonomy (English)\n")
    print("| split | n | queue acc. | intent acc. | macro-F1 | ECE |")
    print("|---|---|---|---|---|---|")
    for name in ("bitext", "banking77"):
        rows = load(work, "test_" + name)
        s = summarize(rows)
        emit({"set": "test_" + name, **s})
        print(f"| {name} | {s['n']} | {fmt(s['queue_accuracy'])} | {fmt(s['accuracy'])} | {fmt(s['macro_f1'])} | {fmt(s['ece'])} |")
    clinc = load(work, "test_clinc150")
    inscope = [(g, p) for g, p in clinc if g["label"] != OOS]
    s = summarize(inscope)
    emit({"set": "test_clinc150_in_scope", **s})
    print(f"| clinc150 in-scope (mapped intents) | {s['n']} | {fmt(s['queue_accuracy'])} | {fmt(s['accuracy'])} | {fmt(s['macro_f1'])} | {fmt(s['ece'])} |")
    oos = [(g, p) for g, p in clinc if g["source"] == "clinc150:oos"]
    domains = [(g, p) for g, p in clinc if g["label"] == OOS and g["source"] != "clinc150:oos"]
    so, sd = summarize(oos), summarize(domains)
    emit({"set": "test_clinc150_oos", **so})
    emit({"set": "test_clinc150_non_support_domains", **sd})
    print(f"\nCLINC150 test oos: {so['n']} texts, flagged out of scope {fmt(so['oos_recall'])} (target >= 0.85).")
    print(f"CLINC150 test, non-support domains (travel, dining, small talk, ...): {sd['n']} texts, flagged {fmt(sd['oos_recall'])}.")

    samples = [json.loads(l) for l in open(samples_path, encoding="utf-8")]
    answers = [json.loads(l) for l in open(os.path.join(work, "samples.out"), encoding="utf-8")]
    ok = sum(1 for t, a in zip(samples, answers) if a.get("queue", {}).get("label") == t["expected_queue"])
    misses = [f"{t['id']} {t['expected_queue']}->{a.get('queue', {}).get('label')}"
              for t, a in zip(samples, answers) if a.get("queue", {}).get("label") != t["expected_queue"]]
    emit({"set": "sample_tickets", "n": len(samples), "queue_accuracy": ok / len(samples)})
    print(f"\nSample tickets (expected queues written by hand, never tuned on): {ok}/{len(samples)} = {ok / len(samples):.3f}")
    print("misses: " + ", ".join(misses))


if __name__ == "__main__":
    main()

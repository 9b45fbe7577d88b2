#!/usr/bin/env python3
"""Scores the predictions benchmarks/eval/langid.sh collected on lingua's test
set (supportnlp, CLD2, fastText lid.176, same texts, same run) and prints a
Markdown report; writes one JSON line per system and length to --json-out.

Inputs in WORK, per length L (sentences, word_pairs, single_words):
  L.gold             the gold ISO 639-1 code of each text, one per line
  L.ours.jsonl       `supportnlp langid` output, one JSON object per text
  L.cld2, L.fasttext langid_peers output, one code per line
  L.peers.json       langid_peers' timing line
  cld2_languages.tsv `langid_peers --list-cld2` (CLD2's table, mapped)
and the lid.176 label list (--fasttext-labels).

A system "supports" a language when its label set, after the mapping
langid_peers applies (CLD2: iw->he, no->nb, zh-Hant->zh, sr-ME->sr;
fastText: no->nb), contains the language's code. The shared set is the test
languages all three support. Accuracy per language is correct / items; a
language mean is the unweighted mean over languages, as lingua reports it.

usage: langid_report.py WORK --fasttext-labels FILE --json-out FILE
       [--model PATH] [--commit SHA] [--ours-seconds L=S ...]
"""
import argparse, json, os, sys
from collections import Counter, defaultdict

LENGTHS = ["sentences", "word_pairs", "single_words"]
TITLES = {"sentences": "sentences", "word_pairs": "word pairs", "single_words": "single words"}
SYSTEMS = ["ours", "cld2", "fasttext"]
NAMES = {"ours": "supportnlp", "cld2": "CLD2", "fasttext": "fastText lid.176.ftz"}
# Accuracy (%) published in lingua's README / the issue, for orientation only:
# lingua measured on its own language sets, with lid.176.bin (not .ftz), and
# with no code mapping (so CLD2's iw/no and lid.176's no scored as wrong).
PUBLISHED = {
    "sentences": {"cld2": 94, "fasttext": 92, "lingua (high accuracy)": 96},
    "word_pairs": {"cld2": 68, "fasttext": 74, "lingua (high accuracy)": 89},
    "single_words": {"fasttext": 58, "lingua (high accuracy)": 74},
}
# Families whose members are known to be confused with each other.
GROUPS = [("es/pt/gl", {"es", "pt", "gl"}), ("da/nb/nn/sv", {"da", "nb", "nn", "sv"}),
          ("id/ms", {"id", "ms"}), ("bs/hr/sr", {"bs", "hr", "sr"}),
          ("be/ru/uk", {"be", "ru", "uk"}), ("bg/mk", {"bg", "mk"}), ("cs/sk", {"cs", "sk"}),
          ("af/nl", {"af", "nl"}), ("zu/xh", {"zu", "xh"}), ("st/tn", {"st", "tn"})]


def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [l.rstrip("\n") for l in f]


def ours_predictions(path, n):
    preds = [None] * n
    order = 0
    for raw in lines(path):
        if not raw.strip():
            continue
        r = json.loads(raw)
        # "line" is the input line number; fall back to output order.
        i = r.get("line")
        i = (i - 1) if isinstance(i, int) and i >= 1 else order
        if i < n:
            preds[i] = (r.get("language") or {}).get("code") or "und"
        order += 1
    missing = sum(p is None for p in preds)
    if missing:
        sys.exit("langid_report: %s answers %d of %d texts" % (path, n - missing, n))
    return preds


def score(gold, pred):
    items, correct, conf = Counter(gold), Counter(), Counter()
    for g, p in zip(gold, pred):
        if g == p:
            correct[g] += 1
        else:
            conf[(g, p)] += 1
    acc = {l: correct[l] / items[l] for l in items}
    return acc, conf, items


def mean(acc, langs):
    langs = [l for l in langs if l in acc]
    return sum(acc[l] for l in langs) / len(langs) if langs else 0.0


def pct(x):
    return "%.1f" % (100 * x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work")
    ap.add_argument("--fasttext-labels", required=True)
    ap.add_argument("--json-out", required=True)
    ap.add_argument("--model", default="")
    ap.add_argument("--commit", default="")
    ap.add_argument("--ours-seconds", nargs="*", default=[])
    a = ap.parse_args()
    w = a.work
    ours_seconds = dict(s.split("=", 1) for s in a.ours_seconds)

    cld2_rows = [l.split("\t") for l in lines(os.path.join(w, "cld2_languages.tsv"))
                 if l and not l.startswith("#")]
    cld2_version = next((l[2:] for l in lines(os.path.join(w, "cld2_languages.tsv"))
                         if l.startswith("# ")), "")
    ft_labels = [l.strip().replace("__label__", "") for l in lines(a.fasttext_labels) if l.strip()]

    results = {}  # length -> system -> (acc, conf, items, pred)
    for length in LENGTHS:
        gold = lines(os.path.join(w, length + ".gold"))
        preds = {"ours": ours_predictions(os.path.join(w, length + ".ours.jsonl"), len(gold)),
                 "cld2": lines(os.path.join(w, length + ".cld2")),
                 "fasttext": lines(os.path.join(w, length + ".fasttext"))}
        for s in SYSTEMS:
            if len(preds[s]) != len(gold):
                sys.exit("langid_report: %s %s has %d answers for %d texts" %
                         (length, s, len(preds[s]), len(gold)))
        results[length] = {s: score(gold, preds[s]) + (preds[s],) for s in SYSTEMS}

    test_langs = sorted(results["sentences"]["ours"][2])
    supported = {
        "ours": set(test_langs),  # the model covers all 112 training languages
        "cld2": {r[2] for r in cld2_rows if len(r) > 2},
        "fasttext": {("nb" if c == "no" else c) for c in ft_labels},
    }
    sup = {s: [l for l in test_langs if l in supported[s]] for s in SYSTEMS}
    shared = [l for l in test_langs if all(l in supported[s] for s in SYSTEMS)]
    unshared = [l for l in test_langs if l not in shared]

    out = []
    p = out.append
    p("# Language identification on lingua's test set: supportnlp, CLD2, fastText lid.176\n")
    p("%d test languages; shared by all three systems: **%d** (all but %s, which lid.176 has no "
      "label for; nb counts, lid.176's `no` being mapped to nb). CLD2 (%s, full tables) has a "
      "code for all %d; ours covers all %d." %
      (len(test_langs), len(shared), " ".join(unshared) or "none", cld2_version,
       len(sup["cld2"]), len(test_langs)))
    if a.model:
        p("Our model: `%s`%s." % (a.model, (" at commit " + a.commit) if a.commit else ""))
    p("\n## Mean accuracy (%), unweighted over languages\n")
    p("| length | system | mean, shared %d | mean, all %d | mean, own languages | "
      "answered und (%%) | worst five of own languages |" % (len(shared), len(test_langs)))
    p("|---|---|---|---|---|---|---|")
    for length in LENGTHS:
        for s in SYSTEMS:
            acc, conf, items, pred = results[length][s]
            und = sum(1 for x in pred if x == "und") / len(pred)
            worst = sorted(sup[s], key=lambda l: (acc[l], l))[:5]
            p("| %s | %s | **%s** | %s | %s (%d) | %s | %s |" %
              (TITLES[length], NAMES[s], pct(mean(acc, shared)), pct(mean(acc, test_langs)),
               pct(mean(acc, sup[s])), len(sup[s]), pct(und),
               ", ".join("%s %s" % (l, pct(acc[l])) for l in worst)))
        pub = PUBLISHED[length]
        p("| %s | published (lingua) | %s | | | | |" %
          (TITLES[length], ", ".join("%s %d" % (k if k != "fasttext" else "fastText .bin",
                                                v) for k, v in pub.items())))

    p("\n## Confusable groups: share of the group's items answered with another member (%), "
      "sentences / word pairs / single words\n")
    p("| group | supportnlp | CLD2 | fastText |")
    p("|---|---|---|---|")
    for name, members in GROUPS:
        row = []
        for s in SYSTEMS:
            if not (members & set(test_langs)) <= supported[s]:
                row.append("(not all labelled)")
                continue
            cell = []
            for length in LENGTHS:
                acc, conf, items, pred = results[length][s]
                n = sum(items[l] for l in members if l in items)
                wrong = sum(c for (g, q), c in conf.items() if g in members and q in members)
                cell.append(pct(wrong / n) if n else "-")
            row.append(" / ".join(cell))
        p("| %s | %s |" % (name, " | ".join(row)))
    ft_sh = Counter(g for g, q in zip(lines(os.path.join(w, "sentences.gold")),
                                      results["sentences"]["fasttext"][3]) if q == "sh")
    if ft_sh:
        p("\nlid.176 answered `sh` (Serbo-Croatian, left unmapped and scored wrong) on sentences: " +
          ", ".join("%s %d" % kv for kv in ft_sh.most_common()) + ".")

    p("\n## Answers naming a language outside the %d test languages (%% of texts; most frequent)\n"
      % len(test_langs))
    for length in LENGTHS:
        cells = []
        for s in SYSTEMS:
            pred = results[length][s][3]
            outside = Counter(x for x in pred if x != "und" and x not in results[length][s][2])
            cells.append("%s %s (%s)" % (NAMES[s], pct(sum(outside.values()) / len(pred)),
                                         ", ".join("%s %d" % kv for kv in outside.most_common(4))))
        p("- %s: %s" % (TITLES[length], "; ".join(cells)))

    p("\n## Our main confusions (gold -> answered: items, % of the gold language)\n")
    for length in LENGTHS:
        acc, conf, items, pred = results[length]["ours"]
        top = conf.most_common(12)
        p("- %s: %s" % (TITLES[length], "; ".join(
            "%s->%s %d (%s%%)" % (g, q, c, pct(c / items[g])) for (g, q), c in top)))

    p("\n## Accuracy per language (%): sentences / word pairs / single words\n")
    p("| lang | supportnlp | CLD2 | fastText |")
    p("|---|---|---|---|")
    for l in test_langs:
        cells = []
        for s in SYSTEMS:
            if l not in supported[s]:
                cells.append("(no label)")
                continue
            cells.append(" / ".join(pct(results[length][s][0][l]) for length in LENGTHS))
        p("| %s%s | %s |" % (l, "" if l in shared else "*", " | ".join(cells)))
    p("\n\\* not in the shared set.")
    print("\n".join(out))

    with open(a.json_out, "w", encoding="utf-8") as f:
        for length in LENGTHS:
            peers_timing = {}
            tp = os.path.join(w, length + ".peers.json")
            if os.path.exists(tp):
                peers_timing = json.loads(lines(tp)[0])
            for s in SYSTEMS:
                acc, conf, items, pred = results[length][s]
                n = len(pred)
                rec = {
                    "dataset": "lingua_test/" + length, "system": NAMES[s], "n": n,
                    "languages": len(test_langs), "shared_languages": len(shared),
                    "mean_accuracy_shared": mean(acc, shared),
                    "mean_accuracy_all": mean(acc, test_langs),
                    "mean_accuracy_own": mean(acc, sup[s]), "own_languages": len(sup[s]),
                    "micro_accuracy": sum(acc[l] * items[l] for l in items) / n,
                    "undetermined_rate": sum(1 for x in pred if x == "und") / n,
                    "worst5": [[l, acc[l]] for l in sorted(sup[s], key=lambda l: (acc[l], l))[:5]],
                    "top_confusions": [[g, q, c] for (g, q), c in conf.most_common(10)],
                    "accuracy_per_language": {l: round(acc[l], 4) for l in test_langs},
                }
                if s == "ours":
                    rec.update(model=a.model, commit=a.commit)
                    if length in ours_seconds:
                        sec = float(ours_seconds[length])
                        rec["texts_per_second_cli_incl_load"] = n / sec if sec else 0.0
                elif s == "cld2":
                    rec.update(cld2_tables=cld2_version)
                    if peers_timing.get("cld2_seconds"):
                        rec["texts_per_second_in_process"] = n / peers_timing["cld2_seconds"]
                else:
                    if peers_timing.get("fasttext_seconds"):
                        rec["texts_per_second_in_process"] = n / peers_timing["fasttext_seconds"]
                f.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Xapian BM25 peer row for benchmarks/eval/search.sh.

Indexes corpus.tsv (id, title, body; "title body" per document) with Xapian's
English stemmer, runs each query through QueryParser (default OR, STEM_SOME,
BM25Weight defaults) and prints the same JSON metrics as
`supportnlp eval search`: ndcg@10, mrr@10, recall@10, map (top 100), n.

usage: search_xapian.py CORPUS.tsv QUERIES.tsv QRELS.tsv
Runs with Debian's python3-xapian (/usr/bin/python3).
"""
import csv
import json
import math
import sys
import time

import xapian


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:]


def main():
    corpus, queries, qrels = (read_tsv(p) for p in sys.argv[1:4])
    db = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("en"))
    for row in corpus:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(row[1] + " " + row[2])
        doc.set_data(row[0])
        db.add_document(doc)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("en"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    judged = {}
    for qid, doc, rel in qrels:
        judged.setdefault(qid, {})[doc] = int(rel)
    tot = {"ndcg": 0.0, "mrr": 0.0, "recall": 0.0, "ap": 0.0}
    n = 0
    start = time.time()
    for qid, text in queries:
        rel = judged.get(qid)
        if not rel:
            continue
        query = qp.parse_query(text, 0)  # no boolean operators, plain words
        enquire.set_query(query)
        ranked = [m.document.get_data().decode() for m in enquire.get_mset(0, 100)]
        ideal = sorted((r for r in rel.values() if r > 0), reverse=True)
        dcg = idcg = hits = psum = 0.0
        found10 = 0
        mrr = 0.0
        for i, d in enumerate(ranked):
            r = rel.get(d, 0)
            if r <= 0:
                continue
            if i < 10:
                dcg += (2 ** r - 1) / math.log2(i + 2)
                found10 += 1
                if mrr == 0:
                    mrr = 1.0 / (i + 1)
            hits += 1
            psum += hits / (i + 1)
        for i, r in enumerate(ideal[:10]):
            idcg += (2 ** r - 1) / math.log2(i + 2)
        tot["ndcg"] += dcg / idcg if idcg else 0
        tot["mrr"] += mrr
        tot["recall"] += found10 / len(ideal)
        tot["ap"] += psum / len(ideal)
        n += 1
    secs = time.time() - start
    r4 = lambda v: round(v / n, 4) if n else 0.0
    print(json.dumps({"mode": "xapian-bm25", "ndcg@10": r4(tot["ndcg"]), "mrr@10": r4(tot["mrr"]),
                      "recall@10": r4(tot["recall"]), "map": r4(tot["ap"]), "n": n,
                      "queries_per_second": round(n / secs) if secs > 0 else 0}))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# kb build / kb search / kb gaps / eval search end to end on the sample KB
# (BM25-only, so the test does not depend on the bundled encoder), including
# bad records, a corrupt KB file and an empty query.
set -euo pipefail
cli="$1"; src="$2"; shared="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cli" kb build --articles "$src/data/kb/articles.jsonl" --output "$work/kb.snlp" --encoder none \
  2> "$work/build.err" || fail "kb build on the sample KB: $(cat "$work/build.err")"
grep -q "48 articles" "$work/build.err" || fail "kb build did not report 48 articles"

# Search: text and JSONL input, one output line per input line, hits with offsets.
printf 'when will I get my refund\n{"id":"q2","text":"track my order"}\n{"id":3}\n\n' > "$work/q.txt"
set +e
"$cli" kb search --kb "$work/kb.snlp" --encoder none -k 3 --strict "$work/q.txt" > "$work/hits.jsonl"
rc=$?
set -e
[ "$rc" = 3 ] || fail "kb search --strict with a bad record should exit 3, got $rc"
[ "$(wc -l < "$work/hits.jsonl")" = 4 ] || fail "expected 4 output lines"
python3 - "$work/hits.jsonl" "$src/data/kb/articles.jsonl" <<'PY' || fail "search output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
arts = {a["id"]: a for a in map(json.loads, open(sys.argv[2]))}
assert rows[0]["hits"][0]["article_id"] == "refund-timing", rows[0]
assert rows[1]["id"] == "q2" and rows[1]["hits"][0]["article_id"] == "track-order", rows[1]
assert rows[2]["line"] == 3 and "error" in rows[2], rows[2]
for r in rows[:2]:
    assert 1 <= len(r["hits"]) <= 3
    for h in r["hits"]:
        body = arts[h["article_id"]]["body"].encode()
        assert body[h["passage_begin"]:h["passage_end"]].decode() == h["passage"]
        for b, e in h["highlights"]:
            assert h["passage_begin"] <= b < e <= h["passage_end"]
PY

# An empty query gives no hits, not an error.
echo '{"text":"   "}' | "$cli" kb search --kb "$work/kb.snlp" --encoder none | grep -q '"hits":\[\]' \
  || fail "blank query should give an empty hit list"

# Gaps: the uncovered questions are reported.
"$cli" kb gaps --kb "$work/kb.snlp" --queries "$src/data/kb/queries.txt" --min-coverage 0.75 \
  > "$work/gaps.json"
python3 - "$work/gaps.json" <<'PY' || fail "gap report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["queries"] == 32 and r["gaps"] >= 1, r
texts = [q["text"] for g in r["groups"] for q in g["queries"]]
assert "can you pay with bitcoin" in " ".join(texts).replace("can I", "can you"), texts
PY

# Bad articles: reported with line numbers, the rest still built, exit 1.
{ head -3 "$src/data/kb/articles.jsonl"; echo 'not json'; echo '{"title":"no id"}';
  head -1 "$src/data/kb/articles.jsonl"; } > "$work/bad.jsonl"
set +e
"$cli" kb build --articles "$work/bad.jsonl" --output "$work/bad.kb" --encoder none 2> "$work/bad.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "kb build with bad records should exit 1, got $rc"
grep -q "bad.jsonl:4" "$work/bad.err" || fail "line 4 not reported: $(cat "$work/bad.err")"
grep -q "bad.jsonl:5" "$work/bad.err" || fail "line 5 not reported"
grep -q "duplicate article id" "$work/bad.err" || fail "duplicate id not reported"
grep -q "3 articles" "$work/bad.err" || fail "good articles not kept"

# TSV input (StackFAQ's corpus format) and eval search JSON.
printf 'id\ttitle\tbody\nd1\tReset password\tUse the forgot password link.\nd2\tRefunds\tRefunds take ten days.\n' > "$work/c.tsv"
printf 'qid\ttext\nq1\tforgot my password\nq2\trefund days\n' > "$work/q.tsv"
printf 'qid\tdocid\trelevance\nq1\td1\t1\nq2\td2\t1\n' > "$work/r.tsv"
"$cli" kb build --articles "$work/c.tsv" --output "$work/c.kb" --encoder none 2>/dev/null
"$cli" eval search --kb "$work/c.kb" --encoder none --queries "$work/q.tsv" --qrels "$work/r.tsv" \
  > "$work/eval.json"
python3 - "$work/eval.json" <<'PY' || fail "eval search output: $(cat "$work/eval.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["n"] == 2 and r["mrr@10"] == 1.0 and r["ndcg@10"] == 1.0 and r["recall@10"] == 1.0
assert "map" in r
PY

# A corrupt KB file is refused with a message naming it, exit 1.
head -c 2000 "$work/kb.snlp" > "$work/broken.kb"
set +e
echo "refund" | "$cli" kb search --kb "$work/broken.kb" --encoder none > /dev/null 2> "$work/broken.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "corrupt KB should exit 1, got $rc"
grep -q "broken.kb" "$work/broken.err" || fail "error does not name the file"
# A transformer encoder from a Hugging Face folder (the tiny random-weight
# test fixture): the KB remembers it, and searching with another encoder is
# refused with both fingerprints named.
xfmr="$src/tests/data/transformer/bert-prefixed"
"$cli" kb build --articles "$src/data/kb/articles.jsonl" --output "$work/xfmr.kb" --encoder "$xfmr" \
  2> "$work/xfmr.err" || fail "kb build with a transformer folder: $(cat "$work/xfmr.err")"
echo "I can't log in" | "$cli" kb search --kb "$work/xfmr.kb" --encoder "$xfmr" -k 2 > "$work/xfmr.out" \
  || fail "kb search with the transformer folder"
grep -q '"dense_score"' "$work/xfmr.out" || fail "no dense score with the transformer encoder"
set +e
echo "I can't log in" | "$cli" kb search --kb "$work/xfmr.kb" --encoder none > /dev/null 2> "$work/xfmr.err"
rc=$?
set -e
[ "$rc" != 0 ] || fail "a KB built with a transformer was searched without it"
grep -q "transformer/bert/32/" "$work/xfmr.err" || fail "error does not name the transformer fingerprint"
echo "kb.sh: ok"

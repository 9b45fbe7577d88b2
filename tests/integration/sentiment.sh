#!/usr/bin/env bash
# End-to-end test of `supportnlp sentiment`, `eval sentiment` and
# `conversation`: labels and evidence offsets on crafted support texts, bad
# records reported by line with the run going on, evaluation JSON, and the
# escalation events of a deteriorating chat.
# Usage: sentiment.sh <supportnlp-binary> <source-dir> [<shared-dir>]
set -euo pipefail
bin=$1
src=$2
shared=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- 1. labels and evidence ----------------------------------------------------
cat >"$work/in.jsonl" <<'JSONL'
{"id":"a","text":"Still waiting for my refund, third time asking!!"}
{"id":"b","text":"No problems at all, thanks for the quick fix 😊"}
{"id":"c","text":"Ｈｉ — where do I change my address?"}
not json {
{"id":"d","text":"The agent was nice but I was charged twice"}
{"id":"e"}
JSONL
set +e
"$bin" sentiment --explain --format jsonl --strict --input "$work/in.jsonl" >"$work/out.jsonl"
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "sentiment --strict with bad records exited $rc, expected 3"
python3 - "$work/in.jsonl" "$work/out.jsonl" <<'PY'
import json, sys
src = {}
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        o = json.loads(line)
        if "text" in o: src[o["id"]] = o["text"]
    except json.JSONDecodeError:
        pass
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(out) == 6, out
by_id = {o["id"]: o for o in out if "id" in o}
errors = [o for o in out if "error" in o]
assert [e["line"] for e in errors] == [4, 6], errors
expect = {"a": "negative", "b": "positive", "c": "neutral", "d": "negative"}
for k, want in expect.items():
    assert by_id[k]["label"] == want, (k, by_id[k])
    assert -1 <= by_id[k]["score"] <= 1
    raw = src[k].encode("utf-8")
    for e in by_id[k]["evidence"]:
        assert raw[e["begin"]:e["end"]].decode("utf-8") == e["text"], (k, e)
texts = [e["text"] for e in by_id["a"]["evidence"]]
assert "Still waiting" in texts and "third time" in texts, texts
assert any(e["text"] == "charged twice" for e in by_id["d"]["evidence"]), by_id["d"]
PY

# Plain text input and invalid UTF-8 never fail.
printf 'great service \xff\xfe thanks\n\n' | "$bin" sentiment --format text >"$work/text.out" ||
  fail "text input exited $?"
python3 -c "
import json,sys
o=[json.loads(l) for l in open('$work/text.out')]
assert len(o)==2 and o[0]['label']=='positive' and o[0].get('repaired_utf8'), o
assert o[1]['line']==2 and o[1]['label']=='neutral', o  # the blank line keeps its place"

# --- 2. evaluation -------------------------------------------------------------
printf 'text\tlabel\nthis is awful\tnegative\nthanks so much!\tpositive\nwhat time is it\tneutral\nbroken line\nok\tangry\n' \
  >"$work/test.tsv"
set +e
"$bin" eval sentiment --test "$work/test.tsv" >"$work/eval.json" 2>"$work/eval.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "eval with bad lines exited $rc, expected 1"
python3 - "$work/eval.json" "$work/eval.err" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["n"] == 3 and r["bad_lines"] == 2, r
assert r["accuracy"] == 1.0 and abs(r["macro_f1"] - 1.0) < 1e-9, r
errs = [json.loads(l) for l in open(sys.argv[2])]
assert [e["line"] for e in errs] == [5, 6], errs
PY
"$bin" eval sentiment --test "$work/missing.tsv" >/dev/null 2>&1 && fail "missing test file accepted"
if [ -n "$shared" ] && [ -f "$shared/datasets/twitter_airline_sentiment/test.tsv" ]; then
  "$bin" eval sentiment --test "$shared/datasets/twitter_airline_sentiment/test.tsv" >"$work/air.json"
  python3 -c "
import json; r=json.load(open('$work/air.json'))
assert r['n']==2892 and r['accuracy']>=0.65 and r['macro_f1']>=0.60, r"
fi

# --- 3. conversation -----------------------------------------------------------
cat >"$work/chat.jsonl" <<'JSONL'
{"role":"customer","text":"Hi, I have a question about my bill.","ts":0}
{"role":"agent","text":"Sure, what is it?","ts":20}
{"role":"customer","text":"I was charged twice this month.","ts":60}
{"role":"robot","text":"beep"}
{"role":"agent","text":"Let me check.","ts":90}
{"role":"customer","text":"Still waiting... third time I ask. Unacceptable!!","ts":900}
JSONL
set +e
"$bin" conversation --strict --input "$work/chat.jsonl" >"$work/chat.out"
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "conversation --strict with a bad role exited $rc, expected 3"
python3 - "$work/chat.out" <<'PY'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
turns = [o for o in out if "turn" in o]
assert len(turns) == 5, out
assert [o["line"] for o in out if "error" in o] == [4], out
events = [o["event"] for o in turns if "event" in o]
assert len(events) == 1 and events[0]["turn"] >= 2, events
summary = out[-1]
assert summary["summary"] and summary["escalated"] and len(summary["events"]) == 1, summary
PY
# --- learned model in analyze ---------------------------------------------------
# A model trained here answers in `analyze` when named (--sentiment-model) or
# in the bundle's models/sentiment.snlp slot, with the same answers both ways;
# a file of another kind is refused.
: >"$work/train.tsv"
for rep in 1 2 3; do
  printf '%s\tnegative\n' "still waiting for my refund" "the app keeps crashing" \
    "worst support ever" "I was charged twice" "my order never arrived" >>"$work/train.tsv"
  printf '%s\tneutral\n' "how do I change my address" "what are your opening hours" \
    "where can I find my invoice" "can I pay by bank transfer" "do you ship to canada" \
    >>"$work/train.tsv"
  printf '%s\tpositive\n' "thanks for the quick fix" "great support, problem solved" \
    "love the new dashboard" "the agent was very helpful" "works perfectly now, thanks" \
    >>"$work/train.tsv"
done
"$bin" train sentiment --train "$work/train.tsv" --output "$work/sentiment.snlp" &>"$work/train.log" ||
  fail "train sentiment exited $?"
mkdir -p "$work/bundle/models"
cp "$work/sentiment.snlp" "$work/bundle/models/sentiment.snlp"
printf '%s\n' "Still waiting for my refund, the app keeps crashing!" \
  "Thanks for the quick fix, great support" >"$work/tickets.txt"
skip=language,intent,kb,encoder
"$bin" analyze --quiet --format text --bundle "$src/data" --skip $skip --input "$work/tickets.txt" \
  >"$work/lexicon.jsonl" || fail "analyze exited $?"
"$bin" analyze --quiet --format text --bundle "$src/data" --skip $skip \
  --sentiment-model "$work/sentiment.snlp" --input "$work/tickets.txt" >"$work/named.jsonl" ||
  fail "analyze --sentiment-model exited $?"
"$bin" analyze --quiet --format text --bundle "$work/bundle" --skip $skip \
  --input "$work/tickets.txt" >"$work/slot.jsonl" || fail "analyze with a bundle slot exited $?"
cmp -s "$work/named.jsonl" "$work/slot.jsonl" || fail "--sentiment-model and the bundle slot differ"
python3 - "$work/lexicon.jsonl" "$work/named.jsonl" <<'PY'
import json, sys
lexicon = [json.loads(l)["sentiment"] for l in open(sys.argv[1])]
learned = [json.loads(l)["sentiment"] for l in open(sys.argv[2])]
assert [s["label"] for s in learned] == ["negative", "positive"], learned
assert [s["score"] for s in learned] != [s["score"] for s in lexicon], (learned, lexicon)
PY
set +e
"$bin" analyze --quiet --format text --bundle "$src/data" --skip $skip \
  --sentiment-model "$src/data/models/intent.snlp" --input "$work/tickets.txt" \
  >/dev/null 2>"$work/wrong.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "analyze with an intent model as sentiment model exited $rc, expected 1"
grep -q "model kind 'intent' is not a sentiment model" "$work/wrong.err" ||
  fail "wrong kind not reported: $(cat "$work/wrong.err")"

# The same learned model scores conversation turns (--model): each customer
# turn's score is the one `sentiment --model` gives its text.
grep -v robot "$work/chat.jsonl" >"$work/chat_ok.jsonl"
"$bin" conversation --model "$work/sentiment.snlp" "$work/chat_ok.jsonl" >"$work/chat_learned.out" ||
  fail "conversation --model exited $?"
"$bin" sentiment --model "$work/sentiment.snlp" "$work/chat_ok.jsonl" >"$work/chat_sentiment.out" ||
  fail "sentiment --model on the chat exited $?"
"$bin" conversation "$work/chat_ok.jsonl" >"$work/chat_lexicon.out" || fail "conversation exited $?"
python3 - "$work/chat_learned.out" "$work/chat_sentiment.out" "$work/chat_lexicon.out" <<'PY'
import json, sys
learned = [json.loads(l) for l in open(sys.argv[1])]
learned = [o["score"] for o in learned if "turn" in o]
direct = [json.loads(l)["score"] for l in open(sys.argv[2])]
lexicon = [json.loads(l) for l in open(sys.argv[3])]
lexicon = [o["score"] for o in lexicon if "turn" in o]
assert len(learned) == len(direct) == 5, (learned, direct)
assert all(abs(a - b) < 1e-3 for a, b in zip(learned, direct)), (learned, direct)
assert learned != lexicon, (learned, lexicon)
PY
set +e
"$bin" conversation --model "$src/data/models/intent.snlp" "$work/chat_ok.jsonl" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "conversation with an intent model as sentiment model exited $rc, expected 1"

# --languages is stored in a learned model: the Analyzer answers sentiment
# for a Spanish ticket with unsupported_language when the model covers only
# English, and scores it when the model records no languages (the lexicon's).
"$bin" train sentiment --train "$work/train.tsv" --output "$work/sentiment_en.snlp" --languages en \
  &>"$work/train_en.log" || fail "train sentiment --languages en exited $?"
printf '%s\n' "Sigo esperando mi reembolso, la aplicación no funciona y nadie me responde." \
  >"$work/es.txt"
for m in sentiment_en sentiment; do
  "$bin" analyze --quiet --format text --bundle "$src/data" --skip intent,kb,encoder \
    --sentiment-model "$work/$m.snlp" --input "$work/es.txt" >"$work/es_$m.jsonl" ||
    fail "analyze with $m exited $?"
done
grep -q '"reason":"unsupported_language"' "$work/es_sentiment_en.jsonl" ||
  fail "an en-only model scored Spanish: $(cat "$work/es_sentiment_en.jsonl")"
grep -q '"unsupported_language"' "$work/es_sentiment.jsonl" &&
  fail "a model without recorded languages refused Spanish: $(cat "$work/es_sentiment.jsonl")"
set +e
"$bin" train sentiment --train "$work/train.tsv" --output "$work/x.snlp" --languages EN,es \
  >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "train sentiment --languages EN exited $rc, expected 2"

echo "sentiment: all checks passed"

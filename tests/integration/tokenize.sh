#!/usr/bin/env bash
# End-to-end test of `supportnlp tokenize`: sample tickets, crafted bad input
# (malformed JSON, invalid UTF-8, blank lines), text mode, flags and usage
# errors. Usage: tokenize.sh <supportnlp-binary> <source-dir> [<shared-dir>]
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- 1. the sample tickets -----------------------------------------------------
tickets="$src/data/samples/tickets.jsonl"
"$bin" tokenize --input "$tickets" --normalized >"$work/tickets.out" 2>"$work/tickets.err" ||
  fail "tokenize on the sample tickets exited $? ($(cat "$work/tickets.err"))"
python3 - "$tickets" "$work/tickets.out" <<'PY'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(out) == len(src), f"{len(out)} output records for {len(src)} tickets"
for s, o in zip(src, out):
    assert o["id"] == s["id"], (o["id"], s["id"])
    assert "error" not in o, o
    raw = s["text"].encode("utf-8")
    assert o["tokens"], f"{s['id']}: no tokens"
    prev_end = 0
    for t in o["tokens"]:
        b, e = t["begin"], t["end"]
        assert prev_end <= b < e <= len(raw), (s["id"], t)
        assert raw[b:e].decode("utf-8") == t["text"], (s["id"], t, raw[b:e])
        assert not t["text"].isspace(), (s["id"], t)
        assert "normalized" in t and t["kind"], (s["id"], t)
        prev_end = e

by_id = {o["id"]: o for o in out}
# Normalized forms are case-folded. (Entity kinds: tokenize_entities.sh.)
urgent = [t for t in by_id["T-0013"]["tokens"] if t["text"] == "URGENT"]
assert urgent and urgent[0]["normalized"] == "urgent", by_id["T-0013"]["tokens"][:3]
print(f"tickets: {len(out)} records, {sum(len(o['tokens']) for o in out)} tokens")
PY

# --- 2. crafted input: bad records are reported, the rest still come out -------
{
  printf '%s\n' '{"id":"a","text":"Mail bob@example.com about ORD-99812"}'
  printf '%s\n' '{"id":"b","text": "unterminated'
  printf '\n'
  printf '%s\n' 'plain text line with a refund'
  printf 'caf\xff\xfe ok then\n'
  printf '%s\n' '{"id":7,"text":"last good one"}'
  printf '%s\n' '{"id":"e","body":"no text field"}'
  printf '%s\n' '{"id":"f","text":""}'
} >"$work/crafted.jsonl"
set +e
"$bin" tokenize --strict --input "$work/crafted.jsonl" >"$work/crafted.out" 2>"$work/crafted.err"
status=$?
set -e
[ "$status" -eq 3 ] || fail "expected exit status 3 after malformed records with --strict, got $status"
grep -q "line 2" "$work/crafted.err" || fail "stderr does not name line 2: $(cat "$work/crafted.err")"
python3 - "$work/crafted.jsonl" "$work/crafted.out" <<'PY'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
out = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
errors = {o["line"]: o for o in out if "error" in o}
good = {o["line"]: o for o in out if "error" not in o}
assert sorted(errors) == [2, 7], f"error records at lines {sorted(errors)}, expected [2, 7]"
assert all(isinstance(e["error"], str) and e["error"] for e in errors.values())
# Line 3 is blank (a record with no tokens); every line has exactly one record, in order.
assert sorted(good) == [1, 3, 4, 5, 6, 8], f"good records at lines {sorted(good)}"
assert good[3]["tokens"] == [], good[3]
assert [o["line"] for o in out] == [1, 2, 3, 4, 5, 6, 7, 8], [o["line"] for o in out]
# "id" is always a string (docs/output-schema.md): a numeric id as its JSON text.
assert good[1]["id"] == "a" and good[6]["id"] == "7", (good[1]["id"], good[6]["id"])
assert good[4]["id"] == "4", good[4]["id"]  # text lines are named by line number
assert good[8]["tokens"] == [], good[8]
assert "bob@example.com" in [t["text"] for t in good[1]["tokens"]], good[1]["tokens"]
# Invalid UTF-8: repaired, flagged, offsets still index the original bytes.
bad = good[5]
assert bad.get("repaired_utf8") is True, bad
raw = lines[4]
texts = [t["text"] for t in bad["tokens"]]
assert "ok" in texts and "then" in texts, texts
for t in bad["tokens"]:
    piece = raw[t["begin"]:t["end"]]
    assert piece.decode("utf-8", errors="replace") == t["text"], (t, piece)
print(f"crafted: {len(good)} good records, errors at lines {sorted(errors)}")
PY

# --- 3. text mode: lines that look like JSON are just text ---------------------
"$bin" tokenize --format text --input "$work/crafted.jsonl" >"$work/text.out" ||
  fail "text mode should not fail on JSON-looking lines"
python3 - "$work/text.out" <<'PY'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(out) == 8 and all("error" not in o for o in out), out  # the blank line too
assert out[0]["tokens"][0]["text"] == "{", out[0]["tokens"][:2]
PY
printf 'Ｒｅｆｕｎｄ please\n' | "$bin" tokenize --format text --normalized >"$work/stdin.out"
python3 - "$work/stdin.out" <<'PY'
import json, sys
(o,) = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
t = o["tokens"][0]
assert t["text"] == "Ｒｅｆｕｎｄ" and t["normalized"] == "refund" and (t["begin"], t["end"]) == (0, 18), t
PY

# Quotes, backslashes and control characters come out as valid JSON strings.
printf 'say "hi" \\ to\x01\x1f me\x7f\n' | "$bin" tokenize --format text >"$work/escape.out"
python3 - "$work/escape.out" <<'PY'
import json, sys
(o,) = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
raw = 'say "hi" \\ to\x01\x1f me\x7f'.encode()
for t in o["tokens"]:
    assert raw[t["begin"]:t["end"]].decode() == t["text"], t
texts = [t["text"] for t in o["tokens"]]
assert '"' in texts and "\\" in texts and "hi" in texts and "me" in texts, texts
PY

# --- 4. --no-entities: plain UAX #29 words ------------------------------------
printf '%s\n' 'Order ORD-99812: see https://shop.example.com/p/42 now' |
  "$bin" tokenize --no-entities >"$work/plain.out"
python3 - "$work/plain.out" <<'PY'
import json, sys
(plain,) = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
texts = [t["text"] for t in plain["tokens"]]
# UAX #29 alone breaks at '-', ':' and '/'.
assert "ORD-99812" not in texts and "ORD" in texts, texts
assert "https://shop.example.com/p/42" not in texts and "https" in texts, texts
assert {t["kind"] for t in plain["tokens"]} <= {"word", "number", "punct", "symbol", "emoji", "other"}
PY

# --- 5. --subwords: ids match SentencePiece's own encoder ---------------------
if command -v spm_train >/dev/null && command -v spm_encode >/dev/null; then
  python3 -c "
import json, sys
for l in open(sys.argv[1], encoding='utf-8'):
    print(json.loads(l)['text'])" "$tickets" >"$work/corpus.txt"
  spm_train --input="$work/corpus.txt" --model_prefix="$work/sp" --vocab_size=400 \
    --hard_vocab_limit=false --model_type=bpe --minloglevel=3 >/dev/null 2>&1 ||
    fail "spm_train could not train the reference model"
  "$bin" tokenize --input "$tickets" --subwords "$work/sp.model" >"$work/sub.out"
  spm_encode --model="$work/sp.model" --output_format=id <"$work/corpus.txt" >"$work/sub.ref"
  python3 - "$work/sub.out" "$work/sub.ref" <<'PY'
import json, sys
out = [json.loads(l)["subwords"] for l in open(sys.argv[1], encoding="utf-8")]
ref = [[int(x) for x in l.split()] for l in open(sys.argv[2])]
assert len(out) == len(ref), (len(out), len(ref))
for i, (a, b) in enumerate(zip(out, ref)):
    assert a == b, f"record {i + 1}: {a[:10]} != spm_encode {b[:10]}"
print(f"subwords: {len(out)} records agree with spm_encode")
PY
else
  echo "spm_train/spm_encode not installed: --subwords comparison skipped"
fi

# --- 6. usage errors exit 2, files that cannot be read exit 1 ------------------
expect_exit() {
  local want=$1
  shift
  set +e
  "$bin" tokenize "$@" </dev/null >/dev/null 2>"$work/usage.err"
  local s=$?
  set -e
  [ "$s" -eq "$want" ] || fail "tokenize $* exited $s, expected $want"
  [ -s "$work/usage.err" ] || fail "tokenize $* printed no message"
}
expect_exit 1 --input "$work/does-not-exist.jsonl"
expect_exit 2 --format yaml
expect_exit 1 --subwords "$work/does-not-exist.model"
printf 'junk' >"$work/junk.model"
expect_exit 1 --subwords "$work/junk.model"
expect_exit 2 --no-such-option
echo "tokenize: all checks passed"

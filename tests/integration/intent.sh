#!/usr/bin/env bash
# End-to-end: the intent commands with the default model, training on a tiny
# file with bad lines, evaluation with an unknown label, explanations, and a
# model file of another kind.
set -uo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Default model, plain text on stdin.
out=$(printf 'I forgot my password\n\nwhere is my package\n' | "$bin" intent --top-k 2) || fail "intent exit $?"
[ "$(echo "$out" | wc -l)" = 3 ] || fail "expected 3 output lines (the blank one too): $out"
grep -q '"line":2.*"reason":"empty_text"' <<<"$(sed -n 2p <<<"$out")" || fail "blank line: $out"
grep -q '"label":"account\.' <<<"$(head -1 <<<"$out")" || fail "password: $out"
grep -q '"queue":{"confidence":[0-9.e-]*,"label":"account"}' <<<"$(head -1 <<<"$out")" || fail "queue: $out"
grep -q '"top":\[{' <<<"$out" || fail "no top list: $out"
# Off-topic text is out of scope, and says why.
off=$(echo "what is the capital of australia" | "$bin" intent) || fail "intent exit $?"
grep -q '"out_of_scope":true' <<<"$off" || fail "off-topic: $off"
grep -q '"reason":"out_of_scope_class"\|"reason":"low_confidence"' <<<"$off" || fail "reason: $off"

# JSONL with a malformed record: error record with its line number, exit 3
# with --strict.
printf '{"id":"a","text":"cancel my order"}\n{"id":\n' > "$work/in.jsonl"
"$bin" intent --strict --input "$work/in.jsonl" > "$work/out.jsonl"
rc=$?
[ $rc = 3 ] || fail "malformed JSONL with --strict should exit 3, got $rc"
grep -q '"id":"a"' "$work/out.jsonl" || fail "good record missing"
grep -q '"line":2' "$work/out.jsonl" || fail "error record missing: $(cat "$work/out.jsonl")"

# Explanations carry byte offsets into the input.
ex=$(echo 'I want to cancel my order' | "$bin" intent --explain) || fail "explain exit"
grep -q '"evidence":\[{"begin":' <<<"$ex" || fail "no explanation: $ex"

# Empty, invalid UTF-8 and 1 MB inputs get an answer.
printf 'refund \xff\xfe now\n' | "$bin" intent | grep -q '"repaired_utf8":true' || fail "invalid UTF-8"
python3 -c 'print("where is my parcel " * 60000)' | "$bin" intent | grep -q '"label"' || fail "1 MB text"

# Training: a label-only line and a text-only line are reported with their
# line numbers, the model is still written, exit 1.
{
  printf 'text\tlabel\n'
  for i in 1 2 3 4 5 6 7 8; do
    printf 'i want my money back %s\trefund\n' "$i"
    printf 'where is my parcel number %s\tdelivery\n' "$i"
    printf 'reset my password please %s\tpassword\n' "$i"
  done
  printf '\trefund\n'
  printf 'text without a label\n'
} > "$work/train.tsv"
"$bin" train intent --train "$work/train.tsv" --output "$work/m.snlp" --quiet > "$work/report.json" 2> "$work/err.txt"
rc=$?
[ $rc = 1 ] || fail "train with bad lines should exit 1, got $rc"
[ -s "$work/m.snlp" ] || fail "model not written"
grep -q '"line":26' "$work/err.txt" || fail "bad line 26 not reported: $(cat "$work/err.txt")"
grep -q '"line":27' "$work/err.txt" || fail "bad line 27 not reported"
grep -q '"validation_accuracy"' "$work/report.json" || fail "no report"

# Evaluation with an unknown test label: counted as an error, exit 1, JSON out.
printf 'give me a refund\trefund\nwhere is my parcel\tdelivery\nhello there\tgreeting\n' > "$work/test.tsv"
"$bin" eval intent --model "$work/m.snlp" --test "$work/test.tsv" > "$work/eval.json" 2> "$work/eval.err"
rc=$?
[ $rc = 1 ] || fail "eval with unknown label should exit 1, got $rc"
python3 - "$work/eval.json" <<'PY' || fail "eval JSON: $(cat "$work/eval.json")"
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("accuracy", "macro_f1", "in_scope_accuracy", "oos_recall", "oos_precision", "ece", "n",
          "texts_per_second"):
    assert k in r, k
assert r["n"] == 3 and r["unknown_labels"] == 1 and r["accuracy"] <= 2 / 3 + 1e-9
PY
grep -q "greeting" "$work/eval.err" || fail "unknown label not reported"

# A model file of another kind is a clear error.
"$bin" intent --model "$src/data/models/encoder.snlp" <<< "hi" > /dev/null 2> "$work/kind.err" && fail "wrong kind accepted"
grep -q "expected 'intent'" "$work/kind.err" || fail "wrong-kind message: $(cat "$work/kind.err")"
"$bin" intent --model "$work/missing.snlp" <<< "hi" > /dev/null 2>&1 && fail "missing model accepted"
echo OK

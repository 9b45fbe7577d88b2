#!/usr/bin/env bash
# End-to-end: the langid commands with the default model on text and JSON
# Lines (a blank line and a malformed record included), training on a tiny
# directory twice with different thread counts (same bytes), evaluation on
# a TSV whose text contains quotes and tabs, and a model file of another kind.
set -uo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Plain text on stdin: one output line per input line, blank lines included.
out=$(printf 'Where is my order?\n\n\xc2\xbfD\xc3\xb3nde est\xc3\xa1 mi pedido?\nORD-99812\n' |
  "$bin" langid --format text --top-k 2) || fail "langid exit $?"
[ "$(echo "$out" | wc -l)" = 4 ] || fail "expected 4 output lines: $out"
grep -q '"language":{"code":"en"' <<<"$(sed -n 1p <<<"$out")" || fail "en: $out"
grep -q '"line":1' <<<"$(sed -n 1p <<<"$out")" || fail "line number: $out"
grep -q '"script":"Latn"' <<<"$(sed -n 1p <<<"$out")" || fail "script: $out"
grep -q '"language":{"code":"und".*"undetermined":true' <<<"$(sed -n 2p <<<"$out")" || fail "blank line: $out"
grep -q '"language":{"code":"es"' <<<"$(sed -n 3p <<<"$out")" || fail "es: $out"
grep -q '"top":\[{"code":"es","confidence":[0-9.e-]*},{' <<<"$(sed -n 3p <<<"$out")" || fail "top: $out"
grep -q '"undetermined":true' <<<"$(sed -n 4p <<<"$out")" || fail "order id: $out"

# JSONL from a positional file: ids kept, a malformed record gives an error
# object with its line number, the run goes on, exit 3 with --strict.
printf '{"id":"t1","text":"Ich m\xc3\xb6chte mein Abo k\xc3\xbcndigen"}\n{"id":\n\n{"id":7,"text":"\xe6\x88\x91\xe7\x9a\x84\xe8\xae\xa2\xe5\x8d\x95\xe5\x9c\xa8\xe5\x93\xaa\xe9\x87\x8c"}\n{"text":42}\n' > "$work/in.jsonl"
"$bin" langid --strict "$work/in.jsonl" > "$work/out.jsonl"
rc=$?
[ $rc = 3 ] || fail "malformed JSONL with --strict should exit 3, got $rc"
[ "$(wc -l < "$work/out.jsonl")" = 5 ] || fail "expected 5 lines: $(cat "$work/out.jsonl")"
sed -n 1p "$work/out.jsonl" | grep -q '"id":"t1".*"language":{"code":"de"' || fail "jsonl de: $(cat "$work/out.jsonl")"
sed -n 2p "$work/out.jsonl" | grep -q '"line":2,"error":' || fail "error record: $(cat "$work/out.jsonl")"
sed -n 3p "$work/out.jsonl" | grep -q '"undetermined":true.*"line":3' || fail "blank JSONL line"
sed -n 4p "$work/out.jsonl" | grep -q '"id":"7".*"language":{"code":"zh"' || fail "jsonl zh: $(cat "$work/out.jsonl")"
sed -n 5p "$work/out.jsonl" | grep -q '"line":5,"error":' || fail "non-string text"

# Bad input gets a defined answer.
printf 'bonjour \xff\xfe madame\n' | "$bin" langid | grep -q '"repaired_utf8":true' || fail "invalid UTF-8"
python3 -c 'print("a" * 1000000)' | "$bin" langid --format text | grep -q '"language"' || fail "1 MB"

# Training on a tiny directory: deterministic across thread counts.
mkdir -p "$work/train"
for i in $(seq 1 40); do
  printf 'the customer wants a refund for order number %s and is not happy\n' "$i" >> "$work/train/en.txt"
  printf 'el cliente quiere un reembolso del pedido %s y no est\xc3\xa1 contento\n' "$i" >> "$work/train/es.txt"
  printf 'der Kunde m\xc3\xb6chte eine R\xc3\xbcckerstattung f\xc3\xbcr die Bestellung %s\n' "$i" >> "$work/train/de.txt"
done
"$bin" train langid --train-dir "$work/train" --output "$work/a.snlp" --threads 1 --quiet > "$work/report.json" ||
  fail "train exit $?"
grep -q '"languages": 3' "$work/report.json" || fail "report: $(cat "$work/report.json")"
"$bin" train langid --train-dir "$work/train" --output "$work/b.snlp" --threads 2 --quiet > /dev/null || fail "train 2"
cmp -s "$work/a.snlp" "$work/b.snlp" || fail "training differs between 1 and 2 threads"
echo "el cliente quiere un reembolso" | "$bin" langid --model "$work/a.snlp" | grep -q '"language":{"code":"es"' ||
  fail "trained model"

# Evaluation: split at the last TAB, quotes read as text.
printf 'text\tlang\n"Where" is my order?\ten\nla "factura"\tno lleg\xc3\xb3\tes\nORD-1\ten\n' > "$work/test.tsv"
ev=$("$bin" eval langid --test "$work/test.tsv") || fail "eval exit $?"
grep -q '"items": 3' <<<"$ev" || fail "eval items: $ev"
grep -q '"mean_language_accuracy"' <<<"$ev" || fail "eval mean: $ev"
grep -q '"predicted": "und"' <<<"$ev" || fail "eval confusions: $ev"

# A model of another kind is refused with a message.
"$bin" langid --model "$src/data/models/intent.snlp" < /dev/null 2> "$work/err" && fail "wrong kind accepted"
grep -q "expected 'langid'" "$work/err" || fail "wrong kind message: $(cat "$work/err")"
echo ok
